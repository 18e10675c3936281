"""A cheap, exact pre-check for ftfy's mojibake heuristic (``ftfy.badness.is_bad``).

``is_bad`` searches a regular expression of about forty alternatives at every position of
the text; on clean news text that is most of the cleaning stage's time. Every alternative of
that expression needs, somewhere in its match, either two adjacent non-ASCII characters from
two small classes (an accented capital after a lowercase accented letter, a currency sign
before a lowercase accented letter, ``Ã`` before ``©`` ...) or one rare character on its own
(a C1 control, ``Ã``, ``Â``, ``Œ``). This module reads those pairs and characters out of
ftfy's own expression when it is imported (so it follows ftfy's version), and
:func:`could_be_mojibake` looks only for them: a C-speed scan for the first character of a
pair with a look-ahead for any second one, then an exact check of the pair in Python.

When :func:`could_be_mojibake` is False, ``is_bad`` is False too: no alternative can match
without one of the pairs or characters. When it is True, the caller still asks ``is_bad``,
so the decision is the same as asking ``is_bad`` alone. ``tests/test_mojibake_precheck.py``
checks that against the corpora, generated mojibake and random text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

from ftfy.badness import BADNESS_RE


class PrecheckError(RuntimeError):
    """ftfy's expression has an alternative the pre-check cannot cover (a newer ftfy)."""


@dataclass(frozen=True)
class MojibakeClues:
    """What one of ftfy's alternatives cannot match without."""

    pairs: tuple[tuple[frozenset[str], frozenset[str]], ...]
    """(first, second) character classes: some alternative needs a character of the first
    class followed directly by one of the second."""
    singles: frozenset[str]
    """Characters some alternative needs, where it has no pair of non-ASCII classes."""


def _char_class(item: tuple[object, object]) -> frozenset[str] | None:
    """The characters one pattern item matches, or None unless it is one fixed character class."""
    op, arg = item
    if op is sre_constants.LITERAL:
        return frozenset(chr(arg))  # type: ignore[arg-type]
    if op is not sre_constants.IN:
        return None  # a repeat, an anchor, \s or \w, '.': not one fixed set of characters
    chars: set[str] = set()
    for member_op, member in arg:  # type: ignore[attr-defined]
        if member_op is sre_constants.LITERAL:
            chars.add(chr(member))
        elif member_op is sre_constants.RANGE:
            low, high = member
            chars.update(chr(code) for code in range(low, high + 1))
        else:  # a negated class or a category: unbounded
            return None
    return frozenset(chars)


def _non_ascii(chars: frozenset[str] | None) -> bool:
    return chars is not None and all(ord(c) > 0x7F for c in chars)


def derive_clues(pattern: re.Pattern[str]) -> MojibakeClues:
    """Read, for each alternative of ``pattern``, a pair of adjacent non-ASCII classes or one class it needs.

    For each top-level alternative the pair of adjacent non-ASCII character classes with the
    fewest combinations is taken (the rarest clue); an alternative with no such pair gives its
    smallest non-ASCII class as single characters.

    Args:
        pattern: ftfy's ``BADNESS_RE``.

    Returns:
        The pairs and single characters.

    Raises:
        PrecheckError: An alternative has neither (it could match ASCII-only text), so no
            cheap pre-check would be exact.
    """
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    items = list(parsed)
    alternatives = items[0][1][1] if len(items) == 1 and items[0][0] is sre_constants.BRANCH else [parsed]
    pairs: list[tuple[frozenset[str], frozenset[str]]] = []
    singles: set[str] = set()
    for alternative in alternatives:
        classes = [_char_class(item) for item in alternative]
        adjacent = [
            (first, second)
            for first, second in itertools.pairwise(classes)
            if first is not None and second is not None and _non_ascii(first) and _non_ascii(second)
        ]
        if adjacent:
            pairs.append(min(adjacent, key=lambda pair: len(pair[0]) * len(pair[1])))
            continue
        lone: list[frozenset[str]] = [chars for chars in classes if chars is not None and _non_ascii(chars)]
        if not lone:
            raise PrecheckError(f"ftfy's mojibake alternative {alternative!r} needs no non-ASCII character")
        smallest: frozenset[str] = min(lone, key=len)
        singles.update(smallest)
    return MojibakeClues(pairs=tuple(pairs), singles=frozenset(singles))


def _class_regex(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


CLUES = derive_clues(BADNESS_RE)
# For each character that can start a pair, every character that may follow it in one.
_SECOND_AFTER: dict[str, frozenset[str]] = {}
for _first, _second in CLUES.pairs:
    for _char in _first:
        _SECOND_AFTER[_char] = _SECOND_AFTER.get(_char, frozenset()) | _second
# A pair's first character with any pair's second after it (a look-ahead, so that pairs overlap);
# re scans for a pattern that starts with one character class in C.
_PAIR_START = re.compile(
    _class_regex(_SECOND_AFTER) + "(?=" + _class_regex(set().union(*(second for _, second in CLUES.pairs))) + ")"
)
_SINGLE = re.compile(_class_regex(CLUES.singles))


def could_be_mojibake(text: str) -> bool:
    """False when ftfy's ``is_bad`` cannot be True for ``text``; True when it might be.

    Args:
        text: Any text.

    Returns:
        Whether the text holds one of the character pairs or characters every mojibake
        pattern of ftfy needs. ASCII text never does.
    """
    if text.isascii():
        return False
    if _SINGLE.search(text):
        return True
    return any(text[found.end()] in _SECOND_AFTER[found.group()] for found in _PAIR_START.finditer(text))
