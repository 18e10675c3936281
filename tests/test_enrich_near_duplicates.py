"""Near-duplicate story clusters: folding, shingles, signatures, clusters, who ran it first and the lags."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
import pandas as pd
import pytest

from media_etl.enrich.near_duplicates import (
    COLUMNS,
    NUM_PERM,
    cluster_stories,
    lsh_bands,
    shingles,
    signature,
    signature_values,
    words,
)
from media_etl.records import short_hash
from schemas.story_clusters import StoryClusterSchema
from tests.conftest import SEEDS


def seed_body(name: str) -> str:
    """The body of a plain-text seed: its blocks after the headline and update note, joined by blank lines."""
    blocks = [b.strip() for b in (SEEDS / name).read_text(encoding="utf-8").split("\n\n") if b.strip()]
    return "\n\n".join(b for b in blocks[1:] if not b.startswith("Details added"))


FORUM = seed_body("000_a24507a823bb7c72.txt")
PLATFORM = seed_body("002_3a0b39f4f30f4f20.txt")
FACT_CHECKERS = seed_body("sample_01_ap_washington_video.txt")
BROADCASTERS = seed_body("sample_02_reuters_paris.txt")


def reprinted(body: str) -> str:
    """A reprint's body: last paragraph dropped, credit added, quotes straightened, Turkish letters ASCII-fied."""
    paragraphs = body.split("\n\n")[:-1]
    paragraphs[0] = paragraphs[0].rstrip(".") + ", Trend reports."
    text = "\n\n".join(paragraphs)
    return text.translate(str.maketrans("“”’İıŞşĞğ", '""\'IiSsGg'))


Row = tuple[str, str, str | None, str | None, str]
"""(article_id, outlet, published_at, published_date, body)"""


def frame(*rows: Row) -> pd.DataFrame:
    """Articles from (article_id, outlet, published_at, published_date, body) tuples."""
    return pd.DataFrame(
        {
            "article_id": [r[0] for r in rows],
            "outlet": [r[1] for r in rows],
            "published_at": pd.to_datetime([r[2] for r in rows], utc=True),
            "published_date": [date.fromisoformat(r[3]) if r[3] else None for r in rows],
            "body": [r[4] for r in rows],
        }
    )


def test_words_fold_case_turkic_letters_quotes_and_punctuation() -> None:
    assert words("İstanbul'da") == words("ISTANBUL’DA") == words("Istanbulda") == ["istanbulda"]
    assert words("Şəki, “Bakı”!") == words('Seki - "Baki"') == ["seki", "baki"]
    assert words("O‘zbekiston") == words("O'zbekiston") == ["ozbekiston"]
    assert words("Қазақстан — Ёлка") == ["қазақстан", "елка"]


def test_shingles_are_runs_of_words_and_short_texts_give_one() -> None:
    assert shingles("A b, c d.", k=3) == {"a b c", "b c d"}
    assert shingles("Only two", k=3) == {"only two"}
    assert shingles(" … — ", k=3) == set()
    with pytest.raises(ValueError, match="k must be positive"):
        shingles("text", k=0)


def test_signature_is_deterministic_and_round_trips_through_bytes() -> None:
    stored = signature(FORUM)
    assert isinstance(stored, bytes)
    assert len(stored) == 4 * NUM_PERM
    assert signature(FORUM) == stored
    values = signature_values(stored)
    assert values.dtype == np.uint32
    assert values.tobytes() == stored
    assert signature_values(bytearray(stored)).tolist() == values.tolist()
    assert signature_values(memoryview(stored)).tolist() == values.tolist()
    assert signature_values(values).tolist() == values.tolist()
    with pytest.raises(ValueError, match="num_perm=64"):
        signature_values(stored, num_perm=64)


def test_signatures_survive_parquet_and_cluster_as_bodies_do(tmp_path) -> None:
    articles = frame(
        ("a1", "Trend", "2025-11-27 12:40", "2025-11-27", FORUM),
        ("a2", "AZERTAC", "2025-11-27 13:05", "2025-11-27", reprinted(FORUM)),
        ("a3", "Reuters", "2024-08-31 09:00", "2024-08-31", BROADCASTERS),
    )
    path = tmp_path / "article_signatures.parquet"
    articles.assign(signature=[signature(b) for b in articles["body"]])[["article_id", "signature"]].to_parquet(path)
    stored = pd.read_parquet(path)
    from_store = articles.drop(columns="body").merge(stored, on="article_id")
    pd.testing.assert_frame_equal(cluster_stories(from_store), cluster_stories(articles))


def test_identical_texts_cluster() -> None:
    clusters = cluster_stories(
        frame(
            ("a1", "Trend", "2025-11-27 12:40", "2025-11-27", FORUM),
            ("a2", "Report.az", "2025-11-27 12:55", "2025-11-27", FORUM),
        )
    )
    assert clusters["article_id"].tolist() == ["a1", "a2"]
    assert clusters["similarity"].tolist() == [1.0, 1.0]


def test_lightly_edited_reprint_clusters_with_its_original() -> None:
    edited = reprinted(FORUM)
    clusters = cluster_stories(
        frame(
            ("orig", "Trend", "2025-11-27 12:40", "2025-11-27", FORUM),
            ("copy", "APA", "2025-11-27 14:00", "2025-11-27", edited),
            ("other", "Anadolu Agency", "2025-11-27 12:00", "2025-11-27", PLATFORM),
        )
    )
    assert set(clusters["article_id"]) == {"orig", "copy"}
    copy = clusters.set_index("article_id").loc["copy"]
    assert copy["first_article_id"] == "orig"
    assert copy["lag_seconds"] == 80 * 60
    assert 0.5 <= copy["similarity"] < 1.0


def test_unrelated_stories_do_not_cluster() -> None:
    clusters = cluster_stories(
        frame(
            ("a1", "Trend", "2025-11-27 12:40", "2025-11-27", FORUM),
            ("a2", "Anadolu Agency", None, None, PLATFORM),
            ("a3", "Associated Press", None, "2024-03-12", FACT_CHECKERS),
            ("a4", "Reuters", None, "2024-08-31", BROADCASTERS),
        )
    )
    assert clusters.empty
    assert list(clusters.columns) == list(COLUMNS)
    StoryClusterSchema.validate(clusters)


def test_texts_without_words_never_cluster() -> None:
    clusters = cluster_stories(
        frame(("a1", "Trend", None, None, ""), ("a2", "APA", None, None, " — "), ("a3", "UzA", None, None, "…"))
    )
    assert clusters.empty


def _many_stories() -> pd.DataFrame:
    rows: list[Row] = []
    for n, (outlet, body) in enumerate((("Trend", FORUM), ("Anadolu Agency", PLATFORM), ("AP", FACT_CHECKERS))):
        rows.append((f"o{n}", outlet, f"2025-11-2{n} 08:00", f"2025-11-2{n}", body))
        rows.append((f"r{n}a", "APA", f"2025-11-2{n} 09:30", f"2025-11-2{n}", reprinted(body)))
        rows.append((f"r{n}b", "Report.az", None, f"2025-11-2{n}", body + "\n\nFollow us on Telegram"))
    rows.append(("single", "Reuters", "2024-08-31 09:00", "2024-08-31", BROADCASTERS))
    return frame(*rows)


def test_output_is_the_same_whatever_the_input_order() -> None:
    articles = _many_stories()
    expected = cluster_stories(articles)
    assert len(expected) == 9
    for seed in range(5):
        order = list(range(len(articles)))
        random.Random(seed).shuffle(order)
        shuffled = articles.iloc[order].reset_index(drop=True)
        pd.testing.assert_frame_equal(cluster_stories(shuffled), expected)


def test_cluster_id_is_the_hash_of_the_first_member_and_survives_a_later_reprint() -> None:
    articles = _many_stories()
    before = cluster_stories(articles)
    later = frame(("r0c", "Daily Sabah", "2025-11-20 23:00", "2025-11-20", reprinted(FORUM)))
    after = cluster_stories(pd.concat([articles, later], ignore_index=True))
    assert set(before["cluster_id"]) == set(after["cluster_id"])
    assert set(before["cluster_id"]) == {short_hash("story", f"o{n}") for n in range(3)}
    assert after.set_index("article_id").loc["r0c", "cluster_id"] == short_hash("story", "o0")


def test_first_and_lags_with_unknown_dates() -> None:
    clusters = cluster_stories(
        frame(
            ("a0-no-date", "Unknown", None, None, FORUM),
            ("b-date-only", "Report.az", None, "2025-11-27", FORUM),
            ("c-later", "APA", "2025-11-27 13:10:30", "2025-11-27", FORUM),
            ("d-first", "Trend", "2025-11-27 12:40:00", "2025-11-27", FORUM),
            ("e-tie", "AZERTAC", "2025-11-27 12:40:00", "2025-11-27", FORUM),
        )
    ).set_index("article_id")
    assert clusters["is_first"].to_dict() == {
        "d-first": True,
        "e-tie": False,
        "c-later": False,
        "b-date-only": False,
        "a0-no-date": False,
    }
    assert list(clusters.index) == ["d-first", "e-tie", "c-later", "b-date-only", "a0-no-date"]
    assert set(clusters["first_article_id"]) == {"d-first"}
    assert set(clusters["first_outlet"]) == {"Trend"}
    lags = clusters["lag_seconds"]
    assert lags["d-first"] == 0 and lags["e-tie"] == 0 and lags["c-later"] == 1830
    assert pd.isna(lags["b-date-only"]) and pd.isna(lags["a0-no-date"])


def test_an_article_known_by_an_earlier_date_comes_before_a_later_timed_one() -> None:
    clusters = cluster_stories(
        frame(
            ("timed", "APA", "2025-11-28 06:00", "2025-11-28", FORUM),
            ("dated", "Trend", None, "2025-11-27", FORUM),
        )
    ).set_index("article_id")
    assert clusters.loc["dated", "is_first"]
    assert clusters["lag_seconds"].isna().all()


def test_without_any_date_the_smallest_article_id_is_first() -> None:
    clusters = cluster_stories(frame(("b", "APA", None, None, FORUM), ("a", "Trend", None, None, FORUM)))
    assert clusters["first_article_id"].tolist() == ["a", "a"]
    assert clusters["lag_seconds"].isna().all()


def test_stored_signatures_win_and_missing_ones_come_from_the_body() -> None:
    articles = frame(
        ("a1", "Trend", "2025-11-27 12:40", "2025-11-27", FORUM),
        ("a2", "APA", "2025-11-27 12:50", "2025-11-27", "replaced by its stored signature"),
    )
    articles["signature"] = [None, signature(FORUM)]
    assert cluster_stories(articles)["article_id"].tolist() == ["a1", "a2"]
    without_body = articles.drop(columns="body")
    with pytest.raises(ValueError, match="a1 has neither a signature nor a body"):
        cluster_stories(without_body)


def test_bad_input_is_refused() -> None:
    articles = frame(("a1", "Trend", None, None, FORUM), ("a1", "APA", None, None, FORUM))
    with pytest.raises(ValueError, match="article ids repeat: a1"):
        cluster_stories(articles)
    with pytest.raises(ValueError, match="lack columns: published_date"):
        cluster_stories(articles.drop(columns="published_date"))
    with pytest.raises(ValueError, match="threshold"):
        cluster_stories(articles, threshold=0)
    signed = frame(("a1", "Trend", None, None, FORUM)).assign(signature=[signature(FORUM, num_perm=64)])
    with pytest.raises(ValueError, match="num_perm=128"):
        cluster_stories(signed)


def test_other_num_perm_works_when_signatures_match_it() -> None:
    articles = frame(("a1", "Trend", None, None, FORUM), ("a2", "APA", None, None, reprinted(FORUM)))
    clusters = cluster_stories(articles.assign(signature=[signature(b, 64) for b in articles["body"]]), num_perm=64)
    assert len(clusters) == 2


def test_lsh_bands_at_the_default_threshold() -> None:
    assert lsh_bands() == (32, 4)


def test_output_validates_against_the_story_clusters_schema() -> None:
    clusters = cluster_stories(_many_stories().assign(article_id=lambda f: [short_hash(i) for i in f["article_id"]]))
    StoryClusterSchema.validate(clusters)
    assert clusters["lag_seconds"].dtype == "Int64"
    empty = cluster_stories(frame(("a1", "Trend", None, None, FORUM)))
    assert clusters.dtypes.to_dict() == empty.dtypes.to_dict()
