"""Find direct and indirect quotes in an article body and resolve who said them.

Rules, in the order they apply; every offset is into ``article.body``.

Quoted spans
    “…” ‘…’ «…» „…“ ‹…› and straight "…" are paired inside one paragraph (a straight mark closes a
    curly one only when the proper closing mark never comes); marks nested inside another pair
    stay part of the outer quote. An opening “ « or „ that is never closed runs to the paragraph
    end (wire copy leaves a quote open when it goes on in the next paragraph).

Cues and speakers
    A cue is a reporting verb outside quote marks: said, added, noted, told, stressed, pointed
    out, testified …, the participles saying, noting that, adding that …, according to, dedi,
    diye konuştu, ifade etti, deyə bildirib, qeyd edib ki, заявил, сказала, отметив, по словам,
    деді, dedi …; "to say" is no cue. Its speaker is the noun phrase right before a finite verb
    (``Altun said``), the name before an apposition (``Prasad, a professor at Cornell, said``),
    the phrase right after an inverted verb (``said Altun``, ``— заявил он``), for a participle
    or a verb after "and" the speaker of the sentence's own attribution or else its subject
    (``Rasulov delivered a presentation …, noting that``), and for a Turkic verb the subject
    before the quote or clause (``Altun, “…” dedi``). A speaker must be a pronoun, a name (a
    mention, or a capitalised run of words) or a speaking noun (spokesperson, officials,
    analysts, министр, bakan …; after said/told any short phrase with an article will do):
    "The panel emphasized that …" has no speaker and yields nothing.

Direct quotes
    1. attributed at its marks: a cue right after the closing mark (``,” he said``, ``” dedi``,
       ``», — заявил он``, ``“…?” Schiff asked``) or right before the opening mark (``he added:
       “``, ``The committees, he said, “``, ``Altun called the platform “``), or a colon cue that
       ends the paragraph before;
    2. a partial quote inside a reported clause (``Altun said the platform is “a very valuable
       step …”``) takes the clause's speaker;
    3. a quote right after a sentence with an attribution, in the same paragraph (``Smith said
       in a statement. “…”``, ``“…,” he said. “…”``), takes that speaker;
    4. another quote of the paragraph takes the speaker of the nearest attributed one when no
       other speaker's cue stands between them;
    5. continuation: a paragraph that is only a quote, right after a paragraph with a quote,
       takes that quote's speaker; a quote signed ``— Name`` at the paragraph end is Name's;
    6. any other quote of at least 6 words that ends in . ! ? … is kept with no speaker.
    Rules 2-6 need speech-like text: at least 3 words and not Title Case.

Indirect quotes
    The reported clause of a cue: after ``said (that)``, ``noting that``, ``заявил, что``,
    ``bildirib ki``; before a closing attribution (``…, he said.``, ``…, according to X.``); the
    part before a parenthetical one (``Disney’s teams fixed it, Mayer said, and …``); or between
    a Turkic subject and its verb (``Altun, … olduğunu söyledi.``). Verbs other than say, add,
    tell and write need ``that`` (``He stressed the need …`` is not reported speech), a clause
    that is only where or when it was said (``said in a statement``) is none, and a clause ends
    where another speaker's attribution starts after a conjunction. A clause with at most one
    word outside quote marks is just its direct quote and is not repeated; otherwise the clause
    is emitted and overlaps the direct quotes inside it.

Quoted titles are not speech
    A quoted span is never a quote when a naming word comes right before it (on, titled,
    entitled, called, named, dubbed, themed, theme of, slogan, motto, known as, под названием,
    на тему, АО/ТОО …) or right after it (adlı, başlıklı, temalı, konulu …), or when it is a
    whole paragraph of at most 10 words with no sentence-final mark (a subheading). Without a
    cue at its marks it is also not a quote when it has at most 2 words (scare quotes such as
    “resounding” or “smart city”) or is in Title Case (“Media Opportunities within the
    Thirteenth Session …”, “Rooted Past, Strong Future”).

Resolving speakers
    A written name resolves to the person mention inside it, else an organisation, else a place
    (a name tagged as a place that reads as a person's is a person); a surname alone to the
    person named in full with that surname (Latin surnames may add an ending, Cyrillic ones may
    change the last letters: Балаева, Балаевой). A possessor is not the speaker ("Morrison's
    lawyer"), nor is a person after "of" ("friends of Mike Ford"), while "a spokesman for the
    ministry" speaks for the ministry. "the ministry", "the minister", "министра" resolve to
    the last organisation whose name, or person whose title, has that word.

    he/she, он/она (and verbs in -ла) resolve to a person before the pronoun, outside quote
    marks, whose name, title (Ms, actress, son …) or an earlier he/she does not mark the other
    gender: of the nearest sentence that names one, the first such person who is neither the
    object of a preposition ("… a call with President Zelensky. He said" is not Zelensky) nor a
    possessor. it/they resolve to the nearest sentence's organisation or capitalised subject;
    o, ол, u and a missing Turkic subject to the nearest person. Names the mentions miss are
    found from capitalised runs of words (split at titles such as Director and after
    organisation words such as Company) and count wherever no mention covers them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import pairwise

from media_etl.clean.text import fold_key
from media_etl.enrich.records import ArticleText, Mention, Quote
from media_etl.normalise.places import country_code
from schemas.vocabularies import DIRECT, INDIRECT, ORGANISATION, PERSON, PLACE

# ---------------------------------------------------------------------------------------------
# Lexicons
# ---------------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    """Split a lexicon written as one space-separated string into folded keys (see ``fold_key``)."""
    return frozenset(fold_key(word) for word in text.split())


# Cue categories.
_SAY = "say"  # finite verb that may take a bare clause: said, says, added, told, wrote
_VERB = "verb"  # finite verb that takes a clause only with that/что/ki: noted, stressed, заявил
_PART = "part"  # participle whose clause needs that: noting, adding, отметив
_PART_BARE = "part_bare"  # participle with a bare clause: saying
_ACCORDING = "according"  # according to X / по словам X
_CALLED = "called"  # called the platform “…”, described it as “…”
_TURKIC = "turkic"  # verb at the end of a Turkic sentence: dedi, söyledi, bildirib, деді, ta'kidladi

_EN_SAY = "said says say added adds told tells wrote writes"
_EN_VERB = (
    "noted notes stressed stresses emphasized emphasised emphasizes emphasises underlined underlines "
    "underscored underscores explained explains stated declared declares announced announces insisted "
    "insists argued argues remarked commented warned warns recalled recalls acknowledged acknowledges "
    "admitted admits claimed claims concluded observed suggested suggests highlighted highlights affirmed "
    "reaffirmed reiterated reiterates confirmed confirms maintained asserted asserts assured predicted "
    "mentioned indicated revealed disclosed cautioned believes thinks continued replied responded answered "
    "tweeted informed asked asks testified testifies recounted recounts joked quipped conceded concedes vowed "
    "countered retorted boasted lamented complained shouted wondered comments respond responds reply replies"
)
_EN_VERB_MULTI = ("pointed out", "points out", "went on to say", "put it", "puts it")
_EN_PART = (
    "adding noting stressing emphasizing emphasising stating explaining underlining underscoring "
    "highlighting recalling warning arguing insisting claiming declaring reiterating affirming remarking "
    "telling asking asserting acknowledging announcing confirming mentioning observing cautioning"
)
_EN_PART_MULTI = ("pointing out",)
_EN_CALLED = "called calls calling described describes describing"

_RU_STEMS = (
    "заявил сказал отметил подчеркнул добавил сообщил пояснил указал рассказал уточнил напомнил признал "
    "заметил констатировал заключил продолжил резюмировал подытожил ответил"
)
_RU_PRESENT = "считает говорит отмечает подчеркивает подчёркивает заявляет"
_RU_PART = "отметив подчеркнув заявив добавив сообщив напомнив указав пояснив заметив"

_TURKIC_VERBS = (
    # Turkish
    "dedi|diye konuştu|diye ekledi|diye belirtti|diye sordu|diye vurguladı|diye kaydetti|şeklinde konuştu|"
    "ifadelerini kullandı|ifadesini kullandı|değerlendirmesinde bulundu|söyledi|belirtti|ifade etti|kaydetti|"
    "vurguladı|dile getirdi|açıkladı|bildirdi|aktardı|ekledi|anlattı|hatırlattı|değerlendirdi|altını çizdi|"
    "işaret etti|söylüyor|diyor|"
    # Azerbaijani
    "deyib|deyə bildirib|deyə qeyd edib|deyə vurğulayıb|deyə əlavə edib|deyə söyləyib|bildirib|qeyd edib|"
    "vurğulayıb|söyləyib|əlavə edib|xatırladıb|diqqətə çatdırıb|açıqlayıb|"
    # Kazakh
    "деді|деп атап өтті|деп мәлімдеді|деп айтты|деп қосты|деп түсіндірді|деп хабарлады|деп сендірді|"
    "атап өтті|мәлімдеді|айтты|түсіндірді|жеткізді|"
    # Uzbek (any apostrophe)
    "deya ta'kidladi|deya bildirdi|deya qo'shimcha qildi|deya aytdi|deydi|ta'kidladi|aytdi|qayd etdi|"
    "ma'lum qildi|qo'shimcha qildi"
)
# Words a Turkic verb carries between the quote and itself: “…” diye konuştu, “…”, - deyə o bildirib.
_TURKIC_HELPERS = ("diye", "şeklinde", "deyə", "deya", "деп", "deb")

_PRONOUNS = {
    "he": "m",
    "she": "f",
    "it": "org",
    "they": "org",
    "он": "m",
    "она": "f",
    "они": "org",
    "ол": "any",
    "o": "any",
    "u": "any",
    "onlar": "org",
    "ular": "org",
    "олар": "org",
}

_SPEAKER_NOUNS = _words(
    # English
    "spokesperson spokesman spokeswoman spokespeople official officials minister ministers president "
    "ambassador chairman chairwoman chair chief head director analyst analysts expert experts participant "
    "participants speaker speakers source sources representative representatives diplomat diplomats "
    "secretary governor mayor leader leaders aide adviser advisor editor journalist journalists "
    "organizer organizers organiser organisers ministry department agency office government directorate "
    "police prosecutor prosecutors commission embassy company committee authorities authority residents "
    "witness witnesses observers critics officer officers lawmaker lawmakers deputy senator envoy "
    "commander manager founder ceo executive professor researcher researchers scientist scientists "
    "statement organisation organization presidency administration lawyer lawyers attorney attorneys counsel "
    "negotiator negotiators members activists protesters organisers doctors workers farmers father mother "
    "wife husband son daughter brother sister friend friends family relatives neighbour neighbours neighbor "
    "neighbors man woman patient patients singer guitarist teacher teachers student students "
    # Russian and Kazakh
    "министр глава президент председатель представитель пресс-секретарь спикер эксперт эксперты аналитик "
    "аналитики участник участники директор руководитель посол депутат сенатор аким журналист источник "
    "ведомство министерство пресс-служба заместитель замминистра вице-министр премьер-министр губернатор "
    "мэр төраға басшы басшысы сарапшы өкіл өкілі әкім "
    # Turkish, Azerbaijani, Uzbek
    "bakan başkan cumhurbaşkanı sözcü sözcüsü uzman uzmanlar yetkili yetkililer bakanlık bakanlığı müdür "
    "müdürü büyükelçi başkanı başkanlığı milletvekili nazir sədr prezident köməkçi köməkçisi rəhbər rəhbəri "
    "direktor direktoru nümayəndə nümayəndəsi sözçü sözçüsü ekspert səfir müdir nazirlik nazirliyi vazir "
    "rais raisi rahbar rahbari mutaxassis vakil vakili hokim elchi"
)

# Lowercase words that may stand in a speaker's noun phrase before a name: presidential aide X.
_ROLE_MODIFIERS = _words(
    "presidential foreign deputy vice former senior chief executive prime general press communications "
    "national state federal regional local top acting first"
)

# Capitalised words that are titles: they start a name after them, never a name themselves.
_TITLE_WORDS = _words(
    "president vice prime minister deputy director manager head chief editor chairman chairwoman chair "
    "secretary ambassador counselor counsellor adviser advisor aide spokesperson spokesman spokeswoman member "
    "governor mayor general commander mp dr mr mrs ms miss prof professor sir lord king queen prince sheikh "
    "coordinator officer representative envoy senator congressman rep sen gen col lt capt pope patriarch "
    "judge justice ceo founder chancellor consul attaché attache correspondent anchor host attorney coach "
    "administrator commissioner gov "
    "bakan bakanı başkan başkanı cumhurbaşkanı yardımcısı müdürü sözcüsü büyükelçisi milletvekili bey hanım "
    "nazir naziri sədri köməkçisi rəhbəri müavini direktoru səfiri prezidentinin prezidenti "
    "президент министр глава председатель директор посол vazir vaziri raisi direktori"
)

# Capitalised words that end an organisation's name: Company, Agency, Başkanlığı.
_ORG_HEADS = _words(
    "agency directorate ministry department office company corporation council committee commission forum "
    "organization organisation union association platform center centre channel tv radio bank fund "
    "university institute foundation group service parliament assembly government administration embassy "
    "party board authority network news post times inc ltd llc court police army forces academy chamber "
    "federation alliance coalition consulate mission secretariat presidency cabinet senate congress "
    "kremlin bureau laboratory observatory hospital school college museum "
    "bakanlığı başkanlığı kurumu ajansı derneği vakfı üniversitesi meclisi partisi merkezi "
    "nazirliyi agentliyi administrasiyası şurası mərkəzi universiteti fondu cəmiyyəti "
    "agentligi vazirligi"
)

# Capitalised words that are never part of a person's name.
_NOT_NAME_WORDS = _words(
    "special projects news upper lower north south east west northern southern eastern western central new "
    "old great grand national international state states federal republic media digital joint first second "
    "third day week year summit session panel conference opportunities cooperation relations affairs foreign "
    "internal economic development security information public social supreme united nations european asian "
    "world global middle far near black caspian sea mountains ocean gulf peninsula liberation victory olympic "
    "games cup championship prize award festival war act law treaty agreement declaration program programme "
    "project initiative strategy plan vision street avenue square park region district province city village "
    "river lake island islands airport station hall palace hotel stadium museum library breaking update st "
    "ave rd blvd road drive lane another "
    "updated photo video live read more share subscribe also monday tuesday wednesday thursday friday "
    "saturday sunday january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec today yesterday tomorrow the a an this that these those "
    "in on at of for with from by to as and or but he she it they we i his her its their our within during "
    "after before following speaking addressing meanwhile however earlier later separately according "
    "azerbaijani turkish kazakh uzbek kyrgyz turkmen russian armenian georgian iranian american european "
    "soviet chinese british french german ukrainian turkic cypriot arab israeli palestinian indian "
    "pakistani afghan tajik belarusian moldovan polish italian spanish japanese korean covid human rights high"
)

# Words that open an introductory phrase before a sentence's subject: "Within the framework …, X".
_FUNCTION_WORDS = _words(
    "when while but and if as after because though although since so then now here there what why how where "
    "who yes no not all both each every some many most more once until unless whether before during "
    "despite following would will could should can did does is are was were has have had do"
)
_INTRO_WORDS = _words(
    "within in at on during after before following speaking addressing meanwhile however also earlier later "
    "separately besides moreover furthermore additionally while when under with for from through by "
    "as amid despite since"
)

# Adverbs and auxiliaries between a speaker and the verb: "Hajiyev also said", "he has said".
_ADVERBS = _words(
    "also further later then again separately earlier previously additionally reportedly has had have "
    "once however had also subsequently recently today yesterday instead still"
)

_DETERMINERS = _words("a an the their its his her one two three several some many other senior top our this that these")
_NP_STOPS = _words(
    "and or but that which who whom whose was were is are be been has have had will would can could may might "
    "should must did do does to in on at by with from as than not after before when while if because told "
    "during into over under what how why where"
)
_NAME_PARTICLES = _words("de da van von al el bin ibn ul der du la le")
_CONNECTORS = _words("of the for and") | _NAME_PARTICLES
_THAT = frozenset(("that", "что", "ki"))
_APPOSITION_STARTS = _words("a an the who which whose")
# Speaking nouns that name a person (the others name an organisation or a group).
_PERSON_NOUNS = _words(
    "spokesperson spokesman spokeswoman official minister president ambassador chairman chairwoman chair chief "
    "head director secretary governor mayor leader aide adviser advisor editor lawyer attorney counsel envoy "
    "commander manager founder ceo executive professor senator deputy министр глава президент председатель "
    "представитель пресс-секретарь директор руководитель посол аким bakan başkan cumhurbaşkanı sözcü nazir "
    "sədr prezident köməkçi rəhbər direktor vazir rais rahbar hokim"
)
_PREPOSITIONS = _words(
    "with to by from for against of about at on into toward towards between among like than under behind via "
    "including alongside upon over through without across near per"
)
_ADJUNCT_WORDS = _words(
    "via citing according in on at during after before referring speaking addressing when while as from to with"
)
_WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday today yesterday tonight")

# Naming words right before an opening mark (title rule) ...
_TITLE_BEFORE = re.compile(
    r"(?:(?<![\w])(?:on|titled|entitled|called|named|dubbed|themed|theme(?:\s+of)?|slogan|motto|hashtag|"
    r"under\s+the\s+(?:title|slogan|motto|theme|heading)(?:\s+of)?|known\s+as|под\s+названием|на\s+тему|"
    r"под\s+девизом|под\s+лозунгом|АО|ТОО|ООО|ОАО|ПАО|ЗАО|НАО|РГП|РГКП|АҚ|ЖШС|МЧЖ|AJ|LLC|JSC|mövzusunda)"
    r"\s*[:,]?\s*)$",
    re.IGNORECASE,
)
# ... and right after a closing mark (Turkish and Azerbaijani postpositions).
_TITLE_AFTER = re.compile(
    r"^\s*(?:adlı|adında|isimli|başlıklı|temalı|konulu|sloganlı|sloganıyla|mottosuyla|başlıqlı|adlı|mövzulu|"
    r"devizi|devizli|nomli|mavzusidagi)(?![\w])",
    re.IGNORECASE,
)

_ABBREVIATIONS = _words(
    "mr mrs ms dr prof st gen col lt sgt capt gov sen rep jan feb mar apr jun jul aug sep sept oct nov dec "
    "no nos inc ltd co corp vs etc jr sr u.s u.k u.n e.g i.e approx т г им ул млн млрд тыс гг проф"
)

_FEMALE_FIRST = _words(
    "elmira sevil makpal aigerim aygerim leyla leila gulnara dinara aida aynur ayşe ayse fatma zeynep elif "
    "emine merve mehriban saida nigora dilnoza maria mariya anna olga elena irina natalia natalya tatiana "
    "svetlana ekaterina yekaterina gulshan gunay günay narmin nərmin sabina lala kamala samira nargiz "
    "madina malika zarina aliya aliye asel aizhan ainur zhanna saule dana sarah jane mary emily hannah "
    "laura linda susan karen nancy lisa margaret elizabeth anne catherine kate julia sophie emma "
    "hillary angela ursula kaja ebru gül gul hülya hulya sibel nurlana"
)
_MALE_FIRST = _words(
    "eldar fahrettin hikmet ilham recep tayyip mevlüt mevlut hakan kassym-jomart kassym shavkat nursultan "
    "mustafa ahmet mehmet ali hasan hüseyin huseyin ibrahim ismail murat omer ömer tokhir tokhirjon "
    "alptekin sergey sergei vladimir dmitry dmitri alexander aleksandr ivan mikhail nikolai john james "
    "robert michael william david richard joseph thomas charles daniel mark paul george peter antony "
    "anthony joe donald emmanuel olaf rustam farid rashad ramil elnur elchin elşən elshan anar vugar "
    "kamran tural orkhan orxan samir azer zaur nurlan yerlan askar bakhyt erlan timur bakhtiyor "
    "aziz jamshid sardor ulugbek abdulla bekzod"
)
_MALE_PRONOUNS = _words("he him his himself он его ему им нём нем")
_FEMALE_PRONOUNS = _words("she her hers herself она её ее ей ней")
_FEMALE_TITLES = _words(
    "ms ms. mrs mrs. miss madam mme hanım xanım ханым г-жа госпожа actress mother wife woman daughter sister "
    "queen princess spokeswoman chairwoman businesswoman congresswoman grandmother girl"
)
_MALE_TITLES = _words(
    "mr mr. bey bəy г-н господин actor father husband son brother king prince spokesman chairman businessman "
    "congressman grandfather boy"
)

_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_][\w’'ʼ\-]*")  # U.S. and D.C. keep their stops
_SENTENCE_FINAL = ".!?…"
_MASK = "\x00"

# ---------------------------------------------------------------------------------------------
# Records used while scanning
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    """One pair of quote marks: offsets of the opening and closing mark (close == end if unclosed)."""

    open: int
    close: int
    closed: bool
    paragraph: int


@dataclass(frozen=True)
class _Speaker:
    """A speaker as written, and who it resolved to."""

    surface: str | None
    position: int
    entity_id: str | None
    name: str | None
    entity_type: str | None


@dataclass(frozen=True)
class _Cue:
    """One cue verb occurrence with its category and its sentence."""

    start: int
    end: int
    text: str
    category: str
    sentence: tuple[int, int]


@dataclass(frozen=True)
class _Attribution:
    """A cue with its speaker and, for reported speech, the reported clause."""

    cue: _Cue
    speaker: _Speaker
    clause: tuple[int, int] | None
    start: int
    """Where the attribution's words start: the written speaker before the verb, else the verb."""


@dataclass(frozen=True)
class _Candidate:
    """A person or organisation named in the body, for resolving pronouns and surnames."""

    start: int
    end: int
    entity_type: str
    entity_id: str | None
    name: str
    surface: str
    role: str | None = None


# ---------------------------------------------------------------------------------------------
# Cue lexicon
# ---------------------------------------------------------------------------------------------


def _apostrophes(text: str) -> str:
    return re.sub("[’'ʼ‘`]", "'", text)


@lru_cache(maxsize=65536)
def _folded(word: str) -> str:
    """A word's lookup key: apostrophes unified, then ``fold_key``."""
    return fold_key(_apostrophes(word))


@cache
def _cue_table() -> dict[str, str]:
    """Map every cue phrase, as folded words joined by one space, to its category."""
    table: dict[str, str] = {}
    for word in _EN_SAY.split():
        table[word] = _SAY
    for word in (*_EN_VERB.split(), *_EN_VERB_MULTI):
        table[word] = _VERB
    for word in (*_EN_PART.split(), *_EN_PART_MULTI):
        table[word] = _PART
    table["saying"] = _PART_BARE
    for word in _EN_CALLED.split():
        table[word] = _CALLED
    table["according to"] = _ACCORDING
    table["по словам"] = _ACCORDING
    for pronoun in ("его", "ее", "её", "их"):
        table[f"по {pronoun} словам"] = _ACCORDING  # "По его словам, …": he is the speaker
    for stem in _RU_STEMS.split():
        for form in (stem, stem + "а", stem + "и"):
            table[form] = _VERB
    for word in _RU_PRESENT.split():
        table[word] = _VERB
    for word in _RU_PART.split():
        table[word] = _PART
    for phrase in _TURKIC_VERBS.split("|"):
        table[phrase] = _TURKIC
    return {" ".join(_folded(w) for w in k.split()): v for k, v in table.items()}


@cache
def _cue_widths() -> dict[str, int]:
    """For every first word of a cue phrase, the most words a phrase starting with it has."""
    widths: dict[str, int] = {}
    for phrase in _cue_table():
        words = phrase.split()
        widths[words[0]] = max(widths.get(words[0], 0), len(words))
    return widths


def _cue_category(text: str) -> str | None:
    return _cue_table().get(" ".join(_folded(w) for w in text.split()))


# ---------------------------------------------------------------------------------------------
# Quoted spans, masking and sentences
# ---------------------------------------------------------------------------------------------


def _paragraphs(body: str) -> list[tuple[int, int]]:
    """Return the (start, end) of every non-empty paragraph (blocks between blank lines)."""
    spans = []
    start = 0
    for match in re.finditer(r"\n\s*\n", body):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(body)))
    return [(s, e) for s, e in spans if body[s:e].strip()]


def _is_boundary_before(text: str, i: int) -> bool:
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-/“«„‘\"'"


def _is_boundary_after(text: str, i: int) -> bool:
    return i + 1 >= len(text) or not text[i + 1].isalnum()


def _find_close(text: str, i: int, end: int) -> int | None:
    mark = text[i]
    if mark == "«":
        depth = 0
        for j in range(i, end):
            if text[j] == "«":
                depth += 1
            elif text[j] == "»":
                depth -= 1
                if depth == 0:
                    return j
        return None
    if mark == "‘":
        for j in range(i + 1, end):
            if text[j] == "’" and not text[j - 1].isspace() and _is_boundary_after(text, j):
                return j
        return None
    # A straight mark may close a curly one and the other way round (“…" and "…”), but only
    # when the proper closing mark does not come.
    closers = {'"': '"”', "“": '”"', "„": "“”", "‹": "›"}[mark]
    for closer in closers:
        for j in range(i + 1, end):
            if text[j] == closer:
                return j
    return None


def _quoted_spans(body: str, paragraphs: Sequence[tuple[int, int]]) -> list[_Span]:
    """Pair quote marks paragraph by paragraph; an unclosed “ « „ runs to the paragraph end."""
    spans: list[_Span] = []
    for index, (start, end) in enumerate(paragraphs):
        i = start
        while i < end:
            mark = body[i]
            opens = mark in "“«„‹" or (mark in '‘"' and _is_boundary_before(body, i))
            if not opens or i + 1 >= end or body[i + 1].isspace():
                i += 1
                continue
            close = _find_close(body, i, end)
            if close is None:
                if mark in "“«„":
                    spans.append(_Span(i, end, False, index))
                    break
                i += 1
                continue
            if close > i + 1:
                spans.append(_Span(i, close, True, index))
            i = close + 1
    return spans


def _masked(body: str, spans: Iterable[_Span]) -> str:
    """Replace the text inside quote marks by a mask character, keeping every offset."""
    chars = list(body)
    for span in spans:
        for j in range(span.open + 1, span.close):
            if chars[j] != "\n":
                chars[j] = _MASK
    return "".join(chars)


def _abbreviation_before(masked: str, i: int) -> bool:
    j = i
    while j > 0 and (masked[j - 1].isalnum() or masked[j - 1] in ".-"):
        j -= 1
    word = masked[j:i].casefold()
    return (len(word) == 1 and word.isalpha()) or word in _ABBREVIATIONS


def _sentences(body: str, masked: str, paragraph: tuple[int, int], spans: Sequence[_Span]) -> list[tuple[int, int]]:
    """Split a paragraph into sentences at . ! ? … outside quote marks (and after a quote ending one)."""
    start, end = paragraph
    closes = {s.close: s for s in spans if s.closed}
    sentences = []
    current = start
    i = start
    while i < end:
        ch = masked[i]
        split_at = None
        if (ch in _SENTENCE_FINAL and not (ch == "." and _abbreviation_before(masked, i))) or (
            i in closes and body[i - 1] in _SENTENCE_FINAL
        ):
            split_at = i + 1
        if split_at is not None:
            while split_at < end and masked[split_at] in _SENTENCE_FINAL + ')”»’"':
                split_at += 1
            rest = masked[split_at:end].lstrip()
            spaced = split_at >= end or masked[split_at].isspace()
            if spaced and (not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] in '“«„‘"—–-'):
                sentences.append((current, split_at))
                current = split_at
                while current < end and masked[current].isspace():
                    current += 1
                i = current
                continue
        i += 1
    if current < end:
        sentences.append((current, end))
    return sentences


def _sentence_of(sentences: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    for sentence in sentences:
        if sentence[0] <= pos < sentence[1]:
            return sentence
    return sentences[-1]


# ---------------------------------------------------------------------------------------------
# Tokens and noun phrases
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return _folded(self.text)

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper() or (self.text[0].isdigit() and any(c.isupper() for c in self.text))


def _tokens(masked: str, start: int, end: int) -> list[_Token]:
    return [_Token(start + m.start(), start + m.end(), m.group()) for m in _TOKEN.finditer(masked[start:end])]


def _possessive_stem(text: str) -> str:
    """Strip an English possessive or a Turkic case suffix after an apostrophe: Turkey’s, Altun'un."""
    return re.split("[’'ʼ]", text, maxsplit=1)[0]


def _is_possessive(text: str) -> bool:
    return bool(re.search("[’'ʼ][sS]$", text)) or text.endswith(("s’", "s'"))


def _is_abbreviation(token: _Token) -> bool:
    return token.key.rstrip(".") in _ABBREVIATIONS or (len(token.text) == 1 and token.text.isupper())


def _joined(masked: str, left: _Token, right_start: int) -> bool:
    """Tell whether only spaces (or the full stop of an abbreviation such as Mr.) separate two words."""
    gap = masked[left.end : right_start].strip()
    return not gap or (gap == "." and _is_abbreviation(left))


def _run_before(masked: str, pos: int, floor: int) -> list[_Token]:
    """Tokens right before pos, back to the first punctuation (possessives and hyphens stay inside)."""
    tokens = _tokens(masked, floor, pos)
    run: list[_Token] = []
    limit = pos
    for token in reversed(tokens):
        if not _joined(masked, token, limit):
            break
        run.append(token)
        limit = token.start
    run.reverse()
    return run


def _run_after(masked: str, pos: int, ceiling: int) -> list[_Token]:
    """Tokens right after pos, up to the first punctuation."""
    tokens = _tokens(masked, pos, ceiling)
    run: list[_Token] = []
    limit = pos
    for token in tokens:
        if run and not _joined(masked, run[-1], token.start):
            break
        if not run and masked[limit : token.start].strip(" ,—–-"):
            break
        run.append(token)
        limit = token.end
    return run


def _is_pronoun(token: _Token) -> bool:
    """he, she, он … (also he’d, she’s)."""
    return token.key in _PRONOUNS or fold_key(_possessive_stem(token.text)) in {"he", "she", "they", "it"}


def _is_speaker_noun(token: _Token) -> bool:
    return _speaker_noun(token) is not None


def _speaker_noun(token: _Token) -> str | None:
    """The speaking noun a word is, in its lexicon form: министра → министр, Bakan'ın → bakan."""
    key = fold_key(_possessive_stem(token.text))
    if key in _SPEAKER_NOUNS:
        return key
    if re.fullmatch("[а-яёәғқңөұүһі-]+", key):
        for form in (key[:-1], key[:-2], key[:-1] + "о", key[:-2] + "о", key[:-1] + "ь"):
            if form in _SPEAKER_NOUNS:
                return form
    return None


def _trim_np(tokens: list[_Token]) -> list[_Token]:
    """Drop leading determiners and connectors and trailing connectors from a noun phrase."""
    while tokens and (tokens[0].key in _CONNECTORS or tokens[0].key in _DETERMINERS):
        tokens = tokens[1:]
    while tokens and tokens[-1].key in _CONNECTORS:
        tokens = tokens[:-1]
    return tokens


def _np_before(masked: str, pos: int, floor: int, loose: bool = False) -> list[_Token] | None:
    """The speaker's noun phrase that ends right before a finite cue at pos, or None.

    With ``loose`` (for said/told), any short noun phrase that starts with a determiner will do:
    "the singer and guitarist told".
    """
    run = _run_before(masked, pos, floor)
    while run and (run[-1].key in _ADVERBS or (run[-1].text.islower() and run[-1].key.endswith("ly"))):
        run = run[:-1]
    if len(run) >= 2 and run[-1].key in _WEEKDAYS and run[-2].key in {"on", "last", "this"}:
        run = run[:-2]
    while run and run[-1].key in _ADVERBS:
        run = run[:-1]
    if not run:
        return None
    last = run[-1]
    if _is_pronoun(last):
        return [last] if last.text[0].isupper() == (last.start == floor) or last.text.islower() else None
    if last.capitalised:
        chain = [last]
        for token in reversed(run[:-1]):
            if token.capitalised or token.key in _CONNECTORS:
                chain.insert(0, token)
            else:
                break
        head = run[len(run) - len(chain) - 1] if len(run) > len(chain) else None
        if chain[0].key in {"of", "for"} and head is not None and head.key not in _NP_STOPS:
            # "friends of Mike Ford", "a spokesman for the ministry": the noun before is the head.
            phrase = [head, *chain]
            index = len(run) - len(chain) - 2
            if index >= 0 and run[index].key in _DETERMINERS:
                phrase.insert(0, run[index])
            return phrase
        chain = _trim_np(chain)
        while chain and chain[0].start == floor and chain[0].key in _NOT_NAME_WORDS and len(chain) > 1:
            chain = _trim_np(chain[1:])
        if len(chain) == 1 and chain[0].key in _NOT_NAME_WORDS - _SPEAKER_NOUNS:
            return None  # "Today said", "Tuesday said"
        return chain or None
    if _is_speaker_noun(last):
        phrase = [last]
        for token in reversed(run[:-1]):
            if token.key in _DETERMINERS:
                phrase.insert(0, token)
                break
            if token.key in _NP_STOPS or _cue_category(token.text) or len(phrase) >= 5:
                break
            phrase.insert(0, token)
        return phrase
    if loose and last.text.islower() and last.key not in _NP_STOPS:
        phrase = [last]
        for token in reversed(run[:-1][-4:]):
            phrase.insert(0, token)
            if token.key in {"the", "a", "an", "his", "her", "their", "its", "one"}:
                return phrase
            if token.capitalised or (token.key in _NP_STOPS and token.key != "and") or _cue_category(token.text):
                return None
    return None


def _np_after(masked: str, pos: int, ceiling: int) -> list[_Token] | None:
    """The speaker's noun phrase right after an inverted cue ending at pos (said Altun, заявил он)."""
    run = _run_after(masked, pos, ceiling)
    if not run:
        return None
    if _is_pronoun(run[0]):
        return [run[0]]
    phrase: list[_Token] = []
    for token in run:
        if token.key in _NP_STOPS - {"of"} or _cue_category(token.text) or len(phrase) >= 8:
            break
        phrase.append(token)
    phrase = _trim_np(phrase)
    if any(t.capitalised or _is_speaker_noun(t) for t in phrase):
        return phrase
    return None


def _subject(masked: str, sentence: tuple[int, int], limit: int) -> list[_Token] | None:
    """The subject of a sentence's main clause, before limit: skips an introductory phrase."""
    start = sentence[0]
    tokens = _tokens(masked, start, limit)
    if not tokens:
        return None
    first = tokens[0]
    if first.key in _INTRO_WORDS or (first.key.endswith("ing") and first.key not in _SPEAKER_NOUNS):
        comma = masked.find(",", start, limit)
        if comma < 0:
            return None
        tokens = _tokens(masked, comma + 1, limit)
        if not tokens:
            return None
        start = comma + 1
    if _is_pronoun(tokens[0]):
        return [tokens[0]]
    chain: list[_Token] = []
    limit_gap = start
    for token in tokens:
        if (chain and not _joined(masked, chain[-1], token.start)) or (
            not chain and masked[limit_gap : token.start].strip()
        ):
            break
        fits = (
            token.capitalised
            or token.key in _CONNECTORS
            or token.key in _ROLE_MODIFIERS
            or _is_speaker_noun(token)
            or (not chain and token.key in _DETERMINERS)
        )
        if not fits:
            break
        chain.append(token)
        limit_gap = token.end
    chain = _trim_np(chain)
    if any(t.capitalised or _is_speaker_noun(t) for t in chain):
        return chain
    return None


# ---------------------------------------------------------------------------------------------
# Names without mentions
# ---------------------------------------------------------------------------------------------


def _adjunct_only(tokens: Sequence[_Token], text: str) -> bool:
    """Tell whether what follows a verb is only where/when/how it was said: "in a statement Saturday"."""
    if not tokens:
        return _MASK not in text and ":" not in text
    return (
        len(tokens) <= 14
        and _MASK not in text
        and not any(t.key in _THAT for t in tokens)
        and (tokens[0].key in _ADJUNCT_WORDS | _WEEKDAYS | {"of", "last", "late", "earlier", "later", "told"})
    )


def _surname(name: str) -> str:
    """The last word of a name, without a suffix such as Jr. or III or a possessive."""
    words = [w for w in name.split() if w.strip(".,").casefold() not in {"jr", "sr", "ii", "iii", "iv"}]
    return _possessive_stem(words[-1]) if words else name


def _is_country_word(word: str) -> bool:
    """A country's name, also with a case ending (Казахстана, Türkiye'nin)."""
    stem = _possessive_stem(word)
    return any(country_code(form) for form in (stem, stem[:-1], stem[:-2]) if len(form) >= 4)


def _same_surname(a: str, b: str) -> bool:
    """Tell whether two folded surnames are one, allowing a case ending: Балаева, Балаевой; Hacıyev, Hacıyevin."""
    if a == b:
        return True
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    shorter, longer = min(len(a), len(b)), max(len(a), len(b))
    if shorter < 5 or longer - common > 3:
        return False
    if re.search("[а-яё]", a + b):
        return common >= shorter - 2  # Балаева, Балаевой
    return common == shorter  # Hacıyev, Hacıyevin; never Martha, Martin


def _looks_like_person(tokens: Sequence[_Token], titled: bool = False) -> bool:
    """Tell whether capitalised words read as a person's name (one word will do after a title)."""
    if not (1 if titled else 2) <= len(tokens) <= 4:
        return False
    if sum(len(t.text.rstrip(".")) > 1 for t in tokens) < (1 if titled else 2):
        return False
    for token in tokens:
        stem = fold_key(_possessive_stem(token.text))
        if len(token.text.rstrip(".")) == 1 and token.text[0].isupper():
            continue  # an initial
        if not token.text[0].isupper() or not re.fullmatch(r"[^\W\d_][^\W\d_’'ʼ\-]*(?:[’'ʼ]\w+)?", token.text):
            return False
        if stem in _NOT_NAME_WORDS or stem in _ORG_HEADS or stem in _TITLE_WORDS or stem in _NAME_PARTICLES:
            return False
        if token.text.isupper() and len(token.text) > 1:
            return False
    return country_code(" ".join(_possessive_stem(t.text) for t in tokens)) is None


def _pieces(chain: Sequence[_Token]) -> list[tuple[list[_Token], str]]:
    """Split a capitalised run into named pieces: titles drop, organisation words end a piece."""
    pieces: list[tuple[list[_Token], str]] = []
    current: list[_Token] = []
    after_title = False
    complement = False  # inside "Minister of …": the words after "of" belong to the title
    org_open = False  # inside "Ministry of …": the piece is an organisation whatever follows

    def flush(kind: str | None = None) -> None:
        nonlocal current, after_title, org_open
        tokens = _trim_np(current)
        titled = after_title
        current = []
        after_title = False
        if org_open:
            kind, org_open = ORGANISATION, False
        if not tokens:
            return
        if complement and kind is None and len(tokens) > 2 and _looks_like_person(tokens[-2:]):
            tokens = tokens[-2:]
        if kind is None and len(tokens) > 2 and _is_country_word(tokens[0].text):
            pieces.append(([tokens[0]], PLACE))
            tokens = tokens[1:]
        if kind is None:
            if any(fold_key(_possessive_stem(t.text)) in _ORG_HEADS for t in tokens) or any(
                t.text.isupper() and len(t.text) > 1 and t.text.isalpha() for t in tokens
            ):
                kind = ORGANISATION
            elif _looks_like_person(tokens, titled):
                kind = PERSON
            elif len(tokens) == 1 and country_code(_possessive_stem(tokens[0].text)):
                kind = PLACE
            else:
                kind = "other"
        pieces.append((tokens, kind))

    for index, token in enumerate(chain):
        key = fold_key(_possessive_stem(token.text))
        if key in _TITLE_WORDS:
            current = []
            after_title = True
            complement = False
            continue
        if after_title and not current and key in {"of", "for"}:
            complement = True
        if key == "and" or (key in {"of", "for", "from", "at"} and _looks_like_person(_trim_np(current))):
            flush()
            continue
        current.append(token)
        following = chain[index + 1 : index + 3]
        continues = len(following) == 2 and following[0].key in {"of", "for", "on"} and following[1].capitalised
        if key in _ORG_HEADS and not continues:
            # "… Operations Company Eldar Rasulov" ends at the head; "Ministry of Foreign Affairs" goes on.
            flush(ORGANISATION)
        elif key in _ORG_HEADS:
            org_open = True
        elif _is_possessive(token.text):
            flush()
    flush()
    return pieces


def _capitalised_runs(masked: str, start: int, end: int) -> list[list[_Token]]:
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    limit = start
    previous: _Token | None = None
    for token in _tokens(masked, start, end):
        gap = masked[limit : token.start]
        joined = not gap.strip() or (previous is not None and _joined(masked, previous, token.start))
        previous = token
        if token.capitalised and joined:
            current.append(token)
        elif token.capitalised:
            if current:
                runs.append(current)
            current = [token]
        elif joined and current and token.key in _CONNECTORS:
            current.append(token)
        else:
            if current:
                runs.append(current)
            current = []
        limit = token.end
    if current:
        runs.append(current)
    cleaned = []
    for run in runs:
        first = run[0]
        before = masked[max(0, first.start - 8) : first.start].rstrip()
        opening = not before or before[-1] in '\n.!?:”"»'
        if len(run) > 1 and (first.key in _FUNCTION_WORDS or (opening and first.key in _NOT_NAME_WORDS)):
            run = run[1:]
        cleaned.append(run)
    return cleaned


def _fallback_candidates(body: str, masked: str, paragraphs: Sequence[tuple[int, int]]) -> list[_Candidate]:
    """Find people and organisations from capitalised runs when no mentions are given."""
    found: list[_Candidate] = []
    for start, end in paragraphs:
        for run in _capitalised_runs(masked, start, end):
            for tokens, kind in _pieces(run):
                if kind not in (PERSON, ORGANISATION):
                    continue
                s, e = tokens[0].start, tokens[-1].end
                text = body[s:e]
                if kind == PERSON:
                    text = _possessive_stem(tokens[-1].text)
                    text = " ".join([*(t.text for t in tokens[:-1]), text])
                    e = s + len(text)
                found.append(_Candidate(s, e, kind, None, text, body[s:e]))
    people = {fold_key(c.name.split()[-1]): c for c in found if c.entity_type == PERSON}
    # A surname on its own ("Altun said") is the person named in full elsewhere.
    covered = {i for c in found for i in range(c.start, c.end)}
    for start, end in paragraphs:
        for token in _tokens(masked, start, end):
            if not token.text[0].isupper() or token.start in covered:
                continue
            stem = _possessive_stem(token.text)
            person = people.get(_folded(stem))
            if person:
                found.append(_Candidate(token.start, token.start + len(stem), PERSON, None, person.name, stem))
    return sorted(found, key=lambda c: c.start)


def _mention_candidates(mentions: Sequence[Mention]) -> list[_Candidate]:
    return sorted(
        (
            _Candidate(m.char_start, m.char_end, m.entity_type, m.entity_id, m.canonical_name, m.surface, m.role)
            for m in mentions
        ),
        key=lambda c: c.start,
    )


def _gender(candidate: _Candidate, body: str) -> str | None:
    """Guess a person's gender from a title before the name, the first name or the surname's ending."""
    before = body[max(0, candidate.start - 40) : candidate.start].split()[-4:]
    for word in reversed(before):
        title = word.casefold().strip(",;:()’'")
        if title in _FEMALE_TITLES:
            return "f"
        if title in _MALE_TITLES:
            return "m"
    for name in (candidate.name, candidate.surface):
        words = [fold_key(w) for w in re.findall(r"[^\W\d_][\w\-]*", name)]
        if not words:
            continue
        if words[0] in _FEMALE_FIRST:
            return "f"
        if words[0] in _MALE_FIRST:
            return "m"
        if len(words) >= 2 or len(words[0]) > 4:
            last = words[-1]
            if last.endswith(("ova", "eva", "yeva", "ina", "yna", "kaya", "skaya", "qızı", "qizi", "kyzy")):
                return "f"
            if last.endswith(("ov", "ev", "yev", "in", "sky", "skiy", "oğlu", "oglu", "uly", "ulu")):
                return "m"
    return None


# ---------------------------------------------------------------------------------------------
# The extractor
# ---------------------------------------------------------------------------------------------


class _Extractor:
    """State for one article: body, masked body, quoted spans, sentences, candidates."""

    def __init__(self, article: ArticleText, mentions: Sequence[Mention]) -> None:
        self.article = article
        self.body = body = article.body
        self.paragraphs = _paragraphs(body)
        self.spans = _quoted_spans(body, self.paragraphs)
        self.masked = _masked(body, self.spans)
        self.sentences = [_sentences(body, self.masked, p, self.spans) for p in self.paragraphs]
        self.mentions = _mention_candidates([m for m in mentions if 0 <= m.char_start < m.char_end <= len(body)])
        fallback = _fallback_candidates(body, self.masked, self.paragraphs)
        # Names the mentions missed (a mention-less article, or a surname the entity stage did not
        # tag) still count, wherever no mention covers them.
        taken = [(c.start, c.end) for c in self.mentions]
        extra = [c for c in fallback if not any(s < c.end and c.start < e for s, e in taken)]
        self.candidates = sorted([*self.mentions, *extra], key=lambda c: c.start)
        self.fallback = fallback
        self.speakers: list[_Candidate] = []
        self.genders: dict[str, str | None] = {}
        self.cue_cache: dict[int, list[_Cue]] = {}
        self.surname_cache: dict[tuple[str, int], _Candidate | None] = {}
        self.sentence_starts_sorted = sorted(s for sentences in self.sentences for s, _ in sentences) or [0]
        self.learned = self.learn_genders()

    # -- helpers -------------------------------------------------------------------------------

    def inside_quote(self, start: int, end: int) -> bool:
        return any(s.open < start and end <= s.close for s in self.spans)

    def sentence(self, paragraph: int, pos: int) -> tuple[int, int]:
        return _sentence_of(self.sentences[paragraph], pos)

    def words(self, start: int, end: int) -> int:
        return len(re.findall(r"[^\W_][\w’'\-]*", self.body[start:end]))

    # -- speakers ------------------------------------------------------------------------------

    def resolve(self, tokens: Sequence[_Token] | None, position: int, prefer_last: bool = True) -> _Speaker | None:
        """Resolve a written speaker (a pronoun, a name or a speaking noun) to an entity."""
        if not tokens:
            return None
        if len(tokens) == 1 and _is_pronoun(tokens[0]):
            return self.resolve_pronoun(tokens[0].text, tokens[0].start)
        start, end = tokens[0].start, tokens[-1].end
        # "of" or "for" with nothing after it ("the head of said") joins nothing.
        joint = next(
            (
                i
                for i, t in enumerate(tokens)
                if 0 < i < len(tokens) - 1 and t.key in {"of", "for"} and not tokens[i - 1].capitalised
            ),
            None,
        )
        if joint is not None:
            # "friends of Mike Ford" are not Mike Ford; "a spokesman for the ministry" speaks for it.
            complement = tokens[joint + 1 :]
            c_start, c_end = complement[0].start, complement[-1].end
            orgs = [
                c
                for c in [*self.mentions, *self.fallback]
                if c.entity_type == ORGANISATION and c.start < c_end and c_start < c.end
            ]
            org = min(orgs, key=lambda c: c.start) if orgs else None
            return _Speaker(
                self.body[start:end],
                start,
                org.entity_id if org else None,
                org.name if org else None,
                ORGANISATION if org else None,
            )
        # "China's commerce ministry", "the president": the head is a speaking noun, so a
        # place inside is only a modifier; a person or organisation named inside still counts.
        headed = not tokens[-1].capitalised and _is_speaker_noun(tokens[-1])
        inside = [
            c
            for c in self.mentions
            if c.start < end
            and start < c.end
            and not self.inside_quote(c.start, c.end)
            and not (headed and re.match(r"[’'ʼ]s\b", self.body[c.end : c.end + 2]))
        ]
        chosen = self.pick(inside, prefer_last)
        # "Morrison's lawyer said": the possessor is not the speaker.
        own = [t for t in tokens if not (headed and _is_possessive(t.text))]
        if (chosen is None or chosen.entity_type != PERSON) and own:
            # A name tagged as a place ("Hamilton said") is a person when it reads as one.
            person = self.pick_fallback(own, prefer_last)
            if chosen is None or (
                person is not None
                and person.entity_type == PERSON
                and not headed
                # a place that reads as a person's name is one ("Hamilton said"); an organisation mention
                # over the same words knows better than capitalisation ("Big Machine says")
                and (chosen.entity_type == PLACE or not (person.start < chosen.end and chosen.start < person.end))
            ):
                chosen = person
        if chosen is not None and headed and chosen.entity_type == PLACE:
            chosen = None
        if chosen is None and headed:
            antecedent = self.antecedent(tokens, start)
            if antecedent is not None:
                kind = antecedent.entity_type
                return _Speaker(self.body[start:end], start, antecedent.entity_id, antecedent.name, kind)
        if chosen is None:
            if headed or all(_is_speaker_noun(t) or not t.capitalised for t in _trim_np(list(tokens))):
                return _Speaker(self.body[start:end], start, None, None, None)
            if any(t.key in _NOT_NAME_WORDS for t in tokens[-1:]):
                return None
            if len(tokens) == 1 and tokens[0].start in self.sentence_starts() and self.is_common_word(tokens[0]):
                return None
            name = " ".join([*(t.text for t in tokens[:-1]), _possessive_stem(tokens[-1].text)])
            return _Speaker(self.body[start:end], start, None, name, None)
        surface_start = chosen.start
        before = self.body[max(start, chosen.start - 40) : chosen.start]
        possessor = re.search(r"([^\W\d_][\w\-]*[’'ʼ]s\s+)$", before)
        if chosen.entity_type == ORGANISATION and possessor:
            surface_start = chosen.start - len(possessor.group(1))
        surface = self.body[max(start, surface_start) : min(end, chosen.end)] or chosen.surface
        return _Speaker(surface, chosen.start, chosen.entity_id, chosen.name, chosen.entity_type)

    def antecedent(self, tokens: Sequence[_Token], position: int) -> _Candidate | None:
        """Resolve "the ministry", "the minister", "министра" to the last organisation or person it names.

        English needs the definite article (``Analysts said`` stays unresolved); Cyrillic and
        Turkic nouns, which have no article, count on their own.
        """
        words = list(tokens)
        head = _speaker_noun(words[-1])
        if head is None or len(words) > 2:
            return None
        if len(words) == 2 and words[0].key not in {"the", "this"}:
            return None
        if len(words) == 1 and re.fullmatch(r"[a-z\-]+", words[0].key):
            return None
        stem = head[: max(4, len(head) - 2)]
        pool = sorted(
            (
                c
                for c in {*self.candidates, *self.fallback}
                if c.end <= position and not self.inside_quote(c.start, c.end)
            ),
            key=lambda c: (c.start, c.entity_id is not None, c.end),
        )
        wants = PERSON if head in _TITLE_WORDS or head in _PERSON_NOUNS else ORGANISATION
        for candidate in reversed(pool):
            if candidate.entity_type != wants:
                continue
            if candidate.entity_type == ORGANISATION and stem in fold_key(f"{candidate.name} {candidate.surface}"):
                return candidate
            if candidate.entity_type == PERSON:
                sentence_start = self.body.rfind("\n", 0, candidate.start) + 1
                lead = self.body[max(sentence_start, candidate.start - 60) : candidate.start]
                if stem in fold_key(f"{candidate.role or ''} {lead}"):
                    return self.full_name(candidate)
        return None

    def sentence_starts(self) -> set[int]:
        return {s for sentences in self.sentences for s, _ in sentences}

    def is_common_word(self, token: _Token) -> bool:
        word = token.text.casefold()
        return (
            bool(re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", self.masked))
            and token.text not in self.masked[token.end :]
        )

    def pick(self, candidates: Sequence[_Candidate], prefer_last: bool) -> _Candidate | None:
        for kind in (PERSON, ORGANISATION, PLACE):
            of_kind = [c for c in candidates if c.entity_type == kind]
            if of_kind:
                chosen = of_kind[-1] if prefer_last else of_kind[0]
                if kind == PERSON and chosen.surface.count(" ") == 0:
                    return self.full_name(chosen)
                return chosen
        return None

    def pick_fallback(self, tokens: Sequence[_Token], prefer_last: bool) -> _Candidate | None:
        """Resolve a written name with no mention inside it: pieces of it, or a surname seen in full."""
        found: list[_Candidate] = []
        for run in _capitalised_runs(self.masked, tokens[0].start, tokens[-1].end):
            for piece, kind in _pieces(run):
                s, e = piece[0].start, piece[-1].end
                if kind == PERSON:
                    stem = _possessive_stem(piece[-1].text)
                    e = piece[-1].start + len(stem)
                    found.append(self.full_name(_Candidate(s, e, PERSON, None, self.body[s:e], self.body[s:e])))
                elif kind in (ORGANISATION, PLACE):
                    found.append(_Candidate(s, e, kind, None, self.body[s:e], self.body[s:e]))
                elif len(piece) == 1 and piece[0].text[0].isupper():
                    stem = _possessive_stem(piece[0].text)
                    known = self.by_surname(stem)
                    if known:
                        found.append(replace(known, start=s, end=s + len(stem), surface=stem))
        return self.pick(found, prefer_last)

    def by_surname(self, surname: str) -> _Candidate | None:
        """The person mention (else the fullest name found) whose last word is this surname."""
        key = fold_key(surname)
        cached = self.surname_cache.get((key, len(self.speakers)))
        if cached is not None or (key, len(self.speakers)) in self.surname_cache:
            return cached
        self.surname_cache[(key, len(self.speakers))] = found = self.find_surname(key)
        return found

    def find_surname(self, key: str) -> _Candidate | None:
        for pool in (self.mentions, self.fallback, self.speakers):
            matches = [
                c
                for c in pool
                if c.entity_type == PERSON
                and any(_same_surname(key, _folded(_surname(name))) for name in (c.name, c.surface))
            ]
            if matches:
                return max(matches, key=lambda c: (len(c.name.split()), c.entity_id is not None))
        return None

    def full_name(self, candidate: _Candidate) -> _Candidate:
        """Prefer a mention's entity (else a fuller name) for a person written by surname only."""
        if candidate.entity_id is not None and candidate.name.count(" ") > 0:
            return candidate
        # A remembered "he" stands for its name: look the name up, never the pronoun.
        written = candidate.surface if fold_key(candidate.surface) not in _PRONOUNS else candidate.name
        known = self.by_surname(_surname(written))
        if known and (known.entity_id is not None or len(known.name.split()) > len(candidate.name.split())):
            return replace(known, start=candidate.start, end=candidate.end, surface=candidate.surface)
        return candidate

    def resolve_pronoun(self, pronoun: str, position: int, gender: str | None = None) -> _Speaker:
        """Resolve a pronoun (or a missing subject) to the last fitting person or organisation before it."""
        wanted = _PRONOUNS.get(fold_key(pronoun), "any") if pronoun else "any"
        if gender and wanted in ("m", "f", "any"):
            wanted = gender
        pool = [c for c in [*self.candidates, *self.speakers] if c.end <= position]
        pool = [c for c in pool if not self.inside_quote(c.start, c.end)]
        pool.sort(key=lambda c: c.start)
        chosen: _Candidate | None = None
        if wanted == "org":
            chosen = self.organisation_before(pool, position)
        else:
            fitting = [
                c
                for c in pool
                if c.entity_type == PERSON and not (wanted in ("m", "f") and self.gender(c) not in (None, wanted))
            ]
            if fitting:
                # The nearest sentence that names a fitting person; in it, the first person who is not
                # the object of a preposition ("… call with President Zelensky. He said" is not Zelensky).
                sentence = self.sentence_start(fitting[-1].start)
                same = [c for c in fitting if self.sentence_start(c.start) == sentence]
                possessors = [c for c in same if re.match(r"[’'ʼ]s\b", self.body[c.end : c.end + 2])]
                subjects = [c for c in same if c not in possessors and not self.prepositional(c)]
                # With no subject, a possessor ("Taylor Swift's albums were released through …")
                # is likelier than the object of a preposition.
                chosen = subjects[0] if subjects else possessors[0] if possessors else same[-1]
        if chosen is None:
            return _Speaker(pronoun or None, position, None, None, None)
        if chosen.entity_type == PERSON:
            chosen = self.full_name(chosen)
            if wanted in ("m", "f") and self.genders.get(fold_key(chosen.name)) is None:
                self.genders[fold_key(chosen.name)] = wanted
        return _Speaker(pronoun or None, position, chosen.entity_id, chosen.name, chosen.entity_type)

    def organisation_before(self, pool: Sequence[_Candidate], position: int) -> _Candidate | None:
        """For it/they: the nearest sentence's organisation, or its capitalised subject ("Big Machine have …")."""
        starts = [s for s in self.sentence_starts_sorted if s <= position][-3:]
        for start in reversed(starts):
            end = next((s for s in self.sentence_starts_sorted if s > start), len(self.body))
            orgs = [c for c in pool if c.entity_type == ORGANISATION and start <= c.start < min(end, position)]
            subjects = [c for c in orgs if not self.prepositional(c)]
            if subjects or orgs:
                return (subjects or orgs)[0]
            paragraph = next(i for i, (p_start, p_end) in enumerate(self.paragraphs) if p_start <= start <= p_end)
            subject = _subject(self.masked, self.sentence(paragraph, start), min(end, position))
            if (
                subject
                and all(t.capitalised for t in subject)
                and subject[-1].key not in _NOT_NAME_WORDS | _FUNCTION_WORDS
                and subject[0].key not in _FUNCTION_WORDS
                and not _is_pronoun(subject[0])
                and not (len(subject) == 1 and self.is_common_word(subject[0]))
                and not self.is_person(subject)
                and not any(c.entity_type in (PERSON, PLACE) for c in self.candidates if c.start == subject[0].start)
            ):
                text = self.body[subject[0].start : subject[-1].end]
                return _Candidate(subject[0].start, subject[-1].end, ORGANISATION, None, text, text)
        return None

    def sentence_start(self, position: int) -> int:
        index = bisect.bisect_right(self.sentence_starts_sorted, position) - 1
        return self.sentence_starts_sorted[max(0, index)]

    def prepositional(self, candidate: _Candidate) -> bool:
        """Tell whether a name is the object of a preposition: "with Ukrainian President Volodymyr Zelensky"."""
        floor = self.sentence_start(candidate.start)
        modifiers = 0  # lowercase words of a title: "by talent manager Scooter Braun"
        limit = candidate.start
        for token in reversed(_tokens(self.masked, floor, candidate.start)):
            if self.masked[token.end : limit].strip(" ."):
                return False  # punctuation or a quote between: "… jam “Black Water,” Simmons teed up"
            limit = token.start
            if (
                token.capitalised
                or token.key in _TITLE_WORDS
                or token.key in _ROLE_MODIFIERS
                or _is_possessive(token.text)
                or token.key in _DETERMINERS
            ):
                continue
            if modifiers < 2 and token.key not in _PREPOSITIONS | _NP_STOPS and not _cue_category(token.text):
                modifiers += 1
                continue
            return token.key in _PREPOSITIONS
        return False

    def gender(self, candidate: _Candidate) -> str | None:
        """A person's gender from any place the text names them, or from an earlier he/she."""
        key = fold_key(candidate.name)
        if key not in self.genders:
            found = None
            for other in (*self.candidates, *self.fallback):
                if other.entity_type == PERSON and fold_key(other.name) == key:
                    found = _gender(other, self.body)
                    if found:
                        break
            self.genders[key] = found or _gender(candidate, self.body) or self.learned.get(key)
        return self.genders[key]

    def learn_genders(self) -> dict[str, str]:
        """Genders from sentences that name one person and use only he/his or only she/her after the name."""
        learned: dict[str, str] = {}
        for paragraph in self.sentences:
            for start, end in paragraph:
                people = [
                    c
                    for c in self.candidates
                    if c.entity_type == PERSON and start <= c.start < end and not self.inside_quote(c.start, c.end)
                ]
                if len({fold_key(c.name) for c in people}) != 1:
                    continue
                words = {t.key for t in _tokens(self.masked, people[0].end, end)}
                male, female = bool(words & _MALE_PRONOUNS), bool(words & _FEMALE_PRONOUNS)
                if male != female:
                    learned.setdefault(fold_key(people[0].name), "m" if male else "f")
        return learned

    def remember(self, speaker: _Speaker) -> None:
        if speaker.name and speaker.entity_type == PERSON and speaker.surface:
            self.speakers.append(
                _Candidate(
                    speaker.position,
                    speaker.position + len(speaker.surface),
                    PERSON,
                    speaker.entity_id,
                    speaker.name,
                    speaker.surface,
                )
            )

    # -- cues ----------------------------------------------------------------------------------

    def cues(self, paragraph: int) -> list[_Cue]:
        """The cue verbs of a paragraph, outside quote marks (computed once per paragraph)."""
        if paragraph not in self.cue_cache:
            self.cue_cache[paragraph] = self.find_cues(paragraph)
        return self.cue_cache[paragraph]

    def find_cues(self, paragraph: int) -> list[_Cue]:
        start, end = self.paragraphs[paragraph]
        table = _cue_table()
        widths = _cue_widths()
        tokens = _tokens(self.masked, start, end)
        found = []
        index = 0
        while index < len(tokens):
            # The longest phrase of up to 3 words, separated by spaces only, that is a cue.
            match: tuple[int, str] | None = None
            longest = widths.get(tokens[index].key, 0)
            for width in range(longest, 0, -1):
                words = tokens[index : index + width]
                if len(words) < width or any(self.masked[a.end : b.start].strip() for a, b in pairwise(words)):
                    continue
                category = table.get(" ".join(t.key for t in words))
                if category is not None:
                    match = (width, category)
                    break
            if match is None:
                index += 1
                continue
            width, category = match
            first, last = tokens[index], tokens[index + width - 1]
            index += width
            sentence = self.sentence(paragraph, first.start)
            # A capitalised cue is a name ("Said"), unless it opens the sentence: "Saying that", "По словам".
            if first.text[0].isupper() and (
                category not in (_PART, _PART_BARE, _ACCORDING) or first.start != sentence[0]
            ):
                continue
            if re.search(r"(?<![\w])to\s+$", self.masked[max(start, first.start - 4) : first.start]):
                continue  # "went on to say", "shifted his account to say"
            found.append(_Cue(first.start, last.end, self.body[first.start : last.end], category, sentence))
        return found

    def attribute(self, cue: _Cue, paragraph: int, found: Sequence[_Attribution]) -> _Attribution | None:
        """Find a cue's speaker and reported clause; None when it has no plausible speaker."""
        s_start, s_end = cue.sentence
        masked = self.masked
        text_end = s_end
        while text_end > s_start and masked[text_end - 1] in _SENTENCE_FINAL + " ":
            text_end -= 1
        if cue.category == _TURKIC:
            return self.attribute_turkic(cue, paragraph, found)
        speaker: _Speaker | None
        if cue.category == _ACCORDING and len(cue.text.split()) == 3:
            # "По его словам, …" / "по её словам": the pronoun in the cue is the speaker.
            pronoun = fold_key(cue.text.split()[1])
            said_by = self.resolve_pronoun("он" if pronoun == "его" else "они" if pronoun == "их" else "она", cue.start)
            said_by = replace(said_by, surface=cue.text.split()[1])
            comma = masked.find(",", cue.end, s_end)
            return _Attribution(cue, said_by, self.trim((comma + 1, text_end)) if comma >= 0 else None, cue.start)
        if cue.category == _ACCORDING:
            np = _np_after(masked, cue.end, s_end)
            if np and not any(t.capitalised for t in np):
                # "According to his aunt, Jane Starner, …": the name after the comma.
                named = _np_after(masked, np[-1].end, s_end)
                if named and masked[np[-1].end : named[0].start].strip() == "," and self.is_person(named):
                    np = named
            speaker = self.resolve(np, cue.start, prefer_last=False)
            if speaker is None and np:
                speaker = _Speaker(self.body[np[0].start : np[-1].end], np[0].start, None, None, None)
            if speaker is None:
                return None
            if cue.start == s_start:
                comma = masked.find(",", np[-1].end if np else cue.end, s_end)
                clause = (comma + 1, text_end) if comma >= 0 else None
            else:
                clause = (s_start, cue.start)
            return _Attribution(cue, speaker, self.trim(clause), cue.start)
        if cue.category in (_PART, _PART_BARE):
            previous = [
                a
                for a in found
                if a.cue.sentence == cue.sentence
                and a.cue.start < cue.start
                and not any(b.clause and b.clause[0] <= a.cue.start < b.clause[1] for b in found if b is not a)
            ]
            if previous:
                speaker = previous[-1].speaker
            elif cue.start == s_start:
                later = self.first_finite_after(cue, paragraph)
                speaker = later.speaker if later else None
            else:
                speaker = self.resolve(_subject(masked, cue.sentence, cue.start), cue.start)
            if speaker is None:
                return None
            clause_start = self.after_that(cue, required=cue.category == _PART)
            if clause_start is None:
                return _Attribution(cue, speaker, None, cue.start)
            clause_end = text_end
            if cue.start == s_start:
                later = self.first_finite_after(cue, paragraph)
                if later is None:
                    return None
                clause_end = later.speaker.position
            return _Attribution(cue, speaker, self.trim((clause_start, clause_end)), cue.start)
        # Finite verbs: "X said …", "…, said X", "Как отметил X, …", "X called the platform “…”".
        if s_start <= cue.start - 4 and masked[s_start : cue.start].strip().casefold() == "как":
            np = _np_after(masked, cue.end, s_end)
            speaker = self.resolve(np, cue.start, prefer_last=False)
            if speaker is None or not np:
                return None
            comma = masked.find(",", np[-1].end, s_end)
            return _Attribution(cue, speaker, self.trim((comma + 1, text_end)) if comma >= 0 else None, cue.start)
        np = _np_before(masked, cue.start, s_start, loose=cue.category == _SAY)
        run = _run_before(masked, cue.start, s_start)
        if np is None and run and run[-1].key in {"and", "but", "then"}:
            earlier = [a for a in found if a.cue.sentence == cue.sentence and a.cue.start < cue.start]
            np = _subject(masked, cue.sentence, cue.start) if not earlier else None
            if earlier:
                return _Attribution(cue, earlier[-1].speaker, self.trim_clause(cue), cue.start)
        after_np = _np_after(masked, cue.end, s_end) if not run else None
        if (
            not run
            and after_np
            and fold_key(cue.text) not in {"told", "tells", "tell"}
            and cue.category != _CALLED
            and (_is_pronoun(after_np[0]) or self.is_person(after_np) or _is_speaker_noun(after_np[-1]))
            and self.phrase_ends(after_np[-1].end if not _is_pronoun(after_np[0]) else after_np[0].end, s_end)
        ):
            np = None  # "…, said Lt. Matt Harris": the inverted speaker, not the words before the comma
        elif not (np and len(np) == 1 and _is_pronoun(np[0])) and not (np and self.is_person(np)):
            # "Hikmet Hajiyev, the presidential aide, said", "Prasad, a professor at Cornell, said".
            named = self.appositive_subject(s_start, run[0].start if run else cue.start, cue.start)
            if named:
                np = named
        gender = "f" if re.search("ла$", cue.text) else "m" if re.search("л$", cue.text) else None
        speaker = None
        if np:
            if len(np) == 1 and _is_pronoun(np[0]):
                speaker = self.resolve_pronoun(np[0].text, np[0].start, gender)
            else:
                speaker = self.resolve(np, cue.start)
        inverted = False
        if speaker is None:
            before = masked[s_start : cue.start].rstrip()
            if (
                (before.endswith((",", "”", "»", '"', "’", "—", "–", "-")) or not before)
                and fold_key(cue.text) not in {"told", "tells", "tell"}
                and cue.category != _CALLED
            ):
                after = _np_after(masked, cue.end, s_end)
                if after and len(after) == 1 and _is_pronoun(after[0]):
                    speaker = self.resolve_pronoun(after[0].text, after[0].start, gender)
                else:
                    speaker = self.resolve(after, cue.start, prefer_last=False)
                inverted = speaker is not None
        if speaker is None:
            return None
        if cue.category == _CALLED:
            return _Attribution(cue, speaker, None, cue.start)
        if inverted:
            tail_np = _np_after(masked, cue.end, s_end)
            tail_from = tail_np[-1].end if tail_np else cue.end
            clause = self.final_clause(cue, np_start=cue.start, tail_from=tail_from)
            return _Attribution(cue, speaker, clause, cue.start)
        np_start = np[0].start if np else cue.start
        clause = self.final_clause(cue, np_start=np_start, tail_from=cue.end)
        if clause is not None:
            return _Attribution(cue, speaker, clause, np_start)
        lead = masked[s_start:np_start].rstrip()
        if lead.endswith(",") and masked[cue.end : s_end].lstrip().startswith(","):
            # A parenthetical "…, Mayer said, …": the clause is the part before it, unless
            # that part is an introductory phrase ("In line with …, Altun said, “…”").
            preceding = _tokens(masked, s_start, np_start)
            if len(preceding) >= 4 and preceding[0].key not in _INTRO_WORDS:
                return _Attribution(cue, speaker, self.trim((s_start, s_start + len(lead))), np_start)
        clause_start = self.after_that(cue, required=cue.category == _VERB)
        if clause_start is None:
            return _Attribution(cue, speaker, None, np_start)
        return _Attribution(cue, speaker, self.trim((clause_start, text_end)), np_start)

    def trim_clause(self, cue: _Cue) -> tuple[int, int] | None:
        """The clause after a cue up to the sentence end, when the cue takes one."""
        clause_start = self.after_that(cue, required=cue.category == _VERB)
        if clause_start is None:
            return None
        end = cue.sentence[1]
        while end > clause_start and self.masked[end - 1] in _SENTENCE_FINAL + " ":
            end -= 1
        return self.trim((clause_start, end))

    def cut(self, attribution: _Attribution, attributions: Sequence[_Attribution]) -> _Attribution:
        """End a clause where the next attribution starts after a conjunction: "… it depends, but he said …"."""
        if attribution.clause is None:
            return attribution
        start, end = attribution.clause
        for other in attributions:
            if other is attribution or not start < other.start < end:
                continue
            joint = re.search(
                r"(?:[,;][”»\"’]?\s*(?:but|and|while|whereas|а|но|и)?|\s(?:but|while|whereas))\s*$",
                self.masked[start : other.start],
            )
            if joint:
                clause = self.trim((start, start + joint.start()))
                return replace(attribution, clause=clause)
        return attribution

    def phrase_ends(self, position: int, s_end: int) -> bool:
        """Tell whether a speaker phrase ends here: punctuation, the sentence end or an adjunct follows."""
        rest = self.masked[position:s_end].lstrip()
        if not rest or rest[0] in ",.;:!?—–-)":
            return True
        following = _tokens(self.masked, position, s_end)[:1]
        return bool(following) and following[0].key in _ADJUNCT_WORDS | _WEEKDAYS

    def is_person(self, tokens: Sequence[_Token]) -> bool:
        """Tell whether written words name a person: a person mention, a name's shape or a known surname."""
        start, end = tokens[0].start, tokens[-1].end
        if any(c.entity_type == PERSON and c.start < end and start < c.end for c in self.mentions):
            return True
        words = [t for t in tokens if t.capitalised]
        if not words or words[-1] is not tokens[-1]:
            return False
        before = _tokens(self.masked, max(0, start - 12), start)[-1:]
        if before and before[0].text.isdigit():
            return False  # "735 Eighth St." is an address
        names = _trim_np(list(tokens))
        return _looks_like_person(names[-3:]) or (
            len(names) == 1 and self.by_surname(_possessive_stem(names[0].text)) is not None
        )

    def appositive_subject(self, s_start: int, end: int, cue_start: int) -> list[_Token] | None:
        """The name before appositives that end in a comma: "Paganini, a scientist at …, D.C., said"."""
        masked = self.masked
        segment_end = cue_start
        for _ in range(6):
            lead = masked[s_start:end].rstrip()
            if not lead.endswith(","):
                return None
            comma = s_start + len(lead) - 1
            named = _np_before(masked, comma, s_start)
            segment = _tokens(masked, comma + 1, segment_end)
            before_name = _tokens(masked, max(s_start, named[0].start - 30), named[0].start)[-1:] if named else []
            governed = bool(before_name) and before_name[0].key in _PREPOSITIONS  # "strategist at Miller Tabak"
            if named and not governed and any(t.capitalised for t in named) and not _is_pronoun(named[-1]):
                first = segment[0] if segment else None
                opens = first is not None and (
                    first.key in _APPOSITION_STARTS
                    or first.key in _ROLE_MODIFIERS
                    or first.key in _TITLE_WORDS
                    or first.key == "via"
                    or (
                        _is_possessive(first.text)
                        and any(t.key in _TITLE_WORDS or _is_speaker_noun(t) for t in segment)
                    )
                )
                if self.is_person(named) or opens:
                    return named
            prior = masked.rfind(",", s_start, comma)
            piece = masked[(prior + 1 if prior >= 0 else s_start) : comma]
            if prior < 0 or any(ch in piece for ch in '“”«»"\x00!?;:'):
                return None
            end, segment_end = prior + 1, comma
        return None

    def first_finite_after(self, cue: _Cue, paragraph: int) -> _Attribution | None:
        for other in self.cues(paragraph):
            if other.sentence == cue.sentence and other.start > cue.start and other.category in (_SAY, _VERB):
                attribution = self.attribute(other, paragraph, [])
                if attribution is not None:
                    return attribution
        return None

    def after_that(self, cue: _Cue, required: bool) -> int | None:
        """Where a cue's reported clause starts: after that/что/ki (or an object and that), or right after."""
        masked = self.masked
        s_end = cue.sentence[1]
        tokens = _tokens(masked, cue.end, s_end)
        for index, token in enumerate(tokens[:8]):
            if token.key in _THAT:
                between = masked[cue.end : token.start]
                if _MASK in between or any(c in between for c in '“«„".;:'):
                    break
                return token.end
            if token.key in _NP_STOPS - {"in", "on", "at", "with", "to", "during", "after", "by", "told"}:
                break
            if index == 0 and masked[cue.end : token.start].strip(" ,") and not required:
                break
        if required:
            after = masked[cue.end : s_end].lstrip()
            if after.startswith(":"):
                return cue.end + masked[cue.end : s_end].index(":") + 1
            return None
        if fold_key(cue.text) in {"told", "tells"}:
            return None
        rest = masked[cue.end : s_end]
        if _adjunct_only(_tokens(masked, cue.end, s_end), rest):
            return None
        lead = len(rest) - len(rest.lstrip(" ,:"))
        return cue.end + lead

    def final_clause(self, cue: _Cue, np_start: int, tail_from: int) -> tuple[int, int] | None:
        """The clause before a closing attribution ("…, he said in a statement."), if this is one."""
        s_start, s_end = cue.sentence
        masked = self.masked
        before = masked[s_start:np_start].rstrip()
        if not before.endswith((",", "”", "»", '"', "’", "—", "–", "-")):
            return None
        tail = masked[tail_from:s_end].strip().rstrip(_SENTENCE_FINAL + ")").strip()
        tail_tokens = _tokens(masked, tail_from, s_end)
        if tail:
            if tail.startswith(","):
                rest = tail.lstrip(", ")
                first = rest.split(" ", 1)[0].casefold()
                adjunct = first in _ADJUNCT_WORDS or (first.endswith("ly") and len(tail_tokens) <= 3)
                # "…, said Lt. Matt Harris, Columbus Police Department spokesman.": an apposition
                apposition = tail_from > cue.end and not any(
                    t.key in _NP_STOPS - {"of", "at", "for", "in"} or t.key in _THAT for t in tail_tokens
                )
                adjunct = adjunct or apposition
                if _cue_category(first) in (_PART, _PART_BARE) or _cue_category(rest[:14]):
                    pass
                elif not adjunct or len(tail_tokens) > 12 or _MASK in tail:
                    return None
            elif not _adjunct_only(tail_tokens, tail):
                return None
        end = len(before.rstrip(",—–- ")) + s_start
        return self.trim((s_start, end))

    def trim(self, clause: tuple[int, int] | None) -> tuple[int, int] | None:
        """Strip spaces, a trailing comma or full stop outside quotes, and an empty clause."""
        if clause is None:
            return None
        start, end = clause
        while start < end and (self.body[start].isspace() or self.body[start] in ",:—–-"):
            start += 1
        while end > start and (self.body[end - 1].isspace() or self.masked[end - 1] in ",.;:—–-"):
            end -= 1
        if end - start < 2:
            return None
        return start, end

    def attribute_turkic(self, cue: _Cue, paragraph: int, found: Sequence[_Attribution]) -> _Attribution | None:
        """Speaker and clause of a Turkic verb: "Altun, … olduğunu söyledi.", "“…”, – dedi u."."""
        s_start, s_end = cue.sentence
        masked = self.masked
        following = _tokens(masked, cue.end, s_end)[:1]
        if following and following[0].key == "ki" and not masked[cue.end : following[0].start].strip():
            # Azerbaijani "O qeyd edib ki, …": the subject before the verb, the clause after "ki".
            np = _np_before(masked, cue.start, s_start) or _subject(masked, cue.sentence, cue.start)
            if np and len(np) == 1 and _is_pronoun(np[0]):
                said_by = self.resolve_pronoun(np[0].text, np[0].start)
            else:
                said_by = self.resolve(np, cue.start) or self.resolve_pronoun("", cue.start)
            end = s_end
            while end > following[0].end and masked[end - 1] in _SENTENCE_FINAL + " ":
                end -= 1
            return _Attribution(cue, said_by, self.trim((following[0].end, end)), np[0].start if np else cue.start)
        after = _np_after(masked, cue.end, s_end)
        speaker: _Speaker | None = None
        if after:
            speaker = self.resolve(after, cue.start, prefer_last=False)
        before_cue = masked[s_start : cue.start].rstrip(" ,—–-")
        helper = None
        tokens = _tokens(masked, s_start, cue.start)
        if (
            tokens
            and tokens[-1].key in {fold_key(h) for h in _TURKIC_HELPERS}
            and not masked[tokens[-1].end : cue.start].strip()
        ):
            helper = tokens[-1]
        # "“…”, - deyə nazir bildirib": the speaker stands between the helper and the verb.
        if speaker is None and helper is None:
            between = _run_before(masked, cue.start, s_start)
            for index, token in enumerate(between):
                if token.key in {fold_key(h) for h in _TURKIC_HELPERS} and index + 1 < len(between):
                    speaker = self.resolve(between[index + 1 :], cue.start)
                    helper = token
                    break
        subject = _subject(masked, cue.sentence, cue.start)
        if speaker is None and subject:
            first_quote = next((s for s in self.spans if s_start <= s.open < cue.start), None)
            if first_quote is None or subject[-1].end <= first_quote.open:
                speaker = self.resolve(subject, cue.start)
        if speaker is None:
            speaker = self.resolve_pronoun("", cue.start)
        clause_end = helper.start if helper else cue.start
        clause_start = subject[-1].end if subject else s_start
        if before_cue.endswith(("”", "»", '"')) or clause_end <= clause_start:
            return _Attribution(cue, speaker, None, cue.start)
        clause = self.trim((clause_start, clause_end))
        if clause is None:
            return _Attribution(cue, speaker, None, cue.start)
        last_word = _tokens(masked, clause[0], clause[1])
        nominalised = bool(last_word) and re.search(
            r"(d|t)[ıiuüə][gğyk][ıiuü]n[ıiuü]$|[ae]c[ae][gğk][ıi]n[ıi]$|əcəyini$|acağını$|m[ae]s[ıi]n[ıi]$|"
            r"ekanini$|ganini$|ganligini$|екенін$|[ғг][аеә]н[ыі]н$",
            last_word[-1].text.casefold(),
        )
        if helper is None and not nominalised:
            return _Attribution(cue, speaker, None, cue.start)
        return _Attribution(cue, speaker, clause, cue.start)

    # -- quotes --------------------------------------------------------------------------------

    def inner(self, span: _Span) -> tuple[int, int] | None:
        start, end = span.open + 1, span.close
        while start < end and self.body[start].isspace():
            start += 1
        while end > start and (self.body[end - 1].isspace() or self.body[end - 1] in ",;"):
            end -= 1
        if end <= start:
            return None
        return start, end

    def is_title_case(self, start: int, end: int) -> bool:
        """Most words of 3+ letters after the first are capitalised: “The One I Love”, “Media Opportunities …”."""
        words = [w for w in re.findall(r"[^\W\d_][\w’'\-]*", self.body[start:end])[1:] if len(w) >= 3]
        if not words:
            return False
        return sum(w[0].isupper() for w in words) / len(words) >= 0.6

    def title_marked(self, span: _Span) -> bool:
        """A naming word right before or after the marks, or a short subheading paragraph."""
        p_start, p_end = self.paragraphs[span.paragraph]
        before = self.masked[max(p_start, span.open - 40) : span.open]
        if _TITLE_BEFORE.search(before):
            return True
        if span.closed and _TITLE_AFTER.match(self.body[span.close + 1 : span.close + 30]):
            return True
        outside = (self.body[p_start : span.open] + self.body[span.close + 1 : p_end]).strip(" .,;:")
        inner = self.inner(span)
        if not outside and inner:
            text = self.body[inner[0] : inner[1]].rstrip('”’»"')
            if text and text[-1] not in _SENTENCE_FINAL and self.words(*inner) <= 10:
                return True
        return False

    def speech_like(self, span: _Span) -> bool:
        inner = self.inner(span)
        return inner is not None and self.words(*inner) >= 3 and not self.is_title_case(*inner)

    def at_marks(self, span: _Span, attributions: Sequence[_Attribution]) -> _Attribution | None:
        """An attribution whose cue or speaker stands right at the quote's marks."""
        masked = self.masked
        best: _Attribution | None = None
        for attribution in attributions:
            cue = attribution.cue
            following = _tokens(masked, cue.end, min(cue.sentence[1], cue.end + 40))[:2]
            if (
                following
                and following[0].key == "to"
                and not masked[cue.end : following[0].start].strip()
                and (len(following) < 2 or following[1].key not in {"reporters", "journalists", "the", "a", "an"})
                and not (len(following) > 1 and following[1].capitalised)
            ):
                continue  # "continued to sign up", "added to the list": not speech
            if (
                span.closed
                and cue.start > span.close
                # “…?” Schiff asked.: the capital after ?” started a new sentence at the mark
                and (
                    cue.sentence[0] <= span.close
                    or (
                        not masked[span.close + 1 : cue.sentence[0]].strip()
                        and (self.body[span.close - 1] in "?!…—–" or attribution.clause is None)
                    )
                )
                and cue.category not in (_CALLED, _PART, _PART_BARE)
            ):
                gap = masked[span.close + 1 : cue.start]
                speaker_pos = attribution.speaker.position
                if re.fullmatch(r"[\s,.:—–\-]*", gap):
                    return attribution
                tokens = _tokens(masked, span.close + 1, cue.start)
                helpers = {fold_key(h) for h in _TURKIC_HELPERS}
                if tokens and all(t.key in helpers for t in tokens) and re.fullmatch(r"[\s,.:—–\-\w]*", gap):
                    return attribution
                lead_words = _tokens(masked, span.close + 1, attribution.start)
                if (
                    span.close < attribution.start < cue.start
                    and len(lead_words) <= 4
                    and all(t.key not in _NP_STOPS and not t.capitalised for t in lead_words)
                    and not any(ch in gap for ch in '!?…“”«»„"\x00;:')
                    and not re.search(r"[^A-Z]\.\s", gap)
                ):
                    return attribution  # “…,” study lead author Lucas Paganini, a scientist at …, said
                between = _tokens(masked, span.close + 1, cue.start)
                written = [t for t in between if t.start >= attribution.start or t.start >= speaker_pos]
                modifiers = between[: len(between) - len(written)]
                if (
                    span.close < speaker_pos < cue.start
                    and re.fullmatch(r"[\s,.:—–\-]*[^.,;:!?…“”«»„\"\x00]*", gap)
                    and len(modifiers) <= 3
                    and all(t.key not in _NP_STOPS and not _cue_category(t.text) for t in modifiers)
                ):
                    return attribution
                if (
                    cue.category == _TURKIC
                    and re.fullmatch(r"[\s,—–\-]*(?:\S+\s+){0,2}", gap)
                    and not any(ch in gap for ch in _SENTENCE_FINAL + "“«„" + _MASK)
                ):
                    best = best or attribution
            if cue.end <= span.open:
                gap = masked[cue.end : span.open]
                if re.fullmatch(r"[\s,:]*(?:(?:that|что|ki)\s*[,:]?\s*)?", gap, re.IGNORECASE):
                    return attribution
                if (
                    cue.category == _CALLED
                    and re.fullmatch(
                        r"\s*(?:as\s+)?(?:(?:the|a|an|it|this|that|him|her|them|his|its|their)\s+)?(?:[\w\-]+\s+){0,3}(?:as\s+)?",
                        gap,
                        re.IGNORECASE,
                    )
                    and _MASK not in gap
                ):
                    return attribution
                if (
                    cue.category in (_SAY, _VERB, _PART)
                    and re.fullmatch(r"\s+(?:[\w’'\-]+\s+){0,6}?[\w’'\-.]+\s*[,:]\s*", gap)
                    and _MASK not in gap
                    and not any(
                        t.key in _THAT or t.key in {"and", "but", "which", "who"}
                        for t in _tokens(masked, cue.end, span.open)
                    )
                    and (gap.rstrip().endswith(":") or fold_key(cue.text) in {"told", "tells", "telling", "asked"})
                ):
                    return attribution
        return best

    def signature(self, span: _Span) -> _Speaker | None:
        """A quote signed with a dash at the end of its paragraph: "“…” — Neil Gaiman"."""
        p_end = self.paragraphs[span.paragraph][1]
        if not span.closed or not re.fullmatch(
            r"\s*[—–-]\s*[^\W\d_][^.!?;:“”«»\"]{0,60}", self.body[span.close + 1 : p_end]
        ):
            return None
        name = _tokens(self.masked, span.close + 1, p_end)
        if not name or not self.is_person(name[:4]):
            return None
        return self.resolve(name[:4], span.close + 1, prefer_last=False)

    def lead_in(self, span: _Span, attributions: Sequence[_Attribution]) -> _Attribution | None:
        """A sentence that only says who speaks, right before the quote: "Smith said in a statement. “…”"."""
        for attribution in attributions:
            s_end = attribution.cue.sentence[1]
            tail = _tokens(self.masked, attribution.cue.end, s_end)
            final = _adjunct_only(tail, self.masked[attribution.cue.end : s_end].rstrip(_SENTENCE_FINAL + " "))
            if (
                (attribution.clause is None or final or attribution.cue.category in (_SAY, _VERB))
                and s_end <= span.open
                and not self.masked[s_end : span.open].strip()
                and attribution.cue.category in (_SAY, _VERB)
            ):
                return attribution
        return None

    def in_clause(self, span: _Span, attributions: Sequence[_Attribution]) -> _Attribution | None:
        for attribution in attributions:
            if attribution.clause and attribution.clause[0] <= span.open and span.close <= attribution.clause[1] + 1:
                return attribution
        return None

    def quote(
        self, start: int, end: int, kind: str, attribution: _Attribution | None, speaker: _Speaker | None
    ) -> Quote:
        cue = attribution.cue.text if attribution else None
        return Quote(
            article_id=self.article.article_id,
            text=self.body[start:end],
            kind=kind,
            cue_verb=cue,
            speaker_surface=speaker.surface if speaker else None,
            speaker_entity_id=speaker.entity_id if speaker else None,
            speaker_name=speaker.name if speaker else None,
            char_start=start,
            char_end=end,
        )

    def run(self) -> list[Quote]:
        quotes: list[Quote] = []
        previous_direct: Quote | None = None
        previous_paragraph_had_quote = False
        pending: _Attribution | None = None
        for paragraph in range(len(self.paragraphs)):
            attributions: list[_Attribution] = []
            for cue in self.cues(paragraph):
                attribution = self.attribute(cue, paragraph, attributions)
                if attribution is not None:
                    attributions.append(attribution)
                    self.remember(attribution.speaker)
            attributions = [self.cut(a, attributions) for a in attributions]
            spans = [s for s in self.spans if s.paragraph == paragraph]
            direct: dict[int, tuple[Quote, bool]] = {}
            for index, span in enumerate(spans):
                inner = self.inner(span)
                if inner is None or self.title_marked(span):
                    continue
                attribution = self.at_marks(span, attributions)
                if attribution is None and pending is not None and index == 0:
                    p_start = self.paragraphs[paragraph][0]
                    if not self.masked[p_start : span.open].strip():
                        attribution = pending
                if attribution is not None:
                    direct[index] = (self.quote(*inner, DIRECT, attribution, attribution.speaker), True)
                    continue
                if self.words(*inner) <= 2 or self.is_title_case(*inner):
                    continue
                enclosing = self.in_clause(span, attributions)
                if enclosing is not None and self.speech_like(span):
                    first = self.body[inner[0]]
                    if first.islower() or self.words(*inner) >= 6 or not first.isalpha():
                        direct[index] = (self.quote(*inner, DIRECT, enclosing, enclosing.speaker), True)
            for index, span in enumerate(spans):
                inner = self.inner(span)
                if index in direct or inner is None or self.title_marked(span) or not self.speech_like(span):
                    continue
                lead_in = self.lead_in(span, attributions)
                if lead_in is not None:
                    direct[index] = (self.quote(*inner, DIRECT, lead_in, lead_in.speaker), True)
                    continue
                # Another quote of the paragraph, with no other speaker's attribution in between.
                attributed = [
                    i
                    for i in direct
                    if direct[i][1]
                    and not any(
                        min(spans[i].close, span.close) < a.cue.start < max(spans[i].open, span.open)
                        and a.speaker.name != direct[i][0].speaker_name
                        for a in attributions
                    )
                ]
                if attributed:
                    nearest = min(attributed, key=lambda i: (abs(i - index), i > index))
                    source = direct[nearest][0]
                    direct[index] = (
                        replace(source, text=self.body[inner[0] : inner[1]], char_start=inner[0], char_end=inner[1]),
                        False,
                    )
                    continue
                p_start, p_end = self.paragraphs[paragraph]
                alone = not (self.body[p_start : span.open] + self.body[span.close + 1 : p_end]).strip(' .,;:”’»"')
                if alone and previous_paragraph_had_quote and previous_direct is not None:
                    direct[index] = (
                        replace(
                            previous_direct,
                            text=self.body[inner[0] : inner[1]],
                            char_start=inner[0],
                            char_end=inner[1],
                            cue_verb=None,
                        ),
                        False,
                    )
                    continue
                signed = self.signature(span)
                if signed is not None:
                    direct[index] = (self.quote(*inner, DIRECT, None, signed), True)
                    continue
                text = self.body[inner[0] : inner[1]].rstrip('”’»"')
                if self.words(*inner) >= 6 and text and text[-1] in _SENTENCE_FINAL:
                    direct[index] = (self.quote(*inner, DIRECT, None, None), False)
            paragraph_quotes = [direct[i][0] for i in sorted(direct)]
            for attribution in attributions:
                if attribution.clause is None:
                    continue
                start, end = attribution.clause
                outside = self.words(start, end) - sum(
                    self.words(s.open, s.close) for s in spans if start <= s.open and s.close <= end + 1
                )
                if outside < 2:
                    continue
                paragraph_quotes.append(self.quote(start, end, INDIRECT, attribution, attribution.speaker))
            quotes.extend(paragraph_quotes)
            if paragraph_quotes:
                previous_direct = max(paragraph_quotes, key=lambda q: q.char_end)
            previous_paragraph_had_quote = bool(paragraph_quotes)
            p_start, p_end = self.paragraphs[paragraph]
            pending = None
            if attributions and self.masked[p_start:p_end].rstrip().endswith(":"):
                last = attributions[-1]
                if last.cue.end >= p_end - 40:
                    pending = last
        unique: dict[tuple[int, int], Quote] = {}
        for q in sorted(quotes, key=lambda q: (q.char_start, q.char_end, q.kind)):
            unique.setdefault((q.char_start, q.char_end), q)
        return list(unique.values())


def extract_quotes(article: ArticleText, mentions: Sequence[Mention]) -> list[Quote]:
    """Find the direct and indirect quotes in an article's body and resolve their speakers.

    Args:
        article: The article; offsets refer to ``article.body``.
        mentions: The article's person, organisation and place mentions (may be empty: names
            are then found from capitalised words, with no entity ids).

    Returns:
        The quotes in body order (direct ones without their marks, indirect ones as the
        reported clause), each with its cue verb, its speaker as written and the resolved
        speaker; ``article.body[q.char_start:q.char_end] == q.text`` for every quote.
    """
    if not article.body.strip():
        return []
    return _Extractor(article, mentions).run()
