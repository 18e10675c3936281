"""Collect articles from URLs: feeds (and, optionally, the pages their items link to) and single pages."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
import pandas as pd

from media_etl.ingest.fetch import Fetched, FetchError, Validators, fetch
from media_etl.ingest.html import read_html
from media_etl.ingest.router import DEFAULT_LIMITS, Limits, route_bytes
from media_etl.records import Rejection, SourceItem

Fetcher = Callable[..., Fetched]


@dataclass
class Collected:
    """What fetching some URLs produced: items, rejections, and one fetch-log row per request."""

    items: list[SourceItem] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    fetches: list[dict[str, object]] = field(default_factory=list)


def fetch_log_row(url: str, now: datetime, got: Fetched | None, error: FetchError | None) -> dict[str, object]:
    """One ``fetch_log`` row: what fetching ``url`` at ``now`` gave, or the error it ended with."""
    return {
        "url": url,
        "fetched_at": now,
        "status": got.status if got else error.status if error else None,
        "not_modified": bool(got and got.not_modified),
        "etag": got.validators.etag if got else None,
        "last_modified": got.validators.last_modified if got else None,
        "raw_path": str(got.raw_path) if got and got.raw_path else None,
        "attempts": got.attempts if got else error.attempts if error else 0,
        "error": str(error) if error else None,
    }


def failed_fetch(url: str, now: datetime, error: FetchError) -> Collected:
    """Record a fetch that failed for good: one fetch-log row and one ``read`` rejection.

    Args:
        url: The URL.
        now: When the run fetched it, UTC.
        error: Why it failed.

    Returns:
        The log row and the rejection (reason ``fetch_<reason>``), no items.
    """
    code = "fetch_" + "".join(c if c.isalnum() else "_" for c in error.reason_code.lower())
    return Collected(
        rejections=[Rejection(url, "read", code, str(error))], fetches=[fetch_log_row(url, now, None, error)]
    )


def _fetch_logged(
    fetcher: Fetcher, client: httpx.Client, url: str, out: Collected, *, raise_transient: bool = False, **kwargs: object
) -> Fetched | None:
    now = kwargs["now"]
    assert isinstance(now, datetime)
    try:
        got = fetcher(client, url, **kwargs)
    except FetchError as exc:
        if raise_transient and not exc.permanent:
            raise
        failed = failed_fetch(url, now, exc)
        out.fetches.extend(failed.fetches)
        out.rejections.extend(failed.rejections)
        return None
    out.fetches.append(fetch_log_row(url, now, got, None))
    return got


def collect_url(
    client: httpx.Client,
    url: str,
    *,
    validators: Validators | None,
    raw_root: Path,
    now: datetime,
    follow_links: bool = False,
    known_items: frozenset[str] = frozenset(),
    limits: Limits = DEFAULT_LIMITS,
    fetcher: Fetcher = fetch,
    retries: int | None = None,
) -> Collected:
    """Fetch a URL (conditionally) and read what it serves: a feed's items or a page.

    Args:
        client: HTTP client from ``media_etl.ingest.fetch.make_client``.
        url: A feed or article URL.
        validators: ETag/Last-Modified from the last fetch of ``url``, if any.
        raw_root: Where raw responses are kept (``<warehouse>/raw``).
        now: The current time, UTC.
        follow_links: For feeds, also fetch each item's link and take the page's main
            text as the body (the feed's headline and date are kept).
        known_items: Item keys of ``url`` already stored; with ``follow_links`` they are
            skipped, so a page is fetched once, not at every change of the feed.
        limits: Size limits for reading.
        fetcher: The fetch function (replaceable in tests).
        retries: None retries transient failures of ``url`` inside the fetch and then
            quarantines them; a number makes that many attempts after the first and then
            raises the transient ``FetchError``, so that the caller (a Prefect task with
            retries) can try again later. Permanent failures are never retried.

    Returns:
        The items, rejections (a failed fetch is a ``read`` rejection, reason
        ``fetch_<reason>``) and fetch-log rows. A 304 yields no items.

    Raises:
        FetchError: A transient failure of ``url`` itself, when ``retries`` is given.
    """
    out = Collected()
    options: dict[str, object] = {} if retries is None else {"retries": retries}
    got = _fetch_logged(
        fetcher,
        client,
        url,
        out,
        raise_transient=retries is not None,
        validators=validators,
        raw_root=raw_root,
        now=now,
        **options,
    )
    if got is None or got.not_modified or got.body is None:
        return out
    items, rejections = route_bytes(got.body, url, limits)
    out.rejections.extend(rejections)
    for item in items:
        if follow_links and item.source_kind == "feed" and item.url:
            if item.item_key in known_items:
                continue
            item = _with_page_text(item, fetcher, client, out, raw_root=raw_root, now=now)
        out.items.append(item)
    return out


def _with_page_text(
    item: SourceItem, fetcher: Fetcher, client: httpx.Client, out: Collected, *, raw_root: Path, now: datetime
) -> SourceItem:
    """Replace a feed item's summary with the main text of the page it links to, when that works."""
    assert item.url is not None
    page = _fetch_logged(fetcher, client, item.url, out, validators=None, raw_root=raw_root, now=now)
    if page is None or page.body is None:
        return item
    found = read_html(page.body, item.url)
    if isinstance(found, Rejection):
        out.rejections.append(found)
        return item
    return with_page(item, found)


def with_page(item: SourceItem, page: SourceItem) -> SourceItem:
    """A feed item with the main text of the page it links to (the feed's headline and date are kept).

    Args:
        item: The feed item.
        page: What ``read_html`` read from the page at the item's link.

    Returns:
        The item with the page's text, and the page's date and authors where the feed gave none, and
        the page's site name where it has one.
    """
    return dataclasses.replace(
        item,
        text=page.text,
        published=item.published or page.published,
        published_precision=item.published_precision if item.published else page.published_precision,
        date_source=item.date_source if item.published else page.date_source,
        authors=item.authors or page.authors,
        site_name=page.site_name or item.site_name,
    )


def latest_validators(fetch_log: pd.DataFrame) -> dict[str, Validators]:
    """Return, per URL, the ETag and Last-Modified of its latest fetch that gave any.

    Args:
        fetch_log: Rows of the ``fetch_log`` table (url, fetched_at, etag, last_modified).

    Returns:
        The validators to send with the next fetch of each URL.
    """
    usable = fetch_log[fetch_log["etag"].notna() | fetch_log["last_modified"].notna()]
    latest = usable.sort_values("fetched_at").groupby("url").tail(1)
    return {
        row.url: Validators(
            etag=None if pd.isna(row.etag) else row.etag,
            last_modified=None if pd.isna(row.last_modified) else row.last_modified,
        )
        for row in latest.itertuples()
    }
