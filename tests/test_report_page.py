"""The HTML report on a warehouse the ETL flow built: its queries, `media-etl report --html`, the report flow's
page artifact, its "Source gaps" state and source-health event, and (slow tier) the page in headless Chromium.

The inputs are test_views.py's (the seeds, other outlets' reprints of two Trend stories, monitor.example's
ten days with a gap and two drops) plus a headline full of markup and an empty file (quarantined).
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from prefect.events.filters import EventFilter, EventNameFilter, EventOccurredFilter
from typer.testing import CliRunner

from flows.etl import etl
from flows.report import PAGE_ARTIFACT_KEY, SOURCE_GAPS_STATE, SOURCE_HEALTH_EVENT, report
from media_etl.cli import app
from media_etl.report.html import PAGE_SECTIONS, page_path
from media_etl.report.page_queries import build_page_data
from media_etl.report.summary import ReportFilter
from tests.support.chromium import CHROMIUM, MISSING, chromium_page
from tests.test_views import MONITOR, write_inputs, write_jsonl

REPO_ROOT = Path(__file__).resolve().parent.parent
HOSTILE_HEADLINE = 'Panel on <script>alert("x")</script> & "trust" in <b>media</b>'
HOSTILE_OUTLET = "evil.example"
EVENT_TIMEOUT = 60


@pytest.fixture(scope="module")
def warehouse(prefect_harness, tmp_path_factory) -> Path:
    inputs = tmp_path_factory.mktemp("page_inputs")
    write_inputs(inputs)
    write_jsonl(
        inputs / "zz_hostile.jsonl",
        [
            {
                "title": HOSTILE_HEADLINE,
                "maintext": "Journalists met in Baku on Monday to discuss trust in media.\n"
                "The panel said <img src=x onerror=alert(1)> was not a headline.",
                "date_publish": "2025-05-09T10:00:00+00:00",
                "authors": [],
                "url": f"https://{HOSTILE_OUTLET}/panel",
                "source_domain": HOSTILE_OUTLET,
                "language": "en",
            }
        ],
    )
    (inputs / "empty.txt").write_text("", encoding="utf-8")
    target = tmp_path_factory.mktemp("page_warehouse")
    run = etl(inputs=[str(inputs)], warehouse=str(target), fetch_feeds=False)
    assert run["rows_quarantined"] == 1
    return target


def test_page_queries_on_a_real_warehouse(warehouse):
    data = build_page_data(warehouse, ReportFilter())
    chains = data.reprint_chains
    assert sorted(chains["chain"]) == [
        "AZERTAC +2.5 h; Anadolu Agency +24.0 h",  # the forum story
        "AZERTAC +5.0 h; Kazinform (lag unknown)",  # the photo bank story: Kazinform's copy has no time
    ]
    assert set(chains["first_outlet"]) == {"Trend"}
    pairs = {
        (r.first_outlet, r.reprinted_by): (r.reprints, r.median_lag_hours) for r in data.reprint_pairs.itertuples()
    }
    assert pairs == {
        ("Trend", "AZERTAC"): (2, 3.8),  # median of 2.5 h and 5 h
        ("Trend", "Anadolu Agency"): (1, 24.0),
        ("Trend", "Kazinform"): (1, None),
    }
    assert data.quarantine[["reason", "stage", "rows", "sources"]].values.tolist() == [["empty", "read", 1, 1]]
    people = data.top_entities[data.top_entities["entity_type"] == "person"].set_index("name")
    assert people.loc["Fahrettin Altun", "roles"] == "Communications Director"
    assert people.loc["Fahrettin Altun", "quotes"] == 15
    assert set(data.top_entities["entity_type"]) == {"person", "organisation"}
    top = data.who_quotes_whom.iloc[0]
    assert (top["outlet"], top["speaker"], top["speaker_type"], top["quotes"]) == (
        "Anadolu Agency",
        "Fahrettin Altun",
        "person",
        15,
    )
    health = data.source_health
    assert MONITOR in health.flagged
    # monitor.example's last 7 days (05-04 to 05-10): the gap of 05-05 and the drops of 05-07 and 05-10.
    assert health.describe(MONITOR) == "1 gap day (2025-05-05), 2 drop days (2025-05-07, 2025-05-10)"
    assert HOSTILE_OUTLET not in health.flagged and "Reuters" not in health.flagged  # one day each: nothing to miss


def test_filters_apply_to_the_page(warehouse):
    data = build_page_data(warehouse, ReportFilter(outlet="azertac"))
    assert set(data.who_quotes_whom["outlet"]) == {"AZERTAC"}
    assert list(data.source_health.outlets["outlet"]) == ["AZERTAC"]
    assert len(data.reprint_chains) == 2  # AZERTAC reprinted both stories
    later = build_page_data(warehouse, ReportFilter(since=datetime(2025, 5, 8).date(), outlet=MONITOR))
    assert later.source_health.window == "days since 2025-05-08"
    assert later.source_health.describe(MONITOR) == "1 drop day (2025-05-10)"
    assert all(period >= datetime(2025, 5, 8).date() for period in later.theme_trends["period"])


def test_cli_writes_the_page(warehouse, tmp_path):
    target = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(app, ["report", "--warehouse", str(warehouse), "--html", str(target)])
    assert result.exit_code == 0, result.output
    assert f"HTML report: {target.resolve()}" in result.output
    assert f"{MONITOR}: 1 gap day, 2 drop days" in result.output
    document = lxml_html.document_fromstring(target.read_bytes())
    assert [s.get("id") for s in document.xpath("//section")] == [s.anchor for s in PAGE_SECTIONS]
    chains = document.xpath("//section[@id='reprints']//td/text()")
    assert "AZERTAC +2.5 h; Anadolu Agency +24.0 h" in chains
    assert "empty" in document.xpath("//section[@id='quarantine']//td/text()")


def test_cli_escapes_what_the_articles_say(warehouse, tmp_path):
    target = tmp_path / "evil.html"
    result = CliRunner().invoke(
        app, ["report", "--warehouse", str(warehouse), "--outlet", HOSTILE_OUTLET, "--html", str(target)]
    )
    assert result.exit_code == 0, result.output
    markup = target.read_text(encoding="utf-8")
    document = lxml_html.document_fromstring(markup)
    assert HOSTILE_HEADLINE in document.xpath("//section[@id='stories-runs']//td/text()")
    assert document.xpath("//script | //b | //img") == []
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;trust&quot;" in markup


def test_cli_html_usage_errors(warehouse, tmp_path):
    runner = CliRunner(env={"COLUMNS": "400"})  # long tmp paths must not wrap the words checked for
    folder = runner.invoke(app, ["report", "--warehouse", str(warehouse), "--html", str(tmp_path)])
    assert folder.exit_code == 2 and "--html" in folder.output and "directory" in folder.output
    missing = runner.invoke(app, ["report", "--warehouse", str(tmp_path / "none"), "--html", str(tmp_path / "r.html")])
    assert missing.exit_code == 2 and "media.db" in missing.output
    assert not (tmp_path / "r.html").exists()
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    under_a_file = runner.invoke(
        app, ["report", "--warehouse", str(warehouse), "--html", str(tmp_path / "a-file" / "r.html")]
    )
    assert (
        under_a_file.exit_code == 2 and f"--html: cannot write {tmp_path / 'a-file' / 'r.html'}" in under_a_file.output
    )


def read_events(flow_run_id: object, since: datetime, wait: float = EVENT_TIMEOUT) -> list:
    """The source-health events the test server stored for a flow run, waiting up to ``wait`` seconds
    for the first (the events worker sends them asynchronously)."""
    deadline = time.monotonic() + wait
    flow_run = f"prefect.flow-run.{flow_run_id}"
    while True:
        with get_client(sync_client=True) as client:
            page = client.read_events(
                filter=EventFilter(
                    occurred=EventOccurredFilter(since=since), event=EventNameFilter(name=[SOURCE_HEALTH_EVENT])
                ),
                limit=50,  # the server's most (the client's default of 100 is refused)
            )
        events = [e for e in page.events if any(r.id == flow_run for r in e.related)]
        if events or time.monotonic() > deadline:
            return events
        time.sleep(0.5)


def test_flow_ends_in_source_gaps_and_emits_an_event(warehouse):
    started = datetime.now(UTC)
    state = report(warehouse=str(warehouse), return_state=True)
    assert state.is_completed() and state.type.value == "COMPLETED"
    assert state.name == SOURCE_GAPS_STATE
    assert state.message is not None and f"{MONITOR}: 1 gap day, 2 drop days" in state.message
    result = state.result()
    assert Path(result["page"]) == page_path(warehouse, datetime.now(UTC).date())
    assert MONITOR in result["source_health"]["outlets"]

    flow_run_id = state.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(flow_run_id)
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    assert (run.state_name, run.state_type.value) == (SOURCE_GAPS_STATE, "COMPLETED")  # what the UI shows
    link = next(a for a in artifacts if a.key == PAGE_ARTIFACT_KEY)
    assert f"({Path(result['page']).resolve().as_uri()})" in str(link.data)

    [event] = read_events(flow_run_id, started)
    assert event.resource.id == f"media-etl.warehouse.{warehouse.resolve()}"
    outlets = [r.name for r in event.related if r.role == "outlet"]
    assert outlets == result["source_health"]["outlets"] and MONITOR in outlets
    assert event.payload["details"][MONITOR] == {
        "gap_days": 1,
        "drop_days": 2,
        "gaps": ["2025-05-05"],
        "drops": ["2025-05-07", "2025-05-10"],
    }
    assert event.payload["report_page"] == Path(result["page"]).resolve().as_uri()


def test_flow_completes_plainly_when_no_outlet_has_gaps(warehouse):
    started = datetime.now(UTC)
    state = report(warehouse=str(warehouse), outlet="Reuters", return_state=True)
    assert state.is_completed() and state.name == "Completed"
    assert state.result()["source_health"]["outlets"] == []
    assert read_events(state.state_details.flow_run_id, started, wait=3) == []


def test_flow_takes_every_report_filter(warehouse):
    everything = report(warehouse=str(warehouse), outlet="Reuters")
    assert everything["rows"]["coverage_by_outlet"] == 1
    # The same outlet, but a language, a country and a date range none of its articles has.
    for options in ({"language": "xx"}, {"country": "ZW"}, {"until": "1999-12-31"}, {"agency": "no such agency"}):
        narrowed = report(warehouse=str(warehouse), outlet="Reuters", **options)
        assert narrowed["rows"]["coverage_by_outlet"] == 0, options
    with pytest.raises(ValueError, match="until"):
        report(warehouse=str(warehouse), since="2025-01-02", until="2025-01-01")


CHART_CHECK = """(() => [...document.querySelectorAll('svg.chart')].map(svg => ({
    section: svg.closest('section').id,
    width: svg.getBoundingClientRect().width,
    bars: [...svg.querySelectorAll('rect.bar')].filter(bar => {
        const box = bar.getBoundingClientRect();
        return box.width > 0 && box.height > 0;
    }).length,
})))()"""


@pytest.mark.slow  # headless Chromium
@pytest.mark.skipif(not CHROMIUM.is_file(), reason=MISSING)
def test_the_page_renders_in_headless_chromium(warehouse, tmp_path):
    target = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "--warehouse", str(warehouse), "--html", str(target)])
    assert result.exit_code == 0, result.output
    with chromium_page(tmp_path) as page:
        for domain in ("Page", "Runtime", "Log"):
            page.call(f"{domain}.enable")
        page.open(target.resolve().as_uri())
        page.wait_for_load()
        page.wait_for_text("Source health", "Quarantine by reason")
        charts = page.evaluate(CHART_CHECK)
        shot = page.screenshot(tmp_path / "report.png", full_page=True)
        resources = page.evaluate("performance.getEntriesByType('resource').map(r => r.name)")
        errors = page.console_errors()
        # The check can fail: an error logged now is seen.
        page.evaluate("console.error('probe')")
        assert page.console_errors()[-1:] == ["probe"]
    artifacts = REPO_ROOT / ".tmp" / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, artifacts / "report.png")

    assert [c["section"] for c in charts] == ["coverage", "who-quotes-whom", "themes", "source-health", "quarantine"]
    assert all(c["bars"] > 0 and c["width"] > 300 for c in charts), charts
    assert errors == []
    assert resources == []  # nothing fetched: no font, image, script or style from anywhere
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 50_000
