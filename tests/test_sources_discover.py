"""Finding an outlet's feeds and sitemaps from its home page, and reading them, against a local HTTP server."""

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from media_etl.cli import app
from media_etl.ingest.discover import discover_site, registry_snippet
from media_etl.ingest.fetch import make_client
from media_etl.sources import parse_registry
from tests.support.local_site import OFFSITE_FEED, SECTION_TITLE, SITE_NAME, LocalSite, serve_site

NOW = datetime(2026, 6, 8, 12, 0, tzinfo=UTC)
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "250"})


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture
def site():
    with serve_site() as served:
        yield served


def test_discover_finds_the_feed_the_sitemap_and_the_site_name(site: LocalSite, tmp_path):
    with make_client() as client:
        found = discover_site(client, site.home, raw_root=tmp_path, now=NOW)
    assert found.feeds == [f"{site.base}/rss.xml"]
    assert found.offsite_feeds == [OFFSITE_FEED]
    assert found.sitemaps == [f"{site.base}/sitemap.xml"]
    assert found.pages == site.articles
    assert found.site_name == SITE_NAME and found.language == "en"
    # every request went through the fetch layer: logged, and its body kept under the raw folder
    assert [row["url"] for row in found.collected.fetches] == [
        site.home,
        f"{site.base}/robots.txt",
        f"{site.base}/sitemap.xml",
    ]
    assert all(Path(str(row["raw_path"])).is_file() for row in found.collected.fetches)
    assert found.collected.rejections == []


def test_discover_for_a_run_reads_no_sitemap_when_the_page_names_a_feed(site: LocalSite, tmp_path):
    with make_client() as client:
        found = discover_site(client, site.home, raw_root=tmp_path, now=NOW, sitemaps=False)
    assert found.feeds == [f"{site.base}/rss.xml"] and found.sitemaps == []
    assert site.requested == ["/"]


def test_discover_falls_back_to_the_sitemap_and_skips_a_missing_robots_txt(site: LocalSite, tmp_path):
    del site.content["/robots.txt"]
    with make_client() as client:
        found = discover_site(client, f"{site.base}/no-feed.html", raw_root=tmp_path, now=NOW, sitemaps=False)
    assert found.feeds == []
    assert found.sitemaps == [f"{site.base}/sitemap.xml"]  # the first usual address that answered
    assert found.pages == site.articles
    assert site.requested == ["/no-feed.html", "/robots.txt", "/sitemap.xml"]
    assert found.collected.rejections == []  # a missing robots.txt is no error, only a fetch-log row
    assert [row["status"] for row in found.collected.fetches] == [200, 404, 200]


def test_a_home_page_that_cannot_be_fetched_is_a_rejection(site: LocalSite, tmp_path):
    with make_client() as client:
        found = discover_site(client, f"{site.base}/gone.html", raw_root=tmp_path, now=NOW, sitemaps=False)
    [rejection] = found.collected.rejections
    assert (rejection.source_uri, rejection.reason_code) == (f"{site.base}/gone.html", "fetch_http_404")


def test_sources_discover_prints_feeds_sitemaps_and_a_registry_entry(site: LocalSite):
    result = invoke("sources", "discover", site.home)
    assert result.exit_code == 0, result.output
    output = result.stdout
    assert f"{SITE_NAME} (127.0.0.1): language en" in output
    assert f"{site.base}/rss.xml" in output and "│     2 │" in output  # the feed, read: two items
    assert f"feed on another site, not fetched: {OFFSITE_FEED}" in output
    assert f"{site.base}/sitemap.xml" in output and "Pages the sitemaps list: 2" in output
    assert SECTION_TITLE not in output
    snippet = output.split("then run media-etl sources check):\n", 1)[1]
    [entry] = yaml.safe_load(snippet)
    assert entry["name"] == SITE_NAME and entry["domains"] == ["127.0.0.1"]
    assert entry["feeds"] == [f"{site.base}/rss.xml"] and entry["language"] == "en"
    assert entry["country"] == "" and entry["timezone"] == ""  # left to fill in: the page states neither
    assert "feeds.offsite.invalid" not in " ".join(site.requested)


def test_sources_discover_of_a_bad_url_is_a_usage_error():
    result = invoke("sources", "discover", "ftp://example.org/")
    assert result.exit_code == 2
    assert "not an http(s) URL" in result.output


def test_sources_discover_of_an_unreachable_page_exits_1(site: LocalSite):
    result = invoke("sources", "discover", f"{site.base}/gone.html")
    assert result.exit_code == 1
    assert "cannot fetch" in result.stderr and "404" in result.stderr


def test_registry_snippet_fills_country_and_zone_when_the_site_states_them():
    from media_etl.ingest.discover import SiteSources

    found = SiteSources(home_url="https://www.haber.example.tr/", site_name="Haber: Günün", language="tr", country="TR")
    found.feeds.append("https://www.haber.example.tr/rss")
    [entry] = yaml.safe_load(registry_snippet(found))
    assert entry == {
        "name": "Haber: Günün",
        "country": "TR",
        "language": "tr",
        "timezone": "Europe/Istanbul",
        "domains": ["haber.example.tr"],
        "feeds": ["https://www.haber.example.tr/rss"],
    }
    assert parse_registry([entry]).by_url("https://haber.example.tr/a").name == "Haber: Günün"


@pytest.mark.slow  # a Prefect flow run with its fetches: several seconds
def test_run_discover_reads_the_feed_and_its_pages(prefect_harness, site: LocalSite, tmp_path):
    warehouse = tmp_path / "wh"
    result = invoke("run", "--discover", site.home, "-w", str(warehouse), "--no-feeds", "--no-enrich")
    assert result.exit_code == 0, result.output
    rows = query(warehouse, "select url, outlet, source_kind from stg_articles order by url")
    assert rows == sorted((url, SITE_NAME, "feed") for url in site.articles)
    fetched = {row[0] for row in query(warehouse, "select url from fetch_log where status = 200")}
    assert fetched == {site.home, f"{site.base}/rss.xml", *site.articles}
    assert list((warehouse / "raw").rglob("*.html")), "the raw responses were not kept"
    # the section trail the feed and the pages title themselves with is never an outlet
    assert query(warehouse, f"select count(*) from articles where outlet = '{SECTION_TITLE}'") == [(0,)]


@pytest.mark.slow  # a Prefect flow run with its fetches: several seconds
def test_run_discover_reads_the_sitemap_pages_of_a_site_without_feed(prefect_harness, site: LocalSite, tmp_path):
    warehouse = tmp_path / "wh"
    result = invoke("run", "--discover", f"{site.base}/no-feed.html", "-w", str(warehouse), "--no-feeds", "--no-enrich")
    assert result.exit_code == 0, result.output
    rows = query(warehouse, "select url, outlet, source_kind from stg_articles order by url")
    assert rows == sorted((url, SITE_NAME, "html") for url in site.articles)


@pytest.mark.slow  # a Prefect flow run with its fetches: several seconds
def test_a_url_list_file_loads_its_pages_and_quarantines_a_bad_line(prefect_harness, site: LocalSite, tmp_path):
    listing = tmp_path / "pages.urls"
    first, second = site.articles
    listing.write_text(
        f"# pages to load\n{first}\n\nnot a url at all\n{second}\nftp://files.example.org/a.html\n", encoding="utf-8"
    )
    warehouse = tmp_path / "wh"
    result = invoke("run", str(listing), "-w", str(warehouse), "--no-feeds", "--no-enrich")
    assert result.exit_code == 0, result.output  # it completed; the two bad lines are quarantined, not a failure
    assert "2 input(s) or row(s) quarantined" in result.stderr
    assert query(warehouse, "select url from stg_articles order by url") == sorted((u,) for u in site.articles)
    quarantined = query(warehouse, "select source_uri, line, reason_code, excerpt from quarantine order by line")
    assert quarantined == [
        (str(listing), 4, "bad_url", "not a url at all"),
        (str(listing), 6, "bad_url", "ftp://files.example.org/a.html"),
    ]


def test_run_discover_needs_a_url(tmp_path):
    result = invoke("run", "--discover", str(tmp_path), "-w", str(tmp_path / "wh"))
    assert result.exit_code == 2
    assert "--discover needs at least one http(s) home page URL" in result.output


def test_a_sitemap_index_leads_to_gzipped_sitemaps_on_the_site_only(site: LocalSite, tmp_path):
    import gzip

    urlset = site.content.pop("/sitemap.xml")[1]
    site.content["/robots.txt"] = ("text/plain", f"Sitemap: {site.base}/sitemap_index.xml\n".encode())
    site.content["/sitemap_index.xml"] = (
        "application/xml",
        (
            "<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            f"<sitemap><loc>{site.base}/news-1.xml.gz</loc></sitemap>"
            "<sitemap><loc>http://sitemaps.offsite.invalid/all.xml</loc></sitemap>"
            "</sitemapindex>"
        ).encode(),
    )
    site.content["/news-1.xml.gz"] = ("application/gzip", gzip.compress(urlset))
    with make_client() as client:
        found = discover_site(client, f"{site.base}/no-feed.html", raw_root=tmp_path, now=NOW)
    assert found.sitemaps == [f"{site.base}/sitemap_index.xml", f"{site.base}/news-1.xml.gz"]
    assert found.pages == site.articles
    assert site.requested == ["/no-feed.html", "/robots.txt", "/sitemap_index.xml", "/news-1.xml.gz"]


def test_a_feed_given_for_a_home_page_is_the_feed_found(site: LocalSite, tmp_path):
    with make_client() as client:
        found = discover_site(client, f"{site.base}/rss.xml", raw_root=tmp_path, now=NOW, sitemaps=False)
    assert found.feeds == [f"{site.base}/rss.xml"] and found.offsite_feeds == []
    assert site.requested == ["/rss.xml"]
