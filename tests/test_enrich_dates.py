"""Dates mentioned: absolute and relative forms in every language, the seeds, validation, offsets."""

from __future__ import annotations

from datetime import date

import pytest

from media_etl.clean.text import clean_text
from media_etl.enrich.dates import find_dates
from media_etl.enrich.records import ArticleText, MentionedDate
from media_etl.ingest.router import read_path
from media_etl.parse.wire import parse_wire_text
from media_etl.sources import load_registry
from tests.conftest import REPO_ROOT, SEEDS

# A Saturday.
PUBLISHED = date(2021, 11, 20)


def article(body: str, published: date | None = PUBLISHED, language: str | None = None) -> ArticleText:
    return ArticleText("0123456789abcdef", "Headline", body, published, language)


def seed(name: str, published: date | None = None, language: str | None = None) -> ArticleText:
    """A plain-text seed, parsed the way the pipeline parses it."""
    items, _ = read_path(str(SEEDS / name))
    parsed = parse_wire_text(clean_text(items[0].text), load_registry(REPO_ROOT / "sources.yaml"))
    body = "\n\n".join(p.text for p in parsed.paragraphs)
    return ArticleText("0123456789abcdef", parsed.headline, body, published, language)


def found(text: ArticleText) -> list[tuple[str, date, str, bool]]:
    dates = find_dates(text)
    assert_offsets(text, dates)
    return [(d.surface, d.resolved, d.precision, d.relative) for d in dates]


def assert_offsets(text: ArticleText, dates: list[MentionedDate]) -> None:
    ends = -1
    for d in dates:
        assert text.body[d.char_start : d.char_end] == d.surface
        assert d.char_start >= ends, "dates overlap or are out of order"
        ends = d.char_end
        assert 1900 <= d.resolved.year <= 2100
        assert d.precision in {"day", "month", "year"}


# --- the seeds ------------------------------------------------------------------------------


def test_seed_002_without_a_published_date_gives_exactly_the_two_absolute_dates():
    text = seed("002_3a0b39f4f30f4f20.txt")
    dates = find_dates(text)
    assert [(d.surface, d.resolved, d.precision, d.relative) for d in dates] == [
        ("Sept. 27, 2020", date(2020, 9, 27), "day", False),
        ("Nov. 10, 2020", date(2020, 11, 10), "day", False),
    ]
    for d in dates:
        assert text.body[d.char_start : d.char_end] == d.surface
        assert text.body[d.char_start - 3 : d.char_start].lower() == "on "


def test_seed_002_with_a_published_date_resolves_its_relative_dates():
    dates = found(seed("002_3a0b39f4f30f4f20.txt", published=PUBLISHED, language="en"))
    assert ("last December", date(2020, 12, 1), "month", True) in dates
    assert ("this weekend", PUBLISHED, "day", True) in dates
    assert ("Saturday", PUBLISHED, "day", True) in dates  # "said in a statement Saturday"
    assert [d for d in dates if not d[3]] == [
        ("Sept. 27, 2020", date(2020, 9, 27), "day", False),
        ("Nov. 10, 2020", date(2020, 11, 10), "day", False),
    ]
    # "since 1991" bounds a period; it does not place an event in 1991.
    assert not any("1991" in d[0] for d in dates)


def test_seed_000_mentions_the_forum_year():
    assert found(seed("000_a24507a823bb7c72.txt", published=date(2025, 11, 27), language="en")) == [
        ("2026", date(2026, 1, 1), "year", False)
    ]


def test_every_seed_keeps_the_offset_invariant():
    for path in sorted(SEEDS.glob("*.txt")):
        for published in (None, date(2024, 3, 12)):
            text = seed(path.name, published=published)
            assert_offsets(text, find_dates(text))


# --- absolute dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "surface", "resolved", "precision"),
    [
        ("Clashes erupted on Sept. 27, 2020, officials said.", "Sept. 27, 2020", date(2020, 9, 27), "day"),
        ("It was signed on November 10, 2020 in Moscow.", "November 10, 2020", date(2020, 11, 10), "day"),
        ("The forum opened on 12 March 2024 in Istanbul.", "12 March 2024", date(2024, 3, 12), "day"),
        ("The forum opened on the 27th of November 2025.", "27th of November 2025", date(2025, 11, 27), "day"),
        ("Forum 27 noyabr 2025-ci il tarixində açılıb.", "27 noyabr 2025-ci il", date(2025, 11, 27), "day"),
        ("Forum 27 noyabr 2025 tarixində açılıb.", "27 noyabr 2025", date(2025, 11, 27), "day"),
        ("Встреча прошла 12 марта 2024 года в Астане.", "12 марта 2024 года", date(2024, 3, 12), "day"),
        ("Встреча прошла 12-го марта 2024 г. в Астане.", "12-го марта 2024 г.", date(2024, 3, 12), "day"),
        ("Toplantı 27 Kasım 2025 tarihinde yapıldı.", "27 Kasım 2025", date(2025, 11, 27), "day"),
        ("Seminar 2025-yil 5-mart kuni boʻlib oʻtdi.", "2025-yil 5-mart", date(2025, 3, 5), "day"),
        ("Кездесу 2024 жылғы 12 наурыз күні өтті.", "2024 жылғы 12 наурыз", date(2024, 3, 12), "day"),
        ("The report is dated 2024-03-12.", "2024-03-12", date(2024, 3, 12), "day"),
        ("Указ подписан 12.03.2024.", "12.03.2024", date(2024, 3, 12), "day"),
        ("The platform launched in March 2024.", "March 2024", date(2024, 3, 1), "month"),
        ("Launched in Dec. 2019 and closed later.", "Dec. 2019", date(2019, 12, 1), "month"),
        ("Платформа заработала в марте 2024 года.", "марте 2024 года", date(2024, 3, 1), "month"),
        ("Форум пройдет в мае 2026 года.", "мае 2026 года", date(2026, 5, 1), "month"),
        ("Platforma Kasım 2025'te açıldı.", "Kasım 2025", date(2025, 11, 1), "month"),
        ("Loyiha 2024-yil mart oyida boshlandi.", "2024-yil mart oyida", date(2024, 3, 1), "month"),
        ("Layihə 2024-cü ilin mart ayında başlayıb.", "2024-cü ilin mart ayında", date(2024, 3, 1), "month"),
        ("The law was passed in 2019 by parliament.", "2019", date(2019, 1, 1), "year"),
        ("Закон принят в 2019 году.", "2019 году", date(2019, 1, 1), "year"),
        ("Yasa 2019 yılında kabul edildi.", "2019 yılında", date(2019, 1, 1), "year"),
        ("Yasa 2019'da kabul edildi.", "2019'da", date(2019, 1, 1), "year"),
        ("Qanun 2019-cu ildə qəbul edilib.", "2019-cu ildə", date(2019, 1, 1), "year"),
        ("Qonun 2019-yilda qabul qilingan.", "2019-yilda", date(2019, 1, 1), "year"),
        ("Заң 2019 жылы қабылданды.", "2019 жылы", date(2019, 1, 1), "year"),
    ],
)
def test_absolute_forms(body, surface, resolved, precision):
    for published in (None, PUBLISHED):
        assert found(article(body, published)) == [(surface, resolved, precision, False)]


@pytest.mark.parametrize(
    "body",
    [
        "It happened on 30 February 2024, the statement claimed.",
        "It happened on February 30, 2024.",
        "It happened on 2024-02-30.",
        "The file 12.13.2024 was corrupt.",
        "Founded in 1750 and in 2150.",
        "Built on 5 March 1850.",
        "The range 2019-2020 and in 2019-2020 are periods.",
        "Relations have been tense since 1991.",
        "Six committees, 44-day conflict, 300 settlements and 1st joint meeting.",
        "The forum is in Dünya Şehir Forumu hall.",
        "Officials may 5 times revise it; troops march 20 km.",
    ],
)
def test_impossible_or_non_dates_give_nothing(body):
    assert found(article(body, None)) == []


def test_an_impossible_date_is_not_reread_as_its_month():
    assert found(article("It happened on 30 February 2024.", PUBLISHED)) == []


# --- relative dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "surface", "resolved", "precision"),
    [
        ("The memorandum was signed last December.", "last December", date(2020, 12, 1), "month"),
        ("The memorandum was signed last November.", "last November", date(2020, 11, 1), "month"),
        ("The memorandum was signed last October.", "last October", date(2021, 10, 1), "month"),
        ("The forum will meet next March.", "next March", date(2022, 3, 1), "month"),
        ("Anlaşma geçen Aralık'ta imzalandı.", "geçen Aralık", date(2020, 12, 1), "month"),
        ("Anlaşma geçen yılın Aralık ayında imzalandı.", "geçen yılın Aralık ayında", date(2020, 12, 1), "month"),
        ("Memorandum в декабре прошлого года подписан.", "декабре прошлого года", date(2020, 12, 1), "month"),
        ("Saziş ötən ilin dekabr ayında imzalanıb.", "ötən ilin dekabr ayında", date(2020, 12, 1), "month"),
        (
            "Shartnoma oʻtgan yilning dekabr oyida imzolangan.",
            "oʻtgan yilning dekabr oyida",
            date(2020, 12, 1),
            "month",
        ),
        ("The meeting was held this weekend.", "this weekend", PUBLISHED, "day"),
        ("The parties met on Saturday.", "Saturday", PUBLISHED, "day"),
        ("The parties met on Friday.", "Friday", date(2021, 11, 19), "day"),
        ("The parties met last Saturday.", "last Saturday", date(2021, 11, 13), "day"),
        ("The parties meet next Monday.", "next Monday", date(2021, 11, 22), "day"),
        ("The minister spoke yesterday.", "yesterday", date(2021, 11, 19), "day"),
        ("The minister speaks tomorrow.", "tomorrow", date(2021, 11, 21), "day"),
        ("Prices rose last month.", "last month", date(2021, 10, 1), "month"),
        ("Prices rose last year.", "last year", date(2020, 1, 1), "year"),
        ("Prices will rise next year.", "next year", date(2022, 1, 1), "year"),
        ("Fiyatlar geçen yıl arttı.", "geçen yıl", date(2020, 1, 1), "year"),
        ("Fiyatlar bu yıl arttı.", "bu yıl", date(2021, 1, 1), "year"),
        ("Toplantı dün yapıldı.", "dün", date(2021, 11, 19), "day"),
        ("Toplantı Cumartesi günü yapıldı.", "Cumartesi", PUBLISHED, "day"),
        ("Toplantı bu hafta sonu yapıldı.", "bu hafta sonu", PUBLISHED, "day"),
        ("Цены выросли в прошлом году.", "прошлом году", date(2020, 1, 1), "year"),
        ("Встреча прошла вчера.", "вчера", date(2021, 11, 19), "day"),
        ("Встреча прошла в пятницу.", "пятницу", date(2021, 11, 19), "day"),
        ("Встреча прошла в субботу.", "субботу", PUBLISHED, "day"),
        ("Встреча прошла на выходных.", "выходных", PUBLISHED, "day"),
        ("Qiymətlər ötən il artıb.", "ötən il", date(2020, 1, 1), "year"),
        ("Görüş dünən keçirilib.", "dünən", date(2021, 11, 19), "day"),
        ("Görüş şənbə günü keçirilib.", "şənbə", PUBLISHED, "day"),
        ("Görüş bazar ertəsi günü keçiriləcək.", "bazar ertəsi", date(2021, 11, 15), "day"),
        ("Narxlar oʻtgan yili oshdi.", "oʻtgan yili", date(2020, 1, 1), "year"),
        ("Uchrashuv juma kuni boʻlib oʻtdi.", "juma", date(2021, 11, 19), "day"),
        ("Бағалар былтыр өсті.", "былтыр", date(2020, 1, 1), "year"),
        ("Кездесу сенбі күні өтті.", "сенбі", PUBLISHED, "day"),
        ("The forum opened on 27 November.", "27 November", date(2021, 11, 27), "day"),
        ("Форум открылся 12 марта.", "12 марта", date(2022, 3, 12), "day"),
        ("Seminar 5-mart kuni boʻlib oʻtdi.", "5-mart", date(2022, 3, 5), "day"),
        ("The talks began on Nov. 2 and ended later.", "Nov. 2", date(2021, 11, 2), "day"),
        ("The talks end on Dec. 28.", "Dec. 28", date(2021, 12, 28), "day"),
    ],
)
def test_relative_forms(body, surface, resolved, precision):
    assert found(article(body)) == [(surface, resolved, precision, True)]
    # Without the article's date nothing is guessed.
    assert found(article(body, None)) == []


def test_day_and_month_without_year_take_the_nearest_year():
    assert found(article("It ends on 28 December.", date(2025, 1, 3))) == [
        ("28 December", date(2024, 12, 28), "day", True)
    ]
    assert found(article("It starts on 3 January.", date(2024, 12, 28))) == [
        ("3 January", date(2025, 1, 3), "day", True)
    ]
    assert found(article("It happened on 29 February.", date(2023, 6, 1))) == [
        ("29 February", date(2024, 2, 29), "day", True)
    ]
    assert found(article("It happened on 31 June.", PUBLISHED)) == []


@pytest.mark.parametrize(
    ("published", "resolved"),
    [
        (date(2021, 11, 20), date(2021, 11, 20)),  # Saturday: that day
        (date(2021, 11, 21), date(2021, 11, 20)),  # Sunday: the day before
        (date(2021, 11, 22), date(2021, 11, 20)),  # Monday: the weekend just passed
        (date(2021, 11, 24), date(2021, 11, 27)),  # Wednesday: the coming weekend
    ],
)
def test_this_weekend_is_its_saturday(published, resolved):
    assert found(article("The meeting was held this weekend.", published)) == [("this weekend", resolved, "day", True)]


def test_weekday_on_the_article_day_is_that_day():
    # 2024-03-12 was a Tuesday: "on Tuesday" in a Tuesday article is the same day.
    assert found(article("The department on Tuesday announced a fund.", date(2024, 3, 12))) == [
        ("Tuesday", date(2024, 3, 12), "day", True)
    ]


# --- languages, case and overlaps -----------------------------------------------------------


def test_language_specific_expressions_follow_the_article_language():
    turkish = "Bu il toplantısı geçen yıl yapıldı."  # Turkish "il" is a province
    assert found(article(turkish, language="tr")) == [("geçen yıl", date(2020, 1, 1), "year", True)]
    assert ("Bu il", date(2021, 1, 1), "year", True) in found(article(turkish, language=None))
    # Month names and numeric dates work whatever the language.
    assert found(article("Toplantı 12 марта 2024 года.", language="tr"))[0][0] == "12 марта 2024 года"


def test_case_insensitive_and_turkish_i():
    assert found(article("TOPLANTI 27 KASIM 2025 TARİHİNDE YAPILDI.", None)) == [
        ("27 KASIM 2025", date(2025, 11, 27), "day", False)
    ]
    assert found(article("GEÇEN YIL FİYATLAR ARTTI.")) == [("GEÇEN YIL", date(2020, 1, 1), "year", True)]


def test_longest_expression_wins_and_nothing_overlaps():
    body = "On 12 March 2024, in March 2024 and in 2024, and on 2024-03-12; also 12 марта 2024 года."
    assert found(article(body, None)) == [
        ("12 March 2024", date(2024, 3, 12), "day", False),
        ("March 2024", date(2024, 3, 1), "month", False),
        ("2024", date(2024, 1, 1), "year", False),
        ("2024-03-12", date(2024, 3, 12), "day", False),
        ("12 марта 2024 года", date(2024, 3, 12), "day", False),
    ]


def test_lowercase_may_is_a_month_only_where_it_is_written_so():
    assert found(article("Under the treaty, Article 5 may apply.", language="en")) == []
    assert found(article("Under the treaty, Article 5 may apply.", language=None)) == []
    assert found(article("Forum 27 may tarixində açılacaq.", language="az")) == [
        ("27 may", date(2021, 5, 27), "day", True)
    ]
    assert found(article("The forum opens on 27 May.", language="en")) == [("27 May", date(2021, 5, 27), "day", True)]


def test_a_sentence_full_stop_is_not_part_of_a_month():
    assert found(article("The memorandum was signed last December.")) == [
        ("last December", date(2020, 12, 1), "month", True)
    ]


def test_headline_is_not_searched():
    text = ArticleText("0123456789abcdef", "Forum on 12 March 2024", "No dates here.", PUBLISHED, "en")
    assert find_dates(text) == []


def test_empty_body():
    assert find_dates(article("")) == []


def test_speed_sanity_many_articles():
    text = seed("002_3a0b39f4f30f4f20.txt", published=PUBLISHED, language="en")
    results = [find_dates(text) for _ in range(100)]
    assert all(len(r) == len(results[0]) == 5 for r in results)
