"""A markdown summary of one ETL run, for the Prefect artifact and the log."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from media_etl.records import Rejection

_MAX_LISTED = 20
# The counts of a ``runs`` row that summaries show, in order.
RUN_MEASURES = (
    "files_seen",
    "files_unchanged",
    "files_read",
    "articles_parsed",
    "articles_loaded",
    "articles_already_loaded",
    "paragraphs_loaded",
    "rows_quarantined",
)


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def render_run_summary(run: Mapping[str, object], rejections: Iterable[Rejection]) -> str:
    """Render a run's counts and its quarantined inputs as markdown.

    Args:
        run: The run's ``runs`` row.
        rejections: Everything the run rejected.

    Returns:
        Markdown with a counts table, a reasons table and the first rejected inputs.
    """
    rejections = list(rejections)
    lines = [
        f"# media-etl run `{run['run_id']}`: {run['status']}",
        "",
        "| measure | value |",
        "|---|---:|",
    ]
    for key in RUN_MEASURES:
        lines.append(f"| {key.replace('_', ' ')} | {run[key]} |")
    reasons = json.loads(str(run["quarantined_by_reason"]))
    if reasons:
        lines += ["", "## Quarantined by reason", "", "| reason | rows |", "|---|---:|"]
        lines += [f"| {_cell(reason)} | {n} |" for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])]
        lines += ["", "## Quarantined inputs", "", "| source | stage | reason | detail |", "|---|---|---|---|"]
        for r in rejections[:_MAX_LISTED]:
            where = f"{r.source_uri}:{r.line}" if r.line else r.source_uri
            lines.append(f"| {_cell(where)} | {r.stage} | {r.reason_code} | {_cell(r.detail)} |")
        if len(rejections) > _MAX_LISTED:
            lines.append(f"| … | | | {len(rejections) - _MAX_LISTED} more in the quarantine table |")
    if run.get("detail"):
        lines += ["", f"**Error:** {_cell(run['detail'])}"]
    return "\n".join(lines) + "\n"
