"""The name a web page gives its own site, from the places meant for it (issue 15).

An outlet's name must never come from a section or page title (``Autoracing | F1 | Indy``), so
only the page's statements of its site's name count, in this order:

1. ``<meta property="og:site_name">``;
2. JSON-LD: the ``publisher`` name of an article, then the ``name`` of a ``WebSite``, then of a
   ``NewsMediaOrganization``;
3. ``<meta name="application-name">``.

A name is whitespace-normalised and at most 100 characters. A URL, or a trail of three or more
parts between separators (``Autoracing | F1 | Indy | MotoGP``, sections, not a name), is skipped;
of two parts one of which is a bare domain (``The Jerusalem Post | JPost.com``) the other is kept.
A handle (``@politifact``, ``usatoday``) is used only when no later source states a proper name.
No fragment of ``<title>`` is ever used. The registry of sources, which the pipeline consults
first, is not this module's concern.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from media_etl.ingest.json_ld import JsonLd, is_article, is_type, read_json_ld

_MAX_CHARS = 100
_URL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[|»›·–—-]\s+")
_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
# A handle rather than a name (``@politifact``, ``usatoday``): used only when no name is stated.
_HANDLE = re.compile(r"@\S+|[a-z0-9_]+")


def page_site_name(tree: HtmlElement, json_ld: JsonLd | None = None) -> str | None:
    """The site's name as the page states it (see the module docstring), or None.

    Args:
        tree: The parsed page.
        json_ld: The page's JSON-LD, when the caller has read it already.

    Returns:
        The first usable name among og:site_name, JSON-LD publisher, WebSite and news-organisation
        names, and application-name.
    """
    json_ld = json_ld if json_ld is not None else read_json_ld(tree)
    items = json_ld.items
    candidates = (
        *_meta(tree, "property", "og:site_name"),
        *(
            _name(item.get("publisher"), json_ld.by_id)
            for item in items
            if is_article(item) or is_type(item, "WebPage")
        ),
        *(_name(item) for item in items if is_type(item, "WebSite")),
        *(_name(item) for item in items if is_type(item, "NewsMediaOrganization")),
        *_meta(tree, "name", "application-name"),
    )
    usable = [u for u in (_usable(c) for c in candidates) if u]
    return next((u for u in usable if not _HANDLE.fullmatch(u)), usable[0] if usable else None)


def usable_site_name(value: str | None) -> str | None:
    """Check a name a source gives its site (a feed's title, an export's site field) by the same rules.

    Args:
        value: The stated name.

    Returns:
        The name, whitespace-normalised and without a bare domain beside it; None for a URL, a
        name over 100 characters or a trail of three or more sections (``Autoracing | F1 | Indy``).
    """
    return _usable(value)


def _usable(value: str | None) -> str | None:
    """A whitespace-normalised name, without a bare domain beside it; None for a URL or a trail of sections."""
    if not value:
        return None
    text = " ".join(value.split())
    parts = [p.strip() for p in _SEPARATORS.split(text) if p.strip()]
    if len(parts) > 2 or not 0 < len(text) <= _MAX_CHARS or _URL.match(text):
        return None
    named = [p for p in parts if not _DOMAIN.fullmatch(p)]
    return named[0] if len(parts) == 2 and len(named) == 1 else text


def _meta(tree: HtmlElement, attribute: str, name: str) -> list[str]:
    return [str(v) for v in tree.xpath(f'//meta[@{attribute}="{name}"]/@content')]


def _name(node: object, by_id: dict[str, dict[str, object]] | None = None) -> str | None:
    """A JSON-LD object's ``name`` (the first, if a list of publishers; looked up by ``@id`` if a reference)."""
    if isinstance(node, list):
        node = node[0] if node else None
    if isinstance(node, dict):
        reference = node.get("@id")
        if "name" not in node and by_id and isinstance(reference, str):
            node = by_id.get(reference, node)
        name = node.get("name")
        return name if isinstance(name, str) else None
    return None
