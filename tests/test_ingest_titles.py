"""The headline of an HTML page, chosen by agreement between its candidates."""

from __future__ import annotations

from lxml import html

from media_etl.ingest.titles import headline_candidates, page_headline


def headline(page: str) -> str | None:
    return page_headline(headline_candidates(html.fromstring(page)))


def test_an_h1_that_the_metadata_agree_with_wins():
    page = (
        "<html><head><title>Tote Hummeln unter Linden | Naturblog</title>"
        '<meta property="og:title" content="Tote Hummeln unter Linden | Naturblog"></head>'
        "<body><h1>Naturblog</h1><h1>Tote Hummeln unter Linden</h1><p>Text.</p></body></html>"
    )
    assert headline(page) == "Tote Hummeln unter Linden"


def test_the_site_name_is_cut_from_a_metadata_title():
    page = (
        "<html><head><title>Fishing Masters Show in Rostock - BLINKER</title>"
        '<meta property="og:site_name" content="BLINKER"></head><body><p>Text.</p></body></html>'
    )
    assert headline(page) == "Fishing Masters Show in Rostock"


def test_the_site_named_in_its_domain_is_cut():
    page = (
        "<html><head><title>BMAS - Neue Regeln für Nachweise</title>"
        '<meta property="og:site_name" content="www.bmas.de"></head><body><p>Text.</p></body></html>'
    )
    assert headline(page) == "Neue Regeln für Nachweise"


def test_json_ld_headline_comes_before_the_title_tag():
    page = (
        "<html><head><title>Home</title>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rates rise again"}</script>'
        "</head><body><p>Text.</p></body></html>"
    )
    assert headline(page) == "Rates rise again"


def test_a_title_part_no_other_candidate_has_is_cut():
    page = (
        "<html><head><title>Leasing oder Finanzierung | FINANZCHECK.de</title>"
        '<meta name="twitter:title" content="Leasing oder Finanzierung"></head><body><p>x</p></body></html>'
    )
    assert headline(page) == "Leasing oder Finanzierung"


def test_a_page_that_names_no_headline_has_none():
    assert headline("<html><body><p>Only text.</p></body></html>") is None


def test_a_kicker_element_in_the_h1_is_dropped_when_the_metadata_name_the_headline_without_it():
    page = (
        '<html><head><meta property="og:title" content="Olympia in Paris - Getränke per Schiff ins Zentrum">'
        '</head><body><h1><span class="subtitle">Olympia in Paris</span> Getränke per Schiff ins Zentrum</h1>'
        "</body></html>"
    )
    assert headline(page) == "Getränke per Schiff ins Zentrum"


def test_a_lone_h1_loses_a_shorter_kicker_element_but_keeps_bold_words_of_its_sentence():
    kicker = "<html><body><h1><div class='topic'>100. Geburtstag</div> Margot Friedländer wird 100 Jahre</h1>"
    assert headline(kicker) == "Margot Friedländer wird 100 Jahre"
    bold = "<html><body><h1><strong>Merkel</strong> trifft Macron in Paris</h1></body></html>"
    assert headline(bold) == "Merkel trifft Macron in Paris"


def test_a_heading_is_read_without_styles_ruby_readings_hidden_text_soft_hyphens_and_nested_bylines():
    page = (
        "<html><body><h1><style>.x{color:red}</style><span class='sr-only'>Headline:</span>"
        "Mes\u00adsen\u00adger<ruby>子<rt>こ</rt></ruby> sind frei<h4>Veröffentlicht von Anna</h4></h1></body></html>"
    )
    assert headline(page) == "Messenger子 sind frei"


def test_the_line_before_a_br_is_the_headline_when_the_metadata_agree():
    page = (
        "<html><head><title>Zuschauer kehren zurück - HVW</title></head><body>"
        "<h1>Zuschauer kehren zurück<br><small>02.02.2022 • Presse</small></h1></body></html>"
    )
    assert headline(page) == "Zuschauer kehren zurück"


def test_an_h1_agrees_across_dash_and_quote_variants_and_is_kept_as_spelt():
    page = (
        '<html><head><meta property="og:title" content="Ukraine in die EU - Österreich zahlt | Site">'
        "</head><body><h1>Ukraine in die EU – Österreich zahlt</h1><h1>Menü</h1></body></html>"
    )
    assert headline(page) == "Ukraine in die EU – Österreich zahlt"


def test_an_h1_inside_a_longer_metadata_title_wins():
    page = (
        "<html><head><title>Receita de Sequilho com Chocolate | CyberCook</title></head><body>"
        "<h1>Sequilho com Chocolate</h1><h1>Receitas</h1></body></html>"
    )
    assert headline(page) == "Sequilho com Chocolate"


def test_a_lone_h1_wins_over_metadata_that_word_it_otherwise():
    page = (
        "<html><head><title>VW-Chef Diess warnt vor Tesla</title></head><body>"
        "<h1>VW-Chef warnt vor Tesla und China</h1></body></html>"
    )
    assert headline(page) == "VW-Chef warnt vor Tesla und China"


def test_a_short_lone_h1_the_metadata_share_no_word_with_is_furniture():
    page = (
        '<html><head><meta property="og:title" content="Woman attacks inspector"></head>'
        "<body><h1>Log In</h1></body></html>"
    )
    assert headline(page) == "Woman attacks inspector"


def test_an_h1_that_is_the_trailing_site_part_of_the_title_is_cut_from_it():
    page = (
        "<html><head><title>Was ist Virales Marketing? | DimidoBlog</title></head>"
        "<body><h1>DimidoBlog</h1></body></html>"
    )
    assert headline(page) == "Was ist Virales Marketing?"


def test_an_h1_that_opens_with_the_site_name_of_the_title_is_a_logo():
    page = (
        "<html><head><title>Kinder und Arbeit » ProNATs e.V.</title></head>"
        "<body><h1>ProNATs e.V. Verein zur Unterstützung arbeitender Kinder</h1></body></html>"
    )
    assert headline(page) == "Kinder und Arbeit"


def test_an_h1_that_is_a_domain_or_the_canonical_host_names_the_site():
    domain = "<html><head><title>XUM1541: Dateien austauschen</title></head><body><h1>jan-grosser.de</h1>"
    assert headline(domain) == "XUM1541: Dateien austauschen"
    host = (
        '<html><head><link rel="canonical" href="https://www.seelenradio.de/leo/">'
        "<title>Nummer zwei: Leo » Seelenradio</title></head><body><h1>seelenradio</h1></body></html>"
    )
    assert headline(host) == "Nummer zwei: Leo"


def test_words_one_metadata_title_adds_to_another_name_the_site():
    page = (
        "<html><head><title>Pinyin Lyrics: Zhi Neng Xiang Nian Ni</title>"
        '<meta property="og:title" content="Zhi Neng Xiang Nian Ni"></head>'
        "<body><h1>Pinyin Lyrics</h1></body></html>"
    )
    assert headline(page) == "Zhi Neng Xiang Nian Ni"


def test_an_h2_the_metadata_repeat_wins_when_no_h1_does_spelt_as_the_page_spells_it():
    page = (
        "<html><head><title>Vessel Returning to Puerto Rico</title>"
        '<meta property="og:title" content="Vessel Returning To Puerto Rico"></head>'
        "<body><h2>Allgemein</h2><h2>Vessel Returning to Puerto Rico</h2></body></html>"
    )
    assert headline(page) == "Vessel Returning to Puerto Rico"


def test_the_site_name_is_cut_from_the_chosen_h1():
    page = (
        '<html><head><meta property="og:site_name" content="Umweltbundesamt">'
        "<title>Atomkraft ist nicht nachhaltig | Umweltbundesamt</title></head>"
        "<body><h1>Atomkraft ist nicht nachhaltig | Umweltbundesamt</h1></body></html>"
    )
    assert headline(page) == "Atomkraft ist nicht nachhaltig"


def test_of_several_h1s_the_one_whose_words_the_title_has_wins():
    page = (
        "<html><head><title>The Insiders - Schnell frisches Haar mit dem neuen Wellaflex Trockenshampoo</title>"
        "</head><body><h1>Wellaflex – Schnell frisches Haar mit dem Trockenshampoo</h1><h1>Anwendung</h1></body></html>"
    )
    assert headline(page) == "Wellaflex – Schnell frisches Haar mit dem Trockenshampoo"


def test_a_title_is_cut_to_the_run_of_parts_another_candidate_is_not_to_a_shared_site_name():
    page = (
        "<html><head><title>Produkttester werden │ Nestlé Marktplatz</title>"
        '<meta property="og:title" content="Produkttester werden: gratis testen │ Nestlé Marktplatz">'
        "</head><body><p>Text.</p></body></html>"
    )
    assert headline(page) == "Produkttester werden: gratis testen │ Nestlé Marktplatz"


def test_a_title_that_is_only_the_site_name_does_not_outvote_the_lone_h1():
    page = (
        '<html><head><title>Kanzlei Nordlicht</title><link rel="canonical" href="https://kanzleinordlicht.de/">'
        "</head><body><h1>Willkommen!</h1><p>Text.</p></body></html>"
    )
    assert headline(page) == "Willkommen!"


def test_the_site_name_written_as_its_domain_label_is_cut():
    page = (
        "<html><head><title>Öffnungszeiten | Bäckerei Müller</title>"
        '<link rel="canonical" href="https://www.baeckereimueller.de/news/zeiten"></head>'
        "<body><p>Text.</p></body></html>"
    )
    assert headline(page) == "Öffnungszeiten"
