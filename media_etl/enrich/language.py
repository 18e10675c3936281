"""Detect an article's language and script: py3langid for any language, lingua and a rule for the region's.

Three models, each for what it does best:

* py3langid (a naive Bayes model over byte n-grams whose model ships inside the package:
  140 labels, 114 of them ISO 639-1 languages) reads every text and gives each language a
  probability. Names say little about the language they stand in, so when a text has
  enough letters in words without a capital, only those words are scored.
* lingua (a Rust n-gram model) is better at the fine distinctions between the region's
  languages (``DEFAULT_LANGUAGES``: Turkish and Azerbaijani, Kazakh and Russian, short
  English headlines full of Central Asian names). It is loaded for those languages only:
  all 75 of its models would cost about 1.4 GB. When py3langid is sure of one of them but
  leaves another some chance, lingua picks between them (unless py3langid rules its pick
  out); when py3langid is unsure, lingua's pick stands if py3langid gives it a fair chance.
* lingua has no Uzbek model, and reads Uzbek Latin as Azerbaijani and Uzbek Cyrillic as
  Kazakh, so a scoring rule runs first: Uzbek has letters and words its neighbours lack
  (``oʻ gʻ``, ``va``, ``bilan``, ``uchun``; Cyrillic ``ў ҳ``), while Turkish and Azerbaijani
  text is full of ``ə ı ş ç ğ ö ü``, Kazakh of ``ә ө ү ұ і ң``, and English or Russian of
  their function words, each of which vetoes the rule. When the evidence is too thin to
  decide alone, a text that lingua calls Azerbaijani without a single ``ə`` (or Kazakh
  without any Kazakh letter) but that has some Uzbek evidence is Uzbek.

The answer is an ISO 639-1 code, or ``und`` (undetermined) when the models are unsure or
name a language that has no ISO 639-1 code: never a guess. A language the source declares
(the page's ``lang``, the feed's ``language``, the export's field) is kept unless the text
rules it out (py3langid gives it almost no probability, or the text has no letter of the
script the language is written in); then the detected language replaces it, or ``und`` when
nothing was detected with confidence. A text with
fewer than ``MIN_LETTERS`` letters gives no language at all, whatever is declared.

Measured on 182 short texts written for the tests (26 per language and Uzbek script, see
``tests/test_enrich_language.py``) and on 99 hand-labelled pages in 17 languages from the
shared corpora (``benchmarks/eval_language.py``); see ``docs/language.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import islice

import pycountry
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
from lingua import LanguageDetector as LinguaDetector
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from schemas.vocabularies import CYRILLIC, LATIN, MIXED, UNDETERMINED_LANGUAGE

DEFAULT_LANGUAGES = ("en", "tr", "az", "ru", "kk", "uz")
UNDETERMINED = UNDETERMINED_LANGUAGE
"""ISO 639-2's code for a text whose language could not be determined (``und``)."""

# Fewer letters than this say too little about language or script.
MIN_LETTERS = 12
# lingua's confidence values over the configured languages sum to 1; below this the top one is a guess.
MIN_CONFIDENCE = 0.6
# py3langid's probability (over all its languages) from which its best guess is taken.
WIDE_MIN_CONFIDENCE = 0.8
# py3langid's probability below which the text rules a language out: a declared language, or
# lingua's pick among the configured ones.
RULED_OUT = 0.001
# py3langid's probability below which a declared language gives way to a sure detection of another.
OUTWEIGHED = 0.05
# py3langid's probability a configured language needs for lingua's pick of it to stand when
# py3langid is unsure (short English headlines that py3langid reads as Nigerian Pidgin).
REGIONAL_SUPPORT = 0.15
# A declared language that py3langid has no model for gives way only to an answer this sure.
SURE_CONFIDENCE = 0.99
# Letters in words without a capital letter from which py3langid reads only those words.
VIEW_MIN_LETTERS = 30
# The smaller script must hold this share of the Latin and Cyrillic letters for "Mixed".
MIXED_SHARE = 0.2
# The models read this much of a long text; language does not change halfway through an article.
MAX_CHARS = 4000

ISO_639_1 = frozenset(language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2"))
"""Every ISO 639-1 code: the values ``detect`` returns, with ``und``."""

# Codes this module handles without lingua.
_RULE_LANGUAGES = frozenset({"uz"})

# py3langid labels without an ISO 639-1 code whose macrolanguage has one (Moroccan and
# Egyptian Arabic, Cantonese and Wu, Southern Uzbek, Paraguayan Guarani, Southern Kurdish).
# Its other ISO 639-3 labels (Nigerian Pidgin, Crimean Tatar, Ligurian...) give ``und``.
_MACROLANGUAGE = {"ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz", "gug": "gn", "sdh": "ku"}
# Declared codes that ISO 639 withdrew, and their replacements.
_WITHDRAWN = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
# ISO 639-1 codes that py3langid scores under another label (it has one Norwegian).
_MODEL_LABEL = {"nb": "no"}

# Letters of the scripts of languages written in neither Latin nor Cyrillic (Unicode blocks): a
# text without any of them is not in such a language, whatever its source declares.
_SCRIPT_LETTERS = {
    "Arabic": ("ar fa ur ps ug", "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"),
    "Hebrew": ("he yi", "\u0590-\u05ff\ufb1d-\ufb4f"),
    "Greek": ("el", "\u0370-\u03ff\u1f00-\u1fff"),
    "Armenian": ("hy", "\u0530-\u058f"),
    "Georgian": ("ka", "\u10a0-\u10ff"),
    "Thaana": ("dv", "\u0780-\u07bf"),
    "Devanagari": ("hi mr ne sa", "\u0900-\u097f"),
    "Bengali": ("bn as", "\u0980-\u09ff"),
    "Gujarati": ("gu", "\u0a80-\u0aff"),
    "Oriya": ("or", "\u0b00-\u0b7f"),
    "Tamil": ("ta", "\u0b80-\u0bff"),
    "Telugu": ("te", "\u0c00-\u0c7f"),
    "Kannada": ("kn", "\u0c80-\u0cff"),
    "Malayalam": ("ml", "\u0d00-\u0d7f"),
    "Sinhala": ("si", "\u0d80-\u0dff"),
    "Thai": ("th", "\u0e00-\u0e7f"),
    "Lao": ("lo", "\u0e80-\u0eff"),
    "Tibetan": ("bo dz", "\u0f00-\u0fff"),
    "Myanmar": ("my", "\u1000-\u109f"),
    "Ethiopic": ("am ti", "\u1200-\u139f"),
    "Khmer": ("km", "\u1780-\u17ff"),
    "Hangul": ("ko", "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"),
    "Han and kana": ("ja zh", "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"),
}
_OWN_SCRIPT = {
    code: re.compile(f"[{letters}]") for codes, letters in _SCRIPT_LETTERS.values() for code in codes.split()
}

_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u052f]")
_LETTER = re.compile(r"[^\W\d_]")

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
        has fewer than ``MIN_LETTERS`` letters of either script or more letters of other
        scripts (Arabic, Han, Kannada...) than of these two.
    """
    latin = len(_LATIN_LETTER.findall(text))
    cyrillic = len(_CYRILLIC_LETTER.findall(text))
    total = latin + cyrillic
    if total < MIN_LETTERS:
        return None
    if 2 * total < len(text) and len(_LETTER.findall(text)) - total > total:
        return None
    if min(latin, cyrillic) >= MIXED_SHARE * total:
        return MIXED
    return LATIN if latin > cyrillic else CYRILLIC


def _has_letters(text: str, count: int) -> bool:
    """Tell whether a text has at least ``count`` letters, stopping at the count-th."""
    return sum(1 for _ in islice(_LETTER.finditer(text), count)) == count


def language_code(tag: str | None) -> str | None:
    """Read the ISO 639-1 code a language tag names.

    Args:
        tag: A declared language: ``en``, ``EN``, ``en-US``, ``uz_Cyrl``, ``eng``, ``iw``.

    Returns:
        The ISO 639-1 code of its primary subtag (ISO 639-2/3 codes and withdrawn codes
        such as ``iw`` are translated), or None when it names no ISO 639-1 language.
    """
    if not tag:
        return None
    primary = re.split(r"[-_\s]", tag.strip().lower(), maxsplit=1)[0]
    primary = _WITHDRAWN.get(primary, primary)
    if len(primary) == 2:
        return primary if primary in ISO_639_1 else None
    if len(primary) == 3 and primary.isascii() and primary.isalpha():
        found = pycountry.languages.get(alpha_3=primary) or pycountry.languages.get(bibliographic=primary)
        return getattr(found, "alpha_2", None)
    return None


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
def _identifier() -> LanguageIdentifier:
    """Load py3langid's model (about 1 s, 100 MB), once per process."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@cache
def _model_labels() -> frozenset[str]:
    """The ISO 639-1 codes py3langid can score."""
    return frozenset(_MACROLANGUAGE.get(label, label) for label in _identifier().labels) | frozenset(_MODEL_LABEL)


def language_scores(text: str) -> dict[str, float]:
    """Score a text with py3langid over all its languages.

    Names say little about the language they stand in (a list of Polish footballers in an
    English report reads as Polish), so when the text has ``VIEW_MIN_LETTERS`` letters in
    words without a capital letter, only those words are scored.

    Args:
        text: Any text (only the first ``MAX_CHARS`` characters are read).

    Returns:
        The probability of each language (summing to 1), keyed by ISO 639-1 code; labels
        that fold into a macrolanguage (Moroccan Arabic into ``ar``) add up, and labels
        without an ISO 639-1 code (``pcm``, ``crh``) keep their ISO 639-3 code.
    """
    text = text[:MAX_CHARS]
    lowercase = " ".join(word for word in _WORD.findall(text) if word == word.lower())
    if len(_LETTER.findall(lowercase)) >= VIEW_MIN_LETTERS:
        text = lowercase
    scores: dict[str, float] = {}
    for label, probability in _identifier().rank(text):
        code = _MACROLANGUAGE.get(label, label)
        scores[code] = scores.get(code, 0.0) + probability
    return scores


def _score_of(scores: Mapping[str, float], code: str) -> float:
    return scores.get(_MODEL_LABEL.get(code, code), 0.0)


@cache
def detector_for(languages: tuple[str, ...]) -> LanguageDetector:
    """Return the process's detector for a set of languages, building it on first call.

    Args:
        languages: ISO 639-1 codes that lingua and the Uzbek rule tell apart, e.g.
            ``DEFAULT_LANGUAGES``; any other language comes from py3langid.

    Returns:
        One shared detector per language tuple, with py3langid's model loaded (so that a
        worker can load it before its first batch); lingua loads its models when first needed.

    Raises:
        ValueError: No languages, or a code lingua does not know (other than ``uz``).
    """
    detector = LanguageDetector(languages)
    detector.load()
    return detector


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
    """Detect the language and script of a text: any language, with the region's told apart finely.

    Get one through ``detector_for`` (or call ``detect`` for the default languages):
    detectors and the models behind them are shared per process.
    """

    def __init__(self, languages: Sequence[str] = DEFAULT_LANGUAGES, *, min_confidence: float = MIN_CONFIDENCE):
        """Check the language codes and remember the settings; the models load on first use.

        Args:
            languages: ISO 639-1 codes that lingua and the Uzbek rule tell apart, e.g.
                ``("en", "tr", "az")``.
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

    def load(self) -> None:
        """Load py3langid's model and build lingua's detector for the languages, if not done yet."""
        _identifier()
        _lingua_for(frozenset(self.languages))

    def detect(self, text: str, declared: str | None = None) -> tuple[str | None, str | None]:
        """Detect the language and script of a text.

        Args:
            text: The text; for an article, the headline and the body.
            declared: The language the source declares (``en``, ``en-US``, ``pt_BR``); kept
                unless the text rules it out.

        Returns:
            The ISO 639-1 code, or ``und`` when the language is unclear (or has no ISO 639-1
            code), and the script ("Latin", "Cyrillic", "Mixed"; None for other scripts).
            A text with fewer than ``MIN_LETTERS`` letters gives ``(None, None)`` whatever
            is declared.
        """
        text = text[:MAX_CHARS]
        if not _has_letters(text, MIN_LETTERS):
            return None, None
        script = script_of(text)
        scores = language_scores(text)
        found = self._detected(text, scores)
        claimed = language_code(declared)
        if claimed is None or claimed == found:
            return found or UNDETERMINED, script
        own_script = _OWN_SCRIPT.get(claimed)
        if own_script is not None and not own_script.search(text):
            return found or UNDETERMINED, script  # not a letter of the declared language's script
        if claimed in _model_labels():
            # py3langid can judge the declared language: keep it unless the text rules it out,
            # or gives it little chance against a language it is sure of.
            support = _score_of(scores, claimed)
            if support < RULED_OUT or (
                support < OUTWEIGHED and found is not None and _score_of(scores, found) >= WIDE_MIN_CONFIDENCE
            ):
                return found or UNDETERMINED, script
            return claimed, script
        # A language py3langid has no model for gives way only to a sure answer.
        if found is not None and _score_of(scores, found) >= SURE_CONFIDENCE:
            return found, script
        return claimed, script

    def _detected(self, text: str, scores: Mapping[str, float]) -> str | None:
        """Detect the language from the text alone, or None when unsure."""
        best = max(scores, key=scores.__getitem__)
        # The Uzbek rule runs first, unless py3langid rules Uzbek out.
        uzbek = None
        if "uz" in self.languages and _score_of(scores, "uz") >= RULED_OUT:
            uzbek = uzbek_evidence(text)
            if uzbek.is_uzbek:
                return "uz"
        if scores[best] >= WIDE_MIN_CONFIDENCE and best in ISO_639_1:
            if best not in self.languages or best in _RULE_LANGUAGES:
                return best
            if all(_score_of(scores, other) < RULED_OUT for other in self.languages if other != best):
                return best  # lingua could only agree, or be ruled out
            # One of the region's languages: lingua tells them apart, unless py3langid rules its pick out.
            regional = self._regional(text, uzbek)
            return regional if regional is not None and _score_of(scores, regional) >= RULED_OUT else best
        # py3langid is unsure: lingua's pick stands if py3langid gives it a fair chance.
        regional = self._regional(text, uzbek)
        if regional is not None and _score_of(scores, regional) >= REGIONAL_SUPPORT:
            return regional
        return None

    def _regional(self, text: str, uzbek: UzbekEvidence | None) -> str | None:
        """Pick among the configured languages with lingua (and the weaker Uzbek evidence), or None."""
        lingua = _lingua_for(frozenset(self.languages))
        if lingua is None:
            return None
        values = lingua.compute_language_confidence_values(text)
        if not values or values[0].value < self.min_confidence:
            return None
        found = values[0].language.iso_code_639_1.name.lower()
        if uzbek is not None and uzbek.is_likely_uzbek and _lacks_own_letters(found, text):
            return "uz"
        return found


def detect(text: str, declared: str | None = None) -> tuple[str | None, str | None]:
    """Detect the language and script of a text, telling ``DEFAULT_LANGUAGES`` apart finely.

    Args:
        text: The text; for an article, the headline and the body.
        declared: The language the source declares; kept unless the text rules it out.

    Returns:
        The ISO 639-1 code, ``und`` or None (too short), and the script ("Latin",
        "Cyrillic", "Mixed") or None.
    """
    return detector_for(DEFAULT_LANGUAGES).detect(text, declared)
