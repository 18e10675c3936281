"""An HTML page's headline, chosen by agreement between the places a page names it.

A page names its headline in several places: JSON-LD ``headline``, ``og:title``,
``twitter:title``, its ``<h1>`` and its ``<title>``, and trafilatura has its own guess. The
metadata often carry the site's name (``Headline - Site``, ``Headline | Section | Site``), and a
page may have several ``<h1>`` (logo, section, article). The choice:

1. an ``<h1>`` that another candidate agrees with: equal, or one of its parts between separators
   (`` - `` `` | `` `` – `` `` — `` `` › `` `` » `` `` :: ``);
2. else the metadata in order (JSON-LD, og:title, twitter:title, trafilatura, ``<title>``), each
   without the parts that name the site (``og:site_name``, or the name in its domain: ``BMAS`` of
   www.bmas.de) or, failing that, without the parts no other candidate has;
3. else the only ``<h1>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml.html import HtmlElement

_SEPARATORS = re.compile(r"\s+(?:[-|–—›»·:]{1,2}|::)\s+")
_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "report", "webpage", "reportagenewsarticle")
_MAX_CHARS = 400


@dataclass(frozen=True)
class HeadlineCandidates:
    """What a page says its headline is, read before extraction changes the tree."""

    structured: tuple[str, ...]
    """JSON-LD headlines, og:title and twitter:title, in that order."""
    title: str | None
    """The ``<title>``."""
    h1s: tuple[str, ...]
    site: str | None
    """og:site_name or application-name."""


def headline_candidates(tree: HtmlElement) -> HeadlineCandidates:
    """Read the page's headline candidates (call before trafilatura prunes the tree)."""
    return HeadlineCandidates(
        structured=(*_json_ld_headlines(tree), *_meta(tree)),
        title=_title(tree),
        h1s=tuple(h for h in (_clean(e.text_content()) for e in tree.iter("h1")) if h),
        site=_site_name(tree),
    )


def page_headline(found: HeadlineCandidates, extracted: str | None) -> str | None:
    """Choose the page's headline among its candidates (see the module docstring).

    Args:
        found: The candidates read from the page.
        extracted: trafilatura's title, if any.

    Returns:
        The headline, whitespace-normalised, or None when the page names none.
    """
    metas = [m for m in (*found.structured, _clean(extracted), found.title) if m]
    h1s = found.h1s
    site = found.site
    agreeing = [h1 for h1 in h1s if any(_agrees(h1, m) for m in metas) and not (site and _names_site(h1, site))]
    if agreeing:
        # the whole of a candidate before a part of one, then the longer (a logo's h1 is short)
        return max(agreeing, key=lambda h1: (any(_key(h1) == _key(m) for m in metas), len(h1)))
    for meta in metas:
        trimmed = _trim(meta, site, metas)
        if trimmed:
            return trimmed
    return h1s[0] if len(h1s) == 1 else None


def _agrees(h1: str, meta: str) -> bool:
    """An h1 agrees with a candidate that is the same words or has it as one of its parts."""
    key = _key(h1)
    return key == _key(meta) or key in (_key(p) for p in _parts(meta))


def _key(text: str) -> str:
    """What two spellings of one headline share: no case, spaces or soft hyphens."""
    return "".join(text.replace("\u00ad", "").casefold().split())


def _parts(text: str) -> list[str]:
    return [p.strip() for p in _SEPARATORS.split(text) if p.strip()]


def _trim(meta: str, site: str | None, metas: list[str]) -> str | None:
    """A metadata title without the site's name or a trailing part the other candidates lack."""
    parts = _parts(meta)
    if len(parts) == 1:
        return meta
    if site:
        kept = [p for p in parts if not _names_site(p, site)]
        if kept and len(kept) < len(parts):
            return _rejoin(meta, kept)
    others = [m.casefold() for m in metas if m != meta]
    shared = [p for p in parts if any(p.casefold() in o for o in others)]
    if others and shared and len(shared) < len(parts):
        return _rejoin(meta, shared)
    return meta


def _names_site(part: str, site: str) -> bool:
    """Tell whether a part of a title is the site's name, or the name in its domain (``BMAS`` of www.bmas.de)."""
    key, site_key = _key(part), _key(site)
    if key == site_key:
        return True
    labels = site_key.split(".")
    return len(labels) > 1 and key in labels


def _rejoin(meta: str, kept: list[str]) -> str:
    """The stretch of the original title from the first kept part to the last."""
    start = meta.find(kept[0])
    end = meta.rfind(kept[-1]) + len(kept[-1])
    return meta[start:end].strip() if 0 <= start < end else kept[0]


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    text = " ".join(value.split())
    return text if 0 < len(text) <= _MAX_CHARS else None


def _title(tree: HtmlElement) -> str | None:
    found = tree.find(".//title")
    return _clean(found.text_content()) if found is not None else None


def _meta(tree: HtmlElement) -> Iterator[str]:
    for name in ("og:title", "twitter:title"):
        for element in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]'):
            value = _clean(element.get("content"))
            if value:
                yield value
                break


def _site_name(tree: HtmlElement) -> str | None:
    for element in tree.xpath('//meta[@property="og:site_name" or @name="application-name"]'):
        value = _clean(element.get("content"))
        if value:
            return value
    return None


def _json_ld_headlines(tree: HtmlElement) -> Iterator[str]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except (ValueError, TypeError):
            continue
        yield from _headlines(data)


def _headlines(node: object) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _headlines(item)
    elif isinstance(node, dict):
        kinds = node.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(k, str) and k.casefold() in _ARTICLE_TYPES for k in kinds):
            value = _clean(node.get("headline") if isinstance(node.get("headline"), str) else None)
            if value:
                yield value
        graph = node.get("@graph")
        if graph is not None:
            yield from _headlines(graph)
