"""Profile the library's stages (no Prefect) on the scaled corpus, to show where the time goes.

    .venv/bin/python benchmarks/profile_stages.py [--n 2000] [--batch-size 1000] [--top 15]
        [--seed 1] [--dir /tmp/media-etl-bench] [--only core|full] [--tree]

``media_etl.pipeline.process_files`` runs in this process, batch after batch, over the first
``--n`` files of the scaled corpus (built or reused under ``--dir`` as ``benchmarks/bench.py``
does), twice: enrichment off, then on (an ``Enricher`` from the repo's ``themes.yaml``). One
batch of 50 files runs unprofiled first in each configuration, so that loading the gazetteer,
the registry and the language models is not counted, as a worker process of the flow loads
them once before its first batch. Each configuration is sampled with pyinstrument (1 ms
interval) and printed as two tables:

- **own time**: the functions the samples were in, by share of the configuration's time
  (where the CPU goes);
- **media_etl, inclusive**: the library's own functions by share of time spent in them and
  everything they call (which stage costs what).

``--tree`` also prints pyinstrument's call tree.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pyinstrument import Profiler
from pyinstrument.frame import Frame

# Run as a script, only benchmarks/ is on sys.path; the repo root makes ``benchmarks`` importable.
if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench import DEFAULT_DIR, corpus_files, ensure_corpus, progress, warm_cache
from media_etl.enrich.stage import Enricher
from media_etl.pipeline import process_files
from media_etl.sources import load_registry

REPO_ROOT = Path(__file__).resolve().parent.parent
WARM_UP_FILES = 50
INTERVAL = 0.001


@dataclass
class Hotspots:
    """Time per function in one profile, in seconds."""

    total: float
    own: dict[str, float] = field(default_factory=dict)
    inclusive: dict[str, float] = field(default_factory=dict)


def _name(frame: Frame) -> str:
    where = frame.file_path_short or frame.file_path or "?"
    return f"{frame.function} ({where}:{frame.line_no})"


def hotspots(root: Frame) -> Hotspots:
    """Sum own and inclusive time per function over a pyinstrument call tree.

    Inclusive time counts a function once per stack, so recursion is not double-counted.

    Args:
        root: The session's root frame.

    Returns:
        Seconds per function name (``function (file:line)``).
    """
    found = Hotspots(total=root.time)
    stack: list[tuple[Frame, frozenset[str]]] = [(root, frozenset())]
    while stack:
        frame, above = stack.pop()
        if frame.is_synthetic:
            continue
        name = _name(frame)
        found.own[name] = found.own.get(name, 0.0) + frame.total_self_time
        if name not in above:
            found.inclusive[name] = found.inclusive.get(name, 0.0) + frame.time
        below = above | {name}
        stack.extend((child, below) for child in frame.children)
    return found


def table(title: str, seconds: dict[str, float], total: float, top: int, *, only: str | None = None) -> str:
    """Format the ``top`` functions by share of ``total``.

    Args:
        title: The table's heading.
        seconds: Seconds per function name.
        total: The profile's total seconds.
        top: Rows to show.
        only: Keep only names containing this text (a path fragment such as ``media_etl/``).

    Returns:
        The table as text.
    """
    rows = sorted(((s, n) for n, s in seconds.items() if only is None or only in n), reverse=True)[:top]
    lines = [title, f"{'share':>7} {'seconds':>8}  function (file:line)"]
    lines += [f"{s / total:>7.1%} {s:>8.2f}  {n}" for s, n in rows]
    return "\n".join(lines)


def profile(
    files: Sequence[Path], enricher: Enricher | None, batch_size: int, *, tree: bool
) -> tuple[Hotspots, float, str]:
    """Run ``process_files`` over the files in batches under pyinstrument.

    Args:
        files: The corpus sample.
        enricher: None for the core stages only.
        batch_size: Files per ``process_files`` call.
        tree: Also render pyinstrument's call tree.

    Returns:
        The hotspots, the wall seconds and the rendered tree (empty unless asked).
    """
    registry = load_registry(REPO_ROOT / "sources.yaml")
    loaded_at = datetime.now(UTC)
    paths = [str(p) for p in files]
    process_files(paths[:WARM_UP_FILES], registry, run_id="warm-up", loaded_at=loaded_at, enricher=enricher)
    profiler = Profiler(interval=INTERVAL)
    started = time.perf_counter()
    profiler.start()
    articles = 0
    for offset in range(0, len(paths), batch_size):
        batch = process_files(
            paths[offset : offset + batch_size], registry, run_id="profile", loaded_at=loaded_at, enricher=enricher
        )
        articles += len(batch.articles)
    profiler.stop()
    wall = time.perf_counter() - started
    root = profiler.last_session.root_frame() if profiler.last_session else None
    if root is None:
        raise RuntimeError("pyinstrument recorded no samples")
    progress(f"{articles} articles in {wall:.1f} s ({articles / wall:.1f} articles/s)")
    rendered = profiler.output_text(unicode=True, color=False) if tree else ""
    return hotspots(root), wall, rendered


def main(argv: Sequence[str] | None = None) -> None:
    """Profile both configurations from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="files profiled (default 2000)")
    parser.add_argument("--batch-size", type=int, default=1000, help="files per process_files call (default 1000)")
    parser.add_argument("--top", type=int, default=15, help="rows per table (default 15)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--near-dup-share", type=float, default=0.05, help="planted near-duplicates (0.05)")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"where corpora are cached ({DEFAULT_DIR})")
    parser.add_argument("--only", choices=("core", "full"), default=None, help="profile one configuration only")
    parser.add_argument("--tree", action="store_true", help="also print pyinstrument's call tree")
    args = parser.parse_args(argv)
    text_dir = ensure_corpus(args.dir.resolve(), args.n, args.seed, args.near_dup_share)
    files = corpus_files(text_dir, ".txt")[: args.n]
    warm_cache(files)
    configurations = {
        "core": None,
        "full": Enricher.from_files(REPO_ROOT / "themes.yaml"),
    }
    for label, enricher in configurations.items():
        if args.only and label != args.only:
            continue
        progress(f"profiling process_files on {len(files)} files, enrichment {'on' if enricher else 'off'}")
        found, wall, rendered = profile(files, enricher, args.batch_size, tree=args.tree)
        heading = f"== {label}: enrichment {'on' if enricher else 'off'}, {len(files)} files, {wall:.1f} s"
        print(heading)
        print(table(f"top {args.top} by own time", found.own, found.total, args.top))
        print()
        print(
            table(
                f"top {args.top} media_etl functions, inclusive",
                found.inclusive,
                found.total,
                args.top,
                only="media_etl/",
            )
        )
        print()
        if rendered:
            print(rendered)


if __name__ == "__main__":
    main()
