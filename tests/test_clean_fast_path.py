"""clean_text skips ftfy only where ftfy would change nothing: same output on real news text."""

import gzip
import json

import pytest

from media_etl.clean import text as clean
from tests.conftest import SEEDS, corpus


def real_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.glob("*"))]
    for path in sorted((corpus("tr-news") / "raw").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        texts.append(f"{record['title']}\n{record['content']}")
    truth = json.loads((corpus("aeb") / "ground-truth.json").read_text(encoding="utf-8"))
    texts.extend(entry["articleBody"] for entry in truth.values())
    for path in sorted((corpus("aeb") / "html").glob("*.html.gz"))[:60]:
        texts.append(gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace"))
    for path in sorted((corpus("kaznerd")).rglob("*.txt"))[:3]:
        texts.append(path.read_text(encoding="utf-8", errors="replace")[:200_000])
    return texts


MOJIBAKE = [
    "sÃ³",
    "voilÃ le travail",
    "Ð¡Ð¾Ð¾Ð±Ñ‰ÐµÐ½Ð¸Ðµ",
    "TÃ¼rkiye",
    "a &amp; b",
    "x\x1b[31my",
    "\x85",
]


@pytest.mark.parametrize("sample", MOJIBAKE)
def test_damaged_text_still_goes_through_ftfy(sample):
    assert clean.needs_ftfy(sample)


@pytest.mark.slow  # ftfy over several MB of corpus text, twice: about 6 s
def test_fast_path_gives_the_same_text_as_always_calling_ftfy(monkeypatch):
    texts = real_texts() + MOJIBAKE
    skipped = sum(not clean.needs_ftfy(t) for t in texts)
    assert skipped > len(texts) // 2  # the fast path is actually taken on most real text
    fast = [clean.clean_text(t) for t in texts]
    monkeypatch.setattr(clean, "needs_ftfy", lambda text: True)
    slow = [clean.clean_text(t) for t in texts]
    assert fast == slow
