"""An HTML page's own address: the URL it declares as canonical.

The page's statements, most trusted first: ``<link rel="canonical">``, ``og:url``,
``twitter:url``, ``<base href>``. A protocol-relative address (``//host/path``) gets ``https:``;
a relative one is resolved against the page's other absolute address or the address it was
fetched from. Only an http(s) URL with a host counts, and it is normalised with courlan (the
URL library trafilatura uses): scheme and host in lower case, default port and tracking
parameters dropped.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from courlan import normalize_url
from lxml.html import HtmlElement

_STATEMENTS = (
    '//link[@rel="canonical"]/@href',
    '//meta[@property="og:url"]/@content',
    '//meta[@name="twitter:url" or @property="twitter:url"]/@content',
    "//head/base/@href",
)


def page_address(tree: HtmlElement, fetched_from: str | None = None) -> str | None:
    """The page's canonical address, or ``fetched_from`` when the page states none.

    Args:
        tree: The parsed page.
        fetched_from: The http(s) URL the page was read from, if it was.

    Returns:
        The first usable address the page states (see the module docstring), normalised;
        else ``fetched_from``; else None.
    """
    stated = [str(value).strip() for xpath in _STATEMENTS for value in tree.xpath(xpath)]
    stated = [value for value in stated if value]
    bases = [fetched_from] if fetched_from else []
    bases += [absolute for absolute in map(_absolute, stated) if absolute]
    for value in stated:
        address = _absolute(value) or (urljoin(bases[0], value) if bases else None)
        if address and _usable(address):
            try:
                return normalize_url(address)
            except ValueError:
                continue
    return fetched_from


def _absolute(value: str) -> str | None:
    if value.startswith("//"):
        value = "https:" + value
    return value if _usable(value) else None


def _usable(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "." in (parts.hostname or "")
