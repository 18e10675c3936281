"""A warehouse for the export, feed, sql-format and report-filter tests: the seeds plus two reprints of a seed story.

Built once per test session (the ETL flow under Prefect's test harness takes several seconds)
and shared read-only by the test modules that ask for it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SEEDS

FORUM_SEED = "000_a24507a823bb7c72.txt"
FORUM_HEADLINE = "OTS Media Forum hosts panel session on opportunities for mutual cooperation"
AZERTAC_REPRINT_URL = "https://azertag.az/en/xeber/forum-panel-reprint"
KAZINFORM_REPRINT_URL = "https://www.inform.kz/ru/forum-panel-reprint"


def forum_paragraphs() -> list[str]:
    """The body paragraphs of Trend's forum seed (after its date line and its update note)."""
    paragraphs = [p.strip() for p in (SEEDS / FORUM_SEED).read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return paragraphs[2:]


def reprints() -> list[dict[str, object]]:
    """news-please records of AZERTAC and Kazinform re-running Trend's forum story (12:40 UTC on 2025-11-27)."""
    body = forum_paragraphs()
    return [
        {
            "title": "Baku forum panel weighs digital media cooperation",
            "maintext": "\n".join(body[:-1]),
            "date_publish": "2025-11-27T18:40:00+04:00",  # 14:40 UTC: two hours after Trend
            "authors": [],
            "url": AZERTAC_REPRINT_URL,
            "source_domain": "azertag.az",
            "language": "en",
        },
        {
            "title": "Panel on digital media cooperation held at Baku forum",
            "maintext": "\n".join(body),
            "date_publish": "2025-11-28",
            "authors": [],
            "url": KAZINFORM_REPRINT_URL,
            "source_domain": "inform.kz",
            "language": "en",
        },
    ]


def export_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build (once per session) and return the warehouse; the caller must hold the prefect_harness fixture."""
    root = tmp_path_factory.getbasetemp() / "export_warehouse"
    target = root / "warehouse"
    if (target / "media.db").is_file():
        return target
    from flows.etl import etl

    inputs = root / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.iterdir():
        if seed.is_file():
            shutil.copy(seed, inputs / seed.name)
    records = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reprints())
    (inputs / "zz_forum_reprints.jsonl").write_text(records, encoding="utf-8")
    run = etl(inputs=[str(inputs)], warehouse=str(target), fetch_feeds=False)
    assert (run["status"], run["rows_quarantined"]) == ("completed", 0), run
    return target
