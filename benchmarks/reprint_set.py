"""Build an evaluation set with known reprints from real text, for near-duplicate story clustering.

Originals are real articles: the plain-text seeds in ``seeds/`` (parsed the way the ETL
parses wire copy, so bodies are paragraphs joined by blank lines as in ``articles.body``)
and, when present, the 200 Turkish articles of ``../shared/corpora/tr-news/raw/*.json``
(title, content, source, date). tr-news content comes as one line, so its sentences are
grouped into paragraphs of about 40 words, roughly as wire copy is laid out.

From that text the set makes, with a fixed random seed:

- reprints: every seed original, and half of the tr-news originals of 30 words or more
  (other than the held-out ones and the real pairs below), get 1-4 reprints by other
  outlets, published 2 minutes to 12 hours later (one in ten with only a date, no time).
  Each reprint has a rewritten headline and 0-3 body edits drawn from: first or last
  paragraph dropped, two adjacent sentences or paragraphs swapped, a credit line added,
  quotes curled or straightened, Turkish and Azerbaijani letters ASCII-fied, a few words
  changed, a "share / follow us" line appended. A quarter of the later reprints copy an
  earlier reprint instead of the original (edits accumulate).
- held out: 25 tr-news articles are not in the set; they are the new text of follow-ups.
- follow-ups (near misses): a later story by the same outlet that shares one paragraph
  with an original: the paragraphs of a held-out tr-news article (not itself in the set)
  with one paragraph of the original inserted as background.
- natural reprints and near misses: tr-news is all financial news, half of it from two
  outlets (cnbce, Bloomberg HT) dated one day. Exact Jaccard of 4-word shingles over all
  19,900 pairs of its articles: five pairs score above 0.25. Read by hand, three are one
  story (0.91 and 0.87: two stories each run by bigpara and Bloomberg HT; 0.79: a TEKNOFEST
  preview that the next day's opening story repeats almost whole), labelled here as one
  story each (``REAL_SAME_STORY``), and two are different stories on one topic from the
  same day (farm subsidies from one outlet sharing a quote, 0.36; a market-manipulation
  probe, 0.26), left as distinct. The seeds add Trend's English and Azerbaijani stories on
  the same forum, and two stories on Turkic news agencies' cooperation.

Times: the corpora give dates only, so every original is given a time of day (05:00-18:00
UTC) on its date (undated seeds: on ``UNDATED``); reprint times are that plus the lag.

    from benchmarks.reprint_set import build_reprint_set
    frame = build_reprint_set()
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

from benchmarks.scale_corpus import sentences as split_sentences
from media_etl.clean.text import clean_text
from media_etl.parse.wire import parse_wire_text
from media_etl.records import short_hash
from media_etl.sources import load_registry

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS = REPO_ROOT / "seeds"
TR_NEWS = REPO_ROOT.parent / "shared" / "corpora" / "tr-news" / "raw"
SEED = 20251127
UNDATED = date(2025, 1, 15)
PARAGRAPH_SEPARATOR = "\n\n"
MIN_WORDS_TO_REPRINT = 30
REPRINTED_SHARE = 0.5
HELD_OUT = 25
FOLLOW_UPS = 25

# tr-news file-name stems (source_date_source_id) of pairs that are one story, read by hand.
REAL_SAME_STORY = (
    (
        "bigpara_hurriyet_2025-09-15_bigpara_hurriyet_605119359983992465",
        "bloomberght_2025-09-21_bloomberght_7200939348939571142",
    ),
    (
        "bigpara_hurriyet_2025-09-16_bigpara_hurriyet_1892761777481972703",
        "bloomberght_2025-09-21_bloomberght_2716729995109054049",
    ),
    (
        "bigpara_hurriyet_2025-09-16_bigpara_hurriyet_1207954983965309421",
        "bigpara_hurriyet_2025-09-17_bigpara_hurriyet_7281299995583482942",
    ),
)

OUTLETS = (
    "Trend",
    "AZERTAC",
    "APA",
    "Report.az",
    "Anadolu Agency",
    "Daily Sabah",
    "Hürriyet",
    "Milliyet",
    "Dünya",
    "Yeni Şafak",
    "Kazinform",
    "Tengrinews",
    "UzA",
    "Kun.uz",
    "Haberturk",
)
BOILERPLATE = (
    "Share this article",
    "Follow us on Telegram",
    "Bizi Google News'ten takip edin",
    "Paylaş",
    "Abunə olun",
)
COLUMNS = (
    "article_id",
    "outlet",
    "headline",
    "body",
    "published_at",
    "published_date",
    "truth_cluster",
    "role",
    "truth_lag_seconds",
    "edits",
    "origin",
)

_ASCII = str.maketrans("ŞşĞğİıÇçÖöÜüƏə", "SsGgIiCcOoUuEe")
_CURLY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


@dataclass(frozen=True)
class Story:
    """One article of the set before it becomes a row."""

    origin: str
    outlet: str
    headline: str
    paragraphs: tuple[str, ...]
    published_at: datetime | None
    published_date: date | None

    @property
    def body(self) -> str:
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return len(self.body.split())


def sentences(text: str) -> list[str]:
    """Split text into sentences at an end mark followed by a capital, digit or quote (« not counted)."""
    return split_sentences(text, openers="\"“‘'")


def paragraphs_of(text: str, words_per_paragraph: int = 40) -> tuple[str, ...]:
    """Group a one-line text's sentences into paragraphs of about ``words_per_paragraph`` words.

    Args:
        text: Cleaned text without paragraph breaks.
        words_per_paragraph: Words after which a paragraph is closed at the next sentence end.

    Returns:
        The paragraphs.
    """
    grouped: list[str] = []
    current: list[str] = []
    for sentence in sentences(text):
        current.append(sentence)
        if sum(len(s.split()) for s in current) >= words_per_paragraph:
            grouped.append(" ".join(current))
            current = []
    if current:
        grouped.append(" ".join(current))
    return tuple(grouped)


def _timed(day: date | None, rng: random.Random) -> tuple[datetime, date]:
    day = day or UNDATED
    second = rng.randint(5 * 3600, 18 * 3600 - 1)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=second), day


def load_seed_stories(seeds: Path, rng: random.Random) -> list[Story]:
    """Parse the plain-text seeds into stories, credited to the agency that sent them.

    Args:
        seeds: The seeds folder.
        rng: Source of the synthetic times of day.

    Returns:
        One story per ``*.txt`` seed, in file-name order.
    """
    registry = load_registry(REPO_ROOT / "sources.yaml")
    stories = []
    for path in sorted(seeds.glob("*.txt")):
        parsed = parse_wire_text(clean_text(path.read_text(encoding="utf-8")), registry)
        credited = registry.by_credit(parsed.credit) if parsed.credit else None
        outlet = credited.name if credited else parsed.credit or path.stem
        day = parsed.header_date or (parsed.dateline.full_date() if parsed.dateline else None)
        at, day = _timed(day, rng)
        paragraphs = tuple(p.text for p in parsed.paragraphs)
        stories.append(Story(f"seed:{path.stem}", outlet, parsed.headline, paragraphs, at, day))
    return stories


def load_tr_news_stories(raw: Path, rng: random.Random) -> list[Story]:
    """Read the tr-news articles into stories, their content split into paragraphs.

    Args:
        raw: The corpus' ``raw`` folder.
        rng: Source of the synthetic times of day.

    Returns:
        One story per JSON file, in file-name order.
    """
    stories = []
    for path in sorted(raw.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        at, day = _timed(date.fromisoformat(record["date"]), rng)
        headline = clean_text(record["title"]).replace("\n", " ")
        paragraphs = paragraphs_of(" ".join(clean_text(record["content"]).split()))
        stories.append(Story(f"tr-news:{path.stem}", record["source"], headline, paragraphs, at, day))
    return stories


def rewrite_headline(headline: str, rng: random.Random) -> str:
    """Rewrite a headline the way a reprinting desk does: cut, tagged or reordered."""
    parts = headline.split()
    choice = rng.randrange(3)
    if choice == 0 and len(parts) > 4:
        return " ".join(parts[: max(4, len(parts) * 2 // 3)])
    if choice == 1:
        return f"{rng.choice(('SON DAKİKA', 'UPDATE', 'Breaking', 'Gündem'))}: {headline}"
    middle = len(parts) // 2
    return " ".join([*parts[middle:], "-", *parts[:middle]])


def _drop_first(story: Story, rng: random.Random) -> Story | None:
    if len(story.paragraphs) < 3 or story.word_count < 60:
        return None
    return replace(story, paragraphs=story.paragraphs[1:])


def _drop_last(story: Story, rng: random.Random) -> Story | None:
    if len(story.paragraphs) < 3 or story.word_count < 60:
        return None
    return replace(story, paragraphs=story.paragraphs[:-1])


def _swap(story: Story, rng: random.Random) -> Story | None:
    paragraphs = list(story.paragraphs)
    if len(paragraphs) >= 4:
        i = rng.randrange(1, len(paragraphs) - 2)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
        return replace(story, paragraphs=tuple(paragraphs))
    splittable = [i for i, p in enumerate(paragraphs) if len(sentences(p)) >= 2]
    if not splittable:
        return None
    i = rng.choice(splittable)
    parts = sentences(paragraphs[i])
    j = rng.randrange(len(parts) - 1)
    parts[j], parts[j + 1] = parts[j + 1], parts[j]
    paragraphs[i] = " ".join(parts)
    return replace(story, paragraphs=tuple(paragraphs))


def _credit(story: Story, rng: random.Random, agency: str) -> Story:
    paragraphs = list(story.paragraphs)
    choice = rng.randrange(4)
    if choice == 0:
        paragraphs.append(rng.choice(("Source: {}", "Kaynak: {}", "Mənbə: {}")).format(agency))
    elif choice == 1:
        paragraphs[0] = f"({agency}) - {paragraphs[0]}"
    elif choice == 2:
        lead = sentences(paragraphs[0])
        lead[0] = f"{lead[0].rstrip('.')}, {agency} reports."
        paragraphs[0] = " ".join(lead)
    else:
        paragraphs.insert(0, f"{agency} muhabirinin aldığı bilgiye göre:")
    return replace(story, paragraphs=tuple(paragraphs))


def _quotes(story: Story, rng: random.Random) -> Story | None:
    body = story.body
    if any(q in body for q in "“”‘’"):
        flipped = body.translate(_CURLY)
    elif '"' in body:
        pieces = body.split('"')
        flipped = pieces[0] + "".join(("“" if i % 2 else "”") + piece for i, piece in enumerate(pieces[1:], 1))
    else:
        return None
    return replace(story, paragraphs=tuple(flipped.split(PARAGRAPH_SEPARATOR)))


def _ascii(story: Story, rng: random.Random) -> Story | None:
    body = story.body.translate(_ASCII)
    if body == story.body:
        return None
    return replace(story, paragraphs=tuple(body.split(PARAGRAPH_SEPARATOR)))


def _words(story: Story, rng: random.Random) -> Story:
    paragraphs = [p.split(" ") for p in story.paragraphs]
    vocabulary = [w for p in paragraphs for w in p]
    for _ in range(min(4, max(1, len(vocabulary) // 80))):
        p = rng.randrange(len(paragraphs))
        i = rng.randrange(len(paragraphs[p]))
        action = rng.randrange(3)
        if action == 0 and len(paragraphs[p]) > 1:
            del paragraphs[p][i]
        elif action == 1:
            paragraphs[p][i] = rng.choice(vocabulary)
        else:
            paragraphs[p].insert(i, rng.choice(vocabulary))
    return replace(story, paragraphs=tuple(" ".join(p) for p in paragraphs))


def _boilerplate(story: Story, rng: random.Random) -> Story:
    return replace(story, paragraphs=(*story.paragraphs, rng.choice(BOILERPLATE)))


EDITS = ("drop_first", "drop_last", "swap", "credit", "quotes", "ascii", "words", "boilerplate")


def reprint(original: Story, source: Story, outlet: str, lag: int, rng: random.Random) -> tuple[Story, list[str]]:
    """Make one reprint of ``source`` (the original or an earlier reprint of it).

    Args:
        original: The story as first published; the reprint's time counts from it.
        source: The text copied.
        outlet: The reprinting outlet.
        lag: Seconds after the original.
        rng: Source of the edits.

    Returns:
        The reprint and the names of the body edits made.
    """
    assert original.published_at is not None
    story = replace(source, outlet=outlet, headline=rewrite_headline(source.headline, rng))
    wanted = rng.choices((0, 1, 2, 3), weights=(1, 3, 3, 3))[0]
    done: list[str] = []
    for name in rng.sample(EDITS, len(EDITS)):
        if len(done) == wanted:
            break
        if name == "credit":
            edited: Story | None = _credit(story, rng, original.outlet)
        else:
            edited = {
                "drop_first": _drop_first,
                "drop_last": _drop_last,
                "swap": _swap,
                "quotes": _quotes,
                "ascii": _ascii,
                "words": _words,
                "boilerplate": _boilerplate,
            }[name](story, rng)
        if edited is not None and edited.body != story.body:
            story, done = edited, [*done, name]
    at = original.published_at + timedelta(seconds=lag)
    if rng.random() < 0.1:
        return replace(story, published_at=None, published_date=at.date()), done
    return replace(story, published_at=at, published_date=at.date()), done


def _lag(rng: random.Random) -> int:
    if rng.random() < 0.5:
        return rng.randint(2 * 60, 59 * 60)
    return rng.randint(3600, 12 * 3600)


def _row(story: Story, truth: str, role: str, lag: int | None, edits: list[str]) -> dict[str, object]:
    return {
        "article_id": short_hash(story.headline, story.body),
        "outlet": story.outlet,
        "headline": story.headline,
        "body": story.body,
        "published_at": story.published_at,
        "published_date": story.published_date,
        "truth_cluster": truth,
        "role": role,
        "truth_lag_seconds": lag,
        "edits": ",".join(edits),
        "origin": story.origin,
    }


def _reprints(original: Story, rng: random.Random) -> list[dict[str, object]]:
    """Rows for 1-4 reprints of one original, by distinct outlets other than its own."""
    outlets = [o for o in OUTLETS if o != original.outlet]
    made: list[tuple[Story, int]] = []
    rows = []
    for outlet in rng.sample(outlets, rng.randint(1, 4)):
        lag = _lag(rng)
        source = original
        if made and rng.random() < 0.25:
            source, parent_lag = rng.choice(made)
            lag = parent_lag + rng.randint(60, 3 * 3600)
        story, edits = reprint(original, source, outlet, lag, rng)
        if any(story.headline == other.headline and story.body == other.body for other, _ in made):
            story = replace(story, headline=f"{story.headline} | {outlet}")  # else one article in the ETL
        if source is not original:
            edits = ["copy_of_reprint", *edits]
        made.append((story, lag))
        known = story.published_at is not None
        rows.append(_row(story, original.origin, "reprint", lag if known else None, edits))
    return rows


def _follow_up(original: Story, material: Story, rng: random.Random) -> dict[str, object]:
    """A later story by the original's outlet: new text with one of the original's paragraphs."""
    assert original.published_at is not None
    shared = rng.choice(original.paragraphs[1:])
    paragraphs = list(material.paragraphs)
    paragraphs.insert(min(2, len(paragraphs)), shared)
    at = original.published_at + timedelta(seconds=rng.randint(2 * 3600, 30 * 3600))
    story = Story(
        f"follow-up:{original.origin}+{material.origin}",
        original.outlet,
        material.headline,
        tuple(paragraphs),
        at,
        at.date(),
    )
    return _row(story, story.origin, "follow_up", None, ["follow_up"])


def build_reprint_set(seeds: Path = SEEDS, tr_news: Path | None = TR_NEWS, *, seed: int = SEED) -> pd.DataFrame:
    """Build the evaluation set: real originals, synthetic reprints and near misses, with the truth.

    Args:
        seeds: Folder of the plain-text seeds.
        tr_news: The tr-news ``raw`` folder; None (or a missing folder) builds from the seeds only.
        seed: Random seed; the same seed gives the same set.

    Returns:
        One row per article: ``article_id``, ``outlet``, ``headline``, ``body``,
        ``published_at`` (UTC, NaT for reprints known by date only), ``published_date``,
        ``truth_cluster`` (same value = same story), ``role`` (original, reprint or
        follow_up), ``truth_lag_seconds`` (reprints with a time: seconds after the
        original), ``edits`` (comma-separated) and ``origin`` (the source file).
    """
    rng = random.Random(seed)
    seed_stories = load_seed_stories(seeds, rng)
    tr_stories = load_tr_news_stories(tr_news, rng) if tr_news is not None and tr_news.is_dir() else []
    truth = {s.origin: s.origin for s in seed_stories + tr_stories}
    paired = set()
    for first, second in REAL_SAME_STORY:
        first_key, second_key = f"tr-news:{first}", f"tr-news:{second}"
        if first_key in truth and second_key in truth:
            truth[second_key] = truth[first_key]
            paired |= {first_key, second_key}
    eligible = [s for s in tr_stories if s.word_count >= MIN_WORDS_TO_REPRINT and s.origin not in paired]
    material = rng.sample([s for s in eligible if len(s.paragraphs) >= 2], min(HELD_OUT, len(eligible)))
    held_out = {s.origin for s in material}
    eligible = [s for s in eligible if s.origin not in held_out]
    reprinted = seed_stories + rng.sample(eligible, round(len(eligible) * REPRINTED_SHARE))
    with_follow_up = rng.sample([s for s in eligible if len(s.paragraphs) >= 3], min(FOLLOW_UPS, len(material)))
    rows = [
        _row(s, truth[s.origin], "original", None, []) for s in seed_stories + tr_stories if s.origin not in held_out
    ]
    for original in reprinted:
        rows.extend(_reprints(original, rng))
    for original, other in zip(with_follow_up, material, strict=False):
        rows.append(_follow_up(original, other, rng))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    if frame["article_id"].duplicated().any():
        raise ValueError("the set holds two articles with the same headline and body")
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    frame["truth_lag_seconds"] = frame["truth_lag_seconds"].astype("Int64")
    return frame
