"""The ``mentions`` table: people, organisations and places named in article bodies."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas.vocabularies import ENTITY_TYPES


class MentionSchema(pa.DataFrameModel):
    """One mention of an entity; ``body[char_start:char_end] == surface``."""

    article_id: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{16}$", description="The article.")
    entity_id: Series[str] = pa.Field(
        description="Stable entity id: the same person, organisation or place in any spelling or script."
    )
    entity_type: Series[str] = pa.Field(isin=list(ENTITY_TYPES), description="person, organisation or place.")
    canonical_name: Series[str] = pa.Field(description="The entity's canonical (Latin-script) name.")
    surface: Series[str] = pa.Field(str_length={"min_value": 1}, description="The mention as written.")
    char_start: Series[int] = pa.Field(ge=0, description="Offset of the mention in articles.body.")
    char_end: Series[int] = pa.Field(ge=1, description="Offset just past the mention in articles.body.")
    role: Series[str] = pa.Field(nullable=True, description="Title or role from an apposition, for people.")
    country: Series[str] = pa.Field(nullable=True, description="ISO 3166-1 alpha-2 country of a place.")
    latitude: Series[float] = pa.Field(nullable=True, description="Latitude of a place, from the gazetteer.")
    longitude: Series[float] = pa.Field(nullable=True, description="Longitude of a place, from the gazetteer.")

    class Config:
        strict = True
        coerce = True
        unique = ["article_id", "char_start", "char_end", "entity_type"]  # noqa: RUF012 (pandera reads a plain list)
