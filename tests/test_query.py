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
