"""The source registry: which outlets exist, how copy credits them, and their time zones."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from media_etl.clean.text import fold_key

_REQUIRED = ("name", "country", "timezone")


class RegistryError(ValueError):
    """The source registry file is malformed; the message names the entry and field."""


@dataclass(frozen=True)
class Outlet:
    """One outlet or agency from the registry."""

    name: str
    country: str
    language: str | None
    timezone: str
    is_agency: bool
    domains: tuple[str, ...]
    credits: tuple[str, ...]
    feeds: tuple[str, ...] = ()
    follow_links: bool = False

    @property
    def zone(self) -> ZoneInfo:
        """The outlet's time zone."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class SourceRegistry:
    """Outlets indexed by every credit spelling, folded for case- and script-safe lookup."""

    outlets: tuple[Outlet, ...]

    def __post_init__(self) -> None:
        index: dict[str, Outlet] = {}
        domains: dict[str, Outlet] = {}
        for outlet in self.outlets:
            for alias in (outlet.name, *outlet.credits):
                index.setdefault(fold_key(alias), outlet)
            for domain in outlet.domains:
                domains.setdefault(domain.lower().removeprefix("www."), outlet)
        object.__setattr__(self, "_by_credit", index)
        object.__setattr__(self, "_by_domain", domains)

    def by_credit(self, credit: str) -> Outlet | None:
        """Return the outlet a credit such as ``AA`` or ``КАЗИНФОРМ`` names, if known.

        Args:
            credit: The credit as written in the copy, without slashes or brackets.

        Returns:
            The registered outlet, or None when no outlet uses that credit.
        """
        index: dict[str, Outlet] = self._by_credit  # type: ignore[attr-defined]
        return index.get(fold_key(credit.strip(" ./()")))

    def by_url(self, url: str | None) -> Outlet | None:
        """Return the outlet whose domain (or a parent domain of it) serves a URL.

        Args:
            url: An article or feed URL; ``None`` or a non-URL gives None.

        Returns:
            The registered outlet, or None.
        """
        if not url:
            return None
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        domains: dict[str, Outlet] = self._by_domain  # type: ignore[attr-defined]
        parts = host.split(".")
        for start in range(len(parts) - 1):
            outlet = domains.get(".".join(parts[start:]))
            if outlet:
                return outlet
        return None


def parse_registry(entries: Iterable[Mapping[str, Any]], origin: str = "<registry>") -> SourceRegistry:
    """Build a registry from already-loaded entries, checking every field.

    Args:
        entries: One mapping per outlet, with the keys documented in ``sources.yaml``.
        origin: Where the entries came from, for error messages.

    Returns:
        The registry.

    Raises:
        RegistryError: An entry misses a required field or names an unknown time zone.
    """
    outlets = []
    for position, entry in enumerate(entries, start=1):
        where = f"{origin}: outlet #{position}"
        if not isinstance(entry, Mapping):
            raise RegistryError(f"{where}: expected a mapping, got {type(entry).__name__}")
        missing = [key for key in _REQUIRED if not entry.get(key)]
        if missing:
            raise RegistryError(f"{where}: missing field(s) {', '.join(missing)}")
        try:
            ZoneInfo(str(entry["timezone"]))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise RegistryError(f"{where} ({entry['name']}): unknown time zone {entry['timezone']!r}") from exc
        outlets.append(
            Outlet(
                name=str(entry["name"]),
                country=str(entry["country"]).upper(),
                language=entry.get("language"),
                timezone=str(entry["timezone"]),
                is_agency=bool(entry.get("agency", False)),
                domains=tuple(entry.get("domains") or ()),
                credits=tuple(str(c) for c in entry.get("credits") or ()),
                feeds=tuple(str(u) for u in entry.get("feeds") or ()),
                follow_links=bool(entry.get("follow_links", False)),
            )
        )
    return SourceRegistry(tuple(outlets))


def load_registry(path: str | Path) -> SourceRegistry:
    """Read ``sources.yaml``.

    Args:
        path: The registry file.

    Returns:
        The registry.

    Raises:
        RegistryError: The file is not a mapping with an ``outlets`` list, or an entry is bad.
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or not isinstance(data.get("outlets"), list):
        raise RegistryError(f"{path}: expected a mapping with an 'outlets' list")
    return parse_registry(data["outlets"], origin=str(path))
