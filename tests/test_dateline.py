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
        ("AL-AIN, United Arab Emirates 1996-12-06", "Al-Ain", "AE", date(1996, 12, 6)),
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


def test_own_line_dateline_keeps_the_gazetteer_name_apart():
    found = parse_bare_dateline("AL-AIN, United Arab Emirates 1996-12-06")
    assert (found.city, found.canonical_city, found.region) == ("Al-Ain", "Al Ain City", "United Arab Emirates")


# Each agency's inline form: (paragraph, raw, city, country, credit, (year, month, day), rest).
@pytest.mark.parametrize(
    ("paragraph", "raw", "city", "country", "credit", "date_parts", "rest"),
    [
        ("LONDON, Dec 6 (Reuters) - Shares fell.", "LONDON, Dec 6 (Reuters) -", "London", "GB", "Reuters", (None, 12, 6), "Shares fell."),
        ("DETROIT, Mich., Dec 6 (Reuters) - Ford said.", "DETROIT, Mich., Dec 6 (Reuters) -", "Detroit", "US", "Reuters", (None, 12, 6), "Ford said."),
        ("WASHINGTON (AP) — Officials said.", "WASHINGTON (AP) —", "Washington", "US", "AP", (None, None, None), "Officials said."),
        ("WASHINGTON (AP) _ Officials said.", "WASHINGTON (AP) _", "Washington", "US", "AP", (None, None, None), "Officials said."),
        ("MONTPELIER, Vt. (AP) — A train derailed.", "MONTPELIER, Vt. (AP) —", "Montpelier", "US", "AP", (None, None, None), "A train derailed."),
        ("ST. LOUIS (AP) — Rain fell.", "ST. LOUIS (AP) —", "St. Louis", "US", "AP", (None, None, None), "Rain fell."),
        ("PARIS (AFP) - Ministers met.", "PARIS (AFP) -", "Paris", "FR", "AFP", (None, None, None), "Ministers met."),
        ("MOSCOW, December 6. /TASS/. Russia said.", "MOSCOW, December 6. /TASS/.", "Moscow", "RU", "TASS", (None, 12, 6), "Russia said."),
        ("МОСКВА, 6 декабря. /ТАСС/. Россия заявила.", "МОСКВА, 6 декабря. /ТАСС/.", "Moscow", "RU", "ТАСС", (None, 12, 6), "Россия заявила."),
        ("МОСКВА. 6 декабря. INTERFAX.RU - Россия заявила.", "МОСКВА. 6 декабря. INTERFAX.RU -", "Moscow", "RU", "INTERFAX.RU", (None, 12, 6), "Россия заявила."),
        ("Москва. 15 ноября. INTERFAX.RU - Жители уехали.", "Москва. 15 ноября. INTERFAX.RU -", "Moscow", "RU", "INTERFAX.RU", (None, 11, 15), "Жители уехали."),
        ("BEIJING, Dec. 6 (Xinhua) -- China will expand trade.", "BEIJING, Dec. 6 (Xinhua) --", "Beijing", "CN", "Xinhua", (None, 12, 6), "China will expand trade."),
        ("Berlin (dpa) - Die Regierung sagte.", "Berlin (dpa) -", "Berlin", "DE", "dpa", (None, None, None), "Die Regierung sagte."),
        ("ANKARA (AA) - Açıklama yapıldı.", "ANKARA (AA) -", "Ankara", "TR", "AA", (None, None, None), "Açıklama yapıldı."),
        ("BAKU, Azerbaijan, Dec. 6 (Trend) - The talks ended.", "BAKU, Azerbaijan, Dec. 6 (Trend) -", "Baku", "AZ", "Trend", (None, 12, 6), "The talks ended."),
        ("Azerbaijan, Baku, Dec. 6 / Trend / The talks ended.", "Azerbaijan, Baku, Dec. 6 / Trend /", "Baku", "AZ", "Trend", (None, 12, 6), "The talks ended."),
        ("БАКУ /Trend/ - Переговоры завершились.", "БАКУ /Trend/ -", "Baku", "AZ", "Trend", (None, None, None), "Переговоры завершились."),
        ("Baku, December 6, AZERTAC President Ilham Aliyev met.", "Baku, December 6, AZERTAC", "Baku", "AZ", "AZERTAC", (None, 12, 6), "President Ilham Aliyev met."),
        ("Bakı, 6 dekabr, AZƏRTAC Prezident görüşüb.", "Bakı, 6 dekabr, AZƏRTAC", "Baku", "AZ", "AZƏRTAC", (None, 12, 6), "Prezident görüşüb."),
        ("ASTANA. KAZINFORM - The President said.", "ASTANA. KAZINFORM -", "Astana", "KZ", "KAZINFORM", (None, None, None), "The President said."),
        ("ASTANA. December 6. KAZINFORM - The President said.", "ASTANA. December 6. KAZINFORM -", "Astana", "KZ", "KAZINFORM", (None, 12, 6), "The President said."),
        ("Tashkent, December 6 (UzA). The forum opened.", "Tashkent, December 6 (UzA).", "Tashkent", "UZ", "UzA", (None, 12, 6), "The forum opened."),
        ("Ташкент, 6 декабря /УзА/. Форум открылся.", "Ташкент, 6 декабря /УзА/.", "Tashkent", "UZ", "УзА", (None, 12, 6), "Форум открылся."),
        ("UNITED NATIONS (Reuters) - The council met.", "UNITED NATIONS (Reuters) -", "United Nations", "US", "Reuters", (None, None, None), "The council met."),
        ("ООН, 6 декабря. /ТАСС/. Совет собрался.", "ООН, 6 декабря. /ТАСС/.", "United Nations", "US", "ТАСС", (None, 12, 6), "Совет собрался."),
        ("MONTPELIER, Vt. — A train derailed.", "MONTPELIER, Vt. —", "Montpelier", "US", None, (None, None, None), "A train derailed."),
    ],
)  # fmt: skip
def test_parses_each_agencys_inline_dateline(paragraph, raw, city, country, credit, date_parts, rest):
    dateline, remainder = parse_dateline(paragraph)
    assert (dateline.raw, dateline.city, dateline.country, dateline.credit) == (raw, city, country, credit)
    assert (dateline.year, dateline.month, dateline.day) == date_parts
    assert remainder == rest


@pytest.mark.parametrize(
    ("paragraph", "city", "canonical"),
    [
        # English wire copy (capitals, English month): the city as written, readable.
        ("NEW YORK, Dec 6 (Reuters) - Stocks rose.", "New York", "New York City"),
        ("BOMBAY, Dec 6 (Reuters) - Shares fell.", "Bombay", "Mumbai"),
        ("KIEV, Dec 6 (Reuters) - Ukraine said.", "Kiev", "Kyiv"),
        ("BRASILIA, Dec 6 (Reuters) - Brazil said.", "Brasilia", "Brasília"),
        ("SAO PAULO, Dec 6 (Reuters) - Brazil said.", "Sao Paulo", "São Paulo"),
        ("RIO DE JANEIRO, Dec 6 (Reuters) - Brazil said.", "Rio de Janeiro", "Rio de Janeiro"),
        ("DIYARBAKIR, Turkey, Dec 6 (Reuters) - Police said.", "Diyarbakir", "Diyarbakır"),
        # Local-language copy: the gazetteer's name, so the city groups across languages.
        ("Bakı, 27 noyabr. /Trend/ Forum başlayıb.", "Baku", "Baku"),
        ("Toshkent, 5-mart /UzA/ Seminar bo'lib o'tdi.", "Tashkent", "Tashkent"),
        ("TOSHKENT, 5-mart /UzA/ Seminar bo'lib o'tdi.", "Tashkent", "Tashkent"),
        ("Баку, 3 декабря. /Trend/ Текст.", "Baku", "Baku"),
        ("АСТАНА. 12 марта. КАЗИНФОРМ - Текст.", "Astana", "Astana"),
    ],
)
def test_dateline_city_is_the_written_name_in_english_copy_else_the_gazetteers(paragraph, city, canonical):
    dateline, _ = parse_dateline(paragraph)
    assert (dateline.city, dateline.canonical_city) == (city, canonical)


@pytest.mark.parametrize(
    ("line", "city", "country", "timezone"),
    [
        ("NEW YORK 1996-08-22", "New York", "US", "America/New_York"),
        ("BOMBAY 1996-08-22", "Bombay", "IN", "Asia/Kolkata"),
        ("ISLAMABAD 1996-08-24", "Islamabad", "PK", "Asia/Karachi"),
        ("NEW DELHI 1996-08-22", "New Delhi", "IN", "Asia/Kolkata"),
        ("MONTGOMERY, Ala. 1996-08-22", "Montgomery", "US", "America/Chicago"),
        ("JYVASKYLA, Finland 1996-08-24", "Jyvaskyla", "FI", "Europe/Helsinki"),
        ("SAN JOSE, Costa Rica 1996-08-26", "San Jose", "CR", "America/Costa_Rica"),
        ("ATLANTA, Georgia 1996-08-26", "Atlanta", "US", "America/New_York"),
        ("TBILISI, Georgia 1996-08-26", "Tbilisi", "GE", "Asia/Tbilisi"),
        ("PODGORICA, Yugoslavia 1996-08-26", "Podgorica", "ME", "Europe/Podgorica"),
        ("UNITED NATIONS 1996-08-22", "United Nations", "US", "America/New_York"),
        # Places no table lists, in a region that is known: the region's country and zone.
        ("NOVYE ATAGI, Russia 1996-08-22", "Novye Atagi", "RU", "Europe/Moscow"),
        ("BATKIVSHCHYNA COLLECTIVE FARM, Ukraine 1996-08-26", "Batkivshchyna Collective Farm", "UA", "Europe/Kyiv"),
        ("STANSTED, England 1996-08-27", "Stansted", "GB", "Europe/London"),
        ("PEMBERTON, British Columbia 1996-08-24", "Pemberton", "CA", "America/Vancouver"),
        ("AL-MUNTAR, West Bank 1996-08-26", "Al-Muntar", "PS", "Asia/Hebron"),
        ("MATUZICI, Bosnia 1996-08-25", "Matuzici", "BA", "Europe/Sarajevo"),
    ],
)
def test_own_line_dateline_places_and_regions(line, city, country, timezone):
    found = parse_bare_dateline(line)
    assert (found.city, found.country, found.timezone) == (city, country, timezone)


@pytest.mark.parametrize(
    "line",
    [
        "RESULTS, Russia",  # a place no table lists needs a date on a line of its own
        "Novye Atagi, Russia 1996-08-22",  # ... and to be written in capitals
        "TURKEY, Azerbaijan 1996-08-22",  # a country is no city
        "SOMEWHERE, Limburg 1996-08-26",  # a Dutch and a Belgian province: no one country
        "SOMEWHERE 1996-08-26",  # no region to place it in
    ],
)
def test_own_line_dateline_rejects_unlisted_places_without_evidence(line):
    assert parse_bare_dateline(line) is None


def test_unlisted_inline_dateline_in_a_known_region():
    dateline, rest = parse_dateline("NOVYE ATAGI, Russia, Dec 6 (Reuters) - Rebels said.")
    assert (dateline.city, dateline.canonical_city, dateline.country, dateline.region) == (
        "Novye Atagi",
        None,
        "RU",
        "Russia",
    )
    assert rest == "Rebels said."


@pytest.mark.parametrize(
    "paragraph",
    [
        "Baku, December 6, The president said.",  # a credit word outside brackets must be in capitals
        "TURKEY, AZERBAIJAN, Dec 6 (Reuters) - Text.",
        "SOME VILLAGE, Atlantis, Dec 6 (Reuters) - Text.",
        "ELECTION RESULTS, Dec 6 (Reuters) - Text.",  # no region: an unlisted place is not enough
        "BREAKING NEWS — Something happened.",
        "Ankara, Istanbul and Izmir (AA) - Text.",
    ],
)
def test_ignores_lookalikes_of_agency_forms(paragraph):
    assert parse_dateline(paragraph) is None
