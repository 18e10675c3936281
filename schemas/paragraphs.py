"""The ``paragraphs`` table: the body of each article, one row per paragraph or subheading."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.vocabularies import PARAGRAPH_KINDS


class ParagraphSchema(pa.DataFrameModel):
    """One paragraph or subheading of an article body, in reading order."""

    article_id: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{16}$", description="The article it belongs to.")
    seq: Series[int] = pa.Field(ge=0, description="Position in the body, from 0.")
    kind: Series[str] = pa.Field(
        isin=list(PARAGRAPH_KINDS), description="paragraph, or subheading for a short unpunctuated title line."
    )
    text: Series[str] = pa.Field(str_length={"min_value": 1}, description="The cleaned text.")
    char_start: Series[int] = pa.Field(ge=0, description="Offset of the first character in articles.body.")
    char_end: Series[int] = pa.Field(ge=1, description="Offset just past the last character in articles.body.")

    class Config:
        strict = True
        coerce = True
        unique = ["article_id", "seq"]  # noqa: RUF012 (pandera reads a plain list)

    @pa.dataframe_check(name="offsets_span_text")
    def _offsets_match_text(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["char_end"] - df["char_start"]) == df["text"].str.len()
