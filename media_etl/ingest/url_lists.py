"""Read a text file of URLs: each URL is fetched by the run, as if given on the command line.

The rule, which never takes plain-text wire copy for a URL list:

- A ``.urls`` file is always a URL list. Blank lines and lines starting with ``#`` are skipped;
  every other line must be one http(s) URL, and a line that is not is quarantined (file, line,
  reason) while the good lines are still fetched.
- A ``.txt`` file is a URL list only when every line but blank and ``#`` lines is a single
  word holding ``://`` and at least one of them is an http(s) URL. Prose has spaces, so an
  article (whose headline and paragraphs do) is always read as wire copy. The words that are no
  fetchable URL (``ftp://...``, ``https://`` without a host) are quarantined as in a ``.urls`` file.
- No other file is ever read as a URL list.

A URL list is read when it is new or changed, like every input file; feeds to fetch at every
run belong in ``sources.yaml``.
"""

from __future__ import annotations

import hashlib

from media_etl.ingest.fetch import url_problem
from media_etl.ingest.files import decode_bytes
from media_etl.records import ListedUrl, Rejection

URL_LIST_SUFFIX = ".urls"
"""Files with this suffix are always URL lists."""
MAYBE_URL_LIST_SUFFIX = ".txt"
"""Files with this suffix are URL lists when every line is a URL (see the module docstring)."""
MAX_URL_CHARS = 2048


def _content_lines(text: str) -> list[tuple[int, str]]:
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            lines.append((number, stripped))
    return lines


def _is_url_word(line: str) -> bool:
    return "://" in line and not any(c.isspace() for c in line)


def is_url_list(data: bytes, path: str) -> bool:
    """Tell whether a file is a URL list by the rule in the module docstring.

    Args:
        data: The whole file.
        path: Its path; only the suffix counts.

    Returns:
        True for every ``.urls`` file, and for a ``.txt`` file whose lines are all URL-like words.
    """
    name = path.lower()
    if name.endswith(URL_LIST_SUFFIX):
        return True
    if not name.endswith(MAYBE_URL_LIST_SUFFIX) or b"://" not in data:
        return False
    decoded = decode_bytes(data)
    if decoded is None:
        return False
    lines = _content_lines(decoded[0])
    return (
        bool(lines)
        and all(_is_url_word(line) for _, line in lines)
        and any(url_problem(line) is None for _, line in lines)
    )


def read_url_list(data: bytes, path: str) -> tuple[list[ListedUrl], list[Rejection]]:
    """Read the URLs a URL-list file names, each once, and quarantine the lines that are no URL.

    Args:
        data: The whole file.
        path: Its path.

    Returns:
        The URLs in file order (a repeated URL only at its first line) and one ``read``
        rejection per bad line (reason ``bad_url``, with the line number and the line), or
        one ``undecodable`` rejection for a file that is not text.
    """
    digest = hashlib.sha256(data).hexdigest()
    decoded = decode_bytes(data)
    if decoded is None:
        return [], [Rejection(path, "read", "undecodable", "a URL list that is not text", content_hash=digest)]
    urls: list[ListedUrl] = []
    rejections: list[Rejection] = []
    seen: set[str] = set()
    for number, line in _content_lines(decoded[0]):
        problem = _line_problem(line)
        if problem is not None:
            detail = f"line {number} of the URL list: {problem}"
            rejections.append(
                Rejection(path, "read", "bad_url", detail, line=number, excerpt=line[:200], content_hash=digest)
            )
        elif line not in seen:
            seen.add(line)
            urls.append(ListedUrl(path, number, line))
    return urls, rejections


def _line_problem(line: str) -> str | None:
    if any(c.isspace() for c in line):
        return "not one URL (the line holds spaces)"
    if len(line) > MAX_URL_CHARS:
        return f"URL longer than {MAX_URL_CHARS} characters"
    if not line.lower().startswith(("http://", "https://")):
        return "not an http(s) URL"
    return url_problem(line)
