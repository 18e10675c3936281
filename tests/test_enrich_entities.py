"""Entity extraction: people with roles, organisations with acronyms, places with codes, one id per entity."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.eval_entities import seed_articles
from media_etl.enrich.entities import entity_id_for, entity_key, extract_mentions
from media_etl.enrich.records import ArticleText, Mention
from media_etl.text.names import name_skeleton
from schemas.vocabularies import ENTITY_TYPES, ORGANISATION, PERSON, PLACE

SEED_000 = "seeds/000_a24507a823bb7c72.txt"
SEED_002 = "seeds/002_3a0b39f4f30f4f20.txt"


@pytest.fixture(scope="module")
def seeds() -> dict[str, ArticleText]:
    return seed_articles()


@pytest.fixture(scope="module")
def mentions(seeds) -> dict[str, list[Mention]]:
    return {label: extract_mentions(article) for label, article in seeds.items()}


def article(body: str, language: str | None = None) -> ArticleText:
    return ArticleText("0123456789abcdef", "headline", body, date(2025, 11, 27), language)


def found(body: str, language: str | None = None) -> list[tuple[str, str]]:
    return [(m.entity_type, m.surface) for m in extract_mentions(article(body, language))]


def by_surface(items: list[Mention], surface: str, entity_type: str | None = None) -> list[Mention]:
    return [m for m in items if m.surface == surface and (entity_type is None or m.entity_type == entity_type)]


# ----- invariants on every seed and sample ---------------------------------------------------


def test_every_seed_and_sample_is_read(seeds):
    assert SEED_000 in seeds and SEED_002 in seeds
    assert len(seeds) >= 13


def test_offsets_types_and_ids_hold_on_every_seed_and_sample(seeds, mentions):
    for label, items in mentions.items():
        body = seeds[label].body
        assert items == sorted(items, key=lambda m: (m.char_start, m.char_end)), label
        for m in items:
            assert body[m.char_start : m.char_end] == m.surface, (label, m)
            assert m.entity_type in ENTITY_TYPES
            assert re.fullmatch(r"[0-9a-f]{16}", m.entity_id)
            assert m.canonical_name and not re.search("[\u0400-\u04ff]", m.canonical_name), m
            # The id is a pure function of type and canonical name: no state shared between articles.
            assert m.entity_id == entity_id_for(m.entity_type, m.canonical_name), m
            if m.entity_type != PLACE:
                assert (m.country, m.latitude, m.longitude) == (None, None, None)
        spans = [(m.char_start, m.char_end, m.entity_type) for m in items]
        assert len(spans) == len(set(spans)), label


def test_extraction_is_deterministic(seeds, mentions):
    for label, items in mentions.items():
        assert extract_mentions(seeds[label]) == items


def test_empty_body_has_no_mentions():
    assert extract_mentions(article("")) == []


# ----- people and roles ------------------------------------------------------------------------

SEED_PEOPLE = [
    (SEED_000, "Elmira Musazadeh", "Chief Editor of CBC TV Azerbaijan, Head of News, Special Projects, and SMM"),
    (
        SEED_000,
        "Sevil Mikayilova",
        "MP; Member of the Supervisory Board of the Media Development Agency, Vice President of the "
        "International Parliamentary Union (IPU) from Azerbaijan",
    ),
    (
        SEED_000,
        "Makpal Ukenova",
        "Director of the Balapan Channel of the Republic of Kazakhstan's National Television and Radio Corporation",
    ),
    (SEED_000, "Alptekin Cihangir İşbilir", "Press Counselor at the Embassy of Türkiye in Azerbaijan"),
    (
        SEED_000,
        "Tokhir Umarov",
        "Head of the Content Production Department for Mass Media under the Administration of the President "
        "of Uzbekistan",
    ),
    (SEED_000, "Mustafa Lakadamyalı", "Deputy Minister of Foreign Affairs of the Turkish Republic of Northern Cyprus"),
    (SEED_000, "Eldar Rasulov", "Media Relations Manager of the WUF13 Azerbaijan Operations Company"),
    (SEED_002, "Fahrettin Altun", "Communications Director"),
    (SEED_002, "Hikmet Hajiyev", "presidential aide"),
]


@pytest.mark.parametrize(("label", "name", "role"), SEED_PEOPLE)
def test_every_seed_person_is_found_with_the_role(mentions, label, name, role):
    (person,) = by_surface(mentions[label], name, PERSON)
    assert person.canonical_name == name
    assert person.role == role


def test_surname_only_mentions_resolve_to_the_full_name(mentions):
    items = mentions[SEED_002]
    altun = by_surface(items, "Fahrettin Altun")[0].entity_id
    hajiyev = by_surface(items, "Hikmet Hajiyev")[0].entity_id
    assert [m.entity_id for m in by_surface(items, "Altun")] == [altun] * 5
    assert [m.entity_id for m in by_surface(items, "Hajiyev")] == [hajiyev] * 2
    assert {m.canonical_name for m in by_surface(items, "Altun")} == {"Fahrettin Altun"}
    assert all(m.role is None for m in by_surface(items, "Altun"))


def test_possessive_country_is_context_not_role(mentions):
    items = mentions[SEED_002]
    first_turkey = by_surface(items, "Turkey", PLACE)[0]
    assert first_turkey.char_end < by_surface(items, "Fahrettin Altun")[0].char_start
    assert by_surface(items, "Communications Directorate", ORGANISATION)


def test_title_abbreviation_honorific_and_said_cues():
    assert (PERSON, "Matt Bevin") in found("Kentucky voters beat incumbent Gov. Matt Bevin in a close race.")
    assert (PERSON, "Erdoğan") in found("Mr. Erdoğan arrived in Baku on Wednesday.")
    items = extract_mentions(
        article("Jeyhun Bayramov said the talks went well. Bayramov added that more would follow.")
    )
    assert [m.surface for m in items if m.entity_type == PERSON] == ["Jeyhun Bayramov", "Bayramov"]
    assert len({m.entity_id for m in items}) == 1


def test_common_words_are_not_people():
    body = "Officials said the fund would open in March. Analysts said the deal mirrored others."
    assert [m for m in extract_mentions(article(body)) if m.entity_type == PERSON] == []


def test_russian_title_and_inflected_names():
    body = (
        "Президент Казахстана Касым-Жомарт Токаев провел переговоры с президентом Узбекистана "
        "Шавкатом Мирзиёевым в Ташкенте. Токаев отметил рост торговли."
    )
    items = extract_mentions(article(body, "ru"))
    tokayev = by_surface(items, "Касым-Жомарт Токаев")[0]
    assert tokayev.role == "Президент Казахстана"
    assert tokayev.entity_id == entity_id_for(PERSON, "Kassym-Jomart Tokayev")
    assert by_surface(items, "Токаев")[0].entity_id == tokayev.entity_id
    mirziyoyev = by_surface(items, "Шавкатом Мирзиёевым")[0]
    assert mirziyoyev.entity_id == entity_id_for(PERSON, "Shavkat Mirziyoyev")
    assert by_surface(items, "Ташкенте")[0].country == "UZ"


def test_turkish_and_azerbaijani_titles_come_before_the_name():
    items = extract_mentions(
        article("Cumhurbaşkanı Recep Tayyip Erdoğan, Azerbaycan Cumhurbaşkanı İlham Aliyev ile Bakü'de görüştü.", "tr")
    )
    erdogan = by_surface(items, "Recep Tayyip Erdoğan")[0]
    assert erdogan.role == "Cumhurbaşkanı"
    assert erdogan.entity_id == entity_id_for(PERSON, "Recep Tayyip Erdogan")
    assert by_surface(items, "İlham Aliyev")[0].role == "Azerbaycan Cumhurbaşkanı"
    assert by_surface(items, "Bakü")[0].country == "AZ"
    az = extract_mentions(article("Prezidentin köməkçisi Hikmət Hacıyev Bakıda jurnalistlərlə görüşüb.", "az"))
    hajiyev = by_surface(az, "Hikmət Hacıyev")[0]
    assert hajiyev.role == "Prezidentin köməkçisi"
    assert hajiyev.entity_id == entity_id_for(PERSON, "Hikmet Hajiyev")


# ----- organisations ---------------------------------------------------------------------------


def test_acronym_and_long_form_are_one_entity(mentions):
    items = mentions[SEED_000]
    ots = {m.entity_id for m in items if m.surface in {"OTS", "Organization of Turkic States"}}
    assert len(ots) == 1 and len(by_surface(items, "OTS")) == 3
    wuf = {m.entity_id for m in items if m.surface in {"WUF13", "World Urban Forum"}}
    assert len(wuf) == 1
    assert {m.canonical_name for m in by_surface(items, "WUF13")} == {"World Urban Forum"}
    ipu = {m.entity_id for m in items if m.surface in {"IPU", "International Parliamentary Union"}}
    assert len(ipu) == 1


@pytest.mark.parametrize(
    "name",
    [
        "Media Development Agency",
        "Embassy of Türkiye",
        "Administration of the President of Uzbekistan",
        "National Television and Radio Corporation",
        "Balapan Channel",
        "CBC TV Azerbaijan",
        "WUF13 Azerbaijan Operations Company",
    ],
)
def test_seed_organisations(mentions, name):
    assert by_surface(mentions[SEED_000], name, ORGANISATION)


def test_generic_and_indefinite_bodies_are_not_organisations(mentions):
    surfaces = {m.surface for m in mentions[SEED_000]}
    assert "Supervisory Board" not in surfaces and "Media Center" not in surfaces and "SMM" not in surfaces


def test_news_agencies_and_organisations_across_languages():
    body = "The forum was attended by Trend News Agency, AZERTAC, Kabar and Anadolu Agency (AA)."
    assert [s for t, s in found(body) if t == ORGANISATION] == [
        "Trend News Agency",
        "AZERTAC",
        "Kabar",
        "Anadolu Agency",
        "AA",
    ]
    ids = {
        entity_id_for(ORGANISATION, name)
        for name in (
            "OTS",
            "Organisation of Turkic States",
            "Türk Devletleri Teşkilatı",
            "Организация тюркских государств",
        )
    }
    assert len(ids) == 1
    assert entity_id_for(ORGANISATION, "İletişim Başkanlığı") == entity_id_for(
        ORGANISATION, "Communications Directorate"
    )
    assert (ORGANISATION, "İletişim Başkanlığı") in found("İletişim Başkanlığı, raporu kamuoyuyla paylaştı.", "tr")


def test_head_complement_coordination():
    body = "The Ministry of Digital Development, Innovation and Aerospace Industry of Kazakhstan announced a tender."
    assert found(body) == [
        (ORGANISATION, "Ministry of Digital Development, Innovation and Aerospace Industry of Kazakhstan")
    ]


# ----- places ----------------------------------------------------------------------------------


def test_places_have_codes_and_coordinates(mentions):
    items = mentions[SEED_002]
    (istanbul,) = by_surface(items, "Istanbul")
    assert (istanbul.country, istanbul.canonical_name) == ("TR", "Istanbul")
    assert istanbul.latitude == pytest.approx(41.0, abs=0.2) and istanbul.longitude == pytest.approx(29.0, abs=0.2)
    baku = by_surface(mentions[SEED_000], "Baku")
    assert len(baku) == 2 and all(m.country == "AZ" and m.latitude for m in baku)
    for surface in ("Nagorno-Karabakh", "Karabakh", "Upper Karabakh"):
        assert {m.country for m in by_surface(items, surface, PLACE)} == {"AZ"}
    assert {m.entity_id for m in items if m.surface in {"Nagorno-Karabakh", "Upper Karabakh"}} == {
        entity_id_for(PLACE, "Nagorno-Karabakh")
    }
    turkey = by_surface(items, "Turkey", PLACE)
    assert len(turkey) == 9 and {(m.country, m.canonical_name) for m in turkey} == {("TR", "Türkiye")}
    assert by_surface(mentions[SEED_000], "Republic of Kazakhstan")[0].country == "KZ"


def test_hyphenated_pairs_name_both_countries(mentions):
    body = mentions[SEED_002]
    pair = [m for m in body if 1200 <= m.char_start <= 1225]
    assert [(m.surface, m.country) for m in pair] == [("Turkey", "TR"), ("Azerbaijan", "AZ")]


def test_demonyms_are_not_places(mentions):
    surfaces = {m.surface for items in mentions.values() for m in items}
    assert not surfaces & {"Azerbaijani", "Turkish", "Armenian", "Soviet", "Russian", "Kazakh", "Uzbek"}


def test_turkic_case_endings_and_russian_inflection():
    assert found("Türkiye'nin başkenti Ankara'dır.", "tr") == [(PLACE, "Türkiye"), (PLACE, "Ankara")]
    items = extract_mentions(article("Türk Dövlətləri Təşkilatının Media Forumu Bakıda işə başlayıb.", "az"))
    (baki,) = by_surface(items, "Bakı")
    assert (baki.canonical_name, baki.country) == ("Baku", "AZ")
    items = extract_mentions(article("Руководители агентств обсудили в Астане обмен новостями.", "ru"))
    assert [(m.surface, m.canonical_name, m.country) for m in items] == [("Астане", "Astana", "KZ")]
    assert found("Қазақстан Республикасы мен Қытай арасындағы сауда өсті.", "kk")[:1] == [
        (PLACE, "Қазақстан Республикасы")
    ]


# ----- identity across spellings and scripts ---------------------------------------------------


@pytest.mark.parametrize(
    ("entity_type", "names"),
    [
        (PERSON, ["Hajiyev", "Hacıyev", "Гаджиев", "Hajiev"]),
        (PERSON, ["Aliyev", "Əliyev", "Алиев", "Aliev"]),
        (PERSON, ["Hikmet Hajiyev", "Hikmət Hacıyev", "Хикмет Гаджиев"]),
        (PERSON, ["Ilham Aliyev", "İlham Əliyev", "Ильхам Алиев"]),
        (PERSON, ["Kassym-Jomart Tokayev", "Касым-Жомарт Токаев", "Қасым-Жомарт Тоқаев", "Qasym-Jomart Toqaev"]),
        (PERSON, ["Recep Tayyip Erdoğan", "Recep Tayyip Erdogan", "Реджеп Тайип Эрдоган"]),
        (PERSON, ["Mevlüt Çavuşoğlu", "Mevlut Cavusoglu", "Мевлют Чавушоглу"]),
        (PERSON, ["Elmira Musazadeh", "Elmira Musazade", "Эльмира Мусазаде"]),
        (PLACE, ["Türkiye", "Turkey", "Турция", "Türkiyə", "Түркия", "TÜRKİYE"]),
        (PLACE, ["Baku", "Bakı", "Баку", "BAKU"]),
        (PLACE, ["Nagorno-Karabakh", "Upper Karabakh", "Dağlıq Qarabağ", "Нагорный Карабах"]),
        (PLACE, ["Kazakhstan", "Republic of Kazakhstan", "Қазақстан", "Казахстан", "Qazaqstan"]),
        (ORGANISATION, ["Anadolu Agency", "AA", "Anadolu Ajansı"]),
        (ORGANISATION, ["United Nations", "UN", "ООН", "Birleşmiş Milletler"]),
    ],
)
def test_one_entity_across_spellings_and_scripts(entity_type, names):
    assert len({entity_id_for(entity_type, name) for name in names}) == 1, [entity_key(entity_type, n) for n in names]


def test_different_people_keep_different_ids():
    assert entity_id_for(PERSON, "Ilham Aliyev") != entity_id_for(PERSON, "Mehriban Aliyeva Pashayeva")
    assert entity_id_for(PERSON, "Hikmet Hajiyev") != entity_id_for(PERSON, "Hikmet Hasanov")
    assert entity_id_for(PLACE, "Baku") != entity_id_for(PLACE, "Azerbaijan")


def test_entity_keys_and_ids_are_documented_forms():
    assert entity_key(PERSON, "Гаджиев") == name_skeleton("Hajiyev") == "hjv"
    assert entity_key(PLACE, "Turkey") == "country:TR"
    assert entity_key(ORGANISATION, "The Organisation of Turkic States") == "organization of turkic states"
    assert re.fullmatch(r"[0-9a-f]{16}", entity_id_for(PERSON, "Hikmet Hajiyev"))
    with pytest.raises(ValueError, match="unknown entity type"):
        entity_key("event", "Media Forum")


def test_same_person_gets_one_id_in_two_articles():
    first = extract_mentions(article("Azerbaijani presidential aide Hikmet Hajiyev met journalists in Baku."))
    second = extract_mentions(
        article("Помощник президента Азербайджана Хикмет Гаджиев встретился с журналистами.", "ru")
    )
    latin = by_surface(first, "Hikmet Hajiyev")[0]
    cyrillic = by_surface(second, "Хикмет Гаджиев")[0]
    assert latin.entity_id == cyrillic.entity_id
    assert latin.canonical_name == "Hikmet Hajiyev" and cyrillic.canonical_name == "Khikmet Gadzhiyev"


SOUP = (
    "Baku Bakıda Türkiye'nin Turkey’s OTS (OTS) Organization of the Turkic States said President Ilham Aliyev , . ; "
    "“ ” - – Nagorno-Karabakh Астане Тоқаевтың Президент Касым-Жомарт Токаев U.S. J. Smith MP Director Head "
    "Ministry Agency and a an the WUF13 ( ) İ ı ə Ş ' ’ Mr. Gov. облысы Солтүстік Қазақстан A.Ş. 123 Hajiyev Altun"
)
WORDS = SOUP.split()


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.sampled_from([*WORDS, "\n\n"]), max_size=50),
    language=st.sampled_from([None, "en", "ru", "kk", "tr", "az"]),
)
def test_offsets_hold_on_any_word_soup(words, language):
    body = " ".join(words)
    for m in extract_mentions(article(body, language)):
        assert m.surface and body[m.char_start : m.char_end] == m.surface


def test_turkish_common_words_are_not_places_under_a_cut_suffix():
    # Turkish puts an apostrophe before a name's case ending: Sanayi (industry) is not Sana + -yi.
    items = extract_mentions(article("Sanayi üretimi arttı. Bakan Bakü'de konuştu.", "tr"))
    assert [(m.surface, m.canonical_name) for m in items if m.entity_type == PLACE] == [("Bakü", "Baku")]


def test_turkic_organisation_names_lose_their_case_ending():
    items = extract_mentions(article("Mevduat sahipleri Silikon Vadisi Bankasına yöneldi.", "tr"))
    (bank,) = [m for m in items if m.entity_type == ORGANISATION]
    assert bank.surface == "Silikon Vadisi Bankasına"
    assert bank.canonical_name == "Silikon Vadisi Bankası"
    assert bank.entity_id == entity_id_for(ORGANISATION, "Silikon Vadisi Bankası")
