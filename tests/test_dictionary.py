"""The data dictionary: complete, described, in step with media.db, and committed up to date."""

from pathlib import Path

import duckdb
import pandera.pandas as pa
import pytest

from media_etl.load import prepare_warehouse
from media_etl.report.dictionary import render_markdown
from media_etl.store.database import build_database
from media_etl.store.dictionary import (
    COLUMNS,
    VIEW_CHECK,
    VIEW_COLUMNS,
    describe_check,
    dictionary_rows,
    write_dictionary_table,
)
from schemas import TABLES
from tests.conftest import REPO_ROOT

DOC = REPO_ROOT / "docs" / "data-dictionary.md"
VIEWS_DIR = REPO_ROOT / "warehouse" / "views"


@pytest.fixture(scope="module")
def rows():
    return dictionary_rows()


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory) -> Path:
    """media.db of an empty warehouse, built the way the ETL builds it."""
    warehouse = tmp_path_factory.mktemp("warehouse")
    prepare_warehouse(warehouse)
    return build_database(warehouse, VIEWS_DIR)


def test_every_column_of_every_table_has_one_described_row(rows):
    assert list(rows.columns) == list(COLUMNS)
    for name, spec in TABLES.items():
        model_columns = list(spec.model.to_schema().columns)
        extra = [column for column, *_ in VIEW_COLUMNS.get(name, ())]
        assert rows.loc[rows["table_name"] == name, "column_name"].tolist() == model_columns + extra, name
    assert not rows.duplicated(["table_name", "column_name"]).any()
    blank = rows[rows["description"].str.strip() == ""]
    assert blank.empty, f"columns without a description: {blank[['table_name', 'column_name']].values.tolist()}"


def test_rows_carry_nullability_and_checks_from_the_models(rows):
    def row(table, column):
        return rows[(rows["table_name"] == table) & (rows["column_name"] == column)].iloc[0]

    assert row("articles", "article_id")["checks"] == "unique; matches ^[0-9a-f]{16}$"
    assert row("articles", "article_id")["nullable"] is False
    assert row("articles", "url")["nullable"] is True
    assert row("articles", "url")["checks"] is None
    assert row("articles", "headline")["checks"] == "length 1..500"
    assert row("articles", "published_date")["checks"] == "not_before_1900"
    assert row("articles", "dateline_country")["checks"].startswith("one of 249 values: AD ... ZW")
    assert row("story_clusters", "similarity")["checks"] == ">= 0; <= 1"
    assert row("article_versions", "is_superseded")["checks"] == VIEW_CHECK
    assert row("article_versions", "article_id")["checks"] == row("articles", "article_id")["checks"]
    assert rows.loc[rows["table_name"] == "articles", "column_name"].isin(["is_superseded", "superseded_by"]).sum() == 0


@pytest.mark.parametrize(
    ("check", "text"),
    [
        (pa.Check.ge(1), ">= 1"),
        (pa.Check.lt(5), "< 5"),
        (pa.Check.in_range(0, 1), "between 0 and 1"),
        (pa.Check.str_length(min_value=1), "length >= 1"),
        (pa.Check.str_length(max_value=9), "length 0..9"),
        (pa.Check.isin(["a", "b"]), "one of: a, b"),
        (pa.Check.isin([f"v{i}" for i in range(20)]), "one of 20 values: v0 ... v19"),
        (pa.Check(lambda s: s > 0, name="positive"), "positive"),
    ],
)
def test_describe_check(check, text):
    assert describe_check(check) == text


def test_types_and_columns_match_the_views_in_media_db(rows, empty_database):
    with duckdb.connect(str(empty_database), read_only=True) as connection:
        for name in [*TABLES, "article_versions"]:
            described = [(column, kind) for column, kind, *_ in connection.execute(f"describe {name}").fetchall()]
            expected = rows.loc[rows["table_name"] == name, ["column_name", "type"]]
            assert described == [tuple(r) for r in expected.itertuples(index=False)], name


def test_write_dictionary_table_explains_every_column_and_can_be_rewritten(rows, empty_database):
    with duckdb.connect(str(empty_database)) as connection:
        write_dictionary_table(connection)
        write_dictionary_table(connection)  # create or replace: building again is fine
    with duckdb.connect(str(empty_database), read_only=True) as connection:
        assert connection.execute("select count(*) from dictionary").fetchone() == (len(rows),)
        assert [d[0] for d in connection.execute("select * from dictionary limit 0").description] == list(COLUMNS)
        undocumented = connection.execute(
            """
            select c.table_name, c.column_name
            from information_schema.columns as c
            left join dictionary as d using (table_name, column_name)
            where c.table_name in (select unnest($tables)) and d.description is null
            """,
            {"tables": list(TABLES)},
        ).fetchall()
        assert undocumented == []
        assert connection.execute(
            "select type, nullable, description from dictionary where table_name = 'quotes' and column_name = 'speaker'"
        ).fetchone() == ("VARCHAR", True, TABLES["quotes"].model.to_schema().columns["speaker"].description)


def test_committed_data_dictionary_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "docs/data-dictionary.md is stale: regenerate it with "
        "`.venv/bin/python -m media_etl.report.dictionary > docs/data-dictionary.md`"
    )


def test_markdown_has_a_section_and_a_row_per_column(rows):
    markdown = render_markdown()
    for name in TABLES:
        assert f"\n## {name}\n" in markdown
    for row in rows.itertuples(index=False):
        assert f"| `{row.column_name}` | {row.type} |" in markdown
