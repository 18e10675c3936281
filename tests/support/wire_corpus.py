"""A generated folder of distinct wire-copy articles, made from the seed texts.

Used by the crash-safety and concurrency tests, which need more articles than seeds/ holds
and know exactly what they should load as (see ``build_corpus``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import SEEDS

TAGS = re.compile(r"(\s*\((?:PHOTO|VIDEO|UPDATED|FOTO|ВИДЕО)\))+\s*$")
DESKS = ("morning", "regional", "evening", "weekend", "special")


@dataclass(frozen=True)
class Corpus:
    """The generated input folder and what it should load as."""

    folder: Path
    articles: int
    headline_only: int
    copies: int


def build_corpus(folder: Path, count: int) -> Corpus:
    """Write ``count`` distinct wire-copy articles made from the seed texts, plus quarantine bait and copies.

    Article ``n`` is seed ``n % 10`` with ", bulletin n" added to its headline (before any
    (PHOTO)-style tag) and a sentence naming ``n`` after its first long paragraph. Every
    160th gets a headline-only sibling (quarantined: no body); every 97th a byte-identical
    copy (one article, two article_sources rows). Deterministic: same ``count``, same bytes.

    Args:
        folder: Where to write (created).
        count: How many distinct articles.

    Returns:
        What was written.
    """
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    folder.mkdir(parents=True, exist_ok=True)
    headline_only = copies = 0
    for n in range(count):
        lines = texts[n % len(texts)].split("\n")
        first = next(i for i, line in enumerate(lines) if line.strip())
        head = lines[first].rstrip()
        tags = TAGS.search(head)
        lines[first] = f"{head[: tags.start()]}, bulletin {n}{tags.group(0)}" if tags else f"{head}, bulletin {n}"
        paragraphs = "\n".join(lines).split("\n\n")
        long = next((i for i, p in enumerate(paragraphs) if i > 0 and len(p) > 80), len(paragraphs) - 1)
        paragraphs.insert(long + 1, f"The {DESKS[n % len(DESKS)]} desk filed this bulletin as number {n} of {count}.")
        text = "\n\n".join(paragraphs)
        (folder / f"wire-{n:05d}.txt").write_text(text, encoding="utf-8")
        if n % 160 == 7:
            (folder / f"wire-{n:05d}-headline-only.txt").write_text(f"Headline only, bulletin {n}\n", encoding="utf-8")
            headline_only += 1
        if n % 97 == 5:
            (folder / f"wire-{n:05d}-copy.txt").write_text(text, encoding="utf-8")
            copies += 1
    return Corpus(folder, count, headline_only, copies)
