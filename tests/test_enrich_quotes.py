"""Quote extraction: every quote form, cue verbs, speakers, pronouns, titles and exact offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from media_etl.clean.text import clean_text
from media_etl.enrich.quotes import extract_quotes
from media_etl.enrich.records import ArticleText, Mention, Quote
from media_etl.parse.wire import parse_wire_text
from media_etl.sources import SourceRegistry
from schemas.vocabularies import ORGANISATION, PERSON, PLACE
from tests.conftest import SEEDS


def article(body: str, language: str | None = "en") -> ArticleText:
    return ArticleText("a1", "Headline", body, None, language)


def mention(body: str, surface: str, kind: str = PERSON, name: str | None = None, nth: int = 0) -> Mention:
    """A mention of the nth occurrence of surface in body."""
    start = -1
    for _ in range(nth + 1):
        start = body.index(surface, start + 1)
    canonical = name or surface
    return Mention("a1", f"{kind}:{canonical}", kind, canonical, surface, start, start + len(surface))


def mentions_of(body: str, *names: tuple[str, str, str]) -> list[Mention]:
    """Mentions of every occurrence of each (surface, kind, canonical name)."""
    found = []
    for surface, kind, name in names:
        for nth in range(body.count(surface)):
            found.append(mention(body, surface, kind, name, nth))
    return sorted(found, key=lambda m: m.char_start)


def quotes(body: str, found: list[Mention] | None = None, language: str | None = "en") -> list[Quote]:
    result = extract_quotes(article(body, language), found or [])
    for q in result:
        assert body[q.char_start : q.char_end] == q.text
    return result


def direct(result: list[Quote]) -> list[Quote]:
    return [q for q in result if q.kind == "direct"]


def indirect(result: list[Quote]) -> list[Quote]:
    return [q for q in result if q.kind == "indirect"]


def seed_body(name: str, registry: SourceRegistry) -> str:
    text = clean_text((SEEDS / name).read_text(encoding="utf-8"))
    return "\n\n".join(p.text for p in parse_wire_text(text, registry).paragraphs)


# --- quote marks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ('"We are ready to share our experience," Hajiyev said.', "We are ready to share our experience"),
        ("“We are ready to share our experience,” Hajiyev said.", "We are ready to share our experience"),
        ("‘We are ready to share our experience,’ Hajiyev said.", "We are ready to share our experience"),
        ("«We are ready to share our experience», — Hajiyev said.", "We are ready to share our experience"),
        ("„We are ready to share our experience“, Hajiyev said.", "We are ready to share our experience"),
    ],
)  # fmt: skip
def test_every_quote_mark_style(body, text):
    found = mentions_of(body, ("Hajiyev", PERSON, "Hikmet Hajiyev"))
    (quote,) = quotes(body, found)
    assert (quote.text, quote.kind, quote.cue_verb) == (text, "direct", "said")
    assert (quote.speaker_surface, quote.speaker_name, quote.speaker_entity_id) == (
        "Hajiyev",
        "Hikmet Hajiyev",
        "person:Hikmet Hajiyev",
    )


def test_apostrophes_inside_single_quotes_do_not_close_them():
    body = "‘Turkey’s experience is valuable to us,’ Hajiyev said."
    (quote,) = quotes(body, mentions_of(body, ("Hajiyev", PERSON, "Hikmet Hajiyev")))
    assert quote.text == "Turkey’s experience is valuable to us"


def test_nested_quotes_stay_inside_the_outer_quote():
    body = "«Проект «Открытый диалог» будет продолжен», — заявил Нуртлеу."
    (quote,) = quotes(body, mentions_of(body, ("Нуртлеу", PERSON, "Murat Nurtleu")), "ru")
    assert quote.text == "Проект «Открытый диалог» будет продолжен"
    assert quote.speaker_name == "Murat Nurtleu"


# --- cue verbs in several languages -----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "language", "cue", "speaker"),
    [
        ("“Cooperation will grow,” Altun added.", "en", "added", "Altun"),
        ("“Cooperation will grow,” Altun noted.", "en", "noted", "Altun"),
        ("“Cooperation will grow,” Altun told reporters.", "en", "told", "Altun"),
        ("“Cooperation will grow,” Altun continued.", "en", "continued", "Altun"),
        ("“Cooperation will grow,” Altun stressed.", "en", "stressed", "Altun"),
        ("“Cooperation will grow,” said Altun.", "en", "said", "Altun"),
        ("Altun, “İş birliği büyüyecek.” dedi.", "tr", "dedi", "Altun"),
        ('"İş birliği büyüyecek" diye konuştu Altun.', "tr", "diye konuştu", "Altun"),
        ("Altun, “İş birliği büyüyecek” ifadelerini kullandı.", "tr", "ifadelerini kullandı", "Altun"),
        ("«Сотрудничество будет расти», — заявил Алтун.", "ru", "заявил", "Алтун"),
        ("«Сотрудничество будет расти», — отметил Алтун.", "ru", "отметил", "Алтун"),
        ("«Сотрудничество будет расти», — сказал Алтун.", "ru", "сказал", "Алтун"),
        ("“Hamkorlik o‘sadi”, – dedi Altun.", "uz", "dedi", "Altun"),
        ("“Əməkdaşlıq böyüyəcək”, - deyə Altun bildirib.", "az", "bildirib", "Altun"),
    ],
)  # fmt: skip
def test_cue_verbs_and_written_speakers(body, language, cue, speaker):
    found = mentions_of(body, (speaker, PERSON, "Fahrettin Altun"))
    (quote,) = direct(quotes(body, found, language))
    assert quote.cue_verb == cue
    assert quote.speaker_surface == speaker
    assert quote.speaker_name == "Fahrettin Altun"


def test_russian_pronoun_and_feminine_verb():
    body = (
        "Министр информации Аида Балаева встретилась с Асетом Ергалиевым.\n\n"
        "«Мы создаем условия для свободной работы СМИ», — заявила она."
    )
    found = mentions_of(
        body, ("Аида Балаева", PERSON, "Aida Balayeva"), ("Асетом Ергалиевым", PERSON, "Aset Yergaliyev")
    )
    (quote,) = quotes(body, found, "ru")
    assert (quote.cue_verb, quote.speaker_surface, quote.speaker_name) == ("заявила", "она", "Aida Balayeva")


def test_turkish_missing_subject_takes_the_last_person():
    body = 'Altun İstanbul\'da konuştu.\n\n"Bu platform kardeşliğimizin sembolü olacak" diye konuştu.'
    (quote,) = quotes(body, mentions_of(body, ("Altun", PERSON, "Fahrettin Altun")), "tr")
    assert (quote.cue_verb, quote.speaker_surface, quote.speaker_name) == ("diye konuştu", None, "Fahrettin Altun")


# --- indirect speech --------------------------------------------------------------------------


_FORUM = "the forum will be held in Baku"


@pytest.mark.parametrize(
    ("body", "text", "cue"),
    [
        ("Rasulov gave a talk, noting that the forum will be held in Baku.", _FORUM, "noting"),
        ("Rasulov said that the forum will be held in Baku.", _FORUM, "said"),
        ("Rasulov said the forum will be held in Baku.", _FORUM, "said"),
        ("Rasulov pointed out that the forum will be held in Baku.", _FORUM, "pointed out"),
        ("Rasulov said in a statement Saturday that the forum will be held in Baku.", _FORUM, "said"),
        ("The forum will be held in Baku, Rasulov said in a statement.", "The forum will be held in Baku", "said"),
        ("In his speech, Rasulov said, the forum will be held in Baku.", _FORUM, "said"),
        ("The forum will be held in Baku, according to Rasulov.", "The forum will be held in Baku", "according to"),
        ("Расулов заявил, что форум пройдет в Баку.", "форум пройдет в Баку", "заявил"),
        ("Rasulov qeyd edib ki, forum Bakıda keçiriləcək.", "forum Bakıda keçiriləcək", "qeyd edib"),
        ("Rasulov, forumun Bakü'de yapılacağını söyledi.", "forumun Bakü'de yapılacağını", "söyledi"),
    ],
)  # fmt: skip
def test_indirect_speech_is_the_reported_clause(body, text, cue):
    found = mentions_of(body, ("Rasulov", PERSON, "Eldar Rasulov"), ("Расулов", PERSON, "Eldar Rasulov"))
    (quote,) = quotes(body, found)
    assert (quote.kind, quote.text, quote.cue_verb, quote.speaker_name) == ("indirect", text, cue, "Eldar Rasulov")


def test_verbs_other_than_say_need_that():
    assert quotes("Rasulov stressed the importance of the forum.") == []
    assert quotes("Rasulov continued to work on the forum.") == []


def test_a_subject_that_names_no_one_keeps_its_words_unresolved():
    body = "The panel emphasized that cooperation is needed. The event noted that the media must change."
    assert [(q.text, q.speaker_surface, q.speaker_name, q.speaker_entity_id) for q in quotes(body)] == [
        ("cooperation is needed", "The panel", None, None),
        ("the media must change", "The event", None, None),
    ]


def test_speaking_nouns_are_kept_unresolved():
    (quote,) = quotes("Analysts said the deal mirrored arrangements already common among agencies.")
    assert (quote.speaker_surface, quote.speaker_name, quote.speaker_entity_id) == ("Analysts", None, None)


# --- pronouns ---------------------------------------------------------------------------------


def test_he_is_the_last_person_named_before_it_not_an_organisation():
    body = (
        "Fahrettin Altun met Hikmet Hajiyev in Istanbul.\n\n"
        "Hajiyev thanked the Communications Directorate.\n\n"
        "“The platform will grow,” he said."
    )
    found = [
        mention(body, "Fahrettin Altun"),
        mention(body, "Hikmet Hajiyev"),
        mention(body, "Istanbul", PLACE),
        mention(body, "Hajiyev", PERSON, "Hikmet Hajiyev", nth=1),
        mention(body, "Communications Directorate", ORGANISATION),
    ]
    (quote,) = quotes(body, found)
    assert (quote.speaker_surface, quote.speaker_name, quote.speaker_entity_id) == (
        "he",
        "Hikmet Hajiyev",
        "person:Hikmet Hajiyev",
    )


def test_she_skips_a_man_named_later():
    body = (
        "Makpal Ukenova met Tokhir Umarov in Almaty.\n\n"
        "“Children's television must speak the language of its audience,” she said."
    )
    found = mentions_of(body, ("Makpal Ukenova", PERSON, "Makpal Ukenova"), ("Tokhir Umarov", PERSON, "Tokhir Umarov"))
    (quote,) = quotes(body, found)
    assert quote.speaker_name == "Makpal Ukenova"


def test_names_inside_quote_marks_never_speak():
    body = "Altun opened the meeting.\n\n“We thank President Ilham Aliyev for his support,” he said."
    found = mentions_of(body, ("Altun", PERSON, "Fahrettin Altun"), ("Ilham Aliyev", PERSON, "Ilham Aliyev"))
    (quote,) = quotes(body, found)
    assert quote.speaker_name == "Fahrettin Altun"


def test_it_resolves_to_the_last_organisation():
    body = "The Communications Directorate issued a statement.\n\nIt said that the committees would meet monthly."
    found = mentions_of(body, ("Communications Directorate", ORGANISATION, "Communications Directorate"))
    (quote,) = quotes(body, found)
    assert (quote.speaker_surface, quote.speaker_name) == ("It", "Communications Directorate")


# --- continuation and interrupted quotes ------------------------------------------------------


def test_a_paragraph_that_is_only_a_quote_continues_the_previous_speaker():
    body = (
        "“Shusha is the cultural capital of Azerbaijan,” Hajiyev said.\n\n"
        "“We want every journalist to see the reconstruction with their own eyes.”"
    )
    found = mentions_of(body, ("Hajiyev", PERSON, "Hikmet Hajiyev"))
    _, second = quotes(body, found)
    assert second.text == "We want every journalist to see the reconstruction with their own eyes."
    assert (second.speaker_name, second.speaker_entity_id, second.cue_verb) == (
        "Hikmet Hajiyev",
        "person:Hikmet Hajiyev",
        None,
    )


def test_a_quote_split_by_its_attribution_gives_two_attributed_quotes():
    body = (
        "Altun spoke.\n\n“At a time of disinformation, we must cooperate,” he said. “With these steps we will do more.”"
    )
    found = mentions_of(body, ("Altun", PERSON, "Fahrettin Altun"))
    first, second = quotes(body, found)
    assert (first.text, second.text) == (
        "At a time of disinformation, we must cooperate",
        "With these steps we will do more.",
    )
    assert first.speaker_name == second.speaker_name == "Fahrettin Altun"
    assert first.cue_verb == second.cue_verb == "said"


def test_an_attribution_inside_the_sentence_before_the_quote():
    body = "Altun spoke.\n\nThe committees, he said, “will strengthen our deep-rooted ties.”"
    (quote,) = quotes(body, mentions_of(body, ("Altun", PERSON, "Fahrettin Altun")))
    assert (quote.kind, quote.text, quote.speaker_surface, quote.speaker_name) == (
        "direct",
        "will strengthen our deep-rooted ties.",
        "he",
        "Fahrettin Altun",
    )


# --- organisation speakers --------------------------------------------------------------------


def test_an_organisation_speaks_through_its_mention():
    body = (
        "The parties decided to establish “public diplomacy and media committees,” "
        "Turkey’s Communications Directorate said in a statement Saturday."
    )
    found = mentions_of(
        body,
        ("Turkey", PLACE, "Türkiye"),
        ("Communications Directorate", ORGANISATION, "Communications Directorate"),
    )
    result = quotes(body, found)
    assert {q.kind for q in result} == {"direct", "indirect"}
    for quote in result:
        assert quote.speaker_surface == "Turkey’s Communications Directorate"
        assert (quote.speaker_name, quote.speaker_entity_id) == (
            "Communications Directorate",
            "organisation:Communications Directorate",
        )


def test_the_ministry_resolves_to_the_ministry_named_before():
    body = (
        "Kazakhstan's Ministry of Foreign Affairs said the country would host the meeting.\n\n"
        "“The meeting will focus on regional events,” the ministry said."
    )
    found = mentions_of(body, ("Ministry of Foreign Affairs", ORGANISATION, "Ministry of Foreign Affairs"))
    quote = direct(quotes(body, found))[0]
    assert (quote.speaker_surface, quote.speaker_name) == ("the ministry", "Ministry of Foreign Affairs")


def test_without_mentions_names_come_from_the_text():
    body = "Turkey’s Communications Director Fahrettin Altun spoke.\n\n“We will cooperate,” Altun said."
    (quote,) = quotes(body)
    assert (quote.speaker_surface, quote.speaker_name, quote.speaker_entity_id) == ("Altun", "Fahrettin Altun", None)


# --- quoted titles ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        'Baku hosted a session on "Cooperation Opportunities of OTS member states in the digital media environment".',
        "He gave a talk on “Media Opportunities within the Thirteenth Session of the World Urban Forum (WUF13)”.",
        "The meeting, held with the theme of “Rooted Past, Strong Future,” was attended by officials.",
        "The agency launched a series titled “Voices of the Caspian” on Wednesday.",
        "Officials discussed “smart city” concepts and “resounding” results.",
        "The forum, held under the motto “Media for Peace”, brings together 150 participants.",
        "Zirvede “Dijital Çağda Gazetecilik” başlıklı bir panel düzenlendi.",
        "Встреча прошла в рамках проекта под названием «Открытый диалог с журналистами».",
        "‘Strong perspective, dynamic structure’",
    ],
)  # fmt: skip
def test_quoted_titles_and_scare_quotes_are_not_quotes(body):
    assert direct(quotes(body)) == []


def test_a_title_inside_reported_speech_is_not_a_quote():
    body = "He noted that, during the war, “important results” were achieved thanks to close cooperation."
    result = quotes("Altun spoke.\n\n" + body, None)
    assert direct(result) == []


def test_a_partial_quote_inside_reported_speech_is_a_quote():
    body = "Altun called the platform “a great step forward” for the media of both countries."
    (quote,) = quotes(body, mentions_of(body, ("Altun", PERSON, "Fahrettin Altun")))
    assert (quote.kind, quote.text, quote.cue_verb, quote.speaker_name) == (
        "direct",
        "a great step forward",
        "called",
        "Fahrettin Altun",
    )


# --- the seeds --------------------------------------------------------------------------------


def test_seed_002_every_quote_is_attributed(registry):
    body = seed_body("002_3a0b39f4f30f4f20.txt", registry)
    result = quotes(body)
    assert len(direct(result)) >= 12
    assert {q.speaker_name for q in result} == {"Fahrettin Altun", "Hikmet Hajiyev", "Communications Directorate"}
    committees = next(q for q in direct(result) if q.text.startswith("public diplomacy"))
    assert committees.speaker_name == "Communications Directorate"
    texts = {q.text for q in direct(result)}
    for title in (
        "Rooted Past, Strong Future",
        "important results",
        "resounding",
        "Strong perspective, dynamic structure",
    ):
        assert not any(title in text and len(text) < len(title) + 3 for text in texts)


def test_seed_000_has_no_direct_quotes_and_rasulov_speaks(registry):
    body = seed_body("000_a24507a823bb7c72.txt", registry)
    result = quotes(body)
    assert direct(result) == []
    assert [(q.cue_verb, q.speaker_name) for q in result] == [
        ("emphasized", None),  # "The panel emphasized that …": reported, but by no one named
        ("noted", None),  # "The event noted that …"
        ("noting", "Eldar Rasulov"),
        ("pointed out", "Eldar Rasulov"),
    ]
    assert result[2].text.startswith("the World Urban Forum, to be held in Baku in 2026")


# --- invariants -------------------------------------------------------------------------------


def test_offsets_hold_and_spans_are_unique_on_every_sample(registry):
    for path in sorted(Path(SEEDS).glob("*.txt")):
        body = seed_body(path.name, registry)
        result = quotes(body)
        assert len({(q.char_start, q.char_end) for q in result}) == len(result)
        assert all(q.kind in ("direct", "indirect") and q.text for q in result)


def test_empty_body_and_mentions_outside_the_body():
    assert extract_quotes(article(""), []) == []
    stray = [Mention("a1", "x", PERSON, "Nobody", "Nobody", 500, 506)]
    (quote,) = quotes("“We agree,” he said.", stray)
    assert quote.speaker_name is None


def test_extraction_is_deterministic(registry):
    body = seed_body("002_3a0b39f4f30f4f20.txt", registry)
    assert quotes(body) == quotes(body)


_PIECES = st.sampled_from(
    [
        "“", "”", "‘", "’", "«", "»", "„", "\"", "'", " ", ", ", ". ", "\n\n", ":", " — ", "-",
        "said", "he", "she", "Altun", "Hajiyev said", "noting that", "according to", "dedi", "заявил",
        "он", "diye konuştu", "ki", "told reporters", "We will", "the ministry", "on", "titled", "U.S.",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40))
def test_offsets_hold_on_arbitrary_text(pieces):
    body = "".join(pieces)
    result = extract_quotes(article(body), [])
    assert len({(q.char_start, q.char_end) for q in result}) == len(result)
    for q in result:
        assert body[q.char_start : q.char_end] == q.text
        assert q.text


# --- harder attributions ----------------------------------------------------------------------


def test_the_name_before_an_apposition_speaks():
    body = "Eswar Prasad, a trade professor at Cornell, said the talks were stalled."
    (quote,) = quotes(
        body, mentions_of(body, ("Eswar Prasad", PERSON, "Eswar Prasad"), ("Cornell", ORGANISATION, "Cornell"))
    )
    assert quote.speaker_name == "Eswar Prasad"


def test_a_pronoun_skips_the_object_of_a_preposition():
    body = (
        "Morrison listened in on the call with Ukrainian President Volodymyr Zelensky.\n\n"
        "He said he was not concerned about the call."
    )
    found = mentions_of(
        body, ("Morrison", PERSON, "Tim Morrison"), ("Volodymyr Zelensky", PERSON, "Volodymyr Zelensky")
    )
    (quote,) = quotes(body, found)
    assert quote.speaker_name == "Tim Morrison"


def test_a_quote_after_an_attribution_sentence_takes_its_speaker():
    body = "Sherwood, the company's vice president, said in a statement. “We are honoured to join the programme.”"
    (quote,) = quotes(body, mentions_of(body, ("Sherwood", PERSON, "Brent Sherwood")))
    assert (quote.text, quote.speaker_name) == ("We are honoured to join the programme.", "Brent Sherwood")


def test_russian_according_to_him():
    body = "Аскар Шаукенов провел встречу с коллегами.\n\nПо его словам, агентство запустит новый сервис."
    (quote,) = quotes(body, mentions_of(body, ("Аскар Шаукенов", PERSON, "Askar Shaukenov")), "ru")
    assert (quote.kind, quote.text, quote.speaker_name) == (
        "indirect",
        "агентство запустит новый сервис",
        "Askar Shaukenov",
    )


def test_possessors_and_friends_are_not_the_speaker():
    body = "Tim Morrison testified on Tuesday.\n\nMorrison's lawyer said the question was out of scope."
    (quote,) = quotes(body, mentions_of(body, ("Tim Morrison", PERSON, "Tim Morrison")))
    assert (quote.speaker_surface, quote.speaker_name) == ("Morrison's lawyer", None)
    body = "Several friends of Mike Ford said that his family had suppressed his work."
    (quote,) = quotes(body, mentions_of(body, ("Mike Ford", PERSON, "Mike Ford")))
    assert quote.speaker_name is None


def test_surnames_that_only_look_alike_stay_apart():
    body = "Martin Fry and his sister spoke.\n\nMartha added that the letters were kind and loving."
    (quote,) = quotes(body, mentions_of(body, ("Martin Fry", PERSON, "Martin Fry")))
    assert quote.speaker_name == "Martha"


def test_an_infinitive_say_is_not_a_cue():
    assert quotes("Volker shifted his account to say the meeting had taken place.") == []


def test_mixed_straight_and_curly_marks_pair_up():
    body = 'Altun spoke.\n\n“We will cooperate closely with our partners," he said.'
    (quote,) = quotes(body, mentions_of(body, ("Altun", PERSON, "Fahrettin Altun")))
    assert (quote.text, quote.speaker_name) == ("We will cooperate closely with our partners", "Fahrettin Altun")


def test_a_quote_signed_with_a_dash():
    body = "“Had he taken the other road, he would be famous today.” — Neil Gaiman"
    (quote,) = quotes(body, mentions_of(body, ("Neil Gaiman", PERSON, "Neil Gaiman")))
    assert quote.speaker_name == "Neil Gaiman"


def test_a_speaker_phrase_ending_in_of_does_not_crash():
    # "of" or "for" closing the speaker phrase left nothing to join to: IndexError in resolve.
    body = '"The phone is fast," the head of said.'
    quotes = extract_quotes(ArticleText("0123456789abcdef", "", body, None, "en"), [])
    assert [(q.text, q.speaker_surface) for q in quotes] == [("The phone is fast", "the head of")]
