"""Latency of the HTTP API under concurrent load, on a database of 100,000+ events.

    python benchmarks/api.py [--events 100000] [--db /tmp/diurna-bench.db] [--concurrency 16] [--workers 1]
                             [--only dyad]

Writes the database (once; it is reused while it has enough events) through the normal store code
(`Store.add`, one article with its sentences and events a transaction), starts `diurna serve
--workers N` on 127.0.0.1 in a child process, and drives it with benchmarks/loadgen.py (asyncio,
keep-alive): for each endpoint, `--requests` requests with `--concurrency` in flight. Prints p50/p99
(ms), requests/s and the server's CPU time per request for each endpoint, and the load average
before and after (latencies mean little on a loaded machine; the CPU time a request costs the server
does not depend on what else runs). Target (issue 5): p99 under 200 ms for a filtered events page
and a dyad timeline.
`--only` (repeatable) runs the endpoints whose name contains it.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from diurna.models import Article, Entity, Event, Place, Sentence
from diurna.ontology import EVENT_TYPES, quad
from diurna.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
import loadgen  # noqa: E402 - benchmarks/loadgen.py: the load tool

COUNTRIES = ["IND", "PAK", "CHN", "USA", "RUS", "UKR", "ISR", "IRN", "AFG", "KGZ", "TJK", "FRA", "DEU", "GBR",
             "TUR", "SYR", "EGY", "NGA", "MLI", "BRA", "MEX", "JPN", "KOR", "PRK", "SAU", "QAT", "ETH", "SDN"]
SECTORS = ["GOV", "MIL", "REB", "CVL", "OPP", "BUS"]
EVENTS_PER_ARTICLE = 50


def build(path: Path, n_events: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    start_day = dt.date(2023, 1, 1)
    articles = (n_events + EVENTS_PER_ARTICLE - 1) // EVENTS_PER_ARTICLE
    started = time.perf_counter()
    with Store.open(path) as store:
        for n in range(articles):
            published = start_day + dt.timedelta(days=rng.randrange(900))
            sentences, text = [], ""
            events = []
            for i in range(EVENTS_PER_ARTICLE):
                a, r = rng.sample(COUNTRIES, 2)
                kind = rng.choice(EVENT_TYPES)
                sentence = f"Officials of {a} and {r} were reported in story {n} line {i} as the {kind.lower()} went on."
                begin = len(text)
                text += sentence + " "
                sentences.append(Sentence(i, begin, begin + len(sentence), sentence))
                trigger_at = begin + sentence.index(kind.lower())
                events.append(Event(
                    doc_id=str(n), event_type=kind, sentence=i, start=begin, end=begin + len(sentence),
                    event_text=sentence, trigger=kind.lower(), trigger_start=trigger_at,
                    trigger_end=trigger_at + len(kind), cameo="010", goldstein=round(rng.uniform(-10, 10), 1),
                    quad_code=quad(kind), confidence=round(rng.uniform(0.3, 1), 2), coder="bench/1",
                    mode=["hypothetical"] if rng.random() < 0.05 else [],
                    date=published - dt.timedelta(days=rng.randrange(3)),
                    actor=[Entity(a, rng.choice(SECTORS), a, begin + 13, begin + 16)],
                    recipient=[Entity(r, rng.choice(SECTORS), r, begin + 21, begin + 24)],
                    place=Place(r, r, r) if rng.random() < 0.7 else None))
            article = Article(id=f"bench-{n}", text=text, title=f"Synthetic story {n}", published=published,
                              url=f"https://bench.example/{n}", sentences=sentences)
            store.add(article, events, coder="bench/1")
            if n % 200 == 0:
                print(f"\r  {n * EVENTS_PER_ARTICLE} events written", end="", file=sys.stderr)
    print(f"\r  {articles * EVENTS_PER_ARTICLE} events written in {time.perf_counter() - started:.0f}s",
          file=sys.stderr)


def stored_events(path: Path) -> int:
    if not path.exists():
        return 0
    with Store.open(path) as store:
        return store.counts().get("events", 0)


def serve(path: str, port: int, workers: int) -> subprocess.Popen:
    """`diurna serve` in a child process (a process of its own: uvicorn's workers are its children)."""
    return subprocess.Popen([sys.executable, "-m", "diurna.cli", "serve", "--db", path, "--port", str(port),
                             "--workers", str(workers)], stderr=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ENDPOINTS = {
    "events page, filtered (country, type, since)": "/api/events?country=PAK&type=ACCUSE&since=2024-01-01&limit=50",
    "events page, filtered (actor, quad, order)": "/api/events?actor=IND&quad=4&order=-goldstein&limit=50",
    "events page, unfiltered": "/api/events?limit=50",
    "dyad timeline (IND-PAK by month)": "/api/dyads?actor=IND&recipient=PAK&period=month",
    "dyads page (HTML, IND/PAK)": "/dyads?a=IND&b=PAK",
    "one article": "/api/articles/{article}",
    "search (full text)": "/api/articles?q=PAK",
    "actors": "/api/actors?limit=50",
    "stats": "/api/stats",
    "overview page (HTML)": "/",
}


async def load(base: str, path: str, requests: int, concurrency: int) -> tuple[list[float], int]:
    timings: list[float] = []
    errors = 0
    queue = iter(range(requests))
    pool = loadgen.Pool(base)

    async def worker():
        nonlocal errors
        for _ in queue:
            started = time.perf_counter()
            try:
                status, _ = await pool.get(path, timeout=60)
            except (OSError, asyncio.TimeoutError):
                status = 0
            timings.append((time.perf_counter() - started) * 1000)
            errors += status != 200
    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        pool.close()
    return timings, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", default="/tmp/diurna-bench.db")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (diurna serve --workers)")
    parser.add_argument("--only", action="append", default=[], help="run only endpoints whose name contains this")
    args = parser.parse_args()
    path = Path(args.db)
    if stored_events(path) < args.events:
        path.unlink(missing_ok=True)
        print(f"writing {args.events} events to {path} ...", file=sys.stderr)
        build(path, args.events)
    total = stored_events(path)
    port = free_port()
    server = serve(str(path), port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # workers import the whole stack: allow a minute on a busy machine
            try:
                httpx.get(base + "/api/stats", timeout=2)
                break
            except httpx.HTTPError:
                if server.poll() is not None:
                    sys.exit("the server did not start")
                time.sleep(0.1)
        article = httpx.get(base + "/api/articles?limit=1").json()["articles"][0]["id"]
        print(f"{total} events; {args.requests} requests per endpoint, {args.concurrency} concurrent, "
              f"{args.workers} uvicorn worker(s) on 127.0.0.1; load average {load_average()}\n")
        print(f"{'endpoint':48} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'errors':>7} {'server CPU ms/req':>18}")
        for name, path_ in ENDPOINTS.items():
            if args.only and not any(word in name for word in args.only):
                continue
            url = path_.format(article=article)
            asyncio.run(load(base, url, 20, 4))  # warm-up
            started, cpu = time.perf_counter(), server_cpu(server.pid)
            timings, errors = asyncio.run(load(base, url, args.requests, args.concurrency))
            elapsed, cpu = time.perf_counter() - started, server_cpu(server.pid) - cpu
            q = statistics.quantiles(timings, n=100)
            print(f"{name:48} {q[49]:8.1f} {q[98]:8.1f} {len(timings) / elapsed:8.0f} {errors:7d} "
                  f"{cpu / len(timings) * 1000:18.1f}")
        print(f"\nload average {load_average()}")
    finally:
        server.terminate()  # uvicorn's supervisor stops its workers on SIGTERM
        server.wait(30)


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by the process `pid` and its children (uvicorn's workers), from /proc.

    What a request costs the server, whatever else the machine is doing (latency is not).
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(server_cpu(int(child)) for child in children)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
