"""Transient fetch failures are retried by Prefect with backoff; permanent ones are quarantined at once."""

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from flows.etl import etl
from tests.conftest import SEEDS

FEED = (SEEDS / "sample_09_trend_feed.rss").read_bytes()


class FlakyFeed(BaseHTTPRequestHandler):
    """``/flaky.rss`` answers 503 twice and then the feed; ``/gone.rss`` is always 404."""

    requests: ClassVar[Counter[str]] = Counter()

    def do_GET(self) -> None:
        FlakyFeed.requests[self.path] += 1
        if self.path == "/flaky.rss" and FlakyFeed.requests[self.path] > 2:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            self.wfile.write(FEED)
            return
        self.send_response(503 if self.path == "/flaky.rss" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture()
def server():
    FlakyFeed.requests.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FlakyFeed)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_transient_failures_are_retried_and_permanent_ones_are_not(prefect_harness, server, tmp_path):
    run = etl(inputs=[f"{server}/flaky.rss", f"{server}/gone.rss"], warehouse=str(tmp_path), fetch_feeds=False)
    assert run["status"] == "completed"
    assert FlakyFeed.requests["/flaky.rss"] == 3  # two 503s retried by Prefect, then the feed
    assert FlakyFeed.requests["/gone.rss"] == 1  # a 404 is never retried
    assert run["articles_loaded"] > 0
    assert '"fetch_http_404": 1' in str(run["quarantined_by_reason"])
