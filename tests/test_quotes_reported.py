"""Reported speech read from the parse, two-apostrophe quote marks, and who may be a speaker."""

from __future__ import annotations

import pytest

from media_etl.enrich.entities.models import NER_MODE_VARIABLE
from schemas.vocabularies import ORGANISATION, PERSON
from tests.test_enrich_quotes import direct, indirect, mentions_of, quotes


def test_a_subject_far_from_its_verb_is_read_from_the_parse():
    body = (
        "Mrs. Clinton's presidential campaign, which has been shadowed for months by the controversy, "
        "said that the emails released on Tuesday had no bearing on the foundation's work."
    )
    (quote,) = quotes(body)
    assert quote.text == "the emails released on Tuesday had no bearing on the foundation's work"
    assert quote.speaker_surface == "Mrs. Clinton's presidential campaign"


@pytest.mark.parametrize(
    ("body", "text", "cue"),
    [
        (
            "According to the report, the economy grew faster than expected last year.",
            "the economy grew faster than expected last year",
            "according to",
        ),
        ("Republicans think the central bank grew too big.", "the central bank grew too big", "think"),
        ("Polls show that most people favour the new law.", "most people favour the new law", "show"),
        ("Cruz urged voters to reject the deal in the Senate.", "voters to reject the deal in the Senate", "urged"),
    ],
)  # fmt: skip
def test_reporting_verbs_beyond_say(body, text, cue):
    (quote,) = quotes(body)
    assert (quote.kind, quote.text, quote.cue_verb) == ("indirect", text, cue)


def test_a_quantity_says_something_but_names_no_speaker():
    body = "Asked about the server, 46 percent of voters said she did nothing wrong."
    (quote,) = quotes(body)
    assert quote.text == "she did nothing wrong"
    assert (quote.speaker_surface, quote.speaker_name) == (None, None)


def test_a_parsed_quote_never_repeats_a_rules_quote():
    body = "The minister said the forum will be held in Baku next year."
    assert len(quotes(body)) == 1


def test_the_parse_names_the_speaker_of_a_quote_the_rules_left_without_one():
    body = 'Speaker of the House Rep. Paul Ryan (R-WI) said "anti-Semitic images have no place in a campaign."'
    found = quotes(body, mentions_of(body, ("Paul Ryan", PERSON, "Paul Ryan")))
    (quote,) = direct(found)
    assert quote.speaker_name == "Paul Ryan"


def test_rules_only_mode_reads_no_parse(monkeypatch):
    monkeypatch.setenv(NER_MODE_VARIABLE, "rules")
    assert quotes("Polls show that most people favour the new law.") == []


def test_the_parse_reads_english_only():
    assert quotes("Polls show that most people favour the new law.", language="de") == []


def test_two_apostrophes_are_one_quote_mark():
    body = "''We should not take growth for granted,'' Lael Brainard, a Fed governor, said in a speech."
    found = quotes(body, mentions_of(body, ("Lael Brainard", PERSON, "Lael Brainard")))
    (quote,) = direct(found)
    assert quote.text == "We should not take growth for granted"
    assert quote.speaker_name == "Lael Brainard"


def test_a_relative_word_is_not_part_of_the_speaker():
    body = "Electric cars are selling, a trend that industry analysts say will boost battery makers."
    speakers = {q.speaker_surface for q in quotes(body)}
    assert not any(s and s.lower().startswith("that ") for s in speakers)


def test_a_turkish_object_ending_is_not_a_speaker():
    body = "Bankanın genel müdürü Ahmet Yılmaz NTV'ye, “Kur bilgisi hatalı girilmiş değildir” dedi."
    found = quotes(
        body, mentions_of(body, ("NTV", ORGANISATION, "NTV"), ("Ahmet Yılmaz", PERSON, "Ahmet Yılmaz")), "tr"
    )
    assert found
    assert all(q.speaker_surface != "NTV'ye" and q.speaker_name != "NTV" for q in found)


def test_a_sentence_initial_word_in_turkish_is_no_speaker_unless_it_is_a_name():
    body = "Ahmet Yılmaz toplantıda konuştu.\n\nAncak ekonominin gelecek yıl daha hızlı büyüyeceğini vurguladı."
    found = quotes(body, mentions_of(body, ("Ahmet Yılmaz", PERSON, "Ahmet Yılmaz")), "tr")
    assert all(q.speaker_surface != "Ancak" for q in found)


def test_a_common_word_at_a_sentence_start_is_no_speaker():
    body = "Trump spoke in Ohio.\n\nShortly, saying the plan will work, the crowd cheered."
    found = quotes(body, mentions_of(body, ("Trump", PERSON, "Donald Trump")))
    assert all(q.speaker_surface != "Shortly" for q in indirect(found))


def test_a_lone_word_that_is_not_the_name_it_resolved_to_is_no_speaker():
    body = (
        "Kamala Harris ziyaret etti.\n\n"
        "Giriş: 16 Eylül 2025, Salı 08:43 Güncelleme: 16 Eylül 2025 tarihli açıklamada bunu söyledi."
    )
    found = quotes(body, mentions_of(body, ("Kamala Harris", PERSON, "Kamala Harris")), "tr")
    assert all(q.speaker_surface != "Giriş" for q in found)


def test_a_heading_in_capitals_is_cut_from_a_speaker():
    body = "GELECEK YIL DA UMUT VERMEDİ Gelecek yıl fiyatların düşeceğini söyledi.\n\nAhmet Yılmaz konuştu."
    found = quotes(body, mentions_of(body, ("Ahmet Yılmaz", PERSON, "Ahmet Yılmaz")), "tr")
    assert all("VERMEDİ" not in (q.speaker_surface or "") for q in found)


def test_a_speaker_label_and_a_colon_make_a_direct_quote():
    body = (
        "Donald Trump spoke on Friday.\n\nTRUMP: The deaths of two men this week are a tragedy for the whole country."
    )
    found = quotes(body, mentions_of(body, ("Donald Trump", PERSON, "Donald Trump"), ("TRUMP", PERSON, "Donald Trump")))
    (quote,) = direct(found)
    assert quote.text == "The deaths of two men this week are a tragedy for the whole country."
    assert quote.speaker_name == "Donald Trump"


def test_a_label_before_a_title_is_no_quote():
    body = "Manfred Frank: Was ist Neostrukturalismus?\n\nWP: Virtual Private Network (VPN)"
    found = quotes(body, mentions_of(body, ("Manfred Frank", PERSON, "Manfred Frank")))
    assert direct(found) == []
