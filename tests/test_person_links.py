"""Across articles, a surname-only person counts for the one full name it stands for (stg_person_links)."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import REPO_ROOT

VIEWS = REPO_ROOT / "warehouse" / "views"


def view(name: str) -> str:
    return (VIEWS / f"{name}.sql").read_text(encoding="utf-8").strip().rstrip(";")


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """Just enough of the warehouse: mentions, quotes and current articles, then the staging views."""
    connection = duckdb.connect()
    connection.execute(
        "create table mentions (article_id varchar, entity_id varchar, entity_type varchar,"
        " canonical_name varchar, surface varchar, role varchar, country varchar,"
        " latitude double, longitude double)"
    )
    connection.execute(
        "create table quotes (article_id varchar, text varchar, speaker varchar, speaker_entity_id varchar)"
    )
    connection.execute("create table stg_articles (article_id varchar, outlet_label varchar)")
    connection.execute("insert into stg_articles values ('a1', 'Trend'), ('a2', 'AA'), ('a3', 'AA')")
    for name in ("stg_person_links", "stg_mentions", "stg_quotes", "entities"):
        connection.execute(f"create view {name} as {view(name)}")
    return connection


def add_mentions(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, str]]) -> None:
    for article_id, entity_id, name in rows:
        con.execute(
            "insert into mentions values (?, ?, 'person', ?, ?, null, null, null, null)",
            [article_id, entity_id, name, name],
        )


def test_a_surname_links_to_the_one_full_name(con):
    add_mentions(con, [("a1", "p-full", "Donald Trump"), ("a2", "p-short", "Trump"), ("a3", "p-short", "Trump")])
    con.execute("insert into quotes values ('a2', 'We will win.', 'Trump', 'p-short')")
    assert con.execute("select entity_id, canonical_name, mentions, articles from entities").fetchall() == [
        ("p-full", "Donald Trump", 3, 3)
    ]
    assert con.execute("select distinct written_entity_id from stg_mentions order by 1").fetchall() == [
        ("p-full",),
        ("p-short",),
    ]
    assert con.execute("select speaker, speaker_entity_id from stg_quotes").fetchall() == [("Donald Trump", "p-full")]


def test_an_ambiguous_surname_stays_its_own_person(con):
    add_mentions(
        con,
        [("a1", "p-donald", "Donald Trump"), ("a1", "p-melania", "Melania Trump"), ("a2", "p-short", "Trump")],
    )
    rows = con.execute("select entity_id, mentions from entities order by entity_id").fetchall()
    assert rows == [("p-donald", 1), ("p-melania", 1), ("p-short", 1)]


def test_superseded_versions_do_not_link(con):
    # a9 is not a current article version: its full name must not claim the surname.
    add_mentions(con, [("a9", "p-full", "Donald Trump"), ("a2", "p-short", "Trump")])
    assert con.execute("select * from stg_person_links").fetchall() == []
