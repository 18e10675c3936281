"""Score the stored language of hand-labelled pages from the shared corpora.

``benchmarks/data/language_labels.csv`` names about a hundred files of ``../shared/corpora``
(HTML pages, feeds, JSON exports, wire copy) in 17 languages, each with the language a person
read in it (ISO 639-1, or ``und`` for a language without an ISO 639-1 code) and a note; the
repo holds no corpus text. Every file goes through the ETL as a run would take it:
``process_files`` reads, parses and validates it, and the enrichment stage
(``media_etl.enrich.stage``) detects the language of each article, from its headline, body
and declared language. Run from the repo root:

    .venv/bin/python benchmarks/eval_language.py

A file is right when every article stored from it carries its label, wrong when any article
carries another ISO 639-1 code, and undetermined otherwise (``und``, no language, or no
article). A feed is thus one page however many items it has. Accuracy is right / files; the
wrong rate, wrong / files, must stay 0: ``und`` is the answer when detection is unsure.
"""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from media_etl.enrich.language import UNDETERMINED
from media_etl.enrich.stage import Enricher
from media_etl.pipeline import process_files
from media_etl.sources import load_registry

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
LABELS = REPO_ROOT / "benchmarks" / "data" / "language_labels.csv"
_LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)

RIGHT = "right"
WRONG = "wrong"
UNDETERMINED_OUTCOME = "und"


@dataclass(frozen=True)
class Label:
    """One hand-labelled file."""

    path: str
    """The file, relative to ``../shared/corpora``."""
    language: str
    """ISO 639-1 code read in the file, or ``und`` for a language without one."""
    note: str
    """What the file is, and why it is in the set."""


@dataclass(frozen=True)
class Result:
    """What the ETL stored for one labelled file, and how that scores."""

    label: Label
    stored: tuple[str | None, ...]
    """The language of each article stored from the file (None: no language)."""

    @property
    def outcome(self) -> str:
        """``right``, ``wrong`` or ``und`` (see ``outcome``)."""
        return outcome(self.label.language, self.stored)


def load_labels(path: Path = LABELS) -> list[Label]:
    """Read the labels file.

    Args:
        path: A CSV file with the columns ``path``, ``language`` and ``note``.

    Returns:
        One label per row, in file order.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        return [Label(row["path"], row["language"], row["note"]) for row in csv.DictReader(handle)]


def outcome(expected: str, stored: Sequence[str | None]) -> str:
    """Score the languages stored from one file against its label.

    Args:
        expected: The file's label.
        stored: The language stored for each of its articles.

    Returns:
        ``right`` when there is at least one article and every one has the label, ``wrong``
        when any has a language other than the label and ``und`` (or None), and ``und``
        otherwise.
    """
    if any(language not in (expected, UNDETERMINED, None) for language in stored):
        return WRONG
    if stored and all(language == expected for language in stored):
        return RIGHT
    return UNDETERMINED_OUTCOME


def stored_languages(labels: Iterable[Label], corpora: Path = CORPORA) -> list[Result]:
    """Run the labelled files through the ETL, enrichment included, in one batch.

    Args:
        labels: The labelled files.
        corpora: The shared corpora folder.

    Returns:
        One result per label, with the language stored for each article read from the file.
    """
    labels = list(labels)
    paths = [str(corpora / label.path) for label in labels]
    enricher = Enricher.from_files(REPO_ROOT / "themes.yaml")
    registry = load_registry(REPO_ROOT / "sources.yaml")
    batch = process_files(paths, registry, run_id="eval-language", loaded_at=_LOADED_AT, enricher=enricher)
    language_of = {
        str(article_id): None if not isinstance(language, str) else language
        for article_id, language in zip(batch.articles["article_id"], batch.articles["language"], strict=True)
    }
    by_source: dict[str, list[str | None]] = defaultdict(list)
    for source_uri, article_id in zip(batch.sources["source_uri"], batch.sources["article_id"], strict=True):
        by_source[str(source_uri)].append(language_of.get(str(article_id)))
    return [Result(label, tuple(by_source.get(path, ()))) for label, path in zip(labels, paths, strict=True)]


def summarise(results: Sequence[Result]) -> dict[str, float]:
    """Turn per-file results into the figures the eval table records.

    Args:
        results: One result per labelled file.

    Returns:
        ``accuracy`` (right / files), ``wrong_rate`` (wrong / files), ``und_rate``
        (undetermined / files), ``files`` and ``languages`` (distinct labels other than ``und``).
    """
    counts = Counter(result.outcome for result in results)
    total = len(results)
    return {
        "accuracy": counts[RIGHT] / total if total else 0.0,
        "wrong_rate": counts[WRONG] / total if total else 0.0,
        "und_rate": counts[UNDETERMINED_OUTCOME] / total if total else 0.0,
        "files": float(total),
        "languages": float(len({result.label.language for result in results} - {UNDETERMINED})),
    }


def measure(corpora: Path = CORPORA, labels: Path = LABELS) -> dict[str, float]:
    """Score the stored language of every labelled file.

    Args:
        corpora: The shared corpora folder (it must exist).
        labels: The labels file.

    Returns:
        The figures of ``summarise``: ``accuracy`` and ``wrong_rate`` among them.
    """
    return summarise(stored_languages(load_labels(labels), corpora))


def report(results: Sequence[Result]) -> str:
    """Format the per-language breakdown and every file that was not right.

    Args:
        results: One result per labelled file.

    Returns:
        Printable lines.
    """
    per_language: dict[str, Counter[str]] = defaultdict(Counter)
    for result in results:
        per_language[result.label.language][result.outcome] += 1
    lines = [f"{'language':<9}{'files':>6}{'right':>7}{'wrong':>7}{'und':>5}"]
    for language, counts in sorted(per_language.items(), key=lambda item: (-item[1].total(), item[0])):
        lines.append(
            f"{language:<9}{counts.total():>6}{counts[RIGHT]:>7}{counts[WRONG]:>7}{counts[UNDETERMINED_OUTCOME]:>5}"
        )
    for result in results:
        if result.outcome != RIGHT:
            stored = ", ".join(f"{language}x{n}" for language, n in Counter(result.stored).most_common()) or "nothing"
            lines.append(f"{result.outcome.upper()}: {result.label.path} ({result.label.language}): stored {stored}")
    return "\n".join(lines)


def main() -> int:
    """Print accuracy, the wrong and undetermined counts, and the per-language breakdown."""
    if not CORPORA.is_dir():
        print(f"skipped: corpora {CORPORA} are absent (they live in ../shared/corpora beside the repo)")
        return 0
    started = time.perf_counter()
    results = stored_languages(load_labels())
    seconds = time.perf_counter() - started
    figures = summarise(results)
    counts = Counter(result.outcome for result in results)
    articles = sum(len(result.stored) for result in results)
    print(report(results))
    print(
        f"files={len(results)} languages={int(figures['languages'])} articles={articles} "
        f"right={counts[RIGHT]} wrong={counts[WRONG]} und={counts[UNDETERMINED_OUTCOME]} ({seconds:.1f} s)"
    )
    print(f"language: accuracy={figures['accuracy']:.3f} wrong_rate={figures['wrong_rate']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
