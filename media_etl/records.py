"""Plain records passed between stages before they become DataFrames."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass


def short_hash(*parts: str) -> str:
    """Return a stable 16-hex-digit identifier for the given parts."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8"))
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Document:
    """One decoded input file."""

    source_uri: str
    source_kind: str
    text: str
    encoding: str
    content_hash: str


@dataclass(frozen=True)
class Rejection:
    """An input or row that could not be loaded, with where and why."""

    source_uri: str
    stage: str
    reason_code: str
    detail: str
    line: int | None = None
    field: str | None = None
    excerpt: str | None = None
    content_hash: str | None = None

    @property
    def quarantine_id(self) -> str:
        """Stable identity, so that re-running the same bad input adds no second row."""
        return short_hash(
            self.source_uri, self.content_hash or "", self.stage, self.reason_code, self.field or "", self.detail
        )

    def as_row(self) -> dict[str, object]:
        """The rejection as a quarantine row without the run columns."""
        return {"quarantine_id": self.quarantine_id, **asdict(self)}
