"""Score the entity extractor (``media_etl.enrich.entities``) on the seed gold and on KazNERD.

    .venv/bin/python benchmarks/eval_entities.py

Two evaluations, each printed as precision, recall and F1 per type (PERSON, ORGANISATION,
PLACE), then one machine-readable line ``entities: seeds_person_f1=… kaznerd_place_f1=…``:

(a) **Seeds.** ``tests/gold/seed_entities.yaml`` holds hand-written gold mentions of the two
    seed articles. Each article is read, cleaned and parsed the way the ETL does it, and the
    body is the paragraphs joined by blank lines. A predicted mention counts as correct only
    if its type, ``char_start`` and ``char_end`` all equal a gold mention's (exact span match).
    Also printed: among correct mentions, the share whose ``canonical_name`` equals the gold
    one (entity resolution: ``Altun`` → Fahrettin Altun, ``WUF13`` → World Urban Forum), and
    the share of gold roles reproduced exactly.

(b) **KazNERD** (../shared/corpora/kaznerd, CC BY 4.0): Kazakh TV-news sentences in IOB2. The
    file is the corpus' test split (11,307 sentences); one sentence in ``SAMPLE_EVERY`` is
    scored (a fixed, deterministic sample of 3,769). Gold classes map PERSON → person,
    ORGANISATION → organisation, GPE and LOCATION → place; the other 21 classes are not gold,
    so a prediction on, say, a POSITION or NORP span counts as a false positive. Each sentence
    becomes a body by joining its tokens with single spaces; a predicted mention covers the
    tokens its characters overlap, so a stem tagged without its case ending (``Астанада`` →
    ``Астана``) still covers the whole token, as the gold does. A mention counts only if type,
    first token and last token all equal a gold span's (exact span match on token offsets,
    the CoNLL rule).
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from media_etl.clean.text import clean_text
from media_etl.enrich.entities import extract_mentions
from media_etl.enrich.records import ArticleText, Mention
from media_etl.ingest.router import read_path
from media_etl.parse.wire import parse_item_text, parse_wire_text
from media_etl.sources import load_registry
from schemas.vocabularies import ENTITY_TYPES, ORGANISATION, PERSON, PLACE

REPO_ROOT = Path(__file__).resolve().parent.parent
GOLD = REPO_ROOT / "tests" / "gold" / "seed_entities.yaml"
KAZNERD = REPO_ROOT.parent / "shared" / "corpora" / "kaznerd"
KAZNERD_FILE = Path("KazNERD") / "with_sentID" / "IOB2_test2.txt"
PARAGRAPH_SEPARATOR = "\n\n"
SAMPLE_EVERY = 3
KAZNERD_TYPES = {"PERSON": PERSON, "ORGANISATION": ORGANISATION, "GPE": PLACE, "LOCATION": PLACE}
SHORT = {PERSON: "person", ORGANISATION: "org", PLACE: "place"}
# Each sentence opens with its id as a token tagged O: AID327344, BID309291, EID258774 …
_SENTENCE_ID = re.compile(r"[A-Z]ID\d+")


@dataclass(frozen=True)
class GoldMention:
    """One gold mention with its offsets resolved in the body."""

    entity_type: str
    start: int
    end: int
    surface: str
    canonical: str
    role: str | None


@dataclass
class TypeScore:
    """Counts for one entity type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Per-type counts plus the entity-resolution and role checks of the seed evaluation."""

    by_type: dict[str, TypeScore] = field(default_factory=lambda: {t: TypeScore() for t in ENTITY_TYPES})
    canonical_right: int = 0
    canonical_checked: int = 0
    roles_right: int = 0
    roles_checked: int = 0
    errors: list[str] = field(default_factory=list)
    units: int = 0
    seconds: float = 0.0

    def f1(self, entity_type: str) -> float:
        return self.by_type[entity_type].f1


def seed_articles() -> dict[str, ArticleText]:
    """Read, clean and parse every file in seeds/ the way the ETL does, keyed by ``seeds/<name>``.

    Returns:
        One ArticleText per article (a feed or export file may hold several: ``name#2``).
    """
    registry = load_registry(REPO_ROOT / "sources.yaml")
    articles: dict[str, ArticleText] = {}
    for path in sorted((REPO_ROOT / "seeds").iterdir()):
        if not path.is_file():
            continue
        items, _ = read_path(str(path))
        for n, item in enumerate(items, start=1):
            if item.source_kind == "text":
                parsed = parse_wire_text(clean_text(item.text), registry)
            else:
                headline = clean_text(item.headline).replace("\n", " ") if item.headline else None
                parsed = parse_item_text(headline, clean_text(item.text), registry)
            body = PARAGRAPH_SEPARATOR.join(p.text for p in parsed.paragraphs)
            label = f"seeds/{path.name}" + (f"#{n}" if n > 1 else "")
            articles[label] = ArticleText(f"{n:016x}", parsed.headline, body, parsed.header_date, item.language)
    return articles


def _occurrences(body: str, surface: str) -> list[tuple[int, int]]:
    pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(body)]


def load_gold(body_of: dict[str, str], path: Path = GOLD) -> dict[str, list[GoldMention]]:
    """Resolve the gold file's surfaces and occurrence numbers to offsets in each body.

    Args:
        body_of: Body text by source label (``seeds/000_….txt``).
        path: The gold YAML file.

    Returns:
        Gold mentions by source label, in body order.

    Raises:
        ValueError: A gold surface or occurrence is not in the body.
    """
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    gold: dict[str, list[GoldMention]] = {}
    for article in raw["articles"]:
        body = body_of[article["source"]]
        taken: list[tuple[int, int]] = []
        found: list[GoldMention] = []
        # Longer surfaces first, so "Karabakh" skips the one inside "Nagorno-Karabakh".
        for entry in sorted(article["mentions"], key=lambda e: -len(e["surface"])):
            spans = [
                (s, e) for s, e in _occurrences(body, entry["surface"]) if not any(a <= s and e <= b for a, b in taken)
            ]
            wanted = entry.get("occurrences", "all")
            if wanted != "all":
                if any(n < 1 or n > len(spans) for n in wanted):
                    raise ValueError(f"{article['source']}: {entry['surface']!r} has no occurrence {wanted}")
                spans = [spans[n - 1] for n in wanted]
            if not spans:
                raise ValueError(f"{article['source']}: {entry['surface']!r} is not in the body")
            taken.extend(spans)
            for i, (start, end) in enumerate(spans):
                role = entry.get("role") if i == 0 else None
                found.append(GoldMention(entry["type"], start, end, entry["surface"], entry["canonical"], role))
        gold[article["source"]] = sorted(found, key=lambda g: (g.start, g.end))
    return gold


def score_seeds(gold_path: Path = GOLD) -> Score:
    """Score the extractor against the hand-written gold of the seeds (exact character spans).

    Args:
        gold_path: The gold YAML file.

    Returns:
        Per-type counts, canonical-name and role agreement, and one line per error.
    """
    articles = seed_articles()
    gold = load_gold({label: a.body for label, a in articles.items()}, gold_path)
    result = Score()
    started = time.perf_counter()
    for label, mentions in gold.items():
        article = articles[label]
        predicted = {(m.entity_type, m.char_start, m.char_end): m for m in extract_mentions(article)}
        expected = {(g.entity_type, g.start, g.end): g for g in mentions}
        result.units += 1
        for key, g in expected.items():
            counts = result.by_type[g.entity_type]
            m = predicted.get(key)
            if m is None:
                counts.fn += 1
                result.errors.append(f"{label}: missed {g.entity_type} {g.surface!r} at {g.start}")
                continue
            counts.tp += 1
            result.canonical_checked += 1
            if m.canonical_name == g.canonical:
                result.canonical_right += 1
            else:
                result.errors.append(f"{label}: {g.surface!r} canonical {m.canonical_name!r}, gold {g.canonical!r}")
            if g.role is not None:
                result.roles_checked += 1
                if m.role == g.role:
                    result.roles_right += 1
                else:
                    result.errors.append(f"{label}: {g.surface!r} role {m.role!r}, gold {g.role!r}")
        for key, m in predicted.items():
            if key not in expected:
                result.by_type[m.entity_type].fp += 1
                result.errors.append(f"{label}: spurious {m.entity_type} {m.surface!r} at {m.char_start}")
    result.seconds = time.perf_counter() - started
    return result


@dataclass(frozen=True)
class Sentence:
    """One KazNERD sentence: its tokens and gold spans (type, first token, last token)."""

    sentence_id: str
    tokens: tuple[str, ...]
    spans: frozenset[tuple[str, int, int]]


def read_kaznerd(path: Path) -> Iterator[Sentence]:
    """Read an IOB2 file of KazNERD (a sentence id line such as ``AID327344 O`` heads each sentence).

    Args:
        path: The IOB2 file.

    Yields:
        The sentences, with the gold spans of the classes this evaluation maps.
    """
    tokens: list[str] = []
    tags: list[str] = []
    sentence_id = ""

    def flush() -> Sentence | None:
        if not tokens:
            return None
        spans = set()
        k = 0
        while k < len(tags):
            tag = tags[k]
            if tag.startswith("B-"):
                cls = tag[2:]
                j = k
                while j + 1 < len(tags) and tags[j + 1] == f"I-{cls}":
                    j += 1
                if cls in KAZNERD_TYPES:
                    spans.add((KAZNERD_TYPES[cls], k, j))
                k = j + 1
            else:
                k += 1
        return Sentence(sentence_id, tuple(tokens), frozenset(spans))

    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if not parts:
                if (sentence := flush()) is not None:
                    yield sentence
                tokens, tags, sentence_id = [], [], ""
                continue
            if len(parts) != 2:
                continue
            if not tokens and not sentence_id and _SENTENCE_ID.fullmatch(parts[0]):
                sentence_id = parts[0]
                continue
            tokens.append(parts[0])
            tags.append(parts[1])
    if (sentence := flush()) is not None:
        yield sentence


def _token_span(mention: Mention, starts: list[int], ends: list[int]) -> tuple[int, int] | None:
    covered = [
        k for k, (s, e) in enumerate(zip(starts, ends, strict=True)) if s < mention.char_end and mention.char_start < e
    ]
    return (covered[0], covered[-1]) if covered else None


def score_kaznerd(sentences: Iterable[Sentence]) -> Score:
    """Score the extractor on KazNERD sentences (exact span match on token offsets).

    Args:
        sentences: The sentences to score.

    Returns:
        Per-type counts and the time taken.
    """
    result = Score()
    started = time.perf_counter()
    for sentence in sentences:
        body = " ".join(sentence.tokens)
        starts, ends, offset = [], [], 0
        for token in sentence.tokens:
            starts.append(offset)
            ends.append(offset + len(token))
            offset += len(token) + 1
        article = ArticleText(f"{result.units:016x}", "", body, None, "kk")
        predicted = set()
        for mention in extract_mentions(article):
            span = _token_span(mention, starts, ends)
            if span is not None:
                predicted.add((mention.entity_type, *span))
        for entity_type in ENTITY_TYPES:
            gold = {s for s in sentence.spans if s[0] == entity_type}
            pred = {s for s in predicted if s[0] == entity_type}
            counts = result.by_type[entity_type]
            counts.tp += len(gold & pred)
            counts.fp += len(pred - gold)
            counts.fn += len(gold - pred)
        result.units += 1
    result.seconds = time.perf_counter() - started
    return result


def kaznerd_sample(root: Path = KAZNERD, every: int = SAMPLE_EVERY) -> list[Sentence]:
    """Return the fixed KazNERD sample: every ``every``-th sentence of the test split.

    Args:
        root: The corpus folder.
        every: Keep one sentence in this many.

    Returns:
        The sampled sentences.
    """
    return [s for i, s in enumerate(read_kaznerd(root / KAZNERD_FILE)) if i % every == 0]


def _table(title: str, result: Score) -> list[str]:
    lines = [f"{title}  ({result.units} units, {result.seconds:.1f} s)", f"  {'type':<13} {'P':>6} {'R':>6} {'F1':>6}"]
    for entity_type in ENTITY_TYPES:
        s = result.by_type[entity_type]
        label = entity_type.upper()
        lines.append(
            f"  {label:<13} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}   (tp {s.tp}, fp {s.fp}, fn {s.fn})"
        )
    return lines


def main() -> int:
    """Print both evaluations and the machine-readable summary line."""
    seeds = score_seeds()
    print("\n".join(_table("(a) seed gold, exact character spans", seeds)))
    print(f"  canonical names right: {seeds.canonical_right}/{seeds.canonical_checked}")
    print(f"  roles right: {seeds.roles_right}/{seeds.roles_checked}")
    for error in seeds.errors:
        print(f"    {error}")
    figures = {f"seeds_{SHORT[t]}_f1": seeds.f1(t) for t in ENTITY_TYPES}
    figures["seeds_roles"] = seeds.roles_right / seeds.roles_checked if seeds.roles_checked else 0.0
    if (KAZNERD / KAZNERD_FILE).is_file():
        kaz = score_kaznerd(kaznerd_sample())
        print("\n".join(_table(f"(b) KazNERD test split, one sentence in {SAMPLE_EVERY}, exact token spans", kaz)))
        figures |= {f"kaznerd_{SHORT[t]}_f1": kaz.f1(t) for t in ENTITY_TYPES}
    else:
        print(f"(b) KazNERD skipped: {KAZNERD} is absent")
    print("entities: " + " ".join(f"{k}={v:.3f}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
