"""The article filters the report, the export and the feed share: parsing, the registry's names, and the report's
--until, --language, --country, --agency and --outlet through the command line."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from media_etl.cli import app
from media_etl.report.filters import ArticleFilter, FilterError, conditions, outlet_slug, registry_names
from media_etl.report.summary import ReportFilter, build_report
from tests.support.export_warehouse import export_warehouse

runner = CliRunner()


@pytest.fixture(scope="module")
def warehouse(prefect_harness, tmp_path_factory) -> Path:
    return export_warehouse(tmp_path_factory)


def report(warehouse: Path, *options: str):
    return runner.invoke(app, ["report", "-w", str(warehouse), *options], env={"COLUMNS": "250"})


def coverage(warehouse: Path, filters: ArticleFilter) -> dict[str, int]:
    frame = build_report(warehouse, filters).coverage_by_outlet
    return dict(zip(frame["outlet"], frame["articles"], strict=True))


# --- parsing and the registry ---------------------------------------------------------------------


def test_parse_normalises_codes_and_blank_values():
    filters = ArticleFilter.parse(since="2025-01-01", until=" ", language="EN", country="az", outlet="  ")
    assert filters == ArticleFilter(since=date(2025, 1, 1), language="en", country="AZ")
    assert filters.describe() == "since 2025-01-01, language en, country AZ"
    assert ArticleFilter().describe() == "all articles" and ArticleFilter().is_empty


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"since": "2025-02-30"}, "--since", "since must be a date as YYYY-MM-DD"),
        ({"until": "soon"}, "--until", "until must be a date as YYYY-MM-DD"),
        ({"since": "2025-02-02", "until": "2025-02-01"}, "--until", "until (2025-02-01) is before since (2025-02-02)"),
        ({"language": "e"}, "--language", "2- or 3-letter ISO 639 code"),
        ({"country": "AZE"}, "--country", "2-letter ISO 3166-1 code"),
    ],
)
def test_parse_errors_name_the_option(options, field, message):
    with pytest.raises(FilterError, match=re.escape(message)) as caught:
        ArticleFilter.parse(**options)
    assert caught.value.field == field


def test_report_filter_keeps_its_fields():
    # The report flow and the HTML report build it from since and outlet.
    assert ReportFilter is ArticleFilter
    assert ReportFilter(since=date(2025, 1, 1), outlet="Trend").describe() == "since 2025-01-01, outlet Trend"


def test_outlet_slug():
    assert outlet_slug("Anadolu Agency") == "anadolu-agency"
    assert outlet_slug("Associated Press") == "associated-press"
    assert outlet_slug("UzA") == "uza"


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("anadolu-agency", ("Anadolu Agency",)),
        ("ANADOLU AGENCY", ("Anadolu Agency",)),
        ("AA", ("Anadolu Agency",)),  # a credit
        ("aa.com.tr", ("Anadolu Agency",)),  # a domain
        ("en.trend.az", ("Trend",)),
        ("monitor.example", ()),
        (None, ()),
    ],
)
def test_registry_names(registry, typed, names):
    assert registry_names(typed, registry) == names


def test_conditions_hold_parameters_only():
    sql = conditions("a")
    assert "$outlets" in sql and "$since" in sql and "a.published_date" in sql
    params = ArticleFilter(outlet="Trend", outlet_names=("Trend",), agency="AA").params()
    assert params["outlets"] == ["trend"] and params["agencies"] == ["aa"] and params["country"] is None


# --- the report through the command line ------------------------------------------------------------


def test_report_until(warehouse):
    result = report(warehouse, "--until", "2024-12-31")
    assert result.exit_code == 0, result.output
    assert "media-etl report: until 2024-12-31" in result.stdout
    assert coverage(warehouse, ArticleFilter(until=date(2024, 12, 31))) == {
        "Associated Press": 1,
        "Kazinform": 1,
        "Reuters": 1,
        "Trend": 1,
    }
    assert "Associated Press" in result.stdout and "AZERTAC" not in result.stdout


def test_report_language_country_and_agency(warehouse):
    assert coverage(warehouse, ArticleFilter(language="az")) == {"Trend": 1}
    assert coverage(warehouse, ArticleFilter(country="KZ")) == {"Kazinform": 2}
    result = report(warehouse, "--language", "AZ")
    assert result.exit_code == 0, result.output
    assert "language az" in result.stdout and "Bakıda media forumu" in result.stdout
    result = report(warehouse, "--agency", "AA", "--country", "tr")
    assert result.exit_code == 0, result.output
    assert "agency AA, country TR" in result.stdout
    assert "Anadolu Agency" in result.stdout and "Trend" not in result.stdout


def test_report_outlet_by_display_name_and_slug(warehouse):
    for typed in ("anadolu agency", "anadolu-agency", "aa.com.tr"):
        result = report(warehouse, "--outlet", typed)
        assert result.exit_code == 0, result.output
        assert "Anadolu Agency" in result.stdout and "Kazinform" not in result.stdout, typed
        assert result.stderr == ""


def test_report_outlet_that_matches_nothing_says_so(warehouse):
    result = report(warehouse, "--outlet", "Kazinfrom")
    assert result.exit_code == 0, result.output
    assert "no outlet matches 'Kazinfrom'; close names: Kazinform" in result.stderr
    assert "no rows" in result.stdout and "Kazinform" not in result.stdout


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--country", "Azerbaijan"], "2-letter ISO 3166-1 code"),
        (["--since", "2025-06-01", "--until", "2025-01-01"], "is before since"),
        (["--until", "2025-13-01"], "until must be a date as YYYY-MM-DD"),
    ],
)
def test_report_bad_filters_exit_2(warehouse, options, message):
    result = runner.invoke(app, ["report", "-w", str(warehouse), *options], env={"COLUMNS": "1000"})
    assert result.exit_code == 2
    assert message in result.stderr
