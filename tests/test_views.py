"""Reporting views: each rpt_*.sql view against a warehouse the ETL flow builds from the seeds and samples, plus
inputs written here to exercise reprints (near-verbatim copies by other outlets), superseded versions (files
changed between two runs) and a source whose daily volume has a gap and drops."""

import json
import random
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.etl import etl
from media_etl.load import prepare_warehouse
from media_etl.store.database import MATERIALISED_SCHEMA, build_database, materialised_views, views_in_memory
from media_etl.store.versions import VERSIONED_TABLES, all_versions_view
from tests.conftest import REPO_ROOT, SEEDS

VIEWS = REPO_ROOT / "warehouse" / "views"
MONITOR = "monitor.example"  # an outlet missing from sources.yaml: it is named by its source_domain
# Articles monitor.example publishes per day of May 2025: 05-05 is a gap, 05-07 and 05-10 drops.
MONITOR_VOLUME = {1: 3, 2: 3, 3: 3, 4: 3, 5: 0, 6: 3, 7: 1, 8: 2, 9: 3, 10: 1}
# The records (day, n) whose body names a digital_media keyword (themes.yaml: "internet").
MONITOR_THEMED = {(1, 0), (7, 0)}
# Plain words that name no entity, theme, date or quote cue, so monitor bodies are unrelated stories.
WORDS = (
    "apple pear plum cherry lemon melon grape peach carrot onion garlic pepper bean pea corn rice wheat oat barley"
    " flour sugar salt honey butter cheese bread cake soup kettle spoon fork plate cup bowl jar basket bucket ladder"
    " hammer nail screw rope chain brush broom candle lamp chair table shelf drawer blanket pillow towel soap comb"
    " mirror window door roof fence garden meadow hill valley pebble sand clay brick timber feather wool cotton"
    " linen silk button needle thread ribbon pocket sleeve collar boot sock glove scarf hat umbrella wagon wheel"
    " saddle lantern teapot saucer napkin cushion curtain carpet stool bench barrel crate sack shovel rake hoe"
)
PHOTO_BANK = (
    "BAKU, Azerbaijan, December 2. News agencies of the Organization of Turkic States agreed to set up a joint"
    " photo bank, Trend reports.\nThe bank will hold photographs from all member states and will be open to every"
    " agency of the organization.\nEditors said the first photographs would be uploaded early next year."
)
APPENDED_002 = "The meeting ended in the evening."
APPENDED_06 = "Seminar yakunida sertifikatlar topshirildi."


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as con:
        return con.execute(sql).fetchall()


def seed_body(name: str) -> list[str]:
    """The body paragraphs of a wire-copy seed: everything after its date line and update note."""
    paragraphs = [p.strip() for p in (SEEDS / name).read_text(encoding="utf-8").split("\n\n") if p.strip()]
    assert paragraphs[1].startswith("Details added")
    return paragraphs[2:]


def reprint_records() -> list[dict[str, object]]:
    """news-please records of other outlets republishing two Trend stories (times in the outlets' zones)."""
    forum = seed_body("000_a24507a823bb7c72.txt")

    def record(title: str, text: str, published: str, url: str, domain: str) -> dict[str, object]:
        return {
            "title": title,
            "maintext": text,
            "date_publish": published,
            "authors": [],
            "url": url,
            "source_domain": domain,
            "language": "en",
        }

    return [
        # Trend's forum story (2025-11-27 12:40 UTC) without its last paragraph, 2.5 hours later.
        record(
            "Baku hosts OTS media panel on digital cooperation",
            "\n".join(forum[:-1]),
            "2025-11-27T19:10:00+04:00",
            "https://azertag.az/en/xeber/ots-media-panel",
            "azertag.az",
        ),
        # The same story in full, a day later.
        record(
            "OTS media forum discusses cooperation in digital media",
            "\n".join(forum),
            "2025-11-28T15:40:00+03:00",
            "https://www.aa.com.tr/en/world/ots-media-panel/1",
            "aa.com.tr",
        ),
        # Trend's photo-bank feed item (2025-12-02 07:05 UTC), 5 hours later.
        record(
            "Turkic agencies to set up joint photo bank",
            PHOTO_BANK,
            "2025-12-02T16:05:00+04:00",
            "https://azertag.az/en/xeber/photo-bank",
            "azertag.az",
        ),
        # And a day later with no time of day: its lag is unknown.
        record(
            "Turkic news agencies plan a joint photo bank",
            PHOTO_BANK,
            "2025-12-03",
            "https://www.inform.kz/en/photo-bank",
            "inform.kz",
        ),
    ]


def monitor_records(revised: bool = False) -> list[dict[str, object]]:
    """monitor.example's articles of 2025-05-01 to 05-10, MONITOR_VOLUME a day; ``revised`` edits the one of 05-07."""
    rng = random.Random(20250501)
    records = []
    for day, count in MONITOR_VOLUME.items():
        for n in range(count):
            words = rng.sample(WORDS.split(), 16)
            if (day, n) in MONITOR_THEMED:
                words[3] = "internet"
            text = f"{' '.join(words[:8])}.\n{' '.join(words[8:])}."
            if revised and day == 7:
                text += "\nthe stock was counted twice."
            records.append(
                {
                    "title": f"Monitor bulletin {day}-{n}",
                    "maintext": text,
                    "date_publish": f"2025-05-{day:02d}",
                    "authors": [],
                    "url": f"https://{MONITOR}/2025/05/{day:02d}/{n}",
                    "source_domain": MONITOR,
                    "language": "en",
                }
            )
    return records


def write_jsonl(path: Path, records: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def write_inputs(folder: Path) -> None:
    """The seeds and samples, two reprint exports and monitor.example's export."""
    for seed in SEEDS.iterdir():
        if seed.is_file():
            shutil.copy(seed, folder / seed.name)
    write_jsonl(folder / "zz_reprints.jsonl", reprint_records())
    write_jsonl(folder / "zz_monitor.jsonl", monitor_records())


def revise_inputs(folder: Path) -> None:
    """Change three sources, so that each has a new article version superseding the old one."""
    anadolu = folder / "002_3a0b39f4f30f4f20.txt"
    text = anadolu.read_text(encoding="utf-8")
    assert "\n\nYou may also like" in text  # the parser drops what follows: add the paragraph before it
    anadolu.write_text(text.replace("\n\nYou may also like", f"\n\n{APPENDED_002}\n\nYou may also like"), "utf-8")
    uza = folder / "sample_06_uza_uz_toshkent.txt"
    uza.write_text(uza.read_text(encoding="utf-8") + f"\n{APPENDED_06}\n", encoding="utf-8")
    write_jsonl(folder / "zz_monitor.jsonl", monitor_records(revised=True))


@pytest.fixture(scope="module")
def warehouse(prefect_harness, tmp_path_factory):
    inputs = tmp_path_factory.mktemp("view_inputs")
    target = tmp_path_factory.mktemp("view_warehouse")
    write_inputs(inputs)
    first = etl(inputs=[str(inputs)], warehouse=str(target), fetch_feeds=False)
    revise_inputs(inputs)
    second = etl(inputs=[str(inputs)], warehouse=str(target), fetch_feeds=False)
    assert (first["status"], second["status"]) == ("completed", "completed")
    assert (first["rows_quarantined"], second["rows_quarantined"]) == (0, 0)
    return target


@pytest.fixture(scope="module")
def empty_warehouse(tmp_path_factory):
    target = tmp_path_factory.mktemp("empty_warehouse")
    prepare_warehouse(target)
    build_database(target, VIEWS)
    return target


@pytest.mark.parametrize("sql_file", sorted(VIEWS.glob("*.sql")), ids=lambda p: p.name)
def test_every_view_has_a_header_and_builds(sql_file, warehouse, empty_warehouse):
    text = sql_file.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        header.append(line.removeprefix("--").strip())
    assert len(" ".join(header)) >= 40, f"{sql_file.name} needs a comment header saying what the view answers"
    assert len(duckdb.extract_statements(text.replace("{source}", "articles"))) == 1
    for target in (empty_warehouse, warehouse):
        with duckdb.connect(str(target / "media.db"), read_only=True) as con:
            con.execute(f"select * from {sql_file.stem}").fetchall()


def test_reports_use_no_cross_product(warehouse):
    """Every join of a report is a hash join: none pairs rows without an equality.

    media.db stores the reports' rows (a plan there is a table scan), so their queries are
    planned over the Parquet tables, as views_in_memory builds them."""
    slow = ("CROSS_PRODUCT", "NESTED_LOOP_JOIN", "BLOCKWISE_NL_JOIN", "PIECEWISE_MERGE_JOIN")
    with views_in_memory(warehouse, VIEWS) as con:
        for sql_file in sorted(VIEWS.glob("rpt_*.sql")):
            plan = "\n".join(row[1] for row in con.execute(f"explain select * from {sql_file.stem}").fetchall())
            assert not [op for op in slow if op in plan], sql_file.name


def test_warehouse_holds_three_superseded_versions(warehouse):
    # 15 seed and sample articles, 4 reprints and 22 monitor.example bulletins, then a new version of each of
    # 002 (Anadolu), sample_06 (UzA) and the monitor bulletin of 05-07.
    assert query(warehouse, "select count(*), count(*) filter (where is_superseded) from article_versions") == [(44, 3)]
    superseded = query(
        warehouse,
        "select outlet, cast(published_date as varchar) from article_versions where is_superseded order by 1",
    )
    assert superseded == [("Anadolu Agency", None), ("UzA", "2025-03-05"), (MONITOR, "2025-05-07")]


@pytest.fixture(scope="module")
def clean_warehouse(prefect_harness, tmp_path_factory):
    """One load of the revised inputs only: what the warehouse of two loads must look like by default."""
    inputs = tmp_path_factory.mktemp("clean_inputs")
    target = tmp_path_factory.mktemp("clean_warehouse")
    write_inputs(inputs)
    revise_inputs(inputs)
    result = etl(inputs=[str(inputs)], warehouse=str(target), fetch_feeds=False)
    assert (result["status"], result["rows_quarantined"]) == ("completed", 0)
    return target


# The names an analyst types: current article versions only, as a clean load of the edited input has them.
def test_media_db_stores_the_aggregating_views_with_the_rows_of_their_queries(warehouse):
    """entities, the staging mentions and quotes and every report are stored tables in media.db, under
    their view names, holding exactly what their SQL gives over the Parquet tables."""
    names = materialised_views(VIEWS)
    assert {"entities", "stg_mentions", "stg_quotes", "stg_person_links", "stg_run_articles"} <= set(names)
    # rpt_quality_by_run reads the runs table live: a run records itself after building media.db.
    assert {p.stem for p in VIEWS.glob("rpt_*.sql")} - set(names) == {"rpt_quality_by_run"}
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as stored:
        tables = stored.execute(
            "select table_name from duckdb_tables() where schema_name = ?", [MATERIALISED_SCHEMA]
        ).fetchall()
        assert sorted(t for (t,) in tables) == sorted(names)
        with views_in_memory(warehouse, VIEWS) as computed:
            for name in names:
                plan = "\n".join(row[1] for row in stored.execute(f"explain select * from {name}").fetchall())
                assert "READ_PARQUET" not in plan.upper(), name  # answered from the stored rows
                got = stored.execute(f"select * from {name}")
                want = computed.execute(f"select * from {name}")
                assert got.description == want.description, name
                rows = got.fetchall()
                assert sorted(rows, key=repr) == sorted(want.fetchall(), key=repr), name
                assert name == "stg_person_links" or rows, f"{name} is empty in the test warehouse"


CURRENT_VIEWS = (*VERSIONED_TABLES, "story_clusters", "entities")
REPORTS = tuple(p.stem for p in sorted(VIEWS.glob("rpt_*.sql")) if p.stem != "rpt_quality_by_run")


@pytest.mark.parametrize("name", CURRENT_VIEWS)
def test_current_views_count_as_a_clean_load_of_the_edited_input(name, warehouse, clean_warehouse):
    sql = (
        f"select count(*), count(distinct article_id) from {name}"
        if name != "entities"
        else ("select count(*), sum(mentions) from entities")
    )
    assert query(warehouse, sql) == query(clean_warehouse, sql)
    if name != "entities":
        ids = f"select distinct article_id from {name} order by 1"
        assert query(warehouse, ids) == query(clean_warehouse, ids)


@pytest.mark.parametrize("name", REPORTS)
def test_reports_equal_a_clean_load_of_the_edited_input(name, warehouse, clean_warehouse):
    sql = f"select * from {name} order by all"
    assert query(warehouse, sql) == query(clean_warehouse, sql)


@pytest.mark.parametrize("name", [t for t in VERSIONED_TABLES if t != "article_signatures"])
def test_history_views_keep_every_version(name, warehouse, clean_warehouse):
    history = all_versions_view(name)
    for target in (warehouse, clean_warehouse):
        [(all_rows,)] = query(target, f"select count(*) from {history}")
        [(current,)] = query(target, f"select count(*) from {name}")
        assert all_rows >= current
    superseded = query(warehouse, "select article_id from article_versions where is_superseded")
    assert len(superseded) == 3
    in_history = query(
        warehouse,
        f"select count(distinct article_id) from {history}"
        " where article_id in (select article_id from article_versions where is_superseded)",
    )
    in_current = query(
        warehouse,
        f"select count(*) from {name}"
        " where article_id in (select article_id from article_versions where is_superseded)",
    )
    assert in_current == [(0,)]
    if name in ("articles", "article_sources", "paragraphs"):
        assert in_history == [(3,)]  # every superseded version has its row, its link and its paragraphs


def test_staging_views_hold_the_current_versions_with_their_outlet_label(warehouse):
    # stg_article_versions has every version; stg_articles, stg_mentions and stg_quotes the current ones only.
    assert query(warehouse, "select count(*) from stg_article_versions") == [(44,)]
    assert query(
        warehouse,
        "select count(*), count(*) filter (where outlet_label = coalesce(outlet, agency, '(unknown)'))"
        " from stg_articles",
    ) == [(41, 41)]
    for name in ("mentions", "quotes"):
        current = (
            f"select count(*) from {name}_all_versions join article_versions using (article_id) where not is_superseded"
        )
        assert query(warehouse, f"select count(*) from stg_{name}") == query(warehouse, current), name


def test_coverage_by_outlet_day_counts_current_versions(warehouse):
    assert query(warehouse, "select sum(articles) from rpt_coverage_by_outlet_day") == [(41,)]
    rows = query(
        warehouse,
        "select outlet, cast(day as varchar), articles, words, dateline_countries, countries"
        " from rpt_coverage_by_outlet_day where day is null or day >= '2025-11-27' or outlet = 'UzA'",
    )
    assert rows == [
        # The Kazinform reprint of Trend's photo bank story (46 words, BAKU dateline).
        ("Kazinform", "2025-12-03", 1, 46, 1, "AZ"),
        ("Trend", "2025-12-03", 1, 27, 0, None),
        ("AZERTAC", "2025-12-02", 1, 46, 1, "AZ"),
        ("Trend", "2025-12-02", 1, 46, 1, "AZ"),
        # Trend's forum story in full (348 words); AZERTAC's copy lacks its 34-word last paragraph.
        ("Anadolu Agency", "2025-11-28", 1, 348, 1, "AZ"),
        ("AZERTAC", "2025-11-27", 1, 314, 1, "AZ"),
        ("Trend", "2025-11-27", 2, 348 + 24, 1, "AZ"),
        ("UzA", "2025-04-08", 1, 28, 0, None),
        # One article, not two: the 22-word version is superseded by the 26-word one.
        ("UzA", "2025-03-05", 1, 22 + 4, 1, "UZ"),
        # 002's new version (720 + 6 words) and sample_07 (32 words); the old 002 is not counted.
        ("Anadolu Agency", None, 2, 726 + 32, 1, "TR"),
    ]
    assert query(
        warehouse,
        f"select articles, words from rpt_coverage_by_outlet_day where outlet = '{MONITOR}' and day = '2025-05-07'",
    ) == [(1, 16 + 5)]


def test_coverage_by_country_day(warehouse):
    rows = query(
        warehouse,
        "select country, cast(day as varchar), articles, words, outlets, outlet_names"
        " from rpt_coverage_by_country_day where day is null or day >= '2025-11-27'",
    )
    assert rows == [
        ("AZ", "2025-12-03", 1, 46, 1, "Kazinform"),
        (None, "2025-12-03", 1, 27, 1, "Trend"),
        ("AZ", "2025-12-02", 2, 92, 2, "AZERTAC,Trend"),
        ("AZ", "2025-11-28", 1, 348, 1, "Anadolu Agency"),
        ("AZ", "2025-11-27", 3, 348 + 24 + 314, 2, "AZERTAC,Trend"),
        ("TR", None, 2, 758, 1, "Anadolu Agency"),
    ]
    assert query(warehouse, "select sum(articles) from rpt_coverage_by_country_day") == [(41,)]
    assert query(
        warehouse,
        "select articles, outlet_names from rpt_coverage_by_country_day where country is null and day = '2025-05-01'",
    ) == [(3, MONITOR)]


def test_top_people(warehouse):
    rows = query(
        warehouse,
        "select person, mentions, articles_mentioned, quotes, direct_quotes, articles_quoted, mention_rank, quote_rank"
        " from rpt_top_people",
    )
    panel = ["Alptekin Cihangir İşbilir", "Elmira Musazadeh", "Makpal Ukenova", "Mustafa Lakadamyalı"]
    panel += ["Sevil Mikayilova", "Tokhir Umarov"]
    assert rows == [
        # Altun's 15 quotes (10 direct) are all in 002; its superseded version would double them.
        ("Fahrettin Altun", 6, 1, 15, 10, 1, 1, 1),
        # Rasulov is quoted twice in Trend's forum story, twice in Anadolu's full reprint and once in AZERTAC's,
        # which drops the paragraph with "He pointed out that ...".
        ("Eldar Rasulov", 3, 3, 5, 0, 3, 2, 2),
        ("Hikmet Hajiyev", 3, 1, 4, 3, 1, 2, 3),
        # The forum's panel: named once in the story and in each of its two reprints, never quoted.
        *[(name, 3, 3, 0, 0, 0, 2, 4) for name in panel],
    ]
    assert query(warehouse, "select top_role from rpt_top_people where person = 'Fahrettin Altun'") == [
        ("Communications Director",)
    ]


def test_who_quotes_whom(warehouse):
    rows = query(
        warehouse, "select outlet, speaker, speaker_type, quotes, direct_quotes, articles from rpt_who_quotes_whom"
    )
    assert rows == [
        ("Anadolu Agency", "Fahrettin Altun", "person", 15, 10, 1),
        ("Anadolu Agency", "Hikmet Hajiyev", "person", 4, 3, 1),
        ("Anadolu Agency", "Communications Directorate", "organisation", 2, 1, 1),
        ("Anadolu Agency", "Eldar Rasulov", "person", 2, 0, 1),
        ("Trend", "Eldar Rasulov", "person", 2, 0, 1),
        ("AZERTAC", "Editors", None, 1, 0, 1),
        ("AZERTAC", "Eldar Rasulov", "person", 1, 0, 1),
        # "News agencies of the Organization of Turkic States agreed to set up a joint photo bank"
        ("AZERTAC", "Organization of Turkic States", "organisation", 1, 0, 1),
        # "The event noted that …", "The panel emphasized that …": reported, by no one named
        ("AZERTAC", "The event", None, 1, 0, 1),
        ("AZERTAC", "The panel", None, 1, 0, 1),
        ("AZERTAC", "Trainers", None, 1, 0, 1),
        ("Anadolu Agency", "The event", None, 1, 0, 1),
        ("Anadolu Agency", "The panel", None, 1, 0, 1),
        ("Associated Press", "State Department", "organisation", 1, 0, 1),
        ("Associated Press", "a department spokesperson", None, 1, 1, 1),
        ("Kazinform", "Editors", None, 1, 0, 1),
        ("Kazinform", "Organization of Turkic States", "organisation", 1, 0, 1),
        ("Reuters", "Analysts", None, 1, 0, 1),
        ("Reuters", "Public broadcasters from eleven European countries", None, 1, 0, 1),
        ("Reuters", "their union", None, 1, 0, 1),
        ("Trend", "Editors", None, 1, 0, 1),
        ("Trend", "Organization of Turkic States", "organisation", 1, 0, 1),
        ("Trend", "Participants", None, 1, 0, 1),
        ("Trend", "The event", None, 1, 0, 1),
        ("Trend", "The panel", None, 1, 0, 1),
        ("UzA", "Fact-checkers", None, 1, 0, 1),
    ]


def test_org_comentions(warehouse):
    rows = query(warehouse, "select organisation_a, organisation_b, articles, outlets from rpt_org_comentions")
    # The forum story names 12 organisations: 66 pairs, each in the story and its two reprints, by 3 outlets.
    assert len(rows) == 68
    assert rows[0] == ("Administration of the President of Uzbekistan", "Balapan Channel", 3, 3)
    assert [r for r in rows if r[2:] == (3, 3)] == rows[:66]
    assert ("Organization of Turkic States", "World Urban Forum", 3, 3) in rows
    # One article each, however many versions: 002 (its superseded version not counted) and sample_07.
    assert rows[66:] == [
        ("Communications Directorate", "Dezenformasyonla Mücadele Merkezi", 1, 1),
        ("Communications Directorate", "Turkey-Azerbaijan Joint Media Platform", 1, 1),
    ]
    assert all(a < b for a, b, *_ in rows)


def test_theme_trends(warehouse):
    rows = query(
        warehouse,
        "select week, cast(week_start as varchar), theme, articles, evidence, week_articles, share"
        " from rpt_theme_trends where week_start >= '2025-04-28' or week is null",
    )
    assert rows == [
        # monitor.example: 12 bulletins from Thursday 05-01 to Sunday 05-04, one naming the internet.
        ("2025-W18", "2025-04-28", "digital_media", 1, 1, 12, 0.083),
        # 10 from 05-06 to 05-10 (05-05 has none); the revised 05-07 one names the internet, its old version too.
        ("2025-W19", "2025-05-05", "digital_media", 1, 1, 10, 0.1),
        ("2025-W23", "2025-06-02", "media_cooperation", 1, 1, 1, 1.0),
        ("2025-W42", "2025-10-13", "digital_media", 1, 1, 1, 1.0),
        ("2025-W42", "2025-10-13", "disinformation", 1, 1, 1, 1.0),
        ("2025-W42", "2025-10-13", "elections", 1, 1, 1, 1.0),
        # Trend's forum story (5 digital_media, 4 media_cooperation and 8 urban_development spans), its reprints
        # (AZERTAC's without the paragraph holding "internet" and "WUF13") and Trend's Azerbaijani story (1, 2, 0).
        ("2025-W48", "2025-11-24", "digital_media", 4, 5 + 5 + 4 + 1, 4, 1.0),
        ("2025-W48", "2025-11-24", "media_cooperation", 4, 4 + 4 + 4 + 2, 4, 1.0),
        ("2025-W48", "2025-11-24", "urban_development", 3, 8 + 8 + 7, 4, 0.75),
        # The photo bank story and its two reprints ("joint photo bank"), and "Media forum closes in Baku".
        ("2025-W49", "2025-12-01", "media_cooperation", 4, 4, 4, 1.0),
        ("2025-W49", "2025-12-01", "disinformation", 1, 1, 4, 0.25),
        # The two undated Anadolu articles: 002 (current version only) and sample_07.
        (None, None, "digital_media", 2, 2, 2, 1.0),
        (None, None, "disinformation", 2, 10, 2, 1.0),
        (None, None, "armed_conflict", 1, 7, 2, 0.5),
        (None, None, "media_cooperation", 1, 3, 2, 0.5),
        (None, None, "public_diplomacy", 1, 4, 2, 0.5),
    ]


def test_reprints(warehouse):
    rows = query(warehouse, "select * from rpt_reprints")
    assert rows == [
        # AZERTAC ran the forum story 2.5 h after Trend (15:10 against 12:40 UTC) and the photo bank story 5 h after.
        ("Trend", "AZERTAC", 2, 2, 2, 3.75, 2.5, 5.0),
        ("Trend", "Anadolu Agency", 1, 1, 1, 24.0, 24.0, 24.0),
        # Kazinform's copy has a date but no time: a reprint with an unknown lag.
        ("Trend", "Kazinform", 1, 1, 0, None, None, None),
    ]
    # Only current versions are clustered: a changed file never forms a "story" with its own
    # earlier version, so the only clusters are the two Trend stories and their reprints.
    clusters = query(
        warehouse, "select outlet, count(*) from story_clusters where outlet = first_outlet group by 1 order by 1"
    )
    assert clusters == [("Trend", 2)]
    assert query(
        warehouse,
        "select count(*) from story_clusters c join article_versions a using (article_id) where a.is_superseded",
    ) == [(0,)]


def test_source_health_flags_gaps_and_drops(warehouse):
    rows = query(
        warehouse,
        "select cast(day as varchar), articles, trailing_7d_avg, trailing_days, is_gap, is_drop"
        f" from rpt_source_health where outlet = '{MONITOR}'",
    )
    assert rows == [
        ("2025-05-01", 3, None, 0, False, False),
        ("2025-05-02", 3, 3.0, 1, False, False),
        ("2025-05-03", 3, 3.0, 2, False, False),
        ("2025-05-04", 3, 3.0, 3, False, False),
        ("2025-05-05", 0, 3.0, 4, True, False),
        ("2025-05-06", 3, 2.4, 5, False, False),  # 12 / 5
        ("2025-05-07", 1, 2.5, 6, False, True),  # 15 / 6: 1 < 1.25 (its superseded version is not counted)
        ("2025-05-08", 2, 2.29, 7, False, False),  # 16 / 7
        ("2025-05-09", 3, 2.14, 7, False, False),  # 15 / 7: 05-01 has left the window
        ("2025-05-10", 1, 2.14, 7, False, True),  # 15 / 7: 1 < 1.07
    ]
    summary = query(
        warehouse,
        "select outlet, count(*), cast(min(day) as varchar), cast(max(day) as varchar), count(*) filter (where is_gap),"
        " count(*) filter (where is_drop), sum(articles) from rpt_source_health group by outlet order by outlet",
    )
    # Sparse outlets (a few articles over months) have quiet days, but no gaps: none averaged one a day.
    assert summary == [
        # 2025-06-02 to 2025-12-02 is 184 days, with articles on 06-02, 10-14, 11-27 and 12-02.
        ("AZERTAC", 184, "2025-06-02", "2025-12-02", 0, 0, 4),
        ("Anadolu Agency", 1, "2025-11-28", "2025-11-28", 0, 0, 1),  # its other two articles are undated
        ("Associated Press", 1, "2024-03-12", "2024-03-12", 0, 0, 1),
        # 2024-03-12 to 2025-12-03 is 632 days (2024 is a leap year).
        ("Kazinform", 632, "2024-03-12", "2025-12-03", 0, 0, 3),
        ("Reuters", 1, "2024-08-31", "2024-08-31", 0, 0, 1),
        ("Trend", 632, "2024-03-12", "2025-12-03", 0, 0, 5),
        ("UzA", 35, "2025-03-05", "2025-04-08", 0, 0, 2),
        (MONITOR, 10, "2025-05-01", "2025-05-10", 1, 2, 22),
    ]


def test_quality_by_run(warehouse):
    rows = query(
        warehouse,
        "select files_seen, files_unchanged, files_read, articles_parsed, articles_loaded, articles_already_loaded,"
        " rows_quarantined, rejected_share, new_quarantine_reasons from rpt_quality_by_run",
    )
    assert rows == [
        # The second run reads the three changed files: 002, sample_06 and the monitor export (22 records, 1 new).
        (15, 12, 3, 24, 3, 21, 0, 0.0, None),
        (15, 0, 15, 41, 41, 0, 0, 0.0, None),
    ]
