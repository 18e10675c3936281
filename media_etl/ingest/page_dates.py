"""An HTML page's publication date, and the calendar day the outlet printed it on.

Sources, most trusted first (the first that gives a plausible date wins):

1. JSON-LD ``datePublished``, an article's before any other type's;
2. meta tags that name the publication time (``article:published_time``, ``datePublished``,
   ``dc.date.issued`` …) and ``<time>`` elements marked ``itemprop=datePublished`` or ``pubdate``;
3. the first ``<time datetime>`` after the page's ``<h1>`` or inside its ``<article>``: the date
   printed with the article;
4. htmldate on the markup, with the lead image and every last-modified tag hidden from it (a
   picture's upload date and an edit date are not the publication date), unless it contradicts
   the URL's date;
5. the date in the URL (``/2024/03/12/``);
6. last, htmldate's search of the page's text (``html-text``): a date printed near the top of
   a page that states none in its markup.

A modified date never stands in for the published one. A timestamp given in UTC (``Z``,
``+00:00``, ``GMT``) is moved into the page's own offset when the page shows one — another of
its timestamps with a non-zero offset — or, failing that, into its country's time zone when the
country (the region of its language tag or its country-code domain) keeps one calendar day at
that instant across all its zones. The instant never changes, only the offset, so that the
calendar day is the one the outlet printed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from copy import deepcopy
from datetime import date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import cache
from importlib import resources
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from htmldate import find_date
from lxml.html import HtmlElement

from media_etl.ingest.json_ld import JsonLd, is_article, read_json_ld

Published = tuple[datetime | date, str, str]
"""A publication time, its precision (second, minute, day) and where it came from."""

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
# htmldate: the original rather than the last-modified date. htmldate bounds dates by today,
# so a page dated in the future gets no date.
_MARKUP_OPTIONS: dict[str, object] = {
    "extensive_search": False,
    "original_date": True,
    "outputformat": _DATE_FORMAT,
}
_TEXT_OPTIONS: dict[str, object] = {"extensive_search": True, "original_date": True, "outputformat": _DATE_FORMAT}
# A page with no content, for asking htmldate what the URL alone says.
_EMPTY_PAGE = "<html><head></head><body><p></p></body></html>"

# Years outside this range are placeholders or typos, not publication dates.
_MIN_YEAR = 1900
_MAX_YEAR = 2100
_EPOCH = date(1970, 1, 1)

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
# The time of an ISO 8601 timestamp: hours, then minutes and seconds when given.
_TIME_PART = re.compile(r"[T ]\s*\d{2}(:?\d{2})?(:?\d{2})?")
_JSON_LD_DATE = re.compile(r""""datePublished"\s*:\s*"([^"]+)\"""")
# An RFC 2822 date (``Wed, 04 May 2022 00:25:56 GMT``), as some JSON-LD writes it.
_RFC_2822 = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+\S+")
# Any ISO 8601 timestamp with a zone offset, wherever the page writes one.
_OFFSET_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([+-]\d{2}:?\d{2})")
_LANGUAGE_REGION = re.compile(r"[A-Za-z]{2,3}[-_]([A-Za-z]{2})\b")

# Meta tag names (``property``, ``name`` or ``itemprop``, lower-cased) that give the
# publication time, in order of trust.
_META_DATE_NAMES = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dcterms.issued",
    "parsely-pub-date",
    "sailthru.date",
)
# Meta tags that give when a page was last changed, hidden from htmldate's look at the markup.
_MODIFIED_META_NAMES = frozenset(
    {
        "article:modified_time",
        "og:updated_time",
        "og:article:modified_time",
        "datemodified",
        "last-modified",
        "lastmodified",
        "dcterms.modified",
        "dc.date.modified",
        "revised",
    }
)
# Country-code domains that are not the country's code.
_DOMAIN_COUNTRY = {"uk": "GB"}


def page_publication(tree: HtmlElement, url: str | None, json_ld: JsonLd | None = None) -> Published | None:
    """Find a page's publication time (see the module docstring for the order).

    Args:
        tree: The parsed page, before extraction changes it (it is not changed here).
        url: The page's address, if known.
        json_ld: The page's JSON-LD, when the caller has read it already.

    Returns:
        The time (an aware datetime in the page's own offset, a naive datetime when the page
        gives no zone, or a date), its precision and its source (json-ld, html-meta, url or
        html-text), or None when the page states no plausible date.
    """
    json_ld = json_ld if json_ld is not None else read_json_ld(tree)
    found = _first_stated(tree, url, json_ld)
    if found is None:
        return None
    moment, precision, source = found
    if isinstance(moment, datetime) and moment.utcoffset() == timedelta(0):
        local = _page_offset(tree, url, moment, json_ld)
        if local is not None:
            moment = moment.astimezone(local)
    return moment, precision, source


def _first_stated(tree: HtmlElement, url: str | None, json_ld: JsonLd) -> Published | None:
    for raw in _json_ld_dates(json_ld):
        parsed = parse_timestamp(raw)
        if parsed is not None:
            return parsed[0], parsed[1], "json-ld"
    for raw in _meta_dates(tree):
        parsed = parse_timestamp(raw)
        if parsed is not None:
            return parsed[0], parsed[1], "html-meta"
    for raw in _headline_times(tree):
        parsed = parse_timestamp(raw)
        if parsed is not None:
            return parsed[0], parsed[1], "html-meta"
    url_day = _url_date(url)
    markup = _htmldate(tree, _MARKUP_OPTIONS)
    # A date htmldate found in the markup that contradicts the article's URL is an image's
    # or a related story's: the URL is the better witness then.
    if markup is not None and (url_day is None or abs(_day_of(markup[0]) - url_day).days <= 1):
        return markup[0], markup[1], "html-meta"
    if url_day is not None:
        return url_day, "day", "url"
    text = _htmldate(tree, _TEXT_OPTIONS)
    if text is not None and (not _new_year(text[0]) or _prints_day(tree, text[0])):
        return text[0], text[1], "html-text"
    return None


def _new_year(moment: datetime | date) -> bool:
    return not isinstance(moment, datetime) and (moment.month, moment.day) == (1, 1)


def _prints_day(tree: HtmlElement, day: date) -> bool:
    """Tell whether the page's visible text prints ``day`` in full: day, month (number or name) and year.

    htmldate's text search reports a bare year ("opened in 1998") as 1 January of that year,
    so a 1 January it finds in the text must be printed as a full date to count.
    """
    page = deepcopy(tree)
    for element in page.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    text = " ".join(page.text_content().split())
    y, m, d = str(day.year), rf"0?{day.month}", rf"0?{day.day}"
    patterns = (
        rf"\b{y}[-./]{m}[-./]{d}\b",  # 2024-03-05, 2024.03.05
        rf"\b{d}[-./]\s?{m}[-./]\s?{y}\b",  # 5.3.2024, 05/03/2024
        rf"\b{m}/{d}/{y}\b",  # 3/5/2024
        rf"\b{d}(?:st|nd|rd|th|er|\.)?\s{{1,3}}(?:de\s)?[^\W\d]{{3,12}}\.?,?\s{{1,3}}(?:de\s)?{y}\b",  # 5. März 2024
        rf"\b[^\W\d]{{3,12}}\.?\s{{1,3}}{d}(?:st|nd|rd|th)?,?\s{{1,3}}{y}\b",  # March 5, 2024
    )
    return any(re.search(pattern, text) for pattern in patterns)


def _htmldate(tree: HtmlElement, options: dict[str, object]) -> tuple[datetime | date, str] | None:
    """Ask htmldate for the page's date, leaving out the URL, the lead image and last-modified tags."""
    page = deepcopy(tree)
    for meta in page.iter("meta"):
        names = {(meta.get(a) or "").strip().lower() for a in ("property", "name", "itemprop", "http-equiv")}
        # htmldate reads a date out of the og:image address, which is when the picture was
        # uploaded (often years before the article).
        if "og:image" in names or names & _MODIFIED_META_NAMES:
            meta.drop_tree()
    # url="" keeps htmldate from reading the date out of the canonical URL.
    found = find_date(page, url="", **options)  # type: ignore[arg-type]
    return _parse_htmldate(found) if found else None


def _url_date(url: str | None) -> date | None:
    if not url:
        return None
    found = find_date(_EMPTY_PAGE, url=url, **_MARKUP_OPTIONS)  # type: ignore[arg-type]
    parsed = _parse_htmldate(found) if found else None
    return _day_of(parsed[0]) if parsed else None


def _day_of(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _json_ld_dates(json_ld: JsonLd) -> Iterator[str]:
    """Yield the ``datePublished`` values of the page's JSON-LD, articles before other types."""
    found: list[tuple[int, int, str]] = []
    for payload in json_ld.payloads:
        for article, raw in _walk_json_ld(payload):
            found.append((0 if article else 1, len(found), raw))
    for source in json_ld.broken:
        # Broken JSON still states its date plainly.
        found.extend((1, len(found), raw) for raw in _JSON_LD_DATE.findall(source))
    for _, _, raw in sorted(found):
        yield raw


def _walk_json_ld(node: object) -> Iterator[tuple[bool, str]]:
    """Yield (is it an article's, value) for every ``datePublished``, nested objects included."""
    if isinstance(node, list):
        for item in node:
            yield from _walk_json_ld(item)
    elif isinstance(node, dict):
        value = node.get("datePublished")
        if isinstance(value, str):
            yield is_article(node), value
        for key, child in node.items():
            if key != "datePublished" and isinstance(child, dict | list):
                yield from _walk_json_ld(child)


def _meta_dates(tree: HtmlElement) -> Iterator[str]:
    """Yield the publication times that meta tags and ``<time>`` elements state, most trusted first."""
    by_name: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = (meta.get("content") or "").strip()
        for attribute in ("property", "name", "itemprop"):
            name = (meta.get(attribute) or "").strip().lower()
            if content and name in _META_DATE_NAMES:
                by_name.setdefault(name, content)
    for name in _META_DATE_NAMES:
        if name in by_name:
            yield by_name[name]
    for element in tree.iter("time"):
        moment = element.get("datetime")
        if moment and (element.get("itemprop") == "datePublished" or element.get("pubdate") is not None):
            yield moment


def _headline_times(tree: HtmlElement) -> Iterator[str]:
    """Yield the ``datetime`` of the first ``<time>`` printed with the article.

    That is the first ``<time datetime>`` inside the page's first ``<article>``, or else the
    first one after its first ``<h1>`` in document order. A time marked as a modification
    (``itemprop=dateModified``, or a class naming an update) is passed over.
    """
    articles = tree.xpath("//article")
    after_h1 = "(//h1)[1]/following::time[@datetime]"
    times = articles[0].xpath(".//time[@datetime]") if articles else tree.xpath(after_h1)
    for element in times[:3]:
        marks = f"{element.get('itemprop') or ''} {element.get('class') or ''}".lower()
        if "modif" in marks or "update" in marks:
            continue
        yield element.get("datetime") or ""
        return


def parse_timestamp(raw: str) -> tuple[datetime | date, str] | None:
    """Parse an ISO 8601 (or RFC 2822) date or timestamp, keeping its zone and how precise it is.

    Args:
        raw: The text of a date attribute or JSON-LD value.

    Returns:
        The date, or the datetime with its zone as written (naive when none is), and its
        precision (day, minute or second); None when it is no plausible date.
    """
    raw = raw.strip()
    if _DATE_ONLY.fullmatch(raw):
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            return None
        return (day, "day") if _plausible(day) else None
    if _RFC_2822.fullmatch(raw):
        return _parse_rfc_2822(raw)
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if not _plausible(moment.date()):
        return None
    time_part = _TIME_PART.search(raw)
    if moment.tzinfo is None and (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        # A local midnight without zone is how many sites write a bare date.
        return moment.date(), "day"
    if time_part is None or time_part.group(1) is None:
        # An hour without minutes is no precision the warehouse knows: keep the day only.
        return moment.date(), "day"
    return moment, "second" if time_part.group(2) else "minute"


def _parse_rfc_2822(raw: str) -> tuple[datetime | date, str] | None:
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if not _plausible(moment.date()):
        return None
    return moment, "second" if raw.count(":") == 2 else "minute"


def _parse_htmldate(found: str) -> tuple[datetime | date, str] | None:
    """Read htmldate's output, which always prints seconds, midnight for a bare date."""
    try:
        moment = datetime.fromisoformat(found)
    except ValueError:
        return None
    if not _plausible(moment.date()):
        return None
    if moment.tzinfo is None and (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.date(), "day"
    return moment, "second" if moment.second else "minute"


def _plausible(day: date) -> bool:
    return _MIN_YEAR <= day.year <= _MAX_YEAR and day != _EPOCH


def _page_offset(tree: HtmlElement, url: str | None, moment: datetime, json_ld: JsonLd) -> tzinfo | None:
    """The zone a page prints its times in, for moving a UTC timestamp to the page's calendar day.

    The most common non-zero offset among the page's own ISO timestamps (meta tags, ``<time>``
    elements, JSON-LD) wins; else the time zone of the page's country, when every zone of that
    country falls on the same calendar day at ``moment``.
    """
    offsets = Counter(_stated_offsets(tree, json_ld))
    if offsets:
        minutes = offsets.most_common(1)[0][0]
        return timezone(timedelta(minutes=minutes))
    country = _page_country(tree, url)
    return _country_zone(country, moment) if country else None


def _json_ld_strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _json_ld_strings(item)
    elif isinstance(node, dict):
        yield from _json_ld_strings(list(node.values()))


def _stated_offsets(tree: HtmlElement, json_ld: JsonLd) -> Iterator[int]:
    """Yield the non-zero UTC offsets, in minutes, of the timestamps the page states."""
    values = [meta.get("content") or "" for meta in tree.iter("meta")]
    values += [element.get("datetime") or "" for element in tree.iter("time")]
    values += [*_json_ld_strings(json_ld.payloads), *json_ld.broken]
    for value in values:
        for sign_hours_minutes in _OFFSET_STAMP.findall(value):
            digits = sign_hours_minutes.replace(":", "")
            minutes = int(digits[1:3]) * 60 + int(digits[3:5])
            if minutes:
                yield minutes if digits[0] == "+" else -minutes


def _page_country(tree: HtmlElement, url: str | None) -> str | None:
    """The country a page names: the region of its ``lang`` attribute, else its country-code domain."""
    root = tree.getroottree().getroot()
    # og:locale is left out: Facebook's locales name regions that are no country (es_LA).
    tags = [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for tag in tags:
        match = _LANGUAGE_REGION.match(tag.strip()) if tag else None
        if match and match.group(1).upper() in _zones_by_country():
            return match.group(1).upper()
    host = urlsplit(url).hostname if url and "://" in url else None
    suffix = host.rsplit(".", 1)[-1] if host and "." in host else ""
    country = _DOMAIN_COUNTRY.get(suffix, suffix.upper())
    return country if len(suffix) == 2 and country in _zones_by_country() else None


def _country_zone(country: str, moment: datetime) -> tzinfo | None:
    zones = _zones_by_country().get(country, ())
    days = {moment.astimezone(ZoneInfo(zone)).date() for zone in zones}
    return ZoneInfo(zones[0]) if len(days) == 1 else None


@cache
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """IANA zones by ISO country code, from the tz database's ``zone.tab`` (the main zone first)."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones: dict[str, list[str]] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            zones.setdefault(fields[0], []).append(fields[2])
    return {country: tuple(names) for country, names in zones.items()}


def page_country(tree: HtmlElement, url: str | None) -> str | None:
    """The country a page names: the region of its ``lang`` attribute, else its country-code domain.

    Args:
        tree: The parsed page.
        url: The page's address, for its domain.

    Returns:
        An ISO 3166-1 alpha-2 code, or None.
    """
    return _page_country(tree, url)


def country_zones(country: str) -> tuple[str, ...]:
    """The IANA zones of a country, its main zone first (empty for an unknown code).

    Args:
        country: An ISO 3166-1 alpha-2 code.

    Returns:
        The zone names from the tz database's ``zone.tab``.
    """
    return _zones_by_country().get(country.upper(), ())
