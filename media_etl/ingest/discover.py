"""Find an outlet's feeds and sitemaps from its home page, through the run's own fetch layer.

trafilatura does the finding (``trafilatura.feeds.determine_feed`` reads the home page's
``<link rel="alternate">`` feed links, or failing those its ``<a>`` links that look like feeds;
``trafilatura.sitemaps.extract_robots_sitemaps`` reads ``Sitemap:`` lines of robots.txt), but
every request goes through ``media_etl.ingest.fetch.fetch``: its timeouts, size cap and retries,
with each body kept under the raw folder and one fetch-log row per request. trafilatura's own
downloader is never used, and nothing is asked of third parties (trafilatura's Google News probe
is not called).

Requests stay on the home page's site: the home page, its robots.txt, the sitemaps robots.txt
names (or, when it names none, the usual sitemap addresses, tried until one answers) and the
sitemaps a sitemap index names. A feed or sitemap on another host is reported, not fetched.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import yaml
from lxml import etree
from trafilatura.feeds import FeedParameters, determine_feed
from trafilatura.sitemaps import extract_robots_sitemaps
from trafilatura.utils import load_html

from media_etl.ingest.feeds import sniff_feed
from media_etl.ingest.fetch import Fetched, FetchError, fetch
from media_etl.ingest.files import decode_bytes
from media_etl.ingest.html import decode_html
from media_etl.ingest.page_dates import country_zones, page_country
from media_etl.ingest.remote import Collected, failed_fetch, fetch_log_row
from media_etl.ingest.router import route_bytes
from media_etl.ingest.site_names import page_site_name

Fetcher = Callable[..., Fetched]

SITEMAP_GUESSES = ("sitemap.xml", "sitemap_index.xml", "sitemap_news.xml", "sitemap.xml.gz")
"""Sitemap addresses tried, in order, when robots.txt names none (trafilatura's usual guesses)."""
DEFAULT_MAX_SITEMAPS = 10
"""Sitemaps read at most per site, index files included."""
DEFAULT_MAX_PAGES = 200
"""Page addresses kept at most from a site's sitemaps."""
_MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for one uncompressed sitemap
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass
class SiteSources:
    """What the home page of one site leads to: its feeds, its sitemaps and the pages they list."""

    home_url: str
    """The home page as given."""
    final_url: str | None = None
    """Where the home page answered from, after redirects (``http://x`` to ``https://www.x``, say)."""
    site_name: str | None = None
    """The name the home page gives its site (og:site_name, JSON-LD publisher, ...), never its title."""
    language: str | None = None
    """The home page's ``<html lang>``, as an ISO 639-1 code."""
    country: str | None = None
    """The country the page's language tag or country-code domain names, when one does."""
    feeds: list[str] = field(default_factory=list)
    """Feed URLs on the same site, in the order the page gives them."""
    offsite_feeds: list[str] = field(default_factory=list)
    """Feed URLs the page names on another host: reported, not fetched."""
    sitemaps: list[str] = field(default_factory=list)
    """Sitemaps that answered with a sitemap, index files included."""
    pages: list[str] = field(default_factory=list)
    """Page URLs the sitemaps list (at most ``max_pages``), on the same site."""
    collected: Collected = field(default_factory=Collected)
    """The fetch-log rows of every request made, and the rejection of a home page that failed."""

    @property
    def host(self) -> str:
        """The home page's host, without ``www.`` (where it answered from, after redirects)."""
        return _site_host(self.final_url or self.home_url)

    def on_site(self, url: str) -> bool:
        """Tell whether a URL is on the site: the host of the home page as given or as answered, or one under it."""
        return _same_site(url, self.home_url) or (self.final_url is not None and _same_site(url, self.final_url))


def discover_site(
    client: httpx.Client,
    url: str,
    *,
    raw_root: Path,
    now: datetime,
    sitemaps: bool = True,
    max_sitemaps: int = DEFAULT_MAX_SITEMAPS,
    max_pages: int = DEFAULT_MAX_PAGES,
    fetcher: Fetcher = fetch,
) -> SiteSources:
    """Fetch a home page and find the site's feeds and sitemaps.

    Args:
        client: HTTP client from ``media_etl.ingest.fetch.make_client``.
        url: The outlet's home page (any page of the site works; feeds are looked for on it),
            or a feed, which is then the one feed found.
        raw_root: Where raw responses are kept (``<warehouse>/raw``).
        now: The current time, UTC.
        sitemaps: Also look for sitemaps; False looks for them only when the page names no feed
            on its site (what a run needs: feeds, else the pages the sitemaps list).
        max_sitemaps: Sitemaps read at most, index files included.
        max_pages: Page URLs kept at most from the sitemaps.
        fetcher: The fetch function (replaceable in tests).

    Returns:
        The site's sources. A home page that cannot be fetched is a ``fetch_<reason>``
        rejection in ``collected``; a missing robots.txt or sitemap is only a fetch-log row.
    """
    found = SiteSources(home_url=url)
    home = _get(fetcher, client, url, found.collected, raw_root=raw_root, now=now, quarantine=True)
    if home is not None and home.body is not None:
        _read_home_page(home, found)
    if sitemaps or not found.feeds:
        _read_sitemaps(fetcher, client, found, raw_root=raw_root, now=now, limits=(max_sitemaps, max_pages))
    return found


def _get(
    fetcher: Fetcher,
    client: httpx.Client,
    url: str,
    out: Collected,
    *,
    raw_root: Path,
    now: datetime,
    quarantine: bool = False,
) -> Fetched | None:
    """Fetch once (never conditionally: discovery needs the body) and log it; a failure is None."""
    try:
        got = fetcher(client, url, validators=None, raw_root=raw_root, now=now)
    except FetchError as exc:
        failed = failed_fetch(url, now, exc)
        out.fetches.extend(failed.fetches)
        if quarantine:
            out.rejections.extend(failed.rejections)
        return None
    out.fetches.append(fetch_log_row(url, now, got, None))
    return got


def _read_home_page(home: Fetched, found: SiteSources) -> None:
    found.final_url = home.final_url
    if sniff_feed((home.body or b"")[:4096]):
        found.feeds.append(home.url)  # the address given is a feed itself
        return
    decoded = decode_html(home.body or b"")
    if decoded is None:
        return
    text = decoded[0]
    base = home.final_url
    params = FeedParameters(_origin(base), _site_host(base), base)
    for feed in determine_feed(text, params):
        (found.feeds if found.on_site(feed) else found.offsite_feeds).append(feed)
    tree = load_html(text)
    if tree is None:
        return
    found.site_name = page_site_name(tree)
    lang = (tree.getroottree().getroot().get("lang") or "").strip().lower()
    found.language = lang[:2] if len(lang) >= 2 and lang[:2].isalpha() else None
    found.country = page_country(tree, base)


def _read_sitemaps(
    fetcher: Fetcher,
    client: httpx.Client,
    found: SiteSources,
    *,
    raw_root: Path,
    now: datetime,
    limits: tuple[int, int],
) -> None:
    max_sitemaps, max_pages = limits
    origin = _origin(found.final_url or found.home_url)
    robots = _get(fetcher, client, f"{origin}/robots.txt", found.collected, raw_root=raw_root, now=now)
    robots_text = _text(robots)
    named = extract_robots_sitemaps(robots_text, origin) if robots_text is not None else []
    guessing = not named
    queue = named or [f"{origin}/{guess}" for guess in SITEMAP_GUESSES]
    seen: set[str] = set()
    while queue and len(seen) < max_sitemaps:
        sitemap_url = queue.pop(0)
        if sitemap_url in seen or not found.on_site(sitemap_url):
            continue
        seen.add(sitemap_url)
        got = _get(fetcher, client, sitemap_url, found.collected, raw_root=raw_root, now=now)
        listed = _sitemap_locations(got)
        if listed is None:
            continue
        found.sitemaps.append(sitemap_url)
        children, pages = listed
        queue.extend(u for u in children if u not in seen)
        for page in pages:
            if len(found.pages) < max_pages and found.on_site(page) and page not in found.pages:
                found.pages.append(page)
        if guessing and not children:
            break  # one guessed sitemap that answered is enough


def _text(got: Fetched | None) -> str | None:
    if got is None or got.body is None:
        return None
    decoded = decode_bytes(got.body)
    return decoded[0] if decoded is not None else None


def _sitemap_locations(got: Fetched | None) -> tuple[list[str], list[str]] | None:
    """The child sitemaps and the pages a sitemap lists; None when the body is no sitemap.

    XML sitemaps (``urlset`` and ``sitemapindex``, gzipped or not) and plain-text sitemaps (one
    URL a line) are read; entities are never resolved and nothing is fetched by the parser.
    """
    if got is None or got.body is None:
        return None
    body = got.body
    if body.startswith(b"\x1f\x8b"):
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(body, _MAX_SITEMAP_BYTES)
        except zlib.error:
            return None
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return None
    if head.startswith(b"<"):
        parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
        try:
            root = etree.fromstring(body, parser)
        except etree.XMLSyntaxError:
            return None
        if root is None or etree.QName(root).localname not in ("urlset", "sitemapindex"):
            return None
        locations = [
            (loc.text or "").strip()
            for loc in root.iter(f"{_SITEMAP_NS}loc", "loc")
            if (loc.text or "").strip().startswith(("http://", "https://"))
        ]
        base = got.final_url
        locations = [urljoin(base, loc) for loc in locations]
        if etree.QName(root).localname == "sitemapindex":
            return locations, []
        return [], locations
    text = _text(got) if body is got.body else body.decode("utf-8", errors="replace")
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines or not all(line.startswith(("http://", "https://")) and " " not in line for line in lines):
        return None
    return [], lines


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _site_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _same_site(url: str, home_url: str) -> bool:
    """True when ``url`` is on the home page's host, or on a host under or above it (``en.`` and ``www.``)."""
    host, home = _site_host(url), _site_host(home_url)
    if not host or not home:
        return False
    return host == home or host.endswith("." + home) or home.endswith("." + host)


def registry_snippet(found: SiteSources) -> str:
    """Write a ``sources.yaml`` entry for a discovered site, ready to paste under ``outlets:``.

    Fields the site does not state are written as comments naming what to fill in, so that
    ``media-etl sources check`` reports them until they are.

    Args:
        found: What discovery found.

    Returns:
        The YAML text of one list item, indented as in ``sources.yaml``.
    """
    name = found.site_name or found.host
    zones = country_zones(found.country) if found.country else ()
    lines = [f"  - name: {_yaml_scalar(name)}"]
    if found.country:
        lines.append(f"    country: {found.country}")
    else:
        lines.append("    country: ''  # fill in: ISO 3166-1 alpha-2 code of the outlet's home country")
    if found.language:
        lines.append(f"    language: {found.language}")
    if len(zones) == 1:
        lines.append(f"    timezone: {zones[0]}")
    elif zones:
        lines.append(f"    timezone: {zones[0]}  # one of {', '.join(zones)}: the outlet's own")
    else:
        lines.append("    timezone: ''  # fill in: the IANA zone the outlet prints times in, e.g. Europe/Istanbul")
    lines.append(f"    domains: [{found.host}]")
    if found.feeds:
        lines.append("    feeds:")
        lines.extend(f"      - {_yaml_scalar(feed)}" for feed in found.feeds)
    return "\n".join(lines) + "\n"


def _yaml_scalar(value: str) -> str:
    """A YAML plain scalar when the value is safe as one, else a quoted string."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return dumped.removesuffix("\n...\n").strip()


@dataclass(frozen=True)
class FeedCheck:
    """What a discovered feed URL serves: how many items, or why it is no usable feed."""

    url: str
    items: int
    problem: str | None = None


def check_feeds(
    client: httpx.Client, urls: list[str], *, raw_root: Path, now: datetime, fetcher: Fetcher = fetch
) -> list[FeedCheck]:
    """Fetch each feed once and read it with the run's own readers, to show what it holds.

    Args:
        client: HTTP client from ``media_etl.ingest.fetch.make_client``.
        urls: Feed URLs (on the site being discovered).
        raw_root: Where raw responses are kept.
        now: The current time, UTC.
        fetcher: The fetch function (replaceable in tests).

    Returns:
        One check per URL, in order.
    """
    checks = []
    for url in urls:
        try:
            got = fetcher(client, url, validators=None, raw_root=raw_root, now=now)
        except FetchError as exc:
            checks.append(FeedCheck(url, 0, f"fetch failed: {exc.reason_code}"))
            continue
        items, rejections = route_bytes(got.body or b"", url)
        entries = [item for item in items if item.source_kind == "feed"]
        if entries or not (items or rejections):
            checks.append(FeedCheck(url, len(entries), None if entries else "a feed without items"))
        elif rejections:
            checks.append(FeedCheck(url, 0, f"{rejections[0].reason_code}: {rejections[0].detail}"))
        else:
            checks.append(FeedCheck(url, 0, f"not a feed: read as {items[0].source_kind}"))
    return checks
