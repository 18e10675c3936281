"""Peak memory of story clustering over N stored signatures, measured in a child process.

Writes N synthetic articles with MinHash signatures to a Parquet file, chunk by chunk:
random signatures, plus one planted near-duplicate for every 100 articles (a copy of an
earlier article of its chunk with a quarter of its values replaced, an estimated Jaccard
similarity of about 0.75, so it links) and one article without words (the empty
signature) for every 1000. A child process then clusters them and the parent reads the
child's peak resident set size from the operating system. Run from the repo root:

    .venv/bin/python benchmarks/cluster_memory.py --n 200000

and it prints ``cluster_rss_gib=... n=... clustered=... expected=... seconds=...``
(``clustered`` is how many articles ended in a cluster, ``expected`` how many planted
pairs should give: two per planted pair). ``--in-memory`` clusters the way loads did
before the index moved to disk: every signature read into pandas and passed to
``cluster_stories``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

# Run as a script, only benchmarks/ is on sys.path; the repo root makes ``media_etl`` importable.
if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from media_etl.enrich.near_duplicates import NUM_PERM

CHUNK = 50_000
"""Articles generated at a time."""
PLANTED_EVERY = 100
"""One planted near-duplicate per this many articles."""
EMPTY_EVERY = 1000
"""One article without words per this many articles."""


def write_signatures(path: Path, n: int, *, seed: int = 1, num_perm: int = NUM_PERM) -> int:
    """Write ``n`` synthetic articles with signatures to a Parquet file; return the planted pairs.

    Args:
        path: The Parquet file to write.
        n: Articles.
        seed: Seed of the random signatures.
        num_perm: Hash values per signature.

    Returns:
        How many near-duplicate pairs were planted.
    """
    rng = np.random.default_rng(seed)
    planted = 0
    schema = pa.schema(
        [
            ("article_id", pa.string()),
            ("outlet", pa.string()),
            ("published_at", pa.timestamp("us", tz="UTC")),
            ("published_date", pa.date32()),
            ("signature", pa.binary()),
        ]
    )
    start = np.datetime64("2026-01-01T00:00:00", "us")
    with pq.ParquetWriter(path, schema) as writer:
        for first in range(0, n, CHUNK):
            size = min(CHUNK, n - first)
            values = rng.integers(0, 0xFFFFFFFF, size=(size, num_perm), dtype=np.uint32)
            copies = np.arange(PLANTED_EVERY - 1, size, PLANTED_EVERY)
            for row in copies.tolist():
                # One of the 99 articles before it: never the previous copy, never an empty one.
                source = row - 1 - int(rng.integers(0, PLANTED_EVERY - 1))
                if source % EMPTY_EVERY == EMPTY_EVERY // 2:
                    source += 1
                values[row] = values[source]
                changed = rng.choice(num_perm, size=num_perm // 4, replace=False)
                values[row, changed] = rng.integers(0, 0xFFFFFFFF, size=len(changed), dtype=np.uint32)
            planted += len(copies)
            values[np.arange(EMPTY_EVERY // 2, size, EMPTY_EVERY)] = 0xFFFFFFFF
            numbers = np.arange(first, first + size)
            table = pa.table(
                {
                    "article_id": [f"{i:016x}" for i in numbers.tolist()],
                    "outlet": [f"outlet-{i % 50}" for i in numbers.tolist()],
                    "published_at": start + numbers * np.timedelta64(60_000_000, "us"),
                    "published_date": (start + numbers * np.timedelta64(60_000_000, "us")).astype("datetime64[D]"),
                    "signature": [row.tobytes() for row in values.astype("<u4")],
                },
                schema=schema,
            )
            writer.write_table(table)
    return planted


def cluster_file(path: Path, *, in_memory: bool) -> int:
    """Cluster the articles of a file the way loads do (or did); return how many are in a cluster."""
    if in_memory:
        import pandas as pd

        from media_etl.enrich.near_duplicates import cluster_stories

        return len(cluster_stories(pd.read_parquet(path)))
    import duckdb

    from media_etl.enrich.near_duplicates import cluster_stored_stories

    with duckdb.connect() as connection:
        source = f"read_parquet('{path}')"
        clusters = cluster_stored_stories(
            connection,
            f"select article_id, signature from {source}",
            f"select article_id, outlet, published_at, published_date from {source}",
            folder=path.parent,
        )
    return len(clusters)


def measure(n: int, *, in_memory: bool = False, folder: Path | None = None) -> dict[str, float]:
    """Write ``n`` articles, cluster them in a child process and return its figures."""
    with tempfile.TemporaryDirectory(prefix="cluster-memory-", dir=folder) as work:
        path = Path(work) / "signatures.parquet"
        planted = write_signatures(path, n)
        command = [sys.executable, __file__, "--child", str(path)] + (["--in-memory"] if in_memory else [])
        started = time.perf_counter()
        child = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if child.returncode != 0:
            raise RuntimeError(f"clustering failed (exit {child.returncode}):\n{child.stderr}")
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "cluster_rss_gib": peak_kib / 2**20,
        "n": n,
        "clustered": json.loads(child.stdout)["clustered"],
        "expected": 2 * planted,
        "seconds": seconds,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print one line of figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="stored signatures (default 200000)")
    parser.add_argument("--in-memory", action="store_true", help="read every signature into pandas, as before")
    parser.add_argument("--tmp", type=Path, default=None, help="folder for the Parquet file and the index")
    parser.add_argument("--child", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps({"clustered": cluster_file(args.child, in_memory=args.in_memory)}))
        return 0
    if args.n < 1:
        parser.error(f"--n must be positive, got {args.n}")
    figures = measure(args.n, in_memory=args.in_memory, folder=args.tmp)
    print(
        f"cluster_rss_gib={figures['cluster_rss_gib']:.3f} n={figures['n']} clustered={figures['clustered']}"
        f" expected={figures['expected']} seconds={figures['seconds']:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
