from datetime import date

import pytest

from media_etl.parse.dateline import parse_bare_dateline, parse_dateline


@pytest.mark.parametrize(
    ("paragraph", "raw", "city", "country", "credit", "date_parts", "rest"),
    [
        (
            "BAKU, Azerbaijan, November 27. Azerbaijan's Baku hosted the session.",
            "BAKU, Azerbaijan, November 27.", "Baku", "AZ", None, (None, 11, 27), "Azerbaijan's Baku hosted the session.",
        ),
        ("WASHINGTON (AP) — The State Department said.", "WASHINGTON (AP) —", "Washington", "US", "AP", (None, None, None), "The State Department said."),
        ("PARIS, Aug 31 (Reuters) - Broadcasters agreed.", "PARIS, Aug 31 (Reuters) -", "Paris", "FR", "Reuters", (None, 8, 31), "Broadcasters agreed."),
        ("ISTANBUL, 12 March 2024 /Trend/ Editors met.", "ISTANBUL, 12 March 2024 /Trend/", "Istanbul", "TR", "Trend", (2024, 3, 12), "Editors met."),
        ("ANKARA (AA) - İletişim Başkanlığı açıkladı.", "ANKARA (AA) -", "Ankara", "TR", "AA", (None, None, None), "İletişim Başkanlığı açıkladı."),
        ("Bakı, 27 noyabr. /Trend/ Forum başlayıb.", "Bakı, 27 noyabr. /Trend/", "Baku", "AZ", "Trend", (None, 11, 27), "Forum başlayıb."),
        ("АСТАНА. 12 марта. КАЗИНФОРМ - Руководители встретились.", "АСТАНА. 12 марта. КАЗИНФОРМ -", "Astana", "KZ", "КАЗИНФОРМ", (None, 3, 12), "Руководители встретились."),
        ("Toshkent, 5-mart /UzA/ Seminar bo'lib o'tdi.", "Toshkent, 5-mart /UzA/", "Tashkent", "UZ", "UzA", (None, 3, 5), "Seminar bo'lib o'tdi."),
        ("Баку, 3 декабря. /Trend/ Текст.", "Баку, 3 декабря. /Trend/", "Baku", "AZ", "Trend", (None, 12, 3), "Текст."),
        ("LONDON — Ministers met.", "LONDON —", "London", "GB", None, (None, None, None), "Ministers met."),
        ("BAKU, Sept. 27, 2020. Clashes erupted.", "BAKU, Sept. 27, 2020.", "Baku", "AZ", None, (2020, 9, 27), "Clashes erupted."),
    ],
)  # fmt: skip
def test_parses_dateline_variants(paragraph, raw, city, country, credit, date_parts, rest):
    found = parse_dateline(paragraph)
    assert found is not None
    dateline, remainder = found
    assert (dateline.raw, dateline.city, dateline.country, dateline.credit) == (raw, city, country, credit)
    assert (dateline.year, dateline.month, dateline.day) == date_parts
    assert remainder == rest


@pytest.mark.parametrize(
    "paragraph",
    [
        "Turkey, Azerbaijan hold 1st joint media platform meeting",
        "The first meeting of the platform was held this weekend.",
        "Azerbaijan's Baku hosted the second panel session.",
        "Notacity, Azerbaijan, November 27. Text.",
        "BAKU, Atlantis, November 27. Text.",
        "PARIS, Smarch 31 (Reuters) - Text.",
    ],
)
def test_ignores_sentences_and_unknown_places(paragraph):
    assert parse_dateline(paragraph) is None


def test_dateline_full_date_needs_a_year():
    with_year, _ = parse_dateline("ISTANBUL, 12 March 2024 /Trend/ Text.")
    without_year, _ = parse_dateline("BAKU, Azerbaijan, November 27. Text.")
    assert str(with_year.full_date()) == "2024-03-12"
    assert without_year.full_date() is None


@pytest.mark.parametrize(
    ("line", "city"),
    [
        ("ANKARA", "Ankara"),
        ("BAKU", "Baku"),
        ("Bakı", "Baku"),
        ("Баку", "Baku"),
        ("Астана", "Astana"),
        ("İSTANBUL", "Istanbul"),
    ],
)
def test_bare_dateline_maps_spellings_and_scripts_to_one_city(line, city):
    assert parse_bare_dateline(line).city == city


@pytest.mark.parametrize(
    "line", ["Liberation of Karabakh", "by Anadolu Agency", "ankara", "Benefitting from Turkey’s experience"]
)
def test_bare_dateline_rejects_other_lines(line):
    assert parse_bare_dateline(line) is None


@pytest.mark.parametrize(
    ("line", "city", "country", "day"),
    [
        ("ROME 1996-12-06", "Rome", "IT", date(1996, 12, 6)),
        ("AL-AIN, United Arab Emirates 1996-12-06", "Al Ain City", "AE", date(1996, 12, 6)),
        ("DETROIT, Mich. 1996-08-22", "Detroit", "US", date(1996, 8, 22)),
        ("BUDAPEST 1996-08-21", "Budapest", "HU", date(1996, 8, 21)),
    ],
)
def test_own_line_dateline_with_an_iso_date_and_a_region(line, city, country, day):
    found = parse_bare_dateline(line)
    assert (found.city, found.country, found.full_date(), found.raw) == (city, country, day, line)


@pytest.mark.parametrize("line", ["WASHINGTON 1996-02-30", "ROME 1996-13-01", "Ferencvaros: Ferenc Horvath 1996-08-21"])
def test_own_line_dateline_with_an_impossible_date_or_no_city_is_none(line):
    assert parse_bare_dateline(line) is None
