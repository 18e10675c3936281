"""The on-disk LSH index: the same candidates and links as datasketch's in-memory index, and clusters from DuckDB."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from datasketch import LeanMinHash, MinHashLSH

from media_etl.enrich.near_duplicates import (
    NUM_PERM,
    SCHEME,
    SEED,
    THRESHOLD,
    cluster_stored_stories,
    cluster_stories,
    lsh_bands,
    signature,
)
from media_etl.enrich.story_index import candidate_pairs, linked_groups
from media_etl.records import short_hash
from tests.test_enrich_near_duplicates import _many_stories

EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)


def planted_signatures(seed: int, originals: int = 150) -> dict[str, np.ndarray]:
    """Random signatures, and for each a copy with 5 to 100 of its 128 values replaced (candidates or not)."""
    rng = np.random.default_rng(seed)
    found: dict[str, np.ndarray] = {}
    for i in range(originals):
        values = rng.integers(0, 2**32 - 1, size=NUM_PERM, dtype=np.uint32)
        found[f"o{i:04d}"] = values
        copy = values.copy()
        changed = rng.choice(NUM_PERM, size=int(rng.integers(5, 101)), replace=False)
        copy[changed] = rng.integers(0, 2**32 - 1, size=len(changed), dtype=np.uint32)
        found[f"c{i:04d}"] = copy
    return found


def batches(signatures: dict[str, np.ndarray], size: int = 64) -> list[pa.RecordBatch]:
    """``(article_id, signature)`` record batches of ``size`` rows."""
    ids = list(signatures)
    return [
        pa.record_batch(
            {
                "article_id": pa.array(ids[i : i + size], pa.string()),
                "signature": pa.array([signatures[k].astype("<u4").tobytes() for k in ids[i : i + size]], pa.binary()),
            }
        )
        for i in range(0, len(ids), size)
    ]


def datasketch_candidates(signatures: dict[str, np.ndarray], bands: int, rows: int) -> set[tuple[str, str]]:
    """The pairs ``datasketch.MinHashLSH`` returns for these signatures."""
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(bands, rows))
    sketches = {k: LeanMinHash(seed=SEED, hashvalues=v, scheme=SCHEME) for k, v in signatures.items()}
    for key, sketch in sketches.items():
        lsh.insert(key, sketch, check_duplication=False)
    return {(min(k, q), max(k, q)) for k, sketch in sketches.items() for q in lsh.query(sketch) if q != k}


def datasketch_groups(signatures: dict[str, np.ndarray], threshold: float) -> set[frozenset[str]]:
    """Connected components of the links the in-memory index made: candidates agreeing on enough values."""
    bands, rows = lsh_bands(threshold, NUM_PERM)
    nonempty = {k: v for k, v in signatures.items() if not (v == EMPTY).all()}
    cut = int(np.ceil(threshold * NUM_PERM - 1e-9))
    parent = {k: k for k in nonempty}

    def find(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    for a, b in datasketch_candidates(nonempty, bands, rows):
        if np.count_nonzero(nonempty[a] == nonempty[b]) >= cut:
            parent[find(a)] = find(b)
    groups: dict[str, set[str]] = {}
    for k in nonempty:
        groups.setdefault(find(k), set()).add(k)
    return {frozenset(g) for g in groups.values() if len(g) >= 2}


def disk_groups(signatures: dict[str, np.ndarray], threshold: float, tmp_path) -> set[frozenset[str]]:
    bands, rows = lsh_bands(threshold, NUM_PERM)
    cut = int(np.ceil(threshold * NUM_PERM - 1e-9))
    found = linked_groups(
        batches(signatures), bands=bands, rows=rows, cut=cut, num_perm=NUM_PERM, chunk_rows=50, folder=tmp_path
    )
    return {frozenset(g["article_id"]) for _, g in found.groupby("group")}


@pytest.mark.parametrize("threshold", [0.3, THRESHOLD, 0.7])
@pytest.mark.parametrize("seed", [1, 2])
def test_disk_candidates_equal_datasketch_candidates(threshold, seed, tmp_path) -> None:
    signatures = planted_signatures(seed)
    bands, rows = lsh_bands(threshold, NUM_PERM)
    expected = datasketch_candidates(signatures, bands, rows)
    found = candidate_pairs(batches(signatures), bands=bands, rows=rows, num_perm=NUM_PERM, folder=tmp_path)
    assert found == expected
    # The planted copies make candidates and non-candidates both, so the comparison can fail.
    assert 20 < len(found) < len(signatures) // 2
    assert list(tmp_path.iterdir()) == []  # the index is removed afterwards


@pytest.mark.parametrize("threshold", [0.3, THRESHOLD, 0.7])
def test_disk_links_give_the_groups_of_the_in_memory_index(threshold, tmp_path) -> None:
    signatures = planted_signatures(3)
    # Chains (a copy of a copy), identical signatures and signatures without words.
    signatures["c0000x"] = signatures["c0000"].copy()
    signatures["c0000x"][:10] = np.arange(10, dtype=np.uint32)
    signatures["twin1"] = signatures["twin2"] = signatures["twin3"] = signatures["o0001"].copy()
    signatures["empty1"] = signatures["empty2"] = EMPTY.copy()
    expected = datasketch_groups(signatures, threshold)
    assert disk_groups(signatures, threshold, tmp_path) == expected
    assert any(len(g) >= 3 for g in expected) and not any("empty1" in g for g in expected)


def test_bands_must_fit_the_signatures(tmp_path) -> None:
    with pytest.raises(ValueError, match="33 bands of 4 rows do not fit signatures of 128 values"):
        linked_groups(batches(planted_signatures(1, 2)), bands=33, rows=4, cut=64, num_perm=NUM_PERM, folder=tmp_path)


def test_clusters_from_stored_signatures_equal_clusters_from_the_frame(tmp_path) -> None:
    articles = _many_stories().assign(article_id=lambda f: [short_hash(i) for i in f["article_id"]])
    articles = articles.assign(signature=[signature(b) for b in articles["body"]]).drop(columns="body")
    articles.to_parquet(tmp_path / "articles.parquet")
    source = f"read_parquet('{tmp_path / 'articles.parquet'}')"
    with duckdb.connect() as connection:
        stored = cluster_stored_stories(
            connection,
            f"select article_id, signature from {source}",
            f"select article_id, outlet, published_at, published_date from {source}",
            chunk_rows=3,
            folder=tmp_path,
        )
    expected = cluster_stories(articles)
    assert len(expected) >= 4
    pd.testing.assert_frame_equal(stored, expected)


def test_a_bad_stored_signature_names_the_article(tmp_path) -> None:
    rows = pd.DataFrame(
        {
            "article_id": ["0123456789abcdef", "fedcba9876543210"],
            "outlet": ["Trend", "APA"],
            "published_at": pd.to_datetime([None, None], utc=True),
            "published_date": [date(2025, 1, 1), None],
            "signature": [signature("one two three four"), b"\x00" * 12],
        }
    )
    rows.to_parquet(tmp_path / "bad.parquet")
    source = f"read_parquet('{tmp_path / 'bad.parquet'}')"
    with duckdb.connect() as connection, pytest.raises(ValueError, match="fedcba9876543210: signature of 12 bytes"):
        cluster_stored_stories(connection, f"select * from {source}", f"select * from {source}", folder=tmp_path)
    assert list(tmp_path.iterdir()) == [tmp_path / "bad.parquet"]


@pytest.mark.slow
def test_cluster_memory_benchmark_prints_its_figures_and_finds_every_planted_pair(tmp_path) -> None:
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "cluster_memory.py"
    done = subprocess.run(
        [sys.executable, str(script), "--n", "3000", "--tmp", str(tmp_path)], capture_output=True, text=True, check=True
    )
    figures = dict(item.split("=") for item in done.stdout.split())
    assert set(figures) == {"cluster_rss_gib", "n", "clustered", "expected", "seconds"}
    assert figures["n"] == "3000" and figures["clustered"] == figures["expected"] == "60"
    assert 0 < float(figures["cluster_rss_gib"]) < 2
    assert list(tmp_path.iterdir()) == []
    refused = subprocess.run([sys.executable, str(script), "--n", "0"], capture_output=True, text=True, check=False)
    assert refused.returncode == 2 and "--n must be positive, got 0" in refused.stderr
