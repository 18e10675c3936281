"""What each layer of the entity extractor adds, on the dev sets with gold entities.

    .venv/bin/python benchmarks/entity_layers.py [--sets conll-train nerel-train] [--limit N]

Reads the article bodies ``make eval`` loaded (``.tmp/eval/<set>/media.db``), runs the extractor
on each body in this process with one more layer switched on per row, and scores the mentions
against the set's gold the way the reference scorer's surface metric does (a multiset of type and
whitespace-normalised surface per document, body mentions only, micro-averaged). The rows:

1. rules only (``MEDIA_ETL_NER=rules``);
2. rules and the statistical model, no layer on top;
3. + the filters on the model's names (nationality words, headings, quoted titles …);
4. + gazetteer-backed type correction;
5. + teams before a score;
6. + one label per name per article;
7. + tagged repeats of a name, and places inside Russian organisation names: everything, as a run.

It also prints the milliseconds per article of rules only and of everything (one process, the
same bodies, so the ratio holds on a busy machine). Figures differ a little from ``make eval``'s,
which scores the warehouse (same bodies, mentions from the worker processes).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from media_etl.enrich.entities import extract_mentions  # noqa: E402
from media_etl.enrich.entities.extractor import Extractor  # noqa: E402
from media_etl.enrich.entities.models import NER_MODE_VARIABLE  # noqa: E402
from media_etl.enrich.records import ArticleText  # noqa: E402

DEV = REPO_ROOT.parent / "shared" / "corpora" / "dev"
SCRATCH = REPO_ROOT / ".tmp" / "eval"
TYPES = {"person": "PER", "organisation": "ORG", "place": "LOC"}
GOLD_TYPES = frozenset(TYPES.values())

Document = tuple[ArticleText, collections.Counter[tuple[str, str]]]


def _surface(text: str) -> str:
    return " ".join(text.split())


def documents(dev_set: str, limit: int | None) -> list[Document]:
    """The bodies ``make eval`` stored for a dev set, each with its gold body mentions."""
    folder = DEV / dev_set
    database = SCRATCH / dev_set / "media.db"
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute("select article_id, source_uri, body, language from articles order by source_uri").fetchall()
    heads: dict[str, int] = {}
    if dev_set.startswith("nerel"):
        for line in (folder / "gold_articles.jsonl").read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            text = (folder / doc["file"]).read_text(encoding="utf-8")
            heads[doc["doc_id"]] = text.find("\n") if "\n" in text else len(text)
    gold: dict[str, collections.Counter[tuple[str, str]]] = collections.defaultdict(collections.Counter)
    for line in (folder / "gold_entities.jsonl").read_text(encoding="utf-8").splitlines():
        entity = json.loads(line)
        kind = entity.get("coarse_type") or entity["type"]
        if kind in GOLD_TYPES and entity["start"] >= heads.get(entity["doc_id"], 0):
            gold[entity["doc_id"]][(kind, _surface(entity["surface"]))] += 1
    docs = [
        (ArticleText(article_id, "", body, None, language), gold[Path(uri).stem])
        for article_id, uri, body, language in rows
    ]
    return docs[:limit] if limit else docs


def score(docs: list[Document]) -> tuple[dict[str, float], float]:
    """F1 per type and overall (``ALL``), and milliseconds per article."""
    tp: collections.Counter[str] = collections.Counter()
    fp: collections.Counter[str] = collections.Counter()
    fn: collections.Counter[str] = collections.Counter()
    started = time.perf_counter()
    for article, gold in docs:
        found = collections.Counter((TYPES[m.entity_type], _surface(m.surface)) for m in extract_mentions(article))
        for key in set(found) | set(gold):
            hit = min(found[key], gold[key])
            tp[key[0]] += hit
            fp[key[0]] += found[key] - hit
            fn[key[0]] += gold[key] - hit
    elapsed = time.perf_counter() - started
    f1: dict[str, float] = {}
    for kind in (*sorted(GOLD_TYPES), "ALL"):
        t = sum(tp.values()) if kind == "ALL" else tp[kind]
        p = sum(fp.values()) if kind == "ALL" else fp[kind]
        n = sum(fn.values()) if kind == "ALL" else fn[kind]
        f1[kind] = 2 * t / (2 * t + p + n) if t else 0.0
    return f1, 1000 * elapsed / max(1, len(docs))


@contextmanager
def switched_off(names: Sequence[str]) -> Iterator[None]:
    """Replace the named Extractor layers with ones that change nothing, for the block."""
    neutral: dict[str, Callable[..., Any]] = {
        "model_name_ok": lambda self, first, last, kind: True,
        "checked_kind": lambda self, first, last, kind: kind,
        "teams_in_results": lambda self: None,
        "one_label_per_name": lambda self: None,
        "tag_repeats": lambda self: None,
        "places_inside_organisations": lambda self: None,
    }
    saved = {name: getattr(Extractor, name) for name in names}
    try:
        for name in names:
            setattr(Extractor, name, neutral[name])
        yield
    finally:
        for name, method in saved.items():
            setattr(Extractor, name, method)


LAYERS = (
    "model_name_ok",
    "checked_kind",
    "teams_in_results",
    "one_label_per_name",
    "tag_repeats",
    "places_inside_organisations",
)
ROWS = (
    ("rules only", None, LAYERS),
    ("rules + model", "models", LAYERS),
    ("+ filters on the model's names", "models", LAYERS[1:]),
    ("+ gazetteer type correction", "models", LAYERS[2:]),
    ("+ teams before a score", "models", LAYERS[3:]),
    ("+ one label per name", "models", LAYERS[4:]),
    ("+ repeats, places in Russian org names (all)", "models", ()),
)


def main(argv: Sequence[str] | None = None) -> int:
    """Print one table per dev set: each layer's F1 per type and overall."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", default=["conll-train", "nerel-train"])
    parser.add_argument("--limit", type=int, default=None, help="first N articles of each set")
    args = parser.parse_args(argv)
    for dev_set in args.sets:
        if not (SCRATCH / dev_set / "media.db").is_file() or not (DEV / dev_set).is_dir():
            print(f"{dev_set}: skipped, run `make eval` first (needs {SCRATCH / dev_set} and {DEV / dev_set})")
            continue
        docs = documents(dev_set, args.limit)
        print(f"{dev_set} ({len(docs)} articles)")
        print(f"  {'layers':<46} {'PER':>6} {'ORG':>6} {'LOC':>6} {'ALL':>6} {'ms/article':>11}")
        for label, mode, off in ROWS:
            os.environ[NER_MODE_VARIABLE] = "rules" if mode is None else "models"
            with switched_off(off):
                f1, ms = score(docs)
            figures = " ".join(f"{f1[k]:>6.3f}" for k in ("PER", "ORG", "LOC", "ALL"))
            print(f"  {label:<46} {figures} {ms:>11.1f}")
        os.environ.pop(NER_MODE_VARIABLE, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
