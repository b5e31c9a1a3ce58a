"""scale: `diurna ingest --engine ray` codes a WARC file and a JSONL file on a local Ray (2 CPUs) into
PostgreSQL and into Parquet, with the same events, articles and failures as the local engine; reruns
on either engine add nothing; `diurna load` reads the Parquet into a store, idempotently."""
from __future__ import annotations

import json
import pickle
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from diurna import ingest, query, scale
from diurna.cli import cli
from diurna.sources import read_sources
from diurna.store import Store, testing

pytestmark = pytest.mark.slow

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
from warcfile import http_response, warc_record, write_warc  # noqa: E402

PAGES = {
    "https://courier.example/dam": (
        "<html><head><title>Dam talks resume</title></head><body><article><h1>Dam talks resume</h1>"
        "<p>Published 12 May 2025.</p><p>Kyrgyz Foreign Minister Almaz Temirov met Tajik officials in Bishkek "
        "on Monday to discuss water sharing at the Toktogul dam.</p><p>Tajikistan accused Kyrgyzstan of "
        "holding back water last month.</p></article></body></html>"),
    "https://courier.example/aid": (
        "<html><head><title>Aid convoy</title></head><body><article><h1>Aid convoy reaches Gao</h1>"
        "<p>Published 14 May 2025.</p><p>The European Union sent food aid to Mali on Wednesday after floods "
        "near Gao.</p><p>Malian troops escorted the convoy.</p></article></body></html>"),
}
LINES = [
    {"id": "talks", "published": "2025-05-20", "url": "https://wire.example/talks",
     "text": "Indian and Pakistani military officials met in Wagah on Tuesday. India proposed a ceasefire along "
             "the border, and Pakistan rejected the offer on Wednesday."},
    {"id": "sanctions", "published": "2025-05-21",
     "text": "The European Union imposed sanctions on Russian banks on Thursday. Russia threatened to retaliate."},
    {"id": "talks-again", "published": "2025-05-20", "url": "https://wire.example/talks",
     "text": "Indian and Pakistani military officials met in Wagah on Tuesday. India proposed a ceasefire along "
             "the border, and Pakistan rejected the offer on Wednesday."},  # the same URL: stored once
    {"id": "empty", "text": "   "},  # a failure of the sources stage
    {"id": "spanish", "published": "2025-05-19",
     "text": "El gobierno de Chile y el gobierno de Bolivia firmaron un acuerdo comercial en Santiago el lunes. "
             "Los ministros de ambos países celebraron la reunión."},  # stored, not coded
]


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray", reason="the Ray engine is optional: pip install 'diurna[ray]'")
    pytest.importorskip("ray.data", reason="the Ray engine needs Ray Data: pip install 'diurna[ray]'")
    ray.init(num_cpus=2, log_to_driver=False, include_dashboard=False,
             runtime_env={"env_vars": {"DIURNA_TODAY": "2025-06-01"}})
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    directory = tmp_path_factory.mktemp("inputs")
    write_warc(directory / "crawl.warc.gz",
               [warc_record(http_response(html.encode()), url)[0] for url, html in PAGES.items()])
    (directory / "wire.jsonl").write_text("".join(json.dumps(line) + "\n" for line in LINES), encoding="utf-8")
    return [str(directory / "crawl.warc.gz"), str(directory / "wire.jsonl")]


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory):
    """What the local engine stores for the inputs."""
    db = tmp_path_factory.mktemp("local") / "local.db"
    summary = ingest.ingest(read_sources(inputs), ingest.Settings(store=str(db)))
    return contents(str(db)), summary


def contents(url: str) -> dict:
    """Everything the two engines must agree on: events (as PLOVER records), articles, failures."""
    with Store.open(url) as store:
        events = sorted((e.to_record() for e in query.events(store, include_nonfactual=True)), key=lambda r: r["id"])
        with store.read() as conn:
            articles = sorted(tuple(r) for r in conn.exec_driver_sql(
                "select id, source_id, url, status, content_hash, coder from articles"))
            failures = sorted(tuple(r) for r in conn.exec_driver_sql("select doc_id, stage, reason from failures"))
    return {"events": events, "articles": articles, "failures": failures}


def test_the_reference_run_has_events_a_duplicate_a_failure_and_a_skipped_article(reference):
    stored, summary = reference
    assert summary.articles == 5 and summary.duplicates == 1 and summary.failures == 1 and summary.skipped == 1
    assert len(stored["events"]) >= 4


def test_ray_into_postgresql_stores_what_the_local_engine_stores_and_reruns_add_nothing(local_ray, inputs,
                                                                                        reference):
    expected, local_summary = reference
    with testing.postgres_schema() as url:
        summary = scale.ingest(inputs, ingest.Settings(store=url), workers=2)
        assert (summary.articles, summary.events, summary.duplicates, summary.failures, summary.skipped) == (
            local_summary.articles, local_summary.events, 1, 1, 1)
        assert [f.doc_id for f in summary.failed] == ["empty"]
        assert contents(url) == expected

        again = scale.ingest(inputs, ingest.Settings(store=url), workers=2)
        assert (again.articles, again.events, again.duplicates) == (0, 0, 6)
        local_again = ingest.ingest(read_sources(inputs), ingest.Settings(store=url))
        assert (local_again.articles, local_again.duplicates) == (0, 6)
        assert contents(url)["events"] == expected["events"]


def test_ray_into_parquet_then_load_gives_the_same_store_and_loading_twice_adds_nothing(local_ray, inputs,
                                                                                       reference, tmp_path):
    expected, _ = reference
    out = tmp_path / "run"
    result = CliRunner().invoke(cli, ["ingest", *inputs, "--engine", "ray", "--workers", "2",
                                      "--out", f"parquet://{out}"])
    assert result.exit_code == 1, result.output  # one document failed: as in local runs
    assert "'empty'" in result.output and "6 articles stored" in result.output

    import pyarrow.dataset as ds
    events = ds.dataset(out / "events", format="parquet").to_table()
    assert set(events.column("id").to_pylist()) >= {e["id"] for e in expected["events"]}
    assert ds.dataset(out / "failures", format="parquet").to_table().column("doc_id").to_pylist() == ["empty"]

    db = tmp_path / "loaded.db"
    loaded = CliRunner().invoke(cli, ["load", f"parquet://{out}", "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    assert "5 articles stored (1 not coded)" in loaded.output and "1 already stored" in loaded.output
    assert contents(str(db)) == expected

    again = scale.load(str(out), str(db))
    assert (again.articles, again.duplicates) == (0, 6)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from failures").fetchone()[0] == 2  # a load records the run's


def test_ray_into_sqlite_goes_through_the_driver_and_matches(local_ray, inputs, reference, tmp_path):
    expected, _ = reference
    db = str(tmp_path / "ray.db")
    summary = scale.ingest(inputs, ingest.Settings(store=db), workers=2)
    assert summary.articles == 5 and summary.failures == 1
    assert contents(db) == expected


def test_a_filesystem_uri_is_listed_and_read_with_local_ids_and_its_uri_as_origin(inputs):
    directory = Path(inputs[0]).parent
    shards = scale._plan([f"file://{directory}"], None, False, True)
    assert [(s["doc_id"], s["rel"]) for s in shards] == [("crawl.warc", "crawl.warc.gz"), ("wire", "wire.jsonl")]
    items = [pickle.loads(raw) for shard in shards for raw in scale._read_shard(shard)]
    local = list(read_sources(inputs))
    assert [getattr(i, "id", None) or i.doc_id for i in items] == [getattr(i, "id", None) or i.doc_id for i in local]
    assert items[0].origin.startswith(f"{directory}/crawl.warc.gz#")


def test_the_ray_engine_is_refused_cleanly_without_its_options():
    result = CliRunner().invoke(cli, ["ingest", "x.jsonl", "--out", "parquet://x"])
    assert result.exit_code == 2 and "--engine ray" in result.output
    with pytest.raises(Exception, match="parquet://DIR"):
        scale.parquet_dir("x")
