import pytest

from media_etl.sources import RegistryError, load_registry, parse_registry


@pytest.mark.parametrize(
    ("credit", "outlet"),
    [("Trend", "Trend"), ("AA", "Anadolu Agency"), ("anadolu agency", "Anadolu Agency"), ("КАЗИНФОРМ", "Kazinform"),
     ("(Reuters)", "Reuters"), ("/UzA/", "UzA"), ("Azertac", "AZERTAC")],
)  # fmt: skip
def test_credits_resolve_to_outlets(registry, credit, outlet):
    assert registry.by_credit(credit).name == outlet


def test_unknown_credit_is_none(registry):
    assert registry.by_credit("Daily Planet") is None


def test_seed_agencies_have_their_time_zones(registry):
    assert registry.by_credit("Trend").timezone == "Asia/Baku"
    assert registry.by_credit("Anadolu Agency").timezone == "Europe/Istanbul"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"name": "X", "country": "AZ"}], "outlet #1: missing field"),
        ([{"name": "X", "country": "AZ", "timezone": "Mars/Olympus"}], "unknown time zone"),
        (["just a string"], "expected a mapping"),
    ],
)
def test_bad_registry_entries_are_named(entries, message):
    with pytest.raises(RegistryError, match=message):
        parse_registry(entries)


def test_registry_file_must_have_outlets(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="'outlets' list"):
        load_registry(path)
