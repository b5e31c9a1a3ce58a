"""`diurna ingest` as users run it: files, URLs, feeds, sitemaps and WARC files into a store;
idempotent reruns; a run killed half way and restarted; two workers; PostgreSQL."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diurna import ingest
from diurna.sources import read_sources
from diurna.store import Store

HERE = Path(__file__).parent
SAMPLES = HERE.parent / "samples" / "articles"
sys.path.insert(0, str(HERE / "fixtures" / "web"))
from localweb import LocalWeb  # noqa: E402
from warcfile import http_response, warc_record, write_warc  # noqa: E402

PAGE = ("<html><head><title>Border talks | Example News</title></head><body><nav>Home World</nav><article>"
        "<h1>Border talks</h1><p>Chilean Foreign Minister Rosa Paredes met Bolivian Foreign Minister Tomas "
        "Quiroga in Santiago on Monday to discuss access to the sea.</p><p>Bolivia accused Chile of blocking "
        "trucks at the border last week.</p></article></body></html>")


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "diurna.cli", *args], capture_output=True, text=True,
                            env={**os.environ, "DIURNA_TODAY": "2025-06-01"})
    if check:
        assert result.returncode == 0, result.stderr
    return result


def stored(db: Path) -> tuple[set[str], set[str]]:
    with sqlite3.connect(db) as conn:
        return ({r[0] for r in conn.execute("select id from articles")},
                {r[0] for r in conn.execute("select id from events")})


def _count(db: Path) -> int:
    """Articles stored so far (0 while the schema is still being made)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_ingest_stores_the_samples_and_a_rerun_adds_nothing(tmp_path):
    db = tmp_path / "d.db"
    first = run("ingest", str(SAMPLES), "--db", str(db))
    articles, events = stored(db)
    assert len(articles) == len(list(read_sources([str(SAMPLES)]))) and events
    assert "already stored" in first.stderr
    second = run("ingest", str(SAMPLES), "--db", str(db))
    assert stored(db) == (articles, events)
    assert f"{len(articles)} already stored" in second.stderr
    listed = run("events", "--db", str(db), "--country", "PAK", "--format", "jsonl").stdout.splitlines()
    assert listed and all("PAK" in line for line in listed)


def test_ingest_with_two_workers_stores_what_one_worker_does(tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    run("ingest", str(SAMPLES), "--db", str(one))
    run("ingest", str(SAMPLES), "--db", str(two), "--workers", "2")
    assert stored(one) == stored(two)


def test_pages_feeds_sitemaps_and_warc_files(tmp_path):
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
            '<item><title>Border talks</title><link>{url}</link></item></channel></rss>')
    sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               '<url><loc>{url}</loc></url></urlset>')
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, [warc_record(http_response(PAGE.replace("Santiago", "Arica").encode()),
                                  "https://news.example/arica")[0]])
    with LocalWeb() as web:
        web.page("/talks", PAGE)
        web.route("/feed.xml", body=feed.format(url=web.url("/talks")).encode(), content_type="application/rss+xml")
        web.route("/sitemap.xml", body=sitemap.format(url=web.url("/talks")).encode(), content_type="application/xml")
        db = tmp_path / "web.db"
        run("ingest", web.url("/feed.xml"), web.url("/sitemap.xml"), str(warc), "--db", str(db), "--allow-private")
        with sqlite3.connect(db) as conn:
            urls = {r[0] for r in conn.execute("select url from articles")}
        assert urls == {web.url("/talks"), "https://news.example/arica"}  # the page once, though listed twice
        refused = run("ingest", web.url("/talks"), "--db", str(tmp_path / "refused.db"), check=False)
    assert refused.returncode == 1 and "private" in refused.stderr.lower()


@pytest.mark.slow
def test_a_run_killed_half_way_and_restarted_holds_what_one_clean_run_holds(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    with corpus.open("w", encoding="utf-8") as handle:
        for n in range(30):
            handle.write(json.dumps({"id": f"doc{n}", "text": f"Report {n}.\n\n" + texts[n % len(texts)],
                                     "published": "2025-05-21"}) + "\n")
    clean = tmp_path / "clean.db"
    run("ingest", str(corpus), "--db", str(clean))
    killed = tmp_path / "killed.db"
    env = {**os.environ, "DIURNA_TODAY": "2025-06-01"}
    process = subprocess.Popen([sys.executable, "-m", "diurna.cli", "ingest", str(corpus), "--db", str(killed)],
                               env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:  # progress, not a clock, decides
        if _count(killed) >= 5:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 0 < len(stored(killed)[0]) < 30
    run("ingest", str(corpus), "--db", str(killed))
    assert stored(killed) == stored(clean)
    with Store.open(killed) as store:
        assert store.integrity_check() == []


def test_ingest_into_postgresql(postgres_url):
    documents = list(read_sources([str(SAMPLES)]))
    summary = ingest.ingest(documents, ingest.Settings(store=postgres_url))
    assert summary.articles == len(documents) and summary.failures == 0
    again = ingest.ingest(documents, ingest.Settings(store=postgres_url))
    assert again.articles == 0 and again.duplicates == len(documents)


@pytest.fixture
def postgres_url():
    from diurna.store import testing

    with testing.postgres_schema() as url:
        yield url


def test_recode_keeps_event_ids_and_extract_writes_articles(tmp_path):
    db = tmp_path / "r.db"
    run("ingest", str(SAMPLES / "torkham_talks.txt"), "--db", str(db))
    before = stored(db)
    result = run("recode", "--db", str(db), "--all")
    assert "1 articles re-coded" in result.stderr
    assert stored(db) == before
    extracted = run("extract", str(SAMPLES / "sahel_protest.html")).stdout.splitlines()
    record = json.loads(extracted[0])
    assert record["title"] and record["language"] == "en" and "\n" in record["text"]


def test_watch_once_ingests_a_feed_and_keeps_its_state(tmp_path):
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
            '<item><title>Border talks</title><link>{url}</link></item></channel></rss>')
    with LocalWeb() as web:
        web.page("/talks", PAGE)
        web.route("/feed.xml", body=feed.format(url=web.url("/talks")).encode(), content_type="application/rss+xml")
        sources = tmp_path / "sources.txt"
        sources.write_text(f"# our feeds\n{web.url('/feed.xml')}\n", encoding="utf-8")
        db = tmp_path / "w.db"
        run("watch", str(sources), "--db", str(db), "--once", "--allow-private")
    assert len(stored(db)[0]) == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from feeds where last_polled is not null").fetchone()[0] == 1


def test_the_python_api_opens_a_database(tmp_path):
    import diurna

    db = tmp_path / "api.db"
    run("ingest", str(SAMPLES / "torkham_talks.txt"), "--db", str(db))
    found = list(diurna.open(str(db)).events(country="AFG"))
    assert found and all("AFG" in json.dumps(row, default=str) for row in found)
