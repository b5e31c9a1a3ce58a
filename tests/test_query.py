"""Query arguments: what users type is checked, quoted and never run (the stored-data behaviour of
every filter is in the store's contract suite, tests/test_store.py, on both engines)."""
from __future__ import annotations

import pytest

import diurna
from diurna import query
from diurna.models import Article
from diurna.store import Store
from diurna.store.errors import QueryError
from diurna.store.fulltext import fts5_query


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "q.db") as opened:
        text = ("Pakistan accused India of shelling villages in Kashmir on May 10. "
                "India did not attack any civilian area, the Indian Defence Ministry said.")
        opened.add(Article(id="k", text=text, title="Kashmir shelling"), diurna.code_text(text, published="2025-05-21", min_confidence=0))
        yield opened


@pytest.mark.parametrize("typed, fts5", [
    ("ceasefire border", '"ceasefire" "border"'),
    ('"border crossing" reopened', '"border crossing" "reopened"'),
    ("sanction*", '"sanction"*'),
    ('a"b OR (c', '"a b" "OR" "c"'),  # a word with punctuation inside stays one phrase
    ("NEAR( AND", '"NEAR" "AND"'),
    ("'; DROP TABLE articles; --", '"DROP" "TABLE" "articles"'),
    ("!!! ---", ""),
])
def test_user_text_becomes_an_fts5_query_that_cannot_be_malformed(typed, fts5):
    assert fts5_query(typed) == fts5


def test_a_query_of_no_words_matches_nothing(store):
    assert query.search(store, "!!! ---") == [] and query.events(store, query="((") == []


def test_events_that_did_not_happen_count_only_when_asked_for(store):
    assert all(s.event.factual for s in query.events(store))
    assert any(not s.event.factual for s in query.events(store, include_nonfactual=True))


@pytest.mark.parametrize("filters", [
    {"since": "last tuesday"}, {"until": "2025-13-01"}, {"quad": "four"}, {"order": "date; DROP TABLE events"},
    {"colour": "red"},
])
def test_bad_arguments_are_query_errors_naming_the_problem(store, filters):
    with pytest.raises(QueryError):
        query.events(store, **filters)


def test_an_unknown_period_is_a_query_error(store):
    with pytest.raises(QueryError, match="period"):
        query.dyads(store, period="fortnight")


def test_show_of_an_unknown_article_is_none(store):
    assert query.show(store, "nope") is None


def test_articles_list_counts_events_and_leaves_the_text_out(store):
    (row,) = query.articles_list(store)
    assert row["title"] == "Kashmir shelling" and row["events"] >= 2 and "text" not in row


# --- results kept while the data is unchanged -----------------------------------------------------

def _statements(store):
    """The SQL statements `store` runs, as a list that fills while the test runs."""
    from sqlalchemy import event
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda conn, cursor, sql, *rest: seen.append(sql))
    return seen


def _answers(store):
    return (query.stats(store), query.actors(store), query.dyads(store, period="year"),
            query.count(store), query.count(store, country="IND"))


def test_stats_actors_dyads_and_counts_are_reused_while_the_data_is_unchanged(store):
    first = _answers(store)
    seen = _statements(store)
    assert _answers(store) == first
    assert [s for s in seen if "pragma_data_version" not in s and s != "BEGIN"] == []


def test_kept_results_are_copies_a_caller_may_change(store):
    query.stats(store)["counts"]["events"] = -1
    query.actors(store)[0]["events"] = -1
    query.dyads(store, period="year")[0]["events"] = -1
    assert query.stats(store)["counts"]["events"] > 0
    assert query.actors(store)[0]["events"] > 0 and query.dyads(store, period="year")[0]["events"] > 0


def _more(store) -> None:
    text = "India accused Pakistan of shelling a border post on May 12."
    store.add(Article(id="k2", text=text, title="Border post"),
              diurna.code_text(text, published="2025-05-21", min_confidence=0))


def test_a_write_from_this_process_is_seen_at_once(store):
    before = _answers(store)
    _more(store)
    after = _answers(store)
    assert after[0]["counts"]["articles"] == before[0]["counts"]["articles"] + 1
    assert after[4] > before[4] and after[3] > before[3] and after[1] != before[1]


def test_a_write_from_another_connection_is_seen_at_once(store, tmp_path):
    import sqlite3
    before = _answers(store)
    with Store.open(tmp_path / "q.db") as other:  # another engine: another connection, as another process has
        _more(other)
    after = _answers(store)
    assert after[0]["counts"]["articles"] == before[0]["counts"]["articles"] + 1 and after[4] > before[4]
    with sqlite3.connect(tmp_path / "q.db") as raw:  # a plain update that adds no row
        raw.execute("UPDATE events SET factual = 0")
    assert query.count(store) == 0 and query.stats(store)["counts"]["events_factual"] == 0
    assert query.actors(store) == [] and query.dyads(store, period="year") == []


@pytest.mark.parametrize("filters", [
    {"country": "IND"}, {"country": "pak", "order": "date", "offset": 1}, {"actor": "IND", "quad": [3, 4]},
    {"recipient": "PAK", "since": "2025-01-01"}, {"country": "IND", "until": "2025-01-01"},
    {"country": "IND", "include_nonfactual": True, "limit": 2}, {"country": "ind", "event_type": "ACCUSE"},
    {"actor": "Pakistan", "since": "2025-05-01"}, {"recipient": "india"},
])
def test_walking_the_date_index_finds_the_same_page(store, filters):
    _more(store)
    spec = query.Filters.of(**{"order": "-date", "limit": 50, **filters})
    with store.read() as conn:
        pages = [conn.execute(query.events_select(spec, store.dialect, walk=walk)).all()
                 for walk in (None, query.LIST, query.PROBE)]
    assert pages[0] == pages[1] == pages[2] and (pages[0] or "until" in filters)


def test_a_server_may_show_totals_a_moment_behind_another_process_never_behind_its_own_writes(store, tmp_path,
                                                                                                monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(query.time, "monotonic", lambda: clock[0])
    store.lag_s = 2.0
    before = query.count(store)
    with Store.open(tmp_path / "q.db") as other:  # another process's commit, within the lag: the kept total
        _more(other)
    assert query.count(store) == before
    assert len(query.events(store, limit=None)) > before  # the rows themselves are never kept
    clock[0] += 2.5  # past the lag: counted again
    assert query.count(store) > before
    now = query.count(store)
    text = "Germany signed a trade agreement with Brazil in Berlin on May 13."
    store.add(Article(id="k3", text=text, title="k3"), diurna.code_text(text, published="2025-05-21", min_confidence=0))
    assert query.count(store) > now  # this store's own write: seen at once, lag or not


def test_reads_nested_in_a_read_share_its_connection(store):
    with store.read() as outer:
        with store.read() as inner:
            assert inner is outer
        total, page = query.page(store, limit=1)
    assert total == query.count(store) and len(page) == 1
    with store.read() as again:
        assert again is not outer


def test_actor_codes_lists_each_code_once_in_order(store):
    _more(store)
    codes = query.actor_codes(store)
    assert codes == sorted(set(codes)) and {"IND", "PAK"} <= set(codes) and "" not in codes


def test_a_common_word_is_ranked_among_its_most_recent_matches(store, monkeypatch):
    from diurna.store import fulltext
    for n in range(4):
        text = f"Pakistan and India talked on day {n}." + (" Talks talks talks." if n == 0 else "")
        store.add(Article(id=f"t{n}", text=text, title=f"t{n}"), [])
    ranked = [row["title"] for row in query.search(store, "talks", limit=10)]
    assert ranked[0] == "t0" and len(ranked) == 4  # few matches: all ranked, the densest first
    monkeypatch.setattr(fulltext, "SEARCH_WINDOW", 2)
    recent = [row["title"] for row in query.search(store, "talks", limit=2)]
    assert sorted(recent) == ["t2", "t3"]  # many matches: the two stored last, ranked
    assert [row["title"] for row in query.search(store, "talks", limit=2, offset=2)] != recent
