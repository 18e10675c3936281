"""Measure the ETL's fixed costs (``noop_share`` and ``prefect_share``) for one or more checkouts, alternating.

    .venv/bin/python benchmarks/fixed_costs.py --corpus DIR [--code /work/main --code .] [--rounds 1]
        [--workers 2] [--dir DIR]

For each round and each checkout given with ``--code`` (its ``media_etl``, ``flows`` and
``schemas`` are imported through ``PYTHONPATH``), it runs ``media-etl run CORPUS`` with every
enrichment on into a fresh warehouse, then once more on the same input and warehouse with
nothing changed, exactly as ``benchmarks/bench.py`` does (one Prefect server for all runs,
each run its own process), and prints per run::

    fixed: code=/work/main round=1 full_s=... noop_s=... stage_s=... noop_share=... prefect_share=...

``noop_share`` is the no-op run's flow wall time over the full run's; ``prefect_share`` is
(wall - stage_seconds) / wall of the full run. Alternating the checkouts in one invocation
keeps the comparison within one machine state: on a shared machine only the ratios compare.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import PrefectServer, corpus_files, progress, run_etl, warm_cache


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measurement; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="input folder (scale_corpus.py's OUT/text)")
    parser.add_argument("--code", type=Path, action="append", help="checkout to measure (repeatable; default .)")
    parser.add_argument("--rounds", type=int, default=1, help="times to run each checkout (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="--workers of each run (default 2)")
    parser.add_argument("--dir", type=Path, default=Path(".tmp/fixed-costs"), help="warehouses, logs, Prefect home")
    args = parser.parse_args(argv)
    root = args.dir.resolve()
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    checkouts = [code.resolve() for code in (args.code or [Path(".")])]
    files = corpus_files(args.corpus, ".txt")
    progress(f"warming the page cache: {len(files)} files, {warm_cache(files) / 1e6:.1f} MB")
    with PrefectServer(root / "prefect-home", logs / "prefect-server.log") as server:
        server.wait()
        for round_number in range(1, args.rounds + 1):
            for index, code in enumerate(checkouts):
                env = {**server.env(), "PYTHONPATH": str(code)}
                label = f"r{round_number}-c{index}"
                warehouse = root / "warehouses" / f"c{index}"
                common = {"enrich": True, "workers": args.workers, "batch_size": None, "env": env, "logs": logs}
                full = run_etl(f"{label}-full", args.corpus, warehouse, fresh=True, **common)
                noop = run_etl(f"{label}-noop", args.corpus, warehouse, fresh=False, **common)
                print(
                    f"fixed: code={code} round={round_number} articles={full.summary.articles_loaded} "
                    f"full_s={full.wall:.2f} noop_s={noop.wall:.2f} stage_s={full.summary.stage_seconds:.2f} "
                    f"noop_share={noop.wall / full.wall:.4f} "
                    f"prefect_share={(full.wall - full.summary.stage_seconds) / full.wall:.4f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    raise SystemExit(main())
