"""The notebook API: results iterate as dicts and convert to Arrow (and pandas, when installed)."""
from __future__ import annotations

import importlib.util

import pyarrow as pa
import pytest

import diurna
from diurna import database
from diurna.models import Document
from diurna.store import Store
from diurna.store.errors import QueryError

TEXT = ("Ghana sent aid to Togo on May 3. Togo thanked Ghana. "
        "Nigeria demanded that Ghana release three fishermen. Ghana could impose sanctions on Benin.")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "nb.db"
    with Store.open(path) as store:
        (result,) = diurna.code_documents([Document(id="gulf", text=TEXT, url="https://example.org/gulf",
                                                    published="2025-05-21")])
        store.add(result.article, result.events)
    with database.open(path) as opened:
        yield opened


def test_events_iterate_as_flat_dicts_with_actor_lists(db):
    records = db.events(country="GHA")
    assert len(records) >= 2
    first = next(iter(records))
    assert isinstance(first, dict) and isinstance(first["actor_code"], list)
    assert {"id", "date", "event_type", "goldstein", "url"} <= set(first)
    assert all(r["factual"] for r in records)


def test_events_convert_to_arrow_in_one_call(db):
    table = db.events().to_arrow()
    assert isinstance(table, pa.Table) and table.num_rows == len(db.events())
    assert table.schema.field("actor_code").type == pa.list_(pa.string())
    assert table.schema.field("date").type == pa.date32()


def test_events_keep_their_plover_records(db):
    records = db.events(include_nonfactual=True).records()
    assert any("hypothetical" in r["mode"] for r in records) and all(r["doc_id"] for r in records)


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed")
def test_events_convert_to_pandas_in_one_call(db):
    frame = db.events().to_pandas()
    assert len(frame) == len(db.events()) and "event_type" in frame.columns


def test_articles_search_show_actors_and_dyads_are_records(db):
    (article,) = db.articles()
    assert article["url"] == "https://example.org/gulf"
    hits = db.search("fishermen")
    assert hits[0]["id"] == article["id"] and "[fishermen]" in hits[0]["snippet"]
    shown = db.show(article["id"])
    assert shown.article["text"] == TEXT and len(shown.sentences) == 4
    assert len(shown) == len(db.events(include_nonfactual=True))
    assert db.actors().to_arrow().num_rows >= 3
    dyads = db.dyads()
    assert ("2025-05", "GHA", "TGO") in {(d["period"], d["actor"], d["recipient"]) for d in dyads}
    assert dyads.to_arrow().column_names == ["period", "actor", "recipient", "events", "goldstein"]


def test_show_of_an_unknown_article_is_an_error(db):
    with pytest.raises(QueryError):
        db.show("nope")


def test_event_results_write_any_export_format(db, tmp_path):
    n = db.events().write("gdelt", tmp_path / "events.tsv")
    assert n == len(db.events()) and (tmp_path / "events.tsv").read_text().startswith("GlobalEventID\t")
