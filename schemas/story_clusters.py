"""The ``story_clusters`` table: articles that are the same story, who ran it first, and each lag."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series


class StoryClusterSchema(pa.DataFrameModel):
    """One member of a cluster of near-duplicate articles (clusters of two or more)."""

    cluster_id: Series[str] = pa.Field(description="Stable cluster id (see enrich/near_duplicates.py).")
    article_id: Series[str] = pa.Field(unique=True, str_matches=r"^[0-9a-f]{16}$", description="The member.")
    outlet: Series[str] = pa.Field(nullable=True, description="The member's outlet.")
    is_first: Series[bool] = pa.Field(description="True for the earliest published member.")
    first_article_id: Series[str] = pa.Field(description="The cluster's earliest member.")
    first_outlet: Series[str] = pa.Field(nullable=True, description="Outlet of the earliest member.")
    lag_seconds: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, description="Seconds after the first member; null when either time is unknown."
    )
    similarity: Series[float] = pa.Field(ge=0, le=1, description="Estimated Jaccard similarity to the first member.")

    class Config:
        strict = True
        coerce = True
