"""Print a sample of quote speakers from real news that is not a dev set, for checking by hand.

The mixed corpus in ../shared/corpora (or ``$MEDIA_ETL_CORPORA``): the AEB pages
(``aeb/html/*.html.gz``), the Turkish articles of tr-news (``tr-news/raw/*.json``: title and
content) and the feed items with article text (``feeds/``). Every file is read and parsed the way
``media_etl.pipeline`` does it, the language is detected as the enrichment stage does, and then
``extract_mentions`` and ``extract_quotes`` run on each article.

The script prints the counts (articles, quotes, quotes with a speaker), then a seeded random
sample of quotes that have a speaker, one line each::

    speaker (resolved, else as written) | speaker as written | cue verb | first 80 chars | source | flags

and the number of speakers that simple checks flag as obviously bad, in the sample and in all:
a speaker that starts with a number or a quantity word ("60 percent", "Most", "nine in 10"),
holds a relative pronoun (that, who, which), is one lowercase common word that is not a pronoun,
holds a Turkic word with a case suffix after an apostrophe ("NTV'ye"), or is one capitalised
word at a sentence start that no mention covers ("But"). Run from the repo root:

    .venv/bin/python benchmarks/quote_speakers_sample.py [--seed 0] [--n 100]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from media_etl.clean.text import fold_key
from media_etl.enrich import language as language_detection
from media_etl.enrich.entities import extract_mentions
from media_etl.enrich.quotes import extract_quotes
from media_etl.enrich.records import ArticleText, Mention, Quote
from media_etl.parse.wire import ParseError
from media_etl.pipeline import article_rows, parse_item, read_file
from media_etl.sources import SourceRegistry, load_registry

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPORA_ENV = "MEDIA_ETL_CORPORA"
_LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)
TEXT_CHARS = 80

SOURCES: tuple[tuple[str, str, str], ...] = (
    ("aeb", "aeb/html", "*.html.gz"),
    ("tr-news", "tr-news/raw", "*.json"),
    ("feeds", "feeds/rss-parser/test/input", "*"),
    ("feeds", "feeds/feedjira/spec/sample_feeds", "*"),
)
"""Each part of the mixed corpus: its name, its folder under the corpora folder and its files."""


def _words(text: str) -> frozenset[str]:
    """Split a word list written as one string into folded keys (see ``fold_key``)."""
    return frozenset(fold_key(word) for word in text.split())


PRONOUNS = _words(
    # English, Turkish, Azerbaijani, Russian, Kazakh, Uzbek subject pronouns
    "i you he she it we they one o sen siz biz onlar ben mən sən "
    "я ты он она оно мы вы они ол олар біз мен сен сіз u ular men"
)
QUANTITY_WORDS = _words(
    "percent per cent number numbers most many some half majority minority several few all both "
    "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred "
    "hundreds thousand thousands million millions billion dozen dozens "
    "yüzde çoğu bazı birçok большинство некоторые многие половина процент процентов"
)
RELATIVE_WORDS = _words("that who which whom whose который которая которое которые кто что")
_CASE_SUFFIX = re.compile(
    # dative, locative, ablative, accusative, instrumental (also after a possessive n)
    r"['’](?:y?[aeə]|n?[dt][aeə]n?|n[aeə]|y?[iıuü]|n[iıuü]|y?l[aeə])$",
    re.IGNORECASE,
)
_GENITIVE = re.compile(r"['’]n?[iıuü]n$", re.IGNORECASE)
"""A genitive is a case suffix only on the speaker's last word ("Türkiye'nin" with no head noun)."""
_SENTENCE_START = r"(?:^|(?<=\n)|(?<=[.!?…][\"'”’»)]\s)|(?<=[.!?…]\s))"
_WORD = re.compile(r"[\w'’.-]+")


@dataclass(frozen=True)
class SampledQuote:
    """A quote with a speaker, where it came from and what the checks say about its speaker."""

    quote: Quote
    source: str
    flags: tuple[str, ...]

    def line(self) -> str:
        """One line to check by hand: speaker, as written, cue, text, source, flags."""
        q = self.quote
        text = " ".join(q.text.split())[:TEXT_CHARS]
        speaker = q.speaker_name or q.speaker_surface
        flags = ",".join(self.flags) or "-"
        return f"{speaker} | {q.speaker_surface} | {q.cue_verb} | {text} | {self.source} | {flags}"


@dataclass
class CorpusRun:
    """What running the extractors over the mixed corpus found."""

    files: Counter[str] = field(default_factory=Counter)
    articles: Counter[str] = field(default_factory=Counter)
    not_loaded: Counter[str] = field(default_factory=Counter)
    """Items or files that gave no article, by part and reason code."""
    quotes: int = 0
    speakers: list[SampledQuote] = field(default_factory=list)


def corpora_root() -> Path:
    """The corpora folder: ``$MEDIA_ETL_CORPORA`` when set, else ``../shared/corpora`` beside the repo."""
    override = os.environ.get(CORPORA_ENV)
    return Path(override) if override else REPO_ROOT.parent / "shared" / "corpora"


@cache
def _registry() -> SourceRegistry:
    return load_registry(REPO_ROOT / "sources.yaml")


@cache
def _detect() -> Callable[..., tuple[str | None, str | None]]:
    return language_detection.detector_for(language_detection.DEFAULT_LANGUAGES).detect


def read_articles(path: Path, part: str, run: CorpusRun) -> list[tuple[ArticleText, str]]:
    """Read one file and build its articles as the pipeline does, with the detected language.

    Args:
        path: The file.
        part: The part of the corpus it belongs to (for the counts).
        run: Where files that give no article are counted, by reason.

    Returns:
        Each article and its item key ("" for a one-article file).
    """
    items, rejections = read_file(str(path))
    for rejection in rejections:
        run.not_loaded[f"{part}: {rejection.reason_code}"] += 1
    articles = []
    for item in items:
        try:
            parsed = parse_item(item, _registry())
        except ParseError as exc:  # no headline or no body, e.g. a feed item without text
            run.not_loaded[f"{part}: {exc.reason_code}"] += 1
            continue
        row, _ = article_rows(item, parsed, _registry(), run_id="quote-speakers", loaded_at=_LOADED_AT)
        headline, body, declared = str(row["headline"]), str(row["body"]), item.language
        language, _script = _detect()(f"{headline}\n\n{body}", declared)
        published = row["published_date"] if isinstance(row["published_date"], date) else None
        articles.append((ArticleText(str(row["article_id"]), headline, body, published, language), item.item_key))
    return articles


def _tokens(speaker: str) -> list[str]:
    return _WORD.findall(speaker)


def _stem(word: str) -> str:
    """The folded word without what follows an apostrophe (I'd, ASELSAN'ın, Turkey's)."""
    return re.split(r"['’]", fold_key(word), maxsplit=1)[0]


def _covered(word: str, mentions: Sequence[Mention]) -> bool:
    """True when a mention's surface or canonical name holds the word."""
    key = _stem(word)
    return any(key in {_stem(w) for w in _tokens(f"{m.surface} {m.canonical_name}")} for m in mentions)


def _sentence_initial_common(word: str, body: str) -> bool:
    """True when the word stands at a sentence or paragraph start and is never capitalised inside a sentence.

    A name is capitalised wherever it stands; a common word only where a sentence starts.
    Acronyms (``US``, ``ZEW``) are names.
    """
    if word.isupper() and len(word) > 1:
        return False
    escaped = re.escape(word) + r"\b"
    starts = re.search(_SENTENCE_START + escaped, body) is not None
    return starts and re.search(r"(?<=[\w,;:]\s)" + escaped, body) is None


def speaker_flags(quote: Quote, article: ArticleText, mentions: Sequence[Mention]) -> tuple[str, ...]:
    """Simple checks that catch obviously bad speakers; returns the names of the checks that fire.

    Args:
        quote: A quote with a written speaker.
        article: Its article.
        mentions: The article's mentions.

    Returns:
        Any of ``quantity``, ``relative``, ``lowercase``, ``case_suffix``, ``sentence_start``.
    """
    tokens = _tokens(quote.speaker_surface or "")
    if not tokens:
        return ()
    keys = [_stem(t) for t in tokens]
    flags = []
    if tokens[0][0].isdigit() or keys[0] in QUANTITY_WORDS:
        flags.append("quantity")
    if any(k in RELATIVE_WORDS for k in keys):
        flags.append("relative")
    if len(tokens) == 1 and tokens[0].islower() and keys[0] not in PRONOUNS:
        flags.append("lowercase")
    if any(_CASE_SUFFIX.search(t) for t in tokens) or _GENITIVE.search(tokens[-1]):
        flags.append("case_suffix")
    word = tokens[0]
    if (
        len(tokens) == 1
        and word[:1].isupper()
        and keys[0] not in PRONOUNS
        and not _covered(word, mentions)
        and _sentence_initial_common(word, article.body)
    ):
        flags.append("sentence_start")
    return tuple(flags)


def run_corpus(corpora: Path) -> CorpusRun:
    """Read every file of the mixed corpus, extract mentions and quotes, keep the quotes with a speaker."""
    run = CorpusRun()
    for part, folder, pattern in SOURCES:
        for path in sorted(p for p in (corpora / folder).glob(pattern) if p.is_file()):
            run.files[part] += 1
            source = str(path.relative_to(corpora))
            for article, item_key in read_articles(path, part, run):
                run.articles[part] += 1
                mentions = extract_mentions(article)
                quotes = extract_quotes(article, mentions)
                run.quotes += len(quotes)
                where = f"{source}#{item_key}" if item_key else source
                run.speakers.extend(
                    SampledQuote(q, where, speaker_flags(q, article, mentions))
                    for q in quotes
                    if q.speaker_surface or q.speaker_name
                )
    return run


def sample(quotes: Sequence[SampledQuote], n: int, seed: int) -> list[SampledQuote]:
    """Draw ``n`` quotes (all when fewer) with a seeded generator, kept in corpus order."""
    chosen = sorted(random.Random(seed).sample(range(len(quotes)), min(n, len(quotes))))
    return [quotes[i] for i in chosen]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the counts, the sample and the flagged shares."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    parser.add_argument("--n", type=int, default=100, help="quotes in the sample (default 100)")
    parser.add_argument("--flagged", action="store_true", help="also print every flagged quote of the whole set")
    args = parser.parse_args(argv)
    corpora = corpora_root()
    if not corpora.is_dir():
        print(f"corpora {corpora} are absent (they live in ../shared/corpora beside the repo)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    run = run_corpus(corpora)
    seconds = time.perf_counter() - started
    for part in run.files:
        print(f"{part}: files={run.files[part]} articles={run.articles[part]}")
    for reason, count in sorted(run.not_loaded.items()):
        print(f"  not loaded: {reason} x{count}")
    print(
        f"articles: {sum(run.articles.values())}  quotes: {run.quotes}  "
        f"quotes_with_speaker: {len(run.speakers)}  ({seconds:.1f} s)"
    )
    print()
    print("speaker | speaker_surface | cue_verb | text | source | flags")
    picked = sample(run.speakers, args.n, args.seed)
    for quote in picked:
        print(quote.line())
    if args.flagged:
        print()
        print("every flagged quote:")
        for quote in run.speakers:
            if quote.flags:
                print(quote.line())
    print()
    kinds = Counter(flag for q in run.speakers for flag in q.flags)
    print("flags_all_by_check: " + " ".join(f"{k}={v}" for k, v in sorted(kinds.items())))
    print(f"flagged_speakers_sample: {sum(bool(q.flags) for q in picked)}/{len(picked)}")
    print(f"flagged_speakers_all: {sum(bool(q.flags) for q in run.speakers)}/{len(run.speakers)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
