"""Score media-etl on ../shared/corpora/tr-news: do titles and dates survive the whole pipeline?

Each of the 200 files is one Turkish financial news article as JSON (title, content, source,
url, date). The script runs them through the same read/parse/clean/validate path as the ETL
and compares the stored headline and published_date with the file's own title and date.

    .venv/bin/python benchmarks/eval_tr_news.py
"""

from __future__ import annotations

import json
import sys
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from media_etl.pipeline import process_files
from media_etl.sources import load_registry

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "tr-news" / "raw"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(frozen=True)
class TrNewsScore:
    """Agreement of stored rows with the corpus' own fields."""

    articles: int
    loaded: int
    title_agree: int
    date_agree: int
    disagreements: list[str]

    @property
    def title_share(self) -> float:
        return self.title_agree / self.articles

    @property
    def date_share(self) -> float:
        return self.date_agree / self.articles


def score(corpus: Path = CORPUS) -> TrNewsScore:
    """Run every article of the corpus through the pipeline and compare title and date."""
    files = sorted(corpus.glob("*.json"))
    registry = load_registry(REPO_ROOT / "sources.yaml")
    batch = process_files([str(f) for f in files], registry, run_id="eval", loaded_at=datetime.now(UTC))
    # Identical copy from two files is stored once; article_sources links both files to it.
    by_id = {row.article_id: row for row in batch.articles.itertuples()}
    stored = {link.source_uri: by_id[link.article_id] for link in batch.sources.itertuples()}
    title_agree = date_agree = 0
    disagreements = []
    for path in files:
        truth = json.loads(path.read_text(encoding="utf-8"))
        row = stored.get(str(path))
        if row is None:
            reasons = [r.reason_code for r in batch.rejections if r.source_uri.startswith(str(path))]
            disagreements.append(f"{path.name}: not loaded ({', '.join(reasons) or 'no reason recorded'})")
            continue
        if _norm(row.headline) == _norm(truth["title"]):
            title_agree += 1
        else:
            disagreements.append(f"{path.name}: title {row.headline!r} vs {truth['title']!r}")
        stored_date = None if row.published_date is None else str(row.published_date)[:10]
        if stored_date == truth["date"]:
            date_agree += 1
        else:
            disagreements.append(f"{path.name}: date {stored_date} vs {truth['date']}")
    return TrNewsScore(len(files), len(by_id), title_agree, date_agree, disagreements)


def main() -> None:
    """Print the agreement figures and every disagreement."""
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found: {CORPUS}")
    result = score()
    for line in result.disagreements:
        print("  " + line)
    print(
        f"tr-news: n={result.articles} loaded={result.loaded} "
        f"title_agree={result.title_share:.3f} date_agree={result.date_share:.3f}"
    )


if __name__ == "__main__":
    main()
