"""Read RSS 0.9x/1.0/2.0, Atom and JSON Feed documents into one source item per entry.

feedparser reads the XML formats; JSON Feed is read here as JSON. Dates are parsed from
the raw strings the feed gave (feedparser's own parse converts to UTC and assumes UTC
when the zone is missing, which would invent a zone). HTML bodies become plain text with
lxml, one paragraph per line.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any

import feedparser
from feedparser.encodings import convert_to_utf8
from lxml import etree

from media_etl.clean.text import fold_key
from media_etl.ingest.files import decode_bytes
from media_etl.ingest.html import looks_like_html
from media_etl.parse.months import month_table
from media_etl.records import Rejection, SourceItem

_UTF8_BOM = b"\xef\xbb\xbf"
_HTML_SNIFF_BYTES = 4096
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_JSON_FEED_VERSION = re.compile(r'"version"\s*:\s*"https?:(?:\\?/){2}jsonfeed\.org(?:\\?/)')
_JSON_FEED_PREFIXES = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")

# The prolog of an XML document: declaration, processing instructions, comments, DOCTYPE. The
# quantifiers are possessive and the alternatives never overlap, so text such as "<!DOCTYPE [][][]…"
# without a closing ">" fails in linear time (a lazy ".*?" here backtracked exponentially).
_PROLOG_PART = re.compile(
    r"\s*+(?:<\?(?:[^?]++|\?(?!>))*+\?>|<!--(?:[^-]++|-(?!->))*+-->"
    r"|<!DOCTYPE(?:[^\[>\"']++|\"[^\"]*+\"|'[^']*+')*+"
    r"(?:\[(?:[^\]\"'<]++|\"[^\"]*+\"|'[^']*+'|<!--(?:[^-]++|-(?!->))*+(?:-->)?|<)*+\])?\s*+>)",
    re.IGNORECASE,
)
_ROOT_TAG = re.compile(r"<(?:[\w.-]+:)?(rss|feed|RDF)[\s/>]")

# The internal DTD subset, where entities are declared, read the way expat reads it: quoted
# literals and comments may hold "<", ">" and "]". Every quantifier is possessive, so a hostile
# prolog is scanned once, in linear time. feedparser's own clean-up finds the subset by the first
# "<" and a letter, which markup inside an entity value defeats, so it cannot be relied on.
_COMMENT = rb"<!--(?:[^-]++|-(?!->))*+(?:-->)?"
_PI = rb"<\?(?:[^?]++|\?(?!>))*+(?:\?>)?"
_LITERAL = rb"\"[^\"]*+\"|'[^']*+'"
_PROLOG_MISC = re.compile(rb"(?:[ \t\r\n]++|" + _COMMENT + rb"|" + _PI + rb")*+")
_DOCTYPE = re.compile(
    rb"(?P<open><!DOCTYPE(?:[^\[>\"']++|" + _LITERAL + rb")*+)"
    rb"\[(?P<subset>(?:[^\]\"'<]++|" + _LITERAL + rb"|" + _COMMENT + rb"|" + _PI + rb"|<)*+)\]\s*+>"
)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY(?:[^>\"']++|" + _LITERAL + rb")*+>")
# The same, as feedparser finds them for its loose parser: up to the first ">", before the first "<" and a letter.
_LOOSE_ENTITY_DECLARATION = re.compile(rb"<!ENTITY[^>]*+>")
_FIRST_ELEMENT = re.compile(rb"<\w")
# What feedparser itself deems safe: a general entity whose value is one character reference or
# text without "&" (no nesting: no billion laughs); and here also short, without markup ("<", ">",
# which feedparser's own clean-up misreads) and without parameter-entity references.
_SAFE_ENTITY = re.compile(rb'<!ENTITY\s+(?P<name>\w+)\s+"(?P<value>&#\w+;|[^&"<>%]*)"\s*>')
_ENTITY_REFERENCE = re.compile(rb"&(\w+);")
_MAX_ENTITY_DECLARATION = 64
# Characters all entity references together may expand to; beyond it (or beyond the input's own
# size) no declared entity is kept, so a short value referenced a million times cannot blow up.
_MIN_ENTITY_BUDGET = 1_000_000

# Bozo exceptions that do not mean the document is damaged: a declared encoding that was
# wrong, and the missing Content-Type that comes with passing a URL as content-location.
_HARMLESS_BOZO = ("CharacterEncodingOverride", "NonXMLContentType")

# fmt: off
_DROPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "base", "img", "picture",
    "source", "track", "svg", "math", "video", "audio", "iframe", "frame", "frameset", "object", "embed",
    "canvas", "map", "area", "input", "button", "select", "option", "textarea",
})
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
})
# fmt: on
_CELL_TAGS = frozenset({"td", "th"})
_PARAGRAPH_BREAK = object()
_LINE_BREAK = object()

# Zone names email.utils resolves; any other trailing name would be read as local time.
_RFC822_ZONE_NAMES = frozenset(
    {"UT", "UTC", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AST", "ADT"}
)
_NUMERIC_ZONE = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
_ISO_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIMESTAMP = re.compile(r"^\d{4}-?\d{2}-?\d{2}[T ]\d{2}:?(\d{2})(:?\d{2})?")
_ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Feeds in these languages sometimes localise RFC 822 month names ("24 Set 2018").
_DATE_LOCALES = ("en", "pt", "es", "fr", "de", "it", "nl", "tr")
_EMAIL = re.compile(r"\(?[^\s()]+@[^\s()]+\)?")
_ANGLE_BRACKETED = re.compile(r"<[^<>]*>")

_Reject = Callable[[str, str], Rejection]


def sniff_feed(head: bytes) -> bool:
    """Tell whether the first bytes of an input look like an RSS, Atom, RDF or JSON feed.

    Args:
        head: The first few KB of the input.

    Returns:
        True when the root element is ``rss``, ``feed`` or ``rdf:RDF`` (after an optional
        BOM, whitespace, XML declaration, comments and DOCTYPE), or when the input is a
        JSON object naming a ``jsonfeed.org`` version.
    """
    if head.startswith(_UTF16_BOMS):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="replace")
    text = text.lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return _JSON_FEED_VERSION.search(text) is not None
    position = 0
    while match := _PROLOG_PART.match(text, position):
        position = match.end()
    return _ROOT_TAG.match(text[position:].lstrip()) is not None


def read_feed(data: bytes, source_uri: str) -> list[SourceItem] | Rejection:
    """Read every entry of an RSS, Atom or JSON Feed document as a source item.

    Args:
        data: The whole feed as bytes, in whatever encoding it declares.
        source_uri: Where the feed came from; an http(s) URL also resolves relative links.

    Returns:
        One item per entry that has a title or text, in feed order, or a ``parse``
        rejection (``empty``, ``not_a_feed``, ``malformed_feed``, ``feed_without_items``)
        when nothing usable comes out; an HTML page is ``not_a_feed``, its detail saying so.
        Never raises on bad input. Entity declarations are defused (see ``_defuse_entities``):
        nothing is read from outside the document and no entity bomb expands.
    """
    content_hash = hashlib.sha256(data).hexdigest()

    def reject(code: str, detail: str) -> Rejection:
        return Rejection(source_uri, "parse", code, detail, content_hash=content_hash)

    body = _strip_leading_whitespace(data)
    if not body.strip() or body == _UTF8_BOM:
        return reject("empty", "input is empty or whitespace only")
    if body.removeprefix(_UTF8_BOM).startswith(b"{"):
        return _read_json_feed(body, source_uri, content_hash, reject)
    return _read_xml_feed(body, source_uri, content_hash, reject)


def _strip_leading_whitespace(data: bytes) -> bytes:
    """Drop whitespace before ``<?xml`` (feedparser rejects it), keeping a UTF-8 BOM."""
    if data.startswith(_UTF16_BOMS):
        return data
    if data.startswith(_UTF8_BOM):
        return _UTF8_BOM + data[len(_UTF8_BOM) :].lstrip()
    return data.lstrip()


def _defuse_entities(data: bytes) -> bytes:
    """Keep only short, flat entity declarations, within a budget, where any parser could read them.

    Args:
        data: The feed in UTF-8, after feedparser's own encoding conversion (or as it came,
            when no encoding fits: feedparser then parses it loosely).

    Returns:
        The document with its internal DTD subset rebuilt from the declarations that are kept,
        dropping external (``SYSTEM``/``PUBLIC``) and parameter entities, entities that nest
        others or hold markup, long ones, and all of them when their references would expand
        beyond the budget. When expat cannot read the subset (it then stops before any
        content), the same declarations are dropped from the part before the first element,
        where feedparser's loose parser looks for them. A reference to a dropped entity stays
        text: nothing is read from outside and nothing expands.
    """
    begin = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    misc = _PROLOG_MISC.match(data, begin)
    start = misc.end() if misc else begin
    doctype = _DOCTYPE.match(data, start)
    first = _FIRST_ELEMENT.search(data, doctype.end() if doctype else start)
    prolog_end = first.start() if first else len(data)
    if doctype:
        declarations = _ENTITY_DECLARATION.findall(doctype.group("subset"))
    else:
        declarations = _LOOSE_ENTITY_DECLARATION.findall(data, start, prolog_end)
    safe = [
        declaration
        for declaration in declarations
        if len(declaration) <= _MAX_ENTITY_DECLARATION and _SAFE_ENTITY.fullmatch(declaration)
    ]
    rest = data[prolog_end:]
    if safe:
        sizes = {found.group("name"): len(found.group("value")) for found in map(_SAFE_ENTITY.fullmatch, safe) if found}
        references = Counter(name for name in _ENTITY_REFERENCE.findall(rest) if name in sizes)
        if sum(sizes[name] * count for name, count in references.items()) > max(_MIN_ENTITY_BUDGET, len(data)):
            safe = []
    if doctype is None:
        kept = set(safe)
        prolog = _LOOSE_ENTITY_DECLARATION.sub(lambda m: m.group(0) if m.group(0) in kept else b"", data[:prolog_end])
        return prolog + rest
    # Declarations between the DOCTYPE and the first element are misplaced; none of them is kept.
    between = _LOOSE_ENTITY_DECLARATION.sub(b"", data[doctype.end() : prolog_end])
    subset = b"".join(b"\n" + declaration for declaration in safe)
    return data[:start] + doctype.group("open") + b"[" + subset + b"\n]>" + between + rest


@dataclass(frozen=True)
class _Feed:
    """What every item of one feed shares."""

    source_uri: str
    content_hash: str
    encoding: str
    site_name: str | None
    language: str | None
    authors: tuple[str, ...]

    def item(
        self,
        position: int,
        *,
        guid: str | None,
        url: str | None,
        headline: str | None,
        text: str,
        dates: tuple[object, ...],
        authors: tuple[str, ...],
        language: str | None,
    ) -> SourceItem:
        published, precision = _first_date(*dates)
        return SourceItem(
            source_uri=self.source_uri,
            item_key=guid or url or f"#{position}",
            source_kind="feed",
            content_hash=self.content_hash,
            encoding=self.encoding,
            text=text,
            headline=headline,
            published=published,
            published_precision=precision,
            date_source="feed" if published is not None else None,
            url=url,
            guid=guid,
            authors=authors or self.authors,
            site_name=self.site_name,
            language=language or self.language,
        )


def _read_xml_feed(body: bytes, source_uri: str, content_hash: str, reject: _Reject) -> list[SourceItem] | Rejection:
    headers = {"content-location": source_uri} if source_uri.startswith(("http://", "https://")) else {}
    try:
        # feedparser converts any encoding to UTF-8 before it parses; the DTD is defused after that
        # step, where it reads as expat will read it (UTF-16 or UTF-7 hide "<!ENTITY" from a byte scan).
        conversion: dict[str, Any] = {}
        converted = convert_to_utf8(dict(headers), body, conversion)
        encoding = conversion.get("encoding")
        # Without a known encoding feedparser parses the raw bytes loosely (with its own "safe" entities).
        data = _defuse_entities(converted if encoding else body)
        # A BytesIO, never raw bytes: feedparser would open bytes naming a file path.
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:  # feedparser is not expected to raise; bad input must not crash a run
        return reject("malformed_feed", f"feedparser failed: {type(exc).__name__}: {exc}")
    bozo = _bozo_detail(parsed)
    version = parsed.get("version") or ""
    if not version:
        detail = "no RSS, Atom or RDF root element"
        if looks_like_html(body[:_HTML_SNIFF_BYTES]):
            detail = f"an HTML page, not a feed: {detail}"
        return reject("not_a_feed", f"{detail} ({bozo})" if bozo else detail)
    channel = parsed.get("feed", {})
    feed = _Feed(
        source_uri=source_uri,
        content_hash=content_hash,
        encoding=str(encoding or parsed.get("encoding") or "utf-8"),
        site_name=_text_field(channel.get("title"), channel.get("title_detail")) or None,
        language=_language(channel.get("language")),
        # Atom entries without an author inherit the feed's; RSS has no such rule.
        authors=_author_names(channel.get("authors", ())) if version.startswith("atom") else (),
    )
    entries = parsed.get("entries", [])
    items = []
    for position, entry in enumerate(entries, start=1):
        headline = _text_field(entry.get("title"), entry.get("title_detail")) or None
        text = _entry_text(entry, version.startswith("atom"))
        if not headline and not text:
            continue
        items.append(
            feed.item(
                position,
                guid=_clean_str(entry.get("id")),
                url=_clean_str(entry.get("link")),
                headline=headline,
                text=text,
                # dict.get: FeedParserDict maps a missing "updated" to "published" with a DeprecationWarning.
                dates=(dict.get(entry, "published"), dict.get(entry, "updated")),
                authors=_author_names(entry.get("authors", ())),
                language=_language(entry.get("language")),
            )
        )
    if items:
        return items
    if bozo:
        return reject("malformed_feed", f"no readable item; feedparser reports {bozo}")
    if entries:
        return reject("feed_without_items", f"none of the {len(entries)} entries has a title or text")
    return reject("feed_without_items", f"the {version} feed has no items")


def _entry_text(entry: Mapping[str, Any], is_atom: bool) -> str:
    """The entry's full content (content:encoded, Atom content), else its description or summary.

    In Atom, ``content`` is the body whenever it has text. For RSS, feedparser also files a
    second summary-like element (``itunes:summary`` beside ``description``, a repeated
    ``description``) under ``content``, before or beside content:encoded, so there the
    longest of the candidates wins: the full article is longer than its teasers.
    """
    contents = [_body_text(candidate.get("value"), candidate.get("type")) for candidate in entry.get("content", ())]
    summary = _body_text(entry.get("summary"), entry.get("summary_detail", {}).get("type"))
    if is_atom:
        return next((text for text in contents if text), summary)
    return max([*contents, summary], key=len)


def _bozo_detail(parsed: Mapping[str, Any]) -> str:
    """Describe feedparser's bozo exception, or return "" when there is none worth reporting."""
    if not parsed.get("bozo"):
        return ""
    exc = parsed.get("bozo_exception")
    name = type(exc).__name__
    if exc is None or name in _HARMLESS_BOZO:
        return ""
    return f"{name}: {exc}"


def _read_json_feed(body: bytes, source_uri: str, content_hash: str, reject: _Reject) -> list[SourceItem] | Rejection:
    is_json_feed = sniff_feed(body[:4096])
    decoded = decode_bytes(body)
    if decoded is None:
        return reject("malformed_feed" if is_json_feed else "not_a_feed", "JSON text in no known encoding")
    text, encoding = decoded
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        if is_json_feed:
            return reject("malformed_feed", f"JSON Feed is not valid JSON: {exc}")
        return reject("not_a_feed", f"neither XML nor valid JSON: {exc}")
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith(_JSON_FEED_PREFIXES):
        return reject("not_a_feed", "JSON without a jsonfeed.org version")
    entries = document.get("items")
    if not isinstance(entries, list):
        return reject("malformed_feed" if "items" in document else "feed_without_items", "JSON Feed has no items list")
    feed = _Feed(
        source_uri=source_uri,
        content_hash=content_hash,
        encoding=encoding,
        site_name=_plain_title(document.get("title")),
        language=_language(document.get("language")),
        authors=_json_authors(document),
    )
    items = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            continue
        headline = _plain_title(entry.get("title"))
        body_text = (
            _body_text(entry.get("content_html"), "text/html")
            or _plain_text(entry.get("content_text"))
            or _plain_text(entry.get("summary"))
        )
        if not headline and not body_text:
            continue
        raw_id = entry.get("id")
        items.append(
            feed.item(
                position,
                guid=_clean_str(str(raw_id) if isinstance(raw_id, int | float) else raw_id),
                url=_clean_str(entry.get("url")),
                headline=headline,
                text=body_text,
                dates=(entry.get("date_published"), entry.get("date_modified")),
                authors=_json_authors(entry),
                language=_language(entry.get("language")),
            )
        )
    if items:
        return items
    detail = f"none of the {len(entries)} items has a title or text" if entries else "the JSON Feed has no items"
    return reject("feed_without_items", detail)


def _json_authors(container: Mapping[str, Any]) -> tuple[str, ...]:
    """Names from JSON Feed 1.1 ``authors`` or 1.0 ``author``."""
    found = container.get("authors")
    if not isinstance(found, list):
        single = container.get("author")
        found = [single] if isinstance(single, dict) else []
    return _author_names(author for author in found if isinstance(author, dict))


def _author_names(authors: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """Distinct author names, without e-mail addresses (an address alone is no name)."""
    names: list[str] = []
    for author in authors:
        name = author.get("name")
        if not isinstance(name, str):
            continue
        name = _ANGLE_BRACKETED.sub(" ", _EMAIL.sub(" ", name))
        # feedparser's address pattern stops after four TLD letters, so "desk@wire.example
        # (Wire Desk)" comes back as "ple (Wire Desk": an unclosed "(" marks the real name.
        if name.count("(") > name.count(")"):
            name = name[name.rfind("(") + 1 :]
        name = " ".join(name.split()).strip("()<> ")
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _clean_str(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _language(code: object) -> str | None:
    """The ISO 639-1 primary subtag of a language tag such as ``en-GB``, else None."""
    if not isinstance(code, str):
        return None
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if len(primary) == 2 and primary.isascii() and primary.isalpha() else None


def _plain_title(value: object) -> str | None:
    """A JSON Feed title (plain text, though HTML entities leak into many) on one line."""
    if not isinstance(value, str):
        return None
    return " ".join(html.unescape(value).split()) or None


def _text_field(value: object, detail: Mapping[str, Any] | None) -> str:
    """A title from feedparser as one line: HTML-typed values are unescaped and tag-stripped."""
    content_type = (detail or {}).get("type")
    text = _body_text(value, content_type)
    return " ".join(text.split())


def _body_text(value: object, content_type: object) -> str:
    """Turn a feed text construct into plain text, one paragraph per line."""
    if not isinstance(value, str) or not value.strip():
        return ""
    if content_type == "text/plain":
        return _plain_text(value)
    if "<" not in value:
        # No markup at all: keep the author's line breaks rather than fold them as HTML would.
        return _plain_text(html.unescape(value))
    return html_to_text(value)


def _plain_text(value: object) -> str:
    """Tidy plain text: lines stripped, spaces collapsed, at most one blank line in a row."""
    if not isinstance(value, str):
        return ""
    lines = [" ".join(line.split()) for line in value.splitlines()]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def html_to_text(markup: str) -> str:
    """Convert an HTML fragment to plain text with one paragraph per line.

    Block elements and two or more ``<br>`` in a row end a paragraph; a single ``<br>``
    becomes a space. Scripts, styles, images and form controls are dropped and entities
    are decoded.

    Args:
        markup: An HTML fragment or document.

    Returns:
        The text, paragraphs separated by ``\\n``, whitespace inside a paragraph collapsed.
    """
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8")
    try:
        root = etree.fromstring(markup.encode("utf-8", errors="replace"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        return ""
    return _assemble(_flatten(root))


def _flatten(root: Any) -> list[object]:
    """Walk the tree without recursion into text pieces and paragraph/line-break markers."""
    pieces: list[object] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if closing:
            pieces.append(_PARAGRAPH_BREAK if tag in _BLOCK_TAGS else " " if tag in _CELL_TAGS else "")
            if node.tail and node is not root:
                pieces.append(node.tail)
            continue
        if not tag or tag in _DROPPED_TAGS or tag == "br":
            if tag == "br":
                pieces.append(_LINE_BREAK)
            if node.tail and node is not root:
                pieces.append(node.tail)
            continue
        pieces.append(_PARAGRAPH_BREAK if tag in _BLOCK_TAGS else " " if tag in _CELL_TAGS else "")
        if node.text:
            pieces.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return pieces


def _assemble(pieces: list[object]) -> str:
    paragraphs: list[str] = []
    current: list[str] = []
    line_breaks = 0

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            paragraphs.append(text)
        current.clear()

    for piece in pieces:
        if piece is _LINE_BREAK:
            line_breaks += 1
            continue
        if piece is _PARAGRAPH_BREAK:
            flush()
            line_breaks = 0
            continue
        assert isinstance(piece, str)
        if line_breaks and piece.strip():
            if line_breaks >= 2:
                flush()
            else:
                current.append(" ")
            line_breaks = 0
        current.append(piece)
    flush()
    return "\n".join(paragraphs)


def _first_date(*values: object) -> tuple[datetime | date | None, str | None]:
    """Parse the first of the raw date strings that parses, with its precision."""
    for value in values:
        if isinstance(value, str) and value.strip():
            parsed = parse_feed_date(value)
            if parsed[0] is not None:
                return parsed
    return None, None


def parse_feed_date(value: str) -> tuple[datetime | date | None, str | None]:
    """Parse an RFC 822 or ISO 8601 feed date without inventing a zone or a time.

    Args:
        value: The date string as the feed gave it (pubDate, published, updated, dc:date,
            date_published).

    Returns:
        The moment and its precision: an aware datetime when the string has a zone, a
        naive one when it has none (or says ``-0000``), a date for a bare day; precision
        ``second``, ``minute`` or ``day``. ``(None, None)`` when the string does not parse
        or names a zone this reader cannot resolve.
    """
    value = " ".join(value.split())
    if _ISO_DATE_ONLY.match(value):
        try:
            return date.fromisoformat(value), "day"
        except ValueError:
            return None, None
    iso = _ISO_TIMESTAMP.match(value)
    if iso:
        try:
            moment = datetime.fromisoformat(value.upper())
        except ValueError:
            return None, None
        return moment, "second" if iso.group(2) else "minute"
    return _parse_rfc822(value)


def _parse_rfc822(value: str) -> tuple[datetime | date | None, str | None]:
    tokens = [token for token in value.split() if not token.startswith("(")]
    months = _foreign_months()
    # A token ending in a comma is the weekday ("mar.," is Tuesday in French, not March).
    tokens = [token if token.endswith(",") else months.get(fold_key(token).rstrip("."), token) for token in tokens]
    times = [index for index, token in enumerate(tokens) if ":" in token]
    if not times:
        return _parse_rfc822_day(tokens)
    time_index = times[0]
    zone = tokens[time_index + 1 :]
    if len(zone) > 1:
        return None, None
    if zone:
        numeric = _NUMERIC_ZONE.match(zone[0])
        if numeric:
            tokens[time_index + 1] = "".join(numeric.groups())
        elif zone[0].upper() not in _RFC822_ZONE_NAMES:
            return None, None
    try:
        moment = parsedate_to_datetime(" ".join(tokens))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, None
    return moment, "second" if tokens[time_index].count(":") == 2 else "minute"


def _parse_rfc822_day(tokens: list[str]) -> tuple[date | None, str | None]:
    """A day without a time, such as ``Tue, 10 Jun 2003``."""
    if tokens and (tokens[0].endswith(",") or tokens[0].isalpha()) and len(tokens) == 4:
        tokens = tokens[1:]
    if len(tokens) != 3 or not tokens[0].isdigit() or not tokens[2].isdigit() or len(tokens[2]) != 4:
        return None, None
    try:
        return parsedate_to_datetime(" ".join([*tokens, "00:00:00", "-0000"])).date(), "day"
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, None


@cache
def _foreign_months() -> dict[str, str]:
    """Map folded month abbreviations and names of ``_DATE_LOCALES`` to RFC 822's English ones."""
    return {key: _ENGLISH_MONTHS[number - 1] for key, number in month_table(_DATE_LOCALES).items()}
