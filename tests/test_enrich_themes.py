"""Themes: the taxonomy file, evidence in the seeds, morphology, Turkish case, word boundaries, validation."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from media_etl.clean.text import clean_text
from media_etl.enrich.records import ArticleText
from media_etl.enrich.themes import (
    Taxonomy,
    TaxonomyError,
    find_themes,
    keyword_regex,
    load_taxonomy,
    parse_taxonomy,
)
from media_etl.ingest.router import read_path
from media_etl.parse.wire import parse_item_text, parse_wire_text
from media_etl.sources import load_registry
from tests.conftest import REPO_ROOT, SEEDS

REQUIRED_THEMES = {
    "disinformation", "media_cooperation", "public_diplomacy", "digital_media",
    "armed_conflict", "urban_development", "elections", "economy",
}  # fmt: skip
LANGUAGES = {"en", "tr", "az", "ru", "kk", "uz"}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(REPO_ROOT / "themes.yaml")


def article(body: str, headline: str = "Headline") -> ArticleText:
    return ArticleText("0123456789abcdef", headline, body, None, None)


def seed(name: str) -> ArticleText:
    """The first article of a seed file, parsed the way the pipeline parses it."""
    registry = load_registry(REPO_ROOT / "sources.yaml")
    items, _ = read_path(str(SEEDS / name))
    item = items[0]
    if item.source_kind == "text":
        parsed = parse_wire_text(clean_text(item.text), registry)
    else:
        parsed = parse_item_text(clean_text(item.headline or ""), clean_text(item.text), registry)
    body = "\n\n".join(p.text for p in parsed.paragraphs)
    return ArticleText("0123456789abcdef", parsed.headline, body, parsed.header_date, None)


def themes_of(text: ArticleText, taxonomy: Taxonomy) -> set[str]:
    return {hit.theme for hit in find_themes(text, taxonomy)}


def assert_offsets(text: ArticleText, taxonomy: Taxonomy) -> None:
    hits = find_themes(text, taxonomy)
    for hit in hits:
        assert text.body[hit.char_start : hit.char_end] == hit.evidence
        assert hit.evidence and hit.article_id == text.article_id
    keys = [(hit.theme, hit.char_start) for hit in hits]
    assert len(keys) == len(set(keys)), "the themes table is unique on (article, theme, char_start)"
    assert [h.char_start for h in hits] == sorted(h.char_start for h in hits)


# --- the taxonomy file ----------------------------------------------------------------------


def test_taxonomy_has_the_required_themes_in_every_language(taxonomy):
    assert set(taxonomy.ids) >= REQUIRED_THEMES
    for theme in taxonomy.themes:
        assert theme.label and theme.description
        assert set(theme.keywords) | set(theme.patterns) == LANGUAGES, theme.id


# --- the seeds ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("002_3a0b39f4f30f4f20.txt", {"disinformation", "media_cooperation", "public_diplomacy", "armed_conflict"}),
        ("000_a24507a823bb7c72.txt", {"media_cooperation", "digital_media", "urban_development"}),
        ("sample_07_aa_ankara_tr.txt", {"disinformation"}),
        ("sample_01_ap_washington_video.txt", {"disinformation"}),
        ("sample_02_reuters_paris.txt", {"elections"}),
        ("sample_04_trend_az_baki.txt", {"media_cooperation", "digital_media"}),
        ("sample_05_kazinform_ru_astana.txt", {"media_cooperation"}),
        ("sample_06_uza_uz_toshkent.txt", {"digital_media", "disinformation"}),
    ],
)
def test_seed_themes(taxonomy, name, expected):
    text = seed(name)
    assert expected <= themes_of(text, taxonomy)
    assert_offsets(text, taxonomy)


def test_seed_002_evidence(taxonomy):
    hits = find_themes(seed("002_3a0b39f4f30f4f20.txt"), taxonomy)
    evidence = {(h.theme, h.evidence) for h in hits}
    assert {
        ("disinformation", "fake news"),
        ("disinformation", "disinformation"),
        ("public_diplomacy", "public diplomacy"),
        ("media_cooperation", "Joint Media Platform"),
        ("armed_conflict", "cease-fire"),
        ("armed_conflict", "44-day conflict"),
    } <= evidence
    assert not {"economy", "elections", "urban_development"} & {h.theme for h in hits}


def test_sample_07_turkish_evidence_keeps_its_suffixes(taxonomy):
    hits = [h for h in find_themes(seed("sample_07_aa_ankara_tr.txt"), taxonomy) if h.theme == "disinformation"]
    assert [h.evidence for h in hits] == ["dezenformasyonla", "asılsız iddialara", "Dezenformasyonla"]


def test_every_seed_file_keeps_the_offset_invariant(taxonomy):
    for path in sorted(SEEDS.iterdir()):
        assert_offsets(seed(path.name), taxonomy)


# --- texts without themes -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "The national football team beat Georgia 2-1 in Tbilisi on Sunday.\n\n"
        "Heavy snow and strong winds are expected in the mountains on Monday, forecasters said, "
        "with temperatures falling to minus 15 degrees. The award-winning coach warmly thanked the fans in Warsaw.",
        "Galatasaray, Fenerbahçe'yi 2-1 yendi. Meteoroloji, yarın İstanbul'da kuvvetli yağış ve kar bekleniyor dedi.",
        "Сборная Казахстана по футболу обыграла соперника со счетом 2:1. "
        "В среду в Астане ожидается снег и сильный ветер.",
        "Bakıda sabah güclü külək əsəcək, temperatur 5 dərəcəyə qədər enəcək. Futbol üzrə millimiz qalib gəlib.",
        "Toshkentda ertaga qor yogʻishi kutilmoqda. Futbol boʻyicha terma jamoa gʻalaba qozondi.",
    ],
)
def test_sports_and_weather_have_no_theme(taxonomy, body):
    assert find_themes(article(body), taxonomy) == []


# --- morphology, case and word boundaries ---------------------------------------------------


@pytest.mark.parametrize(
    ("body", "theme", "evidence"),
    [
        ("Kurum dezenformasyonu ve dezenformasyona karşı uyardı.", "disinformation", "dezenformasyonu"),
        ("Bakanlık DEZENFORMASYONLA mücadele ediyor.", "disinformation", "DEZENFORMASYONLA"),
        ("ASILSIZ İDDİALAR yayıldı.", "disinformation", "ASILSIZ İDDİALAR"),
        ("Agentlik dezinformasiyaya qarşı mübarizə aparır.", "disinformation", "dezinformasiyaya"),
        ("Ведомство опровергло распространение дезинформации о выборах.", "disinformation", "дезинформации"),
        ("Борьба с дезинформацией продолжается.", "disinformation", "дезинформацией"),
        ("Министрлік жалған ақпараттың таралуына қарсы.", "disinformation", "жалған ақпараттың"),
        ("Agentlik yolgʻon xabarlarni fosh qildi.", "disinformation", "yolgʻon xabarlarni"),
        ("Agentlik yolg‘on xabarlarni fosh qildi.", "disinformation", "yolg‘on xabarlarni"),
        ("Forum ŞEHİRCİLİK sorunlarını ele aldı.", "urban_development", "ŞEHİRCİLİK"),
        ("Forum şehircilik sorunlarını ele aldı.", "urban_development", "şehircilik"),
        ("Panel YAPAY ZEKA ve medya konusunu tartıştı.", "digital_media", "YAPAY ZEKA"),
        ("Ilham Aliyev addressed the WUF13 session.", "urban_development", "WUF13"),
        ("Talks on fact checking and fact-checkers continued.", "disinformation", "fact checking"),
        ("The two agencies signed a deal on the exchange   of news.", "media_cooperation", "exchange   of news"),
        ("Стороны обсудили вопросы публичной дипломатии.", "public_diplomacy", "публичной дипломатии"),
        ("В Казахстане прошли выборы в парламент.", "elections", "выборы"),
        ("Turkiyada saylovlar boʻlib oʻtdi.", "elections", "saylovlar"),
        ("Relations have been tense since the war ended.", "armed_conflict", "war"),
        ("Ekspertlər iqtisadi artımı müzakirə ediblər.", "economy", "iqtisadi"),
    ],
)
def test_matches_inflections_and_case(taxonomy, body, theme, evidence):
    hits = [h for h in find_themes(article(body), taxonomy) if h.theme == theme]
    assert hits and hits[0].evidence == evidence
    assert body[hits[0].char_start : hits[0].char_end] == evidence


@pytest.mark.parametrize(
    "body",
    [
        "The warm reception in Warsaw earned the software company an award.",  # war inside words
        "It is of great importance for the trademark owners.",  # import*, trade inside words
        "Выбор пал на нового тренера.",  # singular "выбор" is a choice, not an election
        "Он кандидат наук и работает в университете.",  # an academic degree
        "The minister declared a conflict of interest.",
    ],
)
def test_whole_words_only_and_known_false_friends(taxonomy, body):
    assert find_themes(article(body), taxonomy) == []


def test_headline_is_not_searched_so_offsets_always_index_the_body(taxonomy):
    text = article("The weather was mild.", headline="Disinformation in the war")
    assert find_themes(text, taxonomy) == []


def test_themes_may_share_words_but_one_theme_never_overlaps_itself(taxonomy):
    text = article("They discussed the information war and public diplomacy in the information war era.")
    hits = find_themes(text, taxonomy)
    assert {"disinformation", "armed_conflict", "public_diplomacy"} <= {h.theme for h in hits}
    for theme in {h.theme for h in hits}:
        spans = sorted((h.char_start, h.char_end) for h in hits if h.theme == theme)
        assert all(end <= start for (_, end), (start, _) in pairwise(spans))
    assert_offsets(text, taxonomy)


def test_regexes_are_compiled_at_load_time_not_per_article(taxonomy, monkeypatch):
    def no_compile(*args, **kwargs):
        raise AssertionError("find_themes compiled a regex")

    text = seed("002_3a0b39f4f30f4f20.txt")
    monkeypatch.setattr(re, "compile", no_compile)
    assert find_themes(text, taxonomy)


# --- keywords and validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("keyword", "matches", "misses"),
    [
        ("dezenformasyon*", ["dezenformasyon", "dezenformasyonla"], ["dezenforma"]),
        ("fake news", ["fake news", "Fake\nNews"], ["fakenews"]),
        ("fact-check*", ["fact-checkers", "fact check", "factchecking"], ["fact"]),
        ("yolg'on xabar*", ["yolg'on xabar", "yolgʻon xabarlar", "yolg’on xabari"], ["yolgon xabar"]),
    ],
)
def test_keyword_regex(keyword, matches, misses):
    pattern = re.compile(keyword_regex(keyword), re.IGNORECASE)
    assert all(pattern.fullmatch(text) for text in matches)
    assert not any(pattern.fullmatch(text) for text in misses)


def minimal(**theme):
    entry = {"id": "elections", "label": "Elections", "description": "Voting.", "keywords": {"en": ["election*"]}}
    entry.update(theme)
    return {"themes": [{k: v for k, v in entry.items() if v is not None}]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected a mapping with a 'themes' list"),
        ({"themes": []}, "'themes' list is empty"),
        ({"themes": ["elections"]}, "theme #1: expected a mapping"),
        (minimal(id="Elections"), "theme #1: field 'id'"),
        (minimal(label=None), "(elections): field 'label'"),
        (minimal(description="  "), "(elections): field 'description'"),
        (minimal(keyword={"en": ["vote"]}), "(elections): unknown field(s) keyword"),
        (minimal(keywords={"english": ["vote"]}), "(elections): field 'keywords': 'english' is not a two-letter"),
        (minimal(keywords={"en": "vote"}), "(elections): field 'keywords.en': expected a list"),
        (minimal(keywords={"en": ["vo*te"]}), "(elections): field 'keywords.en': keyword 'vo*te'"),
        (minimal(patterns={"ru": ["выбор(ы"]}), "(elections): field 'patterns.ru': 'выбор(ы' does not compile"),
        (minimal(patterns={"ru": [r"\w*"]}), "(elections): field 'patterns.ru': '\\\\w*' matches the empty string"),
        (minimal(keywords={}, patterns={}), "(elections): no keywords or patterns"),
    ],
)
def test_validation_names_theme_and_field(data, message):
    with pytest.raises(TaxonomyError) as error:
        parse_taxonomy(data, origin="themes.yaml")
    assert message in str(error.value)
    assert str(error.value).startswith("themes.yaml")


def test_duplicate_ids_are_refused():
    data = minimal()
    data["themes"].append(dict(data["themes"][0]))
    with pytest.raises(TaxonomyError, match=r"theme 'elections': field 'id': duplicate id"):
        parse_taxonomy(data)


def test_load_taxonomy_reports_bad_yaml_with_the_file_name(tmp_path):
    path = tmp_path / "themes.yaml"
    path.write_text("themes: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"themes\.yaml: not valid YAML"):
        load_taxonomy(path)


def test_a_small_taxonomy_from_a_file(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(
        "themes:\n"
        "  - id: elections\n    label: Elections\n    description: Voting.\n"
        "    keywords: {tr: [seçim*]}\n    patterns: {ru: ['выбор(?:ы|ов)']}\n",
        encoding="utf-8",
    )
    taxonomy = load_taxonomy(path)
    assert taxonomy.ids == ("elections",)
    hits = find_themes(article("Seçimlerin ardından выборов не будет. SEÇİM bitti."), taxonomy)
    assert [h.evidence for h in hits] == ["Seçimlerin", "выборов", "SEÇİM"]
