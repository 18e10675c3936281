"""Score quote extraction against the hand-written gold in tests/gold/quotes.yaml.

Gold articles are repo files (read, cleaned and parsed the way the pipeline builds
``articles.body``) or short samples written in the YAML. Mentions come from
``media_etl.enrich.entities.extract_mentions`` when that module imports and runs, else the
extractor gets none and finds names itself (the output says which).

Figures: quote detection precision/recall/F1 (a predicted quote matches a gold quote when their
spans overlap, one to one, same kind first), speaker accuracy (share of matched gold quotes whose
resolved speaker name is the gold speaker or one of its aliases; null must stay null), and the
number of predicted quotes that come from a quoted title (must be 0).

    .venv/bin/python benchmarks/eval_quotes.py
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from media_etl.clean.text import clean_text, fold_key
from media_etl.enrich.quotes import extract_quotes
from media_etl.enrich.records import ArticleText, Mention, Quote
from media_etl.ingest.router import read_path
from media_etl.parse.wire import parse_item_text, parse_wire_text
from media_etl.sources import SourceRegistry, load_registry

REPO_ROOT = Path(__file__).resolve().parent.parent
GOLD = REPO_ROOT / "tests" / "gold" / "quotes.yaml"
PARAGRAPH_SEPARATOR = "\n\n"  # as media_etl.pipeline joins paragraphs into articles.body

MentionExtractor = Callable[[ArticleText], Sequence[Mention]]


@dataclass(frozen=True)
class GoldQuote:
    """One gold quote with its offsets in the article body."""

    text: str
    kind: str
    speaker: str | None
    aliases: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class GoldArticle:
    """One gold article: its text, its quotes and the spans of its quoted titles."""

    name: str
    article: ArticleText
    quotes: tuple[GoldQuote, ...]
    titles: tuple[tuple[int, int], ...]


@dataclass
class QuotesScore:
    """Detection and attribution figures over the gold set."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_correct: int = 0
    title_quotes: int = 0
    mentions_from: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_correct / self.matched if self.matched else 0.0


def _file_body(path: Path, registry: SourceRegistry) -> str:
    """Read one repo file and build its body the way media_etl.pipeline does (first item only)."""
    items, rejections = read_path(str(path))
    if not items:
        raise ValueError(f"{path}: nothing read ({[r.reason_code for r in rejections]})")
    item = items[0]
    if item.source_kind == "text":
        parsed = parse_wire_text(clean_text(item.text), registry)
    else:
        headline = clean_text(item.headline).replace("\n", " ") if item.headline else None
        parsed = parse_item_text(headline, clean_text(item.text), registry)
    return PARAGRAPH_SEPARATOR.join(p.text for p in parsed.paragraphs)


def _locate(body: str, text: str, where: str) -> tuple[int, int]:
    start = body.find(text)
    if start < 0:
        raise ValueError(f"{where}: gold text not in body: {text[:80]!r}")
    return start, start + len(text)


def load_gold(path: Path = GOLD, registry: SourceRegistry | None = None) -> list[GoldArticle]:
    """Read the gold file and locate every gold quote and title in its article's body.

    Args:
        path: The gold YAML file.
        registry: Source registry for parsing repo files (loaded from sources.yaml if None).

    Returns:
        The gold articles, in file order.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    registry = registry or load_registry(REPO_ROOT / "sources.yaml")
    articles = []
    for entry in data["articles"]:
        name = entry["id"]
        body = _file_body(REPO_ROOT / entry["file"], registry) if "file" in entry else entry["body"]
        quotes = []
        for q in entry.get("quotes") or []:
            start, end = _locate(body, q["text"], name)
            quotes.append(GoldQuote(q["text"], q["kind"], q.get("speaker"), tuple(q.get("aliases") or ()), start, end))
        titles = tuple(_locate(body, t, name) for t in entry.get("titles") or [])
        article = ArticleText(name, entry.get("headline", ""), body, None, entry.get("language"))
        articles.append(GoldArticle(name, article, tuple(quotes), titles))
    return articles


def mention_extractor() -> tuple[MentionExtractor | None, str]:
    """Return ``extract_mentions`` from media_etl.enrich.entities if it imports, and a label."""
    try:
        module: Any = importlib.import_module("media_etl.enrich.entities")
    except Exception as exc:  # absent or broken: the eval still runs, with no mentions
        return None, f"none (media_etl.enrich.entities does not import: {type(exc).__name__}: {exc})"
    extract = getattr(module, "extract_mentions", None)
    if not callable(extract):
        return None, "none (media_etl.enrich.entities has no extract_mentions)"
    return extract, "media_etl.enrich.entities.extract_mentions"


def _name_key(name: str | None) -> str | None:
    if name is None:
        return None
    name = re.sub(r"[’'ʼ]s\b", "", name)
    return fold_key(re.sub(r"[^\w\s-]", " ", name))


def _speaker_ok(gold: GoldQuote, predicted: str | None) -> bool:
    if gold.speaker is None:
        return predicted is None
    return _name_key(predicted) in {_name_key(n) for n in (gold.speaker, *gold.aliases)}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _match(gold: Sequence[GoldQuote], predicted: Sequence[Quote]) -> list[tuple[GoldQuote, Quote]]:
    """Pair gold and predicted quotes one to one by overlapping span, same kind and larger overlap first."""
    pairs = []
    for g in gold:
        for p in predicted:
            overlap = _overlap((g.start, g.end), (p.char_start, p.char_end))
            if overlap:
                pairs.append((g.kind == p.kind, overlap, g, p))
    pairs.sort(key=lambda t: (t[0], t[1]), reverse=True)
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    matched = []
    for _, _, g, p in pairs:
        if id(g) in used_gold or id(p) in used_pred:
            continue
        used_gold.add(id(g))
        used_pred.add(id(p))
        matched.append((g, p))
    return matched


def _from_title(quote: Quote, titles: Sequence[tuple[int, int]]) -> bool:
    """A predicted quote comes from a title when a title span covers at least half of it."""
    length = max(1, quote.char_end - quote.char_start)
    return any(_overlap((quote.char_start, quote.char_end), t) * 2 >= length for t in titles)


def score(gold_path: Path = GOLD, use_entities: bool = True) -> QuotesScore:
    """Run the extractor over every gold article and compare.

    Args:
        gold_path: The gold YAML file.
        use_entities: Take mentions from media_etl.enrich.entities when it works; False gives
            the extractor no mentions at all.

    Returns:
        The counts, the figures and one line per miss, false alarm or wrong speaker.
    """
    extract, label = mention_extractor() if use_entities else (None, "none (not asked for)")
    result = QuotesScore(mentions_from=label)
    failures = 0
    for gold in load_gold(gold_path):
        mentions: Sequence[Mention] = []
        if extract is not None:
            try:
                mentions = extract(gold.article)
            except Exception as exc:  # one failing article must not stop the eval
                failures += 1
                result.problems.append(f"{gold.name}: extract_mentions failed: {type(exc).__name__}: {exc}")
        predicted = extract_quotes(gold.article, mentions)
        body = gold.article.body
        for q in predicted:
            if body[q.char_start : q.char_end] != q.text:
                raise AssertionError(f"{gold.name}: offsets do not give the text of {q!r}")
        matched = _match(gold.quotes, predicted)
        result.gold += len(gold.quotes)
        result.predicted += len(predicted)
        result.matched += len(matched)
        for g, p in matched:
            if _speaker_ok(g, p.speaker_name):
                result.speaker_correct += 1
            else:
                result.problems.append(
                    f"{gold.name}: speaker {p.speaker_name!r} (written {p.speaker_surface!r}) "
                    f"for {g.speaker!r}: {g.text[:60]!r}"
                )
        matched_gold = {id(g) for g, _ in matched}
        matched_pred = {id(p) for _, p in matched}
        for g in gold.quotes:
            if id(g) not in matched_gold:
                result.problems.append(f"{gold.name}: missed {g.kind} {g.text[:70]!r}")
        for p in predicted:
            if _from_title(p, gold.titles):
                result.title_quotes += 1
                result.problems.append(f"{gold.name}: quote from a title {p.text[:70]!r}")
            elif id(p) not in matched_pred:
                result.problems.append(f"{gold.name}: extra {p.kind} {p.text[:70]!r}")
    if failures:
        result.mentions_from += f" (failed on {failures} articles, which got none)"
    return result


def main() -> None:
    """Print every problem, where mentions came from, and the figures."""
    if not GOLD.is_file():
        sys.exit(f"gold file not found: {GOLD}")
    result = score()
    for line in result.problems:
        print("  " + line)
    print(f"mentions: {result.mentions_from}")
    print(
        f"quotes: n={result.gold} precision={result.precision:.3f} recall={result.recall:.3f} "
        f"f1={result.f1:.3f} speaker_accuracy={result.speaker_accuracy:.3f} title_quotes={result.title_quotes}"
    )


if __name__ == "__main__":
    main()
