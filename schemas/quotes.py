"""The ``quotes`` table: who said what, direct or reported."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.vocabularies import QUOTE_KINDS


class QuoteSchema(pa.DataFrameModel):
    """One quote; ``body[char_start:char_end] == text``."""

    article_id: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{16}$", description="The article.")
    text: Series[str] = pa.Field(str_length={"min_value": 1}, description="The quoted or reported words.")
    kind: Series[str] = pa.Field(isin=list(QUOTE_KINDS), description="direct (in quote marks) or indirect.")
    cue_verb: Series[str] = pa.Field(nullable=True, description="The verb introducing it: said, noted, dedi, заявил.")
    speaker: Series[str] = pa.Field(
        nullable=True, description="Who said it: the resolved speaker's canonical name, else the speaker as written."
    )
    speaker_surface: Series[str] = pa.Field(
        nullable=True, description="The speaker as written nearby: 'he', 'Altun', 'the Directorate'."
    )
    speaker_entity_id: Series[str] = pa.Field(nullable=True, description="The resolved speaker's entity id.")
    char_start: Series[int] = pa.Field(ge=0, description="Offset of the quote text in articles.body.")
    char_end: Series[int] = pa.Field(ge=1, description="Offset just past the quote text in articles.body.")

    class Config:
        strict = True
        coerce = True
        unique = ["article_id", "char_start", "char_end"]  # noqa: RUF012 (pandera reads a plain list)
