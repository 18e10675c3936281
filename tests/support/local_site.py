"""A small news site served from memory by a threaded local HTTP server, for discovery and URL-list tests.

The home page names its RSS feed with ``<link rel="alternate">`` (and a second feed on another
host, which must never be fetched); robots.txt names the sitemap; the sitemap and the feed list
the two article pages. The feed's title and the home page's ``<title>`` are section trails
("Autoracing | F1 | Indy | MotoGP | StockCar"); the site's own name is only in og:site_name.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SITE_NAME = "Pit Lane Weekly"
SECTION_TITLE = "Autoracing | F1 | Indy | MotoGP | StockCar"
OFFSITE_FEED = "http://feeds.offsite.invalid/pitlane.xml"

_ARTICLES = {
    "/news/rain-delays-the-grand-prix.html": (
        "Rain delays the grand prix in Baku",
        "2026-06-07T10:15:00+04:00",
        [
            "Heavy rain delayed the start of the grand prix in Baku by more than an hour on Sunday.",
            "Race control said the track had standing water in three corners and sent the field out "
            "behind the safety car once the rain eased.",
            "The organisers said tickets stay valid and the fan zone stays open until the evening.",
        ],
    ),
    "/news/new-team-joins-the-series.html": (
        "A new team joins the series next season",
        "2026-06-08T09:00:00+04:00",
        [
            "A new team will join the series next season, the championship announced on Monday.",
            "The team will run two cars and has signed a test driver from the junior category.",
            "Its first car is to be shown in February, a month before the opening race.",
        ],
    ),
}


def _page(path: str) -> bytes:
    headline, published, paragraphs = _ARTICLES[path]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{headline} | {SECTION_TITLE}</title>"
        f"<meta property='og:site_name' content='{SITE_NAME}'>"
        f"<meta property='og:title' content='{headline}'>"
        f"<meta property='article:published_time' content='{published}'>"
        f"</head><body><nav><a href='/'>{SECTION_TITLE}</a></nav><article><h1>{headline}</h1>{body}</article>"
        "<footer>Contact us</footer></body></html>"
    ).encode()


@dataclass
class LocalSite:
    """The server's base URL, the requests it answered, and its content by path."""

    base: str
    requested: list[str] = field(default_factory=list)
    content: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    @property
    def home(self) -> str:
        return self.base + "/"

    @property
    def articles(self) -> list[str]:
        return [self.base + path for path in _ARTICLES]

    def fill(self) -> None:
        base = self.base
        self.content["/"] = (
            "text/html; charset=utf-8",
            (
                "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
                f"<title>{SECTION_TITLE}</title>"
                f"<meta property='og:site_name' content='{SITE_NAME}'>"
                "<link rel='alternate' type='application/rss+xml' title='News' href='/rss.xml'>"
                f"<link rel='alternate' type='application/rss+xml' title='Partner' href='{OFFSITE_FEED}'>"
                "</head><body><h1>Latest</h1>"
                + "".join(f"<a href='{path}'>{a[0]}</a>" for path, a in _ARTICLES.items())
                + "</body></html>"
            ).encode(),
        )
        self.content["/no-feed.html"] = (
            "text/html; charset=utf-8",
            (
                "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
                f"<title>{SECTION_TITLE}</title><meta property='og:site_name' content='{SITE_NAME}'>"
                "</head><body><p>No feed named here.</p></body></html>"
            ).encode(),
        )
        self.content["/robots.txt"] = ("text/plain", f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode())
        urls = "".join(f"<url><loc>{base}{path}</loc></url>" for path in _ARTICLES)
        self.content["/sitemap.xml"] = (
            "application/xml",
            (
                "<?xml version='1.0' encoding='UTF-8'?>"
                f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>"
            ).encode(),
        )
        items = "".join(
            f"<item><title>{a[0]}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
            f"<description>{a[2][0]}</description><pubDate>{_rfc822(a[1])}</pubDate></item>"
            for path, a in _ARTICLES.items()
        )
        self.content["/rss.xml"] = (
            "application/rss+xml",
            (
                "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
                f"<title>{SECTION_TITLE}</title><link>{base}/</link><description>News</description>"
                f"{items}</channel></rss>"
            ).encode(),
        )
        for path in _ARTICLES:
            self.content[path] = ("text/html; charset=utf-8", _page(path))


def _rfc822(iso: str) -> str:
    from datetime import datetime
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(iso))


@contextmanager
def serve_site(port: int = 0) -> Iterator[LocalSite]:
    """Serve the site on 127.0.0.1 (at a free port unless one is given), in a thread, until the block ends."""
    site = LocalSite(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requested.append(self.path)
            found = site.content.get(self.path.split("?", 1)[0])
            if found is None:
                self.send_error(404)
                return
            content_type, body = found
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    site.fill()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


if __name__ == "__main__":  # serve the site for a manual try: python -m tests.support.local_site [PORT]
    import sys
    import time

    with serve_site(int(sys.argv[1]) if len(sys.argv) > 1 else 0) as served:
        print(served.home, flush=True)
        while True:
            time.sleep(3600)
