"""The report as one self-contained HTML page: inline CSS, charts as inline SVG, no script, no link out.

Opened from the file system with no network, it shows coverage by outlet and period, top people and
organisations with their roles, who quotes whom, reprint chains with their lags, theme trends, source
health (gaps and drops) and quarantine by reason, beside the report's own tables (top stories, run
quality). Every value from the warehouse is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

import pandas as pd

from media_etl.report.chart import REPORTS_DIR, coverage_table
from media_etl.report.page_queries import MAX_THEMES, PageData
from media_etl.report.periods import all_periods, period_label
from media_etl.report.summary import SECTIONS, format_value, is_numeric
from media_etl.report.svg import horizontal_bars, stacked_bars
from media_etl.store.atomic import write_atomically

STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
       margin: 0 auto; max-width: 1100px; padding: 0 20px 40px; }
header { border-bottom: 2px solid #4e79a7; margin-bottom: 8px; }
h1 { font-size: 26px; margin: 20px 0 4px; }
h2 { font-size: 20px; margin: 32px 0 6px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
nav a { margin-right: 14px; color: #0969da; text-decoration: none; }
p.note, p.meta { color: #57606a; margin: 4px 0 10px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13.5px; }
th, td { border-bottom: 1px solid #d8dee4; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
p.empty { color: #57606a; font-style: italic; }
.alert { background: #fff1e5; border-left: 4px solid #e36209; padding: 8px 12px; margin: 12px 0; }
.ok { background: #eaf5ea; border-left: 4px solid #2da44e; padding: 8px 12px; margin: 12px 0; }
svg.chart { display: block; margin: 8px 0 14px; }
svg .label { font-size: 12px; fill: #444c56; }
svg .chart-title { font-size: 14px; font-weight: 600; fill: #1f2328; }
svg .axis-title { writing-mode: vertical-rl; }
svg .grid { stroke: #e4e8ec; stroke-width: 1; }
svg .axis { stroke: #8c959f; stroke-width: 1; }
@media print { nav { display: none; } }
"""


@dataclass(frozen=True)
class PageSection:
    """One section of the page: its anchor id and heading."""

    anchor: str
    title: str


PAGE_SECTIONS = (
    PageSection("coverage", "Coverage by outlet and period"),
    PageSection("people-organisations", "Top people and organisations"),
    PageSection("who-quotes-whom", "Who quotes whom"),
    PageSection("reprints", "Reprint chains"),
    PageSection("themes", "Theme trends"),
    PageSection("source-health", "Source health"),
    PageSection("quarantine", "Quarantine by reason"),
    PageSection("stories-runs", "Top stories and recent runs"),
)


def page_path(warehouse: Path, day: date) -> Path:
    """The file a report made on ``day`` writes its HTML page to, beside the day's PNG chart.

    Args:
        warehouse: The warehouse folder.
        day: The report's date.

    Returns:
        ``<warehouse>/reports/report-<YYYY-MM-DD>.html``.
    """
    return warehouse / REPORTS_DIR / f"report-{day.isoformat()}.html"


def html_table(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> str:
    """Render a frame as an HTML table of escaped text, numbers right-aligned.

    Args:
        frame: Rows of Python values.
        columns: The columns to show, in order (all when None).

    Returns:
        A ``<table>``, or a paragraph saying there are no rows.
    """
    if frame.empty:
        return '<p class="empty">No rows.</p>'
    shown = list(columns) if columns is not None else [str(c) for c in frame.columns]
    numeric = {c: is_numeric(frame[c]) for c in shown}
    head = "".join(
        f'<th{" class=num" if numeric[c] else ""} scope="col">{escape(c.replace("_", " "))}</th>' for c in shown
    )
    rows = []
    for record in frame[shown].itertuples(index=False):
        cells = "".join(
            f"<td{' class=num' if numeric[c] else ''}>{escape(_cell(v))}</td>"
            for c, v in zip(shown, record, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cell(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value)
    return format_value(value)


def _note(text: str) -> str:
    return f'<p class="note">{escape(text)}</p>'


def _section(section: PageSection, body: Sequence[str]) -> str:
    return f'<section id="{section.anchor}"><h2>{escape(section.title)}</h2>{"".join(body)}</section>'


def coverage_chart(coverage_by_day: pd.DataFrame) -> tuple[str, str]:
    """Draw articles per period, stacked by outlet, every period from the first to the last shown.

    Args:
        coverage_by_day: Columns day, outlet and articles.

    Returns:
        The ``<svg>`` and the grain it counts by.
    """
    table, grain = coverage_table(coverage_by_day)
    title = f"Articles published per {grain}, by outlet"
    if table.empty:
        return stacked_bars(title, [], {}, "articles"), grain
    periods = all_periods(min(table.index), max(table.index), grain)
    table = table.reindex(periods, fill_value=0)
    series = {str(c): [int(v) for v in table[c]] for c in table.columns}
    return stacked_bars(title, [period_label(p, grain) for p in periods], series, "articles"), grain


def theme_chart(trends: pd.DataFrame, grain: str) -> str:
    """Draw how many articles carry each of the most frequent themes per period.

    Args:
        trends: Columns period, theme and articles (``page_queries.theme_trends``).
        grain: The period's grain.

    Returns:
        The ``<svg>``.
    """
    title = f"Articles per {grain} carrying each theme (an article can carry several)"
    if trends.empty:
        return stacked_bars(title, [], {}, "articles")
    totals = trends.groupby("theme")["articles"].sum()
    kept = sorted(totals.index, key=lambda t: (-int(totals[t]), str(t)))[:MAX_THEMES]
    table = (
        trends[trends["theme"].isin(kept)]
        .pivot_table(index="period", columns="theme", values="articles", aggfunc="sum", fill_value=0)
        .reindex(columns=kept, fill_value=0)
    )
    periods = all_periods(min(trends["period"]), max(trends["period"]), grain)
    table = table.reindex(periods, fill_value=0)
    series = {str(t): [int(v) for v in table[t]] for t in kept}
    return stacked_bars(title, [period_label(p, grain) for p in periods], series, "articles")


def _coverage(data: PageData) -> list[str]:
    chart, grain = coverage_chart(data.report.coverage_by_day)
    note = SECTIONS[0].note
    return [
        _note(f"Dated articles per {grain} (the period is chosen so the chart has at most 100 bars). {note}"),
        chart,
        html_table(data.report.coverage_by_outlet),
    ]


def _people(data: PageData) -> list[str]:
    frame = data.top_entities
    body = [
        _note("Mentions in the covered articles; roles are the titles written beside the name, most frequent first.")
    ]
    for entity_type, heading in (("person", "People"), ("organisation", "Organisations")):
        rows = frame[frame["entity_type"] == entity_type] if not frame.empty else frame
        columns = ["name", "roles", "mentions", "articles", "quotes", "outlets"]
        body += [f"<h3>{heading}</h3>", html_table(rows, columns)]
    return body


def _quotes(data: PageData) -> list[str]:
    frame = data.who_quotes_whom
    labels = [f"{o} → {s}" for o, s in zip(frame["outlet"], frame["speaker"], strict=True)] if not frame.empty else []
    values = [int(v) for v in frame["quotes"]] if not frame.empty else []
    return [
        _note(
            "Quotes per outlet and speaker; a speaker resolved to a person or organisation is named by its"
            " canonical name, an unresolved one as written."
        ),
        horizontal_bars("Quotes per outlet and speaker", labels, values, "quotes"),
        html_table(frame),
    ]


def _reprints(data: PageData) -> list[str]:
    return [
        _note(
            "A chain is a story's first article and the near-duplicates other outlets ran after it, each with its lag"
            " in hours after the first (unknown when either has no time of day)."
        ),
        html_table(data.reprint_chains),
        "<h3>Who republishes whom</h3>",
        html_table(data.reprint_pairs),
    ]


def _themes(data: PageData) -> list[str]:
    return [
        _note(f"Themes from themes.yaml per {data.theme_grain}; share is of the period's dated articles."),
        theme_chart(data.theme_trends, data.theme_grain),
        html_table(_labelled(data.theme_trends, data.theme_grain)),
    ]


def _labelled(trends: pd.DataFrame, grain: str) -> pd.DataFrame:
    if trends.empty:
        return trends
    labelled = trends.copy()
    labelled["period"] = [period_label(p, grain) for p in trends["period"]]
    return labelled.rename(columns={"period": grain})


def _health(data: PageData) -> list[str]:
    health = data.source_health
    flagged = health.flagged
    if flagged:
        items = "".join(f"<li>{escape(o)}: {escape(health.describe(o))}</li>" for o in flagged)
        banner = f'<div class="alert"><strong>Gaps or drops in {len(flagged)} outlet(s)</strong><ul>{items}</ul></div>'
    else:
        banner = f'<div class="ok">No gaps or drops ({escape(health.window)}).</div>'
    frame = health.outlets
    labels = [str(o) for o in frame["outlet"]] if not frame.empty else []
    values = [int(g) + int(d) for g, d in zip(frame["gap_days"], frame["drop_days"], strict=True)] if labels else []
    return [
        _note(
            f"Checked: {health.window}. A gap is a day without articles between an outlet's first and last dated"
            " article; a drop a day with fewer than half the average of the 7 days before (rpt_source_health)."
        ),
        banner,
        horizontal_bars("Days with a gap or a drop per outlet", labels, values, "days"),
        html_table(frame),
    ]


def _quarantine(data: PageData) -> list[str]:
    frame = data.quarantine
    labels = [f"{r} ({s})" for r, s in zip(frame["reason"], frame["stage"], strict=True)] if not frame.empty else []
    values = [int(v) for v in frame["rows"]] if not frame.empty else []
    return [
        _note(
            "Open rows the ETL set aside (not resolved by a later run), by reason code and stage (all outlets:"
            " a rejected row has none); `media-etl quarantine list` shows them, `--all` the resolved ones too."
        ),
        horizontal_bars("Open quarantined rows per reason", labels, values, "rows"),
        html_table(frame),
    ]


def _stories_runs(data: PageData) -> list[str]:
    body = []
    for section in SECTIONS[1:]:
        table = html_table(getattr(data.report, section.attribute))
        body += [f"<h3>{escape(section.title)}</h3>", _note(section.note), table]
    return body


_BUILDERS = {
    "coverage": _coverage,
    "people-organisations": _people,
    "who-quotes-whom": _quotes,
    "reprints": _reprints,
    "themes": _themes,
    "source-health": _health,
    "quarantine": _quarantine,
    "stories-runs": _stories_runs,
}


def render_page(data: PageData) -> str:
    """Render the whole page.

    Args:
        data: What the page shows.

    Returns:
        An HTML5 document with its CSS inline and no reference to anything outside it.
    """
    report = data.report
    title = f"media-etl report: {report.filters.describe()}"
    nav = "".join(f'<a href="#{s.anchor}">{escape(s.title)}</a>' for s in PAGE_SECTIONS)
    sections = "".join(_section(s, _BUILDERS[s.anchor](data)) for s in PAGE_SECTIONS)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(title)}</h1>"
        f'<p class="meta">From {escape(str(report.database))} at {report.generated_at:%Y-%m-%d %H:%M} UTC.'
        " Current article versions only.</p>"
        f"<nav>{nav}</nav></header>{sections}</body></html>\n"
    )


def write_page(data: PageData, target: Path) -> Path:
    """Render the page and write it atomically, creating its folder.

    Args:
        data: What the page shows.
        target: The HTML file.

    Returns:
        ``target``.
    """
    content = render_page(data).encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, lambda handle: handle.write(content))
    return target
