"""The store's contract: every test runs on SQLite (a temporary file) and on PostgreSQL."""
from __future__ import annotations

import csv
import json
import pickle
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import pyarrow.parquet as pq

import diurna
from diurna import export, query
from diurna.models import Article, Document, Failure
from diurna.store import FeedState, Store, StoreError, content_hash, testing
from diurna.store import codec
from diurna.store.migrations import MIGRATIONS

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "articles"

# Our own short reports, with events on both sides of several pairs, a negated and a hypothetical one.
TEXTS = {
    "kashmir": ("https://news.example.org/2025/05/kashmir",
                "Pakistan accused India on Monday of shelling villages along the Line of Control in Kashmir. "
                "Indian troops attacked a border post near Poonch on May 10, the Pakistani army said. "
                "India did not attack any civilian area, the Indian Defence Ministry said."),
    "beijing": ("https://news.example.org/2025/05/beijing",
                "Chinese Foreign Minister Wang Yi met Pakistan's foreign minister in Beijing on Tuesday. "
                "The two sides agreed to expand trade. China could impose sanctions on Japan if talks fail."),
    "gulf_of_guinea": (None,
                       "Ghana sent aid to Togo on May 3. Togo thanked Ghana. "
                       "Nigeria demanded that Ghana release three fishermen."),
}
INJECTIONS = ["'; DROP TABLE events; --", "PAK' OR '1'='1", '" OR 1=1 --', "%", "_", "\\",
              "PAK); DELETE FROM articles; --", "' UNION SELECT id FROM articles --", "\x00", "NEAR(", "*", "AND OR NOT"]


@pytest.fixture(scope="module")
def coded() -> list:
    """Articles coded by the real pipeline: our texts (some with urls) and the bundled samples."""
    documents = [Document(id=name, text=text, url=url, published="2025-05-21") for name, (url, text) in TEXTS.items()]
    documents += [Document(id=p.name, text=p.read_text(encoding="utf-8"), published="2025-03-03")
                  for p in sorted(SAMPLES.glob("*.txt"))]
    results = list(diurna.code_documents(documents, min_confidence=0))  # every event: the store is tested
    assert all(r.article is not None for r in results), [r.failure for r in results if r.failure]
    return results


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    with testing.database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def full(store, coded):
    for result in coded:
        assert store.add(result.article, result.events)
    return store


def by_name(coded, name):
    return next(r for r in coded if r.article.id == name)


def stored_id(result) -> str:
    return codec.article_id(result.article.url, content_hash(result.article.text))


# --- writing and reading back --------------------------------------------------------------------

def test_an_article_coded_by_the_pipeline_reads_back_with_every_plover_field(store, coded):
    result = by_name(coded, "kashmir")
    assert store.add(result.article, result.events)
    shown = query.show(store, stored_id(result))
    assert shown.article["url"] == TEXTS["kashmir"][0] and shown.article["source_id"] == "kashmir"
    assert shown.article["status"] == "coded" and shown.article["coder"] == result.events[0].coder
    expected = [codec.keyed(e, stored_id(result)).to_record() for e in result.events]
    assert [s.to_record() for s in shown.events] == expected
    assert [s["text"] for s in shown.sentences] == [s.text for s in result.article.sentences]
    assert {s.event.doc_id for s in shown.events} == {stored_id(result)}


def test_an_article_is_stored_once_by_url(store, coded):
    result = by_name(coded, "kashmir")
    assert store.add(result.article, result.events)
    changed = Article(id="again", text=result.article.text + " Updated.", url=result.article.url)
    assert not store.add(changed, [])
    assert store.counts()["articles"] == 1 and store.has(url=result.article.url)


def test_an_article_without_url_is_stored_once_by_its_normalised_text(store, coded):
    result = by_name(coded, "gulf_of_guinea")
    assert store.add(result.article, result.events)
    respaced = Article(id="copy", text="  " + result.article.text.replace(" ", "  \n") + "\n")
    assert not store.add(respaced, result.events)
    counts = store.counts()
    assert counts["articles"] == 1 and counts["events"] == len(result.events)
    assert store.has(content_hash=content_hash(respaced.text))


def test_event_ids_are_stable_across_a_re_add_into_a_fresh_database(db_url, tmp_path, coded):
    result = by_name(coded, "beijing")
    with Store.open(db_url) as first:
        first.add(result.article, result.events)
        ids = [s.id for s in query.events(first, include_nonfactual=True)]
    with Store.open(tmp_path / "second.db") as second:
        second.add(result.article, result.events)
        assert sorted(s.id for s in query.events(second, include_nonfactual=True)) == sorted(ids)
    assert len(set(ids)) == len(result.events)


def test_two_articles_with_the_same_input_id_never_share_an_event_id(store):
    texts = ["Ghana sent aid to Togo on May 3.", "Ghana sent aid to Togo on May 4, officials said."]
    for text in texts:  # code_text gives every text the same doc id, "text"
        events = diurna.code_text(text, published="2025-05-21", min_confidence=0)
        assert store.add(Article(id="text", text=text), events)
    stored = query.events(store)
    assert len(stored) == 2 and len({s.id for s in stored}) == 2


def test_recode_replaces_the_events_and_keeps_their_ids(store, coded):
    result = by_name(coded, "kashmir")
    store.add(result.article, result.events, coder="diurna/0.0 old")
    article_id = stored_id(result)
    before = {s.id for s in query.events(store, include_nonfactual=True)}
    assert store.articles_to_recode("diurna/0.0 old") == []
    assert store.articles_to_recode("diurna/9.9 new") == [article_id]
    loaded = store.load_article(article_id)
    assert loaded.text == result.article.text and len(loaded.sentences) == len(result.article.sentences)
    assert store.replace_events(article_id, result.events[:2], "diurna/9.9 new") == 2
    after = {s.id for s in query.events(store, include_nonfactual=True)}
    assert after < before and len(after) == 2
    assert store.articles_to_recode("diurna/9.9 new") == []
    assert store.counts()["event_actors"] == sum(len(e.actor) + len(e.recipient) for e in result.events[:2])
    with pytest.raises(StoreError):
        store.replace_events("no-such-article", [], "x")


def test_recoding_a_stored_article_with_the_real_pipeline_keeps_every_event_id(store, coded):
    from diurna.pipeline import Pipeline

    for result in coded[:3]:
        store.add(result.article, result.events, coder="diurna/0.0 old")
    before = sorted(s.id for s in query.events(store, include_nonfactual=True))
    pipeline = Pipeline(min_confidence=0)
    ids = store.articles_to_recode(pipeline.coder)
    assert len(ids) == 3
    for result in pipeline.run([store.load_article(article_id) for article_id in ids]):
        store.replace_events(result.article.id, result.events, pipeline.coder, sentences=result.article.sentences)
    assert sorted(s.id for s in query.events(store, include_nonfactual=True)) == before
    assert store.articles_to_recode(pipeline.coder) == [] and store.integrity_check() == []


def test_a_skipped_article_is_stored_without_events_and_not_recoded(store):
    article = Article(id="fr", text="Le Pakistan a accusé l'Inde.", language="fr")
    assert store.add(article, [], skip_reason="language fr")
    assert store.counts()["articles_skipped"] == 1
    assert store.articles_to_recode("anything") == []


def test_failures_are_recorded_with_their_reason(store):
    store.add_failure(Failure("page-1", "fetch", "HTTP 404", origin="https://example.org/x"))
    store.add_failure(Failure("page-2", "extract", "no article text"))
    with store.read() as conn:
        rows = conn.exec_driver_sql("SELECT doc_id, stage, reason FROM failures ORDER BY doc_id").all()
    assert [tuple(r) for r in rows] == [("page-1", "fetch", "HTTP 404"), ("page-2", "extract", "no article text")]


def test_feed_state_survives_a_reopen(db_url):
    state = FeedState("https://example.org/rss", etag='"abc"', last_modified="Wed, 21 May 2025 07:28:00 GMT",
                      failures=2, last_error="timeout")
    with Store.open(db_url) as store:
        assert store.feed_state(state.url) is None
        store.save_feed_state(state)
        state.failures = 0
        store.save_feed_state(state)
    with Store.open(db_url) as store:
        assert store.feed_state(state.url) == state and store.feed_states() == [state]


# --- queries ---------------------------------------------------------------------------------------

def test_full_text_search_finds_articles_with_snippets(full):
    hits = query.search(full, "ceasefire border")
    assert hits and hits[0]["title"].startswith("Kyrgyzstan and Tajikistan")
    assert "[ceasefire]" in hits[0]["snippet"].lower() or "[border]" in hits[0]["snippet"].lower()
    assert query.search(full, "zebra xylophone") == []


def test_each_filter_narrows_the_events(full):
    every = query.events(full, include_nonfactual=True)
    factual = query.events(full)
    assert len(factual) < len(every) and all(s.event.factual for s in factual)

    def check(expect, **filters):
        found = query.events(full, **filters)
        assert found, filters
        assert all(expect(s.event) for s in found), filters
        assert query.count(full, **filters) == len(found)
        return found

    codes = lambda es: {e.code for e in es}  # noqa: E731
    check(lambda e: "PAK" in codes(e.actor) | codes(e.recipient), country="pak")
    check(lambda e: "PAK" in codes(e.actor), actor="PAK")
    check(lambda e: "GHA" in codes(e.recipient), recipient="GHA")
    check(lambda e: any(a.name == "Wang Yi" or a.text == "Chinese Foreign Minister Wang Yi" for a in e.actor)
          or "CHN" in codes(e.actor), actor="Chinese Foreign Minister Wang Yi")
    check(lambda e: "MIL" in {a.sector for a in e.actor + e.recipient}, sector="MIL")
    check(lambda e: e.event_type == "ASSAULT", event_type="assault")
    check(lambda e: e.event_type in ("AID", "AGREE"), event_type=["AID", "AGREE"])
    check(lambda e: e.quad_code == 4, quad=4)
    check(lambda e: (e.enddate or e.date).isoformat() >= "2025-05-01", since="2025-05-01")
    check(lambda e: e.date.isoformat() <= "2024-12-31", until="2024-12-31")
    check(lambda e: e.doc_id == stored_id_of(full, "kashmir"), query="Poonch")
    check(lambda e: e.confidence >= 0.5, min_confidence=0.5)
    negated = check(lambda e: True, include_nonfactual=True, event_type="ASSAULT", country="IND")
    assert any(not s.event.factual for s in negated)
    assert not any(not s.event.factual for s in query.events(full, event_type="ASSAULT", country="IND"))
    paged = query.events(full, order="-confidence", limit=3, offset=1)
    assert len(paged) == 3 and paged[0].event.confidence >= paged[-1].event.confidence


def stored_id_of(store, source_id):
    with store.read() as conn:
        return conn.exec_driver_sql("SELECT id FROM articles WHERE source_id = 'kashmir'").scalar()


@pytest.mark.parametrize("attack", INJECTIONS)
def test_sql_injection_through_every_string_filter_returns_nothing_and_breaks_nothing(full, attack):
    before = full.counts()
    for name in ("country", "actor", "recipient", "sector", "event_type"):
        assert query.events(full, **{name: attack}) == [], name
    assert query.articles_list(full, site=attack, language=attack, status=attack) == []
    # Full text treats the attack as words to look for: with a word no article has, nothing matches.
    assert query.events(full, query=attack + " zzqxw") == []
    assert query.search(full, attack + " zzqxw") == []
    assert query.articles_list(full, query=attack + " zzqxw") == []
    query.search(full, attack)  # and alone it is a search like any other: no syntax error
    assert full.counts() == before and full.integrity_check() == []


def test_dyads_count_events_and_net_goldstein_per_pair_and_month(full, coded):
    # every mention: an article that tells one fight twice ("exchanges" on Friday, "exchanged fire"
    # in a later paragraph) has one unique event, and the default count is of unique events
    rows = query.dyads(full, period="month", unique=False)
    expected: dict[tuple, list] = {}
    for result in coded:
        for e in result.events:
            if not e.factual or e.date is None:
                continue
            for a in {x.code for x in e.actor if x.code}:
                for r in {x.code for x in e.recipient if x.code}:
                    cell = expected.setdefault((e.date.strftime("%Y-%m"), a, r), [0, 0.0])
                    cell[0] += 1
                    cell[1] += e.goldstein
    got = {(row["period"], row["actor"], row["recipient"]): [row["events"], row["goldstein"]] for row in rows}
    assert got == {k: [n, round(g, 3)] for k, (n, g) in expected.items()}
    assert got[("2025-05", "GHA", "TGO")] == [1, 7.0]
    unique = {(row["period"], row["actor"], row["recipient"]): row["events"] for row in query.dyads(full, period="month")}
    # a two-sided event (a prisoner swap) told once each way is one unique event, shown one way
    unordered = {(period, frozenset((a, r))) for period, a, r in got}
    assert {(period, frozenset((a, r))) for period, a, r in unique} == unordered
    assert all(unique[k] <= got[k][0] for k in unique)
    years = query.dyads(full, period="year", country="GHA")
    assert {row["period"] for row in years} == {"2025"}


def test_a_kept_total_follows_every_write_from_this_store_or_another(db_url, coded):
    first, second = coded[0], coded[1]
    with Store.open(db_url) as store, Store.open(db_url) as other:
        store.add(first.article, first.events)
        before = query.count(store)
        assert query.count(store) == before > 0  # the second call may reuse the first's count
        other.add(second.article, second.events)  # another connection's write
        grown = query.count(store)
        assert grown == len(query.events(store)) > before
        store.write(lambda conn: conn.exec_driver_sql("UPDATE events SET factual = false"))  # its own write
        assert query.count(store) == 0 == query.count(other)


def test_actor_filters_are_served_from_indexes_not_table_scans(full):
    statement = query.events_select(query.Filters(actor="Wang Yi", recipient="pak", limit=5), full.dialect)
    with full.read() as conn:
        if full.dialect == "sqlite":
            compiled = statement.compile(dialect=conn.dialect)
            plan = " ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled),
                                                               tuple(compiled.params[k] for k in compiled.positiontup)))
            assert "SCAN event_actors" not in plan and "ix_event_actors_name" in plan, plan


def test_actor_counts_split_by_side(full):
    rows = {(r["code"], r["sector"]): r for r in query.actors(full)}
    ghana = rows[("GHA", "")]
    assert ghana["as_actor"] >= 1 and ghana["as_recipient"] >= 1
    assert ghana["events"] <= ghana["as_actor"] + ghana["as_recipient"]


def test_stats_sum_to_the_counts(full):
    stats = query.stats(full)
    assert sum(stats["event_types"].values()) == stats["counts"]["events"] == sum(stats["quads"].values())
    assert stats["first_date"] <= stats["last_date"]


# --- exports from the store ---------------------------------------------------------------------

def test_exports_in_every_format_parse_back(full, tmp_path):
    stored = query.events(full, include_nonfactual=True)
    n = len(stored)
    assert export.write(stored, "plover", tmp_path / "e.jsonl") == n
    records = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records == [s.to_record() for s in stored]

    export.write(stored, "csv", tmp_path / "e.csv")
    rows = list(csv.DictReader((tmp_path / "e.csv").open(encoding="utf-8", newline="")))
    assert len(rows) == n and list(rows[0]) == export.CSV_COLUMNS

    export.write(stored, "parquet", tmp_path / "e.parquet")
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == n and table.column("id").to_pylist() == [s.id for s in stored]
    urls = set(table.column("url").to_pylist())
    assert TEXTS["kashmir"][0] in urls
    actor_codes = table.column("actor_code").to_pylist()
    assert actor_codes == [[a.code for a in s.event.actor] for s in stored]

    export.write(stored, "gdelt", tmp_path / "e.tsv")
    lines = (tmp_path / "e.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    assert header[:5] == ["GlobalEventID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    assert header == export.GDELT_COLUMNS and len(lines) == n + 1
    gdelt = [dict(zip(header, line.split("\t"))) for line in lines[1:]]
    assert all(len(line.split("\t")) == len(header) for line in lines[1:])
    assert all(row["DATEADDED"].isdigit() and len(row["DATEADDED"]) == 14 for row in gdelt)
    assert any(row["SOURCEURL"] == TEXTS["kashmir"][0] for row in gdelt)


# --- health, schema, files -----------------------------------------------------------------------

def test_integrity_check_passes_and_counts_add_up(full, coded):
    assert full.integrity_check() == []
    counts = full.counts()
    assert counts["articles"] == len(coded)
    assert counts["events"] == sum(len(r.events) for r in coded)


def test_migrations_are_recorded_and_not_run_twice(db_url):
    with Store.open(db_url) as store:
        with store.read() as conn:
            first = conn.exec_driver_sql("SELECT version, name FROM schema_version ORDER BY version").all()
    with Store.open(db_url) as store:
        with store.read() as conn:
            again = conn.exec_driver_sql("SELECT version, name FROM schema_version ORDER BY version").all()
    assert [tuple(r) for r in first] == [tuple(r) for r in again] == [(i + 1, n) for i, (n, _) in enumerate(MIGRATIONS)]


def test_a_database_from_a_newer_diurna_is_refused(db_url):
    with Store.open(db_url) as store:
        store.write(lambda conn: conn.exec_driver_sql(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'future', '2030-01-01 00:00:00')"))
    with pytest.raises(StoreError, match="newer"):
        Store.open(db_url)


def test_the_sqlite_file_opens_in_plain_sqlite_with_plain_names(tmp_path, coded):
    path = tmp_path / "plain.db"
    with Store.open(path) as store:
        for result in coded[:2]:
            store.add(result.article, result.events)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"articles", "sentences", "events", "event_actors", "failures", "feeds", "schema_version"} <= tables
        n = conn.execute("SELECT count(*) FROM events e JOIN event_actors a ON a.event_id = e.id "
                         "WHERE a.role = 'actor' AND a.code = 'PAK'").fetchone()[0]
        assert n >= 1
        assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Kashmir'").fetchone()[0] == 1


def test_a_bad_database_url_is_a_store_error():
    with pytest.raises(StoreError):
        Store.open("mysql://nobody@localhost/db")


# --- two processes, one SQLite file --------------------------------------------------------------

WRITER = textwrap.dedent("""
    import os, pickle, sys, time
    from diurna.store import Store
    items = pickle.load(open(sys.argv[2], "rb"))
    stored = 0
    with Store.open(sys.argv[1]) as store:
        while not os.path.exists(sys.argv[3]):  # both processes ready: start writing together
            time.sleep(0.005)
        for article, events in items:
            stored += store.add(article, events)
    print(stored)
""")


def test_two_processes_writing_one_sqlite_file_lose_nothing_and_double_nothing(tmp_path, coded):
    # 120 distinct articles built on real coded ones; each process writes 80, 40 of them in common.
    items = []
    for i in range(120):
        base = coded[i % len(coded)]
        text = base.article.text + f"\n\nReport number {i}."
        url = f"https://news.example.org/{i}" if i % 2 else None
        article = Article(id=f"doc{i}", text=text, url=url, title=f"Report {i}", sentences=base.article.sentences)
        items.append((article, base.events))
    path = tmp_path / "shared.db"
    Store.open(path).close()  # created once, so the race is on the writes (opening races are tested too)
    jobs = []
    go = tmp_path / "go"
    for name, part in (("a", items[:80]), ("b", items[40:])):
        batch = tmp_path / f"{name}.pickle"
        batch.write_bytes(pickle.dumps(part))
        jobs.append(subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(batch), str(go)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    time.sleep(0.5)
    go.touch()
    outputs = [job.communicate(timeout=300) for job in jobs]
    assert [job.returncode for job in jobs] == [0, 0], outputs
    assert sum(int(out.strip()) for out, _ in outputs) == 120
    with Store.open(path) as store:
        counts = store.counts()
        assert counts["articles"] == 120
        assert counts["events"] == sum(len(events) for _, events in items)
        assert store.integrity_check() == []


def test_two_processes_opening_a_new_sqlite_file_at_once_both_succeed(tmp_path):
    path = tmp_path / "fresh.db"
    script = "import sys; from diurna.store import Store; Store.open(sys.argv[1]).close()"
    jobs = [subprocess.Popen([sys.executable, "-c", script, str(path)], stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    errors = [job.communicate(timeout=120)[1] for job in jobs]
    assert [job.returncode for job in jobs] == [0, 0, 0], errors
    with Store.open(path) as store:
        assert store.integrity_check() == []


def test_text_with_nul_characters_is_stored_with_its_offsets_intact(store):
    article = Article(id="nul", text="Ghana sent aid\x00 to Togo on May 3.", url="https://example.org/nul\x00")
    events = diurna.code_text(article.text.replace("\x00", " "), published="2025-05-21", min_confidence=0)
    assert store.add(article, events)
    assert not store.add(article, events)
    shown = query.show(store, store.article_id(url=article.url))
    assert len(shown.article["text"]) == len(article.text) and "\x00" not in shown.article["text"]
