"""Which news agency (wire) an article's copy comes from, named once, in one spelling.

The agencies and every spelling of their names live in one place: the source registry
(``sources.yaml``, the entries with ``agency: true`` and their ``credits``). This module holds
the rules for where copy credits a wire and how such a credit is written; docs/agencies.md lists
them with examples.

``agency_for`` reads one credit-like string (a dateline credit, a ``By`` line, an author, a
closing credit) and returns the wire it credits in its registered spelling, or None. The finders
below pick such strings out of the body, and ``article_agency`` applies them all in order of
precedence. Every path that sets ``articles.agency`` goes through ``agency_for``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache

from media_etl.clean.text import fold_key
from media_etl.defaults import SOURCES_FILE
from media_etl.sources import Outlet, SourceRegistry, load_registry

_DASH_CHARS = "-‐‑–—―"
_DASHES = re.escape(_DASH_CHARS)
"""The dashes, escaped for use inside a character class."""
_MAX_CREDIT_CHARS = 160
"""A credit, byline or author longer than this is prose, not a credit."""
_MAX_NAME_WORDS = 4
"""Words of a reporter's name before an agency name: ``ERIC TUCKER Associated Press``."""
_MAX_AGENCY_WORDS = 4
"""Words of an agency name inside a longer credit: ``Associated Press in Palm Beach``."""
_MAX_LEAD_WORDS = 10
"""Words of a dateline before an opening credit: ``ST. JOSEPH, Mich. (AP) —``."""
# How many opening paragraphs may hold the copy's opening credit: the first, or the second
# after a page's standfirst ("La deuda externa aumentó …" above "(EFE).- Nicaragua cerró …").
_OPENING_PARAGRAPHS = 2
_CLOSING_PARAGRAPHS = 3
"""Closing credits are looked for in this many last paragraphs (page furniture may follow them)."""

# A word after an agency name that makes a staff credit: "AP Auto Writer", "AA muhabiri", "Reuters Staff".
_STAFF = re.compile(
    r"(?:writers?|correspondents?|reporters?|staff|editors?|bureau|journalists?"
    r"|muhabir\w*|müxbir\w*|muxbir\w*|корреспондент\w*|журналист\w*|тілші\w*)",
    re.IGNORECASE,
)
# A word after an agency name that says where its reporter was: "Reuters in New York".
_PLACE_WORDS = frozenset({"in", "from", "at", "aus", "в", "во", "из"})
# Lower-case words that may sit inside a reporter's name: "Laura de la Cruz AFP".
_NAME_PARTICLES = frozenset({"de", "da", "del", "la", "le", "van", "von", "der", "den", "al", "el", "bin", "di", "du"})
# A photo credit names the picture's agency, not the copy's: "(AP Photo/Evan Vucci)",
# "FABRICE COFFRINI/AFP/Getty Images".
_PHOTO = re.compile(r"\b(?:photos?|foto\w*|фото\w*|getty|images?|pool|file|picture|handout)\b", re.IGNORECASE)
# Words that introduce a credit: "By ...", "Source: ...", "(Con información de AFP, EFE y Reuters)".
_LEAD_IN = re.compile(
    r"^(?:by|von|por|par|source|sources|kaynak|mənbə|источник|manba|quelle|fuente|fonte"
    r"|con información de(?: las agencias)?|com informações d[aeo]s?(?: agências)?"
    r"|with information from|mit material von)\b\s*:?\s*",
    re.IGNORECASE,
)
# What separates several names in one credit: "dpa/gem", "Meg Kinnard; Associated Press", "AFP, EFE y Reuters".
_SEPARATORS = re.compile(rf"\s*(?:[;|/,&+]|\s[{_DASHES}]+\s|\s(?:and|und|y|e|et|и|ve|ile|va)\s)\s*")
_TRIM = " \t.,:;!?*\"'“”„«»‘’()[]{}|/" + _DASH_CHARS
_TRAILING_DATE = re.compile(r"\s+[\d./:-]+$")  # "(KNA 19.11.21)"
# A case ending written after an apostrophe or hyphen: AA'nın, Anadolu Ajansı'na, AZƏRTAC-ın.
_CASE_ENDING = re.compile(r"['’-][^\W\d_]{1,6}$")
# A Russian case ending on a single-word credit: Интерфакса, Интерфаксу.
_RUSSIAN_ENDING = re.compile(r"(?<=[А-Яа-яЁё])(?:ом|ем|а|у|е)$")

# Credits at the start of the first paragraph, when the dateline parser did not take them off:
# "(Reuters) —", "HAYWARD, Calif. (AP) —", "Nova York, 24 set (EFE).-", "Wiesbaden (KNA/iz). ...".
_LEAD_PAREN = re.compile(
    rf"^(?P<lead>[^()\n]{{0,80}}?)\s*\((?P<credit>[^()\n]{{1,60}})\)(?:\s*[.:]?\s*[{_DASHES}]+|[.:](?=\s))"
)
# "MOSCOW, March 5. /TASS/.", "BAKU, Nov. 27 /Trend/"
_LEAD_SLASH = re.compile(r"^(?P<lead>[^/\n]{0,80}?)/(?P<credit>[^/\n]{1,40})/")
# "АСТАНА. 12 марта. КАЗИНФОРМ -", "Reuters - ..."
_LEAD_BARE = re.compile(
    rf"^(?P<lead>(?:[^\n]{{0,80}}?[.,]\s+)?)(?P<credit>[^\W\d_][\w'’-]*(?:\s[^\W\d_][\w'’-]*){{0,3}})\s+[{_DASHES}]+\s"
)
# Closing credits: a paragraph that ends "... geäußert. (dpa)" or "(Con información de AFP, EFE y Reuters)".
_CLOSE_PAREN = re.compile(r"(?:^|[.!?…\"'”»“]\s*)\((?P<credit>[^()\n]{1,80})\)\s*\.?$")
# "... sneak into the US. PTI"
_CLOSE_BARE = re.compile(r"[.!?…\"'”»]\s+(?P<credit>[^\W\d_][\w-]{1,15}(?:/[^\W\d_][\w-]{0,15})?)$")
# "... my African American. - Reuters." or a last paragraph "— AP".
_CLOSE_DASH = re.compile(
    rf"(?:^|[.!?…\"'”»]\s+)[{_DASHES}]+\s*(?P<credit>[^\s{_DASHES}][^{_DASHES}\n]{{0,40}}?)\s*\.?$"
)
_CLOSE_WHOLE_CHARS = 60
_INITIALS = re.compile(r"[^\W\d_]{1,4}")
_FURNITURE_CHARS = 150
"""A paragraph after a closing credit shorter than this is page furniture ("Seguir leyendo:"), not prose."""
# A picture credit left in the text: "Carlos Barria / Reuters.", "Jonathan Drake/Reuters".
_PICTURE_CREDIT = re.compile(r"^[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*)+\s*/\s*\S")
# The disclaimer of a press digest, which only the agency that wrote it prints:
# "These are the leading stories in the Beirut press on Thursday. Reuters has not verified these stories ..."
_DISCLAIMER = re.compile(
    r"(?:^|[.!?]\s+)(?P<credit>[^\W\d_][\w'’ -]{1,30}?) has not verified (?:these|this|the) (?:stories|story|reports?)"
)
# The agency's own reporter, as Turkic and Russian agency copy names it anywhere in the body:
# "AA muhabirinin derlediği verilere göre", "Sektör temsilcileri, AA muhabirine ...",
# "AZƏRTAC-ın müxbiri", "сообщил корреспонденту ТАСС".
_REPORTER_AFTER = re.compile(r"\b(?:muhabir|müxbir|muxbir|тілші)\w*", re.IGNORECASE)
_WORD = re.compile(r"[^\W_][\w'’-]*")
_REPORTER_BEFORE = re.compile(r"\bкорреспондент\w*\s+(?P<after>\S+(?:\s+\S+)?)", re.IGNORECASE)
# Reuters' sign-off: "(Reporting by X in Washington; Editing by Y)". It names reporters, not a wire,
# so it counts only when the copy also names Reuters somewhere.
_SIGNOFF = re.compile(
    r"^\(?\s*(?:additional\s+)?(?:reporting|writing)\s+by\b.*\b(?:editing|writing)\s+by\b", re.IGNORECASE
)
_SIGNOFF_AGENCY = "Reuters"
_SIGNOFF_PARAGRAPHS = 4


@cache
def default_registry() -> SourceRegistry:
    """The registry of ``sources.yaml`` in the checkout, for callers that pass none."""
    return load_registry(SOURCES_FILE)


def agency_for(text: str | None, registry: SourceRegistry | None = None) -> str | None:
    """Name the news agency a credit, byline or author string credits.

    Understood forms, each in any case and with brackets, slashes or dashes around it:
    an alias from the registry (``AP``, ``(Reuters)``, ``/TASS/``, ``ТАСС``, ``Anadolu Ajansı``);
    several names in one credit (``dpa/gem``, ``Meg Kinnard; Associated Press``,
    ``Con información de AFP, EFE y Reuters``: the first wire named wins); an agency with a
    staff title or a place (``AP Auto Writer``, ``AA muhabiri``, ``Reuters in New York``); a
    reporter's name before the agency (``ERIC TUCKER Associated Press``); a lead-in word
    (``By``, ``Source:``, ``Kaynak:``); a date after it (``KNA 19.11.21``). Photo credits
    (``AP Photo/Evan Vucci``) and sign-offs (``Reporting by X; Editing by Y``) name no wire.

    Args:
        text: The credit as written.
        registry: The source registry; the checkout's ``sources.yaml`` when None.

    Returns:
        The registered name of the agency (``Associated Press``, ``Agence France-Presse``), or
        None when the text credits no registered agency.
    """
    if not text:
        return None
    text = " ".join(text.split())
    if not text or len(text) > _MAX_CREDIT_CHARS or _PHOTO.search(text):
        return None
    registry = registry or default_registry()
    for candidate in _candidates(text):
        outlet = registry.by_credit(candidate)
        if outlet is not None and outlet.is_agency:
            return outlet.name
    return None


def _strip(text: str) -> str:
    """Take brackets, quotes, dashes and lead-in words (``By``, ``Source:``) off a credit."""
    previous = None
    while text != previous:
        previous = text
        text = _LEAD_IN.sub("", text.strip(_TRIM)).strip(_TRIM)
    return text


def _candidates(text: str) -> Iterator[str]:
    """Yield the strings that may be an agency alias, most literal first."""
    whole = _strip(text)
    yield whole
    for raw in _SEPARATORS.split(whole):
        part = _strip(raw)
        if not part:
            continue
        yield part
        undated = _TRAILING_DATE.sub("", part)
        if undated != part:
            yield undated
        words = undated.split()
        uninflected = [_CASE_ENDING.sub("", word) for word in words]
        for variant in (words, uninflected) if uninflected != words else (words,):
            if len(variant) == 1:
                yield variant[0]
                yield _RUSSIAN_ENDING.sub("", variant[0])
            yield from _agency_in_words(variant)


def _agency_in_words(words: list[str]) -> Iterator[str]:
    """Yield the part of a multi-word credit that may name the agency.

    ``AP National Political Writer``, ``AA muhabiri`` and ``Reuters in New York`` give their
    first words; ``ERIC TUCKER Associated Press`` and ``корреспонденту ТАСС`` their last.
    """
    count = len(words)
    for k in range(1, min(_MAX_AGENCY_WORDS, count - 1) + 1):
        rest = words[k:]
        if fold_key(rest[0]) in _PLACE_WORDS or (len(rest) <= _MAX_AGENCY_WORDS and _STAFF.fullmatch(rest[-1])):
            yield " ".join(words[:k])
        before = words[: count - k]
        named = len(before) <= _MAX_NAME_WORDS and all(_name_like(word) for word in before)
        if named or _STAFF.fullmatch(before[-1]):
            yield " ".join(words[count - k :])


def _name_like(word: str) -> bool:
    """Tell whether a word can be part of a person's name: capitalised, an initial, or a particle."""
    return word[:1].isupper() or word.lower() in _NAME_PARTICLES


def lead_credit(paragraph: str, registry: SourceRegistry | None = None) -> str | None:
    """Find an agency credited at the start of the first paragraph.

    Args:
        paragraph: The first body paragraph.
        registry: The source registry; the checkout's when None.

    Returns:
        The agency of an opening credit such as ``(Reuters) —``, ``HAYWARD, Calif. (AP) —``,
        ``Dec 29 (Reuters) -``, ``Quito, 24 Set 2018 (AFP) -``, ``MOSCOW, March 5. /TASS/.`` or
        ``АСТАНА. 12 марта. КАЗИНФОРМ -``; or the agency of a press digest's disclaimer
        (``Reuters has not verified these stories``); else None.
    """
    for pattern in (_LEAD_PAREN, _LEAD_SLASH, _LEAD_BARE):
        match = pattern.match(paragraph)
        if match and len(match.group("lead").split()) <= _MAX_LEAD_WORDS:
            agency = agency_for(match.group("credit"), registry)
            if agency:
                return agency
    disclaimer = _DISCLAIMER.search(paragraph)
    return agency_for(disclaimer.group("credit"), registry) if disclaimer else None


def closing_credit(paragraphs: Sequence[str], registry: SourceRegistry | None = None) -> str | None:
    """Find an agency credited at the end of the body.

    Args:
        paragraphs: The body paragraphs in order.
        registry: The source registry; the checkout's when None.

    Returns:
        The agency of a closing credit in one of the last paragraphs, the last first: a
        parenthesis after the last sentence (``... geäußert. (dpa)``, ``(dpa/gem)``,
        ``(ats/nxp)``), a dash credit (``- Reuters.``), a bare credit after the last sentence
        (``... into the US. PTI``), or a short paragraph that is only a
        credit (``Associated Press``, ``aja/PAP``) with nothing but page furniture after it;
        else None. ``(Reporting by X; Editing by Y)`` is no credit, and neither is a picture
        credit left in the text (``Carlos Barria / Reuters.``, ``ASSOCIATED PRESS.`` between
        paragraphs of prose).
    """
    tail = [p.strip() for p in paragraphs[-_CLOSING_PARAGRAPHS:]]
    for position in range(len(tail) - 1, -1, -1):
        text = tail[position]
        for pattern in (_CLOSE_PAREN, _CLOSE_DASH, _CLOSE_BARE):
            match = pattern.search(text)
            if match and (agency := agency_for(match.group("credit"), registry)):
                return agency
        last = all(len(after) < _FURNITURE_CHARS for after in tail[position + 1 :])
        if last and len(text) <= _CLOSE_WHOLE_CHARS and not _PICTURE_CREDIT.match(text):
            agency = _credit_line(text, registry)
            if agency:
                return agency
    return None


def _credit_line(text: str, registry: SourceRegistry | None) -> str | None:
    """The agency of a paragraph that is nothing but a credit: ``Associated Press``, ``aja/PAP``.

    Every name in it must be an agency or an editor's initials (``aja``, ``gem``), so that a
    list such as ``Storify — Flipboard — Reuters — Bloomberg`` is no credit.
    """
    agency = agency_for(text, registry)
    if agency is None:
        return None
    for part in _SEPARATORS.split(_strip(text)):
        part = _strip(part)
        if part and not _INITIALS.fullmatch(part) and agency_for(part, registry) is None:
            return None
    return agency


def reporter_credit(paragraphs: Sequence[str], registry: SourceRegistry | None = None) -> str | None:
    """Find the agency whose own reporter the copy names, as Turkic and Russian agency copy does.

    Args:
        paragraphs: The body paragraphs.
        registry: The source registry; the checkout's when None.

    Returns:
        The agency of the first ``AA muhabirinin ...``, ``AA muhabirine ...``,
        ``AZƏRTAC-ın müxbiri`` or ``корреспонденту ТАСС`` in the body, or None. English
        mentions such as ``told Reuters`` are not credits: any outlet may write them.
    """
    for paragraph in paragraphs:
        for match in _REPORTER_AFTER.finditer(paragraph):
            words = _WORD.findall(paragraph[: match.start()])[-_MAX_AGENCY_WORDS:]
            if agency := _nearest_agency(words, registry, before_cue=True):
                return agency
        for match in _REPORTER_BEFORE.finditer(paragraph):
            if agency := _nearest_agency(match.group("after").split(), registry, before_cue=False):
                return agency
    return None


def _nearest_agency(words: list[str], registry: SourceRegistry | None, *, before_cue: bool) -> str | None:
    """The agency named by the fewest words next to a reporter cue: the last words of those
    before it (``AA muhabiri``), or the first words of those after it (``корреспонденту ТАСС``)."""
    for k in range(1, len(words) + 1):
        agency = agency_for(" ".join(words[-k:] if before_cue else words[:k]), registry)
        if agency:
            return agency
    return None


def signoff_credit(paragraphs: Sequence[str], registry: SourceRegistry | None = None) -> str | None:
    """Credit Reuters for copy that ends with its sign-off and names Reuters elsewhere.

    Args:
        paragraphs: The body paragraphs.
        registry: The source registry; the checkout's when None.

    Returns:
        The registered name of Reuters when one of the last paragraphs is a sign-off such as
        ``(Reporting by X in Washington; Editing by Y)`` and the copy also names Reuters
        (``told Reuters``, ``seen by Reuters``); else None. The sign-off alone credits no wire:
        outlets that rewrite Reuters copy keep it.
    """
    if not any(_SIGNOFF.match(p.strip()) for p in paragraphs[-_SIGNOFF_PARAGRAPHS:]):
        return None
    mention = re.compile(rf"\b{re.escape(_SIGNOFF_AGENCY)}\b")
    if any(mention.search(p) for p in paragraphs if not _SIGNOFF.match(p.strip())):
        return agency_for(_SIGNOFF_AGENCY, registry)
    return None


def article_agency(
    *,
    credits: Iterable[str] = (),
    bylines: Iterable[str] = (),
    paragraphs: Sequence[str] = (),
    outlet: Outlet | None = None,
    registry: SourceRegistry | None = None,
) -> str | None:
    """Name the agency an article's copy comes from, trying every source of evidence in turn.

    Precedence: the credits the wire parser took off the copy (a ``by`` line naming an agency,
    ``Source:`` lines, the dateline's credit, ``..., Trend reports.``); an opening credit in the
    first paragraph, or in the second (a page's standfirst may stand before the copy's
    opening); bylines and authors; a closing credit; the agency's own reporter named in
    the body; Reuters' sign-off with Reuters named; and last the publishing outlet, when it is
    itself an agency.

    Args:
        credits: Credits as the wire parser found them, in its order of precedence.
        bylines: The parsed byline and the authors the source gives.
        paragraphs: The body paragraphs in order.
        outlet: The publishing outlet, if registered.
        registry: The source registry; the checkout's when None.

    Returns:
        The agency's registered name, or None when nothing credits a registered agency.
    """
    registry = registry or default_registry()
    finders: list[Callable[[], str | None]] = [
        lambda: _first(credits, registry),
        lambda: _first(paragraphs[:_OPENING_PARAGRAPHS], registry, lead_credit),
        lambda: _first(bylines, registry),
        lambda: closing_credit(paragraphs, registry),
        lambda: reporter_credit(paragraphs, registry),
        lambda: signoff_credit(paragraphs, registry),
        lambda: agency_for(outlet.name, registry) if outlet is not None and outlet.is_agency else None,
    ]
    for finder in finders:
        agency = finder()
        if agency:
            return agency
    return None


def _first(
    texts: Iterable[str],
    registry: SourceRegistry,
    credited: Callable[[str, SourceRegistry], str | None] = agency_for,
) -> str | None:
    """The agency of the first text that credits one (by default as a whole; or as ``credited`` reads it)."""
    for text in texts:
        agency = credited(text, registry)
        if agency:
            return agency
    return None


# Parts of an author field that credits a wire: "dpa/gem", "AFP, Reuters", "Meg Kinnard; AP".
_AUTHOR_PARTS = re.compile(r"\s*[;|/,&+]\s*")


def is_wire_credit(name: str, registry: SourceRegistry | None = None) -> bool:
    """Tell whether an author's name credits a news agency and no reporter.

    ``dpa``, ``AFP``, ``(Reuters)``, ``dpa/gem`` and ``Reuters Staff`` do; ``ERIC TUCKER Associated
    Press`` and ``Marta Ruiz`` do not (a reporter is named: the name stays a byline).

    Args:
        name: One author as the page names it.
        registry: The source registry; the checkout's ``sources.yaml`` when None.

    Returns:
        True when the name belongs in ``articles.agency`` rather than ``articles.byline``.
    """
    registry = registry or default_registry()
    if agency_for(name, registry) is None:
        return False
    return not any(_names_reporter(part, registry) for part in _AUTHOR_PARTS.split(_strip(name)))


def _names_reporter(part: str, registry: SourceRegistry) -> bool:
    """Tell whether a part of a credit names a person: two or more name-like words, no agency or staff word."""
    words = _strip(part).split()
    if len(words) < 2 or any(_STAFF.fullmatch(word) for word in words):
        return False
    outlet = registry.by_credit(" ".join(words))
    return (outlet is None or not outlet.is_agency) and all(_name_like(word) for word in words)
