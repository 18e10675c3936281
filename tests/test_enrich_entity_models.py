"""The statistical recognisers (spaCy for English, natasha for Russian) and the layers on top of them."""

from __future__ import annotations

import pytest

from media_etl.enrich.entities import extract_mentions
from media_etl.enrich.entities.models import NER_MODE_VARIABLE, english_pipeline, model_spans, russian_tagger
from media_etl.enrich.records import ArticleText
from schemas.vocabularies import ORGANISATION, PERSON, PLACE


def article(body: str, language: str) -> ArticleText:
    return ArticleText("0123456789abcdef", "", body, None, language)


def found(body: str, language: str) -> set[tuple[str, str]]:
    return {(m.surface, m.entity_type) for m in extract_mentions(article(body, language))}


def test_models_load_once_per_process():
    assert english_pipeline() is english_pipeline()
    assert english_pipeline() is not None
    assert english_pipeline().pipe_names == ["ner"]
    assert russian_tagger() is russian_tagger()


def test_model_spans_leave_out_articles_and_possessives():
    body = "Officials in the United States said Germany's economy grew, the Bundesbank reported."
    spans = {body[s.start : s.end] for s in model_spans(body, "en")}
    assert "United States" in spans and "the United States" not in spans
    assert "Germany" in spans and "Germany's" not in spans


def test_no_model_for_other_languages():
    assert model_spans("Cumhurbaşkanı Erdoğan Ankara'da konuştu.", "tr") == []


def test_model_names_fill_what_the_rules_miss_in_english():
    body = "Chelsea striker Gianfranco Zola scored twice as the club beat Everton in London on Saturday."
    items = found(body, "en")
    assert ("Gianfranco Zola", PERSON) in items
    assert ("London", PLACE) in items


def test_russian_names_come_from_natasha():
    body = "Глава Газпрома Алексей Миллер встретился в Москве с представителями компании Роснефть."
    items = found(body, "ru")
    assert ("Алексей Миллер", PERSON) in items
    assert ("Москве", PLACE) in items
    assert any(kind == ORGANISATION and surface.startswith("Газпром") for surface, kind in items)


def test_one_label_per_name_in_an_article():
    body = (
        "British sprinter Linford Christie said on Monday he would race again. "
        "Christie told reporters the track was fast. Christie, 36, won in Zurich."
    )
    kinds = {kind for surface, kind in found(body, "en") if surface == "Christie"}
    assert kinds == {PERSON}


def test_common_words_and_units_a_model_tags_are_not_names():
    body = "Attendance: 25,000.\n\nHalftime 1-0.\n\nKick-off was at 1400 GMT in Rotterdam."
    surfaces = {surface for surface, _ in found(body, "en")}
    assert not surfaces & {"Attendance", "Halftime", "GMT"}


def test_rules_only_switch(monkeypatch: pytest.MonkeyPatch):
    body = "Chelsea striker Gianfranco Zola scored twice as the club beat Everton."
    monkeypatch.setenv(NER_MODE_VARIABLE, "rules")
    assert model_spans(body, "en") == []
    monkeypatch.setenv(NER_MODE_VARIABLE, "models")
    assert model_spans(body, "en")


def test_the_start_of_a_quoted_title_is_not_a_name():
    body = "The manager gave a talk on “Media Opportunities within the Thirteenth Session” in Baku."
    assert "Media Opportunities" not in {surface for surface, _ in found(body, "en")}


def test_a_town_before_a_score_is_its_team_and_a_country_stays_a_place():
    body = "League results played in London on Saturday:\n\nLeicester 2 Derby 1\n\nIndia 250 all out."
    items = found(body, "en")
    assert {("Leicester", ORGANISATION), ("Derby", ORGANISATION), ("India", PLACE), ("London", PLACE)} <= items


def test_places_named_with_an_organisation_head_or_a_foreign_phrase():
    items = found("Israeli troops left the West Bank, the White House said on Monday.", "en")
    assert ("West Bank", PLACE) in items
    assert not any(surface == "White House" and kind == PLACE for surface, kind in items)


def test_a_russian_ministry_takes_its_country_in_the_genitive():
    body = "Об этом заявили в МИД России во вторник."
    items = found(body, "ru")
    assert ("МИД России", ORGANISATION) in items
    assert ("России", PLACE) in items
