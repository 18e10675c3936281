"""The ``dates_mentioned`` table: dates the text refers to, resolved to calendar dates."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.vocabularies import MENTIONED_DATE_PRECISIONS


class DateMentionedSchema(pa.DataFrameModel):
    """One date expression; ``body[char_start:char_end] == surface``."""

    article_id: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{16}$", description="The article.")
    surface: Series[str] = pa.Field(str_length={"min_value": 1}, description="The expression as written.")
    char_start: Series[int] = pa.Field(ge=0, description="Offset in articles.body.")
    char_end: Series[int] = pa.Field(ge=1, description="Offset just past it in articles.body.")
    resolved: Series[pa.typing.Date] = pa.Field(description="First day of the period meant.")
    precision: Series[str] = pa.Field(isin=list(MENTIONED_DATE_PRECISIONS), description="day, month or year.")
    relative: Series[bool] = pa.Field(description="True when resolved against the article's own date.")

    class Config:
        strict = True
        coerce = True
        unique = ["article_id", "char_start", "char_end"]  # noqa: RUF012 (pandera reads a plain list)
