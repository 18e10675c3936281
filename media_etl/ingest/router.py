"""Route each input to its reader by sniffing the content, not by trusting the extension."""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

from media_etl.ingest.exports import read_export
from media_etl.ingest.feeds import read_feed, sniff_feed
from media_etl.ingest.files import decode_bytes, looks_binary, read_text
from media_etl.ingest.html import looks_like_html, read_html
from media_etl.records import Rejection, SourceItem

SNIFF_BYTES = 4096
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Limits:
    """Size limits that keep one hostile input from exhausting the machine."""

    max_input_bytes: int = 50 * 1024 * 1024
    """Largest file read; a larger one is rejected without being read."""
    max_decompressed_bytes: int = 200 * 1024 * 1024
    """Largest size a gzip input may expand to."""


DEFAULT_LIMITS = Limits()
Items = tuple[list[SourceItem], list[Rejection]]


def _gunzip(data: bytes, source_uri: str, limit: int) -> bytes | Rejection:
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        inflated = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        return Rejection(source_uri, "read", "bad_gzip", f"gzip data is corrupt: {exc}")
    if len(inflated) > limit:
        return Rejection(source_uri, "read", "too_large", f"gzip expands beyond {limit} bytes")
    if not decompressor.eof:
        return Rejection(source_uri, "read", "bad_gzip", "gzip data is truncated")
    return inflated


def _looks_like_export(head: bytes, source_uri: str) -> str | None:
    """Return ``jsonl`` or ``csv`` when the head is a JSON/JSON Lines or CSV export."""
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if text.startswith(("{", "[")):
        return "jsonl"
    first_line = text.split("\n", 1)[0].lower()
    if source_uri.lower().endswith(".csv") and "," in first_line and ("title" in first_line):
        return "csv"
    return None


def route_bytes(data: bytes, source_uri: str, limits: Limits = DEFAULT_LIMITS) -> Items:
    """Pick the reader for some bytes and read them.

    Args:
        data: A whole file or HTTP response body.
        source_uri: Where the bytes came from.
        limits: Size limits.

    Returns:
        The items read and the rejections.
    """
    if data.startswith(_GZIP_MAGIC):
        inflated = _gunzip(data, source_uri, limits.max_decompressed_bytes)
        if isinstance(inflated, Rejection):
            return [], [inflated]
        data = inflated
    head = data[:SNIFF_BYTES]
    if sniff_feed(head):
        found = read_feed(data, source_uri)
        return ([], [found]) if isinstance(found, Rejection) else (found, [])
    if looks_like_html(head):
        page = read_html(data, source_uri)
        return ([], [page]) if isinstance(page, Rejection) else ([page], [])
    kind = _looks_like_export(head, source_uri)
    if kind:
        decoded = decode_bytes(data)
        if decoded is not None and not looks_binary(decoded[0]):
            text, encoding = decoded
            if kind == "csv" or _parses_as_json(text):
                digest = hashlib.sha256(data).hexdigest()
                return read_export(text, source_uri, content_hash=digest, encoding=encoding, kind=kind)
    item = read_text(data, source_uri)
    return ([], [item]) if isinstance(item, Rejection) else ([item], [])


def _parses_as_json(text: str) -> bool:
    """True when the text is a JSON document or its first non-empty line is a JSON object."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    for candidate in (text, first):
        try:
            json.loads(candidate)
            return True
        except json.JSONDecodeError:
            continue
    return False


def read_path(path: str, limits: Limits = DEFAULT_LIMITS) -> Items:
    """Read one file through the reader its content calls for.

    Args:
        path: The file.
        limits: Size limits.

    Returns:
        The items read and the rejections; an unreadable or oversized file is one
        ``read`` rejection.
    """
    try:
        size = Path(path).stat().st_size
        if size > limits.max_input_bytes:
            return [], [
                Rejection(path, "read", "too_large", f"file is {size} bytes, over the {limits.max_input_bytes} limit")
            ]
        data = Path(path).read_bytes()
    except OSError as exc:
        return [], [Rejection(path, "read", "unreadable", f"cannot read file: {exc.strerror or exc}")]
    return route_bytes(data, path, limits)
