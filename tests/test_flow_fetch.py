"""The flow fetches feed URLs from a local HTTP server: conditional GETs, raw copies, no duplicates."""

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from flows.etl import etl
from tests.conftest import corpus

FEED = "rss-parser/test/input/reddit-atom.rss"


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files with Last-Modified (SimpleHTTPRequestHandler answers If-Modified-Since with 304)."""

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def feed_server():
    folder = corpus("feeds")
    if not (folder / FEED).exists():
        pytest.skip(f"{folder / FEED} is absent")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_fetch_feed_then_not_modified(prefect_harness, feed_server, tmp_path):
    url = f"{feed_server}/{FEED}"
    first = etl(inputs=[url], warehouse=str(tmp_path), fetch_feeds=False)
    assert first["status"] == "completed" and first["articles_loaded"] > 0
    [(items,)] = query(tmp_path, f"select count(*) from article_sources where source_uri = '{url}'")
    assert items == first["articles_loaded"]
    raw = list((tmp_path / "raw").rglob("*.xml")) + list((tmp_path / "raw").rglob("*.bin"))
    assert raw, "the raw response was not kept"

    second = etl(inputs=[url], warehouse=str(tmp_path), fetch_feeds=False)
    assert second["articles_loaded"] == 0
    log = query(tmp_path, "select status, not_modified from fetch_log order by fetched_at")
    assert log == [(200, False), (304, True)]
    assert query(tmp_path, "select count(*) from articles") == [(first["articles_loaded"],)]


@pytest.mark.slow  # every connection retry with its backoff: about 9 s
def test_unreachable_url_is_quarantined(prefect_harness, tmp_path):
    run = etl(inputs=["http://127.0.0.1:9/feed.xml"], warehouse=str(tmp_path), fetch_feeds=False)
    assert run["status"] == "completed"
    assert query(tmp_path, "select stage, reason_code from quarantine") == [("read", "fetch_connect_error")]
