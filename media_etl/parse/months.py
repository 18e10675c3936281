"""Month names of the region's languages, from the CLDR data that Babel ships."""

from __future__ import annotations

import re
from functools import cache

from babel.dates import get_month_names

from media_etl.clean.text import fold_key

# The languages whose wire copy media-etl reads; Babel has format (genitive, "марта")
# and stand-alone ("март") forms for each, wide and abbreviated.
MONTH_LOCALES = ("en", "tr", "az", "az_Cyrl", "ru", "kk", "ky", "uz", "uz_Cyrl", "tk")

# Abbreviations that wire copy uses but CLDR does not list.
_EXTRA_MONTH_NAMES = {"Sept": 9}


@cache
def month_table(locales: tuple[str, ...] = MONTH_LOCALES) -> dict[str, int]:
    """Map every folded month name of some locales to its number (1-12).

    Args:
        locales: CLDR locale names; by default the languages of the region's wire copy.

    Returns:
        Folded wide and abbreviated names, in format and stand-alone forms, with the
        wire-copy abbreviation "Sept". A spelling that means different months in two
        languages is dropped.
    """
    table: dict[str, int] = {}
    clashes: set[str] = set()
    for locale in locales:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    key = fold_key(name).rstrip(".")
                    if table.setdefault(key, number) != number:
                        clashes.add(key)
    for name, number in _EXTRA_MONTH_NAMES.items():
        table[fold_key(name)] = number
    for key in clashes:
        del table[key]
    return table


@cache
def month_pattern() -> str:
    """A regex alternation matching any month name in the table, in any letter case."""
    names = sorted(month_table(), key=len, reverse=True)
    # Keys are folded: allow both Turkic i-letters and either case of every letter.
    alternatives = []
    for name in names:
        parts = []
        for ch in name:
            if ch == "i":
                parts.append("[iIİı]")
            elif ch.upper() != ch:
                parts.append(f"[{re.escape(ch)}{re.escape(ch.upper())}]")
            else:
                parts.append(re.escape(ch))
        alternatives.append("".join(parts))
    return "(?:" + "|".join(alternatives) + r")(?![^\W\d_])\.?"


def month_number(name: str) -> int | None:
    """Return the month number for a name such as ``noyabr``, ``марта`` or ``Aug.``."""
    return month_table().get(fold_key(name).rstrip("."))


def is_english_month(name: str) -> bool:
    """Tell whether a month name is an English one (``Dec``, ``Sept.``, ``December``), as English wire copy writes.

    Args:
        name: A month name as written.

    Returns:
        True for English wide and abbreviated names, in any letter case.
    """
    return fold_key(name).rstrip(".") in month_table(("en",))
