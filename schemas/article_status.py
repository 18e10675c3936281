"""The ``article_status`` table: whether a later version of the same source replaced each article version."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series


class ArticleStatusSchema(pa.DataFrameModel):
    """One article version with a source link: whether it is current or a later version replaced it.

    Computed at the end of each run (and after a reprocess) from `article_sources`: the versions
    of one source (a file, or an item of a feed or export) are ordered by when each was first
    seen, and each one is replaced by the next. A version read from several sources is
    superseded only when every one of them has a later version. The `article_versions` and
    `articles` views look the status up here instead of computing it on every query.
    """

    article_id: Series[str] = pa.Field(unique=True, str_matches=r"^[0-9a-f]{16}$", description="The article version.")
    is_superseded: Series[bool] = pa.Field(
        description="True when every source of this version has a later version (it is not current)."
    )
    superseded_by: Series[str] = pa.Field(
        nullable=True,
        description="The version that replaced it (the earliest, when several sources did); null when current.",
    )

    class Config:
        strict = True
        coerce = True
