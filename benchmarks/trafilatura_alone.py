"""A warehouse of what trafilatura alone extracts from a folder of HTML pages: the reference for the HTML rows.

    .venv/bin/python benchmarks/trafilatura_alone.py PAGES_DIR DB_PATH

Each page goes through ``trafilatura.bare_extraction`` with its default settings and its
metadata, as a user of trafilatura would call it, and becomes one row of an ``articles`` table
(``source_uri``, ``article_id``, ``headline``, ``byline``, ``published_date``, ``body``) in a
fresh DuckDB file. ``eval_dev.py`` scores that file with the same reference scorer as
media-etl's own warehouse, so that both figures come from one run on the same pages.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import trafilatura
from trafilatura.settings import Document

COLUMNS = ("source_uri", "article_id", "headline", "byline", "published_date", "body")


def extract(path: Path) -> tuple[str | None, ...]:
    """One page's row: what trafilatura finds with its defaults (empty fields are None)."""
    document = trafilatura.bare_extraction(path.read_bytes(), with_metadata=True)
    if not isinstance(document, Document):
        return (str(path), path.name, None, None, None, None)
    return (str(path), path.name, document.title, document.author, document.date, document.text)


def build(pages: Path, database: Path, *, workers: int = 2) -> int:
    """Write the ``articles`` table of every page under ``pages`` into a fresh ``database``.

    Returns:
        The number of pages read.
    """
    files = sorted(p for p in pages.iterdir() if p.is_file())
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rows = list(pool.map(extract, files, chunksize=8))
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            "create table articles (source_uri varchar, article_id varchar, headline varchar,"
            " byline varchar, published_date date, body varchar)"
        )
        connection.executemany(
            f"insert into articles values ({', '.join('?' for _ in COLUMNS)})",
            [(*row[:4], _day(row[4]), row[5]) for row in rows],
        )
    return len(rows)


def _day(value: str | None) -> str | None:
    """trafilatura prints its date as YYYY-MM-DD (its default output format)."""
    return value[:10] if value else None


def main(argv: Sequence[str] | None = None) -> int:
    """Build the reference warehouse from the command line."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    count = build(Path(args[0]), Path(args[1]))
    print(f"trafilatura alone: {count} pages -> {args[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
