"""Find input files and decode them, turning unreadable input into rejections."""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from media_etl.records import Rejection, SourceItem

# Share of control characters above which bytes are binary rather than text.
_MAX_CONTROL_SHARE = 0.01
_TEXT_CONTROLS = {"\n", "\r", "\t", "\f", "\v"}


def discover_inputs(inputs: Iterable[str]) -> tuple[list[str], list[Rejection]]:
    """Expand folders, files and glob patterns into a sorted list of files.

    Folders are searched recursively; hidden files and folders are skipped.

    Args:
        inputs: Paths or glob patterns as the user gave them.

    Returns:
        The distinct files in sorted order, and a rejection for every input that
        matched nothing.
    """
    found: set[str] = set()
    missing: list[Rejection] = []
    for item in inputs:
        matches = sorted(glob.glob(item, recursive=True)) if glob.has_magic(item) else [item]
        paths = [Path(m) for m in matches if Path(m).exists()]
        if not paths:
            missing.append(Rejection(item, "read", "missing_input", f"input {item!r} matches no file or folder"))
        for path in paths:
            found.update(_files_under(path))
    return sorted(found), missing


def _files_under(path: Path) -> Iterator[str]:
    if path.is_file():
        yield path.as_posix()
        return
    for child in path.rglob("*"):
        relative = child.relative_to(path)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if child.is_file():
            yield child.as_posix()


def decode_bytes(data: bytes) -> tuple[str, str] | None:
    """Decode bytes as UTF-8, or as whatever charset-normalizer finds most likely.

    Args:
        data: The raw file content.

    Returns:
        The text and the encoding used, or None when no encoding gives readable text.
    """
    try:
        text = data.decode("utf-8-sig")
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best), best.encoding


def looks_binary(text: str) -> bool:
    """Tell whether decoded text is really binary: NUL bytes or many control characters."""
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text if ch < " " and ch not in _TEXT_CONTROLS)
    return controls > _MAX_CONTROL_SHARE * len(text)


def read_text(data: bytes, source_uri: str) -> SourceItem | Rejection:
    """Decode plain-text wire copy into one item for the wire-copy parser.

    Args:
        data: The raw bytes.
        source_uri: Where they came from.

    Returns:
        The item (``source_kind`` text, the whole file as ``text``), or a rejection
        saying why the bytes are not text (``empty``, ``not_text``).
    """
    content_hash = hashlib.sha256(data).hexdigest()
    if not data.strip():
        return Rejection(source_uri, "read", "empty", "file is empty or whitespace only", content_hash=content_hash)
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Rejection(
            source_uri, "read", "not_text", "file holds NUL bytes: binary, not text", content_hash=content_hash
        )
    decoded = decode_bytes(data)
    if decoded is None or looks_binary(decoded[0]):
        return Rejection(
            source_uri, "read", "not_text", "content is not text in any known encoding", content_hash=content_hash
        )
    text, encoding = decoded
    return SourceItem(
        source_uri=source_uri,
        item_key="",
        source_kind="text",
        content_hash=content_hash,
        encoding=encoding,
        text=text,
    )
