"""Score media-etl on the dev sets with gold answers, with the reference scorer, against the issues' targets.

    .venv/bin/python benchmarks/eval_dev.py [--sets conll-train nerel-train ...] [--reuse] [--strict]

Each set of ``../shared/corpora/dev`` is loaded with ``media-etl run --no-feeds`` into a scratch
warehouse of its own (``.tmp/eval/<set>``, made afresh unless ``--reuse``), scored by
``../shared/eval/score.py --json`` (its README defines every metric), and one table is printed: set,
measure, figure, target, PASS or FAIL. A set that is absent is reported as skipped. A new measure is
one more ``Measure`` row: the path to its figure in the scorer's JSON and its target.

A set with a reference tool (``REFERENCES``: trafilatura alone for the HTML pages) is also
extracted by that tool into a warehouse of its own (``benchmarks/trafilatura_alone.py``) and
scored the same way in the same run; its figure is printed beside media-etl's, and a measure
marked ``at_least_reference`` passes only when media-etl's figure is also at least the tool's.

The exit code is 0 unless ``--strict`` is given and a target is missed, or a load or a score fails.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV = REPO_ROOT.parent / "shared" / "corpora" / "dev"
SCORER = REPO_ROOT.parent / "shared" / "eval" / "score.py"
SCRATCH = REPO_ROOT / ".tmp" / "eval"
MEDIA_ETL = REPO_ROOT / ".venv" / "bin" / "media-etl"


@dataclass(frozen=True)
class DevSet:
    """One dev set: its folder, the scorer's name for it and the input folder inside it."""

    name: str
    corpus: str
    inputs: str


@dataclass(frozen=True)
class Measure:
    """One row of the table: where the figure is in the scorer's JSON and the target it must reach."""

    dev_set: str
    label: str
    path: tuple[str, ...]
    target: float
    issue: int
    at_least_reference: bool = False

    def figure(self, scores: dict[str, object]) -> float | None:
        """The figure in a set's scores, or None when the scorer did not report it."""
        value: object = scores
        for key in self.path:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return float(value) if isinstance(value, int | float) else None


SETS = (
    DevSet("conll-train", "conll", "txt"),
    DevSet("nerel-train", "nerel", "txt"),
    DevSet("polnear-train", "polnear", "txt"),
    DevSet("trafeval-dev", "trafeval", "html"),
)

REFERENCES = {"trafeval-dev": "trafilatura"}
"""Dev sets scored a second time on a reference tool's own output: the set and the tool's name."""

LABELLED_SETS = {
    "agency-labels": "benchmarks.eval_agency",
    "language-labels": "benchmarks.eval_language",
}
"""Hand-labelled sets of items from ``../shared/corpora`` (labels in ``benchmarks/data``): the set's
name and the module whose ``measure()`` scores the ETL's own reading of each item."""

BODY = ("entities_surface", "body")
RATE = "rate"
MEASURES = (
    Measure("conll-train", "dateline city", ("articles", "dateline_city", RATE), 0.95, 13),
    Measure("conll-train", "dateline date", ("articles", "dateline_date", RATE), 0.95, 13),
    Measure("conll-train", "entities F1, all (body, surface)", (*BODY, "ALL", "f1"), 0.80, 13),
    Measure("conll-train", "entities F1, PER", (*BODY, "PER", "f1"), 0.70, 13),
    Measure("conll-train", "entities F1, ORG", (*BODY, "ORG", "f1"), 0.70, 13),
    Measure("conll-train", "entities F1, LOC", (*BODY, "LOC", "f1"), 0.70, 13),
    Measure("nerel-train", "articles loaded (share of gold documents)", ("coverage", "found_rate"), 1.0, 13),
    Measure("nerel-train", "entities F1, all (body, surface)", (*BODY, "ALL", "f1"), 0.80, 13),
    Measure("nerel-train", "entities F1, ORG", (*BODY, "ORG", "f1"), 0.65, 13),
    Measure("agency-labels", "agency right (hand-labelled articles)", ("accuracy",), 0.95, 13),
    Measure("language-labels", "language right (hand-labelled pages)", ("accuracy",), 0.95, 13),
    Measure("language-labels", "share not wrongly labelled (und is not wrong)", ("not_wrong",), 1.0, 13),
    Measure(
        "polnear-train",
        "quote recall (gold quotes with a source)",
        ("quotes", "recall_gold_with_source", RATE),
        0.75,
        14,
    ),
    Measure("polnear-train", "quote precision", ("quotes", "precision", RATE), 0.85, 14),
    Measure("polnear-train", "speaker accuracy", ("quotes", "speaker_accuracy", RATE), 0.85, 14),
    Measure(
        "polnear-train", "speaker accuracy, one to one", ("quotes", "one_to_one: speaker_accuracy", RATE), 0.90, 14
    ),
    Measure("polnear-train", "direct-quote recall", ("quotes", "recall_direct_gold", RATE), 0.95, 14),
    Measure("trafeval-dev", "title exact", ("articles", "title_exact", RATE), 0.75, 15, at_least_reference=True),
    Measure("trafeval-dev", "date exact", ("articles", "date_exact", RATE), 0.92, 15, at_least_reference=True),
    Measure("trafeval-dev", "author exact", ("articles", "author_exact", RATE), 0.60, 15, at_least_reference=True),
    Measure("trafeval-dev", "required snippets found", ("articles", "with_snippets_found", RATE), 0.95, 15),
    Measure("trafeval-dev", "body: forbidden snippets absent", ("articles", "without_snippets_absent", RATE), 0.93, 15),
)


def load(dev_set: DevSet, warehouse: Path, log: Path) -> float:
    """Load a dev set into a fresh warehouse with ``media-etl run``; return the seconds it took.

    Raises:
        RuntimeError: The run failed (an exit code other than 0; quarantined inputs still exit 0).
    """
    if warehouse.exists():
        shutil.rmtree(warehouse)
    command = [str(MEDIA_ETL), "run", str(DEV / dev_set.name / dev_set.inputs), "--warehouse", str(warehouse)]
    command.append("--no-feeds")
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as output:
        done = subprocess.run(command, cwd=REPO_ROOT, stdout=output, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"loading {dev_set.name} failed (exit {done.returncode}); see {log}")
    return time.perf_counter() - started


def load_reference(dev_set: DevSet, warehouse: Path) -> float:
    """Build the reference tool's warehouse of a dev set's pages; return the seconds it took."""
    started = time.perf_counter()
    command = [sys.executable, str(REPO_ROOT / "benchmarks" / "trafilatura_alone.py")]
    command += [str(DEV / dev_set.name / dev_set.inputs), str(warehouse / "media.db")]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the reference run on {dev_set.name} failed: {done.stderr.strip()[-500:]}")
    return time.perf_counter() - started


def score(dev_set: DevSet, warehouse: Path) -> dict[str, object]:
    """Score a loaded warehouse with the reference scorer and return its JSON result."""
    result = warehouse.parent / f"{warehouse.name}.json"
    command = [sys.executable, str(SCORER), "--corpus", dev_set.corpus, "--gold", str(DEV / dev_set.name)]
    command += ["--db", str(warehouse / "media.db"), "--json", str(result)]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    (warehouse.parent / f"{warehouse.name}.score.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        raise RuntimeError(f"scoring {dev_set.name} failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    data = json.loads(result.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def table(
    measures: Sequence[Measure],
    scores: dict[str, dict[str, object]],
    skipped: dict[str, str],
    references: dict[str, dict[str, object]] | None = None,
) -> list[str]:
    """The printed table, one line per measure; returns the lines.

    Args:
        measures: The rows.
        scores: The scorer's JSON of media-etl's warehouse, by set.
        skipped: The sets that were skipped, with the reason.
        references: The scorer's JSON of a reference tool's warehouse, by set (``REFERENCES``).
    """
    references = references or {}
    lines = [f"{'set':<15} {'measure':<44} {'figure':>7} {'target':>8} {'tool':>17}  result  issue"]
    for measure in measures:
        target = ">= " + f"{measure.target:.2f}"
        if measure.dev_set in skipped:
            lines.append(f"{measure.dev_set:<15} {measure.label:<44} {'-':>7} {target:>8} {'':>17}  skipped")
            continue
        figure = measure.figure(scores[measure.dev_set])
        shown = "n/a" if figure is None else f"{figure:.3f}"
        reference = measure.figure(references[measure.dev_set]) if measure.dev_set in references else None
        tool = "" if reference is None else f"{REFERENCES[measure.dev_set]} {reference:.3f}"
        below_tool = measure.at_least_reference and reference is not None and (figure or 0.0) < reference
        verdict = "FAIL" if figure is None or figure < measure.target or below_tool else "PASS"
        row = f"{measure.dev_set:<15} {measure.label:<44} {shown:>7} {target:>8} {tool:>17}"
        lines.append(f"{row}  {verdict:<6}  #{measure.issue}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Load, score and print; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    every = [s.name for s in SETS] + list(LABELLED_SETS)
    parser.add_argument("--sets", nargs="*", default=every, help="dev sets to score (default: all)")
    parser.add_argument("--reuse", action="store_true", help="score the warehouses of an earlier run, if present")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    chosen = [s for s in SETS if s.name in args.sets]
    sys.path.insert(0, str(REPO_ROOT))
    SCRATCH.mkdir(parents=True, exist_ok=True)
    scores: dict[str, dict[str, object]] = {}
    references: dict[str, dict[str, object]] = {}
    skipped: dict[str, str] = {}
    for dev_set in chosen:
        folder = DEV / dev_set.name
        if not folder.is_dir():
            skipped[dev_set.name] = f"{folder} is absent (the dev sets live in ../shared/corpora/dev)"
            print(f"{dev_set.name}: skipped, {skipped[dev_set.name]}", file=sys.stderr)
            continue
        warehouse = SCRATCH / dev_set.name
        if not (args.reuse and (warehouse / "media.db").is_file()):
            seconds = load(dev_set, warehouse, SCRATCH / f"{dev_set.name}.log")
            print(f"{dev_set.name}: loaded in {seconds:.1f} s", file=sys.stderr)
        scores[dev_set.name] = score(dev_set, warehouse)
        print(
            f"{dev_set.name}: scored; the scorer's full report is in {SCRATCH}/{dev_set.name}.score.txt",
            file=sys.stderr,
        )
        if dev_set.name in REFERENCES:
            tool = REFERENCES[dev_set.name]
            reference = SCRATCH / f"{dev_set.name}-{tool}"
            if not (args.reuse and (reference / "media.db").is_file()):
                seconds = load_reference(dev_set, reference)
                print(f"{dev_set.name}: extracted by {tool} alone in {seconds:.1f} s", file=sys.stderr)
            references[dev_set.name] = score(dev_set, reference)
    for name, module in LABELLED_SETS.items():
        if name not in args.sets:
            continue
        if not DEV.parent.is_dir():
            skipped[name] = f"{DEV.parent} is absent"
            continue
        figures = importlib.import_module(module).measure()
        scores[name] = {**figures, "not_wrong": 1.0 - figures.get("wrong_rate", 0.0)}
    measures = [m for m in MEASURES if m.dev_set in args.sets]
    lines = table(measures, scores, skipped, references)
    print("\n".join(lines))
    missed = [line for line in lines if " FAIL " in line]
    print(f"dev sets: {len(measures) - len(missed)} of {len(measures)} targets met")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
