"""`media-etl export`: tables, views and queries to CSV, JSON Lines and Parquet, and the pooled RSS / JSON Feed,
driven through the command line on a warehouse the ETL built from the seeds and two reprints of a seed story."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import duckdb
import feedparser
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from media_etl.cli import app
from tests.support.export_warehouse import (
    AZERTAC_REPRINT_URL,
    FORUM_HEADLINE,
    KAZINFORM_REPRINT_URL,
    export_warehouse,
)

INJECTION = "x'; drop view stg_articles; --"
runner = CliRunner()


@pytest.fixture(scope="module")
def warehouse(prefect_harness, tmp_path_factory) -> Path:
    return export_warehouse(tmp_path_factory)


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "250"})


def scalar(warehouse: Path, sql: str, params: object = None) -> object:
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as connection:
        row = connection.execute(sql, params).fetchone()
    assert row is not None
    return row[0]


def export(warehouse: Path, *args: str):
    result = invoke("export", "-w", str(warehouse), *args)
    assert result.exit_code == 0, result.output
    return result


# --- rows ----------------------------------------------------------------------------------------


def test_csv_of_a_view_keeps_iso_dates_and_utc_offsets(warehouse, tmp_path):
    target = tmp_path / "articles.csv"
    result = export(warehouse, "stg_articles", "--format", "csv", "--output", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == scalar(warehouse, "select count(*) from stg_articles") == 17
    assert f"wrote 17 row(s) of 'stg_articles' (csv) to {target}" in result.stderr
    forum = next(r for r in rows if r["headline"] == FORUM_HEADLINE)
    assert forum["published_date"] == "2025-11-27"
    assert forum["published_at"] == "2025-11-27T12:40:00+00:00"
    assert datetime.fromisoformat(forum["published_at"]) == datetime(2025, 11, 27, 12, 40, tzinfo=UTC)
    assert forum["url"] == ""  # NULL is an empty field


def test_jsonl_keeps_lists_as_arrays_and_nulls_as_null(warehouse, tmp_path):
    target = tmp_path / "entities.jsonl"
    export(warehouse, "entities", "-f", "jsonl", "-o", str(target))
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == scalar(warehouse, "select count(*) from entities")
    altun = next(r for r in records if r["canonical_name"] == "Fahrettin Altun")
    assert isinstance(altun["aliases"], list) and "Altun" in altun["aliases"]
    assert altun["latitude"] is None


def test_jsonl_dates_and_instants(warehouse, tmp_path):
    target = tmp_path / "articles.jsonl"
    export(warehouse, "stg_articles", "-f", "jsonl", "-o", str(target))
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    dated = [r for r in records if r["published_at"] is not None]
    assert dated and all(datetime.fromisoformat(r["published_at"]).utcoffset().total_seconds() == 0 for r in dated)
    assert all(date.fromisoformat(r["published_date"]) for r in records if r["published_date"])
    assert all(r["loaded_at"].endswith("+00:00") for r in records)


def test_parquet_keeps_duckdb_types(warehouse, tmp_path):
    target = tmp_path / "articles.parquet"
    export(warehouse, "stg_articles", "-f", "parquet", "-o", str(target))
    table = pq.read_table(target)
    assert table.num_rows == 17
    assert table.schema.field("published_date").type == pa.date32()
    published_at = table.schema.field("published_at").type
    assert pa.types.is_timestamp(published_at) and published_at.tz in {"UTC", "+00:00", "Etc/UTC"}
    with duckdb.connect() as connection:
        kinds = dict(connection.execute(f"select column_name, column_type from (describe '{target}')").fetchall())
    assert kinds["word_count"] == "BIGINT" and kinds["has_photo"] == "BOOLEAN"


def test_csv_to_stdout(warehouse):
    result = export(warehouse, "-q", "select outlet_label, count(*) as n from stg_articles group by 1 order by 1")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["outlet_label", "n"]
    assert ["Trend", "5"] in rows and len(rows) == 1 + 7
    assert "wrote 7 row(s) of the query (csv) to standard output" in result.stderr


ARTICLE_COUNTS = [
    # (options, the same selection in SQL on stg_articles)
    (["--outlet", "tReNd"], "outlet_label = 'Trend'"),
    (["--outlet", "anadolu-agency"], "outlet_label = 'Anadolu Agency'"),  # the registry slug
    (["--outlet", "azertag.az"], "outlet_label = 'AZERTAC'"),  # a registry domain
    (["--agency", "AA"], "agency = 'Anadolu Agency'"),  # a registry credit
    (["--language", "EN"], "language = 'en'"),
    (["--country", "az"], "dateline_country = 'AZ'"),
    (["--since", "2025-11-27"], "published_date >= date '2025-11-27'"),
    (["--until", "2024-12-31"], "published_date <= date '2024-12-31'"),
    (
        ["--since", "2025-01-01", "--until", "2025-11-27", "--language", "en", "--outlet", "Trend"],
        "published_date between date '2025-01-01' and date '2025-11-27' and language = 'en' and outlet_label = 'Trend'",
    ),
]


@pytest.mark.parametrize(("options", "where"), ARTICLE_COUNTS, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_filters_keep_the_articles_they_name(warehouse, tmp_path, options, where):
    expected = scalar(warehouse, f"select count(*) from stg_articles where {where}")
    assert 0 < expected < 17
    target = tmp_path / "articles.parquet"
    result = export(warehouse, "stg_articles", "-f", "parquet", "-o", str(target), *options)
    assert pq.read_table(target).num_rows == expected
    assert f"wrote {expected} row(s)" in result.stderr


def test_filters_apply_to_article_level_tables(warehouse, tmp_path):
    expected = scalar(
        warehouse,
        "select count(*) from stg_quotes q join stg_articles a using (article_id) where a.outlet_label = 'Trend'",
    )
    assert 0 < expected < scalar(warehouse, "select count(*) from stg_quotes")
    target = tmp_path / "quotes.jsonl"
    export(warehouse, "stg_quotes", "--outlet", "trend", "-f", "jsonl", "-o", str(target))
    assert len(target.read_text(encoding="utf-8").splitlines()) == expected


def test_filters_apply_to_a_query_with_article_id(warehouse):
    result = export(warehouse, "-q", "select article_id, headline from stg_articles", "--country", "KZ")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == scalar(warehouse, "select count(*) from stg_articles where dateline_country = 'KZ'") > 0


def test_limit_caps_the_rows(warehouse):
    result = export(warehouse, "stg_articles", "-f", "jsonl", "--limit", "3")
    assert len(result.stdout.splitlines()) == 3


def test_an_outlet_that_matches_nothing_says_so_and_writes_an_empty_file(warehouse, tmp_path):
    target = tmp_path / "none.csv"
    result = export(warehouse, "stg_articles", "--outlet", "Trnd", "-o", str(target))
    assert "no outlet matches 'Trnd'; close names: Trend" in result.stderr
    assert len(target.read_text(encoding="utf-8").splitlines()) == 1  # the header only


def test_an_injection_is_only_a_value(warehouse, tmp_path):
    target = tmp_path / "none.csv"
    result = export(warehouse, "stg_articles", "--outlet", INJECTION, "--agency", INJECTION, "-o", str(target))
    assert "no outlet matches" in result.stderr and "no agency matches" in result.stderr
    assert len(target.read_text(encoding="utf-8").splitlines()) == 1
    assert scalar(warehouse, "select count(*) from stg_articles") == 17


def test_the_file_is_replaced_atomically(warehouse, tmp_path):
    target = tmp_path / "runs.csv"
    target.write_text("old content\n", encoding="utf-8")
    export(warehouse, "runs", "-o", str(target))
    assert target.read_text(encoding="utf-8").startswith("run_id,")
    assert [p.name for p in tmp_path.iterdir()] == ["runs.csv"]  # no temporary file left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no_such_view"], "'no_such_view' is not a table or view of media.db; choose one of: "),
        (["stg_articles", "--since", "2025-02-30"], "since must be a date as YYYY-MM-DD"),
        (["stg_articles", "--until", "yesterday"], "until must be a date as YYYY-MM-DD"),
        (["stg_articles", "--since", "2025-02-01", "--until", "2025-01-01"], "is before since"),
        (["stg_articles", "--format", "xlsx"], "'xlsx' is not one of csv, jsonl, parquet, rss, jsonfeed"),
        (["stg_articles", "--format", "parquet"], "parquet is binary: give --output FILE"),
        (["stg_articles", "--country", "AZE"], "a 2-letter ISO 3166-1 code"),
        (["stg_articles", "--language", "english"], "ISO 639 code"),
        (["rpt_reprints", "--outlet", "Trend"], "'rpt_reprints' has no article_id column"),
        ([], "give a table or view NAME, or --query"),
        (["stg_articles", "-q", "select 1"], "give a table or view NAME, or --query"),
        (["-q", "copy (select 1) to 'x.csv'"], "only read statements"),
        (["-q", "select * from nowhere"], "the query does not run"),
        (["stg_articles", "-o", "/no/such/folder/out.csv"], "does not exist"),
        (["stg_articles", "-f", "rss"], "a feed is made of the stories"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(warehouse, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["export", "-w", str(warehouse), *args], env={"COLUMNS": "1000"})
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.stderr.replace("│", " ").split())
    assert list(tmp_path.iterdir()) == []


def test_the_name_is_checked_against_the_catalog(warehouse):
    result = runner.invoke(app, ["export", "-w", str(warehouse), "articles; drop view runs"], env={"COLUMNS": "1000"})
    assert result.exit_code == 2
    for name in ("stg_articles", "story_clusters", "rpt_reprints"):
        assert name in result.stderr


# --- the pooled feed -----------------------------------------------------------------------------


def story_count(warehouse: Path, where: str = "true") -> int:
    return int(
        scalar(  # type: ignore[arg-type]
            warehouse,
            "select count(distinct coalesce(c.cluster_id, a.article_id))"
            f" from stg_articles a left join story_clusters c using (article_id) where {where}",
        )
    )


def test_rss_has_one_valid_item_per_story(warehouse, tmp_path):
    target = tmp_path / "feed.xml"
    result = export(warehouse, "-f", "rss", "-o", str(target), "--feed-link", "https://news.example/")
    feed = feedparser.parse(target.read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert len(feed.entries) == story_count(warehouse) == 15  # 17 articles, three of them one story
    assert f"wrote 15 stories (rss) to {target}" in result.stderr
    assert feed.feed.link == "https://news.example/"
    dates = [parsedate_to_datetime(e.published) for e in feed.entries if "published" in e]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert [e for e in feed.entries if "published" not in e] == feed.entries[len(dates) :]  # undated last
    assert len({e.id for e in feed.entries}) == 15


def test_rss_item_of_a_reprinted_story_links_every_copy(warehouse, tmp_path):
    target = tmp_path / "feed.xml"
    export(warehouse, "-f", "rss", "-o", str(target))
    feed = feedparser.parse(target.read_bytes())
    forum = [e for e in feed.entries if e.title == FORUM_HEADLINE]
    assert len(forum) == 1  # the reprints are no items of their own
    entry = forum[0]
    assert parsedate_to_datetime(entry.published) == datetime(2025, 11, 27, 12, 40, tzinfo=UTC)
    alternates = {link.href: link for link in entry.links if link.rel == "alternate" and "hreflang" in link}
    assert set(alternates) == {AZERTAC_REPRINT_URL, KAZINFORM_REPRINT_URL}
    assert alternates[AZERTAC_REPRINT_URL].hreflang == "en"
    terms = {(tag.scheme, tag.term) for tag in entry.tags}
    assert {("outlet", "Trend"), ("outlet", "AZERTAC"), ("outlet", "Kazinform"), ("language", "en")} <= terms
    assert "AZERTAC (en)" in entry.summary and "2.0 h after the first" in entry.summary
    assert entry.author == "Trend"


def test_json_feed_has_the_extension_with_copies(warehouse):
    result = export(warehouse, "-f", "jsonfeed")
    document = json.loads(result.stdout)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    items = document["items"]
    assert len(items) == 15 and all(item["id"] and item["content_html"] for item in items)
    forum = next(item for item in items if item["title"] == FORUM_HEADLINE)
    assert datetime.fromisoformat(forum["date_published"]) == datetime(2025, 11, 27, 12, 40, tzinfo=UTC)
    assert forum["language"] == "en" and forum["authors"] == [{"name": "Trend"}]
    extension = forum["_media_etl"]
    assert (extension["outlet"], extension["agency"], extension["language"]) == ("Trend", "Trend", "en")
    copies = {copy["outlet"]: copy for copy in extension["copies"]}
    assert copies["AZERTAC"]["url"] == AZERTAC_REPRINT_URL and copies["AZERTAC"]["lag_seconds"] == 7200
    assert copies["Kazinform"]["date_published"] == "2025-11-28" and copies["Kazinform"]["lag_seconds"] is None
    published = [datetime.fromisoformat(i["date_published"]) for i in items if "date_published" in i]
    assert published == sorted(published, reverse=True)


def test_feed_filters_keep_the_stories_an_outlet_carried(warehouse, tmp_path):
    target = tmp_path / "azertac.xml"
    export(warehouse, "-f", "rss", "--outlet", "azertac", "-o", str(target))
    feed = feedparser.parse(target.read_bytes())
    assert feed.bozo == 0
    assert len(feed.entries) == story_count(warehouse, "a.outlet_label = 'AZERTAC'") == 3
    # Trend ran the forum story first: its item is Trend's, though AZERTAC's copy put it in the feed.
    assert next(e for e in feed.entries if e.title == FORUM_HEADLINE).author == "Trend"


@pytest.mark.parametrize(
    ("options", "where"),
    [
        (["--language", "az"], "a.language = 'az'"),
        (["--since", "2025-11-01", "--until", "2025-11-30"], "a.published_date between '2025-11-01' and '2025-11-30'"),
        (["--country", "TR"], "a.dateline_country = 'TR'"),
    ],
)
def test_feed_filters_count_stories(warehouse, options, where):
    feed = feedparser.parse(export(warehouse, "-f", "rss", *options).stdout_bytes)
    assert feed.bozo == 0
    assert len(feed.entries) == story_count(warehouse, where) > 0


def test_feed_limit_keeps_the_newest_stories(warehouse):
    everything = feedparser.parse(export(warehouse, "-f", "rss").stdout_bytes)
    newest = feedparser.parse(export(warehouse, "-f", "rss", "--limit", "3").stdout_bytes)
    assert [e.id for e in newest.entries] == [e.id for e in everything.entries[:3]]


def test_a_failed_export_leaves_the_old_file(warehouse, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old content\n", encoding="utf-8")
    # The types are known before the copy starts; the cast fails on the first headline while it runs.
    result = invoke(
        "export", "-w", str(warehouse), "-q", "select cast(headline as integer) from stg_articles", "-o", str(target)
    )
    assert result.exit_code == 2, result.output
    assert "the rows cannot be read" in result.stderr
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_help_names_the_formats_and_filters():
    result = invoke("export", "--help")
    assert result.exit_code == 0
    for option in ("--format", "--output", "--query", "--since", "--until", "--outlet", "--agency", "--language"):
        assert option in result.stdout
    assert "jsonfeed" in result.stdout
    result = invoke("sql", "--help")
    assert result.exit_code == 0 and "markdown" in result.stdout
