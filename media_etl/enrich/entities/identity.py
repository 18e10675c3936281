"""Identity: group one article's mentions into entities, name each one, and derive stable ids."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from media_etl.clean.text import fold_key
from media_etl.enrich.entities.gazetteer import (
    KnownOrg,
    Place,
    find_place,
    known_orgs,
    stable_id,
)
from media_etl.enrich.entities.state import (
    FUZZY_SAME,
    Span,
)
from media_etl.text.names import (
    display_latin,
    has_cyrillic,
    latinise,
    name_skeleton,
    org_skeleton,
    russian_name_stem,
)
from schemas.vocabularies import ORGANISATION, PERSON, PLACE

# ----- identity ----------------------------------------------------------------------------


def _known_org(name: str) -> KnownOrg | None:
    index = known_orgs()
    key = fold_key(name)
    if key in index:
        return index[key]
    stripped = re.sub(r"^the\s+", "", key)
    stripped = re.sub(r"['’]s\b", "", stripped)
    return index.get(stripped)


def entity_key(entity_type: str, name: str) -> str:
    """Return the canonical key an entity's id is derived from.

    Args:
        entity_type: person, organisation or place.
        name: The entity's name in any spelling or script (``Hacıyev``, ``Гаджиев``,
            ``Turkey``, ``OTS``).

    Returns:
        For a person, the consonant skeleton of the name (``hkmt hjv``); for an
        organisation, the lexicon's key when it knows the name or acronym, else the
        normalised name (``organization of turkic states``); for a place, the gazetteer id
        (``country:TR``, ``city:AZ:baku``, ``region:karabakh``), else ``name:`` and the
        latinised name.

    Raises:
        ValueError: The entity type is not one of ``ENTITY_TYPES``.
    """
    if entity_type == PERSON:
        return name_skeleton(name)
    if entity_type == ORGANISATION:
        known = _known_org(name)
        return known.key if known else org_skeleton(name)
    if entity_type == PLACE:
        place = find_place(name)
        return place.key if place else f"name:{latinise(name)}"
    raise ValueError(f"unknown entity type {entity_type!r}")


def entity_id_for(entity_type: str, name: str) -> str:
    """Return the stable id of an entity named in any spelling or script.

    Args:
        entity_type: person, organisation or place.
        name: The entity's name (``Türkiye`` and ``Turkey`` give one id).

    Returns:
        The first 16 hex digits of ``sha256(f"{entity_type}:{entity_key(entity_type, name)}")``.
    """
    return stable_id(entity_type, entity_key(entity_type, name))


@dataclass
class _Entity:
    kind: str
    key: str
    names: list[str]
    canonical: str = ""
    place: Place | None = None


def _person_canonical(names: list[str]) -> str:
    """The fullest Latin spelling (most words; the first written wins a tie), else a transliteration."""
    latin = [n for n in names if latinise(n) and not has_cyrillic(n)]
    pool = latin or [display_latin(" ".join(russian_name_stem(w) for w in n.split())) for n in names]
    return max(pool, key=lambda n: len(n.split()))


def _merge_people(spans: list[Span]) -> dict[int, int]:
    """Map each person span to the span that stands for its entity (the fullest name)."""
    people = [i for i, s in enumerate(spans) if s.kind == PERSON and s.antecedent is None]
    rep: dict[int, int] = {}
    for i in people:
        skeleton = name_skeleton(" ".join(spans[i].tokens))
        words = skeleton.split()
        match = None
        for j in people:
            if j == i or (j in rep and rep[j] != j):
                continue
            other = name_skeleton(" ".join(spans[j].tokens))
            other_words = other.split()
            if len(other_words) < len(words) or j == i:
                continue
            same = other == skeleton or fuzz.ratio(other, skeleton) >= FUZZY_SAME
            contained = (
                len(other_words) > len(words) and words[-1] == other_words[-1] and set(words) <= set(other_words)
            )
            if (same or contained) and (len(other_words), -spans[j].start) > (len(words), -spans[i].start):
                match = j
        rep[i] = match if match is not None else i
    for i, s in enumerate(spans):
        if s.kind == PERSON and s.antecedent is not None:
            rep[i] = rep.get(s.antecedent, s.antecedent)
    # Follow chains to the root.
    for i in list(rep):
        j = rep[i]
        seen = {i}
        while rep.get(j, j) != j and j not in seen:
            seen.add(j)
            j = rep[j]
        rep[i] = j
    return rep


def entities_of(spans: list[Span]) -> list[_Entity]:
    """Group the spans into entities and name each; return one entity per span."""
    people = _merge_people(spans)
    groups: dict[tuple[str, str], _Entity] = {}
    out: list[_Entity] = []
    person_groups: dict[int, _Entity] = {}
    for i, span in enumerate(spans):
        if span.kind == PLACE and span.place is not None:
            entity = groups.setdefault((PLACE, span.place.key), _Entity(PLACE, span.place.key, [], place=span.place))
        elif span.kind == PLACE:
            name = " ".join(span.tokens)
            key = f"name:{latinise(name)}"
            entity = groups.setdefault((PLACE, key), _Entity(PLACE, key, [], canonical=display_latin(name)))
        elif span.kind == ORGANISATION:
            name = span.org or ""
            known = span.org_known or _known_org(name)
            key = known.key if known else org_skeleton(name)
            for kind, other in groups:
                if kind == ORGANISATION and other != key and fuzz.ratio(other, key) >= 94:
                    key = other
                    break
            entity = groups.setdefault((ORGANISATION, key), _Entity(ORGANISATION, key, []))
            if known:
                entity.canonical = known.name
        else:
            root = people.get(i, i)
            entity = person_groups.setdefault(root, _Entity(PERSON, "", []))
        entity.names.append(span.org or " ".join(span.tokens) if span.kind != PLACE else "")
        out.append(entity)
    for entity in {id(e): e for e in out}.values():
        if entity.kind == PLACE:
            if entity.place is not None:
                entity.canonical = entity.place.name
        elif entity.kind == ORGANISATION:
            if not entity.canonical:
                names = [re.sub(r"^(?:the|The)\s+", "", n) for n in entity.names if n]
                entity.canonical = display_latin(max(names, key=len))
        else:
            entity.canonical = _person_canonical([n for n in entity.names if n])
            entity.key = name_skeleton(entity.canonical)
    return out
