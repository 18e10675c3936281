"""Score ``articles.agency`` against hand labels: does the ETL name the wire the copy credits?

``benchmarks/data/agency_labels.csv`` holds one row per labelled article of ../shared/corpora:
the file (``path``, relative to the corpora folder), the item inside it (``item_key``, empty for
a one-article file; a feed item's key as ``SourceItem.item_key`` gives it), the agency by its
registered name in sources.yaml (empty: the copy credits no wire) and a note on the evidence.
Only labels are stored; the text stays in the corpora.

Each labelled file goes through the ETL's own path (``media_etl.pipeline.process_files``: read,
clean, parse, normalise, validate) and the stored ``agency`` of each labelled item is compared
with its label. An item that is not loaded counts as wrong.

    .venv/bin/python benchmarks/eval_agency.py
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from media_etl.pipeline import process_files
from media_etl.sources import load_registry

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
LABELS = REPO_ROOT / "benchmarks" / "data" / "agency_labels.csv"
TARGET = 0.95


@dataclass(frozen=True)
class Label:
    """One labelled article: where it is and the agency its copy credits ("" for none)."""

    path: str
    item_key: str
    agency: str
    note: str


def read_labels(path: Path = LABELS) -> list[Label]:
    """Read the labels file.

    Args:
        path: The CSV with columns ``path, item_key, agency, note``.

    Returns:
        The labels in file order.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        return [Label(row["path"], row["item_key"], row["agency"], row["note"]) for row in csv.DictReader(handle)]


def stored_agencies(labels: list[Label], corpora: Path) -> dict[tuple[str, str], str | None]:
    """Run the labelled files through the ETL and return the stored agency of every item.

    Args:
        labels: The labels (their files are read once each).
        corpora: The corpora folder the label paths are relative to.

    Returns:
        ``(path, item_key) -> agency`` (None for no agency) for every item that loaded; the
        only item of a one-article file (a page, an export record with its URL as key) is
        also listed under the empty item key.
    """
    files = sorted({label.path for label in labels})
    registry = load_registry(REPO_ROOT / "sources.yaml")
    batch = process_files(
        [str(corpora / name) for name in files], registry, run_id="eval-agency", loaded_at=datetime.now(UTC)
    )
    agencies = {row.article_id: row.agency for row in batch.articles.itertuples()}
    stored: dict[tuple[str, str], str | None] = {}
    items: dict[str, list[str]] = {}
    for link in batch.sources.itertuples():
        path = Path(link.source_uri).relative_to(corpora).as_posix()
        items.setdefault(path, []).append(str(link.item_key))
        if link.article_id in agencies:
            agency = agencies[link.article_id]
            stored[(path, str(link.item_key))] = agency if isinstance(agency, str) else None
    for path, keys in items.items():
        if len(keys) == 1 and (path, keys[0]) in stored:
            stored.setdefault((path, ""), stored[(path, keys[0])])
    return stored


def evaluate(corpora: Path = CORPORA, labels_path: Path = LABELS) -> tuple[dict[str, float], list[str]]:
    """Score every label and list the disagreements.

    Args:
        corpora: The corpora folder.
        labels_path: The labels file.

    Returns:
        The measures of ``measure`` and one line per disagreement.

    Raises:
        FileNotFoundError: The corpora folder is absent.
    """
    if not corpora.is_dir():
        raise FileNotFoundError(f"corpora not found: {corpora}")
    labels = read_labels(labels_path)
    stored = stored_agencies(labels, corpora)
    correct = wire_items = wire_correct = none_items = none_correct = 0
    disagreements = []
    for label in labels:
        key = (label.path, label.item_key)
        found = stored.get(key, "<not loaded>")
        expected = label.agency or None
        hit = found == expected
        correct += hit
        if expected:
            wire_items += 1
            wire_correct += hit
        else:
            none_items += 1
            none_correct += hit
        if not hit:
            where = f"{label.path}#{label.item_key}" if label.item_key else label.path
            disagreements.append(f"{where}: stored {found!r}, labelled {expected!r} ({label.note})")
    measures = {
        "accuracy": correct / len(labels),
        "items": float(len(labels)),
        "wire_items": float(wire_items),
        "wire_recall": wire_correct / wire_items if wire_items else 1.0,
        "none_items": float(none_items),
        "none_accuracy": none_correct / none_items if none_items else 1.0,
    }
    return measures, disagreements


def measure(corpora: Path = CORPORA) -> dict[str, float]:
    """Measure agency accuracy on the labelled articles.

    Args:
        corpora: The corpora folder (``../shared/corpora`` beside the checkout).

    Returns:
        ``accuracy`` (share of labels the stored agency matches, target 0.95), ``items``,
        ``wire_items`` and ``wire_recall`` (labels naming a wire), ``none_items`` and
        ``none_accuracy`` (labels naming none).

    Raises:
        FileNotFoundError: The corpora folder is absent.
    """
    return evaluate(corpora)[0]


def main() -> None:
    """Print every disagreement and the measures; exit 0 with a note when the corpora are absent."""
    if not CORPORA.is_dir():
        print(f"skipped: corpora not found at {CORPORA} (they live in ../shared/corpora beside the checkout)")
        return
    measures, disagreements = evaluate()
    for line in disagreements:
        print("  " + line)
    print(
        f"agency: n={measures['items']:.0f} accuracy={measures['accuracy']:.3f} (target {TARGET}) "
        f"wire_recall={measures['wire_recall']:.3f} (n={measures['wire_items']:.0f}) "
        f"none_accuracy={measures['none_accuracy']:.3f} (n={measures['none_items']:.0f})"
    )


if __name__ == "__main__":
    main()
