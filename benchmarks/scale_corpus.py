"""Scale real news text up to a large wire-copy corpus (and a set of HTML pages) for benchmarks.

    .venv/bin/python benchmarks/scale_corpus.py --n 100000 --out /tmp/corpus [--seed 1] [--near-dup-share 0.05]
    .venv/bin/python benchmarks/scale_corpus.py --n 0 --html 2000 --out /tmp/pages

**Text.** ``--n N`` writes N plain-text articles in the layout of ``seeds/*.txt`` to
``OUT/text/<shard>/<number>.txt``, 1000 files per shard folder: an optional
`` date YYYY-MM-DD`` marker with the headline (sometimes tagged ``(PHOTO)`` or ``(UPDATED)``),
an optional ``Details added: first version posted on HH:MM`` note, a dateline in the form the
crediting agency uses (``BAKU, Azerbaijan, November 27.`` … ``, Trend reports.``,
``WASHINGTON (AP) —``, ``PARIS, Aug 31 (Reuters) -``, ``ISTANBUL, 12 March 2024 /Trend/``,
``Bakı, 27 noyabr. /Trend/``, ``АСТАНА. 12 марта. КАЗИНФОРМ -``, ``Toshkent, 5-mart /UzA/``,
``ANKARA (AA) -``, a bare ``BAKU`` line with ``Source: AZERTAC``) and paragraphs.

The words are real: the plain-text seeds (parsed with the ETL's own wire parser, so their
datelines and credits are not repeated), and when ``../shared/corpora`` is present, the
tr-news articles (Turkish), the article-extraction-benchmark bodies (English; headlines
from the pages' ``<title>``) and KazNERD's Kazakh TV-news sentences, grouped into articles
of 5-12 consecutive sentences. A corpus that is absent is skipped with a note, down to the
seeds alone.

Each article takes the headline and lead sentence of one source article (sometimes the rest
of its first paragraph), one or two more of its paragraphs and two to four paragraphs of other
articles in the same language, up to about 450 words, so that two articles drawn from one
source rarely share half their text; it gets a random date (2023-2025), dateline city and
agency style, and now and then two sentences swapped. One number in the body is replaced by
the article's serial number, so no two originals are the same article (the ETL identifies an
article by a hash of headline and body). Languages are drawn by the square root of the text
each offers (with the corpora: about 42% Kazakh, 37% English, 20% Turkish; Azerbaijani, Russian
and Uzbek have a seed article each and are drawn rarely, and their articles resemble each other).

A share of the files (``--near-dup-share``, default 0.05) are **near-duplicates**: a copy of an
earlier article of the same shard with one to three words deleted or doubled, sometimes its
last paragraph dropped, a rewritten headline, a date a day later or another agency's dateline
and credit. ``OUT/manifest.csv`` lists every file with ``kind`` (original or near_dup),
``dup_of`` (the copied file) and its language and style, so the planted share is known.
Checked on 5,000 articles with the ETL's story clustering (``media_etl.enrich.near_duplicates``):
474 of the 478 articles in planted pairs were clustered, and 37 others (0.7%, mostly the
seed-only languages).

**HTML.** ``--html N`` writes N pages to ``OUT/html/<shard>/<number>.html``: the
article-extraction-benchmark pages (``aeb/html/*.html.gz``), decompressed, in turn, each
with a comment and a title token naming its number so that no two files hash alike
(without the corpus: ``seeds/sample_10_azertac_page.html``). ``OUT/html_manifest.csv``
names each page's source.

The same arguments give the same files, byte for byte. Shards are written in parallel
(``--jobs``, default all cores) with plain ``open``/``write``; a million articles take a few
minutes. The command line writes ``OUT/corpus.json`` last, with its arguments, so a reader
can tell a finished corpus from an interrupted one. ``OUT/text`` and ``OUT/html`` are replaced.

    from benchmarks.scale_corpus import build_corpus, build_html
    build_corpus(Path("/tmp/corpus"), 10_000, seed=1)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import html
import json
import math
import multiprocessing
import os
import pickle
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS = REPO_ROOT / "seeds"
CORPORA = REPO_ROOT.parent / "shared" / "corpora"
SHARD_SIZE = 1000
FORMAT_VERSION = 3
FIRST_DAY = date(2023, 1, 1)
DAYS = 3 * 365
MAX_WORDS = 450
TAG_SHARE = 0.1
UPDATE_NOTE_SHARE = 0.25
SWAP_SHARE = 0.3
STYLE_CHANGE_SHARE = 0.5

Log = Callable[[str], None]

# Sentence ends: an end mark, spaces, then a capital, digit or opening quote.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,4}(?![\w.,%])")
_LEADING_CREDIT = re.compile(r"^\((?:[^()]{1,30})\)\s*[-—–]\s*")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_FIRST_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_META_TITLE = re.compile(
    r"""(<meta\b[^>]*?(?:property|name)=["'](?:og|twitter):title["'][^>]*?content=")([^"]*)(")""", re.IGNORECASE
)
_JSON_LD_HEADLINE = re.compile(r'("headline"\s*:\s*"(?:[^"\\]|\\.)*)(")')
_KAZNERD_ID = re.compile(r"[A-Z]ID\d+")
_NO_SPACE_BEFORE = frozenset(".,:;!?)]»%…")
_NO_SPACE_AFTER = frozenset("([«")


def _names(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


EN_MONTHS = _names("January February March April May June July August September October November December")
EN_ABBREVIATED = _names("Jan Feb March April May June July Aug Sept Oct Nov Dec")
TR_MONTHS = _names("Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık")
AZ_MONTHS = _names("yanvar fevral mart aprel may iyun iyul avqust sentyabr oktyabr noyabr dekabr")
RU_MONTHS = _names("января февраля марта апреля мая июня июля августа сентября октября ноября декабря")
KK_MONTHS = _names("қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан")
UZ_MONTHS = _names("yanvar fevral mart aprel may iyun iyul avgust sentabr oktabr noyabr dekabr")

# Where a unique number cannot be put into the copy's own words (seeds-only runs): one short sentence.
NUMBER_SENTENCES = {
    "en": "The figure stood at {n}.",
    "tr": "Rakam {n} olarak açıklandı.",
    "az": "Rəqəm {n} olaraq açıqlanıb.",
    "ru": "Цифра составила {n}.",
    "kk": "Көрсеткіш {n} болды.",
    "uz": "Ko'rsatkich {n} ga yetdi.",
}
HEADLINE_PREFIXES = {
    "en": ("UPDATE: ", "Breaking: "),
    "tr": ("SON DAKİKA: ", "Gündem: "),
    "az": ("Yenilənib: ",),
    "ru": ("Обновлено: ",),
    "kk": ("Жаңарту: ",),
    "uz": ("Yangilandi: ",),
}
TAGS = {
    "en": ("(PHOTO)", "(VIDEO)", "(UPDATED)"),
    "tr": ("(FOTO)", "(VİDEO)"),
    "az": ("(FOTO)", "(VİDEO)"),
    "ru": ("(ФОТО)", "(ВИДЕО)"),
    "kk": ("(ФОТО)", "(ВИДЕО)"),
    "uz": ("(FOTO)", "(VIDEO)"),
}


@dataclass(frozen=True)
class Material:
    """One source article: its language, headline and paragraphs, each a tuple of sentences."""

    language: str
    headline: str
    paragraphs: tuple[tuple[str, ...], ...]
    origin: str


@dataclass
class Pool:
    """Everything one language offers: whole articles, and all their paragraphs to fill bodies with."""

    materials: list[Material] = field(default_factory=list)
    spans: list[range] = field(default_factory=list)
    """Per material, the indexes of its paragraphs in ``paragraphs``."""
    paragraphs: list[tuple[str, ...]] = field(default_factory=list)
    """Every paragraph of every material, as sentences."""
    texts: list[str] = field(default_factory=list)
    """The same paragraphs as text."""
    words: list[int] = field(default_factory=list)
    """Their word counts."""
    numbered: list[int] = field(default_factory=list)
    """Indexes of the paragraphs that hold a number the generator can replace."""

    def add(self, material: Material) -> None:
        """Add one material and its paragraphs."""
        start = len(self.paragraphs)
        for paragraph in material.paragraphs:
            text = " ".join(paragraph)
            if _NUMBER.search(text):
                self.numbered.append(len(self.paragraphs))
            self.paragraphs.append(paragraph)
            self.texts.append(text)
            self.words.append(len(text.split()))
        self.materials.append(material)
        self.spans.append(range(start, len(self.paragraphs)))

    @property
    def weight(self) -> float:
        """How often the language is drawn: grows with its text, and is small for a few seed paragraphs."""
        size = len(self.paragraphs)
        return min(math.sqrt(size), size / 10)


@dataclass(frozen=True)
class Draft:
    """An article before rendering: every random choice made, so a near-duplicate can copy and vary it."""

    language: str
    style: str
    city: int
    day: date
    headline: str
    tag: str
    posted: str | None
    marker_space: bool
    paragraphs: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Text helpers


def sentences(text: str, openers: str = "\"“‘'«") -> list[str]:
    """Split text into sentences at an end mark followed by a capital, digit or opening quote.

    Args:
        text: A paragraph.
        openers: The opening quote marks that may start a sentence.

    Returns:
        Its sentences, stripped, in order.
    """
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        following = text[match.end() : match.end() + 1]
        if following and (following.isupper() or following.isdigit() or following in openers):
            parts.append(text[start : match.start()].strip())
            start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def group_sentences(items: Sequence[str], words_per_paragraph: int = 40) -> tuple[tuple[str, ...], ...]:
    """Group sentences into paragraphs of about ``words_per_paragraph`` words.

    Args:
        items: Sentences in order.
        words_per_paragraph: Words after which a paragraph is closed.

    Returns:
        The paragraphs, each a tuple of sentences.
    """
    grouped: list[tuple[str, ...]] = []
    current: list[str] = []
    words = 0
    for sentence in items:
        current.append(sentence)
        words += len(sentence.split())
        if words >= words_per_paragraph:
            grouped.append(tuple(current))
            current, words = [], 0
    if current:
        grouped.append(tuple(current))
    return tuple(grouped)


def detokenize(tokens: Iterable[str]) -> str:
    """Join word tokens with spaces, except before closing and after opening punctuation.

    Args:
        tokens: Tokens as the corpus lists them.

    Returns:
        The sentence as running text.
    """
    out: list[str] = []
    glue = True
    for token in tokens:
        if out and not glue and token not in _NO_SPACE_BEFORE:
            out.append(" ")
        out.append(token)
        glue = token in _NO_SPACE_AFTER
    return "".join(out)


def headline_from(sentence: str, max_words: int = 12) -> str:
    """Make a headline of a sentence: its first words, without the closing punctuation."""
    words = sentence.split()[:max_words]
    return " ".join(words).rstrip(".,;:!?…—- ")


def _title_of(page: str) -> str | None:
    """The page's ``<title>`` without the site name, or None when too short to be a headline."""
    match = _TITLE.search(page)
    if not match:
        return None
    title = " ".join(html.unescape(match.group(1)).split())
    for separator in (" | ", " - ", " – ", " — "):
        head = title.split(separator)[0].strip()
        if len(head.split()) >= 3:
            title = head
    return title if 3 <= len(title.split()) <= 30 else None


# ---------------------------------------------------------------------------------------------
# Loading the real text


def _language_of(text: str) -> str:
    """Tell the seeds' languages apart by their letters (good enough for the project's own seeds)."""
    if re.search(r"[ҚқҢңӘәҰұҮүӨөІі]", text):
        return "kk"
    if re.search(r"[А-Яа-яЁё]", text):
        return "ru"
    if "ə" in text or "Ə" in text:
        return "az"
    if re.search(r"\b\w+'(?:lib|di|ni|ga|da)\b|o'|g'", text):
        return "uz"
    if re.search(r"[ğĞşŞıİ]", text) and not re.search(r"\b(?:the|and|of)\b", text):
        return "tr"
    return "en"


def seed_materials(seeds: Path) -> list[Material]:
    """Parse the plain-text seeds with the ETL's wire parser into materials.

    Args:
        seeds: The seeds folder.

    Returns:
        One material per ``*.txt`` seed, in file-name order.
    """
    from media_etl.clean.text import clean_text
    from media_etl.parse.wire import ParseError, parse_wire_text
    from media_etl.sources import load_registry

    registry = load_registry(REPO_ROOT / "sources.yaml")
    found = []
    for path in sorted(seeds.glob("*.txt")):
        try:
            parsed = parse_wire_text(clean_text(path.read_text(encoding="utf-8")), registry)
        except ParseError:
            continue
        paragraphs = tuple(tuple(sentences(p.text)) for p in parsed.paragraphs if p.kind == "paragraph")
        if paragraphs:
            language = _language_of(parsed.headline + " " + " ".join(" ".join(p) for p in paragraphs))
            found.append(Material(language, parsed.headline, paragraphs, f"seed:{path.name}"))
    return found


def tr_news_materials(raw: Path) -> list[Material]:
    """Read the tr-news articles (title, one-line content) into materials.

    Args:
        raw: The corpus' ``raw`` folder.

    Returns:
        One material per JSON file with a title and content, in file-name order.
    """
    found = []
    for path in sorted(raw.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        title = " ".join(str(record.get("title") or "").split())
        content = " ".join(str(record.get("content") or "").split())
        if title and content:
            found.append(Material("tr", title, group_sentences(sentences(content)), f"tr-news:{path.stem}"))
    return found


def aeb_materials(aeb: Path) -> list[Material]:
    """Read the article-extraction-benchmark bodies into materials, headlines from the pages' titles.

    Args:
        aeb: The corpus folder (``ground-truth.json`` and ``html/``).

    Returns:
        One material per page whose body has a paragraph of eight words or more.
    """
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    found = []
    for key in sorted(truth):
        body = str(truth[key].get("articleBody") or "")
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n+", body)]
        paragraphs = [_LEADING_CREDIT.sub("", p) for p in paragraphs if len(p.split()) >= 8]
        if not paragraphs:
            continue
        page = aeb / "html" / f"{key}.html.gz"
        title = None
        if page.is_file():
            title = _title_of(gzip.decompress(page.read_bytes()).decode("utf-8", "replace"))
        split = tuple(tuple(sentences(p)) for p in paragraphs)
        if title is None:
            title = headline_from(split[0][0])
            split = ((*split[0][1:],), *split[1:]) if len(split[0]) > 1 else split[1:]
        if split:
            found.append(Material("en", title, split, f"aeb:{key}"))
    return found


def kaznerd_materials(kaznerd: Path, seed: int = 20240101) -> list[Material]:
    """Rebuild KazNERD's IOB2 sentences as text and group 5-12 consecutive ones into articles.

    The first sentence of each group gives the headline (its first words); the rest form
    paragraphs of two or three sentences.

    Args:
        kaznerd: The corpus folder.
        seed: Fixes the group sizes.

    Returns:
        The materials, in file order.
    """
    files = sorted(kaznerd.rglob("IOB2_*.txt"))
    texts: list[str] = []
    for path in files:
        tokens: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            token = line.rsplit(" ", 1)[0].strip() if line.strip() else ""
            if token:
                if not tokens and _KAZNERD_ID.fullmatch(token):
                    continue
                tokens.append(token)
            elif tokens:
                texts.append(detokenize(tokens))
                tokens = []
        if tokens:
            texts.append(detokenize(tokens))
    rng = random.Random(seed)
    found = []
    start = 0
    while start < len(texts):
        size = rng.randint(5, 12)
        group = texts[start : start + size]
        start += size
        if len(group) < 3:
            break
        paragraphs: list[tuple[str, ...]] = []
        rest = group[1:]
        while rest:
            take = rng.randint(2, 3)
            paragraphs.append(tuple(rest[:take]))
            rest = rest[take:]
        found.append(Material("kk", headline_from(group[0], 10), tuple(paragraphs), f"kaznerd:{start - size}"))
    return found


def load_pools(seeds: Path = SEEDS, corpora: Path = CORPORA, log: Log | None = None) -> dict[str, Pool]:
    """Load every available source of real text into per-language pools.

    Args:
        seeds: The project's seeds folder.
        corpora: ``../shared/corpora``; absent corpora are skipped with a note.
        log: Where notes go (default: stderr).

    Returns:
        The pools, by language code, in a fixed order.
    """
    say = log or _stderr
    materials = seed_materials(seeds)
    loaders: tuple[tuple[str, Path, Callable[[Path], list[Material]]], ...] = (
        ("tr-news", corpora / "tr-news" / "raw", tr_news_materials),
        ("aeb", corpora / "aeb", aeb_materials),
        ("kaznerd", corpora / "kaznerd", kaznerd_materials),
    )
    for name, path, loader in loaders:
        if path.is_dir():
            materials.extend(loader(path))
        else:
            say(f"note: {path} is absent; the corpus is built without {name}")
    pools: dict[str, Pool] = {}
    for material in materials:
        if material.paragraphs and all(material.paragraphs):
            pools.setdefault(material.language, Pool()).add(material)
    return {language: pools[language] for language in sorted(pools)}


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Agency styles: how a dateline and credit are printed


def _marker(draft: Draft) -> str:
    space = " " if draft.marker_space else ""
    return f"{space}date {draft.day.isoformat()} "


def _head(draft: Draft, *, marker: bool = True) -> str:
    tag = f" {draft.tag}" if draft.tag else ""
    note = f"\n\nDetails added: first version posted on {draft.posted}" if draft.posted else ""
    return f"{_marker(draft) if marker else ''}{draft.headline}{tag}{note}\n\n"


def _lead_and_rest(draft: Draft) -> tuple[str, str]:
    lead, *rest = draft.paragraphs
    return lead, "".join(f"\n\n{p}" for p in rest)


def _trend_en(draft: Draft) -> str:
    city, country = TREND_EN_CITIES[draft.city % len(TREND_EN_CITIES)]
    lead, rest = _lead_and_rest(draft)
    lead = lead.rstrip(" .")
    return (
        f"{_head(draft)}{city}, {country}, {EN_MONTHS[draft.day.month - 1]} {draft.day.day}. "
        f"{lead}, Trend reports.{rest}\n"
    )


def _trend_dated(draft: Draft) -> str:
    city = TREND_DATED_CITIES[draft.city % len(TREND_DATED_CITIES)]
    lead, rest = _lead_and_rest(draft)
    d = draft.day
    return f"{_head(draft, marker=False)}{city}, {d.day} {EN_MONTHS[d.month - 1]} {d.year} /Trend/ {lead}{rest}\n"


def _ap(draft: Draft) -> str:
    city = AP_CITIES[draft.city % len(AP_CITIES)]
    lead, rest = _lead_and_rest(draft)
    return f"{_head(draft)}{city} (AP) — {lead}{rest}\n\nShare this article\n"


def _reuters(draft: Draft) -> str:
    city = REUTERS_CITIES[draft.city % len(REUTERS_CITIES)]
    lead, rest = _lead_and_rest(draft)
    d = draft.day
    return f"{_head(draft)}{city}, {EN_ABBREVIATED[d.month - 1]} {d.day} (Reuters) - {lead}{rest}\n"


def _azertac(draft: Draft) -> str:
    city = AZERTAC_CITIES[draft.city % len(AZERTAC_CITIES)]
    body = "\n\n".join(draft.paragraphs)
    return f"{_head(draft)}{city}\n\n{body}\n\nSource: AZERTAC\n"


def _aa_tr(draft: Draft) -> str:
    city = AA_CITIES[draft.city % len(AA_CITIES)]
    lead, rest = _lead_and_rest(draft)
    return f"{_head(draft, marker=draft.city % 2 == 0)}{city} (AA) - {lead}{rest}\n\nPaylaş\n"


def _trend_tr(draft: Draft) -> str:
    city = TREND_TR_CITIES[draft.city % len(TREND_TR_CITIES)]
    lead, rest = _lead_and_rest(draft)
    d = draft.day
    return f"{_head(draft)}{city}, {d.day} {TR_MONTHS[d.month - 1]} {d.year} /Trend/ {lead}{rest}\n"


def _trend_az(draft: Draft) -> str:
    city = TREND_AZ_CITIES[draft.city % len(TREND_AZ_CITIES)]
    lead, rest = _lead_and_rest(draft)
    return f"{_head(draft)}{city}, {draft.day.day} {AZ_MONTHS[draft.day.month - 1]}. /Trend/ {lead}{rest}\n"


def _kazinform_ru(draft: Draft) -> str:
    city = KAZINFORM_RU_CITIES[draft.city % len(KAZINFORM_RU_CITIES)]
    lead, rest = _lead_and_rest(draft)
    return f"{_head(draft)}{city}. {draft.day.day} {RU_MONTHS[draft.day.month - 1]}. КАЗИНФОРМ - {lead}{rest}\n"


def _kazinform_kk(draft: Draft) -> str:
    city = KAZINFORM_KK_CITIES[draft.city % len(KAZINFORM_KK_CITIES)]
    lead, rest = _lead_and_rest(draft)
    return f"{_head(draft)}{city}. {draft.day.day} {KK_MONTHS[draft.day.month - 1]}. ҚАЗАҚПАРАТ - {lead}{rest}\n"


def _uza(draft: Draft) -> str:
    city = UZA_CITIES[draft.city % len(UZA_CITIES)]
    lead, rest = _lead_and_rest(draft)
    return f"{_head(draft)}{city}, {draft.day.day}-{UZ_MONTHS[draft.day.month - 1]} /UzA/ {lead}{rest}\n"


TREND_EN_CITIES = (
    ("BAKU", "Azerbaijan"),
    ("GANJA", "Azerbaijan"),
    ("SHUSHA", "Azerbaijan"),
    ("ASTANA", "Kazakhstan"),
    ("ALMATY", "Kazakhstan"),
    ("TASHKENT", "Uzbekistan"),
    ("BISHKEK", "Kyrgyzstan"),
    ("ASHGABAT", "Turkmenistan"),
    ("ANKARA", "Türkiye"),
    ("TBILISI", "Georgia"),
)
TREND_DATED_CITIES = ("ISTANBUL", "BAKU", "TBILISI", "ASTANA", "TASHKENT")
AP_CITIES = ("WASHINGTON", "NEW YORK", "LONDON", "CHICAGO")
REUTERS_CITIES = ("PARIS", "LONDON", "BERLIN", "BRUSSELS")
AZERTAC_CITIES = ("BAKU", "GANJA", "SHUSHA")
AA_CITIES = ("ANKARA", "İSTANBUL", "İZMİR", "BURSA", "ANTALYA")
TREND_TR_CITIES = ("İstanbul", "Ankara", "Bakü")
TREND_AZ_CITIES = ("Bakı", "Gəncə", "Sumqayıt", "Şuşa", "Naxçıvan")
KAZINFORM_RU_CITIES = ("АСТАНА", "АЛМАТЫ", "ШЫМКЕНТ", "КАРАГАНДА", "МОСКВА")
KAZINFORM_KK_CITIES = ("АСТАНА", "АЛМАТЫ", "ШЫМКЕНТ", "ҚАРАҒАНДЫ", "ПАВЛОДАР", "АҚТӨБЕ")
UZA_CITIES = ("Toshkent", "Samarqand", "Buxoro", "Nukus", "Andijon")

STYLES: dict[str, tuple[str, Callable[[Draft], str]]] = {
    "trend_en": ("en", _trend_en),
    "trend_dated": ("en", _trend_dated),
    "ap": ("en", _ap),
    "reuters": ("en", _reuters),
    "azertac": ("en", _azertac),
    "aa_tr": ("tr", _aa_tr),
    "trend_tr": ("tr", _trend_tr),
    "trend_az": ("az", _trend_az),
    "kazinform_ru": ("ru", _kazinform_ru),
    "kazinform_kk": ("kk", _kazinform_kk),
    "uza": ("uz", _uza),
}
STYLES_OF: dict[str, tuple[str, ...]] = {
    language: tuple(name for name, (written_in, _) in STYLES.items() if written_in == language)
    for language in dict.fromkeys(language for language, _ in STYLES.values())
}


def render(draft: Draft) -> str:
    """Print a draft as a plain-text wire article in its agency's style.

    Args:
        draft: The article.

    Returns:
        The file's text.
    """
    return STYLES[draft.style][1](draft)


# ---------------------------------------------------------------------------------------------
# Generating


def _with_number(paragraphs: list[str], number: int, pool: Pool, language: str, rng: random.Random) -> list[str]:
    """Put the article's serial number into its text: in place of a number of its own, or of an added paragraph."""
    for i, paragraph in enumerate(paragraphs):
        match = _NUMBER.search(paragraph)
        if match:
            paragraphs[i] = f"{paragraph[: match.start()]}{number}{paragraph[match.end() :]}"
            return paragraphs
    if pool.numbered:
        extra = pool.texts[rng.choice(pool.numbered)]
        match = _NUMBER.search(extra)
        assert match is not None
        paragraphs.insert(rng.randint(1, len(paragraphs)), f"{extra[: match.start()]}{number}{extra[match.end() :]}")
        return paragraphs
    paragraphs[-1] = f"{paragraphs[-1]} {NUMBER_SENTENCES[language].format(n=number)}"
    return paragraphs


def _swapped(paragraph: tuple[str, ...], rng: random.Random) -> str:
    """The paragraph with two adjacent sentences swapped (as it is when it has one sentence)."""
    if len(paragraph) < 2:
        return " ".join(paragraph)
    parts = list(paragraph)
    i = rng.randrange(len(parts) - 1)
    parts[i], parts[i + 1] = parts[i + 1], parts[i]
    return " ".join(parts)


def original(
    number: int, languages: Sequence[str], weights: Sequence[float], pools: dict[str, Pool], rng: random.Random
) -> Draft:
    """Draw a new article: a source article's headline and lead, a body of real paragraphs, a date and a style.

    Args:
        number: The article's serial number (unique in the corpus), written into its text.
        languages: The languages to draw from.
        weights: Their weights.
        pools: The text of each language.
        rng: The shard's random source.

    Returns:
        The draft.
    """
    language = rng.choices(languages, weights)[0]
    pool = pools[language]
    which = rng.randrange(len(pool.materials))
    span = pool.spans[which]
    first = pool.paragraphs[span.start]
    paragraphs = [first[0]]
    if len(first) > 1 and rng.random() < 0.5:
        paragraphs.append(" ".join(first[1:]))
    chosen: list[int] = []
    if len(span) > 1:
        start = rng.randrange(span.start + 1, span.stop)
        chosen.extend(range(start, min(span.stop, start + rng.randint(1, 2))))
    for _ in range(rng.randint(2, 4)):
        chosen.insert(rng.randint(0, len(chosen)), rng.randrange(len(pool.paragraphs)))
    swap = rng.randrange(len(chosen)) if rng.random() < SWAP_SHARE else -1
    words = pool.words[span.start]
    for position, index in enumerate(chosen):
        if words >= MAX_WORDS and len(paragraphs) > 1:
            break
        paragraphs.append(_swapped(pool.paragraphs[index], rng) if position == swap else pool.texts[index])
        words += pool.words[index]
    paragraphs = _with_number(paragraphs, number, pool, language, rng)
    style = rng.choice(STYLES_OF[language])
    tag = rng.choice(TAGS[language]) if rng.random() < TAG_SHARE else ""
    posted = f"{rng.randint(6, 22):02d}:{rng.randrange(60):02d}" if rng.random() < UPDATE_NOTE_SHARE else None
    return Draft(
        language=language,
        style=style,
        city=rng.randrange(1000),
        day=FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
        headline=pool.materials[which].headline,
        tag=tag,
        posted=posted,
        marker_space=rng.random() < 0.5,
        paragraphs=tuple(paragraphs),
    )


def near_duplicate(source: Draft, rng: random.Random) -> Draft:
    """Copy an article with small edits: one to three words deleted or doubled, maybe more.

    Sometimes also the last paragraph dropped, the headline rewritten, the date a day later,
    or the dateline and credit of another agency writing in the same language.

    Args:
        source: The article copied.
        rng: The shard's random source.

    Returns:
        The near-duplicate's draft; its body always differs from the source's.
    """
    paragraphs = list(source.paragraphs)
    if len(paragraphs) >= 3 and rng.random() < 0.3:
        paragraphs.pop()
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(paragraphs))
        words = paragraphs[i].split(" ")
        j = rng.randrange(len(words))
        if len(words) > 3 and rng.random() < 0.5:
            del words[j]
        else:
            words.insert(j, words[j])
        paragraphs[i] = " ".join(words)
    headline = source.headline
    if rng.random() < 0.3:
        headline = rng.choice(HEADLINE_PREFIXES[source.language]) + headline
    style = source.style
    others = [s for s in STYLES_OF[source.language] if s != style]
    if others and rng.random() < STYLE_CHANGE_SHARE:
        style = rng.choice(others)
    day = source.day + timedelta(days=1) if rng.random() < 0.3 else source.day
    return replace(
        source,
        style=style,
        headline=headline,
        day=day,
        city=source.city if rng.random() < 0.5 else rng.randrange(1000),
        paragraphs=tuple(paragraphs),
    )


def _shard_plan(shard: int, size: int, seed: int, near_dup_share: float) -> tuple[random.Random, set[int]]:
    """The shard's random source and which of its positions hold near-duplicates (never the first)."""
    rng = random.Random(f"media-etl-scale:{seed}:{shard}")
    dups = min(round(size * near_dup_share), size - 1)
    return rng, set(rng.sample(range(1, size), dups)) if dups > 0 else set()


_POOLS: dict[str, Pool] = {}


def _init_worker(pools: dict[str, Pool]) -> None:
    _POOLS.clear()
    _POOLS.update(pools)


def _init_worker_from(path: str) -> None:
    with open(path, "rb") as handle:
        _init_worker(pickle.load(handle))


def _file_name(number: int) -> str:
    return f"{number // SHARD_SIZE:05d}/{number:08d}.txt"


def generate_shard(job: tuple[Path, int, int, int, float]) -> list[tuple[str, str, str, str, str]]:
    """Write one shard of articles (in a worker with the pools loaded).

    Args:
        job: The text folder, the shard number, the number of articles in it, the seed and
            the near-duplicate share.

    Returns:
        One manifest row per file: file, kind, dup_of, language, style.
    """
    folder, shard, size, seed, near_dup_share = job
    pools = _POOLS
    languages = list(pools)
    weights = [pools[language].weight for language in languages]
    rng, dup_positions = _shard_plan(shard, size, seed, near_dup_share)
    (folder / f"{shard:05d}").mkdir(parents=True, exist_ok=True)
    root = str(folder)
    drafts: list[Draft] = []
    seen: set[bytes] = set()
    rows = []
    for position in range(size):
        number = shard * SHARD_SIZE + position
        source_position = -1
        for _attempt in range(20):
            if position in dup_positions:
                source_position = rng.randrange(len(drafts))
                draft = near_duplicate(drafts[source_position], rng)
            else:
                draft = original(number, languages, weights, pools, rng)
            key = hashlib.blake2b("\x00".join((draft.headline, *draft.paragraphs)).encode(), digest_size=12).digest()
            if key not in seen:
                break
        else:
            raise RuntimeError(f"could not make a distinct article for file {number}")
        seen.add(key)
        drafts.append(draft)
        name = _file_name(number)
        with open(f"{root}/{name}", "wb") as handle:
            handle.write(render(draft).encode("utf-8"))
        kind = "near_dup" if source_position >= 0 else "original"
        dup_of = _file_name(shard * SHARD_SIZE + source_position) if source_position >= 0 else ""
        rows.append((f"text/{name}", kind, dup_of and f"text/{dup_of}", draft.language, draft.style))
    return rows


def _replace_folder(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _jobs(jobs: int | None) -> int:
    return max(1, jobs or os.cpu_count() or 1)


def build_corpus(
    out: Path,
    n: int,
    *,
    seed: int = 1,
    near_dup_share: float = 0.05,
    jobs: int | None = None,
    seeds: Path = SEEDS,
    corpora: Path = CORPORA,
    log: Log | None = None,
) -> Path:
    """Write ``n`` wire-copy articles to ``out/text`` and their manifest to ``out/manifest.csv``.

    Args:
        out: The output folder; its ``text`` subfolder is replaced.
        n: How many files to write.
        seed: Random seed: the same arguments give the same files.
        near_dup_share: Share of the files that are near-duplicates of an earlier file.
        jobs: Processes writing shards (default: all cores).
        seeds: The project's seeds folder.
        corpora: The third-party corpora folder; absent corpora are skipped with a note.
        log: Where notes go (default: stderr).

    Returns:
        The manifest's path.
    """
    if not 0 <= near_dup_share < 1:
        raise ValueError("near_dup_share must be in [0, 1)")
    pools = load_pools(seeds, corpora, log)
    folder = out / "text"
    _replace_folder(folder)
    shards = [
        (folder, s, min(SHARD_SIZE, n - s * SHARD_SIZE), seed, near_dup_share) for s in range(-(-n // SHARD_SIZE))
    ]
    manifest = out / "manifest.csv"
    processes = min(_jobs(jobs), len(shards))
    with open(manifest, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("file", "kind", "dup_of", "language", "style"))
        if processes <= 1:
            _init_worker(pools)
            for job in shards:
                writer.writerows(generate_shard(job))
        else:
            # The pools go to the workers through a file: a small start-up message cannot leave the
            # parent blocked on a worker that died while starting, and a pool executor (unlike
            # multiprocessing.Pool) fails instead of waiting forever when a worker dies.
            pickled = out / ".pools.pickle"
            with open(pickled, "wb") as dump:
                pickle.dump(pools, dump, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                with ProcessPoolExecutor(
                    processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_init_worker_from,
                    initargs=(str(pickled),),
                ) as workers:
                    for rows in workers.map(generate_shard, shards):
                        writer.writerows(rows)
            finally:
                pickled.unlink(missing_ok=True)
    return manifest


def build_html(
    out: Path, n: int, *, seed: int = 1, seeds: Path = SEEDS, corpora: Path = CORPORA, log: Log | None = None
) -> Path:
    """Write ``n`` HTML pages to ``out/html`` from the benchmark's real pages, each made unique.

    Args:
        out: The output folder; its ``html`` subfolder is replaced.
        n: How many pages to write.
        seed: Shuffles the order the pages are taken in.
        seeds: The project's seeds folder (its HTML sample is the fallback page).
        corpora: The third-party corpora folder.
        log: Where notes go (default: stderr).

    Returns:
        The HTML manifest's path (``out/html_manifest.csv``: file, source).
    """
    say = log or _stderr
    sources = sorted((corpora / "aeb" / "html").glob("*.html.gz"))
    if not sources:
        say(f"note: {corpora / 'aeb' / 'html'} is absent; HTML pages are copies of the seed page")
        sources = sorted(seeds.glob("*.html"))
    if not sources:
        raise FileNotFoundError("no HTML page to scale: neither aeb/html nor a seed page")
    pages = []
    for path in sources:
        data = path.read_bytes()
        pages.append(
            (path.name, (gzip.decompress(data) if path.name.endswith(".gz") else data).decode("utf-8", "replace"))
        )
    random.Random(f"media-etl-html:{seed}").shuffle(pages)
    folder = out / "html"
    _replace_folder(folder)
    manifest = out / "html_manifest.csv"
    with open(manifest, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("file", "source"))
        for number in range(n):
            name, page = pages[number % len(pages)]
            text = mark_page(page, number)
            relative = f"{number // SHARD_SIZE:05d}/{number:08d}.html"
            if number % SHARD_SIZE == 0:
                (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            with open(folder / relative, "w", encoding="utf-8") as page_file:
                page_file.write(text)
            writer.writerow((f"html/{relative}", name))
    return manifest


def mark_page(page: str, number: int) -> str:
    """Make a page unique: a comment naming its number first, and `` #number`` after its headline.

    The number goes at the end of every place a page names its headline (``<title>``, the first
    ``<h1>``, og:title and twitter:title, JSON-LD ``headline``), so that whichever one the reader
    chooses, each copy is a different article (the article id hashes headline and body).

    Args:
        page: The page's HTML.
        number: The page's serial number.

    Returns:
        The marked page.
    """
    mark = f" #{number}"
    for pattern in (_TITLE, _FIRST_H1):
        match = pattern.search(page)
        if match:
            page = f"{page[: match.end(1)]}{mark}{page[match.end(1) :]}"
    page = _META_TITLE.sub(lambda m: f"{m.group(1)}{m.group(2)}{mark}{m.group(3)}", page)
    page = _JSON_LD_HEADLINE.sub(lambda m: f"{m.group(1)}{mark}{m.group(2)}", page)
    return f"<!-- media-etl benchmark page {number} -->\n{page}"


def write_info(out: Path, info: Mapping[str, object]) -> None:
    """Write ``out/corpus.json`` (the arguments) last, atomically, to mark the corpus finished."""
    temporary = out / ".corpus.json.tmp"
    temporary.write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    temporary.replace(out / "corpus.json")


def read_info(out: Path) -> dict[str, object] | None:
    """Return the ``corpus.json`` of a finished corpus, or None."""
    try:
        info = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def main(argv: Sequence[str] | None = None) -> None:
    """Build the corpus from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="wire-copy articles to write (0: none)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (its text/ and html/ are replaced)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--near-dup-share", type=float, default=0.05, help="share of near-duplicates (default 0.05)")
    parser.add_argument("--html", type=int, default=0, help="HTML pages to write (default 0)")
    parser.add_argument("--jobs", type=int, default=None, help="processes writing shards (default: all cores)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "corpus.json").unlink(missing_ok=True)
    if args.n > 0:
        build_corpus(args.out, args.n, seed=args.seed, near_dup_share=args.near_dup_share, jobs=args.jobs)
    if args.html > 0:
        build_html(args.out, args.html, seed=args.seed)
    info: dict[str, object] = {
        "format": FORMAT_VERSION,
        "n": args.n,
        "html": args.html,
        "seed": args.seed,
        "near_dup_share": args.near_dup_share,
    }
    write_info(args.out, info)
    print(f"wrote {args.n} articles and {args.html} pages to {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
