"""Find input files and decode them, turning unreadable input into rejections."""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from media_etl.records import Document, Rejection

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


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text if ch < " " and ch not in _TEXT_CONTROLS)
    return controls > _MAX_CONTROL_SHARE * len(text)


def read_document(path: str) -> Document | Rejection:
    """Read one file into a decoded document.

    Args:
        path: A file path.

    Returns:
        The document, or a rejection saying why the file cannot be read as text
        (``unreadable``, ``empty``, ``not_text``).
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return Rejection(path, "read", "unreadable", f"cannot read file: {exc.strerror or exc}")
    content_hash = hashlib.sha256(data).hexdigest()
    if not data.strip():
        return Rejection(path, "read", "empty", "file is empty or whitespace only", content_hash=content_hash)
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Rejection(path, "read", "not_text", "file holds NUL bytes: binary, not text", content_hash=content_hash)
    decoded = decode_bytes(data)
    if decoded is None or _looks_binary(decoded[0]):
        return Rejection(
            path, "read", "not_text", "content is not text in any known encoding", content_hash=content_hash
        )
    text, encoding = decoded
    return Document(source_uri=path, source_kind="text", text=text, encoding=encoding, content_hash=content_hash)
