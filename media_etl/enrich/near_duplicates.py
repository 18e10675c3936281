"""Near-duplicate story clusters: which articles are one story, who ran it first, and each reprint's lag.

Wire copy is reprinted by many outlets with small edits: a new headline, a dropped last
paragraph, an added "Trend reports", other quotes, Turkish letters ASCII-fied. Each body is
folded (``words``), cut into word shingles (``shingles``) and summarised by a MinHash
signature (``signature``), which is stored per article (``article_signatures``) so that
later runs cluster from stored signatures without reading bodies. Clustering finds
candidate pairs with an LSH index on disk (``story_index``: the band keys of the bands and
rows datasketch's ``MinHashLSH`` picks, in a DuckDB table, self-joined), keeps the pairs
whose estimated Jaccard similarity reaches the threshold, and takes connected components
(union-find over those links) as stories. ``cluster_stored_stories`` streams the stored
signatures from a query, a chunk at a time, which is what loads use;
``cluster_stories`` takes a frame and gives the same clusters.

Folding: ``fold_key`` (the four Turkic i-letters, case), NFKD with combining marks dropped
and ``ə`` read as ``e`` (so ASCII-fied copy matches: ``Şəki`` = ``Seki``), apostrophes
removed (``Trump'ın`` = ``Trump’ın`` = ``Trumpın``), and every other character that is
not a letter or digit a word break, so quotes, dashes, punctuation and spacing never count.

Parameters, measured with ``benchmarks/eval_near_duplicates.py`` on the set that
``benchmarks/reprint_set.py`` builds (434 articles: 185 real originals from the seeds and
tr-news, 224 synthetic reprints, 25 follow-ups sharing one paragraph; 437 same-story pairs):

- ``SHINGLE_SIZE = 3`` words. Exact Jaccard over all pairs of the set: the most similar
  pair of different stories (two farm-subsidy stories from one outlet on one day that share
  a quote, in tr-news) scores 0.39 with 2-word shingles, 0.36 with 3, 0.355 with 4 and 0.34
  with 5, while the 5th percentile of same-story pairs scores 0.58, 0.54, 0.46 and 0.44.
  2 and 3 leave the widest gap (0.18); 3 is taken because word pairs recur across
  different stories of formulaic copy (market reports) far more than word triples, which
  this set is too small to show.
- ``NUM_PERM = 128``: a signature is 512 bytes and the estimate's standard error is at most
  0.044 (at J = 0.5). 64 scored the same on the set, but a pair of different stories at
  J = 0.36 like the one above is then estimated at 0.5 or more with probability 1.5%
  (binomial), against 0.08% with 128.
- ``THRESHOLD = 0.5``. Pairwise over ten builds of the set (seeds 1-10): 0.3 precision
  0.991 recall 1.000; 0.4 0.997 / 0.996; 0.45 0.997 / 0.992; 0.5 1.000 / 0.979;
  0.6 1.000 / 0.938. 0.5 is the lowest threshold without a false link; the false links at
  0.4 and 0.45 were the farm-subsidy pair (estimated 0.35 from the originals, more once a
  reprint drops a paragraph). On the default build: precision 1.000, recall 0.963, F1
  0.981, lag right for 0.978 of reprints; the five reprints it misses are copies of
  three-paragraph stories of 24-150 words that lost one paragraph or took several edits,
  at exact Jaccard 0.31-0.56 to their original.
- Bands and rows: datasketch's optimiser with ``LSH_WEIGHTS = (0.1, 0.9)`` (a missed pair
  weighs nine spurious candidates, which the check of the estimate drops anyway) picks 32
  bands of 4 rows at 0.5: a pair becomes a candidate with probability 0.87 at J = 0.5,
  0.99 at 0.6, 0.23 at 0.3 and 0.0002 at 0.05. On the set the index surfaced 99.9% of the
  pairs estimated at 0.5 or more; 42 bands of 3 rows found all of them, but at J = 0.05, the
  bulk of pairs in a large corpus, they make 26 times as many candidates.

Clusters: two articles are linked when their signatures agree on at least
``THRESHOLD * NUM_PERM`` values, and a cluster is a connected component of links, so A and
C can share a cluster through B while their own similarity is lower (``similarity`` is
to the first member, which shows it). Articles without words never join a cluster. The
first member is the earliest: an article counts at its ``published_at``, one known only by
``published_date`` at the end of that day (UTC) and after a timed one at the same instant,
and one with neither after all dated ones; ties go to the smaller article id.
``cluster_id`` is ``short_hash("story", first_article_id)``: later reprints leave it as it
is, which suits loads that arrive in time order; an earlier copy loaded late, or a
corrected date, gives the story a new id.

Signatures depend on the folding, ``SHINGLE_SIZE``, ``SEED`` and ``SCHEME``: change any of
them and stored signatures must be recomputed. Signing takes about 1 ms for a 200-word
body. Clustering 200,000 stored signatures peaked at 2.92 GiB (147 s) with datasketch's
index in memory, and peaks at 0.43 GiB (12 s) with the index on disk, 0.46 GiB (103 s)
for 1,000,000 (``benchmarks/cluster_memory.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from datasketch import MinHash, MinHashLSH

from media_etl.clean.text import fold_key
from media_etl.enrich.story_index import CHUNK_ROWS, linked_groups
from media_etl.records import short_hash

SHINGLE_SIZE = 3
"""Words per shingle."""
NUM_PERM = 128
"""MinHash permutations per signature; a signature is ``4 * NUM_PERM`` bytes."""
THRESHOLD = 0.5
"""Estimated Jaccard similarity at or above which two articles are the same story."""
LSH_WEIGHTS = (0.1, 0.9)
"""Weights of false positives and false negatives when datasketch picks bands and rows."""
SEED = 1
"""Seed of the MinHash permutations. Signatures made with another seed cannot be compared."""
SCHEME = "affine32"
"""datasketch's permutation scheme; its hash values fit in 32 bits."""

_DTYPE = np.dtype("<u4")
_APOSTROPHES = re.compile("['`\u00b4\u2018\u2019\u02bb\u02bc]")
_WORD = re.compile(r"[^\W_]+")
# Combining diacritics (the blocks NFKD splits Latin, Cyrillic and Greek letters into).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Letters that NFKD does not split into a base letter and a mark (str.replace: translate is slow).
_PLAIN_LETTERS = (("ə", "e"), ("ø", "o"), ("đ", "d"), ("ł", "l"), ("ħ", "h"), ("æ", "ae"), ("œ", "oe"))

COLUMNS = (
    "cluster_id",
    "article_id",
    "outlet",
    "is_first",
    "first_article_id",
    "first_outlet",
    "lag_seconds",
    "similarity",
)


def words(text: str) -> list[str]:
    """Split text into comparison words: case, accents, quotes and punctuation folded away.

    Args:
        text: Any article text.

    Returns:
        The words in order. ``İstanbul'da``, ``ISTANBUL’DA`` and ``Istanbulda`` all give
        ``["istanbulda"]``; ``Şəki`` and ``Seki`` both give ``["seki"]``.
    """
    bare = _MARKS.sub("", unicodedata.normalize("NFKD", fold_key(text)))
    for letter, plain in _PLAIN_LETTERS:
        bare = bare.replace(letter, plain)
    return _WORD.findall(_APOSTROPHES.sub("", bare))


def shingles(text: str, k: int = SHINGLE_SIZE) -> set[str]:
    """Return the text's word k-shingles after folding (see ``words``).

    Args:
        text: Any article text.
        k: Words per shingle.

    Returns:
        Every run of ``k`` consecutive words, joined by single spaces. A text of fewer
        than ``k`` words gives one shingle of all its words; a text without words gives
        the empty set.
    """
    if k < 1:
        raise ValueError(f"k must be positive, got {k}")
    found = words(text)
    if len(found) <= k:
        return {" ".join(found)} if found else set()
    return {" ".join(found[i : i + k]) for i in range(len(found) - k + 1)}


@cache
def _permutations(num_perm: int) -> np.ndarray:
    return MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations


def signature(text: str, num_perm: int = NUM_PERM) -> bytes:
    """Compute the MinHash signature of a text's shingles, as bytes to store per article.

    Args:
        text: The article body.
        num_perm: Permutations; clustering must use the same number.

    Returns:
        ``num_perm`` little-endian unsigned 32-bit hash values (``4 * num_perm`` bytes),
        the same on every machine and run for the same text. A text without words gives
        the empty signature (every value ``0xFFFFFFFF``), which never joins a cluster.
    """
    minhash = MinHash(num_perm=num_perm, seed=SEED, permutations=_permutations(num_perm), scheme=SCHEME)
    minhash.update_batch(s.encode("utf-8") for s in shingles(text))
    return minhash.hashvalues.astype(_DTYPE).tobytes()


def signature_values(stored: bytes | bytearray | memoryview | np.ndarray, num_perm: int = NUM_PERM) -> np.ndarray:
    """Decode a stored signature into its hash values.

    Args:
        stored: Bytes from ``signature`` (or the hash values themselves).
        num_perm: Permutations the signature must have.

    Returns:
        The ``num_perm`` hash values as ``uint32``.

    Raises:
        ValueError: The signature does not hold ``num_perm`` values.
    """
    if isinstance(stored, np.ndarray):
        values = stored.astype(np.uint32)
    else:
        raw = bytes(stored)
        if len(raw) != num_perm * _DTYPE.itemsize:
            raise ValueError(f"signature of {len(raw)} bytes does not hold num_perm={num_perm} values")
        values = np.frombuffer(raw, dtype=_DTYPE).astype(np.uint32)
    if values.shape != (num_perm,):
        raise ValueError(f"signature of shape {values.shape} does not hold num_perm={num_perm} values")
    return values


@cache
def lsh_bands(threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """Return the bands and rows per band that datasketch picks for a threshold with ``LSH_WEIGHTS``.

    Args:
        threshold: Jaccard threshold.
        num_perm: Permutations.

    Returns:
        Bands and rows: two articles become candidates when all rows of any one band agree.
    """
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
    return lsh.b, lsh.r


def _signature_matrix(articles: pd.DataFrame, num_perm: int) -> np.ndarray:
    """Stack the stored signatures, computing missing ones from ``body``."""
    has_signatures = "signature" in articles.columns
    if not has_signatures and "body" not in articles.columns:
        raise ValueError("articles need a signature or a body column")
    stored = articles["signature"].tolist() if has_signatures else [None] * len(articles)
    bodies = articles["body"].tolist() if "body" in articles.columns else [None] * len(articles)
    rows = []
    for value, body, article_id in zip(stored, bodies, articles["article_id"], strict=True):
        if value is None or (not isinstance(value, bytes | bytearray | memoryview | np.ndarray) and pd.isna(value)):
            if body is None or (isinstance(body, float) and pd.isna(body)):
                raise ValueError(f"article {article_id} has neither a signature nor a body")
            value = signature(str(body), num_perm)
        rows.append(signature_values(value, num_perm))
    return np.stack(rows) if rows else np.empty((0, num_perm), dtype=np.uint32)


def _order_keys(articles: pd.DataFrame, ids: list[str]) -> list[tuple[int, int, int, str]]:
    """Sort keys for "who published first": the earliest time, then the article id.

    An article with ``published_at`` counts at that instant. One known only by its
    ``published_date`` counts at the end of that day (UTC) and after any article with a
    time at the same instant, so on its own day an article with a known time comes first.
    Articles with neither come last, by article id.
    """
    at = pd.to_datetime(articles["published_at"], utc=True)
    day = pd.to_datetime(articles["published_date"])
    end_of_day = day.dt.normalize() + pd.Timedelta(days=1) - pd.Timedelta(nanoseconds=1)
    keys = []
    for instant, end, article_id in zip(at, end_of_day, ids, strict=True):
        if not pd.isna(instant):
            keys.append((0, _nanos(instant), 0, article_id))
        elif not pd.isna(end):
            keys.append((0, _nanos(end.tz_localize("UTC")), 1, article_id))
        else:
            keys.append((1, 0, 0, article_id))
    return keys


def _nanos(instant: pd.Timestamp) -> int:
    return int(instant.value)  # nanoseconds since the epoch, whatever the unit of the column


def _empty_clusters() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cluster_id": pd.Series([], dtype="str"),
            "article_id": pd.Series([], dtype="str"),
            "outlet": pd.Series([], dtype="str"),
            "is_first": pd.Series([], dtype="bool"),
            "first_article_id": pd.Series([], dtype="str"),
            "first_outlet": pd.Series([], dtype="str"),
            "lag_seconds": pd.Series([], dtype="Int64"),
            "similarity": pd.Series([], dtype="float64"),
        }
    )


def cluster_stories(articles: pd.DataFrame, *, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> pd.DataFrame:
    """Group articles that are the same story and say who published it first and when the others followed.

    Args:
        articles: One row per article with ``article_id``, ``outlet``, ``published_at``
            (UTC, may be NaT), ``published_date`` (may be None) and ``signature`` (from
            ``signature``); without a ``signature`` column, or where it is null, the
            signature is computed from ``body``.
        threshold: Estimated Jaccard similarity at or above which two articles are linked.
        num_perm: Permutations of the signatures.

    Returns:
        One row per article in a cluster of two or more, in the ``story_clusters`` layout:
        ``cluster_id`` (hash of the first member's article id), ``article_id``, ``outlet``,
        ``is_first``, ``first_article_id``, ``first_outlet``, ``lag_seconds`` (whole
        seconds after the first member, 0 for the first itself; null when either time is
        unknown) and ``similarity`` (estimated Jaccard to the first member). Clusters are
        connected components of linked pairs, so the output is the same whatever the
        input order: cluster by cluster in order of the first members, members in
        publication order.

    Raises:
        ValueError: The threshold is outside (0, 1], a column is missing, an article id
            repeats, or a signature does not hold ``num_perm`` values.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    missing = [c for c in ("article_id", "outlet", "published_at", "published_date") if c not in articles.columns]
    if missing:
        raise ValueError(f"articles lack columns: {', '.join(missing)}")
    duplicated = articles["article_id"][articles["article_id"].duplicated()]
    if not duplicated.empty:
        raise ValueError(f"article ids repeat: {', '.join(sorted(map(str, set(duplicated))))[:200]}")
    ordered = articles.assign(_id=articles["article_id"].astype(str)).sort_values("_id", kind="stable")
    ordered = ordered.reset_index(drop=True)
    values = _signature_matrix(ordered, num_perm)
    stored = pa.record_batch(
        {
            "article_id": pa.array(ordered["_id"].tolist(), pa.string()),
            "signature": pa.array([row.tobytes() for row in values.astype(_DTYPE)], pa.binary()),
        }
    )
    members = _linked_members([stored], threshold, num_perm)
    meta = ordered[["_id", "outlet", "published_at", "published_date"]].rename(columns={"_id": "article_id"})
    return _story_rows(members.merge(meta, on="article_id", how="left"), num_perm)


def cluster_stored_stories(
    connection: duckdb.DuckDBPyConnection,
    signatures_sql: str | Iterable[pa.RecordBatch],
    articles_sql: str,
    *,
    threshold: float = THRESHOLD,
    num_perm: int = NUM_PERM,
    chunk_rows: int = CHUNK_ROWS,
    folder: str | Path | None = None,
) -> pd.DataFrame:
    """Cluster stored signatures through the LSH index on disk, holding a chunk of them at a time.

    Gives the same clusters as ``cluster_stories`` over the same articles (see
    ``story_index`` for how), with memory that depends on the chunk and the clusters, not
    on how many signatures are stored.

    Args:
        connection: A DuckDB connection the two queries run on.
        signatures_sql: A query giving ``article_id`` and ``signature`` (bytes from
            ``signature``) of each article to cluster, one row per article; or those rows
            as record batches already read (``refresh_story_clusters`` reads them a month
            at a time).
        articles_sql: A query giving ``article_id``, ``outlet``, ``published_at`` and
            ``published_date`` of (at least) those articles, one row per article; it is
            read for the members of clusters only.
        threshold: Estimated Jaccard similarity at or above which two articles are linked.
        num_perm: Permutations of the signatures.
        chunk_rows: Signatures read at a time.
        folder: Where the index's temporary folder goes (the system's when None).

    Returns:
        The clusters, as ``cluster_stories`` returns them.

    Raises:
        ValueError: The threshold is outside (0, 1], or a signature is missing or does
            not hold ``num_perm`` values.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if isinstance(signatures_sql, str):
        query = f"select article_id, signature from ({signatures_sql})"
        batches: Iterable[pa.RecordBatch] = connection.execute(query).to_arrow_reader(chunk_rows)
    else:
        batches = signatures_sql
    members = _linked_members(batches, threshold, num_perm, chunk_rows=chunk_rows, folder=folder)
    connection.register("story_members", pa.table({"article_id": pa.array(members["article_id"], pa.string())}))
    try:
        meta = (
            connection.execute(
                "select a.article_id, a.outlet, a.published_at, a.published_date"
                f" from ({articles_sql}) a semi join story_members m using (article_id)"
            )
            .to_arrow_table()
            .to_pandas()
        )
    finally:
        connection.unregister("story_members")
    return _story_rows(members.merge(meta, on="article_id", how="left"), num_perm)


def _linked_members(
    batches: Iterable[pa.RecordBatch],
    threshold: float,
    num_perm: int,
    *,
    chunk_rows: int = CHUNK_ROWS,
    folder: str | Path | None = None,
) -> pd.DataFrame:
    """Run the on-disk index with the bands, rows and cut of a threshold."""
    bands, rows = lsh_bands(threshold, num_perm)
    cut = int(np.ceil(threshold * num_perm - 1e-9))
    return linked_groups(
        batches, bands=bands, rows=rows, cut=cut, num_perm=num_perm, chunk_rows=chunk_rows, folder=folder
    )


def _story_rows(members: pd.DataFrame, num_perm: int) -> pd.DataFrame:
    """Lay out linked groups as ``story_clusters`` rows: the first member, lags and similarities.

    ``members`` has ``article_id``, ``group``, ``signature``, ``outlet``, ``published_at``
    and ``published_date`` for each member of a group of two or more.
    """
    if members.empty:
        return _empty_clusters()
    ids = members["article_id"].astype(str).tolist()
    keys = _order_keys(members, ids)
    at = pd.to_datetime(members["published_at"], utc=True)
    outlets = [None if pd.isna(o) else str(o) for o in members["outlet"]]
    values = [signature_values(v, num_perm) for v in members["signature"]]
    groups: dict[int, list[int]] = {}
    for p, group in enumerate(members["group"].tolist()):
        groups.setdefault(group, []).append(p)
    rows = []
    for group in sorted((sorted(g, key=keys.__getitem__) for g in groups.values()), key=lambda g: keys[g[0]]):
        first = group[0]
        cluster_id = short_hash("story", ids[first])
        for p in group:
            known = not (pd.isna(at.iloc[p]) or pd.isna(at.iloc[first]))
            lag = (_nanos(at.iloc[p]) - _nanos(at.iloc[first])) // 1_000_000_000 if known else None
            rows.append(
                {
                    "cluster_id": cluster_id,
                    "article_id": ids[p],
                    "outlet": outlets[p],
                    "is_first": p == first,
                    "first_article_id": ids[first],
                    "first_outlet": outlets[first],
                    "lag_seconds": lag,
                    "similarity": float(np.count_nonzero(values[p] == values[first])) / num_perm,
                }
            )
    result = pd.DataFrame(rows, columns=list(COLUMNS))
    return result.astype(_empty_clusters().dtypes.to_dict())
