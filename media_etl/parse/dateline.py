"""Recognise and parse datelines such as ``BAKU, Azerbaijan, November 27.`` or ``ANKARA (AA) -``."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from media_etl.normalise.places import City, country_code, find_city
from media_etl.parse.months import month_number, month_pattern

_LETTERS = r"[^\W\d_]"
# One to four words of letters, joined by spaces, hyphens or apostrophes: "BAKU", "NEW YORK", "Nur-Sultan".
_CITY = rf"(?P<city>{_LETTERS}+(?:[ '’-]{_LETTERS}+){{0,3}})"
_DASH = r"[-‐‑–—―]"


@dataclass(frozen=True)
class Dateline:
    """A dateline taken off the start of the body."""

    raw: str
    city: str
    country: str
    timezone: str
    credit: str | None
    year: int | None
    month: int | None
    day: int | None

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
    credit_paren = r"\((?P<credit>[^()\n]{1,40})\)"
    credit_slash = r"/(?P<credit>[^/\n]{1,40})/"
    return tuple(
        re.compile(p)
        for p in (
            # ISTANBUL, 12 March 2024 /Trend/   ·   Bakı, 27 noyabr. /Trend/   ·   Toshkent, 5-mart /UzA/
            rf"^{_CITY},\s*{d}\.?\s*{credit_slash}[ \t]*(?:{_DASH}\s*)?",
            # PARIS, Aug 31 (Reuters) -
            rf"^{_CITY},\s*{d}\s*{credit_paren}\s*{_DASH}\s*",
            # WASHINGTON (AP) —   ·   ANKARA (AA) -
            rf"^{_CITY}\s*{credit_paren}\s*{_DASH}\s*",
            # АСТАНА. 12 марта. КАЗИНФОРМ -
            rf"^{_CITY}\.\s*{d}\.\s*(?P<credit>{_LETTERS}{{2,30}})\s*{_DASH}\s*",
            # BAKU, Azerbaijan, November 27.   ·   BAKU, November 27.
            rf"^{_CITY}(?:,\s*(?P<country>{_LETTERS}[^,\d\n]{{1,40}}?))?,\s*{d}\.\s+",
            # LONDON —  (a bare city in capitals followed by a dash)
            rf"^(?P<city>[^\W\d_a-z]+(?:[ '-][^\W\d_a-z]+){{0,3}})\s+{_DASH}\s+",
        )
    )


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def parse_dateline(paragraph: str) -> tuple[Dateline, str] | None:
    """Take a dateline off the start of a paragraph.

    A match counts only when the city is a known place and any country named is a
    known country, so ordinary sentences are not mistaken for datelines.

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
        stated_country = groups.get("country")
        country = country_code(stated_country) if stated_country else None
        if stated_country and country is None:
            continue
        city = find_city(groups["city"], country)
        if city is None:
            continue
        dateline = _build(match.group(0), city, groups)
        if dateline is None:
            continue
        return dateline, paragraph[match.end() :].lstrip()
    return None


def _days_in_month(year: int | None, month: int | None) -> int:
    """The days of a month: of the year given, else of a leap year (29 February may be meant)."""
    if month is None:
        return 31
    return calendar.monthrange(year or 2000, month)[1]


def _build(raw: str, city: City, groups: dict[str, str | None]) -> Dateline | None:
    month_name = groups.get("mon1") or groups.get("mon2")
    month = month_number(month_name) if month_name else None
    day = _int(groups.get("day1") or groups.get("day2"))
    year = _int(groups.get("year1") or groups.get("year2"))
    if month_name and month is None:
        return None
    if day is not None and not 1 <= day <= _days_in_month(year, month):
        return None  # no 32 March, 30 February or 31 April: a date that cannot exist is no dateline date
    credit = groups.get("credit")
    return Dateline(
        raw=raw.strip(),
        city=city.name,
        country=city.country,
        timezone=city.timezone,
        credit=credit.strip() if credit else None,
        year=year,
        month=month,
        day=day,
    )


_OWN_LINE = re.compile(
    rf"^(?P<city>{_LETTERS}+(?:[ '’.-]+{_LETTERS}+){{0,3}})\.?"
    rf"(?:,\s*(?P<region>{_LETTERS}[^,\d\n]{{0,40}}?))?"
    rf"(?:\s+(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))?\.?$"
)


def parse_bare_dateline(line: str) -> Dateline | None:
    """Recognise a line that holds only a dateline: ``ANKARA``, ``ROME 1996-12-06``, ``AL-AIN, UAE 1996-12-06``.

    The city must be a known one (in the region's country, when the region names a
    country); the date, when there is one, must exist.

    Args:
        line: One whole paragraph.

    Returns:
        The dateline, or None when the line is not a lone known city starting with a
        capital letter, with an optional region and ISO date. Call it only on lines
        before the body, where a lone city is a dateline rather than a subheading.
    """
    text = line.strip()
    match = _OWN_LINE.match(text)
    if not text or match is None or not text[0].isupper():
        return None
    region = match.group("region")
    country = country_code(region) if region else None
    # A region that names a country narrows the city to it; any other region (Mich., Ontario) does not.
    city = find_city(match.group("city"), country)
    if city is None:
        return None
    year = month = day = None
    if iso := match.group("iso"):
        year, month, day = (int(part) for part in iso.split("-"))
        if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
            return None
    return Dateline(
        raw=text,
        city=city.name,
        country=city.country,
        timezone=city.timezone,
        credit=None,
        year=year,
        month=month,
        day=day,
    )
