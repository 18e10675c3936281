"""Detect an article's language and script: lingua for most languages, a letter-and-word rule for Uzbek.

lingua (a Rust n-gram model) is restricted to the configured languages, because
loading all 75 of its models costs about 1.4 GB and several seconds. It has no
Uzbek model, and it reads Uzbek Latin as Azerbaijani and Uzbek Cyrillic as Kazakh,
so a scoring rule runs first: Uzbek has letters and words its neighbours lack
(``oʻ gʻ``, ``va``, ``bilan``, ``uchun``; Cyrillic ``ў ҳ``), while Turkish and
Azerbaijani text is full of ``ə ı ş ç ğ ö ü``, Kazakh of ``ә ө ү ұ і ң``, and English or
Russian of their function words, each of which vetoes the rule. When the evidence is too
thin to decide alone, a text that lingua calls Azerbaijani without a single ``ə`` (or
Kazakh without any Kazakh letter) but that has some Uzbek evidence is Uzbek.

Measured on 182 short texts written for the tests (26 per language and Uzbek script):
see ``tests/test_enrich_language.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
from lingua import LanguageDetector as LinguaDetector

from schemas.vocabularies import CYRILLIC, LATIN, MIXED

DEFAULT_LANGUAGES = ("en", "tr", "az", "ru", "kk", "uz")

# Fewer letters than this say too little about language or script.
MIN_LETTERS = 12
# lingua's confidence values over the configured languages sum to 1; below this the top one is a guess.
MIN_CONFIDENCE = 0.6
# The smaller script must hold this share of the Latin and Cyrillic letters for "Mixed".
MIXED_SHARE = 0.2
# lingua reads this much of a long text; language does not change halfway through an article.
MAX_CHARS = 4000

# Codes this module handles without lingua.
_RULE_LANGUAGES = frozenset({"uz"})

_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u052f]")

# --- Uzbek evidence -------------------------------------------------------------------------
_APOSTROPHES = "ʻʼ'‘’`"
_WORD = re.compile(rf"[^\W\d_](?:[^\W\d_]|[{_APOSTROPHES}](?=[^\W\d_]))*")
# oʻ and gʻ before a lowercase letter (so not O'Brien), but not an English possessive (Kosovo's).
_UZ_LATIN_LETTER = re.compile(rf"[oOgG][{_APOSTROPHES}](?!s(?![^\W\d_]))(?=[a-z])")
# Letters of Turkish and Azerbaijani (and Kazakh Latin) that the Uzbek Latin alphabet lacks.
_TURKIC_LETTER = re.compile("[əƏıİşŞçÇğĞöÖüÜ]")
_TURKIC_VETO_SHARE = 0.01
_UZ_CYRILLIC_LETTER = re.compile("[ўЎҳҲ]")
_KK_CYRILLIC_LETTER = re.compile("[әӘөӨүҮұҰіІңҢһҺ]")
_UZ_WORDS = frozenset({
    "va", "bilan", "uchun", "bo'yicha", "hamda", "mazkur", "ushbu", "orqali", "tomonidan", "haqida", "davomida",
    "shuningdek", "yilda", "yilning", "bo'lib", "o'tdi", "qilindi", "etildi", "xalqaro", "hamkorlik", "o'zbekiston",
    "respublikasi", "prezidenti", "so'ng", "bo'ladi", "bo'lgan", "qilish", "to'g'risida", "sohasida", "asosida",
    "yangi", "qaror", "davlat", "muhokama", "yig'ilish", "o'tkazildi", "ta'kidladi", "qildi", "oid", "doir",
    "maqsadida", "tadbir", "mamlakat", "viloyati", "shahri", "joriy", "ikki", "ва", "билан", "учун", "бўйича",
    "ҳамда", "мазкур", "ушбу", "орқали", "томонидан", "ҳақида", "давомида", "шунингдек", "йилда", "йилнинг",
    "бўлиб", "ўтди", "қилинди", "этилди", "халқаро", "ҳамкорлик", "ўзбекистон", "республикаси", "президенти",
    "сўнг", "бўлади", "бўлган", "қилиш", "тўғрисида", "соҳасида", "асосида", "янги", "қарор", "давлат", "муҳокама",
    "йиғилиш", "ўтказилди", "таъкидлади", "қилди", "оид", "доир", "мақсадида", "тадбир", "мамлакат", "вилояти",
    "шаҳри", "жорий", "икки"
})  # fmt: skip
# Inflections that Uzbek spells this way and its neighbours do not (Turkish -ları, Azerbaijani -ləri).
_UZ_SUFFIXES = (
    "larni", "lari", "larga", "moqda", "lgan", "ligi", "dagi",
    "ларни", "лари", "ларга", "моқда", "лган", "лиги", "даги",
)  # fmt: skip
# Function words of English and Russian: a text full of them quotes Uzbek at most.
_FOREIGN_FUNCTION_WORDS = frozenset({
    "the", "and", "of", "to", "in", "was", "for", "on", "by", "with", "that", "from", "as", "were", "has", "have",
    "will", "said", "are", "this", "it", "its", "his", "her", "their", "и", "в", "во", "на", "с", "по", "не", "что",
    "был", "была", "были", "от", "для", "к", "о", "об", "за", "это", "как", "он", "она", "они", "его", "её", "их",
    "также"
})  # fmt: skip
_FOREIGN_VETO_SHARE = 0.1
# Evidence needed: this many hits, and this many per word.
_UZ_MIN_HITS = 2
_UZ_MIN_DENSITY = 0.12
# Letters without which a text of some length is not Azerbaijani (ə) or Kazakh (ә ө ү ұ і ң һ):
# when lingua names either language for such a text, weaker Uzbek evidence is enough.
_AZ_LETTER = re.compile("[əƏ]")
_SECOND_CHANCE_LETTERS = 30


@dataclass(frozen=True)
class UzbekEvidence:
    """What the Uzbek rule counted in one text."""

    words: int
    hits: int
    vetoed: bool

    @property
    def is_likely_uzbek(self) -> bool:
        """Whether there is some Uzbek evidence and nothing against it."""
        return not self.vetoed and self.hits >= 1

    @property
    def is_uzbek(self) -> bool:
        """Whether the evidence is strong and dense enough to call the text Uzbek."""
        return (
            not self.vetoed
            and self.hits >= _UZ_MIN_HITS
            and self.words > 0
            and self.hits / self.words >= _UZ_MIN_DENSITY
        )


def uzbek_evidence(text: str) -> UzbekEvidence:
    """Count the letters, words and endings that mark a text as Uzbek (Latin or Cyrillic).

    Args:
        text: Any text.

    Returns:
        The number of words, the number of Uzbek hits, and whether Turkish or Azerbaijani
        letters (Latin) or Kazakh letters (Cyrillic) outweigh the Uzbek ones.
    """
    words = _WORD.findall(text)
    if not words:
        return UzbekEvidence(0, 0, vetoed=False)
    letters = sum(ch.isalpha() for ch in text)
    turkic = len(_TURKIC_LETTER.findall(text))
    uz_cyrillic = len(_UZ_CYRILLIC_LETTER.findall(text))
    kk_cyrillic = len(_KK_CYRILLIC_LETTER.findall(text))
    hits = foreign = 0
    for word in words:
        key = _normalise_apostrophes(word.lower())
        if key in _FOREIGN_FUNCTION_WORDS:
            foreign += 1
        # Each word counts once. Words of two or three letters count only in lowercase: "va" is
        # Uzbek, "VA" is Virginia.
        if (
            (key in _UZ_WORDS and (len(key) > 3 or word.islower()))
            or (len(key) > 5 and key.endswith(_UZ_SUFFIXES))
            or _UZ_LATIN_LETTER.search(word)
            or _UZ_CYRILLIC_LETTER.search(word)
        ):
            hits += 1
    vetoed = (
        turkic > _TURKIC_VETO_SHARE * letters or kk_cyrillic > uz_cyrillic or foreign > _FOREIGN_VETO_SHARE * len(words)
    )
    return UzbekEvidence(len(words), hits, vetoed)


def _normalise_apostrophes(word: str) -> str:
    return re.sub(f"[{_APOSTROPHES}]", "'", word)


def script_of(text: str) -> str | None:
    """Tell which script a text is written in, from its letter counts.

    Args:
        text: Any text.

    Returns:
        "Latin" or "Cyrillic" when one script holds at least 80 % of the Latin and
        Cyrillic letters, "Mixed" when both have a real share, and None when the text
        has fewer than ``MIN_LETTERS`` letters of either script.
    """
    latin = len(_LATIN_LETTER.findall(text))
    cyrillic = len(_CYRILLIC_LETTER.findall(text))
    total = latin + cyrillic
    if total < MIN_LETTERS:
        return None
    if min(latin, cyrillic) >= MIXED_SHARE * total:
        return MIXED
    return LATIN if latin > cyrillic else CYRILLIC


def _lacks_own_letters(language: str, text: str) -> bool:
    """Tell whether a text lingua calls Azerbaijani or Kazakh is long but lacks that language's letters."""
    if sum(ch.isalpha() for ch in text) < _SECOND_CHANCE_LETTERS:
        return False
    if language == "az":
        return not _AZ_LETTER.search(text)
    if language == "kk":
        return not _KK_CYRILLIC_LETTER.search(text)
    return False


@cache
def detector_for(languages: tuple[str, ...]) -> LanguageDetector:
    """Return the process's detector for a set of languages, building it on first call.

    Args:
        languages: ISO 639-1 codes to choose among, e.g. ``DEFAULT_LANGUAGES``.

    Returns:
        One shared detector per language tuple; its lingua models load on first use.

    Raises:
        ValueError: No languages, or a code lingua does not know (other than ``uz``).
    """
    return LanguageDetector(languages)


@cache
def _lingua_for(codes: frozenset[str]) -> LinguaDetector | None:
    """Build lingua's detector for the languages it has models for, once per set."""
    isos = [_lingua_code(code) for code in sorted(codes) if code not in _RULE_LANGUAGES]
    if not isos:
        return None
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


def _lingua_code(code: str) -> IsoCode639_1:
    try:
        iso = IsoCode639_1.from_str(code)
        Language.from_iso_code_639_1(iso)
    except ValueError as exc:
        raise ValueError(f"language {code!r}: lingua has no model for it and no rule handles it") from exc
    return iso


class LanguageDetector:
    """Detect language and script among a fixed set of languages.

    Get one through ``detector_for`` (or call ``detect`` for the default languages):
    detectors and the lingua models behind them are shared per language set, and the
    models load on first use.
    """

    def __init__(self, languages: Sequence[str] = DEFAULT_LANGUAGES, *, min_confidence: float = MIN_CONFIDENCE):
        """Check the language codes and remember the settings.

        Args:
            languages: ISO 639-1 codes to choose among, e.g. ``("en", "tr", "az")``.
            min_confidence: lingua's top confidence below which its answer counts as unsure.

        Raises:
            ValueError: No languages, or a code lingua does not know (other than ``uz``).
        """
        codes = tuple(dict.fromkeys(code.strip().lower() for code in languages))
        if not codes:
            raise ValueError("LanguageDetector needs at least one language")
        for code in codes:
            if code not in _RULE_LANGUAGES:
                _lingua_code(code)
        self.languages = codes
        self.min_confidence = min_confidence

    def detect(self, text: str, declared: str | None = None) -> tuple[str | None, str | None]:
        """Detect the language and script of a text.

        Args:
            text: The text; for an article, the headline and the body.
            declared: The language the source declares (``en``, ``en-US``), used when lingua is
                unsure and the language is one of the configured ones.

        Returns:
            The ISO 639-1 code (None when the text is too short or unclear) and the script
            ("Latin", "Cyrillic", "Mixed"; None when too short). A too-short text gives
            ``(None, None)`` whatever is declared.
        """
        text = text[:MAX_CHARS]
        script = script_of(text)
        if script is None:
            return None, None
        uzbek = uzbek_evidence(text) if "uz" in self.languages else None
        if uzbek is not None and uzbek.is_uzbek:
            return "uz", script
        # A declared "en-US" or "uz_Cyrl" names the language "en" or "uz".
        fallback = re.split(r"[-_]", declared.strip().lower())[0] if declared else None
        if fallback not in self.languages:
            fallback = None
        lingua = _lingua_for(frozenset(self.languages))
        if lingua is None:
            return fallback, script
        values = lingua.compute_language_confidence_values(text)
        if not values or values[0].value < self.min_confidence:
            return fallback, script
        found = values[0].language.iso_code_639_1.name.lower()
        if uzbek is not None and uzbek.is_likely_uzbek and _lacks_own_letters(found, text):
            return "uz", script
        return found, script


def detect(text: str, declared: str | None = None) -> tuple[str | None, str | None]:
    """Detect the language and script of a text among ``DEFAULT_LANGUAGES``.

    Args:
        text: The text; for an article, the headline and the body.
        declared: The language the source declares, used when lingua is unsure.

    Returns:
        The ISO 639-1 code or None, and the script ("Latin", "Cyrillic", "Mixed") or None.
    """
    return detector_for(DEFAULT_LANGUAGES).detect(text, declared)
