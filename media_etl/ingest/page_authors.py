"""An HTML page's authors (its byline), read from the places a page names them.

A page names its author in several places, and some are more trustworthy than others. The
names are looked for in this order of trust, and the first place that gives a person's name wins:

1. JSON-LD: the ``author`` of the page's article (``Article``, ``NewsArticle``, ``BlogPosting``
   and the like; failing those, of another top-level item such as a ``Recipe`` or ``WebPage``):
   a string, a ``Person`` (or ``Organization``, see 5) object with a ``name``, an ``@id``
   pointing at such an object in the ``@graph``, or a list of these. Authors of nested items
   (reviews, comments) are not the page's.
2. Meta tags: ``author``, ``article:author``, ``dc.creator``, ``byl``, ``parsely-author``,
   ``sailthru.author`` (``name``, ``property`` or ``itemprop``).
3. Byline markup: elements marked ``itemprop="author"``, ``rel="author"`` links and elements
   whose class says ``author`` or ``byline`` (``post-author``, ``field--name-field-author``),
   the first in document order with its siblings, outside comments, teasers, sidebars,
   navigation and figures.
4. A byline phrase: a short element that reads ``von Name``, ``By Name``, ``Text: Name``,
   ``par Name``, ``por Name`` … (the lead words of the page's language, and English).
5. An organisation's name from 1-4, when no place names a person: the site itself (its
   ``og:site_name``, publisher or domain, or any domain such as ``example.com``), an author
   typed ``Organization`` in JSON-LD, or a name with a company word (``GmbH``, ``Verlag``,
   ``Redaktion``). A list that starts with one (``SPIEGEL ONLINE, Hamburg, Germany``) is the
   organisation's as a whole.
6. The holder of the page's copyright notice (its last ``©`` line outside figures), when that
   is a person's name (two to four capitalised words, no company words).

Every candidate is cleaned first: labels (``Autor:``, ``Text und Interview:``, ``Von``,
``By``, ``View all posts by``) come off, several names are split (``,`` ``;`` ``&`` ``und``
``and`` ``et`` ``y``), duplicates go, and what is not a name is dropped: URLs, e-mail
addresses, handles, user names with digits, words starting in lower case (``deinen
Hochzeitsbloggern``), the bare name of an editorial office (``Redaktion``, ``admin``), photo
credits (``Foto: …``), and text longer than a name. Agencies named as authors (``dpa``) stay in
the list; the pipeline moves them to ``agency`` (``media_etl.parse.agencies.is_wire_credit``).

trafilatura's own author guess is not used: it title-cases what it finds and, where the places
above name no one, mostly picks page furniture (``Autor john``, ``Wegewerk Gmbh``) or a teaser's byline.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from media_etl.ingest.json_ld import JsonLd, as_list, is_article, read_json_ld, types_of

_MAX_NAME_CHARS = 80
_MAX_NAME_WORDS = 8
_MAX_BYLINE_CHARS = 200
"""A byline element longer than this is an author box or prose, not a byline."""
_MAX_PHRASE_WORDS = 5
_MAX_COPYRIGHT_WORDS = 4
_MIN_SITE_KEY = 4
"""A site name or domain label this long or longer, found inside an author's name, makes it the site's."""

_META_AUTHOR_NAMES = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "parsely-author",
    "sailthru.author",
)

# Words that separate several names in one byline.
_NAME_SEPARATORS = re.compile(r"\s*(?:[;,&|/+•·]|\s(?:and|und|et|y|e|en|og|och|i)\s)\s*", re.IGNORECASE)
# Lead words before a name ("By", "von", "Written by") and role labels before a colon
# ("Text:", "Autor:", "Text und Interview:"), in the languages of the pages read.
_LEAD_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "written by",
        "posted by",
        "published by",
        "words by",
        "story by",
        "text by",
        "article by",
        "recipe by",
        "report by",
        "by",
    ),
    "de": (
        "verfasst von",
        "geschrieben von",
        "veröffentlicht von",
        "erstellt von",
        "ein beitrag von",
        "ein artikel von",
        "von",
    ),
    "fr": ("rédigé par", "écrit par", "publié par", "par"),
    "es": ("escrito por", "redactado por", "publicado por", "por"),
    "pt": ("escrito por", "publicado por", "por"),
    "it": ("scritto da", "a cura di", "di"),
    "nl": ("geschreven door", "door"),
    "pl": ("przez",),
    "sv": ("av",),
    "da": ("af", "av"),
    "no": ("av",),
}
_ROLE_WORDS = (
    r"text[eo]?|tekst|autor(?:in|en|innen|es|a)?|authors?|auteur(?:e|s|\(s\))?|autore|autori|"
    r"verfasser(?:in)?|redakteur(?:in)?|reporter(?:in)?|interview|writer|written|byline"
)
_ROLE_LABEL = re.compile(
    rf"^(?:(?:{_ROLE_WORDS})(?:\s*(?:\(s\))?\s*(?:und|and|&|/|,|et|y|e)\s*)?)+\s*(?:\(s\))?\s*[:：]\s*", re.I
)
_PHOTO_LABEL = re.compile(r"^(?:fotos?|photos?|bilder?|bild|illustrations?|grafik|video|kamera|camera)\s*[:：]", re.I)
# "View all posts by X", "Zeige alle Beiträge von X", "Alle Beiträge von X anzeigen".
_POSTS_BY = re.compile(
    r"^.*?\b(?:posts|articles|entries|stories|beiträge|artikel|artículos|entradas|publications|articoli)"
    r"\s+(?:by|von|de|par|por|di|door)\s+(?P<name>.+?)(?:\s+(?:anzeigen|ansehen|lesen))?$",
    re.I,
)
_EDITED_BY = re.compile(r"\b(?:edited|herausgegeben|hrsg|ed\.)\b", re.I)
_TRIM = " \t\n.,:;-–—|·•*\"'“”„«»()[]"
_LEADING_FURNITURE = re.compile(r"^[\s\-–—·|*•>]+")
# Lower-case words that may start or sit inside a person's name.
_PARTICLES = frozenset(
    {
        "von",
        "van",
        "de",
        "da",
        "del",
        "della",
        "der",
        "den",
        "di",
        "du",
        "le",
        "la",
        "zu",
        "ten",
        "ter",
        "dos",
        "das",
        "al",
        "el",
        "bin",
        "d'",
    }
)
# The bare name of an editorial office or a CMS account: no person.
_NO_PERSON = frozenset(
    {
        "redaktion", "redaction", "rédaction", "redacción", "redazione", "redactie", "redakcja",
        "editorial", "editor", "editors", "the editors", "admin", "administrator", "webmaster",
        "guest", "gast", "anonymous", "anonym", "unknown", "unbekannt", "team",
        # a role without the name
        "autor", "autorin", "author", "auteur", "autore", "kolumnist", "kolumnistin", "columnist",
        "redakteur", "redakteurin", "journalist", "journalistin", "reporter", "reporterin",
        "korrespondent", "korrespondentin", "correspondent", "contributor", "writer",
    }
)  # fmt: skip
# Characters no name holds: a hashtag, markup, a label's colon, a sentence's end.
_NOT_IN_NAMES = re.compile(r"[#{}<>=:;?!©]")
# URLs, e-mail addresses and handles: an author field that holds one names no one.
_URL_LIKE = re.compile(r"\S*(?:://|www\.|@)\S*", re.I)
_SHORT_CREDIT = re.compile(r"[a-z]{2,4}")
_DOMAIN_LIKE = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.I)
# Words that make a copyright holder a company, not a person.
_COMPANY_WORDS = frozenset(
    {
        "gmbh", "ag", "se", "kg", "ohg", "ug", "ev", "e.v", "inc", "llc", "ltd", "plc", "corp", "co", "sa", "sl",
        "srl", "bv", "nv", "verlag", "medien", "media", "group", "gruppe", "press", "presse", "news", "online",
        "stiftung", "foundation", "magazin", "magazine", "zeitung", "university", "universität", "institut",
        "institute", "company", "corporation", "association", "verein", "team", "redaktion", "holding",
        "network", "services", "solutions", "international", "publishing", "rights", "reserved", "alle",
        "spa", "entertainment", "union", "council", "ministry", "ministerium", "office", "amt", "government",
        "regierung", "department", "club", "verband", "bundesverband", "gesellschaft", "the", "riproduzione",
        "riservata", "impressum", "datenschutz", "privacy", "imprint", "kontakt", "contact", "agb", "home",
        "sitemap", "bildrechte", "cc",
    }
)  # fmt: skip
_COPYRIGHT_MARK = re.compile(r"©|\(c\)|\bcopyright\b|\b(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d\s+by\b", re.I)
_COPYRIGHT_LEAD = re.compile(
    r"^(?:\s*(?:©|\(c\)|copyright|by|[-–,]|(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?)\s*)+", re.I
)
# Words in the class or id of containers whose names are not the article's author.
_OFF_ARTICLE_PARTS = frozenset(
    {
        "comment", "comments", "kommentare", "related", "teaser", "teasers", "sidebar", "recommended",
        "recommendations", "promo", "newsletter", "breadcrumb", "breadcrumbs", "menu", "nav", "navigation",
        "listing", "reviews", "cookie", "cookies",
    }
)  # fmt: skip
_TAXONOMY_PREFIXES = ("tag-", "category-", "categories-", "format-", "status-", "post-")
_OFF_ARTICLE_TAGS = frozenset({"nav", "aside", "figure", "figcaption", "form", "picture", "script", "style"})
_BYLINE_CLASS_PARTS = frozenset({"author", "authors", "byline", "autor", "auteur", "autore", "writer"})
_NOT_BYLINE_CLASS_PARTS = frozenset(
    {"avatar", "bio", "biography", "description", "desc", "image", "img", "photo", "picture", "thumbnail",
     "thumb", "label", "heading", "social", "follow", "comment", "comments", "more"}
)  # fmt: skip
_CLASS_PARTS = re.compile(r"[-_]+")
_BLOCK_TAGS = frozenset(
    {
        "br",
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "section",
        "article",
        "footer",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)


@dataclass(frozen=True)
class AuthorCandidates:
    """What a page says about its authors, read before extraction changes the tree."""

    declared: tuple[tuple[str, ...], ...]
    """Names from JSON-LD, meta tags, byline markup and byline phrases, one tuple per place, in order of trust."""
    copyright_holder: str | None
    """The person named by the page's copyright notice, if any."""
    site_keys: frozenset[str]
    """The site's names and domain labels, as ``_key`` spells them."""
    organisations: frozenset[str] = frozenset()
    """Author names that JSON-LD types as an ``Organization``, as ``_key`` spells them."""


def author_candidates(tree: HtmlElement, json_ld: JsonLd | None = None) -> AuthorCandidates:
    """Read the page's author candidates (call before trafilatura prunes the tree).

    Args:
        tree: The parsed page.
        json_ld: The page's JSON-LD, when the caller has read it already.

    Returns:
        The names each place of the page gives, cleaned, in order of trust.
    """
    json_ld = json_ld if json_ld is not None else read_json_ld(tree)
    language = _page_language(tree)
    declared = (
        tuple(_json_ld_authors(json_ld)),
        tuple(_meta_authors(tree)),
        _markup_authors(tree),
        _phrase_authors(tree, language),
    )
    return AuthorCandidates(
        declared=declared,
        copyright_holder=_copyright_holder(tree),
        site_keys=frozenset(k for k in _site_keys(tree, json_ld) if k),
        organisations=frozenset(_json_ld_organisations(json_ld)),
    )


def page_authors(found: AuthorCandidates) -> tuple[str, ...]:
    """Choose the page's authors among its candidates (see the module docstring for the order).

    Args:
        found: The candidates read from the page.

    Returns:
        The authors' names, whitespace-normalised and without duplicates, or ``()``.
    """
    organisation_named: tuple[str, ...] = ()
    for names in found.declared:
        if not names:
            continue
        # "SPIEGEL ONLINE, Hamburg, Germany": what follows an organisation is its address.
        people = () if _is_organisation(names[0], found) else tuple(n for n in names if not _is_organisation(n, found))
        if people:
            return _unique(people)
        organisation_named = organisation_named or names
    if organisation_named:
        return _unique(organisation_named)
    holder = found.copyright_holder
    if holder and not _is_organisation(holder, found):
        return (holder,)
    return ()


def clean_names(text: str, *, strict: bool = False) -> list[str]:
    """Split a byline into names, dropping labels, roles and what is not a name.

    Args:
        text: A byline, author field or author element's text.
        strict: Keep only names shaped like a person's: two to five capitalised words (for
            bylines found in running text, where a looser rule would take any phrase).

    Returns:
        The names in the order written.
    """
    text = " ".join(_URL_LIKE.sub(" ", html.unescape(text)).split())
    if not text or len(text) > _MAX_BYLINE_CHARS or _PHOTO_LABEL.match(text) or _EDITED_BY.search(text):
        return []
    posts_by = _POSTS_BY.match(text)
    if posts_by:
        text = posts_by.group("name")
    text = _strip_lead(text)
    names = []
    for part in _NAME_SEPARATORS.split(text):
        name = _strip_lead(re.sub(r"\s*\([^()]*\)$", "", part.strip(_TRIM))).strip(_TRIM)
        if _is_name(name) and (not strict or _person_shaped(name, _MAX_PHRASE_WORDS)):
            names.append(name)
        elif strict and name:
            return []  # a phrase that is not only names is a sentence: "By our photos we …"
    return names


def _strip_lead(text: str) -> str:
    """Take a role label (``Text:``) or a lead word (``By``, ``von``) off the front of a byline."""
    previous = None
    while text != previous:
        previous = text
        text = _ROLE_LABEL.sub("", text).strip()
        text = _ALL_LEADS.sub("", text).strip()
    return text


@cache
def _lead_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})(?:\s*[:：]\s*|\s+|$)", re.I)


_ALL_LEADS = _lead_pattern(tuple(w for words in _LEAD_WORDS.values() for w in words))


def _is_name(name: str) -> bool:
    """Tell whether a cleaned string can be a byline name (a person's or an organisation's)."""
    if not 2 <= len(name) <= _MAX_NAME_CHARS or len(name.split()) > _MAX_NAME_WORDS:
        return False
    if not any(c.isalpha() for c in name) or any(c.isdigit() for c in name):
        return False
    if "@" in name or "://" in name or "/" in name or name.casefold().startswith("www."):
        return False
    if name.casefold() in _NO_PERSON or _NOT_IN_NAMES.search(name):
        return False
    words = name.split()
    if sum(w.islower() and w not in _PARTICLES for w in words) > 1:
        return False  # prose: "Contributors to Wikimedia projects"
    first = words[0]
    if first[:1].islower():
        # lower case starts a particle ("van Dijk"), a domain, or a wire's short name ("dpa", "epd")
        return first in _PARTICLES or bool(_DOMAIN_LIKE.match(name)) or _SHORT_CREDIT.fullmatch(name) is not None
    return True


def _person_shaped(name: str, max_words: int, *, capitals: bool = True) -> bool:
    """Tell whether a name looks like a person's: two or more capitalised words (or particles).

    ``capitals=False`` also refuses a name with some words in capitals (``Luigi LAVAZZA SPA``);
    a name all in capitals (``MAX MUSTER``) stays.
    """
    words = name.split()
    if not 2 <= len(words) <= max_words or _DOMAIN_LIKE.match(name):
        return False
    in_capitals = [len(w.strip(".")) > 1 and w.isupper() for w in words]
    if not capitals and any(in_capitals) and not all(in_capitals):
        return False
    if any(w.casefold().strip(".") in _COMPANY_WORDS for w in words):
        return False
    return words[-1][:1].isupper() and all(w[:1].isupper() or w.casefold() in _PARTICLES for w in words)


def _is_organisation(name: str, found: AuthorCandidates) -> bool:
    """Tell whether a name is an organisation's rather than a person's.

    It is when it is a domain (``example.com``), holds the site's name or domain label
    (``Redaktion example``), is typed ``Organization`` in JSON-LD, or has a company word (``GmbH``).
    """
    if _DOMAIN_LIKE.match(name):
        return True
    key = _key(name)
    if key in found.organisations or any(k == key or (len(k) >= _MIN_SITE_KEY and k in key) for k in found.site_keys):
        return True
    return any(word.casefold().strip(".") in _COMPANY_WORDS for word in name.split())


def _key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


# --- 1. JSON-LD ---------------------------------------------------------------------------


def _json_ld_authors(json_ld: JsonLd) -> Iterator[str]:
    articles = [item for item in json_ld.items if is_article(item)]
    for item in articles or json_ld.items:
        names = [n for value in as_list(item.get("author")) for n in _author_names(value, json_ld.by_id)]
        if names:
            yield from names
            return


def _json_ld_organisations(json_ld: JsonLd) -> Iterator[str]:
    """The keys of JSON-LD author names typed as organisations."""
    for item in json_ld.items:
        for value in as_list(item.get("author")):
            if not isinstance(value, dict):
                continue
            if any(isinstance(k, str) and k.endswith("Organization") for k in as_list(value.get("@type"))):
                yield from (_key(n) for n in as_list(value.get("name")) if isinstance(n, str))


def _author_names(value: object, by_id: dict[str, dict[str, object]]) -> list[str]:
    if isinstance(value, str):
        return clean_names(value)
    if isinstance(value, dict):
        name = value.get("name")
        if name is None and value.get("@id") in by_id:
            name = by_id[value["@id"]].get("name")
        return [n for part in as_list(name) if isinstance(part, str) for n in clean_names(part)]
    return []


# --- 2. meta tags -------------------------------------------------------------------------


def _meta_authors(tree: HtmlElement) -> Iterator[str]:
    by_name: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content") or ""
        for attribute in ("name", "property", "itemprop"):
            name = (meta.get(attribute) or "").strip().lower()
            if content.strip() and name in _META_AUTHOR_NAMES:
                by_name.setdefault(name, content)
    for name in _META_AUTHOR_NAMES:
        names = clean_names(by_name.get(name, ""))
        if names:
            yield from names
            return


# --- 3. byline markup ---------------------------------------------------------------------


def _markup_authors(tree: HtmlElement) -> tuple[str, ...]:
    """Names in the first byline element of the article and the byline elements beside it."""
    first: HtmlElement | None = None
    names: list[str] = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag == "meta" or not _marks_author(element):
            continue
        if first is not None and element.getparent() is not first.getparent():
            continue
        if _off_article(element):
            continue
        found = clean_names(_own_byline_text(element))
        if found:
            first = first if first is not None else element
            names.extend(found)
    return tuple(names)


def _marks_author(element: HtmlElement) -> bool:
    if (element.get("itemprop") or "").strip().lower() == "author":
        return True
    if "author" in (element.get("rel") or "").lower().split():
        return True
    for token in (element.get("class") or "").lower().split():
        parts = set(_CLASS_PARTS.split(token))
        if parts & _BYLINE_CLASS_PARTS and not parts & _NOT_BYLINE_CLASS_PARTS:
            return True
    return False


def _own_byline_text(element: HtmlElement) -> str:
    """An author element's text, or its ``itemprop="name"`` part when it has one."""
    named = element.xpath(".//*[@itemprop='name']")
    source = named[0] if named else element
    text = source.get("content") if source.tag == "meta" else source.text_content()
    return text or ""


def _off_article(element: HtmlElement) -> bool:
    """Tell whether an element sits in a comment, teaser, sidebar, menu, figure or the page footer.

    The containers are looked for from the element up to the nearest ``article`` or ``main``
    (that one included): what wraps the article is page layout, whatever its class says.
    """
    node: HtmlElement | None = element
    while node is not None:
        if node.tag in _OFF_ARTICLE_TAGS or _nested_item(node) or _OFF_ARTICLE_PARTS & _name_parts(node):
            return True
        if node.tag in ("article", "main"):
            return False
        if node.tag == "footer":
            return True  # the page's footer: an article's own footer was left at its article
        node = node.getparent()
    return False


def _name_parts(node: HtmlElement) -> set[str]:
    """The words of an element's class and id (``entry__related`` gives entry, related)."""
    tokens = f"{node.get('class') or ''} {node.get('id') or ''}".lower().split()
    # WordPress names an article's tags and categories in its class: "tag-comment", "category-news".
    kept = (t for t in tokens if not t.startswith(_TAXONOMY_PREFIXES))
    return {part for token in kept for part in _CLASS_PARTS.split(token) if part}


# --- 4. byline phrases --------------------------------------------------------------------


def _phrase_authors(tree: HtmlElement, language: str | None) -> tuple[str, ...]:
    """Names from the first short element that reads ``von Name``, ``By Name``, ``Text: Name``."""
    words = _LEAD_WORDS.get(language or "", ()) + _LEAD_WORDS["en"] if language in _LEAD_WORDS else None
    lead = _lead_pattern(words) if words else _ALL_LEADS
    body = tree.find(".//body")
    for element in (body if body is not None else tree).iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        own = _LEADING_FURNITURE.sub("", element.text or "")
        if not (lead.match(own) or _ROLE_LABEL.match(own) or lead.match(own + " ")):
            continue
        names = _phrase_names(element, lead)
        if names:
            return names
    return ()


def _phrase_names(element: HtmlElement, lead: re.Pattern[str]) -> tuple[str, ...]:
    """Read a byline phrase starting in ``element``, in it or in the parents it opens."""
    node: HtmlElement | None = element
    for _ in range(3):
        if node is None:
            return ()
        text = " ".join(node.text_content().split())
        if len(text) > _MAX_BYLINE_CHARS:
            return ()
        body = _LEADING_FURNITURE.sub("", text)
        if (lead.match(body) or _ROLE_LABEL.match(body)) and not _off_article(node):
            names = clean_names(body, strict=True)
            if names:
                return tuple(names)
        parent = node.getparent()
        # A parent counts only when this element opens it: "<a><b>Von:</b> Name</a>".
        if parent is None or _text_before(parent, node):
            return ()
        node = parent
    return ()


def _nested_item(node: HtmlElement) -> bool:
    """Tell whether a microdata item is a comment, or a review inside another item (a product's)."""
    kind = (node.get("itemtype") or "").lower()
    if "comment" in kind:
        return True
    return "review" in kind and any(a.get("itemscope") is not None for a in node.iterancestors())


def _text_before(parent: HtmlElement, child: HtmlElement) -> bool:
    """Tell whether ``parent`` holds any text before ``child``."""
    if (parent.text or "").strip():
        return True
    for sibling in parent:
        if sibling is child:
            return False
        if (sibling.text_content() if isinstance(sibling.tag, str) else "").strip() or (sibling.tail or "").strip():
            return True
    return False


def _page_language(tree: HtmlElement) -> str | None:
    root = tree.getroottree().getroot()
    tag = (root.get("lang") or root.get("xml:lang") or "").strip().lower()
    return re.split(r"[-_]", tag)[0] or None


# --- 6. the site's own names --------------------------------------------------------------


def _site_keys(tree: HtmlElement, json_ld: JsonLd) -> Iterator[str]:
    for meta in tree.xpath('//meta[@property="og:site_name" or @name="application-name" or @name="og:site_name"]'):
        yield _key(meta.get("content") or "")
    for item in json_ld.items:
        kinds = types_of(item)
        if "WebSite" in kinds or "Organization" in kinds or "NewsMediaOrganization" in kinds:
            yield from (_key(n) for n in as_list(item.get("name")) if isinstance(n, str))
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            yield _key(publisher["name"])
    urls = tree.xpath('//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content')
    for url in urls:
        # an archived page's address holds the original one: take the last
        host = (urlsplit(re.split(r"(?=https?://)", url.strip())[-1]).hostname or "").removeprefix("www.")
        if host:
            yield _key(host)
            yield _key(host.rsplit(".", 1)[0])


# --- 7. copyright notice ------------------------------------------------------------------


def _copyright_holder(tree: HtmlElement) -> str | None:
    """The person named by the page's last copyright notice outside figures and captions."""
    notice: HtmlElement | None = None
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "title", "head"):
            continue
        own = [element.text or "", *(child.tail or "" for child in element)]
        if any(_COPYRIGHT_MARK.search(text) for text in own) and not _in_figure(element):
            notice = element
    if notice is None:
        return None
    for line in _lines(notice):
        match = _COPYRIGHT_MARK.search(line)
        if match:
            return _holder(line[match.start() :])
    return None


def _in_figure(element: HtmlElement) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag in ("figure", "figcaption", "picture") or "caption" in (node.get("class") or "").lower():
            return True
    return False


def _lines(element: HtmlElement) -> list[str]:
    """An element's text split where line breaks and blocks split it."""
    pieces: list[str] = [element.text or ""]
    for child in element:
        _collect_text(child, pieces)
    return [" ".join(line.split()) for line in "".join(pieces).split("\n")]


def _collect_text(node: HtmlElement, pieces: list[str]) -> None:
    if isinstance(node.tag, str):
        if node.tag in _BLOCK_TAGS:
            pieces.append("\n")
        pieces.append(node.text or "")
        for child in node:
            _collect_text(child, pieces)
    pieces.append(node.tail or "")


def _holder(notice: str) -> str | None:
    """The person's name at the start of a copyright notice (``© 2019 Max Muster • Impressum``)."""
    rest = _COPYRIGHT_LEAD.sub("", notice)
    words: list[str] = []
    for word in rest.split():
        bare = word.strip(".,;:•|·")
        if bare.isalpha() and bare.islower() and bare not in _PARTICLES:
            # "Deutsche Gesellschaft für Sonnenenergie": the name runs on, an organisation's
            return None
        if not bare or not (bare[:1].isupper() or bare.casefold() in _PARTICLES) or not bare.replace("-", "").isalpha():
            break
        words.append(bare)
        if bare != word:
            break
    name = " ".join(words)
    return name if _person_shaped(name, _MAX_COPYRIGHT_WORDS, capitals=False) else None
