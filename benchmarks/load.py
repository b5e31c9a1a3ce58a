"""Load: `diurna serve` answering a fixed rate of mixed requests while `diurna ingest` writes.

    python benchmarks/load.py [--rate 50] [--seconds 60] [--events 100000] [--db /tmp/diurna-bench.db]
                              [--serve-workers 2] [--ingest-nice 10]

Builds (or reuses) the database of benchmarks/api.py (its `build`: synthetic articles of 50 events,
written through `Store.add`), copies it so the ingest below never changes the shared one, starts
`diurna serve --workers N` on 127.0.0.1 (a subprocess; N = `--serve-workers`, one a core) and a
one-worker `diurna ingest` of a generated news corpus (benchmarks/crash.py's) on the same file, run
at the scheduling priority `--ingest-nice` (batch work yields the CPU to the people waiting on
pages; 0 runs it as an equal), then sends `--rate` requests a
second for `--seconds` with an open-loop scheduler: request i starts at i/rate seconds whether or
not the earlier ones have finished, so a slow server shows up as latency, not as a lower rate.
Requests cycle through a mix of endpoints (filtered events pages, dyads, an article, stats, full-text
search, the HTML events page). Latency is measured from each request's scheduled start (so waiting
for a connection counts). Prints throughput, p50/p90/p99 and max latency, errors (non-200 or
transport errors), overall and per endpoint, and how many articles the ingest stored meanwhile.
Target (issue 10): no errors, p99 under 300 ms at 50 requests/s.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api  # noqa: E402 - benchmarks/api.py: the database builder
import loadgen  # noqa: E402 - benchmarks/loadgen.py: the load tool
import crash  # noqa: E402 - benchmarks/crash.py: the news corpus

MIX = [  # (name, path): cycled in this order, so every endpoint gets its share
    ("events, filtered", "/api/events?country=PAK&type=ACCUSE&since=2024-01-01&limit=50"),
    ("events, actor+quad", "/api/events?actor=IND&quad=4&order=-goldstein&limit=50"),
    ("dyads", "/api/dyads?actor=IND&recipient=PAK&period=month"),
    ("article", "/api/articles/{article}"),
    ("stats", "/api/stats"),
    ("search", "/api/articles?q=officials"),
    ("events, filtered", "/api/events?country=IND&since=2024-06-01&limit=20"),
    ("events page (HTML)", "/events?country=CHN&quad=3"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, process: subprocess.Popen, deadline_s: float = 120) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"diurna serve exited {process.returncode}")
        try:
            if httpx.get(base + "/api/stats", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)  # bounded poll for the server's socket
    raise RuntimeError("diurna serve did not start")


async def drive(base: str, paths: list[tuple[str, str]], rate: float, seconds: float):
    """Open loop: request i starts at t0 + i/rate. Returns [(name, latency_ms, error)] and the wall time."""
    total = int(rate * seconds)
    results: list[tuple[str, float, str]] = []  # (endpoint, latency, error or "")
    pool = loadgen.Pool(base)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.1

    async def one(i: int) -> None:
        name, path = paths[i % len(paths)]
        scheduled = start + i / rate
        await asyncio.sleep(max(0.0, scheduled - loop.time()))
        try:
            status, _ = await pool.get(path, timeout=30)
            error = "" if status == 200 else f"HTTP {status}"
        except (OSError, asyncio.TimeoutError) as exc:
            error = type(exc).__name__
        results.append((name, (loop.time() - scheduled) * 1000, error))

    try:
        await asyncio.gather(*(one(i) for i in range(total)))
    finally:
        pool.close()
    return results, loop.time() - start


def quantile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=50, help="requests a second (open loop)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--events", type=int, default=100_000, help="events in the database (benchmarks/api.py)")
    parser.add_argument("--db", default="/tmp/diurna-bench.db", help="the database built once and reused")
    parser.add_argument("--articles", type=int, default=4000,
                        help="generated articles the ingest writes meanwhile (enough to outlast the run)")
    parser.add_argument("--work", default="/tmp/diurna-load")
    parser.add_argument("--serve-workers", type=int, default=2, help="diurna serve --workers (one a core)")
    parser.add_argument("--ingest-nice", type=int, default=10, help="niceness of the ingest process (0: none)")
    args = parser.parse_args()

    base_db = Path(args.db)
    if api.stored_events(base_db) < args.events:
        base_db.unlink(missing_ok=True)
        print(f"writing {args.events} events to {base_db} ...", file=sys.stderr)
        api.build(base_db, args.events)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    db = work / "load.db"
    for old in work.glob("load.db*"):
        old.unlink()
    shutil.copyfile(base_db, db)  # the ingest writes to a copy; the shared database stays as built
    corpus = work / "corpus.jsonl"
    crash.make_corpus(corpus, args.articles, seed=21)
    events_before = api.stored_events(db)
    articles_before = crash.stored_articles(db)

    env = {**os.environ, "DIURNA_TODAY": crash.TODAY}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "diurna.cli", "serve", "--db", str(db), "--port", str(port),
                               "--workers", str(args.serve_workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    writer = None
    try:
        wait_until_up(base, server)
        article = httpx.get(base + "/api/articles?limit=1", timeout=30).json()["articles"][0]["id"]
        paths = [(name, path.format(article=article)) for name, path in MIX]
        writer = subprocess.Popen([sys.executable, "-m", "diurna.cli", "ingest", str(corpus), "--db", str(db),
                                   "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True, preexec_fn=lambda: os.nice(args.ingest_nice) if args.ingest_nice else None)
        deadline = time.monotonic() + 120
        while crash.stored_articles(db) == articles_before and writer.poll() is None:  # ingest is writing
            if time.monotonic() > deadline:
                raise RuntimeError("the ingest stored nothing in 120 s")
            time.sleep(0.1)
        asyncio.run(drive(base, paths, args.rate, 2))  # warm-up, not counted
        ingest_from = crash.stored_articles(db)
        results, wall = asyncio.run(drive(base, paths, args.rate, args.seconds))
        ingest_during = crash.stored_articles(db) - ingest_from
        ingest_running = writer.poll() is None
    finally:
        if writer is not None and writer.poll() is None:
            writer.terminate()
            writer.wait(30)
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    if writer is not None and writer.returncode not in (0, -15):
        print(f"ingest exited {writer.returncode}: {writer.stderr.read()[-500:]}", file=sys.stderr)

    latencies = [ms for _, ms, _ in results]
    kinds = collections.Counter(error for *_, error in results if error)
    errors = sum(kinds.values())
    print(f"database: {events_before} events, {articles_before} articles (benchmarks/api.py) + a one-worker "
          f"ingest storing {ingest_during} articles during the run ({'still running' if ingest_running else 'finished'})")
    print(f"offered: {args.rate:g} req/s for {args.seconds:g} s, open loop, {args.serve_workers} uvicorn worker(s) "
          f"on 127.0.0.1; ingest at nice {args.ingest_nice}")
    print(f"completed: {len(results)} requests in {wall:.1f} s = {len(results) / wall:.1f} req/s; errors: {errors}"
          + (f" ({', '.join(f'{kind}: {n}' for kind, n in kinds.most_common())})" if kinds else ""))
    print(f"latency ms: p50 {quantile(latencies, 50):.1f}  p90 {quantile(latencies, 90):.1f}  "
          f"p99 {quantile(latencies, 99):.1f}  max {max(latencies):.1f}")
    print(f"\n{'endpoint':22} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    by_name: dict[str, list[tuple[float, str]]] = collections.defaultdict(list)
    for name, ms, error in results:
        by_name[name].append((ms, error))
    for name, rows in by_name.items():
        values = [ms for ms, _ in rows]
        print(f"{name:22} {len(rows):5d} {quantile(values, 50):8.1f} {quantile(values, 99):8.1f} "
              f"{sum(bool(error) for _, error in rows):7d}")
    sys.exit(0 if errors == 0 else 1)


if __name__ == "__main__":
    main()
