"""Find the taxonomy's themes in an article body, with the words that show each one.

The taxonomy (``themes.yaml``) lists keywords and regular expressions per theme and
language. Every theme's terms, in all its languages, compile into one regular expression
when the taxonomy is loaded; matching is case-insensitive (Python's ``re`` treats
``I ı İ i`` as one letter under ``IGNORECASE``) and whole-word, and evidence offsets point
into ``ArticleText.body``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from media_etl.enrich.records import ArticleText, ThemeHit

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_FIELDS = {"id", "label", "description", "keywords", "patterns"}
_APOSTROPHE = "'ʻʼ‘’`"
_HYPHEN = "-‐‑"
_FLAGS = re.IGNORECASE


class TaxonomyError(ValueError):
    """The taxonomy is malformed; the message names the theme and the field."""


@dataclass(frozen=True)
class Theme:
    """One theme of the taxonomy, with its terms compiled into one expression."""

    id: str
    label: str
    description: str
    keywords: Mapping[str, tuple[str, ...]]
    """Keywords per language code, as written in the taxonomy."""
    patterns: Mapping[str, tuple[str, ...]]
    """Regular expressions per language code, as written in the taxonomy."""
    regex: re.Pattern[str] = field(repr=False, compare=False)
    """Every keyword and pattern of every language, as whole words, case-insensitive."""


@dataclass(frozen=True)
class Taxonomy:
    """The themes, in taxonomy order."""

    themes: tuple[Theme, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """The theme ids, in taxonomy order."""
        return tuple(theme.id for theme in self.themes)


def keyword_regex(keyword: str) -> str:
    """Turn a taxonomy keyword into a regular expression (without the word boundaries).

    Args:
        keyword: A word or phrase; a trailing ``*`` takes any word ending, a space any
            whitespace, a hyphen an optional hyphen or space, an apostrophe any apostrophe.

    Returns:
        The expression, e.g. ``dezenformasyon\\w*`` for ``dezenformasyon*``.

    Raises:
        ValueError: The keyword is empty or has a ``*`` other than at its end.
    """
    text = " ".join(keyword.split())
    stem = text.endswith("*")
    text = text.removesuffix("*").rstrip()
    if not text or "*" in text:
        raise ValueError(f"keyword {keyword!r}: expected a word or phrase, with * only at the end")
    parts = []
    for ch in text:
        if ch == " ":
            parts.append(r"\s+")
        elif ch in _HYPHEN:
            parts.append(rf"[{_HYPHEN}\s]?")
        elif ch in _APOSTROPHE:
            parts.append(f"[{_APOSTROPHE}]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts) + (r"\w*" if stem else "")


def parse_taxonomy(data: Any, origin: str = "<taxonomy>") -> Taxonomy:
    """Build a taxonomy from already-loaded YAML, checking every field and compiling the terms.

    Args:
        data: A mapping with a ``themes`` list, as documented in ``themes.yaml``.
        origin: Where the data came from, for error messages.

    Returns:
        The taxonomy, each theme's terms compiled once.

    Raises:
        TaxonomyError: A missing, unknown or mistyped field, a duplicate id, a bad
            keyword, a pattern that does not compile or matches the empty string, or a
            theme without any term. The message names the theme and the field.
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("themes"), list):
        raise TaxonomyError(f"{origin}: expected a mapping with a 'themes' list")
    themes: list[Theme] = []
    seen: set[str] = set()
    for position, entry in enumerate(data["themes"], start=1):
        theme = _parse_theme(entry, f"{origin}: theme #{position}")
        if theme.id in seen:
            raise TaxonomyError(f"{origin}: theme {theme.id!r}: field 'id': duplicate id")
        seen.add(theme.id)
        themes.append(theme)
    if not themes:
        raise TaxonomyError(f"{origin}: the 'themes' list is empty")
    return Taxonomy(tuple(themes))


def _parse_theme(entry: Any, where: str) -> Theme:
    if not isinstance(entry, Mapping):
        raise TaxonomyError(f"{where}: expected a mapping, got {type(entry).__name__}")
    theme_id = entry.get("id")
    if not isinstance(theme_id, str) or not _ID.match(theme_id):
        raise TaxonomyError(f"{where}: field 'id': expected lowercase letters, digits and _, got {theme_id!r}")
    where = f"{where} ({theme_id})"
    unknown = sorted(set(map(str, entry)) - _FIELDS)
    if unknown:
        raise TaxonomyError(f"{where}: unknown field(s) {', '.join(unknown)}; expected {', '.join(sorted(_FIELDS))}")
    for name in ("label", "description"):
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            raise TaxonomyError(f"{where}: field {name!r}: expected non-empty text, got {value!r}")
    keywords = _terms(entry.get("keywords"), where, "keywords")
    patterns = _terms(entry.get("patterns"), where, "patterns")
    alternatives: list[str] = []
    for language, terms in keywords.items():
        for keyword in terms:
            try:
                alternatives.append(keyword_regex(keyword))
            except ValueError as exc:
                raise TaxonomyError(f"{where}: field 'keywords.{language}': {exc}") from exc
    for language, terms in patterns.items():
        for pattern in terms:
            try:
                compiled = re.compile(pattern, _FLAGS)
            except re.error as exc:
                raise TaxonomyError(
                    f"{where}: field 'patterns.{language}': {pattern!r} does not compile: {exc}"
                ) from exc
            if compiled.fullmatch(""):
                raise TaxonomyError(f"{where}: field 'patterns.{language}': {pattern!r} matches the empty string")
            alternatives.append(pattern)
    if not alternatives:
        raise TaxonomyError(f"{where}: no keywords or patterns in any language")
    # Python takes the first alternative that fits, so phrases go before the words they contain.
    alternatives.sort(key=lambda alt: (-alt.count(r"\s"), -len(alt)))
    joined = "|".join(f"(?:{alt})" for alt in alternatives)
    try:
        regex = re.compile(rf"(?<!\w)(?:{joined})(?!\w)", _FLAGS)
    except re.error as exc:  # e.g. inline flags or backreferences that only work alone
        raise TaxonomyError(f"{where}: field 'patterns': the terms do not combine into one expression: {exc}") from exc
    return Theme(theme_id, entry["label"].strip(), " ".join(entry["description"].split()), keywords, patterns, regex)


def _terms(value: Any, where: str, name: str) -> dict[str, tuple[str, ...]]:
    """Check a per-language mapping of term lists."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TaxonomyError(f"{where}: field {name!r}: expected a mapping of language code to list")
    terms: dict[str, tuple[str, ...]] = {}
    for language, items in value.items():
        if not isinstance(language, str) or not _LANGUAGE.match(language):
            raise TaxonomyError(f"{where}: field {name!r}: {language!r} is not a two-letter language code")
        if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
            raise TaxonomyError(f"{where}: field '{name}.{language}': expected a list of non-empty strings")
        terms[language] = tuple(items)
    return terms


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and check a taxonomy file such as ``themes.yaml``.

    Args:
        path: The YAML file.

    Returns:
        The taxonomy, each theme's terms compiled once.

    Raises:
        TaxonomyError: The file is not valid YAML or a theme is malformed (the message
            names the file, the theme and the field).
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{path}: not valid YAML: {exc}") from exc
    return parse_taxonomy(data, origin=str(path))


def find_themes(article: ArticleText, taxonomy: Taxonomy) -> list[ThemeHit]:
    """Find every piece of evidence for every theme in an article's body.

    Args:
        article: The article; only its body is searched, so offsets index ``article.body``.
        taxonomy: The loaded taxonomy.

    Returns:
        One hit per match, ordered by offset then theme; ``body[char_start:char_end]``
        equals ``evidence``. A theme's matches never overlap each other; different themes
        may share words.
    """
    body = article.body
    hits = [
        ThemeHit(article.article_id, theme.id, match.group(), match.start(), match.end())
        for theme in taxonomy.themes
        for match in theme.regex.finditer(body)
        if match.end() > match.start()
    ]
    order = {theme_id: n for n, theme_id in enumerate(taxonomy.ids)}
    return sorted(hits, key=lambda hit: (hit.char_start, order[hit.theme]))
