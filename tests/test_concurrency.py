"""Concurrency on one SQLite file: `diurna serve` answering while `diurna ingest` writes, and two
`diurna ingest` runs at once over overlapping inputs. No errors, nothing lost, nothing doubled: the
database ends as one clean run leaves it (compared table by table with benchmarks/crash.py's
snapshot)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from diurna.store import Store
from diurna.web import create_app

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
import crash  # noqa: E402

DEADLINE_S = 300  # bound on every wait below; none of them is a timer the result depends on


def ingest(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "diurna.cli", "ingest", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "DIURNA_TODAY": crash.TODAY})


def finished(process: subprocess.Popen) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=DEADLINE_S)
    return process.returncode, stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """14 news-like documents (a repeated text among them) and the database one clean run makes of them."""
    folder = tmp_path_factory.mktemp("concurrency")
    path = folder / "corpus.jsonl"
    crash.make_corpus(path, articles=10, seed=3)
    code, stderr = finished(ingest(str(path), "--db", str(folder / "clean.db")))
    assert code == 0, stderr
    return path


@pytest.fixture(scope="module")
def clean(corpus) -> dict[str, Counter]:
    return crash.snapshot(corpus.parent / "clean.db")


class Server:
    """diurna's app under uvicorn in a thread, on a socket bound here (no port race)."""

    def __init__(self, db: Path):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(create_app(db), log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:  # bounded wait for uvicorn's own "started" flag
            assert time.monotonic() < deadline and self.thread.is_alive(), "the server did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.socket.close()


@pytest.mark.slow
def test_serve_answers_every_query_while_ingest_writes_and_the_store_ends_as_a_clean_run(tmp_path, corpus, clean,
                                                                                        monkeypatch):
    # totals exact at every moment (the lag a server may take is tested in test_query.py), so that
    # they are seen to change while ingest writes and to end as the clean run's
    monkeypatch.setenv("DIURNA_SERVE_LAG", "0")
    db = tmp_path / "live.db"
    with Store.open(db):
        pass  # the schema exists before the server opens the file
    statuses: Counter = Counter()
    totals: list[int] = []
    with Server(db) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        writer = ingest(str(corpus), "--db", str(db))
        queries = 0
        while writer.poll() is None or queries < 10:  # query as long as ingest runs (at least 10 rounds)
            assert queries < 100_000
            events = client.get("/api/events", params={"limit": 20, "order": "-date"})
            stats = client.get("/api/stats")
            search = client.get("/api/articles", params={"q": "border"})
            statuses.update([events.status_code, stats.status_code, search.status_code])
            if events.status_code == 200:
                totals.append(events.json()["total"])
            queries += 1
        code, stderr = finished(writer)
        final = client.get("/api/stats").json()
        final_total = client.get("/api/events").json()["total"]
    assert code == 0, stderr
    assert set(statuses) == {200}, statuses
    with TestClient(create_app(corpus.parent / "clean.db")) as reference:
        assert final_total == reference.get("/api/events").json()["total"] > 0
    assert len(set(totals)) > 1, "no query ran while events were being written"
    counts = final["counts"]
    assert counts["events"] == sum(clean["events"].values()) and counts["articles"] == sum(clean["articles"].values())
    assert crash.compare(clean, crash.snapshot(db)) == {name: (0, 0) for name in clean}
    with Store.open(db) as store:
        assert store.integrity_check() == []


@pytest.mark.slow
def test_two_ingest_runs_at_once_on_one_file_store_each_article_once(tmp_path, corpus, clean):
    lines = [line for line in corpus.read_text(encoding="utf-8").splitlines()
             if json.loads(line)["id"] != "wire-0-again"]  # which of two equal texts wins depends on order
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[:9]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[4:]) + "\n", encoding="utf-8")  # five documents in both
    db = tmp_path / "shared.db"
    runs = [ingest(str(first), "--db", str(db)), ingest(str(second), "--db", str(db))]
    results = [finished(run) for run in runs]
    assert [code for code, _ in results] == [0, 0], [err for _, err in results]
    assert all("locked" not in err.lower() and "error" not in err.lower() for _, err in results)
    got = crash.snapshot(db)
    # Row for row equal to the clean run, leaving out the origin (which file a shared document was read
    # from first) and the stories (clustering follows the order articles arrive in).
    for table in ("articles", "sentences", "events", "event_actors", "failures"):
        assert _without_origin(table, got, db) == _without_origin(table, clean, corpus.parent / "clean.db"), table
    assert sum(got["articles"].values()) == len(lines)
    assert sum(got["event_mentions"].values()) == sum(got["events"].values())  # each event in one unique event
    assert sum(got["article_signatures"].values()) == len(lines)
    with Store.open(db) as store:
        assert store.integrity_check() == []


def _without_origin(table: str, snapshot: dict[str, Counter], db: Path) -> Counter:
    import sqlite3

    with sqlite3.connect(db) as conn:
        columns = [r[1] for r in conn.execute(f'pragma table_info("{table}")') if r[1] not in crash.VOLATILE
                   and not (table in crash.LOGS and r[1] == "id")]
    drop = [i for i, name in enumerate(columns) if name == "origin"]
    rows = Counter()
    for row, count in snapshot[table].items():
        rows[tuple(v for i, v in enumerate(row) if i not in drop)] += count
    return rows
