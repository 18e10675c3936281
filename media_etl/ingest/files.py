"""Find input files and decode them, turning unreadable input into rejections.

Discovery reads nothing outside the inputs the user gave: a symlink met while listing a
folder or matching a glob is followed only when its target resolves inside one of the
input roots (the inputs themselves, and for a glob the folder before its first wildcard).
Otherwise it is quarantined unread, as are symlink loops, dangling symlinks, FIFOs,
sockets and devices, and names that are not UTF-8.
"""

from __future__ import annotations

import codecs
import errno
import fnmatch
import glob
import hashlib
import heapq
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from media_etl.records import Rejection, SourceItem

# Share of control characters above which bytes are binary rather than text.
_MAX_CONTROL_SHARE = 0.01
_TEXT_CONTROLS = {"\n", "\r", "\t", "\f", "\v"}
# Control characters below the space that plain text does not use (all but the five above).
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f]")

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one), with
# the codec that decodes what follows and the encoding name recorded for the article.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
# UTF-16 without a byte-order mark: NUL bytes on one side of every code unit only, and at
# least this share of the code units (ASCII letters, digits, spaces and punctuation).
_MIN_UTF16_NUL_SHARE = 0.1

# File signatures of common binary formats, named in the rejection's detail.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (or a file in a zip-based format: docx, xlsx, epub)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"\x1f\x8b", "gzip data (compressed twice: only one layer is opened)"),
    (b"BZh91AY&SY", "a bzip2 archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 document (an old Office format)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x1a\x45\xdf\xa3", "a Matroska or WebM video"),
    (b"OggS\x00", "an Ogg media file"),
)

_Keyed = tuple[str, str | Rejection]
"""An entry of one input's listing with the key that orders all listings: the path as a string."""


@dataclass(frozen=True)
class Undecodable:
    """Why some bytes are not usable text: a reason code and a detail for the quarantine row."""

    reason_code: str
    detail: str


def iter_inputs(inputs: Iterable[str]) -> Iterator[str | Rejection]:
    """List the files that folders, files and glob patterns name, one at a time.

    Paths come in sorted order (Python string order) without the full list ever being
    built: each folder is listed with ``os.scandir`` and its entries sorted, and the
    listings of the separate inputs are merged, so a file that two inputs name comes
    once. Folders are searched recursively; hidden files and folders (a name starting
    with a dot) are skipped inside them, and a glob wildcard does not match them unless
    the pattern's part itself starts with a dot. ``**`` in a glob matches any number of
    folders.

    Nothing is read outside the inputs. A symlink found inside a folder or matched by a
    glob is listed only when its target is a regular file inside the input roots; a
    symlinked folder inside the roots is not descended (its files are listed where they
    live), and one that an input names or a glob matches is. The inputs the user names
    are trusted, symlinks or not.

    Rejections (stage ``read``), in the order of the path they concern:

    - ``symlink_outside_inputs``: a symlink whose target resolves outside every input root;
    - ``symlink_loop``: a symlink that resolves back to itself;
    - ``broken_symlink``: a symlink whose target does not exist;
    - ``not_regular_file``: a FIFO, socket or device (reading one could block forever);
    - ``bad_file_name``: a name that is not valid UTF-8 (``source_uri`` shows the bad
      bytes as ``\\xNN`` escapes);
    - ``unreadable``: a folder that cannot be listed (its ``source_uri`` ends with ``/``).

    After them, one ``missing_input`` per input (in the order given) that matches nothing.

    Args:
        inputs: Paths or glob patterns as the user gave them.

    Yields:
        Each file's path (relative inputs give relative paths), or a rejection.
    """
    items = list(inputs)
    roots = _input_roots(items)
    unmatched: set[int] = set()
    streams = [_expand_input(index, item, roots, unmatched) for index, item in enumerate(items)]
    previous: tuple[str, str] | None = None
    for key, entry in heapq.merge(*streams, key=lambda keyed: keyed[0]):
        identity = (key, entry if isinstance(entry, str) else entry.reason_code)
        if identity == previous:
            continue  # the same file (or the same problem) reached through two inputs
        previous = identity
        yield entry
    for index, item in enumerate(items):
        if index in unmatched:
            yield Rejection(item, "read", "missing_input", f"input {item!r} matches no file or folder")


def discover_inputs(inputs: Iterable[str]) -> tuple[list[str], list[Rejection]]:
    """Expand folders, files and glob patterns into a sorted list of files.

    The same listing as :func:`iter_inputs`, collected.

    Args:
        inputs: Paths or glob patterns as the user gave them.

    Returns:
        The distinct files in sorted order, and the rejections: inputs that match
        nothing, and symlinks, special files and names that were not listed.
    """
    files: list[str] = []
    rejections: list[Rejection] = []
    for entry in iter_inputs(inputs):
        if isinstance(entry, str):
            files.append(entry)
        else:
            rejections.append(entry)
    return files, rejections


def _input_roots(items: list[str]) -> tuple[str, ...]:
    """Resolve each input (a glob: the folder before its first wildcard) to a real path."""
    roots: set[str] = set()
    for item in items:
        path = _glob_split(item)[0].as_posix() if glob.has_magic(item) else item
        if os.path.exists(path):
            roots.add(os.path.realpath(path))
    return tuple(sorted(roots))


def _inside(real: str, roots: tuple[str, ...]) -> bool:
    return any(real == root or real.startswith(root.rstrip("/") + "/") for root in roots)


def _expand_input(index: int, item: str, roots: tuple[str, ...], unmatched: set[int]) -> Iterator[_Keyed]:
    if glob.has_magic(item):
        prefix, segments = _glob_split(item)
        matched = False
        for keyed in _expand_glob(prefix, segments, roots):
            matched = True
            yield keyed
        if not matched:
            unmatched.add(index)
        return
    if not os.path.lexists(item):
        unmatched.add(index)
        return
    yield from _expand_named(Path(item), roots)


def _glob_split(pattern: str) -> tuple[Path, list[str]]:
    """Split a glob into the folder before its first wildcard and the parts after it."""
    parts = pattern.split("/")
    lead: list[str] = []
    for part in parts:
        if glob.has_magic(part):
            break
        lead.append(part)
    prefix = "/".join(lead) or ("/" if pattern.startswith("/") else ".")
    return Path(prefix), [part for part in parts[len(lead) :] if part]


def _expand_glob(prefix: Path, segments: list[str], roots: tuple[str, ...]) -> Iterator[_Keyed]:
    """Match a glob's parts folder by folder, in sorted order, expanding each match."""
    count = len(segments)

    def closure(states: set[int]) -> frozenset[int]:
        # ``**`` may match no folder at all: a state before it also stands after it.
        found = set(states)
        for state in states:
            while state < count and segments[state] == "**":
                state += 1
                found.add(state)
        return frozenset(found)

    start = closure({0})
    if not os.path.isdir(prefix):
        return
    if count in start:  # "folder/**" matches the folder itself
        yield from _expand_named(prefix, roots)
        return
    listing = _list_dir(prefix, hidden=True)
    if isinstance(listing, Rejection):
        yield f"{prefix.as_posix()}/", listing
        return
    stack: list[tuple[Iterator[tuple[Path, str]], frozenset[int]]] = [(iter(listing), start)]
    while stack:
        entries, states = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        path, kind = entry
        name = path.name
        following: set[int] = set()
        for state in states:
            if state == count:
                continue
            part = segments[state]
            if part == "**":
                if not name.startswith("."):
                    following.add(state)
            elif (part.startswith(".") or not name.startswith(".")) and fnmatch.fnmatchcase(name, part):
                following.add(state + 1)
        after = closure(following)
        if count in after:
            yield from _expand_named(path, roots)
        elif after and kind == "dir":
            sub = _list_dir(path, hidden=True)
            if isinstance(sub, Rejection):
                yield f"{path.as_posix()}/", sub
            else:
                stack.append((iter(sub), after))


def _expand_named(path: Path, roots: tuple[str, ...]) -> Iterator[_Keyed]:
    """List a path an input names or a glob matched: a file, a folder (walked) or a symlink."""
    name = path.as_posix()
    if _undecodable(name):
        yield name, _bad_name(name)
        return
    if os.path.islink(name):
        target = _link_target(name, roots)
        if isinstance(target, Rejection):
            yield name, target
            return
    try:
        mode = os.stat(name).st_mode
    except OSError as exc:
        yield name, Rejection(name, "read", "unreadable", f"cannot stat: {exc.strerror or exc}")
        return
    if stat.S_ISDIR(mode):
        yield from _walk(path, roots)
    elif stat.S_ISREG(mode):
        yield name, name
    else:
        yield name, _special_file(name, mode)


def _walk(top: Path, roots: tuple[str, ...]) -> Iterator[_Keyed]:
    """List a folder recursively, depth first, each folder's entries sorted so that paths come in string order."""
    listing = _list_dir(top, hidden=False)
    if isinstance(listing, Rejection):
        yield f"{top.as_posix()}/", listing
        return
    stack = [iter(listing)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        path, kind = entry
        name = path.as_posix()
        if _undecodable(name):
            yield (f"{name}/" if kind == "dir" else name), _bad_name(name)
        elif kind == "dir":
            sub = _list_dir(path, hidden=False)
            if isinstance(sub, Rejection):
                yield f"{name}/", sub
            else:
                stack.append(iter(sub))
        elif kind == "file":
            yield name, name
        elif kind == "link":
            yield from _follow_link(name, roots)
        else:
            yield name, _special_file(name, None)


def _list_dir(folder: Path, *, hidden: bool) -> list[tuple[Path, str]] | Rejection:
    """A folder's entries and their kinds (dir, file, link, other), sorted by name, a folder's name with "/" after it.

    Sorting folders as ``name/`` lists a folder's files where their full paths sort:
    ``a.txt`` (``.`` is below ``/``) before ``a/b.txt``, and both before ``a0``. With
    ``hidden`` (a glob's listing, whose matches may be symlinked folders that are then
    walked) a symlink to a folder sorts as a folder too.
    """
    entries: list[tuple[str, str, str]] = []
    try:
        with os.scandir(folder) as found:
            for item in found:
                if item.name.startswith(".") and not hidden:
                    continue
                entries.append((*_sort_key(item, links_as_folders=hidden), item.name))
    except OSError as exc:
        return Rejection(f"{folder.as_posix()}/", "read", "unreadable", f"cannot list folder: {exc.strerror or exc}")
    entries.sort()
    return [(folder / name, kind) for _, kind, name in entries]


def _sort_key(item: os.DirEntry[str], *, links_as_folders: bool) -> tuple[str, str]:
    try:
        if item.is_symlink():
            return (f"{item.name}/" if links_as_folders and item.is_dir() else item.name), "link"
        if item.is_dir(follow_symlinks=False):
            return f"{item.name}/", "dir"
        if item.is_file(follow_symlinks=False):
            return item.name, "file"
    except OSError:
        pass
    return item.name, "other"


def _follow_link(name: str, roots: tuple[str, ...]) -> Iterator[_Keyed]:
    """List a symlink found inside a folder: only a regular file inside the roots is listed."""
    target = _link_target(name, roots)
    if isinstance(target, Rejection):
        yield name, target
        return
    try:
        mode = os.stat(target).st_mode
    except OSError as exc:
        yield name, Rejection(name, "read", "unreadable", f"cannot stat: {exc.strerror or exc}")
        return
    if stat.S_ISREG(mode):
        yield name, name
    elif not stat.S_ISDIR(mode):
        yield name, _special_file(name, mode)
    # A symlinked folder inside the roots is not descended: its files are listed where they live.


def _link_target(name: str, roots: tuple[str, ...]) -> str | Rejection:
    """Resolve a symlink to its real path, or say why it is not followed."""
    try:
        written = os.readlink(name)
    except OSError as exc:
        return Rejection(name, "read", "unreadable", f"cannot read symlink: {exc.strerror or exc}")
    shown = _safe_text(written)
    try:
        os.stat(name)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Rejection(name, "read", "symlink_loop", f"symlink loop: following {shown!r} never reaches a file")
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return Rejection(name, "read", "broken_symlink", f"symlink target {shown!r} does not exist")
        return Rejection(name, "read", "unreadable", f"cannot follow symlink to {shown!r}: {exc.strerror or exc}")
    real = os.path.realpath(name)
    if not _inside(real, roots):
        return Rejection(
            name,
            "read",
            "symlink_outside_inputs",
            f"symlink points outside the inputs, to {_safe_text(real)!r}; not read",
        )
    return real


def _special_file(name: str, mode: int | None) -> Rejection:
    if mode is None:
        try:
            mode = os.stat(name).st_mode
        except OSError as exc:
            return Rejection(name, "read", "unreadable", f"cannot stat: {exc.strerror or exc}")
    kind = (
        "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return Rejection(name, "read", "not_regular_file", f"path is {kind}, not a regular file; not opened")


def _undecodable(name: str) -> bool:
    """True when a path holds bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _safe_text(name: str) -> str:
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _bad_name(name: str) -> Rejection:
    shown = _safe_text(name)
    return Rejection(shown, "read", "bad_file_name", "path is not valid UTF-8 (bad bytes shown as \\xNN); not read")


def decode_bytes(data: bytes) -> tuple[str, str] | None:
    """Decode bytes by their byte-order mark, as UTF-16 without one, as UTF-8, or as charset-normalizer guesses.

    Args:
        data: The raw file content.

    Returns:
        The text (without a byte-order mark) and the encoding used, or None when no
        encoding gives readable text.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), name
            except UnicodeDecodeError:
                break
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best), best.encoding


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    units = len(data) // 2
    if odd >= _MIN_UTF16_NUL_SHARE * units and not even:
        codec = "utf-16-le"
    elif even >= _MIN_UTF16_NUL_SHARE * units and not odd:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return (text, codec) if not looks_binary(text) else None


def looks_binary(text: str) -> bool:
    """Tell whether decoded text is really binary: NUL bytes or many control characters."""
    if "\x00" in text:
        return True
    # Counted by one regex scan in C rather than a Python loop over every character.
    return len(_BINARY_CONTROLS.findall(text)) > _MAX_CONTROL_SHARE * len(text)


def binary_signature(data: bytes) -> str | None:
    """Name the binary format whose signature the bytes start with (a PNG image, a zip archive), if any."""
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "a RIFF media file"
    if data[4:8] == b"ftyp":
        return "an MP4 or other ISO media file"
    return None


def decode_document(data: bytes) -> tuple[str, str] | Undecodable:
    """Decode a text document, or say precisely why it is not usable text.

    Args:
        data: The raw bytes.

    Returns:
        The text and its encoding, or why not: ``empty`` (nothing but whitespace),
        ``not_text`` (a binary format, control characters, no encoding fits),
        ``nul_bytes`` (text with NUL bytes in it: damaged or padded), ``invalid_utf8``
        (UTF-8 with bytes that are not UTF-8: damaged, and guessing another encoding
        would garble every character that was right).
    """
    if not data.strip():
        return Undecodable("empty", "file is empty or whitespace only")
    kind = binary_signature(data)
    if kind is not None:
        return Undecodable("not_text", f"content is {kind}, not text")
    if not any(data.startswith(bom) for bom, _, _ in _BOMS):
        damage = _utf8_damage(data)
        if damage is not None:
            return damage
    decoded = decode_bytes(data)
    if decoded is None:
        return _nul_bytes(data) or Undecodable("not_text", "content is not text in any known encoding")
    text, encoding = decoded
    if "\x00" in text:
        return _nul_bytes(data) or Undecodable("not_text", "content holds NUL bytes: binary, not text")
    if looks_binary(text):
        return Undecodable("not_text", "content holds control characters: binary, not text")
    if not text.strip():
        return Undecodable("empty", "file is empty or whitespace only")
    return text, encoding


def _utf8_damage(data: bytes) -> Undecodable | None:
    """Reject UTF-8 with invalid bytes in it: more valid non-ASCII characters than invalid sequences."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first = exc.start
    else:
        return None
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", errors="ignore")) - invalid
    if valid <= invalid:
        return None  # a legacy single-byte or other encoding, for charset-normalizer
    return Undecodable(
        "invalid_utf8",
        f"UTF-8 text with {invalid} invalid byte sequence(s), the first at byte {first}; not guessed at",
    )


def _nul_bytes(data: bytes) -> Undecodable | None:
    """Name text that holds NUL bytes; None when the rest is not text either."""
    rest = data.replace(b"\x00", b"")
    decoded = decode_bytes(rest[:65536]) if rest.strip() else None
    if decoded is None or looks_binary(decoded[0]):
        return None
    return Undecodable(
        "nul_bytes", f"text holds {data.count(0)} NUL byte(s), the first at byte {data.find(0)}: damaged or padded"
    )


def read_text(data: bytes, source_uri: str) -> SourceItem | Rejection:
    """Decode plain-text wire copy into one item for the wire-copy parser.

    Args:
        data: The raw bytes.
        source_uri: Where they came from.

    Returns:
        The item (``source_kind`` text, the whole file as ``text``), or a ``read``
        rejection saying why the bytes are not text: ``empty``, ``not_text``,
        ``nul_bytes``, ``invalid_utf8`` (see :func:`decode_document`).
    """
    content_hash = hashlib.sha256(data).hexdigest()
    decoded = decode_document(data)
    if isinstance(decoded, Undecodable):
        return Rejection(source_uri, "read", decoded.reason_code, decoded.detail, content_hash=content_hash)
    text, encoding = decoded
    return SourceItem(
        source_uri=source_uri,
        item_key="",
        source_kind="text",
        content_hash=content_hash,
        encoding=encoding,
        text=text,
    )
