"""The Ray engine next to the local engine on the same CPUs, in one run.

    python benchmarks/scale.py [--articles 300] [--cpus 2] [INPUT ...]

Codes one corpus into a fresh SQLite store with the local engine (`--cpus` worker processes) and
then with Ray (a local Ray started with `num_cpus=--cpus`, as many coding actors), and prints
articles/s for each, their ratio (target: Ray >= 0.75x local) and articles per core-hour. Both
runs include starting their workers and loading the model in each; starting Ray itself is not
timed (a cluster is already running). By default the corpus is the bundled samples, repeated with a
numbered sentence in each so that no two texts are the same (the store would skip a repeated text).
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from diurna import ingest as local
from diurna import scale
from diurna.models import Document
from diurna.sources import read_sources

ROOT = Path(__file__).resolve().parent.parent


def corpus(inputs: list[str], articles: int, directory: Path) -> Path:
    """One JSONL file of `articles` distinct documents made from the inputs."""
    documents = [d for d in read_sources(inputs) if isinstance(d, Document) and not d.dyad]
    if not documents:
        raise SystemExit("no readable documents in the inputs")
    path = directory / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(articles):
            doc = documents[n % len(documents)]
            record = {"id": f"{doc.id}#{n}", "published": doc.published or "2025-05-21",
                      "url": f"https://bench.example/{n}"}  # a page's own canonical URL would repeat
            marker = f". It was report number {n}. "  # inside the body: page chrome is cleaned away
            if doc.html:
                head, body = doc.html.split("<p>", 1)
                record["html"] = head + "<p>" + body.replace(". ", marker, 1)
            else:
                record["text"] = doc.text.replace(". ", marker, 1)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", default=[str(ROOT / "samples" / "articles")])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--cpus", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("DIURNA_TODAY", "2025-06-01")

    import ray

    with tempfile.TemporaryDirectory(prefix="diurna-bench-") as tmp:
        directory = Path(tmp)
        path = corpus(args.inputs, args.articles, directory)

        started = time.perf_counter()
        settings = local.Settings(store=str(directory / "local.db"))
        local_summary = local.ingest(read_sources([str(path)]), settings, workers=args.cpus)
        local_seconds = time.perf_counter() - started

        ray.init(num_cpus=args.cpus, log_to_driver=False,
                 runtime_env={"env_vars": {"DIURNA_TODAY": os.environ["DIURNA_TODAY"]}})
        try:
            started = time.perf_counter()
            settings = local.Settings(store=str(directory / "ray.db"))
            ray_summary = scale.ingest([str(path)], settings, workers=args.cpus)
            ray_seconds = time.perf_counter() - started
        finally:
            ray.shutdown()

    for name, summary in (("local", local_summary), ("ray", ray_summary)):
        if summary.articles != args.articles or summary.failures:
            raise SystemExit(f"{name}: {summary.line()} (expected {args.articles} articles stored)")
    local_rate = args.articles / local_seconds
    ray_rate = args.articles / ray_seconds
    print(f"corpus: {args.articles} articles, {local_summary.events} events; {args.cpus} CPUs")
    print(f"local engine, {args.cpus} workers: {local_rate:7.2f} articles/s ({local_seconds:.1f} s)")
    print(f"ray engine, {args.cpus} actors:    {ray_rate:7.2f} articles/s ({ray_seconds:.1f} s)")
    print(f"ratio ray/local: {ray_rate / local_rate:.2f} (target >= 0.75)")
    print(f"articles per core-hour: local {local_rate * 3600 / args.cpus:,.0f}, "
          f"ray {ray_rate * 3600 / args.cpus:,.0f}")
    if ray_summary.events != local_summary.events:
        raise SystemExit(f"the engines disagree: {local_summary.events} against {ray_summary.events} events")


if __name__ == "__main__":
    main()
