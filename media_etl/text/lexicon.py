"""The word lists the text layer shares: function words, titles, organisation heads, suffixes, demonyms.

They live in ``data/lexicon.yaml`` (one list per concept), are folded with ``fold_key`` and load
once per process. The entity extractor reads them; so will the quote attributor.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from media_etl.clean.text import fold_key

LEXICON_FILE = Path(__file__).resolve().parent / "data" / "lexicon.yaml"


def folded_words(value: Any) -> frozenset[str]:
    """Fold a space-separated string or a list of words into a set of keys."""
    if isinstance(value, str):
        return frozenset(fold_key(w) for w in value.split())
    return frozenset(fold_key(str(w)) for w in value)


@dataclass(frozen=True)
class Lexicon:
    """The extractor's word lists, folded with ``fold_key``."""

    function_words: frozenset[str]
    calendar_words: frozenset[str]
    title_heads: frozenset[str]
    title_modifiers: frozenset[str]
    org_heads: frozenset[str]
    generic_org_words: frozenset[str]
    coordinated_heads: frozenset[str]
    connectors: frozenset[str]
    demonyms: dict[str, str]
    speech_verbs: frozenset[str]
    honorifics: frozenset[str]
    surname_endings: tuple[str, ...]
    first_names: frozenset[str]
    turkic_suffixes: tuple[str, ...]
    """Case endings of Turkic words, longest first."""
    title_abbreviations: frozenset[str]
    clause_words: frozenset[str]
    not_city_words: frozenset[str]
    not_names: frozenset[str]
    """Capitalised words a statistical model may tag that name no entity (GMT, СМИ)."""


@cache
def lexicon() -> Lexicon:
    """Load the word lists of ``data/lexicon.yaml`` once per process.

    Returns:
        The folded word lists.
    """
    with LEXICON_FILE.open(encoding="utf-8") as handle:
        raw: dict[str, Any] = yaml.safe_load(handle)
    demonyms = {fold_key(word): code for code, words in raw["demonyms"].items() for word in words}
    endings = tuple(sorted({fold_key(w) for w in raw["surname_endings"].split()}, key=len, reverse=True))
    return Lexicon(
        function_words=folded_words(raw["function_words"]),
        calendar_words=folded_words(raw["calendar_words"]),
        title_heads=folded_words(raw["title_heads"]),
        title_modifiers=folded_words(raw["title_modifiers"]),
        org_heads=folded_words(raw["org_heads"]),
        generic_org_words=folded_words(raw["generic_org_words"]),
        coordinated_heads=folded_words(raw["coordinated_heads"]),
        connectors=frozenset(fold_key(c) for c in raw["name_connectors"]),
        demonyms=demonyms,
        speech_verbs=folded_words(raw["speech_verbs"]),
        honorifics=folded_words(raw["honorifics"]),
        surname_endings=endings,
        first_names=folded_words(raw["first_names"]),
        turkic_suffixes=tuple(sorted({fold_key(w) for w in raw["turkic_suffixes"].split()}, key=len, reverse=True)),
        title_abbreviations=folded_words(raw["title_abbreviations"]),
        clause_words=folded_words(raw["clause_words"]),
        not_city_words=folded_words(raw["not_city_words"]),
        not_names=folded_words(raw["not_names"]),
    )
