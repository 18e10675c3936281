"""Fetching against local HTTP servers only: conditional GET, retries, size cap, raw storage."""

from __future__ import annotations

import gzip
import hashlib
import json
import pickle
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import pytest

from media_etl.ingest.fetch import (
    MAX_BACKOFF,
    MAX_RETRY_AFTER,
    USER_AGENT,
    Fetched,
    FetchError,
    Validators,
    extension_for,
    fetch,
    make_client,
    retry_delay,
    sidecar_path,
)
from tests.conftest import corpus

# 23:30 on 10 May in New York is 03:30 on 11 May in UTC: the day folder follows UTC.
NOW = datetime(2026, 5, 10, 23, 30, tzinfo=timezone(timedelta(hours=-4)))
DAY = "2026-05-11"

Route = Callable[[BaseHTTPRequestHandler, int], None]


class Server:
    """A local HTTP server's routes and what it was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        self.base = ""
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for seen, _ in self.requests if seen == path)

    def record(self, path: str, headers: dict[str, str]) -> int:
        with self._lock:
            self.requests.append((path, headers))
            return self.hits(path)


def handler_for(state: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            count = state.record(path, dict(self.headers.items()))
            route = state.routes.get("/" + path.split("/")[1])
            try:
                if route is None:
                    reply(self, 404, b"no such route")
                else:
                    route(self, count)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first, as some tests intend

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def reply(
    handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> None:
    handler.send_response(status)
    headers = dict(headers or {})
    if status not in (204, 304):
        headers.setdefault("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(state))
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    """One client for the module: building one loads the CA bundle, which takes tens of milliseconds."""
    with make_client(timeout=5.0) as http:
        yield http


def no_sleep(seconds: float) -> None:
    pytest.fail(f"fetch slept {seconds} s where no retry was due")


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --- conditional GET over the real feed corpus ---------------------------------------------

FEED_TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml", ".xml": "text/xml; charset=utf-8"}
FEED_TYPES[".json"] = "application/json"


def serve_folder(root: Path) -> Route:
    """Serve files under ``root`` at /feeds/<relative path> with ETag and Last-Modified, honouring both."""

    def route(handler: BaseHTTPRequestHandler, count: int) -> None:
        path = root / unquote(urlsplit(handler.path).path).removeprefix("/feeds/")
        body = path.read_bytes()
        modified = datetime.fromtimestamp(int(path.stat().st_mtime), UTC)
        validators = {
            "ETag": f'"{hashlib.sha256(body).hexdigest()[:20]}"',
            "Last-Modified": formatdate(modified.timestamp(), usegmt=True),
        }
        if handler.headers.get("If-None-Match") == validators["ETag"]:
            reply(handler, 304, headers=validators)
            return
        since = handler.headers.get("If-Modified-Since")
        if since and "If-None-Match" not in handler.headers and parsedate_to_datetime(since) >= modified:
            reply(handler, 304, headers=validators)
            return
        reply(handler, 200, body, {**validators, "Content-Type": FEED_TYPES[path.suffix]})

    return route


def test_corpus_feeds_are_stored_once_then_not_modified(server: Server, client: httpx.Client, tmp_path: Path) -> None:
    root = corpus("feeds")
    feeds = sorted(p for p in root.rglob("*") if p.suffix in FEED_TYPES)
    assert len(feeds) > 50
    server.routes["/feeds"] = serve_folder(root)
    raw_root = tmp_path / "raw"

    first: dict[str, Fetched] = {}
    stored: set[Path] = set()
    for feed in feeds:
        url = server.url("/feeds/" + feed.relative_to(root).as_posix())
        got = fetch(client, url, validators=None, raw_root=raw_root, now=NOW, sleep=no_sleep)
        body = feed.read_bytes()
        digest = hashlib.sha256(body).hexdigest()
        assert (got.status, got.not_modified, got.body, got.attempts) == (200, False, body, 1)
        assert got.validators.etag and got.validators.last_modified
        assert got.raw_path == raw_root / DAY / "127.0.0.1" / f"{digest}.{extension_for(FEED_TYPES[feed.suffix])}"
        assert got.raw_path.read_bytes() == body
        meta = json.loads(sidecar_path(got.raw_path).read_text(encoding="utf-8"))
        # Two corpus files are byte-identical: the sidecar names the URL that first returned the body.
        first_url = next(u for u, g in first.items() if g.raw_path == got.raw_path) if got.raw_path in stored else url
        stored.add(got.raw_path)
        assert meta["url"] == meta["final_url"] == first_url
        assert (meta["status"], meta["sha256"], meta["size"]) == (200, digest, len(body))
        assert meta["fetched_at"] == "2026-05-11T03:30:00+00:00"
        assert meta["headers"]["etag"] == got.validators.etag
        assert meta["headers"]["content-type"] == FEED_TYPES[feed.suffix]
        first[url] = got
    distinct = {(hashlib.sha256(f.read_bytes()).hexdigest(), extension_for(FEED_TYPES[f.suffix])) for f in feeds}
    written = files_under(raw_root)
    assert len(written) == 2 * len(distinct) == 2 * len(stored)
    assert not [name for name in written if "/." in name]  # no temporary file left behind

    for url, earlier in first.items():
        again = fetch(client, url, validators=earlier.validators, raw_root=raw_root, now=NOW, sleep=no_sleep)
        assert (again.status, again.not_modified, again.body, again.raw_path) == (304, True, None, None)
        assert again.validators == earlier.validators
    assert files_under(raw_root) == written
    assert Counter(path for path, _ in server.requests) == {urlsplit(url).path: 2 for url in first}


def test_if_modified_since_alone_gets_304(server: Server, client: httpx.Client, tmp_path: Path) -> None:
    root = corpus("feeds")
    server.routes["/feeds"] = serve_folder(root)
    url = server.url("/feeds/rss-parser/test/input/heise.atom")
    got = fetch(client, url, validators=None, raw_root=tmp_path, now=NOW)
    by_date = Validators(etag=None, last_modified=got.validators.last_modified)
    again = fetch(client, url, validators=by_date, raw_root=tmp_path, now=NOW)
    assert again.not_modified
    assert again.validators == got.validators  # the server's new ETag is picked up
    assert "If-None-Match" not in server.requests[-1][1]


def test_304_keeps_old_validators_and_takes_new_ones(server: Server, client: httpx.Client, tmp_path: Path) -> None:
    server.routes["/item"] = lambda h, n: reply(h, 304, headers={"ETag": '"v2"'})
    old = Validators(etag='W/"v1"', last_modified="Sun, 10 May 2026 08:00:00 GMT")
    got = fetch(client, server.url("/item"), validators=old, raw_root=tmp_path, now=NOW)
    assert got.validators == Validators(etag='"v2"', last_modified=old.last_modified)
    sent = server.requests[0][1]
    assert (sent["If-None-Match"], sent["If-Modified-Since"]) == (old.etag, old.last_modified)
    assert files_under(tmp_path) == {}


def test_304_to_an_unconditional_request_is_an_error(server: Server, client: httpx.Client, tmp_path: Path) -> None:
    server.routes["/item"] = lambda h, n: reply(h, 304)
    with pytest.raises(FetchError) as caught:
        fetch(client, server.url("/item"), validators=None, raw_root=tmp_path, now=NOW)
    assert (caught.value.reason_code, caught.value.permanent) == ("http_304", True)


def test_identical_body_is_stored_once_a_day(server: Server, client: httpx.Client, tmp_path: Path) -> None:
    server.routes["/page"] = lambda h, n: reply(h, 200, b"<html>same</html>", {"Content-Type": "text/html"})
    url = server.url("/page")
    first = fetch(client, url, validators=None, raw_root=tmp_path, now=NOW)
    stored = files_under(tmp_path)
    second = fetch(client, url, validators=None, raw_root=tmp_path, now=NOW + timedelta(hours=1))
    assert second.raw_path == first.raw_path
    assert files_under(tmp_path) == stored  # the sidecar still records the first fetch
    assert first.raw_path is not None and first.raw_path.suffix == ".html"
    next_day = fetch(client, url, validators=None, raw_root=tmp_path, now=NOW + timedelta(days=1))
    assert next_day.raw_path == tmp_path / "2026-05-12" / "127.0.0.1" / first.raw_path.name
    assert len(files_under(tmp_path)) == 4


# --- retries -------------------------------------------------------------------------------


@pytest.mark.parametrize("failures", [1, 2])
def test_503_then_200_retries_with_growing_backoff(
    server: Server, client: httpx.Client, tmp_path: Path, failures: int
) -> None:
    def route(h: BaseHTTPRequestHandler, n: int) -> None:
        if n <= failures:
            reply(h, 503, b"busy")
        else:
            reply(h, 200, b"{}", {"Content-Type": "application/json"})

    server.routes["/flaky"] = route
    delays: list[float] = []
    got = fetch(
        client, server.url("/flaky"), validators=None, raw_root=tmp_path, now=NOW, backoff=0.5, sleep=delays.append
    )
    assert (got.status, got.attempts, server.hits("/flaky")) == (200, failures + 1, failures + 1)
    assert delays == [0.5, 1.0][:failures]
    assert got.raw_path is not None and got.raw_path.suffix == ".json"


def test_retry_after_is_honoured_up_to_a_cap(server: Server, client: httpx.Client, tmp_path: Path) -> None:
    answers = {1: "7", 2: "86400", 3: "Wed, 21 Oct 2015 07:28:00 GMT"}

    def route(h: BaseHTTPRequestHandler, n: int) -> None:
        if n in answers:
            reply(h, 429 if n < 3 else 503, b"slow down", {"Retry-After": answers[n]})
        else:
            reply(h, 200, b"ok", {"Content-Type": "text/plain"})

    server.routes["/limited"] = route
    delays: list[float] = []
    got = fetch(client, server.url("/limited"), validators=None, raw_root=tmp_path, now=NOW, sleep=delays.append)
    assert got.attempts == 4
    # A date in Retry-After is not read (that would need a clock): plain backoff applies.
    assert delays == [7.0, MAX_RETRY_AFTER, 0.5 * 2**2]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 501])
def test_permanent_status_fails_after_one_request(
    server: Server, client: httpx.Client, tmp_path: Path, status: int
) -> None:
    server.routes["/gone"] = lambda h, n: reply(h, status, b"no")
    with pytest.raises(FetchError) as caught:
        fetch(client, server.url("/gone"), validators=None, raw_root=tmp_path, now=NOW, sleep=no_sleep)
    error = caught.value
    assert (error.reason_code, error.permanent, error.attempts, error.status) == (f"http_{status}", True, 1, status)
    assert server.hits("/gone") == 1
    assert files_under(tmp_path) == {}


def test_always_503_gives_up_after_the_retries(server: Server, client: httpx.Client, tmp_path: Path) -> None:
    server.routes["/down"] = lambda h, n: reply(h, 503, b"down")
    delays: list[float] = []
    with pytest.raises(FetchError) as caught:
        fetch(client, server.url("/down"), validators=None, raw_root=tmp_path, now=NOW, retries=3, sleep=delays.append)
    error = caught.value
    assert (error.reason_code, error.permanent, error.attempts) == ("http_503", False, 4)
    assert server.hits("/down") == 4
    assert delays == [0.5, 1.0, 2.0]
    assert pickle.loads(pickle.dumps(error)).__dict__ == error.__dict__  # survives task-result serialisation
    assert "http_503 (transient, 4 attempt(s))" in str(error)


def test_stalled_server_times_out_and_is_retried(server: Server, tmp_path: Path) -> None:
    def stall(h: BaseHTTPRequestHandler, n: int) -> None:
        if not server.stop.wait(5):
            reply(h, 200, b"too late")

    server.routes["/stall"] = stall
    delays: list[float] = []
    with make_client(timeout=0.2) as client, pytest.raises(FetchError) as caught:
        fetch(client, server.url("/stall"), validators=None, raw_root=tmp_path, now=NOW, retries=1, sleep=delays.append)
    error = caught.value
    assert (error.reason_code, error.permanent, error.attempts) == ("timeout", False, 2)
    assert server.hits("/stall") == 2
    assert delays == [0.5]


def test_refused_connection_is_transient(client: httpx.Client, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    delays: list[float] = []
    with pytest.raises(FetchError) as caught:
        fetch(
            client,
            f"http://127.0.0.1:{port}/",
            validators=None,
            raw_root=tmp_path,
            now=NOW,
            retries=2,
            sleep=delays.append,
        )
    assert (caught.value.reason_code, caught.value.permanent, caught.value.attempts) == ("connect_error", False, 3)
    assert delays == [0.5, 1.0]


# --- size, redirects, URL, user agent -------------------------------------------------------


def declared_too_big(h: BaseHTTPRequestHandler, n: int) -> None:
    reply(h, 200, b"x" * 5000, {"Content-Type": "text/plain"})


def streamed_too_big(h: BaseHTTPRequestHandler, n: int) -> None:
    # HTTP/1.0 without Content-Length: the body ends when the connection closes.
    h.send_response(200)
    h.send_header("Content-Type", "text/plain")
    h.end_headers()
    for _ in range(50):
        h.wfile.write(b"y" * 1000)


def gzip_bomb(h: BaseHTTPRequestHandler, n: int) -> None:
    reply(h, 200, gzip.compress(b"\0" * 200_000), {"Content-Type": "text/plain", "Content-Encoding": "gzip"})


@pytest.mark.parametrize("route", [declared_too_big, streamed_too_big, gzip_bomb])
def test_oversize_body_is_permanent(server: Server, tmp_path: Path, route: Route) -> None:
    server.routes["/big"] = route
    with make_client(max_bytes=4096) as client, pytest.raises(FetchError) as caught:
        fetch(client, server.url("/big"), validators=None, raw_root=tmp_path, now=NOW, sleep=no_sleep)
    assert (caught.value.reason_code, caught.value.permanent, caught.value.attempts) == ("too_large", True, 1)
    assert server.hits("/big") == 1
    assert files_under(tmp_path) == {}


def test_body_at_the_cap_is_accepted(server: Server, tmp_path: Path) -> None:
    server.routes["/full"] = lambda h, n: reply(h, 200, gzip.compress(b"z" * 4096), {"Content-Encoding": "gzip"})
    with make_client(max_bytes=4096) as client:
        got = fetch(client, server.url("/full"), validators=None, raw_root=tmp_path, now=NOW)
    assert got.body == b"z" * 4096
    assert got.raw_path is not None and got.raw_path.suffix == ".bin"


def hop(h: BaseHTTPRequestHandler, n: int) -> None:
    left = int(urlsplit(h.path).path.rsplit("/", 1)[1])
    if left == 0:
        reply(h, 200, b"<rss/>", {"Content-Type": "application/rss+xml"})
    else:
        reply(h, 302, headers={"Location": f"/hop/{left - 1}"})


def test_redirects_are_followed_and_recorded(server: Server, client: httpx.Client, tmp_path: Path) -> None:
    server.routes["/hop"] = hop
    url = server.url("/hop/3")
    got = fetch(client, url, validators=None, raw_root=tmp_path, now=NOW)
    assert (got.url, got.final_url, got.attempts) == (url, server.url("/hop/0"), 1)
    assert got.raw_path is not None
    assert json.loads(sidecar_path(got.raw_path).read_text(encoding="utf-8"))["final_url"] == server.url("/hop/0")


def test_redirect_loop_is_permanent(server: Server, tmp_path: Path) -> None:
    server.routes["/loop"] = lambda h, n: reply(h, 301, headers={"Location": "/loop"})
    with make_client(max_redirects=3) as client, pytest.raises(FetchError) as caught:
        fetch(client, server.url("/loop"), validators=None, raw_root=tmp_path, now=NOW, sleep=no_sleep)
    assert (caught.value.reason_code, caught.value.permanent) == ("too_many_redirects", True)
    assert server.hits("/loop") == 4


@pytest.mark.parametrize("url", ["not a url", "ftp://example.org/feed", "http:///feed", "http://[::1/feed"])
def test_invalid_url_fails_without_a_request(client: httpx.Client, tmp_path: Path, url: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(client, url, validators=None, raw_root=tmp_path, now=NOW, sleep=no_sleep)
    assert (caught.value.reason_code, caught.value.permanent, caught.value.attempts) == ("invalid_url", True, 0)


def test_user_agent_is_sent(server: Server, client: httpx.Client, tmp_path: Path) -> None:
    server.routes["/ua"] = lambda h, n: reply(h, 200, b"ok")
    fetch(client, server.url("/ua"), validators=None, raw_root=tmp_path, now=NOW)
    with make_client(user_agent="other-agent/1") as other:
        fetch(other, server.url("/ua"), validators=None, raw_root=tmp_path, now=NOW)
    assert [headers["User-Agent"] for _, headers in server.requests] == [USER_AGENT, "other-agent/1"]
    assert USER_AGENT.startswith("media-etl/")
    assert "If-None-Match" not in server.requests[0][1]


def test_naive_now_is_refused(client: httpx.Client, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        fetch(client, "http://127.0.0.1:9/", validators=None, raw_root=tmp_path, now=datetime(2026, 5, 10))


# --- pure helpers ----------------------------------------------------------------------------


def test_retry_delay_doubles_and_is_capped() -> None:
    assert [retry_delay(i, 0.5) for i in range(4)] == [0.5, 1.0, 2.0, 4.0]
    assert retry_delay(20, 0.5) == MAX_BACKOFF
    assert retry_delay(0, 0.5, retry_after=3) == 3
    assert retry_delay(3, 0.5, retry_after=1) == 4.0
    assert retry_delay(0, 0.5, retry_after=10**9) == MAX_RETRY_AFTER


@pytest.mark.parametrize(
    ("content_type", "ext"),
    [
        ("application/rss+xml; charset=utf-8", "xml"),
        ("application/atom+xml", "xml"),
        ("text/xml", "xml"),
        ("application/feed+json", "json"),
        ("application/json", "json"),
        ("text/html; charset=ISO-8859-1", "html"),
        ("application/xhtml+xml", "html"),
        ("text/plain", "txt"),
        ("application/octet-stream", "bin"),
        (None, "bin"),
        ("", "bin"),
    ],
)
def test_extension_for(content_type: str | None, ext: str) -> None:
    assert extension_for(content_type) == ext
