"""Every credit form media_etl.parse.agencies understands, and the ones it must refuse."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from media_etl.clean.text import fold_key
from media_etl.parse.agencies import (
    agency_for,
    article_agency,
    closing_credit,
    lead_credit,
    reporter_credit,
    signoff_credit,
)
from media_etl.pipeline import article_rows, parse_item
from media_etl.records import SourceItem

BODY = "Second paragraph of the story, which goes on for a while."


@pytest.mark.parametrize(
    ("credit", "agency"),
    [
        ("Reuters", "Reuters"),
        ("REUTERS", "Reuters"),
        ("(Reuters)", "Reuters"),
        ("AP", "Associated Press"),
        ("The Associated Press", "Associated Press"),
        ("Associated Press", "Associated Press"),
        ("AFP", "Agence France-Presse"),
        ("Agence France-Presse", "Agence France-Presse"),
        ("/TASS/", "TASS"),
        ("ТАСС", "TASS"),
        ("Интерфакс", "Interfax"),
        ("Xinhua", "Xinhua"),
        ("dpa", "dpa"),
        ("AA", "Anadolu Agency"),
        ("Anadolu Ajansı", "Anadolu Agency"),
        ("Trend", "Trend"),
        ("AZERTAG", "AZERTAC"),
        ("КАЗИНФОРМ", "Kazinform"),
        ("UzA", "UzA"),
        # bylines and authors
        ("Ap Auto Writer", "Associated Press"),
        ("AP National Political Writer", "Associated Press"),
        ("Tom Krisher; Ap Auto Writer", "Associated Press"),
        ("By Tom Krisher | AP", "Associated Press"),
        ("ERIC TUCKER Associated Press", "Associated Press"),
        ("Reuters in New York", "Reuters"),
        ("Associated Press in Palm Beach, Florida", "Associated Press"),
        ("Reuters Staff", "Reuters"),
        ("AA muhabiri", "Anadolu Agency"),
        ("AA'nın muhabiri", "Anadolu Agency"),
        ("корреспонденту ТАСС", "TASS"),
        ("Интерфакса", "Interfax"),
        # several names, dates, lead-in words
        ("dpa/gem", "dpa"),
        ("KNA/iz", "KNA"),
        ("KNA 19.11.21", "KNA"),
        ("ats/nxp", "Keystone-SDA"),
        ("aja/PAP", "PAP"),
        ("Con información de AFP, EFE y Reuters", "Agence France-Presse"),
        ("Source: AZERTAC", "AZERTAC"),
        ("Kaynak: AA", "Anadolu Agency"),
    ],
)
def test_credit_forms_name_the_agency(registry, credit, agency):
    assert agency_for(credit, registry) == agency


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "Jane Doe",
        "Staff and agencies",
        "News agencies",
        "According to Reuters",
        "Russland",
        "CDC, Chicago Department of Public Health",
        "Reporting by Amanda Becker in Washington; Editing by Eric Beech",
        "AP Photo/Evan Vucci",
        "FABRICE COFFRINI/AFP/Getty Images",
        "Bloomberg",
        "Sputnik International",
        "Anadolu Isuzu",
        "x" * 200,
    ],
)
def test_text_that_credits_no_wire(registry, text):
    assert agency_for(text, registry) is None


def test_default_registry_is_the_checkouts():
    assert agency_for("(AP)") == "Associated Press"


@pytest.mark.parametrize(
    ("paragraph", "agency"),
    [
        ("(Reuters) — The attorney general is investigating the company.", "Reuters"),
        ("HAYWARD, Calif. (AP) — The Latest on a stabbing on a commuter train.", "Associated Press"),
        ("ST. JOSEPH, Mich. (AP) — Health authorities report a sixth fatality.", "Associated Press"),
        ("Dec 29 (Reuters) - The candidate said on Tuesday that the violence is genocide.", "Reuters"),
        ("Quito, 24 Set 2018 (AFP) - O fundador do WikiLeaks chegou a renunciar.", "Agence France-Presse"),
        ("Nova York, 24 set (EFE).- O índice fechou em baixa.", "EFE"),
        ("Wiesbaden (KNA/iz). Der Bundespräsident sieht eine Radikalisierung.", "KNA"),
        ("Frankfurt/Main (dpa) - Frank Witzel hat den Buchpreis erhalten.", "dpa"),
        ("MOSCOW, March 5. /TASS/. The Kremlin said on Tuesday.", "TASS"),
        ("АСТАНА. 12 марта. КАЗИНФОРМ - Состоялась встреча.", "Kazinform"),
        ("These are the leading stories in the Beirut press. Reuters has not verified these stories.", "Reuters"),
    ],
)
def test_opening_credits(registry, paragraph, agency):
    assert lead_credit(paragraph, registry) == agency


@pytest.mark.parametrize(
    "paragraph",
    [
        "According to Reuters, the questions include self-dealing.",
        "The company (Amazon) — which declined to comment — said nothing.",
        "Anadolu Ajansının (AA) Global İletişim Ortağı olduğu festival yarın başlayacak.",
        "WASHINGTON — The Senate voted on Tuesday.",
    ],
)
def test_no_opening_credit(registry, paragraph):
    assert lead_credit(paragraph, registry) is None


@pytest.mark.parametrize(
    ("paragraphs", "agency"),
    [
        ([BODY, "Scholz hat sich dazu bisher skeptisch geäußert. (dpa)"], "dpa"),
        ([BODY, "Später kündigte der Manager sein Erscheinen an. (dpa/gem)", "Lesen Sie auch:"], "dpa"),
        ([BODY, "Les pesticides sont très toxiques pour les insectes. (ats/nxp)", "Créé: 12.12.2019"], "Keystone-SDA"),
        ([BODY, "- Reuters."], "Reuters"),
        ([BODY, "The mayor said the town would rebuild. — AP"], "Associated Press"),
        (
            [BODY, "Nearly 150 were deported for entering the country illegally. PTI", "Comments"],
            "Press Trust of India",
        ),
        ([BODY, "aja/PAP", "Publikacja dostępna na stronie: https://example.org/a"], "PAP"),
        ([BODY, "(Con información de AFP, EFE y Reuters)", "Seguir leyendo:"], "Agence France-Presse"),
        ([BODY, "Associated Press"], "Associated Press"),
    ],
)
def test_closing_credits(registry, paragraphs, agency):
    assert closing_credit(paragraphs, registry) == agency


@pytest.mark.parametrize(
    "paragraphs",
    [
        [BODY, "(Reporting by David Bailey; Editing by Cynthia Osterman.)"],
        [BODY, "Associated Press writers Alan Fram and Zeke Miller contributed to this report."],
        [BODY, "Carlos Barria / Reuters.", BODY],
        ["ASSOCIATED PRESS.", BODY + " " + BODY + " " + BODY, BODY + " " + BODY + " " + BODY],
        [BODY, "Storify — Flipboard — Reuters — Bloomberg."],
        [BODY, "The senator shook hands with voters. (AP Photo/Evan Vucci)"],
        [BODY, "He told the Associated Press (AP)."],
    ],
)
def test_no_closing_credit(registry, paragraphs):
    assert closing_credit(paragraphs, registry) is None


@pytest.mark.parametrize(
    ("paragraph", "agency"),
    [
        ("AA muhabirinin derlediği verilere göre endeks yükseldi.", "Anadolu Agency"),
        ("Sektör temsilcileri, AA muhabirine yaptığı açıklamada satışları değerlendirdi.", "Anadolu Agency"),
        ("ŞARTLAR NELER OLACAK?AA muhabirinin edindiği bilgiye göre düzenleme hazır.", "Anadolu Agency"),
        ("Anadolu Ajansı (AA) muhabirine konuşan yetkili açıkladı.", "Anadolu Agency"),
        ("Об этом сообщил корреспонденту ТАСС представитель министерства.", "TASS"),
    ],
)
def test_the_agencys_own_reporter(registry, paragraph, agency):
    assert reporter_credit([BODY, paragraph], registry) == agency


@pytest.mark.parametrize(
    "paragraph",
    ["Davaya iki Türk muhabiri katıldı.", "Official told Reuters on Monday that talks continue.", "Bakan açıkladı."],
)
def test_no_reporter_credit(registry, paragraph):
    assert reporter_credit([paragraph], registry) is None


def test_signoff_counts_only_when_the_copy_names_reuters(registry):
    signoff = "(Reporting by Amanda Becker in Washington; Editing by Eric Beech.)"
    assert signoff_credit([BODY, signoff], registry) is None
    assert signoff_credit(["Sources told Reuters the deal was close.", BODY, signoff], registry) == "Reuters"


def test_precedence_credit_then_opening_then_byline_then_closing_then_outlet(registry):
    opening = "WASHINGTON (AP) — The story starts here."
    closing = "The story ends here. (dpa)"
    agency = article_agency(credits=["Reuters"], bylines=["AFP"], paragraphs=[opening, closing], registry=registry)
    assert agency == "Reuters"
    assert article_agency(credits=["Russland"], bylines=["AFP"], paragraphs=[opening], registry=registry) == (
        "Associated Press"
    )
    assert article_agency(bylines=["Jane Doe", "AFP"], paragraphs=[BODY, closing], registry=registry) == (
        "Agence France-Presse"
    )
    assert article_agency(bylines=["Jane Doe"], paragraphs=[BODY, closing], registry=registry) == "dpa"
    trend = registry.by_credit("Trend")
    assert article_agency(paragraphs=[BODY], outlet=trend, registry=registry) == "Trend"
    # a page's standfirst may come before the copy's opening credit; the third paragraph is too late
    assert article_agency(paragraphs=[BODY, opening], registry=registry) == "Associated Press"
    assert article_agency(paragraphs=[BODY, BODY, opening], registry=registry) is None
    assert article_agency(paragraphs=[BODY], registry=registry) is None


def test_every_agency_has_one_spelling_and_no_alias_is_shared(registry):
    agencies = [outlet for outlet in registry.outlets if outlet.is_agency]
    assert {agency_for(outlet.name, registry) for outlet in agencies} == {outlet.name for outlet in agencies}
    aliases = Counter(
        key for outlet in registry.outlets for key in {fold_key(alias) for alias in (outlet.name, *outlet.credits)}
    )
    assert [alias for alias, count in aliases.items() if count > 1] == []


def _row(registry, item):
    parsed = parse_item(item, registry)
    row, _ = article_rows(item, parsed, registry, run_id="t", loaded_at=datetime(2026, 1, 1, tzinfo=UTC))
    return row


def _item(kind, text, **fields):
    return SourceItem("x", "", kind, "0" * 64, "utf-8", text, **fields)


def test_pipeline_fills_agency_from_an_opening_credit_the_dateline_parser_leaves(registry):
    text = f"Cat found far from home\n\nSANTA FE, N.M. (AP) — A cat missing for five years was found.\n\n{BODY}"
    row = _row(registry, _item("text", text))
    assert (row["agency"], row["is_wire"]) == ("Associated Press", True)


def test_pipeline_fills_agency_from_page_authors(registry):
    item = _item(
        "html", f"New cars lead the show.\n\n{BODY}", headline="Show opens", authors=("Tom Krisher", "Ap Auto Writer")
    )
    row = _row(registry, item)
    # the wire's staff credit names the agency, not a reporter: it leaves the byline
    assert (row["agency"], row["byline"]) == ("Associated Press", "Tom Krisher")


def test_pipeline_fills_agency_from_feed_author(registry):
    item = _item("feed", f"The Pentagon said so.\n\n{BODY}", headline="Bases at risk", authors=("Reuters in New York",))
    assert _row(registry, item)["agency"] == "Reuters"


def test_pipeline_names_the_agency_outlet_when_nothing_else_credits(registry):
    item = _item("html", f"Forum opens.\n\n{BODY}", headline="Forum", url="https://en.trend.az/news/1")
    assert _row(registry, item)["agency"] == "Trend"


def test_pipeline_leaves_unknown_credits_out(registry):
    text = f"Mass burials\n\nImages emerged of coffins. Source: News agencies\n\n{BODY}\n\nSource: News agencies"
    row = _row(registry, _item("text", text))
    assert row["agency"] is None and row["is_wire"] is False


def test_byline_affiliation_is_a_credit(registry):
    text = f"Show opens\n\nBy Tom Krisher, AP Auto Writer\n\nNew cars lead the show.\n\n{BODY}"
    row = _row(registry, _item("text", text))
    assert (row["byline"], row["agency"]) == ("Tom Krisher", "Associated Press")
