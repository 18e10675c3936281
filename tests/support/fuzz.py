"""Hypothesis profiles and input strategies shared by the ``test_fuzz_*`` property tests.

It registers three profiles and picks one with the environment variable
``HYPOTHESIS_PROFILE``:

``ci`` (the default)
    50 to 200 derandomized examples per property (the costly ones take fewer), so the
    fast tier (``make test``) stays fast and gives the same result on every run.
``thorough``
    Five times as many derandomized examples per property (250 to 1,000): what
    ``make test-all`` and CI run, beside the slow tier.
``fuzz``
    10,000 examples per property with fresh randomness on every run::

        HYPOTHESIS_PROFILE=fuzz .venv/bin/pytest -p no:cacheprovider tests/test_fuzz_*.py

The profiles are applied per test (``@fuzz_settings(...)``) rather than loaded globally, so
the other hypothesis tests of the suite keep their own settings. No profile writes an
example database (``database=None``), so running them leaves the checkout clean.

The strategies build realistic wire copy, datelines, quotes and feeds from fragments that
reach the parsers' interesting branches, mixed with hostile text: combining marks,
right-to-left script, NUL and other control characters, and very long tokens.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from types import FrameType
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from media_etl.normalise.dates import Publication
from media_etl.normalise.places import is_country_code
from media_etl.parse.dateline import Dateline
from media_etl.parse.wire import PARAGRAPH, SUBHEADING, ParsedArticle, ParseError
from media_etl.pipeline import PARAGRAPH_SEPARATOR, article_rows
from media_etl.records import SourceItem
from media_etl.sources import SourceRegistry, load_registry
from schemas.vocabularies import DATE_SOURCES, PRECISIONS
from tests.conftest import REPO_ROOT

FUZZ_EXAMPLES = 10_000
THOROUGH_FACTOR = 5
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]

settings.register_profile(
    "ci", max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=_SLOW_IS_FINE
)
settings.register_profile(
    "thorough",
    max_examples=200 * THOROUGH_FACTOR,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_SLOW_IS_FINE,
)
settings.register_profile(
    "fuzz", max_examples=FUZZ_EXAMPLES, deadline=None, database=None, suppress_health_check=_SLOW_IS_FINE
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
_BASE = settings.get_profile(PROFILE)


def fuzz_settings(ci_examples: int = 200) -> settings:
    """Settings of the selected profile for one property.

    Args:
        ci_examples: How many examples the ``ci`` profile runs for this property; costly
            properties take fewer so the whole ``ci`` run stays well under a minute. The
            ``thorough`` profile runs ``THOROUGH_FACTOR`` times as many; every other profile
            keeps its own ``max_examples``.

    Returns:
        A settings object to decorate the test with.
    """
    if PROFILE == "ci":
        return settings(_BASE, max_examples=ci_examples)
    if PROFILE == "thorough":
        return settings(_BASE, max_examples=ci_examples * THOROUGH_FACTOR)
    return settings(_BASE)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail with ``TimeoutError``, rather than hang, when the block runs longer than ``seconds``.

    A regular expression that backtracks exponentially would otherwise stall the whole run;
    the regex engine checks for signals, so the alarm interrupts it. Main thread only.
    """

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- hostile text ---------------------------------------------------------------------------

# Combining marks, right-to-left letters and marks, zero-width and bidi controls, NUL and C0/C1
# controls, odd spaces and line separators, Turkic and Cyrillic letters, and quote marks.
_HOSTILE_CHARS = (
    "\u0301\u0308\u0327\u0336\u20dd"  # combining acute, diaeresis, cedilla, overlay, enclosing circle
    "אבגשלוםمرحباًٌ"  # Hebrew and Arabic, with Arabic tanwin marks
    "\u200e\u200f\u202a\u202b\u202e\u2066\u2069\u061c"  # LRM, RLM, embeddings, RLO, isolates, ALM
    "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width characters and the soft hyphen
    "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f"  # NUL, C0, DEL, NEL, C1
    "\t\r\u00a0\u2028\u2029\u3000\u1680"  # tab, CR, no-break, line/paragraph separators, ideographic space
    "İıŞşĞğƏəÖöÜüÇçҚқҒғҮүҰұӘәІі"  # Turkic and Kazakh letters
    "ДжАСТНабвгдеёжзийклмнопрстуфхцчшщъыьэюя"  # Cyrillic
    "\"'“”‘’«»„‹›‚`´ʻʼ"  # quote marks and apostrophes
    "—–-‐‑―…·•/\\()[]{}<>&;:.,!?#@%*+=|~^_$"  # dashes and punctuation
    "0123456789"
    "\U0001f600\U0001f1e6\U0001f1ff\ufffd\ufffe\uffff"  # emoji, flag letters, replacement, noncharacters
)
HOSTILE_CHAR = st.sampled_from(_HOSTILE_CHARS)
# Any code point but surrogates (UTF-8 cannot carry them; the readers decode bytes first).
ANY_CHAR = st.characters(codec="utf-8")
LONG_TOKEN = st.builds(
    lambda ch, n: ch * n,
    st.sampled_from(["a", "A", "ı", "Ж", "\u0301", "9", ".", "“", " ", "\n", "-", "a\u0301"]),
    st.integers(1_000, 20_000),
)
NOISE = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.text(HOSTILE_CHAR, max_size=40),
    st.text(st.one_of(HOSTILE_CHAR, ANY_CHAR), max_size=12),
)


def noisy(fragments: st.SearchStrategy[str], *, long_tokens: bool = True) -> st.SearchStrategy[str]:
    """Fragments, now and then replaced by random or hostile text or a very long token."""
    options = [fragments, fragments, fragments, NOISE]
    if long_tokens:
        options.append(LONG_TOKEN)
    return st.one_of(*options)


# --- wire copy fragments --------------------------------------------------------------------

CITIES = (
    "BAKU", "Baku", "Bakı", "BAKI", "Баку", "ANKARA", "Ankara", "ISTANBUL", "İSTANBUL", "İstanbul", "АСТАНА",
    "Астана", "Toshkent", "Tashkent", "PARIS", "WASHINGTON", "LONDON", "NEW YORK", "Nur-Sultan", "Almaty",
    "Shusha", "SHUSHA", "Xankəndi", "Foo", "NOWHERE", "Springfield", "İ", "ı",
)  # fmt: skip
COUNTRIES = ("Azerbaijan", "Türkiye", "Turkey", "Kazakhstan", "Uzbekistan", "France", "USA", "Narnia", "Азербайджан")
MONTHS = (
    "November", "Nov", "Nov.", "Sept", "Sept.", "Aug", "Aug.", "May", "may", "March", "march", "February",
    "Feb", "December", "ноября", "марта", "февраля", "декабрь", "noyabr", "mart", "fevral", "Kasım", "Şubat",
    "желтоқсан", "ақпан", "dekabr", "Mayıs", "Foo", "Xyz.",
)  # fmt: skip
CREDITS = (
    "Trend", "AZERTAC", "Anadolu Agency", "AA", "AP", "Reuters", "UzA", "КАЗИНФОРМ", "Kazinform", "Trend News Agency",
    "Some Paper", "X",
)  # fmt: skip
DASHES = ("-", "—", "–", "‐", "―", " - ", "")
DAYS = st.one_of(st.integers(1, 31).map(str), st.sampled_from(["0", "00", "32", "99", "29", "30", "31", "1", "07"]))
YEARS = st.one_of(
    st.integers(1990, 2030).map(str), st.sampled_from(["0000", "0001", "1899", "1900", "2100", "2101", "9999", "2024"])
)
NAMES = (
    "Hikmet Hajiyev", "Hajiyev", "Fahrettin Altun", "Altun", "Jane Doe", "Mr. Smith", "Ms Jones", "Гаджиев",
    "Алия Балаева", "Eldar Rasulov", "the minister", "officials", "a spokesman for the ministry", "Prasad",
)  # fmt: skip
CUES = (
    "said", "added", "noted", "told reporters", "stressed", "pointed out", "according to", "dedi", "diye konuştu",
    "bildirib", "заявил", "сказала", "деді", "ta'kidladi", "asked", "saying", "noting that", "to say",
)  # fmt: skip
PRONOUNS = ("he", "she", "they", "it", "он", "она", "o", "ол", "u")
QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("‘", "’"), ("«", "»"), ("„", "“"), ("‹", "›"), ("'", "'"), ("“", '"'))
WORDS = (
    "the", "platform", "is", "a", "very", "valuable", "step", "media", "forum", "cooperation", "Organization",
    "of", "Turkic", "States", "Azerbaijan", "Türkiye", "Kazakhstan", "news", "agencies", "will", "share", "and",
    "in", "on", "last", "next", "December", "2024", "12", "March", "yesterday", "on Saturday", "this weekend",
    "geçen yıl", "в прошлом году", "12 марта 2024 года", "27 noyabr 2025", "2025-yil 5-mart", "2024-03-12",
    "Sept. 27, 2020", "in 2019", "ötən il", "Ministry", "Communications Directorate", "President", "Director",
    "Mr.", "U.S.", "OTS", "AZERTAC", "Baku", "Bakı", "Ankara", "İstanbul", "Астана", "медиа", "форум", "agentliyi",
    "haberleri", "that", "that", "—", ",", ".", ":", "?", "!", "…", "(", ")", "/", "'s", "’s",
)  # fmt: skip


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """A sentence of news words, sometimes with hostile or random tokens in it."""
    words = draw(st.lists(noisy(st.sampled_from(WORDS), long_tokens=False), min_size=1, max_size=14))
    text = " ".join(words)
    return text + draw(st.sampled_from([".", ".", "", "!", "?", "…", ":", ","]))


@st.composite
def quotes(draw: st.DrawFn) -> str:
    """Quoted speech in the forms wire copy uses, with any quote marks, cue and speaker."""
    opening, closing = draw(st.sampled_from(QUOTE_PAIRS))
    inner = draw(sentences())
    speaker = draw(st.sampled_from(NAMES + PRONOUNS))
    cue = draw(st.sampled_from(CUES))
    if draw(st.booleans()):
        closing = draw(st.sampled_from(["", "”", '"', "»", "’"]))  # unbalanced or mismatched marks
    inner_comma = inner.rstrip(".!?…:,") + draw(st.sampled_from([",", ".", "?", "!", ""]))
    form = draw(st.integers(0, 11))
    if form == 0:
        return f"{opening}{inner_comma}{closing} {speaker} {cue}."
    if form == 1:
        return f"{opening}{inner_comma}{closing} {cue} {speaker}."
    if form == 2:
        return f"{speaker} {cue}: {opening}{inner}{closing}"
    if form == 3:
        return f"{speaker} {cue} that {inner}"
    if form == 4:
        return f"{inner.rstrip('.')}, {speaker} {cue}."
    if form == 5:
        return f"{speaker}, {opening}{inner}{closing} {cue}."
    if form == 6:
        return f"{opening}{inner}{closing}, — {cue} {speaker}."
    if form == 7:
        return f"According to {speaker}, {inner}"
    if form == 8:
        return f"{speaker} called the platform {opening}{inner}{closing}"
    if form == 9:
        return f"{opening}{inner}{closing} — {speaker}"
    if form == 10:
        return f"{speaker}, a professor at Cornell, {cue} {opening}{inner}{closing} {draw(sentences())}"
    return f"{opening}{inner}"  # never closed: runs to the paragraph end


@st.composite
def datelines(draw: st.DrawFn) -> str:
    """The start of a first paragraph, in every dateline layout the parser knows (and near misses)."""
    city = draw(st.sampled_from(CITIES))
    month = draw(st.sampled_from(MONTHS))
    day = draw(DAYS)
    year = draw(YEARS)
    credit = draw(st.sampled_from(CREDITS))
    dash = draw(st.sampled_from(DASHES))
    country = draw(st.sampled_from(COUNTRIES))
    layouts = [
        f"{city}, {country}, {month} {day}. ",
        f"{city}, {month} {day}. ",
        f"{city}, {month} {day}, {year}. ",
        f"{city}, {day} {month} {year}. ",
        f"{city}, {day} {month} {year} /{credit}/ ",
        f"{city}, {day} {month}. /{credit}/ {dash} ",
        f"{city}, {day}-{month} /{credit}/ ",
        f"{city}, {month} {day} ({credit}) {dash} ",
        f"{city} ({credit}) {dash} ",
        f"{city}. {day} {month}. {credit} {dash} ",
        f"{city} {dash} ",
        f"{city}, {country}, {month} {day}, {year}. ",
        f"{city}, {day}.{month} {year} ",
    ]
    return draw(st.sampled_from(layouts))


def _date_marker_token(draw: st.DrawFn) -> str:
    valid = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
    odd = st.sampled_from(["2025-02-30", "2025-13-01", "0000-01-01", "2025-11-27", "25-11-27", "2025/11/27", "x"])
    return draw(st.one_of(valid, odd, st.text(HOSTILE_CHAR, min_size=1, max_size=8)))


@st.composite
def headlines(draw: st.DrawFn) -> str:
    """A headline with media tags, now and then empty, a bare tag or hostile text."""
    words = draw(st.lists(noisy(st.sampled_from(WORDS), long_tokens=False), min_size=0, max_size=10))
    tags = draw(
        st.lists(
            st.sampled_from(["(PHOTO)", "(VIDEO)", "[UPDATED]", "(FOTO)", "(ВИДЕО)", "(Фото)", "(OTS)", "(abc)", "()"]),
            max_size=3,
        )
    )
    return " ".join([*words, *tags])


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    """One body block: sentences, quotes, a subheading, credits, boilerplate or noise."""
    kind = draw(st.integers(0, 9))
    if kind <= 2:
        return " ".join(draw(st.lists(st.one_of(sentences(), quotes()), min_size=1, max_size=4)))
    if kind == 3:
        return draw(sentences()).rstrip(".!?…:,")  # a subheading-like line
    if kind == 4:
        credit = draw(st.sampled_from(CREDITS))
        return draw(st.sampled_from([f"{draw(sentences())}, {credit} reports.", f"By {credit}", f"Source: {credit}"]))
    if kind == 5:
        return draw(
            st.sampled_from(
                [
                    "Read more: Baku forum opens",
                    "Share on Facebook",
                    "Subscribe to our channel",
                    "© 2025 Trend",
                    "You may also like",
                    "Related:",
                    "читайте также",
                    "Bunlar da ilginizi çekebilir",
                ]
            )
        )
    if kind == 6:
        return draw(st.text(st.one_of(HOSTILE_CHAR, ANY_CHAR), max_size=60))
    if kind == 7:
        return draw(LONG_TOKEN)
    if kind == 8:
        return draw(datelines()) + draw(sentences())
    return draw(quotes())


@st.composite
def wire_copy(draw: st.DrawFn) -> str:
    """A whole plain-text wire article built from realistic parts, each part optional."""
    parts: list[str] = []
    headline = draw(headlines())
    if draw(st.booleans()):
        marker = f"date {_date_marker_token(draw)}"
        parts.append(marker + draw(st.sampled_from([" ", "  ", "\n\n", "\n", " \t"])) + headline)
    else:
        parts.append(headline)
    if draw(st.booleans()):
        hour = draw(st.integers(0, 30))
        minute = draw(st.integers(0, 99))
        sep = draw(st.sampled_from([":", "."]))
        parts.append(f"{draw(st.sampled_from(['Details added', 'Updated', 'Update']))}: first version posted on "
                     f"{hour}{sep}{minute:02d}")  # fmt: skip
    if draw(st.booleans()):
        parts.append(f"By {draw(st.sampled_from(NAMES + CREDITS))}{draw(st.sampled_from(['', ', Reuters', ', X']))}")
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(CITIES)) + draw(st.sampled_from(["", "."])))
    first = draw(sentences())
    if draw(st.booleans()):
        first = draw(datelines()) + first
    if draw(st.booleans()):
        first = first.rstrip(".") + f", {draw(st.sampled_from(CREDITS))} reports."
    parts.append(first)
    parts.extend(draw(st.lists(paragraphs(), max_size=8)))
    separator = st.sampled_from(["\n\n", "\n\n", "\n", "\r\n\r\n", "\n \n", "\n\n\n", "\r", "\u2029"])
    text = parts[0]
    for part in parts[1:]:
        text += draw(separator) + part
    return text


# --- checks shared by the properties --------------------------------------------------------

# The reason codes parse_wire_text and parse_item_text document (README: parse-stage codes).
PARSE_REASONS = frozenset({"empty", "invalid_date", "invalid_time", "missing_headline", "no_body"})
LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)


@cache
def registry() -> SourceRegistry:
    """The project's source registry, loaded once."""
    return load_registry(REPO_ROOT / "sources.yaml")


def check_dateline(dateline: Dateline) -> None:
    """A dateline names a known city and country, a real zone, and a date that can exist."""
    assert dateline.raw and dateline.raw == dateline.raw.strip()
    assert dateline.city
    assert is_country_code(dateline.country), dateline
    ZoneInfo(dateline.timezone)
    assert dateline.month is None or 1 <= dateline.month <= 12
    assert dateline.day is None or 1 <= dateline.day <= 31
    if dateline.month and dateline.day:
        # No 30 February or 31 April: a day the month never has is not a dateline date.
        date(dateline.year or 2000, dateline.month, dateline.day)
    full = dateline.full_date()  # must not raise
    assert full is None or isinstance(full, date)
    if full is not None:
        assert (full.year, full.month, full.day) == (dateline.year, dateline.month, dateline.day)
    assert dateline.credit is None or (dateline.credit and dateline.credit == dateline.credit.strip())


def check_publication(publication: Publication) -> None:
    """Dates are real dates; an instant is aware and in UTC; the precision says which are known."""
    assert publication.precision in PRECISIONS
    assert publication.source is None or publication.source in DATE_SOURCES
    if publication.published_date is None:
        assert publication.precision == "unknown"
        assert publication.published_at is None
        return
    assert type(publication.published_date) is date
    if publication.published_at is None:
        assert publication.precision == "day"
        return
    at = publication.published_at
    assert isinstance(at, datetime)
    assert at.tzinfo is UTC and at.utcoffset() == timedelta(0)
    assert publication.precision in ("second", "minute")


def check_article(parsed: ParsedArticle) -> None:
    """What the parser returns is well formed, whatever the input was."""
    assert parsed.headline and parsed.headline == parsed.headline.strip()
    assert parsed.paragraphs, "an article always has a body"
    for paragraph in parsed.paragraphs:
        assert paragraph.kind in (PARAGRAPH, SUBHEADING)
        assert paragraph.text.strip(), parsed.paragraphs
    assert parsed.paragraphs[-1].kind == PARAGRAPH
    assert parsed.header_date is None or type(parsed.header_date) is date
    assert parsed.posted_time is None or type(parsed.posted_time) is time
    assert parsed.byline is None or parsed.byline.strip()
    assert parsed.credit is None or parsed.credit.strip()
    if parsed.dateline is not None:
        check_dateline(parsed.dateline)


def check_rows(item: SourceItem, parsed: ParsedArticle) -> None:
    """The article row's dates are valid and every paragraph's offsets slice it out of the body."""
    article, paragraphs = article_rows(item, parsed, registry(), run_id="fuzz", loaded_at=LOADED_AT)
    body = article["body"]
    assert isinstance(body, str)
    assert body == PARAGRAPH_SEPARATOR.join(p.text for p in parsed.paragraphs)
    previous_end = -len(PARAGRAPH_SEPARATOR)
    for row, paragraph in zip(paragraphs, parsed.paragraphs, strict=True):
        start, end = row["char_start"], row["char_end"]
        assert isinstance(start, int) and isinstance(end, int)
        assert 0 <= start <= end <= len(body)
        assert body[start:end] == row["text"] == paragraph.text
        assert start == previous_end + len(PARAGRAPH_SEPARATOR)
        previous_end = end
    assert previous_end == len(body)
    published_date, published_at = article["published_date"], article["published_at"]
    assert published_date is None or type(published_date) is date
    if published_at is not None:
        assert isinstance(published_at, datetime) and published_at.tzinfo is UTC
    assert article["date_precision"] in PRECISIONS


def text_item(text: str) -> SourceItem:
    return SourceItem(source_uri="fuzz.txt", item_key="", source_kind="text", content_hash="0" * 64, encoding="utf-8",
                      text=text)  # fmt: skip


def parse_or_documented_error(parse: object, *args: object) -> ParsedArticle | None:
    """Call a parser; a ParseError must carry a documented reason code and a plausible line."""
    assert callable(parse)
    try:
        parsed = parse(*args)
    except ParseError as exc:
        assert exc.reason_code in PARSE_REASONS, exc
        assert exc.detail
        assert exc.line is None or exc.line >= 1
        return None
    assert isinstance(parsed, ParsedArticle)
    check_article(parsed)
    return parsed
