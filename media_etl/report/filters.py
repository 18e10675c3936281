"""The article filters analysts use, in one place: the report, the export and the pooled feed read them from here.

A filter keeps the current article versions (the ``stg_articles`` view) published within a date
range, from an outlet, credited to an agency, in a language, datelined in a country. Its values
reach SQL as bound parameters only (``$since``, ``$until``, ``$outlets``, ``$agencies``,
``$language``, ``$country``), never as SQL text.

An outlet (or agency) is named by its display name, case-insensitive, or through the source
registry (``sources.yaml``) by its slug (``anadolu-agency``), a credit (``AA``) or a domain
(``aa.com.tr``): ``ArticleFilter.resolved`` adds the registry's names for what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb

from media_etl.sources import SourceRegistry, load_registry

LANGUAGE = re.compile(r"^[a-z]{2,3}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")

# The conditions on one stg_articles row, every value a bound parameter. Qualify the columns
# with a table alias by formatting ``{a}`` (``""`` or ``"alias."``).
_DATE_CONDITIONS = """
    (cast($since as date) is null or {a}published_date >= $since)
    and (cast($until as date) is null or {a}published_date <= $until)
"""
_ATTRIBUTE_CONDITIONS = """
    (cast($agencies as varchar[]) is null or list_contains($agencies, lower({a}agency)))
    and (cast($language as varchar) is null or lower({a}language) = $language)
    and (cast($country as varchar) is null or upper({a}dateline_country) = $country)
"""
_OUTLET_CONDITION = "(cast($outlets as varchar[]) is null or list_contains($outlets, lower({a}outlet_label)))"


class FilterError(ValueError):
    """A filter value is malformed; ``field`` names the option, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ArticleFilter:
    """Which current article versions count: by publication date, outlet, agency, language and country."""

    since: date | None = None
    """First publication date included; None for all. Undated articles are left out when it or
    ``until`` is set."""
    outlet: str | None = None
    """Outlet as typed: its display name (``outlet_label``: the outlet, else the credited agency),
    case-insensitive, or a name the registry resolves (see ``resolved``)."""
    until: date | None = None
    """Last publication date included; None for no limit."""
    agency: str | None = None
    """Credited agency as typed, case-insensitive (registry names resolve like the outlet's)."""
    language: str | None = None
    """ISO 639-1 (or -3) language code of the article, lower case."""
    country: str | None = None
    """ISO 3166-1 alpha-2 code of the dateline's country, upper case."""
    outlet_names: tuple[str, ...] = ()
    """Further outlet names the typed outlet stands for (from the registry)."""
    agency_names: tuple[str, ...] = ()
    """Further agency names the typed agency stands for (from the registry)."""

    def __post_init__(self) -> None:
        if self.since and self.until and self.until < self.since:
            raise FilterError("--until", f"until ({self.until}) is before since ({self.since})")
        if self.language is not None and not LANGUAGE.match(self.language):
            raise FilterError(
                "--language", f"a language is a 2- or 3-letter ISO 639 code such as en, not {self.language!r}"
            )
        if self.country is not None and not COUNTRY.match(self.country):
            raise FilterError("--country", f"a country is a 2-letter ISO 3166-1 code such as AZ, not {self.country!r}")

    @classmethod
    def parse(
        cls,
        *,
        since: str | None = None,
        until: str | None = None,
        outlet: str | None = None,
        agency: str | None = None,
        language: str | None = None,
        country: str | None = None,
    ) -> ArticleFilter:
        """Read a filter from command-line text; blank values mean no filter.

        Args:
            since: First publication date, ``YYYY-MM-DD``.
            until: Last publication date, ``YYYY-MM-DD``.
            outlet: Outlet name.
            agency: Agency name.
            language: Language code, any case.
            country: Country code, any case.

        Returns:
            The filter.

        Raises:
            FilterError: A date is malformed, until is before since, or a code is not one.
        """
        return cls(
            since=parse_date(since, "--since"),
            until=parse_date(until, "--until"),
            outlet=_blank_to_none(outlet),
            agency=_blank_to_none(agency),
            language=None if _blank_to_none(language) is None else str(language).strip().lower(),
            country=None if _blank_to_none(country) is None else str(country).strip().upper(),
        )

    def resolved(self, registry: SourceRegistry) -> ArticleFilter:
        """Add the registry's names for the typed outlet and agency.

        Args:
            registry: The source registry.

        Returns:
            A copy whose ``outlet_names`` and ``agency_names`` hold the canonical names the
            typed values stand for as a slug, credit, domain or name.
        """
        return replace(
            self,
            outlet_names=registry_names(self.outlet, registry),
            agency_names=registry_names(self.agency, registry),
        )

    def resolved_from(self, registry_file: Path) -> ArticleFilter:
        """``resolved`` with the registry read from a file, only when an outlet or agency needs it.

        Args:
            registry_file: The source registry (``sources.yaml``).

        Returns:
            The filter with the registry's names added, or itself when it names no outlet or agency.

        Raises:
            OSError: The registry cannot be read.
            RegistryError: The registry is malformed.
        """
        if not (self.outlet or self.agency):
            return self
        return self.resolved(load_registry(registry_file))

    @property
    def is_empty(self) -> bool:
        """True when the filter keeps every article."""
        return not any((self.since, self.until, self.outlet, self.agency, self.language, self.country))

    def describe(self) -> str:
        """Say in words what the filter keeps.

        Returns:
            Text such as ``since 2025-01-01, outlet Trend`` or ``all articles``.
        """
        parts = []
        if self.since:
            parts.append(f"since {self.since.isoformat()}")
        if self.until:
            parts.append(f"until {self.until.isoformat()}")
        for name in ("outlet", "agency", "language", "country"):
            value = getattr(self, name)
            if value:
                parts.append(f"{name} {value}")
        return ", ".join(parts) or "all articles"

    def params(self) -> dict[str, object]:
        """The values of the filter's SQL parameters.

        Returns:
            ``since``, ``until``, ``outlets`` and ``agencies`` (lower-case name lists, or None),
            ``language`` and ``country``.
        """
        return {
            "since": self.since,
            "until": self.until,
            "outlets": _keys(self.outlet, self.outlet_names),
            "agencies": _keys(self.agency, self.agency_names),
            "language": self.language,
            "country": self.country,
        }


def parse_date(text: str | None, option: str = "--since") -> date | None:
    """Read a date option.

    Args:
        text: A date as ``YYYY-MM-DD``, or None or blank for no limit.
        option: The option's name, for the error.

    Returns:
        The date, or None.

    Raises:
        FilterError: The text is not a date.
    """
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise FilterError(option, f"{option.lstrip('-')} must be a date as YYYY-MM-DD, not {text!r}") from None


def conditions(alias: str = "", *, outlet: bool = True) -> str:
    """The filter's SQL conditions on a ``stg_articles`` row.

    Args:
        alias: The table alias of the stg_articles row, or ``""`` for unqualified columns.
        outlet: Include the outlet condition (False when the caller applies it elsewhere,
            as the report's top stories do per story).

    Returns:
        A boolean SQL expression of bound parameters (see ``ArticleFilter.params``).
    """
    prefix = f"{alias}." if alias else ""
    parts = [_DATE_CONDITIONS, _ATTRIBUTE_CONDITIONS] + ([_OUTLET_CONDITION] if outlet else [])
    return "(" + "\n    and ".join(part.strip().format(a=prefix) for part in parts) + ")"


def outlet_condition(column: str = "outlet_label") -> str:
    """The outlet condition alone, on a column holding outlet labels.

    Args:
        column: The column (a name from the code, never user input).

    Returns:
        A boolean SQL expression of the ``$outlets`` parameter.
    """
    return _OUTLET_CONDITION.replace("{a}outlet_label", column)


SELECTED_ARTICLE_IDS = f"select article_id from stg_articles where {conditions()}"
"""The ids of the current article versions a filter keeps."""


def outlet_slug(name: str) -> str:
    """The slug of an outlet name: ASCII, lower case, words joined by hyphens.

    Args:
        name: A display name such as ``Anadolu Agency``.

    Returns:
        ``anadolu-agency``.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def registry_names(text: str | None, registry: SourceRegistry) -> tuple[str, ...]:
    """The registry's canonical names for an outlet as typed.

    Args:
        text: A display name, slug, credit (``AA``) or domain (``aa.com.tr``); None for none.
        registry: The source registry.

    Returns:
        The canonical names it stands for, possibly none.
    """
    if not text:
        return ()
    names = {outlet.name for outlet in registry.outlets if outlet_slug(outlet.name) == outlet_slug(text)}
    by_credit = registry.by_credit(text)
    if by_credit is not None:
        names.add(by_credit.name)
    by_domain = registry.by_url(f"https://{text.strip().lower()}/") if "." in text else None
    if by_domain is not None:
        names.add(by_domain.name)
    return tuple(sorted(names))


def known_names(connection: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    """The distinct values of an outlet or agency column among current article versions.

    Args:
        connection: A connection to media.db.
        column: ``outlet_label`` or ``agency``.

    Returns:
        The names, sorted.
    """
    if column not in {"outlet_label", "agency"}:
        raise ValueError(f"not a name column: {column}")
    rows = connection.execute(f"select distinct {column} from stg_articles where {column} is not null").fetchall()
    return sorted(str(name) for (name,) in rows)


def unmatched_names(connection: duckdb.DuckDBPyConnection, filters: ArticleFilter) -> list[str]:
    """Say which of the filter's outlet and agency match no article, with the closest names.

    Args:
        connection: A connection to media.db.
        filters: The filter, resolved against the registry or not.

    Returns:
        One message per typed name that matches no current article, such as
        ``no outlet matches 'Trnd'; close names: Trend``; empty when all match.
    """
    from rapidfuzz import fuzz, process

    messages = []
    for kind, typed, column in (("outlet", filters.outlet, "outlet_label"), ("agency", filters.agency, "agency")):
        if not typed:
            continue
        names = known_names(connection, column)
        wanted = _keys(typed, filters.outlet_names if kind == "outlet" else filters.agency_names) or []
        if any(name.lower() in wanted for name in names):
            continue
        close = process.extract(typed, names, scorer=fuzz.WRatio, processor=str.lower, limit=4, score_cutoff=60)
        hint = f"; close names: {', '.join(match for match, _, _ in close)}" if close else ""
        known = f"; known {kind}s: {', '.join(names)}" if not close and names else ""
        messages.append(f"no {kind} matches {typed!r}{hint}{known}")
    return messages


def _keys(typed: str | None, names: Iterable[str]) -> list[str] | None:
    if not typed:
        return None
    return sorted({typed.strip().lower(), *(name.lower() for name in names)})


def _blank_to_none(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None
