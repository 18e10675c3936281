"""The corpus scaler and the benchmark: determinism, the planted near-duplicates, and one whole small run.

The whole-benchmark test runs ``benchmarks/bench.py`` end to end at n=2000 (a Prefect server,
seven ETL runs, DuckDB, trafilatura, the synthetic warehouse at 2000 articles) and checks only
that its last line parses into finite positive figures: it makes no timing assertion. Without
``../shared/corpora`` the scaler falls back to the seeds, so nothing here is skipped.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.bench import FIELDS, bench_line, parse_bench_line, read_summary, verdict
from benchmarks.scale_corpus import SHARD_SIZE, build_corpus, build_html, load_pools
from media_etl.clean.text import clean_text
from media_etl.parse.wire import parse_wire_text
from tests.conftest import REPO_ROOT

SMOKE_N = 2000
SMOKE_REF_N = 500
SMOKE_HTML_N = 40
SMOKE_SYNTHETIC_N = 2000
SMOKE_TIMEOUT_SECONDS = 1800


def manifest(out: Path) -> list[dict[str, str]]:
    with open(out / "manifest.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scaled")
    build_corpus(out, 1200, seed=3, near_dup_share=0.05, jobs=2, log=lambda _: None)
    return out


def test_scaler_is_deterministic_across_process_counts(scaled: Path, tmp_path: Path) -> None:
    build_corpus(tmp_path, 1200, seed=3, near_dup_share=0.05, jobs=1, log=lambda _: None)
    assert tree_bytes(tmp_path / "text") == tree_bytes(scaled / "text")
    assert (tmp_path / "manifest.csv").read_bytes() == (scaled / "manifest.csv").read_bytes()


def test_scaler_writes_shards_and_plants_the_known_share(scaled: Path) -> None:
    rows = manifest(scaled)
    assert [r["file"] for r in rows] == [f"text/{i // SHARD_SIZE:05d}/{i:08d}.txt" for i in range(1200)]
    assert all((scaled / r["file"]).is_file() for r in rows)
    near = [r for r in rows if r["kind"] == "near_dup"]
    assert len(near) == round(1000 * 0.05) + round(200 * 0.05)
    assert {r["kind"] for r in rows} == {"original", "near_dup"}
    position = {r["file"]: i for i, r in enumerate(rows)}
    for row in near:
        source = row["dup_of"]
        assert position[source] < position[row["file"]]
        assert source.split("/")[1] == row["file"].split("/")[1]  # same shard
    assert all(r["dup_of"] == "" for r in rows if r["kind"] == "original")


def test_scaled_articles_are_distinct_wire_copy(scaled: Path, registry) -> None:
    rows = manifest(scaled)
    identities = set()
    for row in rows[:400]:
        parsed = parse_wire_text(clean_text((scaled / row["file"]).read_text(encoding="utf-8")), registry)
        assert parsed.dateline is not None, row["file"]
        assert parsed.credit is not None, row["file"]
        identities.add((parsed.headline, "\n\n".join(p.text for p in parsed.paragraphs)))
    assert len(identities) == 400


def test_scaler_falls_back_to_the_seeds(tmp_path: Path) -> None:
    notes: list[str] = []
    pools = load_pools(corpora=tmp_path / "absent", log=notes.append)
    assert len(notes) == 3 and all("absent" in note for note in notes)
    assert "en" in pools
    build_corpus(tmp_path / "out", 60, seed=1, corpora=tmp_path / "absent", jobs=1, log=notes.append)
    contents = {p.read_bytes() for p in (tmp_path / "out" / "text").rglob("*.txt")}
    assert len(contents) == 60


def test_html_pages_differ_from_each_other(tmp_path: Path) -> None:
    build_html(tmp_path, 5, seed=1, log=lambda _: None)
    pages = [p.read_text(encoding="utf-8") for p in sorted((tmp_path / "html").rglob("*.html"))]
    assert len(pages) == 5 and len(set(pages)) == 5
    assert all(page.startswith(f"<!-- media-etl benchmark page {i} -->") for i, page in enumerate(pages))


def test_bench_line_round_trips_and_summary_is_read(tmp_path: Path) -> None:
    figures = {name: 0.5 + i for i, name in enumerate(FIELDS)}
    parsed = parse_bench_line(bench_line(100, figures))
    assert parsed == {"n": 100.0, **figures}
    with pytest.raises(ValueError, match="lacks"):
        parse_bench_line("bench: n=3 etl_aps=1")
    summary = tmp_path / "run.json"
    summary.write_text(
        json.dumps(
            {
                "status": "completed",
                "files_seen": 12,
                "files_read": 10,
                "articles_parsed": 9,
                "articles_loaded": 8,
                "wall_seconds": 4.5,
                "stage_seconds": 4.25,
            }
        )
    )
    run = read_summary(summary)
    assert (run.wall_seconds, run.stage_seconds, run.articles_loaded, run.files_read) == (4.5, 4.25, 8, 10)
    assert verdict("core_ratio", 0.3).startswith("PASS") and verdict("rss_gib", 2.5).startswith("FAIL")
    assert verdict("etl_aps", 1.0) == ""


@pytest.mark.slow  # benchmarks/bench.py end to end: a Prefect server and seven ETL runs
def test_whole_benchmark_prints_every_figure(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    command = [
        sys.executable,
        str(REPO_ROOT / "benchmarks" / "bench.py"),
        "--n",
        str(SMOKE_N),
        "--ref-n",
        str(SMOKE_REF_N),
        "--html-n",
        str(SMOKE_HTML_N),
        "--workers",
        "2",
        "--synthetic-n",
        str(SMOKE_SYNTHETIC_N),
        "--dir",
        str(tmp_path / "bench"),
    ]
    done = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=SMOKE_TIMEOUT_SECONDS, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    figures = parse_bench_line(lines[-1])
    assert figures["n"] == SMOKE_N
    for name in FIELDS:
        assert math.isfinite(figures[name]) and figures[name] > 0, (name, figures[name], done.stdout)
    assert any(line.startswith("html_ratio") and "enrichment off" in line for line in lines)
    assert any(line.startswith("max_view_s_1m") and f"{SMOKE_SYNTHETIC_N} articles" in line for line in lines)
    assert any(line.startswith("cluster_rss_gib_1m") and ("PASS" in line or "FAIL" in line) for line in lines)
