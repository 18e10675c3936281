"""Recognise and parse datelines such as ``BAKU, Azerbaijan, November 27.`` or ``ANKARA (AA) -``.

The inline forms of the agencies media-etl reads, in the region's languages::

    LONDON, Dec 6 (Reuters) -              BEIJING, Dec. 6 (Xinhua) --
    WASHINGTON (AP) —                      MONTPELIER, Vt. (AP) —
    PARIS (AFP) -                          Berlin (dpa) -
    ANKARA (AA) -                          DETROIT, Mich., Dec 6 (Reuters) -
    MOSCOW, December 6. /TASS/.            МОСКВА, 6 декабря. /ТАСС/.
    МОСКВА. 6 декабря. INTERFAX.RU -       ASTANA. KAZINFORM -   АСТАНА. 12 марта. КАЗИНФОРМ -
    Baku, December 6, AZERTAC              Bakı, 6 dekabr, AZƏRTAC
    BAKU, Azerbaijan, December 6.          Bakı, 27 noyabr. /Trend/   БАКУ /Trend/ -
    Azerbaijan, Baku, Dec. 6 / Trend /     Toshkent, 5-mart /UzA/     LONDON —

and datelines on a line of their own (``ROME 1996-12-06``, ``AL-AIN, United Arab Emirates
1996-12-06``, ``WASHINGTON``), see ``parse_bare_dateline``.

The city must be a known place, or, written in capitals, a place the gazetteer lacks in
a region it knows (``NOVYE ATAGI, Russia``, ``ATLANTIC HIGHLANDS, N.J.``). ``Dateline.city``
is the city as the wire wrote it in a readable form when the wire writes English
(capitals, English month): ``NEW YORK`` is New York, ``BOMBAY`` Bombay, ``BRASILIA``
Brasilia. A city in local-language copy (``Bakı``, ``Toshkent``, ``Баку``, ``АСТАНА``) is
given the gazetteer's English name, so that one city's copy in the region's languages
groups together. The gazetteer's name is always in ``canonical_city``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from media_etl.normalise.places import Place, country_code, find_regions, locate_place, title_case
from media_etl.parse.months import is_english_month, month_number, month_pattern

_LETTERS = r"[^\W\d_]"
# One to four words of letters, joined by spaces, hyphens, apostrophes or an abbreviating
# period: "BAKU", "NEW YORK", "Nur-Sultan", "ST. LOUIS".
_CITY = rf"(?P<city>{_LETTERS}+(?:(?:[ '’-]|\.\s?){_LETTERS}+){{0,3}})"
# The region after the city: "Azerbaijan", "Vt.", "British Columbia".
_REGION_TEXT = rf"{_LETTERS}[^,\d\n()/]{{0,40}}?"
_REGION = rf"(?:,\s*(?P<region>{_REGION_TEXT}))?"
_DASH = r"[-‐‑–—―]"
# What ends a dateline before the text: one or two dashes (Xinhua "--"), or AP's old underscore.
_RULE = rf"(?:{_DASH}{{1,2}}|_)"
# An agency named by a word in capitals, with an optional domain: "AZERTAC", "KAZINFORM", "INTERFAX.RU".
_WORD_CREDIT = rf"(?P<word_credit>{_LETTERS}{{2,30}}(?:\.{_LETTERS}{{2,5}})?)(?![^\W\d_])"


@dataclass(frozen=True)
class Dateline:
    """A dateline taken off the start of the body."""

    raw: str
    city: str
    """The city in a readable form: as the wire wrote it in English copy, else the gazetteer's name."""
    country: str
    timezone: str
    credit: str | None
    """The credit as written in the dateline's parentheses, slashes or credit word (``Reuters``, ``ТАСС``)."""
    year: int | None
    month: int | None
    day: int | None
    region: str | None = None
    """The region written after the city (``Vt.``, ``Russia``), if any."""
    canonical_city: str | None = None
    """The gazetteer's name of the city (``New York City``, ``Mumbai``); None for a place it lacks."""

    def full_date(self) -> date | None:
        """The dateline's date when it names year, month and day, else None."""
        if self.year and self.month and self.day:
            return date(self.year, self.month, self.day)
        return None


@cache
def _date_regex() -> str:
    month = month_pattern()
    month_first = rf"(?P<mon1>{month})\s+(?P<day1>\d{{1,2}})(?:,?\s+(?P<year1>\d{{4}}))?"
    day_first = rf"(?P<day2>\d{{1,2}})(?:{_DASH}|\.?\s+)(?P<mon2>{month})(?:\s+(?P<year2>\d{{4}}))?"
    return rf"(?P<date>{month_first}|{day_first})"


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    d = _date_regex()
    paren = r"\((?P<credit>[^()\n]{1,40})\)"
    slash = r"/(?P<credit>[^/\n]{1,40})/"
    tail = rf"\s*(?:[.:]\s*)?(?:{_RULE}\s*)?"
    return tuple(
        re.compile(p)
        for p in (
            # ISTANBUL, 12 March 2024 /Trend/  ·  MOSCOW, December 6. /TASS/.  ·  Toshkent, 5-mart /UzA/
            rf"^{_CITY}{_REGION}[,.]\s*{d}\.?\s*{slash}{tail}",
            # Azerbaijan, Baku, Dec. 6 / Trend /  (the country first)
            rf"^(?P<region>{_REGION_TEXT}),\s*{_CITY},\s*{d}\.?\s*{slash}{tail}",
            # БАКУ /Trend/ -
            rf"^{_CITY}{_REGION}\s*{slash}{tail}",
            # PARIS, Aug 31 (Reuters) -  ·  BEIJING, Dec. 6 (Xinhua) --  ·  DETROIT, Mich., Dec 6 (Reuters) -
            rf"^{_CITY}{_REGION},\s*{d}\s*{paren}{tail}",
            # WASHINGTON (AP) —  ·  ANKARA (AA) -  ·  Berlin (dpa) -  ·  MONTPELIER, Vt. (AP) —
            rf"^{_CITY}{_REGION}\s*{paren}\s*{_RULE}\s*",
            # АСТАНА. 12 марта. КАЗИНФОРМ -  ·  Москва. 6 декабря. INTERFAX.RU -  ·  ASTANA. KAZINFORM -
            rf"^{_CITY}\.\s*(?:{d}\.\s*)?{_WORD_CREDIT}\s*(?::|{_RULE})\s*",
            # Baku, December 6, AZERTAC  ·  Bakı, 6 dekabr, AZƏRTAC
            rf"^{_CITY}{_REGION},\s*{d},\s*{_WORD_CREDIT}[.:]?\s*(?:{_RULE}\s*)?",
            # BAKU, Azerbaijan, November 27.  ·  BAKU, November 27.
            rf"^{_CITY}{_REGION},\s*{d}\.\s+",
            # LONDON —  ·  MONTPELIER, Vt. —  (a bare city in capitals followed by a dash)
            rf"^(?P<city>[^\W\d_a-z]+(?:[ '-][^\W\d_a-z]+){{0,3}}){_REGION}\s+{_RULE}\s+",
        )
    )


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _in_capitals(text: str) -> bool:
    """Whether every letter of a text is a capital (``NOVYE ATAGI``, ``АСТАНА``, ``İSTANBUL``)."""
    return any(ch.isalpha() for ch in text) and text == text.upper()


def _locate(city: str, region: str | None, *, lenient: bool, unlisted: bool = True) -> Place | None:
    """Find the dateline's place: a known city, or a city in capitals in a known region.

    Args:
        city: The city as written.
        region: The region as written after it, if any.
        lenient: Whether a region that names no known country or region is ignored (on
            a line of its own) rather than a reason to reject the dateline.
        unlisted: Whether the rest of the line is evidence enough for a place no table lists.

    Returns:
        The place, or None.
    """
    # A place the gazetteer lacks must be written in capitals, and be no country ("TURKEY, Azerbaijan").
    unlisted = unlisted and _in_capitals(city) and country_code(city) is None
    place = locate_place(city, region, unlisted=unlisted)
    if place is None and region and lenient and not find_regions(region):
        place = locate_place(city)
    return place


def _readable_city(written: str, place: Place, month_name: str | None) -> str:
    """The city for ``Dateline.city``: the written name in English wire copy, else the gazetteer's.

    English wire copy writes the city in ASCII capitals (``NEW YORK``, ``BOMBAY``, ``SAO
    PAULO``) and an English month; its name is kept, in the gazetteer's mixed-case spelling
    of the same letters when there is one (``Rio de Janeiro``), else in title case. A place
    the gazetteer lacks keeps its written name in title case.
    """
    written = written.strip()
    if place.city is None:
        return title_case(written)
    english = written.isascii() and _in_capitals(written)
    if english and (month_name is None or is_english_month(month_name)):
        return place.spelling or title_case(written)
    return place.city.name


def parse_dateline(paragraph: str) -> tuple[Dateline, str] | None:
    """Take a dateline off the start of a paragraph.

    A match counts only when the city is a known place (or, in capitals, a place in a
    known region), any region named is a known country or region, and a credit word
    outside brackets is in capitals, so ordinary sentences are not mistaken for datelines.

    Args:
        paragraph: The first body paragraph, already cleaned.

    Returns:
        The dateline and the rest of the paragraph, or None when the paragraph does
        not start with a dateline.
    """
    for pattern in _patterns():
        match = pattern.match(paragraph)
        if not match:
            continue
        groups = match.groupdict()
        word_credit = groups.get("word_credit")
        if word_credit is not None and not _in_capitals(word_credit):
            continue
        place = _locate(groups["city"], groups.get("region"), lenient=False)
        if place is None:
            continue
        dateline = _build(match.group(0), place, groups)
        if dateline is None:
            continue
        return dateline, paragraph[match.end() :].lstrip()
    return None


def _days_in_month(year: int | None, month: int | None) -> int:
    """The days of a month: of the year given, else of a leap year (29 February may be meant)."""
    if month is None:
        return 31
    return calendar.monthrange(year or 2000, month)[1]


def _build(raw: str, place: Place, groups: dict[str, str | None]) -> Dateline | None:
    month_name = groups.get("mon1") or groups.get("mon2")
    month = month_number(month_name) if month_name else None
    day = _int(groups.get("day1") or groups.get("day2"))
    year = _int(groups.get("year1") or groups.get("year2"))
    if month_name and month is None:
        return None
    if day is not None and not 1 <= day <= _days_in_month(year, month):
        return None  # no 32 March, 30 February or 31 April: a date that cannot exist is no dateline date
    credit = groups.get("credit") or groups.get("word_credit")
    region = groups.get("region")
    return Dateline(
        raw=raw.strip(),
        city=_readable_city(groups["city"] or "", place, month_name),
        country=place.country,
        timezone=place.timezone,
        credit=credit.strip() if credit else None,
        year=year,
        month=month,
        day=day,
        region=region.strip() if region else None,
        canonical_city=place.city.name if place.city else None,
    )


_OWN_LINE = re.compile(
    rf"^(?P<city>{_LETTERS}+(?:[ '’.-]+{_LETTERS}+){{0,3}})\.?"
    rf"(?:,\s*(?P<region>{_LETTERS}[^,\d\n]{{0,40}}?))?"
    rf"(?:\s+(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))?\.?$"
)


def parse_bare_dateline(line: str) -> Dateline | None:
    """Recognise a line that holds only a dateline: ``ANKARA``, ``ROME 1996-12-06``, ``AL-AIN, UAE 1996-12-06``.

    The city must be a known one (in the region, when the region names a known country
    or state), or, with a date, be written in capitals in a known region (``SHATOI, Russia
    1996-08-25``); a region nobody knows does not narrow a known city. The date, when there
    is one, must exist.

    Args:
        line: One whole paragraph.

    Returns:
        The dateline, or None when the line is not a lone place starting with a capital
        letter, with an optional region and ISO date. Call it only on lines before the
        body, where a lone city is a dateline rather than a subheading.
    """
    text = line.strip()
    match = _OWN_LINE.match(text)
    if not text or match is None or not text[0].isupper():
        return None
    # Without a date, a line in capitals naming a region may be a kicker ("RESULTS, Russia").
    place = _locate(match.group("city"), match.group("region"), lenient=True, unlisted=bool(match.group("iso")))
    if place is None:
        return None
    year = month = day = None
    if iso := match.group("iso"):
        year, month, day = (int(part) for part in iso.split("-"))
        if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
            return None
    region = match.group("region")
    return Dateline(
        raw=text,
        city=_readable_city(match.group("city"), place, None),
        country=place.country,
        timezone=place.timezone,
        credit=None,
        year=year,
        month=month,
        day=day,
        region=region.strip() if region else None,
        canonical_city=place.city.name if place.city else None,
    )
