"""The ``articles`` table: one row per distinct article version."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas._types import UtcTimestamp
from schemas.vocabularies import DATE_SOURCES, ISO_COUNTRIES, LANGUAGES, PRECISIONS, SCRIPTS, SOURCE_KINDS

HEADLINE_MAX_CHARS = 500
_FIRST_DAY = np.datetime64("1900-01-01", "D")


def _days(dates: pd.Series) -> np.ndarray:
    """A column of ``datetime.date`` (or nulls) as numpy days; a null is NaT, which compares False."""
    return dates.to_numpy(dtype="datetime64[D]", na_value=np.datetime64("NaT"))


class ArticleSchema(pa.DataFrameModel):
    """One article version, parsed, cleaned and normalised."""

    article_id: Series[str] = pa.Field(
        unique=True,
        str_matches=r"^[0-9a-f]{16}$",
        description="Stable id: a hash of the cleaned headline and body, so identical copy gets one id.",
    )
    source_uri: Series[str] = pa.Field(description="The file (or URL) the article was read from, as given to the run.")
    source_kind: Series[str] = pa.Field(
        isin=list(SOURCE_KINDS), description="The reader that produced it: text, html, feed, jsonl or csv."
    )
    content_hash: Series[str] = pa.Field(
        str_matches=r"^[0-9a-f]{64}$", description="SHA-256 of the raw input bytes, for lineage."
    )
    encoding: Series[str] = pa.Field(description="Character encoding the input was decoded with.")
    url: Series[str] = pa.Field(
        nullable=True, description="The article's own link: canonical page URL or feed item link."
    )
    outlet: Series[str] = pa.Field(nullable=True, description="Canonical name of the publishing outlet (sources.yaml).")
    agency: Series[str] = pa.Field(
        nullable=True,
        description="News agency (wire) the copy comes from, by its registered name in sources.yaml: from the"
        " dateline or body credits, bylines and authors, or the outlet itself (docs/agencies.md); null when none.",
    )
    is_wire: Series[bool] = pa.Field(description="True when the credited agency is a registered news agency.")
    headline: Series[str] = pa.Field(
        str_length={"min_value": 1, "max_value": HEADLINE_MAX_CHARS},
        description="Headline without date marker or media tags such as (PHOTO).",
    )
    headline_derived: Series[bool] = pa.Field(
        description="True when the copy's first block was too long to be a headline and the headline was derived"
        " from it: its first line, else its first sentence cut at a word boundary (the body keeps the text).",
    )
    byline: Series[str] = pa.Field(
        nullable=True, description="Reporter from a 'By ...' line, else the source's authors joined by '; '."
    )
    language: Series[str] = pa.Field(
        nullable=True,
        isin=list(LANGUAGES),
        description=(
            "Language of the headline and body (ISO 639-1), 'und' when undetermined; the declared language unless"
            " the text rules it out (docs/language.md); null when the text has under 12 letters."
        ),
    )
    language_declared: Series[str] = pa.Field(
        nullable=True, description="Language the page, feed or export declares (ISO 639-1); null for plain text."
    )
    script: Series[str] = pa.Field(nullable=True, isin=list(SCRIPTS), description="Writing system of the text.")
    dateline_raw: Series[str] = pa.Field(nullable=True, description="The dateline exactly as printed.")
    dateline_city: Series[str] = pa.Field(nullable=True, description="Canonical English name of the dateline city.")
    dateline_country: Series[str] = pa.Field(
        nullable=True, isin=list(ISO_COUNTRIES), description="ISO 3166-1 alpha-2 code of the dateline city's country."
    )
    published_date: Series[pa.typing.Date] = pa.Field(
        nullable=True, description="Calendar date the outlet printed, in its own time zone; null when unknown."
    )
    published_at: Series[UtcTimestamp] = pa.Field(
        nullable=True, description="Publication instant in UTC; set only when the time of day is known."
    )
    date_precision: Series[str] = pa.Field(
        isin=list(PRECISIONS), description="How precise the publication date is: second, minute, day or unknown."
    )
    date_source: Series[str] = pa.Field(
        nullable=True,
        isin=list(DATE_SOURCES),
        description="Where the date came from: header, dateline, html-meta, html-text, json-ld, feed, url or file.",
    )
    has_photo: Series[bool] = pa.Field(description="Headline carried a (PHOTO) tag.")
    has_video: Series[bool] = pa.Field(description="Headline carried a (VIDEO) tag.")
    is_updated: Series[bool] = pa.Field(description="Headline carried (UPDATED) or the copy had an update note.")
    body: Series[str] = pa.Field(
        str_length={"min_value": 1},
        description="Cleaned body: paragraphs and subheadings joined by blank lines; offsets point into it.",
    )
    word_count: Series[int] = pa.Field(ge=1, description="Whitespace-separated words in the body.")
    paragraph_count: Series[int] = pa.Field(ge=1, description="Body paragraphs, subheadings excluded.")
    subheading_count: Series[int] = pa.Field(ge=0, description="Subheadings inside the body.")
    run_id: Series[str] = pa.Field(description="Run that first loaded this article version.")
    parser_version: Series[str] = pa.Field(description="Parser version that produced the row.")
    loaded_at: Series[UtcTimestamp] = pa.Field(description="When the run that loaded the row started, UTC.")

    class Config:
        strict = True
        coerce = True

    # Both date checks compare whole columns as numpy days (datetime64[D]), not one Python date at a time.
    @pa.check("published_date", name="not_before_1900")
    def _date_not_ancient(cls, dates: Series[object]) -> Series[bool]:
        return pd.Series(~(_days(dates) < _FIRST_DAY), index=dates.index)

    @pa.dataframe_check(name="published_date_not_in_future")
    def _date_not_in_future(cls, df: pd.DataFrame) -> Series[bool]:
        # A day of slack: an article dated in a time zone ahead of UTC can be "tomorrow" in UTC.
        loaded_day = df["loaded_at"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[D]")
        return pd.Series(~(_days(df["published_date"]) > loaded_day + np.timedelta64(1, "D")), index=df.index)

    @pa.dataframe_check(name="precision_matches_dates")
    def _precision_consistent(cls, df: pd.DataFrame) -> Series[bool]:
        has_date = df["published_date"].notna()
        has_time = df["published_at"].notna()
        unknown = df["date_precision"] == "unknown"
        timed = df["date_precision"].isin(["second", "minute"])
        return (unknown == ~has_date) & (timed == has_time)
