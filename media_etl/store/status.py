"""The ``article_status`` table: which article versions a later version replaced, computed once per run.

A source (file, or item of a feed or export) that changes is loaded again as a new article
version. Which versions are current follows from ``article_sources`` alone: the versions of
one source, in the order they were first seen, each replace the one before. Computing that
takes a window over every link, too slow to run on every query of a large warehouse; so a
run computes it once, after its last write to ``article_sources``, into the derived table
``article_status`` (one row per version that has a link), and the views look it up:
``article_versions`` joins it, ``articles`` and the current views keep the versions it does
not mark superseded.

Between a run's first write and its status refresh (or after a run killed in between), a
version the run loaded has no status row and counts as current, as it is; the version it
replaced is still marked current until the refresh. The refresh recomputes every version,
so the next run repairs what a killed one left, whatever it loads itself.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from media_etl.store.warehouse import Warehouse
from schemas import TABLES

ARTICLE_STATUS = "article_status"
"""The derived table that says, per article version, whether a later version replaced it."""

CURRENT_PART = "part-current.parquet"

ARTICLE_STATUS_SQL = """
with links as (
    select source_uri, item_key, article_id, min(seen_at) as first_seen
    from {sources}
    group by source_uri, item_key, article_id
),

ordered as (
    select
        article_id,
        lead(article_id) over (partition by source_uri, item_key order by first_seen, article_id) as next_version
    from links
),

final as (
    select
        article_id,
        bool_and(next_version is not null) as is_superseded,
        case when bool_and(next_version is not null) then min(next_version) end as superseded_by
    from ordered
    group by article_id
)

select * from final
order by article_id
"""
"""The ``article_status`` rows, over every stored ``article_sources`` row (``{sources}``).

The versions of one source follow each other in the order they were first seen (ties by
``article_id``); each is superseded by the next. A version read from several sources is
superseded only when each of them has a later one, and names the earliest (by id) of the
versions that followed it.
"""


def compute_article_status(
    connection: duckdb.DuckDBPyConnection, sources: str = "article_sources_all_versions"
) -> pd.DataFrame:
    """Compute every article version's status from every stored ``article_sources`` row.

    Args:
        connection: A DuckDB connection.
        sources: What to read the links from: a view of every version's ``article_sources``
            rows (the default, on a connection with the views of ``create_views``) or a
            ``read_parquet(...)`` call over its parts.

    Returns:
        The ``article_status`` rows, validated, ordered by ``article_id``.
    """
    spec = TABLES[ARTICLE_STATUS]
    computed = connection.execute(ARTICLE_STATUS_SQL.replace("{sources}", sources)).df()
    return spec.model.validate(computed[spec.columns].reset_index(drop=True))


def store_article_status(store: Warehouse, status: pd.DataFrame) -> bool:
    """Replace ``article_status`` with new rows, in one atomic rename, unless it holds them already.

    Args:
        store: The warehouse.
        status: The rows of ``compute_article_status``.

    Returns:
        Whether the table was written.
    """
    spec = TABLES[ARTICLE_STATUS]
    if not status_never_computed(store):
        stored = store.read_columns(spec, spec.columns).sort_values("article_id", ignore_index=True)
        if _same_rows(stored, status.sort_values("article_id", ignore_index=True)):
            return False
    store.replace(spec, status)
    return True


def status_never_computed(store: Warehouse) -> bool:
    """True when ``article_status`` holds only its empty part: nothing has computed it yet.

    A warehouse loaded before the table existed is in this state until its next run
    (``build_database`` computes it then, so that its views do not take every version for current).

    Args:
        store: The warehouse.

    Returns:
        Whether the table was never written.
    """
    partition = store.partition(ARTICLE_STATUS)
    return not any(path.rsplit("/", 1)[-1] == CURRENT_PART for path in store.parts(partition))


def _same_rows(stored: pd.DataFrame, computed: pd.DataFrame) -> bool:
    if len(stored) != len(computed):
        return False
    return all(
        stored[column].astype(object).where(stored[column].notna(), None).tolist()
        == computed[column].astype(object).where(computed[column].notna(), None).tolist()
        for column in computed.columns
    )
