"""`media-etl sources check`: every problem of a registry file, and the warehouse's outlets it does not cover."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from media_etl.cli import app
from media_etl.load import load_batch, prepare_warehouse
from media_etl.pipeline import process_files
from media_etl.sources_check import RegistryProblem, registry_problems
from media_etl.store.database import build_database
from tests.conftest import REPO_ROOT, SEEDS

LOADED_AT = datetime(2026, 6, 8, tzinfo=UTC)
runner = CliRunner()

INVALID = """\
outlets:
  - name: Pit Lane Weekly
    country: XX
    language: english
    timezone: Europe/Atlantis
    domains: [pitlane.example, "https://www.pitlane.example/news"]
    feeds: [pitlane.example/rss.xml]
    follow_link: true
  - name: pit lane weekly
    country: gb
    timezone: Europe/London
    domains: [www.pitlane.example]
    credits: [Trend]
  - name: Trend
    country: AZ
    timezone: Asia/Baku
    agency: "yes"
  - country: TR
"""


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "250"})


def page(canonical: str, site_name: str | None, headline: str) -> str:
    meta = f"<meta property='og:site_name' content='{site_name}'>" if site_name else ""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{headline} | Autoracing | F1 | Indy | MotoGP | StockCar</title>{meta}"
        f"<link rel='canonical' href='{canonical}'>"
        "<meta property='article:published_time' content='2026-06-07T10:00:00+00:00'>"
        f"</head><body><article><h1>{headline}</h1>"
        "<p>The race in Baku started an hour late on Sunday after heavy rain flooded three corners.</p>"
        "<p>Race control sent the field out behind the safety car once the rain eased a little.</p>"
        "</article></body></html>"
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, registry) -> Path:
    """A warehouse with two articles of an unregistered outlet, one of an unnamed site, and two seeds."""
    inputs = tmp_path_factory.mktemp("inputs")
    pages = {
        "a.html": page("https://www.pitlane.example/news/a.html", "Pit Lane Weekly", "Rain delays the race"),
        "b.html": page("https://pitlane.example/news/b.html", "Pit Lane Weekly", "A new team joins the series"),
        "c.html": page("https://motors.example/c.html", None, "Tyre rules change next year"),
    }
    for name, html in pages.items():
        (inputs / name).write_text(html, encoding="utf-8")
    files = [str(inputs / name) for name in pages] + [
        str(SEEDS / "000_a24507a823bb7c72.txt"),
        str(SEEDS / "sample_09_trend_feed.rss"),
    ]
    target = tmp_path_factory.mktemp("warehouse")
    prepare_warehouse(target)
    batch = process_files(files, registry, run_id="r1", loaded_at=LOADED_AT)
    assert len(batch.articles) >= 5, batch.rejections
    load_batch(target, batch, run_id="r1", loaded_at=LOADED_AT, part="r1")
    build_database(target)
    return target


def test_the_project_registry_is_valid():
    assert registry_problems(REPO_ROOT / "sources.yaml") == []


def test_every_problem_is_reported_with_its_entry_and_field(tmp_path):
    registry = tmp_path / "sources.yaml"
    registry.write_text(INVALID, encoding="utf-8")
    problems = {(p.entry, p.field): p.message for p in registry_problems(registry)}
    first, second, third = "outlet #1 (Pit Lane Weekly)", "outlet #2 (pit lane weekly)", "outlet #3 (Trend)"
    assert "'XX' is not an ISO 3166-1 alpha-2" in problems[first, "country"]
    assert "'english' is not an ISO 639-1" in problems[first, "language"]
    assert "'Europe/Atlantis' is not an IANA time zone" in problems[first, "timezone"]
    assert "'https://www.pitlane.example/news' is not a bare domain name" in problems[first, "domains"]
    assert "'pitlane.example/rss.xml' is not a feed URL" in problems[first, "feeds"]
    assert "unknown field" in problems[first, "follow_link"]
    assert problems[second, "name"] == f"'pit lane weekly' is already {first}'s name or credit"
    assert problems[second, "domains"] == f"'www.pitlane.example' is already {first}'s domain"
    assert (second, "country") not in problems  # a lower-case code is read as upper case
    assert problems[third, "name"] == f"'Trend' is already {second}'s name or credit"  # credited there first
    assert "expected true or false" in problems[third, "agency"]
    assert problems["outlet #4", "name"] == "missing (required)"
    assert problems["outlet #4", "timezone"] == "missing (required)"
    assert len(problems) == 12


def test_a_file_that_is_not_yaml_is_one_problem_with_its_line(tmp_path):
    registry = tmp_path / "sources.yaml"
    registry.write_text("outlets:\n  - name: [unclosed\n    country: AZ\n", encoding="utf-8")
    [problem] = registry_problems(registry)
    assert isinstance(problem, RegistryProblem) and problem.entry == str(registry)
    assert "not valid YAML (line" in problem.message


def test_sources_check_of_an_invalid_registry_exits_2_naming_each_problem(tmp_path, warehouse):
    registry = tmp_path / "sources.yaml"
    registry.write_text(INVALID, encoding="utf-8")
    result = invoke("sources", "check", "--sources", str(registry), "--warehouse", str(warehouse))
    assert result.exit_code == 2
    assert "12 problem(s)" in result.stdout
    assert "outlet #1 (Pit Lane Weekly)" in result.stdout and "Europe/Atlantis" in result.stdout


def test_sources_check_lists_the_outlets_no_entry_covers(warehouse):
    result = invoke("sources", "check", "--warehouse", str(warehouse))
    assert result.exit_code == 0, result.output
    output = result.stdout
    assert "sources.yaml: valid" in output
    assert "Outlets in the warehouse without a registry entry" in output
    lines = [line for line in output.splitlines() if "pitlane.example" in line or "motors.example" in line]
    assert "│ pitlane.example │ Pit Lane Weekly │        2 │" in lines[0]  # most articles first
    assert "│ motors.example  │                 │        1 │" in lines[1]  # the site states no name
    assert "trend.az" not in output  # the seed feed's outlet is registered
    assert "Autoracing" not in output  # a section title never names an outlet
    assert "2 site(s)/outlet(s), 3 current article(s)" in output


def test_a_registry_entry_for_the_site_covers_its_outlet(tmp_path, warehouse):
    registry = tmp_path / "sources.yaml"
    entry = (
        "  - name: Pit Lane Weekly\n    country: GB\n    language: en\n    timezone: Europe/London\n"
        "    domains: [pitlane.example]\n"
    )
    registry.write_text((REPO_ROOT / "sources.yaml").read_text(encoding="utf-8") + entry, encoding="utf-8")
    result = invoke("sources", "check", "--sources", str(registry), "--warehouse", str(warehouse))
    assert result.exit_code == 0, result.output
    assert "pitlane.example" not in result.stdout and "motors.example" in result.stdout
    assert "1 site(s)/outlet(s), 1 current article(s)" in result.stdout


def test_sources_check_without_a_warehouse_only_validates(tmp_path):
    result = invoke("sources", "check", "--warehouse", str(tmp_path / "none"))
    assert result.exit_code == 0
    assert "outlets in the warehouse not checked" in result.stdout


def test_run_refuses_a_registry_it_could_not_load(tmp_path):
    registry = tmp_path / "sources.yaml"
    registry.write_text("outlets:\n  - name: X\n    country: AZ\n    timezone: Mars/Olympus\n", encoding="utf-8")
    result = invoke("run", str(SEEDS), "--sources", str(registry), "-w", str(tmp_path / "wh"))
    assert result.exit_code == 2
    assert "unknown time zone" in result.output and "media-etl sources check" in result.output


@pytest.mark.parametrize("command", [["sources"], ["sources", "discover"], ["sources", "check"]])
def test_the_sources_commands_have_help(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_sources_without_a_subcommand_is_a_usage_error():
    assert invoke("sources").exit_code == 2
