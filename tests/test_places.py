import pytest

from media_etl.normalise.places import (
    Region,
    country_code,
    find_city,
    find_regions,
    locate_place,
    loose_key,
    region_timezone,
    title_case,
)


@pytest.mark.parametrize(
    ("name", "city", "country"),
    [
        # An alternate name (an old name of Chattogram, Sahiwal; an alias of Delhi) loses to the place of that name.
        ("ISLAMABAD", "Islamabad", "PK"),
        ("MONTGOMERY", "Montgomery", "US"),
        ("NEW DELHI", "New Delhi", "IN"),
        # ... but a small town of that name does not beat the big city known by it.
        ("CALCUTTA", "Kolkata", "IN"),
        ("BOMBAY", "Mumbai", "IN"),
        ("HANOVER", "Hannover", "DE"),
        # A capital beats a bigger namesake only when not far smaller: Washington, D.C., not Washington, England.
        ("WASHINGTON", "Washington", "US"),
        ("HAMILTON", "Hamilton", "CA"),
        ("NEW YORK", "New York City", "US"),
        ("Bakı", "Baku", "AZ"),
        ("Баку", "Baku", "AZ"),
        ("Toshkent", "Tashkent", "UZ"),
    ],
)
def test_find_city_prefers_the_place_of_that_name_then_capitals_then_population(name, city, country):
    found = find_city(name)
    assert (found.name, found.country) == (city, country)


def test_find_city_ignores_diacritics_only_when_no_spelling_matches_exactly():
    assert find_city("JYVASKYLA").name == "Jyväskylä"
    assert find_city("Muş").name == find_city("MUS").name == "Muş"
    assert find_city("Nur Sultan").name == "Astana"


def test_find_city_narrows_to_a_country_and_a_state():
    assert find_city("SAN JOSE", "US").country == "US"
    assert find_city("SAN JOSE", "CR").name == "San José"
    assert find_city("MONTGOMERY", "US", "AL").admin1 == "AL"
    assert find_city("MONTGOMERY", "PK").name == "Sahiwal"  # in Pakistan the old name still finds it


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Russia", Region("RU")),
        ("United Arab Emirates", Region("AE")),
        ("West Bank", Region("PS")),
        ("Bosnia", Region("BA")),
        ("Mich.", Region("US", "MI", whole_country=False)),
        ("Calif.", Region("US", "CA", whole_country=False)),
        ("N.J.", Region("US", "NJ", whole_country=False)),
        ("NJ.", Region("US", "NJ", whole_country=False)),
        ("Vt.", Region("US", "VT", whole_country=False)),
        ("Texas", Region("US", "TX", whole_country=False)),
        ("British Columbia", Region("CA", "02", whole_country=False)),
        ("B.C.", Region("CA", "02", whole_country=False)),
        ("England", Region("GB", "ENG", whole_country=False)),
        ("Scotland", Region("GB", "SCT", whole_country=False)),
        ("Bali", Region("ID", None, whole_country=False)),
    ],
)
def test_find_regions_reads_countries_states_and_abbreviations(text, first):
    assert find_regions(text)[0] == first


def test_a_region_with_two_meanings_lists_the_country_first():
    assert find_regions("Georgia")[:2] == (Region("GE"), Region("US", "GA", whole_country=False))
    assert find_regions("Atlantis") == ()


def test_country_code_knows_short_and_older_names():
    assert [country_code(n) for n in ("Surinam", "Zaire", "Burma", "U.S.", "Britain")] == ["SR", "CD", "MM", "US", "GB"]


@pytest.mark.parametrize(
    ("region", "zone"),
    [
        (Region("US", "VT"), "America/New_York"),
        (Region("US", "CA"), "America/Los_Angeles"),
        (Region("CA", "02"), "America/Vancouver"),
        (Region("RU"), "Europe/Moscow"),
        (Region("US"), "America/New_York"),
        (Region("PS"), "Asia/Hebron"),
    ],
)
def test_region_timezone_is_the_largest_city_of_the_region_or_the_capital(region, zone):
    assert region_timezone(region) == zone


def test_locate_place_in_a_region():
    atlanta = locate_place("ATLANTA", "Georgia")  # not in the country Georgia: the US state
    assert (atlanta.city.name, atlanta.country) == ("Atlanta", "US")
    hasselt = locate_place("HASSELT", "Limburg")  # the best place across both Limburgs
    assert (hasselt.city.name, hasselt.country) == ("Hasselt", "BE")
    montpelier = locate_place("MONTPELIER", "Vt.")  # a smaller place, in the state named
    assert (montpelier.city.name, montpelier.city.admin1, montpelier.timezone) == (
        "Montpelier",
        "VT",
        "America/New_York",
    )


def test_locate_place_of_an_unlisted_place_takes_the_region():
    assert locate_place("NOVYE ATAGI", "Russia") is None
    village = locate_place("NOVYE ATAGI", "Russia", unlisted=True)
    assert (village.city, village.country, village.timezone) == (None, "RU", "Europe/Moscow")
    assert locate_place("SOMEWHERE", "Limburg", unlisted=True) is None  # Dutch or Belgian: no country to give
    assert locate_place("SOMEWHERE", "Atlantis", unlisted=True) is None


def test_locate_place_knows_datelines_that_are_no_city():
    for name in ("UNITED NATIONS", "ООН"):
        place = locate_place(name)
        assert (place.city.name, place.country, place.timezone) == ("United Nations", "US", "America/New_York")


def test_locate_place_gives_the_gazetteer_spelling_of_the_written_letters():
    assert locate_place("NEW YORK").spelling == "New York"
    assert locate_place("RIO DE JANEIRO").spelling == "Rio de Janeiro"
    # Letter for letter: the ASCII alternate name, not the name with a dotless i (Diyarbakır).
    assert locate_place("DIYARBAKIR").spelling == "Diyarbakir"
    assert locate_place("JYVASKYLA").spelling is None  # no spelling with these letters: title case is used


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("NEW YORK", "New York"),
        ("AL-AIN", "Al-Ain"),
        ("O'HARE", "O'Hare"),
        ("ST. JOHN'S", "St. John's"),
        ("NOVYE ATAGI", "Novye Atagi"),
        ("АЛХАН-ЮРТ", "Алхан-Юрт"),
    ],
)
def test_title_case(name, title):
    assert title_case(name) == title


def test_loose_key_folds_marks_hyphens_apostrophes_and_periods():
    assert loose_key("Jyväskylä") == loose_key("JYVASKYLA") == "jyvaskyla"
    assert loose_key("Nur-Sultan") == loose_key("nur sultan")
    assert loose_key("St. Louis") == loose_key("ST LOUIS")
    assert loose_key("Oʻzbekiston") == loose_key("O'zbekiston")
    assert loose_key("Łódź") == "lodz"
