"""Time the core path (``process_files``, enrichment off) of two checkouts on one corpus, alternating runs.

    .venv/bin/python benchmarks/core_ab.py --base ../main [--head .] [--n 2000] [--rounds 3]
        [--dir /tmp/media-etl-bench]

Each run is a child process with ``PYTHONPATH`` set to one checkout, so each imports its own
``media_etl``; the children run base, head, base, head, ... over the same files (the scaled
corpus that ``benchmarks/bench.py`` builds, reused under ``--dir``), so that a busy shared
machine slows both alike. A child first runs one unmeasured batch (the registry and place
index load once, as in a worker), then times ``process_files`` over all files in batches of
``--batch-size`` and reports wall and CPU seconds. The script prints each run, the best of
each side per article, and head's speed over base's (CPU time, the figure a shared machine
disturbs least; wall beside it).

``--steps A B C ...`` times more checkouts in the same rotation (for example one per commit of a
series) and prints each one's CPU speed-up over the one before it and over ``--base``.

``--cli`` also runs ``media-etl run DIR --no-enrich`` of each checkout on the same files,
alternating, the way ``benchmarks/bench.py`` measures ``etl_aps`` (a Prefect server of its own,
a fresh warehouse, articles loaded over the flow's wall seconds), and DuckDB's ``read_text``
floor on the same files, and prints each side's articles/s and ``core_ratio`` estimate.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# Run as a script, only benchmarks/ is on sys.path; the repo root makes ``benchmarks`` importable.
if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench import (
    DEFAULT_DIR,
    PrefectServer,
    corpus_files,
    duckdb_floor,
    ensure_corpus,
    progress,
    run_etl,
    warm_cache,
)

# The child: imports media_etl from the PYTHONPATH it was given and times process_files.
CHILD = r"""
import json, sys, time
from datetime import UTC, datetime
from pathlib import Path
import media_etl
from media_etl.pipeline import process_files
from media_etl.sources import load_registry
root, batch_size = Path(sys.argv[1]), int(sys.argv[2])
paths = Path(sys.argv[3]).read_text(encoding="utf-8").split("\n")
registry = load_registry(root / "sources.yaml")
loaded_at = datetime.now(UTC)
process_files(paths[:50], registry, run_id="warm-up", loaded_at=loaded_at)
wall, cpu, articles = time.perf_counter(), time.process_time(), 0
for offset in range(0, len(paths), batch_size):
    batch = process_files(paths[offset : offset + batch_size], registry, run_id="ab", loaded_at=loaded_at)
    articles += len(batch.articles)
print(json.dumps({"module": media_etl.__file__, "articles": articles,
                  "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""


def run_child(checkout: Path, list_file: Path, batch_size: int) -> dict[str, float]:
    """Time ``process_files`` of ``checkout`` over the listed files in a child process."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(checkout), str(batch_size), str(list_file)],
        env=env,
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    if not str(result["module"]).startswith(str(checkout)):
        raise RuntimeError(f"{checkout} imported media_etl from {result['module']}")
    return result


def main(argv: Sequence[str] | None = None) -> None:
    """Alternate base and head runs and print the speed ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="the checkout to compare against (e.g. ../main)")
    parser.add_argument("--head", type=Path, default=Path(), help="the checkout measured (default: this one)")
    parser.add_argument("--n", type=int, default=2000, help="files (default 2000)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each checkout (default 3)")
    parser.add_argument("--batch-size", type=int, default=1000, help="files per process_files call (1000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"where corpora are cached ({DEFAULT_DIR})")
    parser.add_argument("--steps", type=Path, nargs="*", default=[], help="checkouts timed between base and head")
    parser.add_argument("--cli", action="store_true", help="also time `media-etl run --no-enrich` of each side")
    parser.add_argument("--workers", type=int, default=2, help="--workers of the CLI runs (default 2)")
    args = parser.parse_args(argv)
    text_dir = ensure_corpus(args.dir.resolve(), args.n, args.seed, 0.05)
    files = corpus_files(text_dir, ".txt")[: args.n]
    warm_cache(files)
    list_file = args.dir.resolve() / f"core-ab-files-{args.n}.txt"
    list_file.write_text("\n".join(str(f) for f in files), encoding="utf-8")
    sides = {"base": args.base.resolve()}
    sides.update({f"step{number}": step.resolve() for number, step in enumerate(args.steps, start=1)})
    sides["head"] = args.head.resolve()
    best: dict[str, dict[str, float]] = {}
    for round_no in range(1, args.rounds + 1):
        for label, checkout in sides.items():
            result = run_child(checkout, list_file, args.batch_size)
            per = {key: result[key] / result["articles"] * 1000 for key in ("wall", "cpu")}
            print(
                f"round {round_no} {label}: {int(result['articles'])} articles, "
                f"cpu {per['cpu']:.3f} ms/article, wall {per['wall']:.3f} ms/article",
                flush=True,
            )
            kept = best.setdefault(label, per)
            best[label] = {key: min(kept[key], per[key]) for key in per}
    labels = list(sides)
    for before, after in itertools.pairwise(labels):
        print(
            f"{after} ({sides[after].name}) over {before}: cpu speed-up {best[before]['cpu'] / best[after]['cpu']:.2f},"
            f" over base {best['base']['cpu'] / best[after]['cpu']:.2f}"
        )
    base, head = best["base"], best["head"]
    print(
        f"core_ab: n={len(files)} base_cpu_ms={base['cpu']:.3f} head_cpu_ms={head['cpu']:.3f} "
        f"speedup_cpu={base['cpu'] / head['cpu']:.2f} base_wall_ms={base['wall']:.3f} "
        f"head_wall_ms={head['wall']:.3f} speedup_wall={base['wall'] / head['wall']:.2f}"
    )
    if args.cli:
        compare_cli({"base": sides["base"], "head": sides["head"]}, text_dir, args)
    progress("done")


def compare_cli(sides: dict[str, Path], text_dir: Path, args: argparse.Namespace) -> None:
    """Run ``media-etl run --no-enrich`` of each side, alternating, and DuckDB's floor; print articles/s."""
    scratch = args.dir.resolve() / "core-ab"
    scratch.mkdir(parents=True, exist_ok=True)
    server = PrefectServer(scratch / "prefect-home", scratch / "prefect-server.log")
    server.start()
    best: dict[str, float] = {}
    try:
        server.wait()
        for round_no in range(1, args.rounds + 1):
            for label, checkout in sides.items():
                env = {**server.env(), "PYTHONPATH": str(checkout)}
                run = run_etl(
                    f"cli-{label}-{round_no}",
                    text_dir,
                    scratch / f"warehouse-{label}",
                    enrich=False,
                    fresh=True,
                    workers=args.workers,
                    batch_size=None,
                    env=env,
                    logs=scratch,
                )
                aps = run.summary.articles_loaded / run.wall
                print(f"round {round_no} cli {label}: {run.summary.articles_loaded} articles, {aps:.1f} articles/s")
                best[label] = max(best.get(label, 0.0), aps)
    finally:
        server.stop()
    floor = len(corpus_files(text_dir, ".txt")) / min(duckdb_floor(text_dir, scratch))
    print(
        f"core_ab_cli: base_aps={best['base']:.1f} head_aps={best['head']:.1f} "
        f"speedup={best['head'] / best['base']:.2f} floor_aps={floor:.0f} "
        f"base_core_ratio={best['base'] / floor:.4f} head_core_ratio={best['head'] / floor:.4f}"
    )


if __name__ == "__main__":
    main()
