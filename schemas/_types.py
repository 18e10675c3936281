"""Column types shared by the table models."""

from __future__ import annotations

from typing import Annotated

import pandas as pd

# A UTC instant at microsecond resolution.
UtcTimestamp = Annotated[pd.DatetimeTZDtype, "us", "UTC"]
