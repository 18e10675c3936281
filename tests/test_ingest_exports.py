import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from media_etl.ingest.exports import GENERIC, NEWS_PLEASE, parse_export_date, pick_mapping, read_export

HASH = "0" * 64


def news_please(**overrides):
    record = {
        "title": "Agencies sign exchange deal",
        "maintext": "BAKU, Azerbaijan, December 1. Agencies agreed, Trend reports.\nThe deal starts in January.",
        "date_publish": "2025-12-01 14:30:00",
        "authors": ["Aylin Demir", "Farid Aliyev"],
        "url": "https://en.trend.az/business/1",
        "source_domain": "en.trend.az",
        "language": "en",
    }
    return record | overrides


def read(text, kind="jsonl"):
    return read_export(text, "export.jsonl", content_hash=HASH, encoding="utf-8", kind=kind)


def test_news_please_jsonl_maps_every_field():
    items, rejections = read(json.dumps(news_please()) + "\n")
    assert rejections == []
    [item] = items
    assert item.headline == "Agencies sign exchange deal"
    assert item.text.startswith("BAKU, Azerbaijan")
    assert item.published == datetime(2025, 12, 1, 14, 30)  # naive: read later in the outlet's zone
    assert (item.published_precision, item.date_source) == ("minute", "file")
    assert item.authors == ("Aylin Demir", "Farid Aliyev")
    assert (item.url, item.site_name, item.language) == ("https://en.trend.az/business/1", "en.trend.az", "en")
    assert (item.item_key, item.source_kind) == ("https://en.trend.az/business/1", "jsonl")


def test_generic_single_json_object_like_tr_news():
    record = {
        "title": "Başlık",
        "content": "Metin.",
        "source": "haberturk",
        "url": "https://x.tr/1",
        "date": "2025-04-30",
    }
    [item], rejections = read(json.dumps(record, ensure_ascii=False))
    assert rejections == []
    assert (item.headline, item.published, item.published_precision) == ("Başlık", date(2025, 4, 30), "day")
    assert item.site_name == "haberturk"


def test_json_array_of_records():
    items, rejections = read(json.dumps([news_please(url="https://a/1"), news_please(url="https://a/2")]))
    assert [i.item_key for i in items] == ["https://a/1", "https://a/2"] and rejections == []


def test_broken_line_in_the_middle_is_rejected_with_its_line_and_the_rest_loads():
    lines = [json.dumps(news_please(url="https://a/1")), '{"title": "half', json.dumps(news_please(url="https://a/3"))]
    items, rejections = read("\n".join(lines))
    assert [i.item_key for i in items] == ["https://a/1", "https://a/3"]
    assert [(r.reason_code, r.line, r.stage) for r in rejections] == [("bad_record", 2, "parse")]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"title": "No text column"}, "no text column"),
        (news_please(date_publish="yesterday"), "Invalid isoformat"),
        ([1, 2], "not an object"),
    ],
)
def test_bad_records_say_why(record, message):
    items, rejections = read(json.dumps(record) + "\n" + json.dumps(news_please()))
    assert len(items) == 1
    assert message in rejections[0].detail


def test_csv_export_with_header_row():
    text = "title,maintext,date_publish,url\nHeadline,Body text.,2025-01-02T03:04:05+04:00,https://a/1\n"
    [item], rejections = read(text, kind="csv")
    assert rejections == []
    assert item.published == datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=4)))
    assert item.published.astimezone(UTC).hour == 23
    assert item.source_kind == "csv"


def test_mapping_is_chosen_by_columns():
    assert pick_mapping({"maintext": "", "title": ""}) is NEWS_PLEASE
    assert pick_mapping({"content": "", "title": ""}) is GENERIC
    assert pick_mapping({"body": ""}) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-04-30", (date(2025, 4, 30), "day")),
        ("2025-04-30 10:00:00", (datetime(2025, 4, 30, 10), "minute")),
        ("2025-04-30T10:00:07Z", (datetime(2025, 4, 30, 10, 0, 7, tzinfo=UTC), "second")),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_export_dates(value, expected):
    assert parse_export_date(value) == expected
