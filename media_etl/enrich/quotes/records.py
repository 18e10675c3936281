"""The records the quote extractor passes between its steps: quoted spans, speakers, cues, attributions, candidates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """One pair of quote marks: offsets of the opening and closing mark (close == end if unclosed)."""

    open: int
    close: int
    closed: bool
    paragraph: int


@dataclass(frozen=True)
class Speaker:
    """A speaker as written, and who it resolved to."""

    surface: str | None
    position: int
    entity_id: str | None
    name: str | None
    entity_type: str | None


@dataclass(frozen=True)
class Cue:
    """One cue verb occurrence with its category and its sentence."""

    start: int
    end: int
    text: str
    category: str
    sentence: tuple[int, int]


@dataclass(frozen=True)
class Attribution:
    """A cue with its speaker and, for reported speech, the reported clause."""

    cue: Cue
    speaker: Speaker
    clause: tuple[int, int] | None
    start: int
    """Where the attribution's words start: the written speaker before the verb, else the verb."""


@dataclass(frozen=True)
class Candidate:
    """A person or organisation named in the body, for resolving pronouns and surnames."""

    start: int
    end: int
    entity_type: str
    entity_id: str | None
    name: str
    surface: str
    role: str | None = None
