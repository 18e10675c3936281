"""Name normalisation for entity identity: one key for every spelling and script of a name.

A person's key is a Latin consonant skeleton: Cyrillic is transliterated by a fixed table,
Turkic letters are folded (``ə→a``, ``ı→i``, ``ş→sh``), spelling variants that differ
between the region's transliteration habits are unified (``c``/``ç``/``ch``/``dzh``/``dj``/``zh``/``j``
one class, ``sh``/``s`` one class, ``kh``/``x``/``g``/``h`` one class, because Russian writes
Azerbaijani ``H`` as ``Г``: Hajiyev = Гаджиев), and then every word keeps its first letter and its consonants only,
with doubled letters collapsed. So Hajiyev, Hacıyev and Гаджиев all give ``hjv``; Aliyev,
Əliyev and Алиев give ``alv``; Mammadov and Мамедов give ``mmdv``.

``c`` joins the ``j`` class in every Latin name, not only in Turkish or Azerbaijani copy: in
this region's names it is the Turkic letter (Recep, Cihangir, Cavid), and an English text that
drops the diacritics (Recep Tayyip Erdogan, Cavusoglu) must give the same key as one that keeps
them. The price is that a Western ``c`` name and its Cyrillic spelling (Carlos, Карлос) get two keys.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

from media_etl.clean.text import fold_key

# Russian, Kazakh, Kyrgyz and Uzbek Cyrillic letters to a phonetic-ish Latin.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "ng",
    "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u",
    "ў": "o", "ф": "f", "х": "kh", "ҳ": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ї": "yi", "є": "ye",
}  # fmt: skip
_CYRILLIC_VOWELS = set("аеёиоуыэюяәөұүіў")
_TURKIC_LATIN = str.maketrans(
    {"ə": "a", "ı": "i", "ö": "o", "ü": "u", "ş": "sh", "ç": "ch", "ğ": "g", "â": "a", "î": "i", "û": "u"}
)
# Apostrophes and modifier letters that Uzbek and Kazakh Latin use inside words (oʻ gʻ).
_APOSTROPHES = re.compile("['’ʻʼ`´]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Placeholders for digraphs that must survive the single-letter rules below.
_DIGRAPHS = (
    ("shch", "ŝ"), ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"),
    ("sh", "ŝ"), ("ch", "j"), ("ph", "f"),
)  # fmt: skip
_SINGLE = str.maketrans({"c": "j", "x": "h", "q": "k", "w": "v", "g": "h", "ŝ": "s"})
_VOWELS = frozenset("aeiouy")
_TRAILING_VOWEL_H = re.compile(r"([aeiou])h$")


def has_cyrillic(text: str) -> bool:
    """Tell whether a text holds any Cyrillic letter."""
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def _cyrillic_to_latin(text: str) -> str:
    out: list[str] = []
    previous = ""
    for ch in text:
        low = ch.lower()
        if low == "е" and (not previous or previous in _CYRILLIC_VOWELS or previous in "ъь" or not previous.isalpha()):
            out.append("ye")  # word-initial or after a vowel: Ельцин → Yeltsin, Алиева → Aliyeva
        elif low in _CYRILLIC:
            out.append(_CYRILLIC[low])
        else:
            out.append(low)
        previous = low
    return "".join(out)


def latinise(text: str) -> str:
    """Fold a name to lower-case ASCII Latin, transliterating Cyrillic and Turkic letters.

    Args:
        text: A name in any case and script.

    Returns:
        Lower-case ASCII letters, digits and single spaces (``Гаджиев`` → ``gadzhiev``,
        ``Hacıyev`` → ``haciyev``).
    """
    folded = fold_key(_APOSTROPHES.sub("", text))
    if has_cyrillic(folded):
        folded = _cyrillic_to_latin(folded)
    folded = folded.translate(_TURKIC_LATIN)
    folded = anyascii(unicodedata.normalize("NFC", folded)).lower()
    return " ".join(_NON_ALNUM.sub(" ", folded).split())


def _word_skeleton(word: str) -> str:
    word = _TRAILING_VOWEL_H.sub(r"\1", word)  # Musazadeh = Musazade
    for digraph, mark in _DIGRAPHS:
        word = word.replace(digraph, mark)
    word = word.translate(_SINGLE)
    if not word:
        return ""
    head, rest = word[0], [ch for ch in word[1:] if ch not in _VOWELS]
    letters = [head]
    for ch in rest:
        if ch != letters[-1]:
            letters.append(ch)
    return "".join(letters)


_CYRILLIC_CONSONANTS = frozenset("бвгджзйклмнпрстфхцчшщғқңһ")
_SURNAME_STEMS = ("ов", "ев", "ёв", "ин", "ын")


def russian_name_stem(word: str) -> str:
    """Undo the Russian instrumental and feminine oblique endings that change a name's consonants.

    Vowel endings (Токаева, Токаеву) need nothing: the skeleton drops vowels. Consonant ones do:
    Мирзиёевым → Мирзиёев, Шавкатом → Шавкат, Алиевой → Алиев. A word without Cyrillic letters
    is returned as it is.

    Args:
        word: One word of a name.

    Returns:
        The word without such an ending.
    """
    low = word.lower()
    if not has_cyrillic(word) or len(low) < 5:
        return word
    if low.endswith(("ым", "им")) and low[:-2].endswith(_SURNAME_STEMS):
        return word[:-2]
    if low.endswith("ой") and low[:-2].endswith(_SURNAME_STEMS):
        return word[:-2]
    if low.endswith(("ом", "ем")) and len(low) >= 6 and low[-3] in _CYRILLIC_CONSONANTS:
        return word[:-2]
    return word


def name_skeleton(name: str) -> str:
    """Reduce a person's name to its cross-script consonant skeleton (see the module docstring).

    Args:
        name: A personal name or surname in any script (``Hikmet Hajiyev``, ``Гаджиев``).

    Returns:
        One skeleton per word, space-separated (``hkmt hjv``); empty for a name with no letters.
    """
    words = " ".join(russian_name_stem(w) for w in name.split())
    return " ".join(s for s in (_word_skeleton(w) for w in latinise(words).split()) if s)


# Spelling variants of English organisation words (British/American, Turkic loans).
_ORG_SPELLINGS = (
    (re.compile(r"isation\b"), "ization"),
    (re.compile(r"\bcentre\b"), "center"),
    (re.compile(r"\bprogramme\b"), "program"),
    (re.compile(r"\bdefence\b"), "defense"),
    (re.compile(r"\blabour\b"), "labor"),
    (re.compile(r"\bco operation\b"), "cooperation"),
    (re.compile(r"\bcounsellor\b"), "counselor"),
)
_ORG_LEADING = re.compile(r"^(?:the|a|an)\s+")
_ORG_POSSESSIVE = re.compile(r"['’]s\b")


def org_skeleton(name: str) -> str:
    """Normalise an organisation name to a key: folded, Latin, British and American spellings merged.

    Args:
        name: The organisation's name as written.

    Returns:
        Lower-case ASCII words (``organization of turkic states``).
    """
    text = latinise(_ORG_POSSESSIVE.sub("", name.replace("-", " ")))
    text = _ORG_LEADING.sub("", text)
    for pattern, replacement in _ORG_SPELLINGS:
        text = pattern.sub(replacement, text)
    return text


def display_latin(name: str) -> str:
    """Spell a name in Latin letters for display: Cyrillic transliterated, Latin kept as written.

    Args:
        name: A name in any script.

    Returns:
        The name itself when it has no Cyrillic letters, else its transliteration by the
        same table the keys use, each word capitalised as in the original
        (``Хикмет Гаджиев`` → ``Khikmet Gadzhiyev``), so it keeps the name's key.
    """
    if not has_cyrillic(name):
        return name
    words = []
    for word in name.split():
        parts = []
        for part in word.split("-"):
            latin = _cyrillic_to_latin(part)
            parts.append(latin[:1].upper() + latin[1:] if part[:1].isupper() else latin)
        words.append("-".join(parts))
    return " ".join(words)
