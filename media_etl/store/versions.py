"""Which views show current article versions, and where every version stays queryable.

A source (a file, or an item of a feed or export) that changes is loaded again as a new
article version; the old version's rows stay in the Parquet tables. So that nothing is counted
twice, the names an analyst types show current versions only: ``articles`` and each table with
one row set per article (``quotes``, ``mentions``, ``article_sources``, ...). The history keeps one naming scheme:
``article_versions`` for the articles (with ``is_superseded`` and ``superseded_by``), and
``<table>_all_versions`` for the others.
"""

from __future__ import annotations

VERSIONED_TABLES = (
    "articles",
    "article_sources",
    "paragraphs",
    "mentions",
    "quotes",
    "themes",
    "dates_mentioned",
    "article_signatures",
)
"""Tables with rows per article version: their plain name shows the current versions only."""

ARTICLE_VERSIONS = "article_versions"


def all_versions_view(table: str) -> str:
    """The view that shows every version of a versioned table: ``article_versions`` or ``<table>_all_versions``.

    Args:
        table: A name from ``VERSIONED_TABLES``.

    Returns:
        The view's name.

    Raises:
        ValueError: The table is not versioned.
    """
    if table not in VERSIONED_TABLES:
        raise ValueError(f"{table} has no versions: it is not one of {', '.join(VERSIONED_TABLES)}")
    return ARTICLE_VERSIONS if table == "articles" else f"{table}_all_versions"
