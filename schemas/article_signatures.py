"""The ``article_signatures`` table: a MinHash signature per article, for near-duplicate clustering."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series


class ArticleSignatureSchema(pa.DataFrameModel):
    """The MinHash signature of one article's body."""

    article_id: Series[str] = pa.Field(unique=True, str_matches=r"^[0-9a-f]{16}$", description="The article.")
    signature: Series[object] = pa.Field(description="MinHash signature bytes (see enrich/near_duplicates.py).")

    class Config:
        strict = True
        coerce = True
