"""The ``themes`` table: which taxonomy themes an article is about, with the evidence."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series


class ThemeSchema(pa.DataFrameModel):
    """One piece of evidence for one theme; ``body[char_start:char_end] == evidence``."""

    article_id: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{16}$", description="The article.")
    theme: Series[str] = pa.Field(description="Theme id from themes.yaml, e.g. disinformation.")
    evidence: Series[str] = pa.Field(str_length={"min_value": 1}, description="The matched words.")
    char_start: Series[int] = pa.Field(ge=0, description="Offset of the evidence in articles.body.")
    char_end: Series[int] = pa.Field(ge=1, description="Offset just past the evidence in articles.body.")

    class Config:
        strict = True
        coerce = True
        unique = ["article_id", "theme", "char_start"]  # noqa: RUF012 (pandera reads a plain list)
