"""The mojibake pre-check lets through every text ftfy would repair, and cleaning gives the same text as before."""

from __future__ import annotations

import json
import random
import unicodedata

import ftfy
import ftfy.bad_codecs  # registers the sloppy-windows-* codecs used below
import pytest
from ftfy.badness import MOJIBAKE_CATEGORIES, is_bad

from media_etl.clean import text as clean
from media_etl.clean.mojibake import CLUES, PrecheckError, could_be_mojibake, derive_clues
from tests.conftest import SEEDS, corpus

# The decodings a UTF-8 text is misread with in the wild, as ftfy knows them.
MISREADINGS = (
    "latin-1",
    "sloppy-windows-1252",
    "sloppy-windows-1251",
    "sloppy-windows-1253",
    "sloppy-windows-1257",
    "macroman",
)


def needs_ftfy_before(text: str) -> bool:
    """The decision as it was before the pre-check: ftfy's own heuristic on every text."""
    return bool(clean._FTFY_TARGETS.search(text)) or is_bad(text)


def misread(text: str, encoding: str) -> str:
    """``text`` written as UTF-8 and read back with ``encoding``: mojibake."""
    return text.encode("utf-8").decode(encoding, errors="replace")


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.glob("*.txt"))]


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted((corpus("tr-news") / "raw").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        texts.append(f"{record['title']}\n{record['content']}")
    truth = json.loads((corpus("aeb") / "ground-truth.json").read_text(encoding="utf-8"))
    texts.extend(entry["articleBody"] for entry in truth.values())
    for path in sorted(corpus("kaznerd").rglob("*.txt"))[:3]:
        text = path.read_text(encoding="utf-8", errors="replace")[:200_000]
        texts.extend(text[start : start + 2000] for start in range(0, len(text), 2000))
    return texts


def with_mojibake(texts: list[str]) -> list[str]:
    """The texts, and each one's first 400 characters misread in every way of ``MISREADINGS``."""
    return texts + [misread(t[:400], encoding) for t in texts for encoding in MISREADINGS]


def assert_same_decision_and_output(texts: list[str]) -> None:
    flagged = 0
    for text in texts:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if is_bad(text):
            flagged += 1
            assert could_be_mojibake(text), f"pre-check misses mojibake ftfy sees: {text[:120]!r}"
        assert clean.needs_ftfy(text) == needs_ftfy_before(text), text[:120]
        if not clean.needs_ftfy(text):
            # ftfy would change nothing but the Unicode form, which clean_text normalises anyway.
            fixed = ftfy.fix_text(text, config=clean._FTFY_CONFIG)
            assert fixed == unicodedata.normalize("NFC", text), f"ftfy would change {text[:120]!r}"
    assert flagged > 0  # the samples hold mojibake, so the check above was exercised


def test_ascii_and_clean_accented_text_skip_ftfy():
    assert not could_be_mojibake("Plain ASCII copy, with numbers 1-2 and a URL: https://x.org/a?b=c")
    assert not could_be_mojibake("İstanbul'da güçlü şirketler; Қазақстан — «Астана» туралы “news”.")
    assert not clean.needs_ftfy("Bakı, 5 dekabr (AZƏRTAC). Prezident İlham Əliyev “Azərbaycan” dedi.")


@pytest.mark.parametrize(
    "sample",
    ["sÃ³", "voilÃ le travail", "Ð¡Ð¾Ð¾Ð±Ñ‰ÐµÐ½Ð¸Ðµ", "TÃ¼rkiye", "\x85", "вЂ™", "Ã©tÃ©", "IstanbulÂ ", "Å\u009f"],
)
def test_mojibake_samples_are_flagged(sample):
    assert could_be_mojibake(sample)
    assert clean.needs_ftfy(sample)


def test_every_alternative_of_ftfys_heuristic_gives_a_clue():
    # 32 of ftfy 6.3's alternatives have a pair of adjacent non-ASCII classes; the rest a rare letter.
    assert len(CLUES.pairs) >= 30
    assert {"Ã", "Â", "Œ", "\x80", "\x9f"} <= CLUES.singles
    assert not any(c.isascii() for pair in CLUES.pairs for chars in pair for c in chars)


def test_an_alternative_that_needs_no_non_ascii_character_is_refused():
    import re

    with pytest.raises(PrecheckError, match="needs no non-ASCII character"):
        derive_clues(re.compile(r"[a-z]é?x|ÃÂ"))


def test_random_strings_of_mojibake_characters():
    # Short strings over every character ftfy's heuristic names, plus ASCII context: whenever
    # ftfy calls one bad, the pre-check must too.
    alphabet = sorted(
        {c for chars in CLUES.pairs for cls in chars for c in cls} | CLUES.singles | set("aZ .,!\n1")
    ) + list("".join(MOJIBAKE_CATEGORIES["common"]))
    rng = random.Random(17)
    bad = 0
    for _ in range(60_000):
        sample = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7)))
        if is_bad(sample):
            bad += 1
            assert could_be_mojibake(sample), repr(sample)
    assert bad > 10_000


def test_seeds_and_their_mojibake_keep_the_same_decision_and_text():
    assert_same_decision_and_output(with_mojibake(seed_texts()))


@pytest.mark.slow  # ftfy over a few MB of corpus text and its mojibake: about 10 s
def test_corpora_and_their_mojibake_keep_the_same_decision_and_text():
    assert_same_decision_and_output(with_mojibake(corpus_texts()))
