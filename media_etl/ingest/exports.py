"""Read JSON, JSON Lines and CSV exports of articles through a documented column mapping.

A mapping names, for each field media-etl needs, the column of the export that holds
it. Two ship with media-etl and are chosen per record by the columns it has:

| media-etl field | news-please     | generic   |
|-----------------|-----------------|-----------|
| headline        | title           | title     |
| text            | maintext        | content   |
| published       | date_publish    | date      |
| authors         | authors         | authors   |
| url             | url             | url       |
| site_name       | source_domain   | source    |
| language        | language        | language  |

A file may hold one JSON object, a JSON array of objects, JSON Lines, or CSV with a
header row. A record that breaks becomes a rejection naming its line, and the other
records still load: ``bad_record`` (bad JSON, missing headline and text columns, an
unreadable date, a JSON number too long for Python to convert), ``json_too_deep`` (JSON
nested deeper than Python's parser recurses), ``ragged_row`` (a CSV row with more or
fewer fields than the header), ``field_too_large`` (a CSV field over the csv module's
limit of 131,072 characters).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from media_etl.records import Rejection, SourceItem


@dataclass(frozen=True)
class ExportMapping:
    """Which export column holds each field."""

    name: str
    headline: str
    text: str
    published: str
    authors: str
    url: str
    site_name: str
    language: str


NEWS_PLEASE = ExportMapping(
    "news-please", "title", "maintext", "date_publish", "authors", "url", "source_domain", "language"
)
GENERIC = ExportMapping("generic", "title", "content", "date", "authors", "url", "source", "language")
MAPPINGS = (NEWS_PLEASE, GENERIC)


def pick_mapping(record: Mapping[str, Any]) -> ExportMapping | None:
    """Return the first mapping whose text column the record has."""
    return next((m for m in MAPPINGS if m.text in record), None)


def parse_export_date(value: object) -> tuple[datetime | date | None, str | None]:
    """Read an export's date: ISO 8601 with or without time and zone.

    Args:
        value: The column value.

    Returns:
        The date (aware datetime, naive datetime or date) and its precision, or
        (None, None) when the value is empty.

    Raises:
        ValueError: The value is not an ISO 8601 date.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    text = str(value).strip()
    if len(text) == 10:
        return date.fromisoformat(text), "day"
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment, "second" if moment.second or moment.microsecond else "minute"


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(a).strip() for a in value if str(a).strip())
    if isinstance(value, str) and value.strip():
        return tuple(a.strip() for a in value.replace(";", ",").split(",") if a.strip())
    return ()


def _text(record: Mapping[str, Any], column: str) -> str | None:
    value = record.get(column)
    return str(value).strip() or None if value is not None else None


def record_to_item(
    record: Mapping[str, Any], *, source_uri: str, item_key: str, content_hash: str, encoding: str, kind: str
) -> SourceItem:
    """Map one export record to a ``SourceItem``.

    Args:
        record: One article of the export.
        source_uri: The export file.
        item_key: Identifies the record inside the file.
        content_hash: SHA-256 of the whole file.
        encoding: Encoding the file was decoded with.
        kind: ``jsonl`` or ``csv``.

    Returns:
        The item.

    Raises:
        ValueError: The record has neither headline nor text, or its date is not ISO 8601.
    """
    mapping = pick_mapping(record)
    if mapping is None:
        expected = " or ".join(m.text for m in MAPPINGS)
        raise ValueError(f"record has no text column ({expected}); columns: {', '.join(sorted(record))[:200]}")
    published, precision = parse_export_date(record.get(mapping.published))
    return SourceItem(
        source_uri=source_uri,
        item_key=item_key,
        source_kind=kind,
        content_hash=content_hash,
        encoding=encoding,
        text=_text(record, mapping.text) or "",
        headline=_text(record, mapping.headline),
        published=published,
        published_precision=precision,
        date_source="file" if published is not None else None,
        url=_text(record, mapping.url),
        authors=_authors(record.get(mapping.authors)),
        site_name=_text(record, mapping.site_name),
        language=_text(record, mapping.language),
    )


_Record = tuple[int, Mapping[str, Any] | None, str | None, str]
"""Line or position, the record (None when it is unusable), why not, and the reason code."""

_TOO_DEEP = "JSON nests deeper than Python's parser recurses"


def _json_records(text: str) -> Iterator[_Record]:
    """Yield the records of one JSON object, a JSON array, or JSON Lines."""
    try:
        whole = json.loads(text)
    except RecursionError:
        if not _first_line_is_json(text):  # one deep document, not JSON Lines with a deep line
            yield 1, None, _TOO_DEEP, "json_too_deep"
            return
        whole = None
    except ValueError:  # JSONDecodeError, or a number too long to convert
        whole = None
    if isinstance(whole, dict):
        yield 1, whole, None, ""
        return
    if isinstance(whole, list):
        for position, element in enumerate(whole, start=1):
            if isinstance(element, dict):
                yield position, element, None, ""
            else:
                yield position, None, "array element is not an object", "bad_record"
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"invalid JSON: {exc.msg} at column {exc.colno}", "bad_record"
            continue
        except RecursionError:
            yield number, None, _TOO_DEEP, "json_too_deep"
            continue
        except ValueError as exc:
            yield number, None, f"invalid JSON: {exc}", "bad_record"
            continue
        if isinstance(record, dict):
            yield number, record, None, ""
        else:
            yield number, None, "line is JSON but not an object", "bad_record"


def _first_line_is_json(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    try:
        json.loads(first)
    except RecursionError:
        return True
    except ValueError:
        return False
    return True


def _csv_records(text: str) -> Iterator[_Record]:
    """Yield the rows of a CSV export with a header; a row that is not the header's shape is rejected."""
    reader = csv.DictReader(io.StringIO(text))
    header = len(reader.fieldnames or ())  # reads the header row, so line_num counts from it
    rows = iter(reader)
    while True:
        before = reader.line_num
        try:
            record = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader stops inside the broken row; the next row starts on the following line.
            code = "field_too_large" if "field larger than field limit" in str(exc) else "bad_record"
            yield before + 1, None, f"CSV row cannot be read: {exc}", code
            continue
        extra = record.get(None)  # type: ignore[call-overload]
        missing = sum(1 for key, value in record.items() if key is not None and value is None)
        if extra or missing:
            fields = header + len(extra or ()) - missing
            detail = f"row has {fields} field(s), the header has {header}"
            yield reader.line_num, None, detail, "ragged_row"
            continue
        yield reader.line_num, record, None, ""


def read_export(
    text: str, source_uri: str, *, content_hash: str, encoding: str, kind: str
) -> tuple[list[SourceItem], list[Rejection]]:
    """Read every record of a JSON, JSON Lines or CSV export.

    Args:
        text: The decoded file.
        source_uri: The file.
        content_hash: SHA-256 of the raw file.
        encoding: Encoding it was decoded with.
        kind: ``jsonl`` for JSON and JSON Lines, ``csv`` for CSV.

    Returns:
        The items, and a rejection (stage parse, with the line) for each record that
        could not be read.
    """
    items: list[SourceItem] = []
    rejections: list[Rejection] = []
    records = _csv_records(text) if kind == "csv" else _json_records(text)
    for line, record, error, code in records:

        def reject(code: str, detail: str, line: int = line) -> None:
            rejections.append(Rejection(source_uri, "parse", code, detail, line=line, content_hash=content_hash))

        if record is None:
            reject(code or "bad_record", error or "unreadable record")
            continue
        key = _text(record, "url") or f"line-{line}"
        try:
            items.append(
                record_to_item(
                    record, source_uri=source_uri, item_key=key, content_hash=content_hash, encoding=encoding, kind=kind
                )
            )
        except ValueError as exc:
            reject("bad_record", str(exc))
    return items, rejections
