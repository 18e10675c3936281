"""Re-derive the rows of loaded articles from the input the warehouse keeps, after a change of configuration or code.

A run skips files its ledger has unchanged, and an article's rows never change once
loaded, so an edited ``sources.yaml`` (an outlet's name or time zone), ``themes.yaml``,
language list, parser or enricher reaches only what is loaded later. ``media-etl
reprocess`` selects current articles (by outlet, publication dates or source kind, or
all) and runs their input through today's stages again:

* a fetched URL is read from the response kept under ``<warehouse>/raw`` (found by the
  content hash its ``article_sources`` row recorded; for a feed whose outlet follows
  links, each item's page from the response the fetch log names);
* a local file is read from its path when its SHA-256 still equals the recorded
  ``content_hash``. A file whose content changed is loaded as a new version, as ``run``
  would (the old version stays as history); a file that is gone leaves its articles as
  they are, and the summary says so. The warehouse keeps no copy of local files: they
  are the user's own input, often large, and a copy would double the disk they take.

The rows of each re-derived article, in every table, replace the old ones: the
affected partitions are rewritten into new generations (``store.compact.rewrite_partition``),
switched together (``commit_generations``), and ``media.db`` is rebuilt once, so a reader
sees all old rows or all new ones. An article whose rows come out the same is left alone,
unless the run that derived them had another configuration or code: then its rows are
stamped with the reprocessing run, so ``rpt_quality_by_run`` no longer counts them
stale. A second reprocess with nothing changed therefore writes nothing but its ``runs``
row. Nothing here touches Prefect; ``flows/reprocess.py`` orchestrates it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as arrow
import pyarrow.compute as pc

from media_etl.batch import Batch, quarantine_frame
from media_etl.defaults import VIEWS_DIR, is_url
from media_etl.ingest.html import read_html
from media_etl.ingest.remote import with_page
from media_etl.ingest.router import route_bytes
from media_etl.ledger import FileState
from media_etl.parallel import StageConfig, stage_inputs
from media_etl.pipeline import process_items, read_file
from media_etl.quarantine import file_sha256
from media_etl.records import Rejection, SourceItem
from media_etl.sources import load_registry
from media_etl.store.compact import Rewrite, RowFilter, commit_generations, rewrite_partition
from media_etl.store.database import views_in_memory
from media_etl.store.keys import key_hashes
from media_etl.store.partitions import (
    PARTITION_COLUMN,
    UNKNOWN_MONTH,
    is_partitioned,
    months_of_dates,
)
from media_etl.store.schema import arrow_schema
from media_etl.store.warehouse import Warehouse
from media_etl.store.writer import WarehouseWriter
from schemas import ENRICHMENT_TABLES, TABLES

ARTICLE_ROW_TABLES = ("articles", "paragraphs", *ENRICHMENT_TABLES)
"""Tables whose rows belong to one article and are re-derived with it."""
REWRITTEN_TABLES = (*ARTICLE_ROW_TABLES, "article_sources", "ingest_ledger")
"""Tables whose partitions a reprocess rewrites."""
STAMP_COLUMNS = {"articles": ("run_id", "loaded_at")}
"""Columns that say which run derived a row, left out when comparing old and new rows."""

FILE_GONE = "file no longer on disk: rows left as they were"
RAW_NOT_KEPT = "raw response not kept under <warehouse>/raw: rows left as they were"
FILE_CHANGED = "file changed since it was loaded: loaded as a new version"
REJECTED_NOW = "rejected by today's stages (see the quarantine): rows left as they were"


@dataclass(frozen=True)
class Selection:
    """Which current articles to reprocess; with ``everything`` all of them, else those matching every filter."""

    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    kind: str | None = None
    everything: bool = False

    def __post_init__(self) -> None:
        if not self.everything and self.outlet is None and self.since is None and self.until is None and not self.kind:
            raise ValueError("choose the articles: an outlet, a date range, a source kind, or all")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")

    def describe(self) -> str:
        """The filters in words."""
        if self.everything:
            return "all current articles"
        parts = []
        if self.outlet:
            parts.append(f"outlet {self.outlet}")
        if self.since or self.until:
            parts.append(f"published {self.since or '…'} to {self.until or '…'}")
        if self.kind:
            parts.append(f"source kind {self.kind}")
        return "current articles of " + ", ".join(parts)


def parse_day(text: str | None) -> date | None:
    """Read a YYYY-MM-DD day.

    Raises:
        ValueError: The text is not such a day.
    """
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def follow_feeds(sources: str | Path) -> frozenset[str]:
    """The feeds whose outlets follow their items' links (``follow_links`` in the registry)."""
    registry = load_registry(sources)
    return frozenset(feed for outlet in registry.outlets if outlet.follow_links for feed in outlet.feeds)


SELECT_SQL = """
select article_id, run_id
from stg_articles
where ($outlet is null or lower(outlet) = lower($outlet) or lower(outlet_label) = lower($outlet))
  and ($since is null or published_date >= $since)
  and ($until is null or published_date <= $until)
  and ($kind is null or source_kind = $kind)
order by article_id
"""


def select_articles(store: Warehouse, selection: Selection, views_dir: Path = VIEWS_DIR) -> pd.DataFrame:
    """The current article versions a selection names, with the run that derived each.

    Args:
        store: The warehouse.
        selection: The filters.
        views_dir: The view files (``stg_articles`` says which versions are current).

    Returns:
        Columns article_id and run_id.
    """
    parameters = {
        "outlet": selection.outlet,
        "since": selection.since,
        "until": selection.until,
        "kind": selection.kind,
    }
    with views_in_memory(store, views_dir) as connection:
        return connection.execute(SELECT_SQL, parameters).df()


# --- reading the kept input ----------------------------------------------------------------------


@dataclass
class SourceRead:
    """One source (a file or a fetched URL) of the selected articles, and what reading it again gave."""

    source_uri: str
    status: str = "ok"
    """ok (re-read as loaded), changed (a file whose content changed), gone (file or raw response missing)."""
    items: list[SourceItem] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    ledger: dict[str, object] | None = None
    """A local file's ledger row for the state it was read in."""


def raw_index(raw_root: Path) -> dict[str, Path]:
    """The raw responses kept under ``<warehouse>/raw``, by the SHA-256 their file is named after."""
    if not raw_root.is_dir():
        return {}
    return {
        path.name.split(".", 1)[0]: path
        for path in sorted(raw_root.glob("*/*/*"))
        if path.is_file() and not path.name.endswith(".json")
    }


def page_responses(fetch_log: pd.DataFrame) -> dict[str, str]:
    """Each fetched URL's latest kept response (its ``raw_path``), from the fetch log."""
    kept = fetch_log[fetch_log["raw_path"].notna()].sort_values("fetched_at")
    return dict(zip(kept["url"].astype(str), kept["raw_path"].astype(str), strict=True))


def read_fetched(
    url: str, content_hash: str, raw: Mapping[str, Path], pages: Mapping[str, str], follow: bool
) -> SourceRead:
    """Read a fetched feed or page again from its kept response.

    Args:
        url: The URL the items were read from.
        content_hash: The SHA-256 of the response they were read from.
        raw: The kept responses by SHA-256 (``raw_index``).
        pages: Each URL's latest kept response (``page_responses``), for the pages a followed feed links to.
        follow: The feed's outlet follows its items' links (``follow_links`` in sources.yaml).

    Returns:
        The items, or status gone when the response was not kept.
    """
    path = raw.get(content_hash)
    if path is None:
        return SourceRead(url, "gone")
    items, rejections = route_bytes(path.read_bytes(), url)
    if follow:
        items = [_followed(item, pages, rejections) for item in items]
    return SourceRead(url, "ok", items, rejections)


def _followed(item: SourceItem, pages: Mapping[str, str], rejections: list[Rejection]) -> SourceItem:
    if item.source_kind != "feed" or not item.url or item.url not in pages:
        return item
    page_path = Path(pages[item.url])
    if not page_path.is_file():
        return item
    found = read_html(page_path.read_bytes(), item.url)
    if isinstance(found, Rejection):
        rejections.append(found)
        return item
    return with_page(item, found)


def read_local(path: str, content_hash: str) -> SourceRead:
    """Read a local file again, when it is still there; say whether its content is the one loaded.

    Args:
        path: The file.
        content_hash: The SHA-256 its articles were read from.

    Returns:
        Its items and a ledger row for its present state; status ok, changed or gone.
    """
    state = FileState.of(path)
    digest = file_sha256(path) if state.size >= 0 else None
    if digest is None:
        return SourceRead(path, "gone")
    items, rejections = read_file(path)
    status = "ok" if digest == content_hash else "changed"
    ledger = {"path": path, "size": state.size, "mtime_ns": state.mtime_ns, "content_hash": digest, "items": len(items)}
    return SourceRead(path, status, items, rejections, ledger)


# --- comparing and replacing ---------------------------------------------------------------------


def _arrow(table: str, frame: pd.DataFrame) -> arrow.Table:
    return arrow.Table.from_pandas(frame, schema=arrow_schema(TABLES[table].model), preserve_index=False)


def _row_texts(table: str, rows: arrow.Table) -> dict[str, list[str]]:
    """Each article's rows of a table as sorted JSON texts, without the columns that name the deriving run."""
    skip = set(STAMP_COLUMNS.get(table, ()))
    names = [n for n in rows.column_names if n not in skip]
    texts: dict[str, list[str]] = defaultdict(list)
    for record in rows.select(names).to_pylist():
        texts[str(record["article_id"])].append(json.dumps(record, sort_keys=True, default=repr))
    return {article_id: sorted(values) for article_id, values in texts.items()}


def stored_rows(store: Warehouse, table: str, article_ids: Iterable[str]) -> arrow.Table:
    """The stored rows of some articles in a per-article table (``published_month`` added for partitioned ones)."""
    wanted = arrow.array(sorted(set(article_ids)), arrow.string())
    spec = TABLES[table]
    pieces = []
    for partition, batch in store.scan(spec, spec.columns):
        rows = arrow.Table.from_batches([batch]).filter(pc.is_in(batch.column("article_id"), value_set=wanted))
        if rows.num_rows and partition.value is not None:
            rows = rows.append_column(PARTITION_COLUMN, arrow.array([partition.value] * rows.num_rows, arrow.string()))
        elif rows.num_rows:
            rows = rows.append_column(PARTITION_COLUMN, arrow.nulls(rows.num_rows, arrow.string()))
        if rows.num_rows:
            pieces.append(rows)
    if not pieces:
        empty = arrow_schema(spec.model).empty_table()
        return empty.append_column(PARTITION_COLUMN, arrow.array([], arrow.string()))
    return arrow.concat_tables(pieces)


@dataclass
class ReprocessResult:
    """What a reprocess found and did."""

    selected: int = 0
    rederived: int = 0
    """Selected articles read and derived again."""
    changed: int = 0
    """Of those, articles whose rows came out different (or under another article id)."""
    unchanged: int = 0
    restamped: int = 0
    """Unchanged articles stamped with this run: the run that derived them had another configuration or code."""
    new_versions: int = 0
    """Articles loaded from files that changed since (new versions, as ``run`` loads them)."""
    not_reprocessed: Counter[str] = field(default_factory=Counter)
    """Reason -> selected articles left as they were."""
    sources_read: list[str] = field(default_factory=list)
    files_seen: int = 0
    articles_parsed: int = 0
    articles_loaded: int = 0
    paragraphs_loaded: int = 0
    sources_loaded: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    rewrites: list[Rewrite] = field(default_factory=list)
    examples: dict[str, list[str]] = field(default_factory=dict)
    """Reason -> a few sources it applies to."""

    def summary(self) -> list[tuple[str, int, str]]:
        """The summary a person reads: (what, articles, note), one line each."""
        return summary_rows(self)


@dataclass(frozen=True)
class Context:
    """Where and with what a reprocess runs."""

    store: Warehouse
    config: StageConfig
    raw_root: Path
    follow: frozenset[str]
    """Feeds whose outlets follow their items' links."""
    current_config: str
    current_code: str


def _run_provenance(store: Warehouse) -> dict[str, tuple[str | None, str | None]]:
    runs = store.read_columns(TABLES["runs"], ["run_id", "config_hash", "code_version"])
    return {
        str(r.run_id): (
            None if pd.isna(r.config_hash) else str(r.config_hash),
            None if pd.isna(r.code_version) else str(r.code_version),
        )
        for r in runs.itertuples(index=False)
    }


def reprocess(context: Context, selection: Selection, views_dir: Path = VIEWS_DIR) -> ReprocessResult:
    """Re-derive the selected articles and write new generations of every partition they touch (not yet current).

    The caller holds the warehouse lock, then calls ``commit_generations`` with
    ``result.rewrites`` and rebuilds ``media.db`` (``flows/reprocess.py`` does).

    Args:
        context: The warehouse and today's configuration.
        selection: Which articles.
        views_dir: The view files.

    Returns:
        The counts, the rejections, and the written generations.
    """
    store, config = context.store, context.config
    result = ReprocessResult()
    chosen = select_articles(store, selection, views_dir)
    result.selected = len(chosen)
    if chosen.empty:
        return result
    selected = set(chosen["article_id"].astype(str))
    deriving_run = dict(zip(chosen["article_id"].astype(str), chosen["run_id"].astype(str), strict=True))
    links = store.read_columns(TABLES["article_sources"], TABLES["article_sources"].columns)
    links = links[links["article_id"].isin(selected)]

    # 1. Read each source again: kept responses for URLs, files whose content is unchanged.
    raw = raw_index(context.raw_root)
    pages = page_responses(store.read_columns(TABLES["fetch_log"], ["url", "fetched_at", "raw_path"]))
    reads: dict[str, SourceRead] = {}
    for source_uri, content_hash in (
        links[["source_uri", "content_hash"]].drop_duplicates("source_uri").itertuples(index=False)
    ):
        uri = str(source_uri)
        if is_url(uri):
            reads[uri] = read_fetched(uri, str(content_hash), raw, pages, uri in context.follow)
        else:
            reads[uri] = read_local(uri, str(content_hash))
    result.files_seen = len(reads)
    result.sources_read = sorted(uri for uri, read in reads.items() if read.status != "gone")

    # 2. Today's stages over the items of the selected links, and over every item of a changed file.
    wanted = set(zip(links["source_uri"].astype(str), links["item_key"].astype(str), strict=True))
    items: list[SourceItem] = []
    for read in reads.values():
        if read.status == "ok":
            items += [i for i in read.items if (i.source_uri, i.item_key) in wanted]
        elif read.status == "changed":
            items += read.items
        result.rejections += read.rejections
    registry, enricher = stage_inputs(config)
    batch, outcome = process_items(
        items, registry, run_id=config.run_id, loaded_at=config.loaded_at, enricher=enricher, limits=config.limits
    )
    result.rejections += batch.rejections
    result.articles_parsed = len(batch.articles)
    produced = {(i.source_uri, i.item_key): article_id for i, article_id in zip(items, outcome, strict=True)}
    valid = set(batch.articles["article_id"].astype(str))

    # 3. Each selected article: what its links gave today.
    by_article: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for article_id, source_uri, item_key in links[["article_id", "source_uri", "item_key"]].itertuples(index=False):
        by_article[str(article_id)].append((str(source_uri), str(item_key)))
    new_id: dict[str, str] = {}
    for article_id in sorted(selected):
        found = sorted(
            {
                produced[link]
                for link in by_article[article_id]
                if reads[link[0]].status == "ok" and produced.get(link) in valid
            }
        )
        if found:
            new_id[article_id] = found[0]
            continue
        statuses = {reads[uri].status for uri, _ in by_article[article_id]}
        if "changed" in statuses:
            reason = FILE_CHANGED
        elif "ok" in statuses:
            reason = REJECTED_NOW
        elif any(is_url(uri) for uri, _ in by_article[article_id]):
            reason = RAW_NOT_KEPT
        else:
            reason = FILE_GONE
        result.not_reprocessed[reason] += 1
        examples = result.examples.setdefault(reason, [])
        for uri, _ in by_article[article_id][:1]:
            if len(examples) < 3 and uri not in examples:
                examples.append(uri)
    result.rederived = len(new_id)

    # 4. Compare old and new rows; decide which articles' rows are replaced.
    new_rows = {"articles": _arrow("articles", batch.articles), "paragraphs": _arrow("paragraphs", batch.paragraphs)}
    for name in ENRICHMENT_TABLES:
        frame = batch.enrichment.get(name, TABLES[name].frame([]))
        new_rows[name] = _arrow(name, frame)
    old_rows = {name: stored_rows(store, name, new_id) for name in ARTICLE_ROW_TABLES}
    old_texts = {name: _row_texts(name, old_rows[name].drop_columns([PARTITION_COLUMN])) for name in ARTICLE_ROW_TABLES}
    new_texts = {name: _row_texts(name, new_rows[name]) for name in ARTICLE_ROW_TABLES}
    provenance = _run_provenance(store)
    current = (context.current_config, context.current_code)
    replaced: set[str] = set()
    for article_id, derived in new_id.items():
        same = derived == article_id and all(
            old_texts[name].get(article_id, []) == new_texts[name].get(article_id, []) for name in ARTICLE_ROW_TABLES
        )
        if not same:
            result.changed += 1
            replaced.add(article_id)
            continue
        result.unchanged += 1
        if provenance.get(deriving_run[article_id], (None, None)) != current:
            result.restamped += 1
            replaced.add(article_id)

    # 5. The rows to add: those of replaced articles and of new versions, never an article kept as it is.
    stored_months = _stored_months(store)
    kept = set(stored_months) - replaced
    from_ok = {new_id[a] for a in replaced}
    from_changed = {
        produced[(i.source_uri, i.item_key)]
        for read in reads.values()
        if read.status == "changed"
        for i in read.items
        if produced.get((i.source_uri, i.item_key)) in valid
    }
    adding = (from_ok | from_changed) - kept
    result.new_versions = len(from_changed - kept - from_ok)
    additions = {name: _only(new_rows[name], adding) for name in ARTICLE_ROW_TABLES}
    writer = WarehouseWriter(store)
    sources = _source_rows(batch, links, replaced, new_id, reads, produced, valid)
    additions["article_sources"] = _new_keys(writer, "article_sources", sources, replaced)
    additions["ingest_ledger"] = _new_keys(writer, "ingest_ledger", _ledger_rows(reads, config), set())
    months = _new_months(additions["articles"], stored_months)
    result.articles_loaded = additions["articles"].num_rows
    result.paragraphs_loaded = additions["paragraphs"].num_rows
    result.sources_loaded = additions["article_sources"].num_rows
    if not replaced and not any(rows.num_rows for rows in additions.values()):
        return result

    # 6. New generations of every partition that loses or gains rows.
    dropping = arrow.array(sorted(replaced), arrow.string())
    losing = {name: _months_of(old_rows[name], replaced) for name in ARTICLE_ROW_TABLES}
    losing["article_sources"] = {stored_months[a] for a in replaced}
    for name in REWRITTEN_TABLES:
        spec = TABLES[name]
        rows = additions[name]
        prefix = f"reprocessed-{config.run_id}"
        if not is_partitioned(name):
            if rows.num_rows:
                result.rewrites.append(rewrite_partition(store, spec, store.partition(name), added=rows, prefix=prefix))
            continue
        if name == "articles":
            row_months = months_of_dates(rows.column("published_date"))
        else:
            ids = rows.column("article_id").to_pylist()
            row_months = np.asarray([months.get(str(i), UNKNOWN_MONTH) for i in ids], dtype=object)
        touched = losing[name] | set(row_months.tolist())
        drop = _dropper(dropping) if replaced else None
        for month in sorted(touched):
            piece = rows.filter(arrow.array(row_months == month)) if rows.num_rows else rows
            result.rewrites.append(
                rewrite_partition(
                    store,
                    spec,
                    store.partition(name, month),
                    drop=drop,
                    added=piece,
                    prefix=prefix,
                )
            )
    return result


def _dropper(article_ids: arrow.Array) -> RowFilter:
    """Leave out the stored rows of the replaced articles (every rewritten table but the ledger has article_id)."""

    def drop(batch: arrow.RecordBatch) -> np.ndarray:
        found = pc.is_in(batch.column("article_id"), value_set=article_ids)
        return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)

    return drop


def _months_of(rows: arrow.Table, article_ids: set[str]) -> set[str]:
    """The partitions holding stored rows of some articles."""
    mine = _only(rows, article_ids)
    return {str(m) for m in mine.column(PARTITION_COLUMN).to_pylist() if m is not None}


def _new_keys(writer: WarehouseWriter, table: str, rows: arrow.Table, replaced: set[str]) -> arrow.Table:
    """The rows whose key the table does not hold yet, or holds only for an article being replaced."""
    if not rows.num_rows:
        return rows
    spec = TABLES[table]
    stored = writer.index(spec).contains(key_hashes(rows, spec.key))
    if replaced:
        stored &= ~np.asarray(
            pc.is_in(rows.column("article_id"), value_set=arrow.array(sorted(replaced), arrow.string())).to_numpy(
                zero_copy_only=False
            ),
            dtype=bool,
        )
    return rows.filter(arrow.array(~stored))


def _only(rows: arrow.Table, article_ids: set[str]) -> arrow.Table:
    return rows.filter(pc.is_in(rows.column("article_id"), value_set=arrow.array(sorted(article_ids), arrow.string())))


def _stored_months(store: Warehouse) -> dict[str, str]:
    stored = store.read_columns(TABLES["articles"], ["article_id", PARTITION_COLUMN])
    return dict(zip(stored["article_id"].astype(str), stored[PARTITION_COLUMN].astype(str), strict=True))


def _new_months(articles: arrow.Table, stored: Mapping[str, str]) -> dict[str, str]:
    """Each article's partition after the reprocess: a new row's own month, else where it is stored."""
    months = dict(stored)
    if articles.num_rows:
        ids = articles.column("article_id").to_pylist()
        months.update(zip(ids, months_of_dates(articles.column("published_date")).tolist(), strict=True))
    return months


def _source_rows(
    batch: Batch,
    links: pd.DataFrame,
    replaced: set[str],
    new_id: Mapping[str, str],
    reads: Mapping[str, SourceRead],
    produced: Mapping[tuple[str, str], str],
    valid: set[str],
) -> arrow.Table:
    """The ``article_sources`` rows of today's items, and the re-pointed links of replaced articles.

    A re-derived article keeps its links' first sighting (``run_id``, ``seen_at``), which
    orders the versions of a source; a link that gave nothing today (its file is gone or
    changed, or its item is now rejected) follows the article to its new id. A new
    version's links are new sightings.
    """
    first_seen = {
        (str(r.source_uri), str(r.item_key)): (r.run_id, r.seen_at)
        for r in links[links["article_id"].isin(replaced)].itertuples(index=False)
    }
    rows = batch.sources.copy()
    for position, (source_uri, item_key) in enumerate(zip(rows["source_uri"], rows["item_key"], strict=True)):
        seen = first_seen.get((str(source_uri), str(item_key)))
        if seen is not None and reads[str(source_uri)].status == "ok":
            rows.iloc[position, rows.columns.get_loc("run_id")] = seen[0]
            rows.iloc[position, rows.columns.get_loc("seen_at")] = seen[1]

    def gave_nothing(source_uri: object, item_key: object) -> bool:
        link = (str(source_uri), str(item_key))
        return reads[link[0]].status != "ok" or produced.get(link) not in valid

    replaced_links = links[links["article_id"].isin(replaced)]
    mask = [gave_nothing(u, k) for u, k in zip(replaced_links["source_uri"], replaced_links["item_key"], strict=True)]
    unread = replaced_links.loc[np.asarray(mask, dtype=bool)].copy()
    unread["article_id"] = unread["article_id"].map(new_id)
    frame = pd.concat([rows, unread[rows.columns]], ignore_index=True) if len(unread) else rows
    return _arrow("article_sources", TABLES["article_sources"].model.validate(frame.reset_index(drop=True)))


def _ledger_rows(reads: Mapping[str, SourceRead], config: StageConfig) -> arrow.Table:
    """Ledger rows for the local files read, so that the next run skips them (stored states are not repeated)."""
    rows = [
        {**read.ledger, "run_id": config.run_id, "seen_at": config.loaded_at}
        for read in reads.values()
        if read.ledger is not None
    ]
    frame = TABLES["ingest_ledger"].model.validate(TABLES["ingest_ledger"].frame(rows))
    return _arrow("ingest_ledger", frame)


def commit(store: Warehouse, result: ReprocessResult, now: datetime) -> None:
    """Switch every rewritten partition to its new generation (see ``commit_generations``)."""
    if result.rewrites:
        commit_generations(store, result.rewrites, now)


def quarantine_rejections(writer: WarehouseWriter, result: ReprocessResult, *, run_id: str, at: datetime) -> int:
    """Append what today's stages rejected to the quarantine (rows already there are not repeated)."""
    if not result.rejections:
        return 0
    return writer.append(TABLES["quarantine"], quarantine_frame(result.rejections, run_id=run_id, at=at), run_id)


def summary_rows(result: ReprocessResult) -> list[tuple[str, int, str]]:
    """The summary a person reads: (what, articles, note), one line each."""
    rows = [
        ("selected", result.selected, "current articles the filters matched"),
        ("re-derived", result.rederived, "read again from the kept input and run through today's stages"),
        ("changed", result.changed, "rows differ now: replaced"),
        ("unchanged", result.unchanged, "same rows as before"),
        (
            "restamped",
            result.restamped,
            "unchanged, but derived under another configuration or code: stamped with this run",
        ),
        ("new versions", result.new_versions, "from files that changed since they were loaded"),
    ]
    for reason, count in sorted(result.not_reprocessed.items()):
        examples = ", ".join(result.examples.get(reason, []))
        rows.append(("not reprocessed", count, f"{reason}; e.g. {examples}" if examples else reason))
    return rows


__all__ = [
    "Context",
    "ReprocessResult",
    "Selection",
    "commit",
    "quarantine_rejections",
    "reprocess",
    "select_articles",
    "summary_rows",
]
