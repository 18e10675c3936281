"""Find the dates an article's body mentions and resolve them to calendar dates.

Absolute dates ("Sept. 27, 2020", "27 noyabr 2025", "12 марта 2024 года", "2024-03-12",
"March 2024", "in 2019") resolve on their own. Relative ones ("last December",
"on Saturday", "this weekend", "yesterday", "geçen yıl", "в прошлом году") and dates
without a year ("12 марта") resolve against the article's ``published_date``, and are
skipped when it is unknown: nothing is guessed.

Candidates come from regular expressions built once from the CLDR month names of
``media_etl.parse.months`` and Babel's weekday names. dateparser is not used: every form
here is recognised by its expression, so the resolution is plain calendar arithmetic,
and dateparser's lenient guessing would only add cost and wrong readings.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from babel.dates import get_day_names

from media_etl.clean.text import fold_key
from media_etl.enrich.records import ArticleText, MentionedDate
from media_etl.parse.months import month_number, month_pattern, month_table
from schemas.vocabularies import DAY, MONTH, UNDETERMINED_LANGUAGE, YEAR

MIN_YEAR = 1900
MAX_YEAR = 2100

_FLAGS = re.IGNORECASE
_APOSTROPHE = "['ʻʼ‘’`]"
# Ordinal endings: 27th, 27-ci (az), 5-chi/5-inchi (uz), 12-й (ru).
_ORDINAL = r"(?:st|nd|rd|th|-?(?:ci|cı|cu|cü|inchi|chi|й|го))?"
# Words that follow a year: 2024 года, 2025-ci il, 2025-yil, 2025 yılı, 2024 жылы, 2024 ж.
_YEAR_WORD = (
    r"(?:\s+(?:года|году|г\.)|-?(?:ci|cı|cu|cü)\s+il(?:də|in|i)?|-?yil(?:da|ning|i)?"
    r"|\s+yılı(?:nda|nın)?|\s+жыл(?:ы|да|ғы)|\s+ж\.)"
)
# The same words when the day and month follow: 2025-yil 5-mart, 2024 жылғы 12 наурыз.
_YEAR_LEAD = r"(?:-?yil(?:ning|i)?|-?(?:ci|cı|cu|cü)\s+il(?:in)?|\s+yılı(?:nın)?|\s+жылғы|\s+года)"
_MONTH_WORD = r"(?:\s+(?:ayı\w*|oyi\w*|айы\w*|айында))?"
# A cheap check that a word is followed by a number, so the long month alternation runs only there.
_WORD_THEN_NUMBER = r"(?=[^\W\d_]+\.?,?\s+\d)"
# Languages that write the month "may" in lowercase (English "may" is a verb).
_LOWERCASE_MAY_LANGUAGES = frozenset({"az", "uz"})

Resolution = tuple[date, str, bool]
Handler = Callable[[re.Match[str], ArticleText], Resolution | None]


class _Blocked(Exception):
    """A recognised expression that cannot be resolved: it must not be read as a shorter one."""


@dataclass(frozen=True)
class _Rule:
    """One kind of date expression: its pattern, the languages it is for, and its resolver."""

    name: str
    regex: re.Pattern[str]
    languages: frozenset[str] | None
    resolve: Handler


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    rank: int
    resolution: Resolution | None


# --- calendar helpers -----------------------------------------------------------------------


def _valid(year: int, month: int, day: int = 1) -> date:
    """Return the date, or raise ``_Blocked`` for an impossible one (30 February, year 1750)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Blocked(f"year {year} out of range")
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise _Blocked(str(exc)) from exc


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _nearest_year(published: date, month: int, day: int) -> date:
    """Pick the year that puts a day and month closest to the article's date."""
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        if day <= calendar.monthrange(year, month)[1]:
            options.append(date(year, month, day))
    if not options:
        raise _Blocked(f"day {day} of month {month} does not exist")
    return min(options, key=lambda d: (abs((d - published).days), d > published))


def _weekday_on_or_before(published: date, weekday: int) -> date:
    return published - timedelta(days=(published.weekday() - weekday) % 7)


def _weekday_after(published: date, weekday: int) -> date:
    return published + timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)


# --- resolvers ------------------------------------------------------------------------------


def _month(match: re.Match[str], group: str = "month") -> int:
    number = month_number(match.group(group))
    if number is None:
        number = _russian_prepositional().get(fold_key(match.group(group)))
    if number is None:  # the pattern only matches known names
        raise _Blocked(f"unknown month {match.group(group)!r}")
    return number


def _day_month_year(match: re.Match[str], article: ArticleText) -> Resolution:
    return _valid(int(match.group("y")), _month(match), int(match.group("d"))), DAY, False


def _numeric_date(match: re.Match[str], article: ArticleText) -> Resolution:
    return _valid(int(match.group("y")), int(match.group("m")), int(match.group("d"))), DAY, False


def _month_year(match: re.Match[str], article: ArticleText) -> Resolution:
    return _valid(int(match.group("y")), _month(match)), MONTH, False


def _year_only(match: re.Match[str], article: ArticleText) -> Resolution:
    return _valid(int(match.group("y")), 1), YEAR, False


def _day_month(match: re.Match[str], article: ArticleText) -> Resolution | None:
    if _is_verb(match.group("month"), article.language):
        return None
    day = int(match.group("d"))
    month = _month(match)
    if not 1 <= day <= 31:
        raise _Blocked(f"day {day}")
    return _nearest_year(_needs(article.published_date), month, day), DAY, True


def _is_verb(month_text: str, language: str | None) -> bool:
    """Tell a lowercase "march" or "may" next to a number ("Article 5 may apply") from a month.

    English writes months capitalised; Azerbaijani and Uzbek write "5 may" in lowercase.
    """
    if month_text == "march":
        return True
    return month_text == "may" and language not in _LOWERCASE_MAY_LANGUAGES


_PAST = "past"
_THIS = "this"
_NEXT = "next"
_MODIFIERS = {
    "last": _PAST, "past": _PAST, "previous": _PAST, "this": _THIS, "current": _THIS, "next": _NEXT,
    "coming": _NEXT, "geçen": _PAST, "geçtiğimiz": _PAST, "bu": _THIS, "gelecek": _NEXT,
    "önümüzdeki": _NEXT, "ötən": _PAST, "keçən": _PAST, "cari": _THIS, "gələn": _NEXT, "o'tgan": _PAST,
    "shu": _THIS, "joriy": _THIS, "kelgusi": _NEXT, "keyingi": _NEXT, "прошлом": _PAST, "прошлого": _PAST,
    "минувшем": _PAST, "минувшего": _PAST, "этом": _THIS, "этого": _THIS, "текущем": _THIS,
    "текущего": _THIS, "следующем": _NEXT, "следующего": _NEXT, "будущем": _NEXT, "өткен": _PAST,
    "осы": _THIS, "келесі": _NEXT, "биыл": _THIS, "былтыр": _PAST, "прошлую": _PAST, "прошлый": _PAST,
    "прошлое": _PAST, "эту": _THIS, "этот": _THIS, "это": _THIS, "следующую": _NEXT, "следующий": _NEXT,
    "следующее": _NEXT, "эти": _THIS, "этих": _THIS, "прошлые": _PAST, "прошлых": _PAST, "минувшие": _PAST,
    "минувших": _PAST, "следующие": _NEXT, "следующих": _NEXT,
}  # fmt: skip
_OFFSET = {_PAST: -1, _THIS: 0, _NEXT: 1}


@cache
def _folded_modifiers() -> dict[str, str]:
    return {fold_key(word): kind for word, kind in _MODIFIERS.items()}


def _modifier(match: re.Match[str]) -> str:
    """Whether the expression's modifier word (last, geçen, прошлом, o'tgan) looks back, at, or ahead."""
    word = re.sub(_APOSTROPHE, "'", fold_key(match.group("mod")))
    kind = _folded_modifiers().get(word)
    if kind is None:  # the patterns only match listed words
        raise _Blocked(f"unknown modifier {word!r}")
    return kind


def _needs(published: date | None) -> date:
    """Return the article's date, or raise ``_Blocked`` for a relative expression without a usable one.

    An article date outside 1900-2100 resolves nothing: "tomorrow" of 31 December 9999 has no date.
    """
    if published is None:
        raise _Blocked("relative expression and no article date")
    if not MIN_YEAR <= published.year <= MAX_YEAR:
        raise _Blocked(f"article date {published} out of range")
    return published


def _relative_year(match: re.Match[str], article: ArticleText) -> Resolution:
    base = _needs(article.published_date)
    return _valid(base.year + _OFFSET[_modifier(match)], 1), YEAR, True


def _relative_month(match: re.Match[str], article: ArticleText) -> Resolution:
    base = _needs(article.published_date)
    year, month = _shift_months(base.year, base.month, _OFFSET[_modifier(match)])
    return _valid(year, month), MONTH, True


def _named_month(match: re.Match[str], article: ArticleText) -> Resolution:
    """'last December', 'next March', 'this May': the nearest such month before, after or in the year."""
    base = _needs(article.published_date)
    month = _month(match)
    kind = _modifier(match)
    if kind == _PAST:
        year = base.year if month < base.month else base.year - 1
    elif kind == _NEXT:
        year = base.year if month > base.month else base.year + 1
    else:
        year = base.year
    return _valid(year, month), MONTH, True


def _month_of_relative_year(match: re.Match[str], article: ArticleText) -> Resolution:
    """'в декабре прошлого года', 'geçen yılın Aralık ayında': a month of last, this or next year."""
    base = _needs(article.published_date)
    return _valid(base.year + _OFFSET[_modifier(match)], _month(match)), MONTH, True


def _day_offset(days: int) -> Handler:
    """Resolve 'yesterday' (-1) or 'tomorrow' (+1) against the article date."""

    def resolve(match: re.Match[str], article: ArticleText) -> Resolution:
        return _needs(article.published_date) + timedelta(days=days), DAY, True

    return resolve


def _weekday(match: re.Match[str], article: ArticleText) -> Resolution:
    """A weekday: the latest on or before the article date; 'last' strictly before, 'next' after."""
    base = _needs(article.published_date)
    weekday = _weekday_table()[fold_key(match.group("wd"))]
    kind = _modifier(match) if match.groupdict().get("mod") else None
    if kind == _PAST:
        resolved = _weekday_on_or_before(base - timedelta(days=1), weekday)
    elif kind == _NEXT:
        resolved = _weekday_after(base, weekday)
    elif kind == _THIS:
        resolved = base - timedelta(days=base.weekday()) + timedelta(days=weekday)
    else:
        resolved = _weekday_on_or_before(base, weekday)
    return resolved, DAY, True


def _weekend(match: re.Match[str], article: ArticleText) -> Resolution:
    """A weekend, as its Saturday: the one just passed (or under way), or the next one."""
    base = _needs(article.published_date)
    kind = _modifier(match) if match.groupdict().get("mod") else _THIS
    saturday = _weekday_on_or_before(base, 5)
    if kind == _PAST:
        resolved = saturday if base.weekday() < 5 else saturday - timedelta(days=7)
    elif kind == _NEXT:
        resolved = _weekday_after(base, 5) if base.weekday() < 5 else saturday + timedelta(days=7)
    else:
        # Saturday to Monday: the weekend just passed or under way; Tuesday to Friday: the coming one.
        resolved = saturday if base.weekday() in (5, 6, 0) else _weekday_after(base, 5)
    return resolved, DAY, True


# --- patterns -------------------------------------------------------------------------------


@cache
def _month_regex() -> str:
    """Any CLDR month name; an abbreviation's dot only before a number (so not a full stop)."""
    names = month_pattern()
    core = names.removesuffix(r"\.?")
    return rf"{core}(?:\.(?=\s*\d))?" if core != names else names


@cache
def _russian_prepositional() -> dict[str, int]:
    """Russian month names in the prepositional case (в марте), derived from the genitive (марта)."""
    return {
        name[:-1] + "е": number
        for name, number in month_table(("ru",)).items()
        if len(name) >= 3 and name[-1] in "ая" and re.fullmatch("[а-яё]+", name)
    }


@cache
def _weekday_table() -> dict[str, int]:
    """Weekday names of the region's languages (and Russian accusatives: в субботу) to 0-6, Monday 0."""
    table: dict[str, int] = {}
    for locale in ("en", "tr", "az", "ru", "kk", "uz", "uz_Cyrl"):
        for number, name in get_day_names("wide", "format", locale).items():
            table[fold_key(name)] = number
            if locale == "ru" and name.endswith("а"):
                table[fold_key(name[:-1] + "у")] = number
    return table


def _names(names: list[str] | dict[str, int]) -> str:
    ordered = sorted(names, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in ordered) + ")"


def _weekday_names(locales: tuple[str, ...], russian_accusative: bool = False) -> str:
    names = [fold_key(name) for locale in locales for name in get_day_names("wide", "format", locale).values()]
    if russian_accusative:
        names = [name[:-1] + "у" if name.endswith("а") else name for name in names]
    return _names(names)


def _rule(name: str, pattern: str, resolve: Handler, languages: str | None = None) -> _Rule:
    regex = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", _FLAGS)
    return _Rule(name, regex, frozenset(languages.split()) if languages else None, resolve)


@cache
def _rules() -> tuple[_Rule, ...]:
    """Every date expression, compiled once; earlier rules win ties of equal length."""
    m = rf"(?P<month>{_month_regex()})"
    ru_prep = rf"(?P<month>{_names(_russian_prepositional())})"
    year = r"(?P<y>\d{4})"
    day = r"(?P<d>\d{1,2})"
    ap = _APOSTROPHE
    weekday_en = _weekday_names(("en",))
    weekday_ru = _weekday_names(("ru",), russian_accusative=True)
    weekday_turkic = _weekday_names(("tr", "az", "kk", "uz", "uz_Cyrl"))
    return (
        # Absolute, day precision.
        _rule("iso", rf"{year}-(?P<m>\d{{2}})-(?P<d>\d{{2}})(?!-\d)", _numeric_date),
        _rule("dotted", rf"(?<![\d.]){day}\.(?P<m>\d{{1,2}})\.{year}(?!\.\d)", _numeric_date),
        _rule("month_day_year", rf"{_WORD_THEN_NUMBER}{m}\s+{day}{_ORDINAL},?\s+{year}", _day_month_year),
        _rule("day_month_year", rf"{day}{_ORDINAL}(?:\s+|-)(?:of\s+)?{m},?\s+{year}{_YEAR_WORD}?", _day_month_year),
        _rule("year_day_month", rf"{year}{_YEAR_LEAD}[\s,]+{day}{_ORDINAL}(?:\s+|-){m}", _day_month_year),
        # Absolute, month and year precision.
        _rule("month_year", rf"{_WORD_THEN_NUMBER}{m},?\s+{year}{_YEAR_WORD}?", _month_year),
        _rule("ru_month_year", rf"{ru_prep}\s+{year}(?:\s+(?:года|г\.))?", _month_year, "ru"),
        _rule("year_month", rf"{year}{_YEAR_LEAD}\s+{m}{_MONTH_WORD}", _month_year),
        _rule("en_in_year", rf"(?:in|during)\s+(?P<s>{year})(?!\s*[-–/]\s*\d)", _year_only, "en"),
        _rule("ru_in_year", rf"в\s+(?P<s>{year}\s+(?:году|г\.))", _year_only, "ru"),
        _rule("tr_in_year", rf"{year}(?:{ap}(?:da|de|ta|te)|\s+yılında)", _year_only, "tr"),
        _rule("az_in_year", rf"{year}-?(?:ci|cı|cu|cü)\s+ild[əe]", _year_only, "az"),
        _rule("uz_in_year", rf"{year}-yil(?:da|i)?", _year_only, "uz"),
        _rule("kk_in_year", rf"{year}\s+жыл(?:ы|да)", _year_only, "kk"),
        # Day and month without a year: the year comes from the article date.
        _rule("day_month", rf"{day}{_ORDINAL}(?:\s+|-)(?:of\s+)?{m}", _day_month),
        _rule("month_day", rf"{_WORD_THEN_NUMBER}{m}\s+{day}{_ORDINAL}(?!\d)", _day_month, "en"),
        # Relative to the article date.
        _rule("en_named_month", rf"(?P<mod>last|next|this)\s+{m}", _named_month, "en"),
        _rule("tr_named_month", rf"(?P<mod>geçen|geçtiğimiz|gelecek)\s+{m}", _named_month, "tr"),
        _rule(
            "ru_month_of_year",
            rf"{ru_prep}\s+(?P<mod>прошлого|минувшего|этого|текущего|следующего)\s+года",
            _month_of_relative_year,
            "ru",
        ),
        _rule(
            "turkic_month_of_year",
            rf"(?P<mod>geçen|geçtiğimiz|bu|gelecek|ötən|keçən|cari|gələn|o{ap}tgan|joriy|kelgusi|өткен|осы|келесі)"
            rf"\s+(?:yılın|ilin|yilning|жылдың|жылғы)\s+{m}{_MONTH_WORD}",
            _month_of_relative_year,
            "tr az uz kk",
        ),
        _rule("en_year", r"(?P<mod>last|next|this)\s+year", _relative_year, "en"),
        _rule(
            "ru_year",
            r"в\s+(?P<s>(?P<mod>прошлом|минувшем|этом|текущем|следующем|будущем)\s+году)",
            _relative_year,
            "ru",
        ),
        _rule("tr_year", r"(?P<mod>geçen|geçtiğimiz|bu|gelecek|önümüzdeki)\s+yıl(?:ın|ki|da)?", _relative_year, "tr"),
        _rule("az_year", r"(?P<mod>ötən|keçən|bu|cari|gələn)\s+il(?:in|də)?", _relative_year, "az"),
        _rule("uz_year", rf"(?P<mod>o{ap}tgan|bu|shu|joriy|kelgusi|keyingi)\s+yil(?:i|da|ning)?", _relative_year, "uz"),
        _rule("kk_year", r"(?P<mod>өткен|осы|келесі)\s+жыл(?:ы|да)?", _relative_year, "kk"),
        _rule("kk_year_word", r"(?P<mod>биыл|былтыр)", _relative_year, "kk"),
        _rule("en_month", r"(?P<mod>last|next|this)\s+month", _relative_month, "en"),
        _rule(
            "ru_month",
            r"в\s+(?P<s>(?P<mod>прошлом|минувшем|этом|текущем|следующем)\s+месяце)",
            _relative_month,
            "ru",
        ),
        _rule("tr_month", r"(?P<mod>geçen|geçtiğimiz|bu|gelecek)\s+ay(?:ın|da)?", _relative_month, "tr"),
        _rule("az_month", r"(?P<mod>ötən|keçən|bu|cari|gələn)\s+ay(?:ın|da)?", _relative_month, "az"),
        _rule("uz_month", rf"(?P<mod>o{ap}tgan|bu|joriy|kelgusi)\s+oy(?:da|ning)?", _relative_month, "uz"),
        _rule("kk_month", r"(?P<mod>өткен|осы|келесі)\s+ай(?:да|дың)?", _relative_month, "kk"),
        _rule("yesterday", r"yesterday|вчера|dün|dünən|kecha|кеча|кеше", _day_offset(-1)),
        _rule("tomorrow", r"tomorrow|завтра|yarın|ertaga|эртага|ертең", _day_offset(1)),
        _rule("en_weekday", rf"(?:on\s+)?(?P<s>(?:(?P<mod>last|next|this)\s+)?(?P<wd>{weekday_en}))", _weekday, "en"),
        _rule(
            "ru_weekday",
            rf"во?\s+(?P<s>(?:(?P<mod>прошлую|прошлый|прошлое|эту|этот|это|следующую|следующий|следующее)\s+)?"
            rf"(?P<wd>{weekday_ru}))",
            _weekday,
            "ru",
        ),
        _rule("turkic_weekday", rf"(?P<s>(?P<wd>{weekday_turkic}))\s+(?:günü|kuni|куни|күні)", _weekday, "tr az uz kk"),
        _rule("en_weekend", r"(?:(?P<mod>this|last|next)|over\s+the|at\s+the)\s+weekend", _weekend, "en"),
        _rule(
            "turkic_weekend",
            r"(?:(?P<mod>bu|geçen|geçtiğimiz|gelecek|ötən|keçən|gələn)\s+)?h[aə]ft[aə]\s*sonu(?:nda)?",
            _weekend,
            "tr az",
        ),
        _rule(
            "ru_weekend",
            r"(?:в|на)\s+(?P<s>(?:(?P<mod>эти|этих|прошлые|прошлых|минувшие|минувших|следующие|следующих)\s+)?"
            r"выходны(?:е|х))",
            _weekend,
            "ru",
        ),
    )


# --- the stage ------------------------------------------------------------------------------


def find_dates(article: ArticleText) -> list[MentionedDate]:
    """Find the dates an article's body mentions, resolved to the first day of the period meant.

    Args:
        article: The article. Its body is searched; ``published_date`` resolves relative
            expressions and dates without a year (skipped when it is None); ``language``,
            when known, limits language-specific expressions to that language.

    Returns:
        One record per expression, in text order, none overlapping; for each,
        ``body[char_start:char_end] == surface``. Impossible dates (30 February, years
        outside 1900-2100) are dropped, and never re-read as a shorter expression.
    """
    body = article.body
    # An undetermined language ("und") limits nothing, like an unknown one.
    language = article.language if article.language != UNDETERMINED_LANGUAGE else None
    candidates: list[_Candidate] = []
    for rank, rule in enumerate(_rules()):
        if rule.languages is not None and language is not None and language not in rule.languages:
            continue
        for match in rule.regex.finditer(body):
            start, end = match.span("s") if "s" in rule.regex.groupindex else match.span()
            try:
                resolution = rule.resolve(match, article)
            except _Blocked:
                resolution = None
            else:
                if resolution is None:
                    continue
                if not MIN_YEAR <= resolution[0].year <= MAX_YEAR:
                    resolution = None  # "yesterday" of 1 January 1900: out of range, and blocked
            candidates.append(_Candidate(start, end, rank, resolution))
    chosen: list[_Candidate] = []
    taken_until = -1
    for candidate in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start), c.rank)):
        if candidate.start < taken_until:
            continue
        chosen.append(candidate)
        taken_until = candidate.end
    return [
        MentionedDate(article.article_id, body[c.start : c.end], c.start, c.end, *c.resolution)
        for c in chosen
        if c.resolution is not None
    ]
