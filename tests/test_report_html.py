"""The HTML report page, rendered from hand-made tables and read back with lxml: sections, escaping, no network."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from lxml import html as lxml_html

from media_etl.report.html import PAGE_SECTIONS, page_path, render_page, write_page
from media_etl.report.page_queries import PageData, theme_trends
from media_etl.report.source_health import SourceHealth, health_summary
from media_etl.report.summary import Report, ReportFilter
from media_etl.report.svg import axis_scale, horizontal_bars, stacked_bars

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


def frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns, dtype=object)


def page_data(hostile: str = HOSTILE) -> PageData:
    """A page's tables with a hostile outlet, person, speaker, headline, theme and reason in every section."""
    report = Report(
        database=Path("/data/warehouse/media.db"),
        filters=ReportFilter(outlet=hostile),
        coverage_by_outlet=frame(
            [(hostile, 3, 3, 300, date(2025, 5, 1), date(2025, 5, 3), "AZ")],
            ["outlet", "articles", "dated", "words", "first_day", "last_day", "dateline_countries"],
        ),
        coverage_by_day=frame(
            [(date(2025, 5, 1), hostile, 2), (date(2025, 5, 3), hostile, 1)], ["day", "outlet", "articles"]
        ),
        top_stories=frame(
            [(hostile, date(2025, 5, 1), hostile, 2, 3, hostile, 4)],
            ["story", "first_published", "first_outlet", "articles", "sources", "outlets", "entities"],
        ),
        most_quoted=frame(
            [(hostile, hostile, 2, 1, 1, hostile)], ["person", "role", "quotes", "direct", "articles", "outlets"]
        ),
        run_quality=frame(
            [("2025-05-04 10:00", "abcd1234", "completed", 1.5, 3, 3, 3, 1, 0.25, hostile)],
            [
                "started_utc",
                "run",
                "status",
                "seconds",
                "files_seen",
                "files_read",
                "articles_loaded",
                "rows_quarantined",
                "rejected_share",
                "new_quarantine_reasons",
            ],
        ),
        generated_at=datetime(2025, 5, 4, 10, 0, tzinfo=UTC),
    )
    trends, grain = theme_trends(
        frame([(date(2025, 5, 1), hostile, 2), (date(2025, 5, 3), "elections", 1)], ["day", "theme", "articles"]),
        frame([(date(2025, 5, 1), 2), (date(2025, 5, 3), 1)], ["day", "articles"]),
    )
    health = SourceHealth(
        outlets=frame(
            [(hostile, date(2025, 5, 1), date(2025, 5, 3), 3, 1, 0, [date(2025, 5, 2)], [])],
            ["outlet", "first_day", "last_day", "articles", "gap_days", "drop_days", "gaps", "drops"],
        ),
        window="the last 7 days of each outlet's data",
    )
    return PageData(
        report=report,
        top_entities=frame(
            [("person", hostile, hostile, 3, 2, 1, hostile), ("organisation", hostile, "", 2, 1, 0, hostile)],
            ["entity_type", "name", "roles", "mentions", "articles", "quotes", "outlets"],
        ),
        who_quotes_whom=frame(
            [(hostile, hostile, "person", 2, 1, 1, 1)],
            ["outlet", "speaker", "speaker_type", "quotes", "direct", "indirect", "articles"],
        ),
        reprint_chains=frame(
            [(hostile, hostile, datetime(2025, 5, 1, 12, 40, tzinfo=UTC), 1, f"{hostile} +2.5 h", 2.5)],
            ["story", "first_outlet", "first_published", "reprints", "chain", "longest_lag_hours"],
        ),
        reprint_pairs=frame(
            [(hostile, hostile, 1, 1, 2.5, 2.5, 2.5)],
            ["first_outlet", "reprinted_by", "reprints", "timed", "median_lag_hours", "min_lag_hours", "max_lag_hours"],
        ),
        theme_trends=trends,
        theme_grain=grain,
        source_health=health,
        quarantine=frame(
            [(hostile, "read", 2, 2, "2025-05-04 10:00", hostile)],
            ["reason", "stage", "rows", "sources", "latest_utc", "example"],
        ),
    )


@pytest.fixture(scope="module")
def document() -> lxml_html.HtmlElement:
    return lxml_html.document_fromstring(render_page(page_data()))


def test_every_section_is_there_in_order(document):
    sections = document.xpath("//section")
    assert [s.get("id") for s in sections] == [s.anchor for s in PAGE_SECTIONS]
    assert [s.findtext("h2") for s in sections] == [s.title for s in PAGE_SECTIONS]
    assert [a.get("href") for a in document.xpath("//nav/a")] == [f"#{s.anchor}" for s in PAGE_SECTIONS]
    people = document.xpath("//section[@id='people-organisations']/h3/text()")
    assert people == ["People", "Organisations"]


def test_every_value_is_escaped(document):
    # The hostile text comes back as text, never as elements or handlers.
    assert document.xpath("//script") == []
    assert document.xpath("//img") == []
    assert document.xpath("//*[@onerror]") == []
    cells = [c.text_content() for c in document.xpath("//td")]
    assert cells.count(HOSTILE) >= 10
    assert f"{HOSTILE} +2.5 h" in cells
    assert HOSTILE in document.findtext(".//title")  # the filter, in the page's title
    # SVG tooltips and labels hold it as text too.
    tips = [t.text for t in document.xpath("//*[local-name()='rect'][@class='bar']/*[local-name()='title']")]
    assert any(HOSTILE in (t or "") for t in tips)


def test_the_raw_markup_holds_no_unescaped_value():
    markup = render_page(page_data())
    assert "<script" not in markup and "<img" not in markup
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in markup


def test_nothing_is_loaded_from_the_network(document):
    markup = render_page(page_data())
    references = [
        value
        for element in document.iter()
        if isinstance(element.tag, str)
        for attribute, value in element.attrib.items()
        if attribute in {"src", "href", "srcset", "action", "data", "xlink:href", "poster"}
    ]
    assert references and all(value.startswith("#") for value in references)  # in-page anchors only
    assert not re.search(r"url\(|@import", markup)  # no fonts or images from CSS
    assert document.xpath("//link | //script | //iframe | //object | //embed") == []
    assert not any(EXTERNAL.match(value) for value in references)
    assert document.xpath("//style")  # the CSS is inline


def test_charts_have_bars_and_the_source_health_banner(document):
    charts = document.xpath("//*[local-name()='svg']")
    sections = [c.xpath("ancestor::section/@id")[0] for c in charts]
    assert sections == ["coverage", "who-quotes-whom", "themes", "source-health", "quarantine"]
    for chart in charts:
        bars = chart.xpath(".//*[local-name()='rect'][@class='bar']")
        assert bars and all(float(b.get("height")) > 0 and float(b.get("width")) > 0 for b in bars)
    titles = [t.text for t in document.xpath("//*[local-name()='text'][@class='chart-title']")]
    assert titles[0] == "Articles published per day, by outlet"  # the period, visible in the title
    assert titles[2] == "Articles per day carrying each theme (an article can carry several)"
    alert = document.xpath("//section[@id='source-health']//div[@class='alert']")[0].text_content()
    assert "Gaps or drops in 1 outlet(s)" in alert and "1 gap day (2025-05-02)" in alert
    coverage = document.xpath("//section[@id='coverage']/p[@class='note']")[0].text_content()
    assert coverage.startswith("Dated articles per day")


def test_empty_tables_and_charts_say_so():
    data = page_data()
    for name in ("top_entities", "who_quotes_whom", "reprint_chains", "reprint_pairs", "quarantine", "theme_trends"):
        setattr(data, name, getattr(data, name).iloc[0:0])
    data.source_health = SourceHealth(outlets=data.source_health.outlets.iloc[0:0], window="days since 2025-05-01")
    document = lxml_html.document_fromstring(render_page(data))
    assert "No data to draw for this selection." in document.xpath("//section[@id='quarantine']")[0].text_content()
    assert document.xpath("//section[@id='reprints']/p[@class='empty']/text()") == ["No rows.", "No rows."]
    ok = document.xpath("//section[@id='source-health']//div[@class='ok']")[0].text_content()
    assert ok == "No gaps or drops (days since 2025-05-01)."


def test_stacked_bars_fit_under_the_axis_maximum():
    svg = stacked_bars("t", ["a", "b", "c"], {"x": [3, 0, 7], "y": [4, 1, 0]}, "articles")
    document = lxml_html.fragment_fromstring(svg)
    bars = document.xpath(".//rect[@class='bar']")
    assert [int(b.get("data-count")) for b in bars] == [3, 4, 1, 7]  # a zero draws nothing
    tops = [float(b.get("y")) for b in bars]
    axis_top = min(float(line.get("y1")) for line in document.xpath(".//line[@class='grid']"))
    assert min(tops) >= axis_top - 1e-6  # nothing above the axis maximum
    labels = [t.text for t in document.xpath(".//text[@class='label']")]
    assert labels[:5] == ["0", "2", "4", "6", "8"]  # 0 to 8 holds the tallest stack, 7
    assert axis_scale(7) == (2, 8) and axis_scale(0) == (1, 1) and axis_scale(1234) == (500, 1500)


def test_horizontal_bars_scale_to_the_longest():
    svg = horizontal_bars("t", ["a", "b"], [10, 5], "rows")
    widths = [float(w) for w in lxml_html.fragment_fromstring(svg).xpath(".//rect[@class='bar']/@width")]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[0] <= 960


def test_theme_trends_share_is_of_the_periods_articles():
    trends, grain = theme_trends(
        frame([(date(2025, 5, 1), "a", 2), (date(2025, 5, 1), "b", 1)], ["day", "theme", "articles"]),
        frame([(date(2025, 5, 1), 4)], ["day", "articles"]),
    )
    assert grain == "day"
    assert trends.values.tolist() == [[date(2025, 5, 1), "a", 2, 4, 0.5], [date(2025, 5, 1), "b", 1, 4, 0.25]]


def test_health_summary_names_the_flagged_outlets():
    summary = health_summary(page_data("Trend").source_health)
    assert summary["outlets"] == ["Trend"]
    assert summary["details"] == {"Trend": {"gap_days": 1, "drop_days": 0, "gaps": ["2025-05-02"], "drops": []}}
    assert (
        summary["message"] == "1 outlet(s) with gaps or drops (the last 7 days of each outlet's data): Trend: 1 gap day"
    )


def test_write_page_goes_beside_the_days_chart(tmp_path):
    target = page_path(tmp_path / "warehouse", date(2025, 5, 4))
    assert target == tmp_path / "warehouse" / "reports" / "report-2025-05-04.html"
    assert write_page(page_data(), target) == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
