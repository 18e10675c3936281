"""Fetch feed URLs and article pages politely, keeping every body received for lineage and replay.

``fetch`` makes a conditional GET (If-None-Match / If-Modified-Since from what the previous
fetch of the URL returned), retries only failures that can pass (timeouts, connection errors,
408, 425, 429 and 5xx gateway statuses) with capped exponential backoff, and gives up at once
on the rest. Every 200 body is stored once, content-addressed, under
``<raw_root>/<YYYY-MM-DD>/<host>/<sha256>.<ext>`` with a JSON sidecar ``<sha256>.<ext>.json``
saying where and when it came from. Both files are written to a hidden temporary file in the
same folder, flushed to disk and renamed into place, so a crash never leaves half a file.

The caller passes the current time in; apart from sleeping between attempts nothing here reads
a clock or the environment.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from media_etl import __version__
from media_etl.store.atomic import write_atomically

USER_AGENT = f"media-etl/{__version__} (news archiving ETL; contact: set MEDIA_ETL_CONTACT)"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 5
# Longest wait between attempts that the exponential backoff may reach.
MAX_BACKOFF = 30.0
# Longest wait a server's numeric Retry-After may impose.
MAX_RETRY_AFTER = 120.0
# Statuses that may succeed when asked again later.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
# Response headers kept in the sidecar of a stored body.
SIDECAR_HEADERS = ("content-type", "etag", "last-modified", "date")

_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, application/json;q=0.9, text/html;q=0.8, */*;q=0.5"
)
_UNSAFE_IN_FOLDER = re.compile(r"[^A-Za-z0-9.-]")


@dataclass(frozen=True)
class Validators:
    """What a previous fetch of a URL returned, to ask the server only for changes."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """The outcome of one successful fetch: a new body (200) or confirmation that nothing changed (304)."""

    url: str
    """The URL as asked for."""
    final_url: str
    """The URL that answered, after redirects."""
    status: int
    not_modified: bool
    body: bytes | None
    """The decoded body of a 200; None for a 304."""
    content_type: str | None
    validators: Validators
    """Validators to send next time."""
    raw_path: Path | None
    """The stored body file of a 200; None for a 304."""
    fetched_at: datetime
    """The ``now`` given to ``fetch``, in UTC."""
    attempts: int
    """Requests made, retries included."""


class FetchError(Exception):
    """A URL could not be fetched: ``permanent`` says whether asking again later can help."""

    def __init__(
        self,
        url: str,
        reason_code: str,
        permanent: bool,
        attempts: int,
        detail: str = "",
        status: int | None = None,
    ) -> None:
        super().__init__(url, reason_code, permanent, attempts, detail, status)
        self.url = url
        self.reason_code = reason_code
        self.permanent = permanent
        self.attempts = attempts
        self.detail = detail
        self.status = status

    def __str__(self) -> str:
        kind = "permanent" if self.permanent else "transient"
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.url}: {self.reason_code} ({kind}, {self.attempts} attempt(s)){detail}"


class ResponseTooLarge(httpx.HTTPError):
    """A response body is larger than the client's size cap."""


class FetchClient(httpx.Client):
    """An httpx client that also carries the size cap ``fetch`` applies to decoded bodies."""

    def __init__(self, *, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_bytes = max_bytes


class _CappedStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, max_bytes: int) -> None:
        self._inner = inner
        self._max_bytes = max_bytes

    def __iter__(self) -> Iterator[bytes]:
        received = 0
        for chunk in self._inner:
            received += len(chunk)
            if received > self._max_bytes:
                raise ResponseTooLarge(f"response body exceeds {self._max_bytes} bytes")
            yield chunk

    def close(self) -> None:
        self._inner.close()


class _CappedTransport(httpx.BaseTransport):
    """Stop reading a response once its bytes on the wire pass the cap."""

    def __init__(self, inner: httpx.BaseTransport, max_bytes: int) -> None:
        self._inner = inner
        self._max_bytes = max_bytes

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        declared = response.headers.get("content-length", "")
        has_body = request.method != "HEAD" and response.status_code not in (204, 304)
        if has_body and declared.isascii() and declared.isdigit() and int(declared) > self._max_bytes:
            response.close()
            raise ResponseTooLarge(f"response declares {declared} bytes, more than the cap of {self._max_bytes}")
        if not isinstance(response.stream, httpx.SyncByteStream):
            raise TypeError("a synchronous transport returned an asynchronous stream")
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_CappedStream(response.stream, self._max_bytes),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._inner.close()


def make_client(
    *,
    timeout: float = 20.0,
    user_agent: str = USER_AGENT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    proxy: str | None = None,
) -> FetchClient:
    """Create the HTTP client to pass to ``fetch``; close it when done (it is a context manager).

    Proxy and certificate settings come only from the arguments: the client does not read
    environment variables.

    Args:
        timeout: Seconds to wait for each read, write or free connection; connecting waits
            at most 10 s of it.
        user_agent: The User-Agent header sent with every request.
        max_bytes: Largest response body accepted, on the wire and once decompressed.
        max_redirects: Redirects followed before giving up.
        proxy: Optional proxy URL for all requests.

    Returns:
        A client that follows redirects and raises ``ResponseTooLarge`` while reading a body
        that passes ``max_bytes``.
    """
    transport = _CappedTransport(httpx.HTTPTransport(proxy=proxy, trust_env=False), max_bytes)
    return FetchClient(
        max_bytes=max_bytes,
        transport=transport,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        follow_redirects=True,
        max_redirects=max_redirects,
        headers={"User-Agent": user_agent, "Accept": _ACCEPT},
        trust_env=False,
    )


def retry_delay(retry: int, backoff: float, retry_after: float | None = None) -> float:
    """Compute how long to wait before a retry.

    Args:
        retry: 0 before the first retry, 1 before the second, and so on.
        backoff: The first wait in seconds; each later one doubles, up to ``MAX_BACKOFF``.
        retry_after: Seconds the server asked to wait (Retry-After), if any; honoured up to
            ``MAX_RETRY_AFTER``.

    Returns:
        The wait in seconds.
    """
    delay = min(backoff * 2**retry, MAX_BACKOFF)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def extension_for(content_type: str | None) -> str:
    """Choose the stored file's extension from a Content-Type header.

    Args:
        content_type: The header value, parameters allowed, or None.

    Returns:
        ``html``, ``xml``, ``json``, ``txt`` or ``bin``.
    """
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    main, _, sub = mime.partition("/")
    if "html" in sub:
        return "html"
    if sub == "xml" or sub.endswith("+xml"):
        return "xml"
    if sub == "json" or sub.endswith("+json"):
        return "json"
    if main == "text":
        return "txt"
    return "bin"


def sidecar_path(raw_path: Path) -> Path:
    """The JSON sidecar describing a stored body file."""
    return raw_path.with_name(raw_path.name + ".json")


def fetch(
    client: httpx.Client,
    url: str,
    *,
    validators: Validators | None,
    raw_root: Path,
    now: datetime,
    retries: int = 3,
    backoff: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> Fetched:
    """Fetch one URL, asking only for changes since ``validators``, and store a new body.

    Args:
        client: A client from ``make_client`` (another httpx client works, with the default size cap).
        url: An http or https URL.
        validators: What the previous fetch of the URL returned, or None for the first fetch.
        raw_root: Folder under which bodies are stored by day and host.
        now: The current time, timezone-aware; names the day folder and is recorded.
        retries: Further attempts after a transient failure.
        backoff: First wait between attempts in seconds; doubles with each retry.
        sleep: Waits between attempts (replaceable in tests).

    Returns:
        The body and its stored path for a 200, or ``not_modified`` for a 304.

    Raises:
        FetchError: The URL is invalid, the failure is permanent, or transient failures
            outlasted the retries.
        ValueError: ``now`` is naive or ``retries`` is negative.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if retries < 0:
        raise ValueError("retries must not be negative")
    problem = _url_problem(url)
    if problem:
        raise FetchError(url, "invalid_url", permanent=True, attempts=0, detail=problem)
    max_bytes = client.max_bytes if isinstance(client, FetchClient) else DEFAULT_MAX_BYTES
    headers = _conditional_headers(validators)
    attempt = 0
    while True:
        attempt += 1
        outcome = _attempt(client, url, headers, max_bytes)
        if isinstance(outcome, _Reply):
            return _finish(url, outcome, validators, raw_root, now.astimezone(UTC), attempt)
        if outcome.permanent or attempt > retries:
            raise FetchError(url, outcome.reason_code, outcome.permanent, attempt, outcome.detail, outcome.status)
        sleep(retry_delay(attempt - 1, backoff, outcome.retry_after))


@dataclass(frozen=True)
class _Reply:
    status: int
    final_url: str
    headers: httpx.Headers
    body: bytes | None


@dataclass(frozen=True)
class _Failure:
    reason_code: str
    permanent: bool
    detail: str
    status: int | None = None
    retry_after: float | None = None


def url_problem(url: str) -> str | None:
    """Say what makes a string no URL that ``fetch`` can ask for, or None when it is one.

    Args:
        url: The string.

    Returns:
        The problem (bad syntax, a scheme other than http or https, no host), or None.
    """
    return _url_problem(url)


def _url_problem(url: str) -> str | None:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        return str(exc)
    if parsed.scheme not in ("http", "https"):
        return f"scheme {parsed.scheme!r} is not http or https"
    if not parsed.host:
        return "URL has no host"
    return None


def _conditional_headers(validators: Validators | None) -> dict[str, str]:
    headers = {}
    if validators and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


def _attempt(client: httpx.Client, url: str, headers: dict[str, str], max_bytes: int) -> _Reply | _Failure:
    """Make one request (redirects included) and say how it went, without raising for HTTP trouble."""
    try:
        with client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in (200, 304):
                body = _read_body(response, max_bytes) if status == 200 else None
                return _Reply(status, str(response.url), response.headers, body)
            return _Failure(
                f"http_{status}",
                permanent=status not in TRANSIENT_STATUSES,
                detail=f"{response.reason_phrase} from {response.url}",
                status=status,
                retry_after=_retry_after(response.headers.get("retry-after")),
            )
    except ResponseTooLarge as exc:
        return _Failure("too_large", permanent=True, detail=str(exc))
    except httpx.TooManyRedirects as exc:
        return _Failure("too_many_redirects", permanent=True, detail=str(exc))
    except httpx.TimeoutException as exc:
        return _Failure("timeout", permanent=False, detail=f"{type(exc).__name__}: {exc}")
    except httpx.ConnectError as exc:
        return _Failure("connect_error", permanent=False, detail=str(exc))
    except httpx.UnsupportedProtocol as exc:
        return _Failure("invalid_url", permanent=True, detail=str(exc))
    except httpx.LocalProtocolError as exc:
        return _Failure("invalid_request", permanent=True, detail=str(exc))
    except httpx.RemoteProtocolError as exc:
        return _Failure("protocol_error", permanent=False, detail=str(exc))
    except httpx.DecodingError as exc:
        return _Failure("decoding_error", permanent=True, detail=str(exc))
    except httpx.TransportError as exc:
        return _Failure("network_error", permanent=False, detail=f"{type(exc).__name__}: {exc}")
    except UnicodeError as exc:
        return _Failure("invalid_url", permanent=True, detail=f"host cannot be encoded: {exc}")


def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    chunks = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLarge(f"decompressed body exceeds {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after(value: str | None) -> float | None:
    """Read a numeric Retry-After; an HTTP date would need a clock, so it is ignored."""
    value = (value or "").strip()
    return float(value) if value.isascii() and value.isdigit() else None


def _finish(
    url: str, reply: _Reply, previous: Validators | None, raw_root: Path, fetched_at: datetime, attempts: int
) -> Fetched:
    etag = reply.headers.get("etag")
    last_modified = reply.headers.get("last-modified")
    content_type = reply.headers.get("content-type")
    if reply.body is None:
        if previous is None or not (previous.etag or previous.last_modified):
            raise FetchError(url, "http_304", True, attempts, "304 Not Modified to an unconditional request", 304)
        validators = Validators(etag or previous.etag, last_modified or previous.last_modified)
        return Fetched(url, reply.final_url, 304, True, None, content_type, validators, None, fetched_at, attempts)
    raw_path = _store_raw(url, reply, raw_root, fetched_at)
    validators = Validators(etag, last_modified)
    return Fetched(
        url, reply.final_url, 200, False, reply.body, content_type, validators, raw_path, fetched_at, attempts
    )


def _store_raw(url: str, reply: _Reply, raw_root: Path, fetched_at: datetime) -> Path:
    body = reply.body or b""
    digest = hashlib.sha256(body).hexdigest()
    host = _UNSAFE_IN_FOLDER.sub("_", httpx.URL(url).raw_host.decode("ascii").lower()) or "_"
    folder = raw_root / fetched_at.date().isoformat() / host
    raw_path = folder / f"{digest}.{extension_for(reply.headers.get('content-type'))}"
    sidecar = sidecar_path(raw_path)
    if raw_path.exists() and sidecar.exists():
        return raw_path
    folder.mkdir(parents=True, exist_ok=True)
    if not raw_path.exists():
        _write_atomically(body, raw_path)
    meta = {
        "url": url,
        "final_url": reply.final_url,
        "status": reply.status,
        "headers": {name: reply.headers.get(name) for name in SIDECAR_HEADERS},
        "fetched_at": fetched_at.isoformat(),
        "sha256": digest,
        "size": len(body),
    }
    _write_atomically((json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), sidecar)
    return raw_path


def _write_atomically(data: bytes, target: Path) -> None:
    write_atomically(target, lambda handle: handle.write(data))
