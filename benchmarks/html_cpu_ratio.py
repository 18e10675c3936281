"""html_ratio's library part in one process: CPU time of media-etl's HTML path against trafilatura alone.

    .venv/bin/python benchmarks/html_cpu_ratio.py PAGES_DIR [--batch-size 200]

Every ``*.html`` page under ``PAGES_DIR`` (``benchmarks/bench.py`` builds them with
``ensure_html``) goes, page after page and alternating, through ``trafilatura.extract`` with its
defaults (what ``bench.py``'s ``trafilatura_seconds`` times) and through media-etl's
``read_input``; the items read then go through ``process_items`` (parse, clean, normalise,
validate; enrichment off) in batches. CPU time (``time.process_time``) is summed for each, so
that other jobs on a shared machine do not count; the gazetteers a worker loads before its first
batch are loaded before the clock starts. One line is printed:

    pages=400 extract_cpu=… read_input_cpu=… process_items_cpu=… ratio=…

``ratio`` is extract_cpu over the sum of the other two: the ceiling of ``html_ratio`` before the
flow's own costs (Prefect, writing Parquet, the media.db build) are added.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

# Run as a script, only benchmarks/ is on sys.path; the repo root makes ``media_etl`` importable.
if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from media_etl.ingest.router import read_input
from media_etl.normalise.places import find_city, locate_place
from media_etl.pipeline import process_items
from media_etl.records import SourceItem
from media_etl.sources import load_registry

REPO_ROOT = Path(__file__).resolve().parent.parent
WARM_UP_PAGES = 5


def measure(pages: Sequence[Path], batch_size: int) -> dict[str, float]:
    """CPU seconds of trafilatura alone, of reading the pages and of processing the items read.

    Args:
        pages: The HTML files.
        batch_size: Items per ``process_items`` call.

    Returns:
        ``extract_cpu``, ``read_input_cpu``, ``process_items_cpu`` and ``ratio``.
    """
    registry = load_registry(REPO_ROOT / "sources.yaml")
    loaded_at = datetime.now(UTC)
    find_city("Baku")  # the GeoNames index, as a warmed worker holds it
    locate_place("Novye Atagi", "Russia")  # and the smaller places, where a dateline names a region
    for page in pages[:WARM_UP_PAGES]:
        trafilatura.extract(page.read_text("utf-8", "replace"))
        process_items(read_input(str(page)).items, registry, run_id="warm-up", loaded_at=loaded_at)
    extract = read = process = 0.0
    items: list[SourceItem] = []
    for page in pages:
        started = time.process_time()
        trafilatura.extract(page.read_text("utf-8", "replace"))
        extract += time.process_time() - started
        started = time.process_time()
        items.extend(read_input(str(page)).items)
        read += time.process_time() - started
    for start in range(0, len(items), batch_size):
        started = time.process_time()
        process_items(items[start : start + batch_size], registry, run_id="cpu-ratio", loaded_at=loaded_at)
        process += time.process_time() - started
    ratio = extract / (read + process) if read + process > 0 else float("nan")
    return {"extract_cpu": extract, "read_input_cpu": read, "process_items_cpu": process, "ratio": ratio}


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print one line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, help="folder of HTML pages (searched recursively for *.html)")
    parser.add_argument("--batch-size", type=int, default=200, help="items per process_items call (default 200)")
    args = parser.parse_args(argv)
    pages = sorted(args.pages.rglob("*.html"))
    if not pages:
        parser.error(f"{args.pages}: no *.html pages found")
    if args.batch_size < 1:
        parser.error("--batch-size must be at least 1")
    figures = measure(pages, args.batch_size)
    print(f"pages={len(pages)} " + " ".join(f"{name}={value:.3f}" for name, value in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
