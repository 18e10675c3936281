"""The ETL stages for one batch of inputs, composed from pure functions: read, parse, normalise, validate.

Nothing here touches Prefect, the clock or the environment; the caller passes the
run id, the load time and the source registry in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from media_etl import PARSER_VERSION
from media_etl.batch import Batch
from media_etl.clean.text import clean_text
from media_etl.enrich.stage import Enricher, enrich_articles
from media_etl.ingest.deadline import DeadlineExceeded, deadline
from media_etl.ingest.router import DEFAULT_LIMITS, FileContents, Items, Limits, read_input
from media_etl.ingest.site_names import usable_site_name
from media_etl.ledger import FileState
from media_etl.normalise.dates import Publication, resolve_publication, resolve_source_date
from media_etl.parse.agencies import article_agency, is_wire_credit
from media_etl.parse.wire import PARAGRAPH, SUBHEADING, ParsedArticle, ParseError, parse_item_text, parse_wire_text
from media_etl.records import ListedUrl, Rejection, SourceItem, short_hash
from media_etl.sources import Outlet, SourceRegistry
from media_etl.validate import split_valid
from schemas import TABLES

PARAGRAPH_SEPARATOR = "\n\n"


def parse_item(item: SourceItem, registry: SourceRegistry) -> ParsedArticle:
    """Clean an item's text and parse it: wire copy whole, structured items body only.

    Args:
        item: What a reader produced.
        registry: The source registry.

    Returns:
        The parsed article.

    Raises:
        ParseError: The item has no headline or no body.
    """
    if item.source_kind == "text":
        return parse_wire_text(clean_text(item.text), registry)
    headline = clean_text(item.headline).replace("\n", " ") if item.headline else None
    return parse_item_text(headline, clean_text(item.text), registry)


def _outlets(item: SourceItem, parsed: ParsedArticle, registry: SourceRegistry) -> tuple[Outlet | None, str | None]:
    """Return the publishing outlet (registered, if known) and the name of the agency the copy comes from.

    The agency is what ``media_etl.parse.agencies.article_agency`` finds: the copy's own credits,
    an opening credit, the byline and the source's authors, a closing credit, and last the
    outlet itself when it is an agency. Only registered agencies count (``sources.yaml``).
    """
    paragraphs = [p.text for p in parsed.paragraphs]
    bylines = [b for b in (parsed.byline, *item.authors) if b]
    if item.source_kind == "text":
        # Plain wire copy comes from the agency that credits itself in it.
        agency = article_agency(credits=parsed.credits, bylines=bylines, paragraphs=paragraphs, registry=registry)
        credited = registry.by_credit(agency) if agency else None
        if credited is None and parsed.credit:
            credited = registry.by_credit(parsed.credit)
        return credited, agency
    outlet = (
        registry.by_url(item.url)
        or registry.by_url(item.source_uri)
        or (registry.by_credit(item.site_name) if item.site_name else None)
    )
    agency = article_agency(
        credits=parsed.credits, bylines=bylines, paragraphs=paragraphs, outlet=outlet, registry=registry
    )
    return outlet, agency


def _publication(item: SourceItem, parsed: ParsedArticle, zone: ZoneInfo | None) -> Publication:
    dateline = parsed.dateline
    if item.published is not None:
        return resolve_source_date(
            item.published, precision=item.published_precision, source=item.date_source, zone=zone
        )
    return resolve_publication(
        header_date=parsed.header_date,
        dateline_date=dateline.full_date() if dateline else None,
        posted_time=parsed.posted_time,
        zone=zone,
    )


_INITIALS_CHARS = 4


def _byline(authors: tuple[str, ...], registry: SourceRegistry) -> str | None:
    """The source's authors as a byline, without the agencies among them (those go to ``agency``).

    Beside a wire, a short lower-case name is its editor's initials (``dpa/gem``) and goes too.
    """
    people = [name for name in authors if not is_wire_credit(name, registry)]
    if len(people) < len(authors):
        people = [name for name in people if not (name.islower() and len(name) <= _INITIALS_CHARS)]
    return "; ".join(people) or None


def article_rows(
    item: SourceItem, parsed: ParsedArticle, registry: SourceRegistry, *, run_id: str, loaded_at: datetime
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """Normalise one parsed item into an ``articles`` row and its ``paragraphs`` rows.

    Args:
        item: The item as read.
        parsed: What the parser found in it.
        registry: Source registry, for outlets, agencies and time zones.
        run_id: The current run.
        loaded_at: Start of the current run, UTC.

    Returns:
        The article row and its paragraph rows, with offsets into the joined body.
    """
    outlet, agency = _outlets(item, parsed, registry)
    dateline = parsed.dateline
    agency_outlet = registry.by_credit(agency) if agency else None
    # Times print in the outlet's zone; failing that the agency's, then the dateline city's.
    home = outlet or agency_outlet
    zone = home.zone if home else ZoneInfo(dateline.timezone) if dateline else None
    publication = _publication(item, parsed, zone)
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
        "source_uri": item.source_uri,
        "source_kind": item.source_kind,
        "content_hash": item.content_hash,
        "encoding": item.encoding,
        "url": item.url,
        # The registry's name, else the site's own statement of its name, never a section title.
        "outlet": outlet.name if outlet else usable_site_name(item.site_name),
        "agency": agency,
        "is_wire": bool(agency_outlet and agency_outlet.is_agency),
        "headline": parsed.headline,
        "headline_derived": parsed.headline_derived,
        "byline": parsed.byline or _byline(item.authors, registry),
        "language": None,  # detected by the enrichment stage
        "language_declared": item.language,
        "script": None,
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


def _timeout(source_uri: str, what: str, limits: Limits, content_hash: str | None = None) -> Rejection:
    return Rejection(
        source_uri,
        "parse",
        "parse_timeout",
        f"{what} took longer than {limits.max_parse_seconds:g} s (max_parse_seconds); abandoned",
        content_hash=content_hash,
    )


def read_file(path: str, limits: Limits = DEFAULT_LIMITS) -> Items:
    """Read the articles of one file within the limits (see ``read_file_input``); a URL list gives none.

    Args:
        path: The file.
        limits: The limits.

    Returns:
        The items and rejections.
    """
    found = read_file_input(path, limits)
    return found.items, found.rejections


def read_file_input(path: str, limits: Limits = DEFAULT_LIMITS) -> FileContents:
    """Read one file within the limits: size, depth, and ``max_parse_seconds`` for the whole read.

    Args:
        path: The file.
        limits: The limits.

    Returns:
        What ``media_etl.ingest.router.read_input`` found, or one ``parse_timeout`` rejection
        when reading and parsing the file ran out of time (see ``media_etl.ingest.deadline``
        for where the time limit can be enforced).
    """
    try:
        with deadline(limits.max_parse_seconds):
            return read_input(path, limits)
    except DeadlineExceeded:
        return FileContents([], [], [_timeout(path, "reading and parsing the file", limits)])


def _parse_within(item: SourceItem, registry: SourceRegistry, limits: Limits) -> ParsedArticle | Rejection:
    """Parse one item within ``max_parse_seconds``; a ParseError or a timeout becomes a rejection."""
    try:
        with deadline(limits.max_parse_seconds):
            return parse_item(item, registry)
    except ParseError as exc:
        return _parse_rejection(item, exc)
    except DeadlineExceeded:
        where = f"{item.source_uri}#{item.item_key}" if item.item_key else item.source_uri
        return _timeout(where, "parsing the article", limits, item.content_hash)


def _parse_rejection(item: SourceItem, exc: ParseError) -> Rejection:
    where = f"{item.source_uri}#{item.item_key}" if item.item_key else item.source_uri
    return Rejection(
        where,
        "parse",
        exc.reason_code,
        exc.detail,
        line=exc.line,
        excerpt=(item.headline or item.text).strip()[:200] or None,
        content_hash=item.content_hash,
    )


def process_items(
    items: Iterable[SourceItem],
    registry: SourceRegistry,
    *,
    run_id: str,
    loaded_at: datetime,
    enricher: Enricher | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Batch, list[str]]:
    """Parse, normalise, validate and (optionally) enrich items that readers produced.

    Args:
        items: The items.
        registry: The source registry.
        run_id: The current run.
        loaded_at: Start of the current run, UTC.
        enricher: The enrichment stage's configuration; None skips enrichment.
        limits: ``max_parse_seconds`` bounds the parsing of each item.

    Returns:
        The batch (ledger empty, files_seen 0) and, per item, the article id it became
        ("" when it was rejected).
    """
    articles: list[dict[str, object]] = []
    paragraphs: list[dict[str, object]] = []
    sources: dict[tuple[str, str, str], dict[str, object]] = {}
    rejections: list[Rejection] = []
    outcome: list[str] = []
    seen: set[str] = set()
    for item in items:
        parsed = _parse_within(item, registry, limits)
        if isinstance(parsed, Rejection):
            rejections.append(parsed)
            outcome.append("")
            continue
        article, article_paragraphs = article_rows(item, parsed, registry, run_id=run_id, loaded_at=loaded_at)
        article_id = str(article["article_id"])
        outcome.append(article_id)
        sources.setdefault(
            (article_id, item.source_uri, item.item_key),
            {
                "article_id": article_id,
                "source_uri": item.source_uri,
                "item_key": item.item_key,
                "source_kind": item.source_kind,
                "url": item.url,
                "guid": item.guid,
                "content_hash": item.content_hash,
                "run_id": run_id,
                "seen_at": loaded_at,
            },
        )
        if article_id in seen:
            continue  # the same copy from a second source: stored once, both sources recorded
        seen.add(article_id)
        articles.append(article)
        paragraphs.extend(article_paragraphs)
    valid_articles, valid_paragraphs, invalid = split_valid(
        TABLES["articles"].frame(articles),
        TABLES["paragraphs"].frame(paragraphs),
        (TABLES["articles"].model, TABLES["paragraphs"].model),
    )
    valid_ids = set(valid_articles["article_id"])
    source_rows = [row for row in sources.values() if row["article_id"] in valid_ids]
    source_frame = TABLES["article_sources"].model.validate(TABLES["article_sources"].frame(source_rows))
    enrichment: dict[str, pd.DataFrame] = {}
    if enricher is not None:
        valid_articles, enrichment, failed = enrich_articles(valid_articles, enricher)
        invalid = invalid + failed
    batch = Batch(
        valid_articles, valid_paragraphs, source_frame, TABLES["ingest_ledger"].frame([]), rejections + invalid
    )
    batch.enrichment = enrichment
    return batch, outcome


def process_files(
    files: Sequence[FileState | str],
    registry: SourceRegistry,
    *,
    run_id: str,
    loaded_at: datetime,
    limits: Limits = DEFAULT_LIMITS,
    enricher: Enricher | None = None,
) -> Batch:
    """Read, parse, clean, normalise and validate a batch of files.

    Args:
        files: The files, with the size and mtime seen when they were listed (plain
            paths are stat-ed here).
        registry: The source registry.
        run_id: The current run.
        loaded_at: Start of the current run, UTC.
        limits: Limits for reading and parsing each file (``media_etl.ingest.router.Limits``).
        enricher: The enrichment stage's configuration; None skips enrichment.

    Returns:
        The batch's valid articles and paragraphs (one copy of each distinct article),
        the source of every item, one ledger row per file, the URLs that URL-list files
        name (for the run to fetch), and a rejection for every file, record or row that
        could not be used.
    """
    states = [f if isinstance(f, FileState) else FileState.of(f) for f in files]
    items: list[SourceItem] = []
    listed: list[ListedUrl] = []
    read_rejections: list[Rejection] = []
    for state in states:
        found = read_file_input(state.path, limits)
        items.extend(found.items)
        listed.extend(found.urls)
        read_rejections.extend(found.rejections)
    batch, _ = process_items(items, registry, run_id=run_id, loaded_at=loaded_at, enricher=enricher, limits=limits)
    hashes = {r.source_uri: r.content_hash for r in read_rejections if r.content_hash} | {
        i.source_uri: i.content_hash for i in items
    }
    item_counts = Counter([i.source_uri for i in items] + [u.source_uri for u in listed])
    ledger_rows = [
        {
            "path": s.path,
            "size": s.size,
            "mtime_ns": s.mtime_ns,
            "content_hash": hashes.get(s.path),
            "items": item_counts[s.path],
            "run_id": run_id,
            "seen_at": loaded_at,
        }
        for s in states
    ]
    batch.ledger = TABLES["ingest_ledger"].model.validate(TABLES["ingest_ledger"].frame(ledger_rows))
    batch.rejections = read_rejections + batch.rejections
    batch.files_seen = len(states)
    batch.listed_urls = listed
    return batch
