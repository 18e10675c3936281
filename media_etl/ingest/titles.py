"""An HTML page's headline, chosen by agreement between the places a page names it.

A page names its headline in several places: JSON-LD ``headline``, ``og:title``,
``twitter:title``, its ``<title>`` (the page's *metadata*), and its ``<h1>`` and ``<h2>`` headings
(trafilatura's guess is not asked for: it is one of these again). The metadata often carry the
site's name (``Headline - Site``, ``Headline | Section | Site``), a page may have several ``<h1>``
(logo, section, article), and an ``<h1>`` may hold more than the headline.

Headings are read as a reader sees them: without ``<style>``/``<script>``, ruby readings
(``<rt>``), screen-reader-only or hidden text, soft hyphens, and headings nested inside them (a
byline block). Each heading offers up to three readings: without a leading kicker element
(``<h1><span class="kicker">Olympia</span> Getränke per Schiff</h1>``); the line before a
``<br>`` (a dateline or subtitle follows it); and the whole.

Two texts *agree* when the words of one (letters and digits, case-folded, so dashes, quotes,
soft hyphens and spacing don't matter) are a run of the other's words. The choice:

1. an ``<h1>`` whose reading (in the order above) a metadata title contains; among several, one a
   metadata title equals as a whole, then the longer;
2. else the only ``<h1>``, without its kicker when the kicker is the shorter part and not phrase
   markup (``<a>``, ``<b>``, ``<em>``, a bare ``<span>``: they may open the sentence); a label of
   two words needs a word in common with the metadata (``Log In`` is furniture);
3. else, of several ``<h1>``, the one of three words or more whose words a metadata title most
   has, when it has three quarters of them;
4. else an ``<h2>`` whose words a metadata title, or a run of its parts between separators, has:
   that piece of metadata, spelt as the heading if one is;
5. else the metadata in order (JSON-LD, og:title, twitter:title, ``<title>``), each
   without the parts that name the site or a logo ``<h1>``, or else cut to the run of its parts
   another candidate is;
6. else the only ``<h1>``.

A heading is the site's name, never the headline, when it is a domain name, ``og:site_name``, the
page's host (canonical URL or ``og:url``) or a label of it, also run together without accents
(``Anwalt Niemeyer`` of anwaltniemeyer.de); when it is, or begins with, the
trailing part of the ``<title>`` and that part is no longer than what precedes it (``Was ist
Virales Marketing? | DimidoBlog`` with ``<h1>DimidoBlog</h1>``); or when one metadata title is
another plus it (``Lyrics: Zhi Neng`` beside ``Zhi Neng``). A chosen heading loses a part naming
the site (``<h1>Headline | Umweltbundesamt</h1>``). Separators between the parts of a title are
`` - `` `` | `` `` – `` `` — `` `` › `` `` » `` `` · `` `` : `` `` │ `` and two-character runs of
them; a part's halves around ``: `` count as pieces in step 4. A metadata title that is only the
site's name takes no part in the choice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from media_etl.ingest.json_ld import JsonLd, is_article, is_type, read_json_ld
from media_etl.ingest.page_address import page_address

_SEPARATORS = re.compile(r"\s+(?:[-|–—›»·:│]{1,2}|::)\s+")
_COLON = re.compile(r"(?<=\w):\s+")
_MAX_CHARS = 400
# A site name found in a domain label must be this long, so that a short word is no site name by chance.
_MIN_LABEL_CHARS = 5
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_CLOSE = 0.75
_NO_INVISIBLE = str.maketrans(dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_WORDS = re.compile(r"\w+")
_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
# What a heading holds that a reader does not see as its text.
_UNSEEN = (
    ".//style | .//script | .//noscript | .//template | .//rt | .//rp"
    " | .//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6"
    " | .//*[@hidden] | .//*[contains(translate(@style, ' ', ''), 'display:none')]"
)
_SCREEN_READER_CLASSES = frozenset(
    {"sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text", "element-invisible", "invisible"}
)
# Elements that are part of a heading's sentence, never a kicker above it.
_PHRASE_TAGS = frozenset({"a", "b", "strong", "em", "i", "u", "q", "mark", "abbr", "cite", "code", "sup", "sub", "br"})


@dataclass(frozen=True)
class Heading:
    """One heading's readings: the whole, without a leading kicker, and the line before a ``<br>``."""

    text: str
    without_kicker: str | None = None
    kicker: str | None = None
    """The leading element's text, when more text follows it."""
    kicker_in_sentence: bool = False
    """Whether that element is phrase markup (``<em>``, ``<a>``), which may be part of the sentence."""
    first_line: str | None = None

    def readings(self) -> list[str]:
        """The heading's readings: without the kicker, the first line, the whole."""
        return [r for r in (self.without_kicker, self.first_line, self.text) if r]


@dataclass(frozen=True)
class HeadlineCandidates:
    """What a page says its headline is, read before extraction changes the tree."""

    structured: tuple[str, ...]
    """JSON-LD headlines, og:title and twitter:title, in that order."""
    title: str | None
    """The ``<title>``."""
    h1s: tuple[Heading, ...]
    site: str | None
    """og:site_name or application-name."""
    h2s: tuple[Heading, ...] = ()
    host: str | None = None
    """The host of the page's canonical URL or og:url, without ``www.``."""
    metas: tuple[str, ...] = field(init=False)
    """The page's metadata titles: ``structured`` then ``title``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "metas", tuple(m for m in (*self.structured, self.title) if m))


def headline_candidates(tree: HtmlElement, json_ld: JsonLd | None = None) -> HeadlineCandidates:
    """Read the page's headline candidates (call before trafilatura prunes the tree).

    Args:
        tree: The parsed page.
        json_ld: The page's JSON-LD, when the caller has read it already.
    """
    json_ld = json_ld if json_ld is not None else read_json_ld(tree)
    return HeadlineCandidates(
        structured=(*_json_ld_headlines(json_ld), *_meta(tree)),
        title=_title(tree),
        h1s=_headings(tree, "h1"),
        site=_site_name(tree),
        h2s=_headings(tree, "h2"),
        host=_host(tree),
    )


def page_headline(found: HeadlineCandidates) -> str | None:
    """Choose the page's headline among its candidates (see the module docstring).

    Args:
        found: The candidates read from the page.

    Returns:
        The headline, whitespace-normalised, or None when the page names none.
    """
    # A metadata title that is only the site's name says nothing about the article.
    metas = [m for m in found.metas if not _names_site_by_name(m, found)]
    h1s = [h for h in found.h1s if not _names_site(h.text, found)]
    agreeing = [a for a in (_agreeing_reading(h, metas) for h in h1s) if a]
    if agreeing:
        # the whole of a candidate before a part of one, then the longer (a logo's h1 is short)
        best = max(agreeing, key=lambda a: (any(_words(a) == _words(m) for m in metas), len(_words(a))))
        return _without_site(best, found)
    if len(h1s) == 1 and _may_stand_alone(_lone_reading(h1s[0]), metas):
        return _without_site(_lone_reading(h1s[0]), found)
    close = [h.text for h in h1s if len(_words(h.text)) >= 3 and _share(h.text, metas) >= _CLOSE]
    if close:
        return _without_site(max(close, key=lambda h: (_share(h, metas), len(h))), found)
    pieces = [(h2.text, p) for h2 in found.h2s if len(_words(h2.text)) >= 2 for p in _pieces_equal(h2.text, metas)]
    if pieces:
        # spelt as the heading, then the whole of a metadata title before a part, then the longer
        return max(pieces, key=lambda hp: (hp[1] == hp[0], hp[1] in metas, len(hp[1])))[1]
    ordered = [*found.structured, found.title]
    everything = [m for m in ordered if m and not _names_site_by_name(m, found)]
    for meta in everything:
        trimmed = _trim(meta, found, everything)
        if trimmed:
            return trimmed
    return found.h1s[0].text if len(found.h1s) == 1 else None


def _agreeing_reading(heading: Heading, metas: Sequence[str]) -> str | None:
    """The shortest reading of a heading that a metadata title contains, if any."""
    for reading in heading.readings():
        if any(_within(reading, m) for m in metas):
            return reading
    return None


def _may_stand_alone(heading: str, metas: Sequence[str]) -> bool:
    """A lone heading is the headline when it has two words, or three when the metadata share none.

    A short label no metadata title shares a word with (``Log In``, ``Aktuelle Artikel``) is the
    page's furniture, not its headline.
    """
    words = len(_words(heading))
    return words >= 3 or (words == 2 and (not metas or _share(heading, metas) > 0))


def _lone_reading(heading: Heading) -> str:
    """A lone heading's text, without its kicker when the kicker is the shorter part."""
    rest, kicker = heading.without_kicker, heading.kicker
    if rest and kicker and not heading.kicker_in_sentence and len(_words(kicker)) < len(_words(rest)):
        return rest
    return heading.text


def _words(text: str) -> list[str]:
    """What two spellings of one headline share: its words, case-folded, without punctuation."""
    return _WORDS.findall(text.translate(_NO_INVISIBLE).casefold())


def _within(text: str, other: str) -> bool:
    """Tell whether the words of ``text`` are a run of the words of ``other``."""
    inner, outer = _words(text), _words(other)
    if not inner or len(inner) > len(outer):
        return False
    return any(outer[i : i + len(inner)] == inner for i in range(len(outer) - len(inner) + 1))


def _parts(text: str) -> list[str]:
    return [p.strip() for p in _SEPARATORS.split(text) if p.strip()]


def _pieces_equal(text: str, metas: Sequence[str]) -> list[str]:
    """The metadata titles, or runs of their parts between separators, with the same words as ``text``."""
    words = _words(text)
    found = [piece for meta in metas for piece in _pieces(meta) if _words(piece) == words]
    return list(dict.fromkeys(found))


def _pieces(meta: str) -> list[str]:
    """A title, each run of its parts between separators, and each part's halves around a colon."""
    return [meta, *_runs(meta), *(q.strip() for p in _parts(meta) for q in _COLON.split(p))]


def _runs(meta: str) -> list[str]:
    """Each run of a title's parts between separators, as spelt in the title."""
    parts = _parts(meta)
    return [_rejoin(meta, parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)]


def _share(text: str, metas: Sequence[str]) -> float:
    """The largest share of the words of ``text`` that one metadata title also has."""
    words = _words(text)
    if not words:
        return 0.0
    return max((sum(w in set(_words(m)) for w in words) / len(words) for m in metas), default=0.0)


def _without_site(heading: str, found: HeadlineCandidates) -> str:
    """A heading without parts that name the site (``Headline | Site`` in an ``<h1>``)."""
    parts = _parts(heading)
    kept = [p for p in parts if not _names_site_by_name(p, found)]
    return _rejoin(heading, kept) if kept and len(kept) < len(parts) else heading


def _trim(meta: str, found: HeadlineCandidates, metas: list[str]) -> str | None:
    """A metadata title without the parts that name the site, or else the run of its parts another candidate is."""
    parts = _parts(meta)
    if len(parts) == 1:
        return meta
    site_headings = [_words(h.text) for h in found.h1s if _names_site(h.text, found)]
    kept = [p for p in parts if not (_names_site_by_name(p, found) or _begins_one_of(_words(p), site_headings))]
    if kept and len(kept) < len(parts):
        return _rejoin(meta, kept)
    for other in metas:
        run = next((r for r in _runs(meta) if _words(r) == _words(other)), None)
        if other != meta and run and len(_parts(run)) < len(parts):
            return run
    return meta


def _names_site(text: str, found: HeadlineCandidates) -> bool:
    """Tell whether a heading or title part names the site rather than the article.

    It names the site when it is og:site_name, the page's host or one of the host's labels
    (``BMAS`` of www.bmas.de), or the trailing part of the ``<title>`` and no longer than what
    precedes it there, unless a metadata title is that text as a whole.
    """
    words = _words(text)
    if _names_site_by_name(text, found):
        return True
    if not words or any(_words(m) == words for m in found.metas):
        return False
    return _is_title_suffix(words, found.title) or _is_added_to_a_title(words, found.metas)


def _is_added_to_a_title(words: list[str], metas: Sequence[str]) -> bool:
    """Tell whether one metadata title is another with these words before or after it.

    ``Chinese Pinyin Lyrics: Zhi Neng Xiang Nian Ni`` beside ``Zhi Neng Xiang Nian Ni`` shows
    ``Chinese Pinyin Lyrics`` to be the site's name.
    """
    spans = [_words(m) for m in metas]
    return any(bool(inner) and (outer == words + inner or outer == inner + words) for outer in spans for inner in spans)


def _begins_one_of(words: list[str], spans: list[list[str]]) -> bool:
    """Tell whether words begin one of the spans (a logo ``<h1>`` holds the site's name, then its claim)."""
    return bool(words) and any(span[: len(words)] == words for span in spans)


def _names_site_by_name(text: str, found: HeadlineCandidates) -> bool:
    """Tell whether a text is a domain name, og:site_name, the page's host or a label of the host."""
    words = _words(text)
    if not words:
        return False
    if _DOMAIN.fullmatch(text):
        return True
    names = [found.site] if found.site else []
    labels: list[str] = []
    for host in (found.host, found.site):
        if host and _DOMAIN.fullmatch(host):
            labels += host.split(".")[:-1]
            names += [host, *host.split(".")[:-1]]
    if any(words == _words(name) for name in names):
        return True
    # A domain label is the site's name written without spaces: "Anwalt Niemeyer" of
    # anwaltniemeyer.de, "Mäscot" of maescot.de.
    squashed = _squashed(words)
    return len(squashed) >= _MIN_LABEL_CHARS and any(squashed == _squashed(_words(label)) for label in labels)


def _squashed(words: list[str]) -> str:
    """Words run together as a domain label spells them: no accents, German umlauts as two letters."""
    text = "".join(words).translate(_UMLAUTS)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _is_title_suffix(words: list[str], title: str | None) -> bool:
    """Tell whether words are, or begin with, the trailing part(s) of a title no longer than what precedes them.

    ``Kinder und Arbeit » ProNATs e.V.`` ends in the site's name, so an ``<h1>`` ``ProNATs e.V.``
    or ``ProNATs e.V. Verein zur Unterstützung ...`` (name and claim) names the site.
    """
    parts = _parts(title) if title else []
    for start in range(1, len(parts)):
        suffix, before = " ".join(parts[start:]), " ".join(parts[:start])
        if words[: len(_words(suffix))] == _words(suffix):
            return len(suffix) <= len(before)
    return False


def _rejoin(meta: str, kept: list[str]) -> str:
    """The stretch of the original title from the first kept part to the last."""
    start = meta.find(kept[0])
    end = meta.rfind(kept[-1]) + len(kept[-1])
    return meta[start:end].strip() if 0 <= start < end else kept[0]


def _clean(value: str | None) -> str | None:
    """Whitespace-normalised text, or None when empty or too long for a headline."""
    if not value:
        return None
    text = " ".join(value.split())
    return text if 0 < len(text) <= _MAX_CHARS else None


def _headings(tree: HtmlElement, tag: str) -> tuple[Heading, ...]:
    """The page's headings of one level, in order, without repeats."""
    found: dict[str, Heading] = {}
    for element in tree.iter(tag):
        heading = _heading(element)
        if heading and heading.text not in found:
            found[heading.text] = heading
    return tuple(found.values())


def _heading(element: HtmlElement) -> Heading | None:
    """A heading's readings, from a copy of it without what a reader does not see."""
    seen = deepcopy(element)
    seen.tail = None
    for unseen in seen.xpath(_UNSEEN):
        unseen.drop_tree()
    for child in list(seen.iterdescendants()):
        if isinstance(child.tag, str) and _SCREEN_READER_CLASSES & set((child.get("class") or "").split()):
            child.drop_tree()
    text = _clean(seen.text_content().translate(_NO_INVISIBLE))
    if not text:
        return None
    kicker = _kicker(seen)
    return Heading(
        text=text,
        without_kicker=kicker[1] if kicker else None,
        kicker=kicker[0] if kicker else None,
        kicker_in_sentence=bool(kicker and kicker[2]),
        first_line=_first_line(seen, text),
    )


def _kicker(heading: HtmlElement) -> tuple[str, str, bool] | None:
    """A heading's leading element (a kicker or dateline), the text after it, and whether it is phrase markup."""
    if (heading.text or "").strip():
        return None
    children = [c for c in heading if isinstance(c.tag, str)]
    if not children or children[0].tag == "br":
        return None
    first = children[0]
    rest = (first.tail or "") + "".join(
        (c.text_content() if isinstance(c.tag, str) else "") + (c.tail or "") for c in first.itersiblings()
    )
    kicker, rest_text = _clean(first.text_content().translate(_NO_INVISIBLE)), _clean(rest.translate(_NO_INVISIBLE))
    if not kicker or not rest_text or len(_words(rest_text)) < 2:
        return None
    return kicker, rest_text, first.tag in _PHRASE_TAGS or (first.tag == "span" and not first.get("class"))


def _first_line(heading: HtmlElement, text: str) -> str | None:
    """The text of a heading before its first ``<br>``, when more follows it."""
    breaks = heading.xpath(".//br")
    if not breaks:
        return None
    before = _text_before(heading, breaks[0])
    line = _clean(before.translate(_NO_INVISIBLE))
    return line if line and line != text else None


def _text_before(root: HtmlElement, stop: HtmlElement) -> str:
    """The text of ``root`` in document order up to ``stop``."""
    pieces: list[str] = []

    def walk(node: HtmlElement) -> bool:
        if node is stop:
            return True
        if isinstance(node.tag, str):
            pieces.append(node.text or "")
            for child in node:
                if walk(child):
                    return True
                pieces.append(child.tail or "")
        return False

    walk(root)
    return "".join(pieces)


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


def _host(tree: HtmlElement) -> str | None:
    """The host of the page's own address (``page_address``), without ``www.``."""
    address = page_address(tree)
    host = urlsplit(address).hostname if address else None
    return host.removeprefix("www.") if host else None


def _json_ld_headlines(json_ld: JsonLd) -> Iterator[str]:
    """The ``headline`` of each article or web page item."""
    for item in json_ld.items:
        if is_article(item) or is_type(item, "WebPage"):
            headline = item.get("headline")
            value = _clean(headline if isinstance(headline, str) else None)
            if value:
                yield value
