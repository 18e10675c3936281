"""Check the source registry: every problem of ``sources.yaml``, and the outlets the warehouse holds that it misses.

``media_etl.sources.load_registry`` stops at the first problem a run cannot go on with;
``registry_problems`` reads the same file and reports all of them, each with its entry and
field, so that one pass fixes the file. ``uncovered_outlets`` lists the sites and outlet names
of current articles that no registry entry covers, with their article counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb
import pandas as pd
import pycountry
import yaml

from media_etl.clean.text import fold_key
from media_etl.ingest.fetch import url_problem
from media_etl.sources import SourceRegistry

KNOWN_FIELDS = ("name", "country", "language", "timezone", "agency", "domains", "credits", "feeds", "follow_links")
"""The fields an outlet entry may have (``sources.yaml`` documents them)."""
_REQUIRED = ("name", "country", "timezone")
_LISTS = ("domains", "credits", "feeds")
_FLAGS = ("agency", "follow_links")


@dataclass(frozen=True)
class RegistryProblem:
    """One thing wrong in the registry file: where (entry and field) and what."""

    entry: str
    """``outlet #3 (Trend)``, or the file itself."""
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.entry}, field {self.field}" if self.field else self.entry
        return f"{where}: {self.message}"


def registry_problems(path: str | Path) -> list[RegistryProblem]:
    """Report every problem of a registry file, in file order.

    Checked: the file reads as YAML with an ``outlets`` list of mappings; each entry has
    ``name``, ``country`` and ``timezone``, and no field the registry does not know; the
    country is an ISO 3166-1 alpha-2 code, the language an ISO 639-1 code, the time zone an
    IANA zone; ``agency`` and ``follow_links`` are true or false; ``domains``, ``credits`` and
    ``feeds`` are lists of strings; a domain is a bare host name; a feed is an http(s) URL;
    and no name, credit, domain or feed belongs to two entries (the registry would silently
    give it to the first).

    Args:
        path: The registry file.

    Returns:
        The problems; empty when the file is valid.
    """
    file = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        return [RegistryProblem(file, None, f"cannot read the file: {exc.strerror or exc}")]
    except UnicodeDecodeError as exc:
        return [RegistryProblem(file, None, f"not UTF-8 text: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        return [RegistryProblem(file, None, f"not valid YAML{where}: {reason}")]
    if not isinstance(data, Mapping) or not isinstance(data.get("outlets"), list):
        return [RegistryProblem(file, "outlets", "expected a mapping with an 'outlets' list")]
    problems: list[RegistryProblem] = []
    owners: dict[tuple[str, str], str] = {}
    for position, entry in enumerate(data["outlets"], start=1):
        if not isinstance(entry, Mapping):
            problems.append(
                RegistryProblem(f"outlet #{position}", None, f"expected a mapping, got {type(entry).__name__}")
            )
            continue
        where = f"outlet #{position}" + (f" ({entry['name']})" if entry.get("name") else "")
        problems.extend(_entry_problems(entry, where))
        problems.extend(_duplicates(entry, where, owners))
    return problems


def _entry_problems(entry: Mapping[str, Any], where: str) -> list[RegistryProblem]:
    problems = []

    def problem(field: str | None, message: str) -> None:
        problems.append(RegistryProblem(where, field, message))

    for key in entry:
        if key not in KNOWN_FIELDS:
            problem(str(key), f"unknown field (known: {', '.join(KNOWN_FIELDS)})")
    for key in _REQUIRED:
        if entry.get(key) in (None, ""):
            problem(key, "missing (required)")
    name = entry.get("name")
    if name not in (None, "") and not isinstance(name, str):
        problem("name", f"expected text, got {name!r}")
    country = entry.get("country")
    if country not in (None, "") and (
        not isinstance(country, str) or pycountry.countries.get(alpha_2=country.upper()) is None
    ):
        hint = " (the United Kingdom is GB)" if str(country).upper() == "UK" else ""
        problem("country", f"{country!r} is not an ISO 3166-1 alpha-2 country code{hint}")
    language = entry.get("language")
    if language is not None and (
        not isinstance(language, str) or len(language) != 2 or pycountry.languages.get(alpha_2=language.lower()) is None
    ):
        problem("language", f"{language!r} is not an ISO 639-1 language code")
    zone = entry.get("timezone")
    if zone not in (None, ""):
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            problem("timezone", f"{zone!r} is not an IANA time zone (e.g. Europe/Istanbul)")
    for key in _FLAGS:
        if key in entry and not isinstance(entry[key], bool):
            problem(key, f"expected true or false, got {entry[key]!r}")
    for key in _LISTS:
        values = entry.get(key)
        if values is None:
            continue
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            problem(key, f"expected a list of non-empty strings, got {values!r}")
            continue
        for value in values:
            if key == "domains" and not _is_host_name(value):
                problem(key, f"{value!r} is not a bare domain name (like example.com, no scheme or path)")
            if key == "feeds":
                reason = url_problem(value)
                if reason:
                    problem(key, f"{value!r} is not a feed URL: {reason}")
    return problems


def _is_host_name(value: str) -> bool:
    labels = value.lower().split(".")
    return len(labels) >= 2 and all(
        label and len(label) <= 63 and all(c.isalnum() or c == "-" for c in label) for label in labels
    )


def _duplicates(entry: Mapping[str, Any], where: str, owners: dict[tuple[str, str], str]) -> list[RegistryProblem]:
    """Names, credits, domains and feeds already claimed by an earlier entry (``owners`` is updated)."""
    problems = []
    keys: list[tuple[str, str, str, str]] = []  # (field, kind, key, value as written)
    if isinstance(entry.get("name"), str):
        keys.append(("name", "name or credit", fold_key(entry["name"]), entry["name"]))
    for field, kind in (("credits", "name or credit"), ("domains", "domain"), ("feeds", "feed")):
        values = entry.get(field)
        if not isinstance(values, list):
            continue
        for value in values:
            if not isinstance(value, str):
                continue
            if field == "credits":
                keys.append((field, kind, fold_key(value.strip(" ./()")), value))
            elif field == "domains":
                keys.append((field, kind, value.lower().removeprefix("www."), value))
            else:
                keys.append((field, kind, value.strip(), value))
    for field, kind, key, value in keys:
        owner = owners.setdefault((kind, key), where)
        if owner != where:
            problems.append(RegistryProblem(where, field, f"{value!r} is already {owner}'s {kind}"))
    return problems


_UNCOVERED_QUERY = """
select
    a.article_id,
    a.outlet,
    a.url as article_url,
    s.url as source_url,
    s.source_uri
from stg_articles as a
left join article_sources as s on s.article_id = a.article_id
"""


def uncovered_outlets(connection: duckdb.DuckDBPyConnection, registry: SourceRegistry) -> pd.DataFrame:
    """List the sites and outlet names of current articles that no registry entry covers.

    An article is covered when its address (its own URL, else its source's URL or fetched
    address) is on a registered domain, or its outlet name is a registered name or credit.
    Articles with neither a web address nor an outlet name (local wire copy that credits no
    registered agency) name nothing to register and are left out.

    Args:
        connection: media.db, with the ``stg_articles`` and ``article_sources`` views.
        registry: The source registry.

    Returns:
        One row per (site, outlet): ``site`` (host without ``www.``, or None), ``outlet`` (the
        name the articles carry: the site's own name metadata, or None), ``articles`` (current
        articles) and ``example`` (one article URL), most articles first.
    """
    rows = connection.execute(_UNCOVERED_QUERY).df()
    columns = ["site", "outlet", "articles", "example"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    address = rows["article_url"].where(_is_web(rows["article_url"]), None)
    for fallback in ("source_url", "source_uri"):
        address = address.where(address.notna(), rows[fallback].where(_is_web(rows[fallback]), None))
    rows["address"] = address
    per_article = rows.sort_values(["article_id", "address"], na_position="last").groupby("article_id").first()
    per_article["outlet"] = per_article["outlet"].where(per_article["outlet"].notna(), None)
    covered = [
        (isinstance(url, str) and registry.by_url(url) is not None)
        or (isinstance(outlet, str) and registry.by_credit(outlet) is not None)
        for url, outlet in zip(per_article["address"], per_article["outlet"], strict=True)
    ]
    missing = per_article[[not c for c in covered]].copy()
    missing["site"] = [
        (urlsplit(url).hostname or "").lower().removeprefix("www.") or None if isinstance(url, str) else None
        for url in missing["address"]
    ]
    missing = missing[missing["site"].notna() | missing["outlet"].notna()]
    if missing.empty:
        return pd.DataFrame(columns=columns)
    grouped = (
        missing.reset_index()
        .groupby(["site", "outlet"], dropna=False)
        .agg(articles=("article_id", "nunique"), example=("address", "first"))
        .reset_index()
        .sort_values(["articles", "site", "outlet"], ascending=[False, True, True], na_position="last")
    )
    for column in ("site", "outlet", "example"):
        grouped[column] = grouped[column].astype(object).where(grouped[column].notna(), None)
    grouped["articles"] = grouped["articles"].astype("int64")
    return grouped[columns].reset_index(drop=True)


def _is_web(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.match(r"(?i)^https?://")
