"""Which tables are partitioned by publication month, and how a row's month is found.

The big tables live in hive-style folders, ``parquet/<table>/published_month=2025-11/``,
so that a query bounded by ``published_month`` opens only the files of those months. An
article's month is that of its ``published_date`` (the date the outlet printed), or
``unknown`` when it has none; the rows of the per-article tables take their article's
month, so an article and all its rows share a partition.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as arrow
import pyarrow.compute as pc

PARTITION_COLUMN = "published_month"
UNKNOWN_MONTH = "unknown"
PARTITIONED_TABLES = frozenset(
    {
        "articles",
        "paragraphs",
        "mentions",
        "quotes",
        "themes",
        "dates_mentioned",
        "article_signatures",
        "article_sources",
    }
)
"""Tables stored in ``published_month=`` folders; the rest (ledger, fetch log, quarantine, runs,
story clusters) are small and stay in one folder each."""

ARTICLE_TABLES = frozenset(PARTITIONED_TABLES - {"articles", "article_sources"})
"""Tables a batch writes whole per article: all rows of an article go into one part file, so
"the table holds rows of this article" means "it holds all of them", and they are
de-duplicated by ``article_id`` alone."""


def is_partitioned(table: str) -> bool:
    """True when the table is stored in ``published_month=`` folders."""
    return table in PARTITIONED_TABLES


def months_of_dates(dates: arrow.Array | arrow.ChunkedArray) -> np.ndarray:
    """The partition value for each publication date: ``YYYY-MM``, or ``unknown`` for a null.

    Args:
        dates: ``published_date`` values (date32).

    Returns:
        An object array of month strings.
    """
    months = pc.fill_null(pc.strftime(dates, format="%Y-%m"), UNKNOWN_MONTH)
    return np.asarray(months.to_pylist(), dtype=object)


def article_months(articles: pd.DataFrame) -> dict[str, str]:
    """Map each article of a batch to its partition value.

    Args:
        articles: ``articles`` rows (``article_id`` and ``published_date`` at least).

    Returns:
        ``article_id`` -> ``YYYY-MM`` or ``unknown``.
    """
    if articles.empty:
        return {}
    dates = arrow.array(articles["published_date"].tolist(), type=arrow.date32(), from_pandas=True)
    return dict(zip(articles["article_id"].astype(str), months_of_dates(dates).tolist(), strict=True))


def months_for_rows(article_ids: arrow.Array | arrow.ChunkedArray, months: Mapping[str, str]) -> np.ndarray:
    """Look up the partition value of each row of a per-article table by its ``article_id``.

    Args:
        article_ids: The rows' ``article_id`` values.
        months: ``article_id`` -> month, for every article the rows belong to.

    Returns:
        An object array of month strings, one per row.

    Raises:
        ValueError: A row belongs to an article the mapping does not know.
    """
    ids = article_ids.to_pylist()
    missing = sorted({i for i in ids if i not in months})
    if missing:
        raise ValueError(f"rows of {len(missing)} article(s) not in this batch's articles, e.g. {missing[0]}")
    return np.asarray([months[i] for i in ids], dtype=object)


def month_code(month: str) -> int:
    """Pack a partition value into 16 bits: 0 for ``unknown``, else ``year * 12 + month``."""
    if month == UNKNOWN_MONTH:
        return 0
    year, number = month.split("-")
    return int(year) * 12 + int(number)


def month_name(code: int) -> str:
    """Unpack ``month_code``."""
    if code == 0:
        return UNKNOWN_MONTH
    year, number = divmod(int(code) - 1, 12)
    return f"{year:04d}-{number + 1:02d}"
