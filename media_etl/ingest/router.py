"""Route each input to its reader by sniffing the content, not by trusting the extension.

Before any reader sees the bytes, the router enforces :class:`Limits` and refuses XML
whose document type declaration defines external entities or entities that expand
without bound (a "billion laughs" bomb), so no parser is ever asked to resolve them.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
import zlib
from dataclasses import dataclass
from typing import NamedTuple

from media_etl.ingest.exports import read_export
from media_etl.ingest.feeds import read_feed, sniff_feed
from media_etl.ingest.files import Undecodable, decode_bytes, decode_document, read_text
from media_etl.ingest.html import DEFAULT_MAX_HTML_DEPTH, looks_like_html, read_html
from media_etl.ingest.url_lists import is_url_list, read_url_list
from media_etl.records import ListedUrl, Rejection, SourceItem

SNIFF_BYTES = 4096
_GZIP_MAGIC = b"\x1f\x8b"
_MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Limits that keep one hostile input from exhausting the machine; docs/limits.md lists them.

    Each limit, when exceeded, quarantines only the input at fault, with the reason code
    given below; the rest of the batch goes on.
    """

    max_input_bytes: int = 50 * _MIB
    """Largest file read; a larger one is ``too_large``, unread. (Fetched responses are capped by
    the fetcher.)"""
    max_decompressed_bytes: int = 200 * _MIB
    """Largest size a gzip input may expand to; a larger one is ``too_large`` (a gzip bomb),
    and decompression stops there."""
    max_document_bytes: int = 10 * _MIB
    """Largest single plain-text or HTML document (one article), after decompression; a larger
    one is ``too_large``. Feeds and exports hold many articles and have only the two limits above."""
    max_html_depth: int = DEFAULT_MAX_HTML_DEPTH
    """Deepest element nesting accepted in an HTML page, checked on the parsed tree before
    extraction; a deeper page is ``html_too_deep``."""
    max_parse_seconds: float | None = 60.0
    """Wall-clock seconds allowed for reading one file (decoding, HTML extraction, feed and
    export parsing) and again for parsing each article it holds; over it, ``parse_timeout``.
    None or 0 turns the limit off. Enforced only in a process's main thread (see
    ``media_etl.ingest.deadline``)."""


DEFAULT_LIMITS = Limits()
Items = tuple[list[SourceItem], list[Rejection]]


class FileContents(NamedTuple):
    """What one input file holds: its articles, or (a URL list) the URLs it names; and its rejections."""

    items: list[SourceItem]
    urls: list[ListedUrl]
    rejections: list[Rejection]


# Document type declarations: an entity may expand to at most _MAX_ENTITY_CHARS characters,
# all references in the document together to at most _MAX_ENTITY_TOTAL, and entities may
# nest at most _MAX_ENTITY_NESTING deep. An internal subset longer than _MAX_SUBSET_BYTES
# is refused unread: legitimate ones are a few lines.
_MAX_ENTITY_CHARS = 1024
_MAX_ENTITY_TOTAL = _MIB
_MAX_ENTITY_NESTING = 16
_MAX_SUBSET_BYTES = 16 * 1024
_DOCTYPE = b"<!DOCTYPE"
_WHITESPACE = re.compile(rb"\s+")
_DOCTYPE_HEAD = re.compile(rb"""(?:"[^"]*"|'[^']*'|[^"'\[>])*([\[>])""")
_SUBSET_TOKEN = re.compile(rb"""<!--|<\?|["'\]]""")
_SUBSET_CLOSERS = {b"<!--": b"-->", b"<?": b"?>", b'"': b'"', b"'": b"'"}
_ENTITY_DECLARATION = re.compile(
    rb"""<!ENTITY\s+(%\s+)?([^\s"'%;>]+)\s+(?:(SYSTEM|PUBLIC)\s*([^>]*)|"([^"]*)"|'([^']*)')"""
)
_ENTITY_REFERENCE = re.compile(rb"([&%])([A-Za-z_:][\w.:-]*);")


class _EntityBomb(Exception):
    """An entity whose expansion is unbounded or too large."""


def _gunzip(data: bytes, source_uri: str, limit: int) -> bytes | Rejection:
    """Inflate gzip data, every member of it (as ``gzip -d`` does), never beyond ``limit`` bytes in all."""
    inflated: list[bytes] = []
    total = 0
    rest = data
    while True:
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            chunk = decompressor.decompress(rest, limit - total + 1)
        except zlib.error as exc:
            return Rejection(source_uri, "read", "bad_gzip", f"gzip data is corrupt: {exc}")
        total += len(chunk)
        if total > limit:
            return Rejection(
                source_uri,
                "read",
                "too_large",
                f"{len(data)} bytes of gzip expand beyond {limit} bytes (max_decompressed_bytes): a gzip bomb",
            )
        if not decompressor.eof:
            return Rejection(source_uri, "read", "bad_gzip", "gzip data is truncated")
        inflated.append(chunk)
        rest = decompressor.unused_data
        if not rest.strip(b"\x00"):  # gzip tools allow zero padding after the last member
            return b"".join(inflated)
        if not rest.startswith(_GZIP_MAGIC):
            return Rejection(source_uri, "read", "bad_gzip", "bytes after the gzip data are not another gzip member")


def _head_text(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="ignore").lstrip("\ufeff \t\r\n")
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")


def _looks_like_export(head: bytes, source_uri: str) -> str | None:
    """Return ``jsonl`` or ``csv`` when the head is a JSON/JSON Lines or CSV export."""
    text = _head_text(head)
    if text.startswith(("{", "[")):
        return "jsonl"
    first_line = text.split("\n", 1)[0].lower()
    if source_uri.lower().endswith(".csv") and "," in first_line and ("title" in first_line):
        return "csv"
    return None


def entity_problem(data: bytes) -> tuple[str, str] | None:
    """Check the internal subset of an XML document type declaration for dangerous entities.

    Every scan here is linear in the size of the input, whatever it holds.

    Args:
        data: A whole document; one without an internal subset (every HTML page, most
            feeds) passes at once. UTF-8 and other ASCII-based encodings, UTF-16 and UTF-32
            are read; a feed in a rarer encoding (UTF-7, EBCDIC) is defused by the feed
            reader after its own conversion.

    Returns:
        None when there is nothing to fear, else a reason code and a detail:
        ``external_entity`` when an entity (general or parameter) is declared ``SYSTEM``
        or ``PUBLIC``, since resolving it would read a local file or fetch a URL;
        ``entity_bomb`` when entities refer to themselves, nest more than 16 levels,
        one expands to more than 1,024 characters, or all references in the document
        together would expand to more than 1 MiB; ``dtd_too_large`` when the internal
        subset is longer than 16 KiB.
    """
    if b"\x00" in data[:4]:  # UTF-16 or UTF-32, with or without a byte-order mark
        decoded = decode_bytes(data)
        if decoded is not None:
            data = decoded[0].encode("utf-8", errors="replace")
    doctype = _find_doctype(data)
    if doctype is None:
        return None
    head = _DOCTYPE_HEAD.match(data, doctype)
    if head is None or head.group(1) == b">":
        return None
    subset = _internal_subset(data, head.end())
    if len(subset) > _MAX_SUBSET_BYTES:
        return "dtd_too_large", (
            f"internal subset of the document type declaration holds {len(subset)} bytes, "
            f"over {_MAX_SUBSET_BYTES}; not parsed"
        )
    general: dict[bytes, bytes] = {}
    parameter: dict[bytes, bytes] = {}
    for declaration in _ENTITY_DECLARATION.finditer(subset):
        is_parameter, name, external, identifier = declaration.group(1, 2, 3, 4)
        if external:
            shown = " ".join(identifier.decode("utf-8", "replace").split())[:200]
            kind = "parameter entity" if is_parameter else "entity"
            return "external_entity", (
                f"declares the external {kind} {name.decode('utf-8', 'replace')!r} ({external.decode()} {shown}); "
                "external entities are never resolved"
            )
        value = declaration.group(5) if declaration.group(5) is not None else declaration.group(6)
        (parameter if is_parameter else general).setdefault(name, value)
    if not general and not parameter:
        return None
    try:
        sizes = _entity_sizes(general, parameter)
        total = sum(
            sizes[match.group(2)]
            for match in _ENTITY_REFERENCE.finditer(data, head.end())
            if match.group(1) == b"&" and match.group(2) in sizes
        )
        if total > _MAX_ENTITY_TOTAL:
            raise _EntityBomb(f"its entity references would expand to {total} characters, over {_MAX_ENTITY_TOTAL}")
    except _EntityBomb as exc:
        return "entity_bomb", f"document type declaration defines an entity bomb: {exc}"
    return None


def _find_doctype(data: bytes) -> int | None:
    """Return where the body of the document type declaration starts, when one opens the document.

    Only whitespace, processing instructions and comments may come before it, as in XML.
    """
    position = 0
    if data.startswith(codecs.BOM_UTF8):
        position = len(codecs.BOM_UTF8)
    while position < len(data):
        space = _WHITESPACE.match(data, position)
        if space is not None:
            position = space.end()
            continue
        for opener, closer in ((b"<?", b"?>"), (b"<!--", b"-->")):
            if data.startswith(opener, position):
                end = data.find(closer, position + len(opener))
                if end < 0:
                    return None
                position = end + len(closer)
                break
        else:
            if data[position : position + len(_DOCTYPE)].upper() == _DOCTYPE:
                return position + len(_DOCTYPE)
            # The root element, or text: plain text that quotes a DOCTYPE is not XML.
            return None
    return None


def _internal_subset(data: bytes, start: int) -> bytes:
    """The internal subset from ``start`` to its closing ``]``, without comments (all of the rest if unclosed)."""
    pieces: list[bytes] = []
    kept = 0
    position = start
    while kept <= _MAX_SUBSET_BYTES:
        token = _SUBSET_TOKEN.search(data, position)
        if token is None:
            pieces.append(data[position:])
            break
        opener = token.group(0)
        if opener == b"]":
            pieces.append(data[position : token.start()])
            break
        closer = _SUBSET_CLOSERS[opener]
        end = data.find(closer, token.end())
        if end < 0:
            pieces.append(data[position:])
            break
        piece = data[position : end + len(closer)] if opener != b"<!--" else data[position : token.start()]
        pieces.append(piece)
        kept += len(piece)
        position = end + len(closer)
    return b"".join(pieces)


def _entity_sizes(general: dict[bytes, bytes], parameter: dict[bytes, bytes]) -> dict[bytes, int]:
    """Expanded length of every general entity; raises _EntityBomb on recursion, depth or size."""
    tables = {b"&": general, b"%": parameter}
    known: dict[tuple[bytes, bytes], int] = {}

    def size(sigil: bytes, name: bytes, chain: tuple[bytes, ...]) -> int:
        if (sigil, name) in known:
            return known[sigil, name]
        if name in chain:
            raise _EntityBomb(f"entity {name.decode('utf-8', 'replace')!r} refers to itself")
        if len(chain) >= _MAX_ENTITY_NESTING:
            raise _EntityBomb(f"entities nest more than {_MAX_ENTITY_NESTING} levels deep")
        value = tables[sigil][name]
        total = len(value)
        for match in _ENTITY_REFERENCE.finditer(value):
            if match.group(2) in tables[match.group(1)]:
                total += size(match.group(1), match.group(2), (*chain, name)) - len(match.group(0))
        if total > _MAX_ENTITY_CHARS:
            raise _EntityBomb(
                f"entity {name.decode('utf-8', 'replace')!r} expands to {total} characters, over {_MAX_ENTITY_CHARS}"
            )
        known[sigil, name] = total
        return total

    for name in parameter:
        size(b"%", name, ())
    return {name: size(b"&", name, ()) for name in general}


def _too_large(data: bytes, source_uri: str, what: str, limit: int) -> Rejection:
    return Rejection(
        source_uri,
        "read",
        "too_large",
        f"{what} of {len(data)} bytes is over the {limit}-byte limit for one document (max_document_bytes)",
        content_hash=hashlib.sha256(data).hexdigest(),
    )


def route_bytes(data: bytes, source_uri: str, limits: Limits = DEFAULT_LIMITS) -> Items:
    """Pick the reader for some bytes and read them.

    Args:
        data: A whole file or HTTP response body.
        source_uri: Where the bytes came from.
        limits: Size and depth limits.

    Returns:
        The items read and the rejections.
    """
    if data.startswith(_GZIP_MAGIC):
        inflated = _gunzip(data, source_uri, limits.max_decompressed_bytes)
        if isinstance(inflated, Rejection):
            return [], [inflated]
        data = inflated
    problem = entity_problem(data)
    if problem is not None:
        code, detail = problem
        return [], [Rejection(source_uri, "parse", code, detail, content_hash=hashlib.sha256(data).hexdigest())]
    head = data[:SNIFF_BYTES]
    if sniff_feed(head):
        found = read_feed(data, source_uri)
        return ([], [found]) if isinstance(found, Rejection) else (found, [])
    if looks_like_html(head):
        if len(data) > limits.max_document_bytes:
            return [], [_too_large(data, source_uri, "an HTML page", limits.max_document_bytes)]
        page = read_html(data, source_uri, max_depth=limits.max_html_depth)
        return ([], [page]) if isinstance(page, Rejection) else ([page], [])
    kind = _looks_like_export(head, source_uri)
    if kind:
        decoded = decode_document(data)
        if isinstance(decoded, Undecodable):
            reason = Rejection(
                source_uri, "read", decoded.reason_code, decoded.detail, content_hash=hashlib.sha256(data).hexdigest()
            )
            return [], [reason]
        text, encoding = decoded
        if kind == "csv" or _parses_as_json(text):
            digest = hashlib.sha256(data).hexdigest()
            return read_export(text, source_uri, content_hash=digest, encoding=encoding, kind=kind)
    if len(data) > limits.max_document_bytes:
        return [], [_too_large(data, source_uri, "a plain-text document", limits.max_document_bytes)]
    item = read_text(data, source_uri)
    return ([], [item]) if isinstance(item, Rejection) else ([item], [])


def _parses_as_json(text: str) -> bool:
    """True when the text is a JSON document or its first non-empty line is a JSON object."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    for candidate in (text, first):
        try:
            json.loads(candidate)
            return True
        except RecursionError:
            return True  # JSON nested too deeply for Python: the export reader quarantines it
        except ValueError:
            continue
    return False


def _read_up_to(fd: int, count: int) -> bytes:
    """Read ``count`` bytes, or fewer at the end of the file."""
    chunks: list[bytes] = []
    while count > 0:
        chunk = os.read(fd, count)
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def read_input(path: str, limits: Limits = DEFAULT_LIMITS) -> FileContents:
    """Read one file through the reader its content calls for.

    The file is opened without blocking and checked with ``fstat`` on the open
    descriptor, so a FIFO or device that replaced a file after it was listed is never
    read, and a file that grows past the limit while being read is still cut off.

    Args:
        path: The file.
        limits: Size and depth limits.

    Returns:
        The items read and the rejections; for a URL list (``media_etl.ingest.url_lists``:
        a ``.urls`` file, or a ``.txt`` file of URLs only) the URLs it names instead of
        items. A file that cannot be opened or read is one
        ``unreadable`` rejection, a FIFO, socket, device or folder ``not_regular_file``,
        a file over ``max_input_bytes`` ``too_large`` (unread).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return FileContents([], [], [Rejection(path, "read", "unreadable", f"cannot open file: {exc.strerror or exc}")])
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO, socket or device"
            return FileContents(
                [], [], [Rejection(path, "read", "not_regular_file", f"path is {kind}, not a regular file")]
            )
        if info.st_size > limits.max_input_bytes:
            detail = f"file is {info.st_size} bytes, over the {limits.max_input_bytes}-byte limit (max_input_bytes)"
            return FileContents([], [], [Rejection(path, "read", "too_large", detail)])
        # Read what fstat promises plus one byte; more than that means the file grew (or is a
        # virtual file that reports no size), and reading goes on up to the limit.
        data = _read_up_to(fd, min(info.st_size, limits.max_input_bytes) + 1)
        if info.st_size < len(data) <= limits.max_input_bytes:
            data += _read_up_to(fd, limits.max_input_bytes + 1 - len(data))
    except OSError as exc:
        return FileContents([], [], [Rejection(path, "read", "unreadable", f"cannot read file: {exc.strerror or exc}")])
    finally:
        os.close(fd)
    if len(data) > limits.max_input_bytes:
        detail = f"file grew past the {limits.max_input_bytes}-byte limit (max_input_bytes) while being read"
        return FileContents([], [], [Rejection(path, "read", "too_large", detail)])
    if is_url_list(data, path):
        urls, rejections = read_url_list(data, path)
        return FileContents([], urls, rejections)
    items, rejections = route_bytes(data, path, limits)
    return FileContents(items, [], rejections)


def read_path(path: str, limits: Limits = DEFAULT_LIMITS) -> Items:
    """Read the articles of one file (see ``read_input``); a URL list gives none, only its bad lines.

    Args:
        path: The file.
        limits: Size and depth limits.

    Returns:
        The items read and the rejections.
    """
    found = read_input(path, limits)
    return found.items, found.rejections
