"""Compare media-etl's feed reader with rss-parser's recorded output on rss-parser's own test feeds.

../shared/corpora/feeds/rss-parser/test/input holds RSS and Atom feeds and test/output/<name>.json
that library's parse of each (``{"feed": {"items": [{"title", "link", ...}]}}``). For every feed
with an expected output this script compares the number of items, the titles and the links,
item by item in feed order. Run from the repo root:

    .venv/bin/python benchmarks/eval_feeds.py

Both sides are normalised the same way before comparing: HTML entities decoded, Unicode in NFC,
whitespace collapsed. Nothing else is forgiven: a title that still differs is a disagreement,
and its reason says whether it is a known rss-parser quirk (it keeps markup in titles; it reads
an ISO-8859-1 feed without encoding declaration as UTF-8, leaving U+FFFD) or unexplained.

rss-parser keeps entries without title or text, which ``read_feed`` skips by design; those count
as disagreements too (with the reason), so the figures are a floor on real agreement.
"""

from __future__ import annotations

import html
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from media_etl.ingest.feeds import html_to_text, read_feed
from media_etl.records import Rejection

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "feeds" / "rss-parser" / "test"

_MARKUP = re.compile(r"</?[a-zA-Z][^<>]*>")
_REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class FeedResult:
    """How one feed's items compare with rss-parser's."""

    name: str
    expected_items: int
    our_items: int
    items_compared: int
    """Positions in the longer of the two item lists."""
    titles_agreeing: int
    links_agreeing: int
    reasons: list[str] = field(default_factory=list)
    unexplained: int = 0
    """Disagreements that no known rss-parser quirk or deliberate choice of ours explains."""
    rejection: str | None = None

    @property
    def count_agrees(self) -> bool:
        return self.expected_items == self.our_items

    @property
    def titles_agree(self) -> bool:
        return self.titles_agreeing == self.items_compared

    @property
    def links_agree(self) -> bool:
        return self.links_agreeing == self.items_compared

    @property
    def agrees(self) -> bool:
        return self.count_agrees and self.titles_agree and self.links_agree


@dataclass(frozen=True)
class FeedScore:
    """Agreement over all feeds: shares of feeds, and shares of items."""

    feeds: list[FeedResult]

    @property
    def n(self) -> int:
        return len(self.feeds)

    def _feed_share(self, attribute: str) -> float:
        return sum(1 for feed in self.feeds if getattr(feed, attribute)) / self.n if self.n else 0.0

    @property
    def count_agree(self) -> float:
        return self._feed_share("count_agrees")

    @property
    def title_agree(self) -> float:
        return self._feed_share("titles_agree")

    @property
    def link_agree(self) -> float:
        return self._feed_share("links_agree")

    @property
    def item_title_agree(self) -> float:
        compared = sum(feed.items_compared for feed in self.feeds)
        return sum(feed.titles_agreeing for feed in self.feeds) / compared if compared else 0.0

    @property
    def item_link_agree(self) -> float:
        compared = sum(feed.items_compared for feed in self.feeds)
        return sum(feed.links_agreeing for feed in self.feeds) / compared if compared else 0.0

    @property
    def unexplained(self) -> int:
        return sum(feed.unexplained for feed in self.feeds)

    def summary(self) -> str:
        """The machine-readable result line."""
        return (
            f"feeds: n={self.n} count_agree={self.count_agree:.3f} title_agree={self.title_agree:.3f} "
            f"link_agree={self.link_agree:.3f} item_title_agree={self.item_title_agree:.3f} "
            f"item_link_agree={self.item_link_agree:.3f} unexplained={self.unexplained}"
        )


def normalise(value: object) -> str:
    """Put a title or link into the form both sides are compared in.

    Args:
        value: A string from either parser, or None/absent.

    Returns:
        The value with HTML entities decoded, in NFC, whitespace collapsed; "" for no value.
    """
    if not isinstance(value, str):
        return ""
    return " ".join(unicodedata.normalize("NFC", html.unescape(value)).split())


def load_expected(path: Path) -> list[dict[str, object]]:
    """Read rss-parser's recorded items; one output file is Latin-1, not UTF-8.

    Args:
        path: A ``test/output/<name>.json`` file.

    Returns:
        The recorded items in feed order.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    items = json.loads(text).get("feed", {}).get("items", [])
    return [item for item in items if isinstance(item, dict)]


def title_quirk(theirs: str, ours: str) -> str:
    """Name the rss-parser quirk that explains a title difference.

    Args:
        theirs: rss-parser's title, normalised.
        ours: ``read_feed``'s headline, normalised.

    Returns:
        A short reason, or "" when no known quirk explains the difference.
    """
    if _MARKUP.search(theirs) and normalise(" ".join(html_to_text(theirs).split())) == ours:
        return "rss-parser quirk: keeps markup in the title"
    if _REPLACEMENT in theirs and _matches_with_replacements(theirs, ours):
        return "rss-parser quirk: decoded ISO-8859-1 as UTF-8 (U+FFFD where ours has the letter)"
    return ""


def _matches_with_replacements(theirs: str, ours: str) -> bool:
    """True when the strings are equal except that U+FFFD in ``theirs`` stands for one non-ASCII character.

    A Latin-1 no-break space is a space on our side once whitespace is normalised.
    """
    pattern = "".join("(?:[^\\x00-\\x7f]| )" if ch == _REPLACEMENT else re.escape(ch) for ch in theirs)
    return re.fullmatch(pattern, ours) is not None


def compare_feed(feed_path: Path, expected_path: Path) -> FeedResult:
    """Compare ``read_feed`` on one feed with rss-parser's recorded items.

    Args:
        feed_path: The input feed.
        expected_path: rss-parser's output for it.

    Returns:
        The counts of agreeing titles and links and a reason for every disagreement.
    """
    expected = load_expected(expected_path)
    found = read_feed(feed_path.read_bytes(), str(feed_path))
    rejection = f"{found.reason_code}: {found.detail}" if isinstance(found, Rejection) else None
    ours = [] if isinstance(found, Rejection) else found
    reasons: list[str] = []
    unexplained = 0
    if len(expected) != len(ours):
        reason = f"count differs: rss-parser {len(expected)} vs ours {len(ours)}"
        empty = sum(1 for item in expected if not normalise(item.get("title")) and not _has_text(item))
        if empty and len(expected) - empty == len(ours):
            plural = "entry" if empty == 1 else "entries"
            reason += f" [by design: rss-parser keeps {empty} {plural} without title or text, read_feed skips them]"
        else:
            unexplained += 1
            reason += f" [unexplained{'; we rejected the feed: ' + rejection if rejection else ''}]"
        reasons.append(reason)
    compared = max(len(expected), len(ours))
    titles = links = 0
    for index in range(compared):
        theirs = expected[index] if index < len(expected) else {}
        mine = ours[index] if index < len(ours) else None
        if mine is None or index >= len(expected):
            continue  # Already reported as a count difference.
        their_title, our_title = normalise(theirs.get("title")), normalise(mine.headline)
        if their_title == our_title:
            titles += 1
        else:
            quirk = title_quirk(their_title, our_title)
            if not quirk:
                quirk = "unexplained"
                unexplained += 1
            reasons.append(f"title {index + 1} differs: {their_title!r} vs {our_title!r} [{quirk}]")
        their_link, our_link = normalise(theirs.get("link")), normalise(mine.url)
        if their_link == our_link:
            links += 1
        else:
            unexplained += 1
            reasons.append(f"link {index + 1} differs: {their_link!r} vs {our_link!r} [unexplained]")
    return FeedResult(
        feed_path.name, len(expected), len(ours), compared, titles, links, reasons, unexplained, rejection
    )


def _has_text(item: dict[str, object]) -> bool:
    return any(normalise(item.get(key)) for key in ("content", "content:encoded", "summary", "contentSnippet"))


def score(corpus: Path = CORPUS) -> FeedScore:
    """Compare every feed of the corpus that has a recorded output.

    Args:
        corpus: rss-parser's ``test`` folder with ``input`` and ``output``.

    Returns:
        The per-feed results, in file-name order.
    """
    results = []
    for feed_path in sorted((corpus / "input").iterdir()):
        expected_path = corpus / "output" / f"{feed_path.stem}.json"
        if feed_path.is_file() and expected_path.is_file():
            results.append(compare_feed(feed_path, expected_path))
    return FeedScore(results)


def main() -> None:
    """Print one line per feed, the reason for every disagreement, and the result line."""
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found: {CORPUS}")
    result = score()
    for feed in result.feeds:
        verdict = "agree" if feed.agrees else "disagree"
        print(f"{feed.name}: {verdict} (items: rss-parser {feed.expected_items}, ours {feed.our_items})")
        for reason in feed.reasons:
            print(f"    {reason}")
    print(result.summary())


if __name__ == "__main__":
    main()
