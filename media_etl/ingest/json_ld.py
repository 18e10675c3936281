"""A page's JSON-LD, read once and shared by the headline, author, date and site-name readers.

Every ``<script type="application/ld+json">`` (the type in any case) is parsed leniently: control
characters inside strings are accepted, and a trailing comma before ``}`` or ``]`` (the usual fault
of hand-written JSON-LD) is forgiven. A script that still does not parse keeps its text, so that
a reader can look for a plain ``"key": "value"`` in it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml.html import HtmlElement

_SCRIPTS = (
    "//script[contains(translate(@type, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),"
    " 'application/ld+json')]"
)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
# schema.org's article types: Article and its kinds (NewsArticle, ReportageNewsArticle …),
# BlogPosting and the other postings, and Report.
_ARTICLE_TYPE = re.compile(r"(?:Article|Posting|Report)$")


@dataclass(frozen=True)
class JsonLd:
    """The JSON-LD of one page."""

    payloads: tuple[object, ...]
    """Each script's parsed value, in document order (scripts that do not parse are left out)."""
    broken: tuple[str, ...]
    """The text of each script that does not parse."""
    items: tuple[dict[str, object], ...] = field(init=False)
    """The top-level objects and the members of their ``@graph``, in document order."""
    by_id: dict[str, dict[str, object]] = field(init=False)
    """The items that have an ``@id``, by it (the first of each)."""

    def __post_init__(self) -> None:
        items = tuple(_items(list(self.payloads)))
        object.__setattr__(self, "items", items)
        by_id: dict[str, dict[str, object]] = {}
        for item in items:
            key = item.get("@id")
            if isinstance(key, str):
                by_id.setdefault(key, item)
        object.__setattr__(self, "by_id", by_id)


def read_json_ld(tree: HtmlElement) -> JsonLd:
    """Parse every JSON-LD script of a page (see the module docstring)."""
    payloads: list[object] = []
    broken: list[str] = []
    for script in tree.xpath(_SCRIPTS):
        text = script.text or ""
        payload = _load(text)
        if payload is None:
            broken.append(text)
        else:
            payloads.append(payload)
    return JsonLd(payloads=tuple(payloads), broken=tuple(broken))


def types_of(item: dict[str, object]) -> list[str]:
    """An item's ``@type`` values (a string or a list of them)."""
    return [kind for kind in as_list(item.get("@type")) if isinstance(kind, str)]


def is_article(item: dict[str, object]) -> bool:
    """Tell whether an item is typed as an article (see ``_ARTICLE_TYPE``)."""
    return any(_ARTICLE_TYPE.search(kind) for kind in types_of(item))


def is_type(item: dict[str, object], name: str) -> bool:
    """Tell whether one of an item's types is ``name`` (case aside)."""
    return any(kind.casefold() == name.casefold() for kind in types_of(item))


def as_list(value: object) -> list[object]:
    """A JSON-LD value as a list: None is empty, a list stays, anything else is one item."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _load(text: str) -> object | None:
    try:
        return json.loads(text, strict=False)
    except ValueError:
        try:
            return json.loads(_TRAILING_COMMA.sub(r"\1", text), strict=False)
        except ValueError:
            return None


def _items(nodes: list[object]) -> Iterator[dict[str, object]]:
    for node in nodes:
        if isinstance(node, list):
            yield from _items(node)
        elif isinstance(node, dict):
            yield node
            graph = node.get("@graph")
            if isinstance(graph, list | dict):
                yield from _items([graph])
