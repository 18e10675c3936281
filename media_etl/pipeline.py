"""The ETL stages for one batch of files, composed from pure functions: read, parse, validate.

Nothing here touches Prefect, the clock or the environment; the caller passes the
run id, the load time and the source registry in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from media_etl import PARSER_VERSION
from media_etl.clean.text import clean_text
from media_etl.ingest.files import read_document
from media_etl.normalise.dates import resolve_publication
from media_etl.parse.wire import PARAGRAPH, SUBHEADING, ParsedArticle, ParseError, parse_wire_text
from media_etl.records import Document, Rejection, short_hash
from media_etl.sources import SourceRegistry
from media_etl.validate import split_valid
from schemas import TABLES

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass
class Batch:
    """The validated rows of one batch of inputs, and everything that was rejected."""

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    rejections: list[Rejection] = field(default_factory=list)
    files_seen: int = 0


def article_rows(
    doc: Document, parsed: ParsedArticle, registry: SourceRegistry, *, run_id: str, loaded_at: datetime
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """Normalise one parsed article into an ``articles`` row and its ``paragraphs`` rows.

    Args:
        doc: The decoded input.
        parsed: What the parser found in it.
        registry: Source registry, for canonical agency names and time zones.
        run_id: The current run.
        loaded_at: Start of the current run, UTC.

    Returns:
        The article row and its paragraph rows, with offsets into the joined body.
    """
    outlet = registry.by_credit(parsed.credit) if parsed.credit else None
    dateline = parsed.dateline
    # Times print in the outlet's zone; without a registered outlet, the dateline city's zone.
    zone = outlet.zone if outlet else ZoneInfo(dateline.timezone) if dateline else None
    publication = resolve_publication(
        header_date=parsed.header_date,
        dateline_date=dateline.full_date() if dateline else None,
        posted_time=parsed.posted_time,
        zone=zone,
    )
    body = PARAGRAPH_SEPARATOR.join(p.text for p in parsed.paragraphs)
    article_id = short_hash(parsed.headline, body)
    paragraphs = []
    offset = 0
    for seq, paragraph in enumerate(parsed.paragraphs):
        end = offset + len(paragraph.text)
        paragraphs.append(
            {
                "article_id": article_id,
                "seq": seq,
                "kind": paragraph.kind,
                "text": paragraph.text,
                "char_start": offset,
                "char_end": end,
            }
        )
        offset = end + len(PARAGRAPH_SEPARATOR)
    article: dict[str, object] = {
        "article_id": article_id,
        "source_uri": doc.source_uri,
        "source_kind": doc.source_kind,
        "content_hash": doc.content_hash,
        "encoding": doc.encoding,
        "outlet": outlet.name if outlet else None,
        "agency": outlet.name if outlet else parsed.credit,
        "is_wire": bool(outlet and outlet.is_agency),
        "headline": parsed.headline,
        "byline": parsed.byline,
        "dateline_raw": dateline.raw if dateline else None,
        "dateline_city": dateline.city if dateline else None,
        "dateline_country": dateline.country if dateline else None,
        "published_date": publication.published_date,
        "published_at": publication.published_at,
        "date_precision": publication.precision,
        "date_source": publication.source,
        "has_photo": parsed.has_photo,
        "has_video": parsed.has_video,
        "is_updated": parsed.is_updated,
        "body": body,
        "word_count": len(body.split()),
        "paragraph_count": sum(p.kind == PARAGRAPH for p in parsed.paragraphs),
        "subheading_count": sum(p.kind == SUBHEADING for p in parsed.paragraphs),
        "run_id": run_id,
        "parser_version": PARSER_VERSION,
        "loaded_at": loaded_at,
    }
    return article, paragraphs


def _frame(rows: list[dict[str, object]], table: str) -> pd.DataFrame:
    columns = list(TABLES[table].model.to_schema().columns)
    return pd.DataFrame(rows, columns=columns)


def process_files(paths: Iterable[str], registry: SourceRegistry, *, run_id: str, loaded_at: datetime) -> Batch:
    """Read, parse, clean, normalise and validate a batch of files.

    Args:
        paths: Files to process.
        registry: The source registry.
        run_id: The current run.
        loaded_at: Start of the current run, UTC.

    Returns:
        The batch's valid articles and paragraphs (one copy of each distinct
        article), and a rejection for every file or row that could not be used.
    """
    articles: list[dict[str, object]] = []
    paragraphs: list[dict[str, object]] = []
    rejections: list[Rejection] = []
    seen: set[str] = set()
    files = 0
    for path in paths:
        files += 1
        doc = read_document(path)
        if isinstance(doc, Rejection):
            rejections.append(doc)
            continue
        try:
            parsed = parse_wire_text(clean_text(doc.text), registry)
        except ParseError as exc:
            rejections.append(
                Rejection(
                    doc.source_uri,
                    "parse",
                    exc.reason_code,
                    exc.detail,
                    line=exc.line,
                    excerpt=doc.text.strip()[:200] or None,
                    content_hash=doc.content_hash,
                )
            )
            continue
        article, article_paragraphs = article_rows(doc, parsed, registry, run_id=run_id, loaded_at=loaded_at)
        if article["article_id"] in seen:
            continue
        seen.add(str(article["article_id"]))
        articles.append(article)
        paragraphs.extend(article_paragraphs)
    valid_articles, valid_paragraphs, invalid = split_valid(
        _frame(articles, "articles"),
        _frame(paragraphs, "paragraphs"),
        (TABLES["articles"].model, TABLES["paragraphs"].model),
    )
    return Batch(valid_articles, valid_paragraphs, rejections + invalid, files)


def quarantine_frame(rejections: Iterable[Rejection], *, run_id: str, at: datetime) -> pd.DataFrame:
    """Turn rejections into validated ``quarantine`` rows, one per distinct rejection.

    Args:
        rejections: What was rejected.
        run_id: The current run.
        at: Start of the current run, UTC.

    Returns:
        The quarantine rows.
    """
    rows = {r.quarantine_id: {**r.as_row(), "run_id": run_id, "quarantined_at": at} for r in rejections}
    frame = _frame(list(rows.values()), "quarantine")
    return TABLES["quarantine"].model.validate(frame)
