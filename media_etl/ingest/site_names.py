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

import json
import re
from collections.abc import Iterator

from lxml.html import HtmlElement

_MAX_CHARS = 100
_URL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[|»›·–—-]\s+")
_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
# A handle rather than a name (``@politifact``, ``usatoday``): used only when no name is stated.
_HANDLE = re.compile(r"@\S+|[a-z0-9_]+")
_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "reportagenewsarticle", "blogposting", "report", "analysisnewsarticle", "webpage"}
)


def page_site_name(tree: HtmlElement) -> str | None:
    """The site's name as the page states it (see the module docstring), or None.

    Args:
        tree: The parsed page.

    Returns:
        The first usable name among og:site_name, JSON-LD publisher, WebSite and news-organisation
        names, and application-name.
    """
    data = list(_json_ld(tree))
    by_id = {node["@id"]: node for node in _nodes(data) if isinstance(node.get("@id"), str) and "name" in node}
    candidates = (
        *_meta(tree, "property", "og:site_name"),
        *(_name(node.get("publisher"), by_id) for node in _nodes(data) if _is_a(node, _ARTICLE_TYPES)),
        *(_name(node) for node in _nodes(data) if _is_a(node, frozenset({"website"}))),
        *(_name(node) for node in _nodes(data) if _is_a(node, frozenset({"newsmediaorganization"}))),
        *_meta(tree, "name", "application-name"),
    )
    usable = [u for u in (_usable(c) for c in candidates) if u]
    return next((u for u in usable if not _HANDLE.fullmatch(u)), usable[0] if usable else None)


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


def _json_ld(tree: HtmlElement) -> Iterator[object]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            yield json.loads(script.text_content())
        except (ValueError, TypeError):
            continue


def _nodes(node: object) -> Iterator[dict[str, object]]:
    """Every JSON-LD object, walking lists and ``@graph``, in document order."""
    if isinstance(node, list):
        for item in node:
            yield from _nodes(item)
    elif isinstance(node, dict):
        yield node
        yield from _nodes(node.get("@graph"))


def _is_a(node: dict[str, object], kinds: frozenset[str]) -> bool:
    types = node.get("@type")
    listed = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.casefold() in kinds for t in listed)


def _name(node: object, by_id: dict[object, dict[str, object]] | None = None) -> str | None:
    """A JSON-LD object's ``name`` (the first, if a list of publishers; looked up by ``@id`` if a reference)."""
    if isinstance(node, list):
        node = node[0] if node else None
    if isinstance(node, dict):
        if "name" not in node and by_id:
            node = by_id.get(node.get("@id"), node)
        name = node.get("name")
        return name if isinstance(name, str) else None
    return None
