"""Language detection beyond the region's languages: py3langid's wide model, ``und``, declared languages.

The texts below were written for these tests. ``tests/test_enrich_language.py`` covers the
region's languages (en, tr, az, ru, kk, uz) and the seeds.
"""

from __future__ import annotations

import pytest

from media_etl.enrich import language
from media_etl.enrich.language import (
    DEFAULT_LANGUAGES,
    ISO_639_1,
    UNDETERMINED,
    LanguageDetector,
    detect,
    detector_for,
    language_code,
    language_scores,
    script_of,
)

GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss im nächsten Frühjahr "
    "zu sanieren. Die Arbeiten sollen etwa vier Monate dauern."
)
PORTUGUESE = (
    "A prefeitura anunciou nesta segunda-feira que as obras na avenida principal vão terminar antes "
    "do fim do ano, segundo o secretário de transportes."
)
ITALIAN = (
    "Il consiglio comunale ha approvato ieri sera il nuovo piano per il traffico, che prevede più piste "
    "ciclabili e meno parcheggi nel centro storico."
)
INDONESIAN = (
    "Pemerintah mengatakan bahwa harga beras tidak akan naik bulan ini karena stok di gudang masih cukup. "
    "Menurut menteri, masyarakat tidak perlu khawatir dan sebaiknya membeli secukupnya saja."
)
KANNADA = "ನಗರದಲ್ಲಿ ಮಂಗಳವಾರ ಭಾರಿ ಮಳೆಯಾಗಿದ್ದು, ಹಲವು ರಸ್ತೆಗಳು ಜಲಾವೃತಗೊಂಡಿವೆ ಎಂದು ಅಧಿಕಾರಿಗಳು ತಿಳಿಸಿದ್ದಾರೆ."
ARABIC = "قال وزير الخارجية إن المحادثات مع الوفد الزائر تناولت التعاون الاقتصادي والتجارة بين البلدين."
ENGLISH = "The central bank kept its key interest rate unchanged, citing slowing inflation and weak demand."
# Papiamento has no ISO 639-1 code: the honest answer is und, whatever the page declares.
PAPIAMENTO = (
    "E minister a bisita e scol diamars pa papia cu e studiantenan tocante e medio ambiente y con nos "
    "por cuida nos isla."
)
# A list of names in an English report: the names alone read as Polish.
POLISH_NAMES_IN_ENGLISH = (
    "Leading scorers in the Polish first division after Sunday's games: 9 - Tomasz Wisniewski (Lech Poznan), "
    "7 - Grzegorz Szczepanski (Wisla Krakow), 6 - Przemyslaw Kaczmarczyk (Legia Warszawa), Krzysztof Zielinski "
    "(Zaglebie Lubin), 5 - Lukasz Brzozowski (Slask Wroclaw), Michal Jedrzejczyk (Gornik Zabrze), Bartosz "
    "Wojciechowski (Pogon Szczecin)."
)
NAMES_ONLY = "Media forum Baku Astana"
# Indonesian or Malay: py3langid gives both a real chance.
INDONESIAN_OR_MALAY = (
    "Pemerintah kota akan membangun jembatan baru di atas sungai tahun depan, kata wali kota kepada wartawan "
    "pada hari Selasa."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GERMAN, ("de", "Latin")),
        (PORTUGUESE, ("pt", "Latin")),
        (ITALIAN, ("it", "Latin")),
        (INDONESIAN, ("id", "Latin")),
        # The vocabulary of scripts has no name for Kannada or Arabic yet: the script is None.
        (KANNADA, ("kn", None)),
        (ARABIC, ("ar", None)),
    ],
)
def test_languages_beyond_the_region_are_detected(text, expected):
    assert detect(text) == expected


@pytest.mark.parametrize("text", [GERMAN, PORTUGUESE, ITALIAN, INDONESIAN])
def test_the_old_mistakes_are_gone(text):
    # The region-only detector stored these as en or tr.
    assert detect(text)[0] not in DEFAULT_LANGUAGES


@pytest.mark.parametrize("text", [NAMES_ONLY, "Tashkent Samarkand Bukhara", PAPIAMENTO])
def test_unclear_text_gives_und_not_a_guess(text):
    assert detect(text) == (UNDETERMINED, "Latin")


def test_too_short_text_still_gives_nothing():
    assert detect("Hallo Welt", declared="de") == (None, None)


def test_names_do_not_outvote_the_words_around_them():
    assert detect(POLISH_NAMES_IN_ENGLISH) == ("en", "Latin")


# --- declared languages --------------------------------------------------------------------


@pytest.mark.parametrize("declared", ["de", "DE", "de-AT", "de_CH", "deu", "ger"])
def test_a_declared_language_is_honoured_when_the_text_is_unclear(declared):
    assert detect(NAMES_ONLY, declared=declared) == ("de", "Latin")


def test_a_declared_language_decides_between_close_languages():
    assert detect(INDONESIAN_OR_MALAY) == (UNDETERMINED, "Latin")
    assert detect(INDONESIAN_OR_MALAY, declared="ms") == ("ms", "Latin")
    assert detect(INDONESIAN_OR_MALAY, declared="id") == ("id", "Latin")


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        (GERMAN, "en", "de"),  # a template's lang="en" on a German page
        (ENGLISH, "de", "en"),
        (PORTUGUESE, "es", "pt"),
        (ENGLISH, "kn", "en"),  # a feed that declares Kannada for English copy
        (KANNADA, "en", "kn"),
        (ENGLISH, "tr", "en"),
    ],
)
def test_a_declared_language_gives_way_when_the_text_clearly_is_another(text, declared, expected):
    assert detect(text, declared=declared)[0] == expected


def test_a_declared_language_the_text_rules_out_gives_und_when_nothing_else_is_sure():
    assert detect(PAPIAMENTO, declared="en") == (UNDETERMINED, "Latin")


def test_a_declared_script_language_needs_its_script():
    # py3langid leaves Kannada a chance here, but there is not one Kannada letter in it.
    text = "RCB vs CSK 2024 IPL T20"
    assert language_scores(text)["kn"] >= language.RULED_OUT
    assert detect(text, declared="kn") == (UNDETERMINED, "Latin")
    assert detect(NAMES_ONLY, declared="ko") == (UNDETERMINED, "Latin")


@pytest.mark.parametrize("declared", ["xx", "English", "x-klingon", "und", ""])
def test_a_declared_value_that_names_no_language_is_ignored(declared):
    assert detect(NAMES_ONLY, declared=declared) == (UNDETERMINED, "Latin")
    assert detect(GERMAN, declared=declared) == ("de", "Latin")


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en", "en"),
        ("EN ", "en"),
        ("en-US", "en"),
        ("pt_BR", "pt"),
        ("uz-Cyrl-UZ", "uz"),
        ("eng", "en"),
        ("ger", "de"),
        ("iw", "he"),
        ("in", "id"),
        ("nb", "nb"),
        ("xx", None),
        ("english", None),
        ("und", None),
        (None, None),
    ],
)
def test_language_code_reads_tags(tag, code):
    assert language_code(tag) == code


# --- the models ----------------------------------------------------------------------------


def test_every_answer_is_an_iso_639_1_code_or_und():
    for text in (GERMAN, PORTUGUESE, KANNADA, PAPIAMENTO, NAMES_ONLY, ENGLISH):
        found, _ = detect(text)
        assert found == UNDETERMINED or found in ISO_639_1


def test_scores_are_probabilities_keyed_by_code():
    scores = language_scores(GERMAN)
    assert sum(scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert max(scores, key=scores.__getitem__) == "de"
    # Labels without an ISO 639-1 code keep their ISO 639-3 code; macrolanguages absorb theirs.
    assert "pcm" in scores
    assert "yue" not in scores and "ary" not in scores


def test_models_load_once_per_process():
    detector = detector_for(DEFAULT_LANGUAGES)
    assert detector_for(DEFAULT_LANGUAGES) is detector
    assert language._identifier() is language._identifier()
    assert language._lingua_for(frozenset(DEFAULT_LANGUAGES)) is language._lingua_for(frozenset(DEFAULT_LANGUAGES))


def test_the_configured_languages_only_choose_what_lingua_tells_apart():
    # Uzbek alone needs no lingua, and other languages still come from py3langid.
    detector = LanguageDetector(("uz",))
    assert detector.detect(GERMAN) == ("de", "Latin")
    assert detector.detect("Oʻzbekiston va Qozogʻiston hamkorlik toʻgʻrisida bitim imzoladi") == ("uz", "Latin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (KANNADA, None),
        (ARABIC, None),
        # A few Latin letters in a Bengali page do not make it Latin.
        ("BD NEWS: ঢাকা শহরে আজ সকালে ভারী বৃষ্টি হয়েছে এবং অনেক রাস্তায় পানি জমে গেছে", None),
        (GERMAN, "Latin"),
    ],
)
def test_script_counts_letters_of_every_script(text, expected):
    assert script_of(text) == expected
