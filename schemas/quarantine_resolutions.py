"""The ``quarantine_resolutions`` table: quarantine rows that a later run resolved, appended, never changed."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas._types import UtcTimestamp


class QuarantineResolutionSchema(pa.DataFrameModel):
    """One quarantine row resolved: a later completed run read its input again without the same rejection.

    The ``quarantine`` view joins it in as ``status`` (open or resolved), ``resolved_at`` and
    ``resolved_by_run``; the ``quarantine`` table itself stays append-only.
    """

    quarantine_id: Series[str] = pa.Field(
        unique=True, str_matches=r"^[0-9a-f]{16}$", description="The quarantine row resolved."
    )
    resolved_at: Series[UtcTimestamp] = pa.Field(description="Start of the run that resolved it, UTC.")
    run_id: Series[str] = pa.Field(
        description="The run that read the input again (a replay, or any later run) and no longer rejected it"
        " for the same stage and reason."
    )

    class Config:
        strict = True
        coerce = True
