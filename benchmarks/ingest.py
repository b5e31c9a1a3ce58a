"""Ingest throughput: `diurna code` alone, `ingest` with 1 worker and with 2 workers, in one run.

    python benchmarks/ingest.py [--articles 120] [--db-dir DIR]

The corpus is the bundled samples, each copy made unique (a store keeps one copy of a text), so
every run codes and stores every article. Targets (issue 3): 2 workers >= 1.6x one worker, and
ingest with one worker >= 0.8x `diurna code` (the store costs little).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from diurna import ingest
from diurna.models import Document
from diurna.pipeline import Pipeline
from diurna.sources import read_sources

ROOT = Path(__file__).resolve().parent.parent


def corpus(n: int) -> list[Document]:
    originals = [d for d in read_sources([str(ROOT / "samples" / "articles")]) if isinstance(d, Document)]
    docs = []
    for i in range(n):
        base = originals[i % len(originals)]
        text = base.text if base.text is not None else None
        docs.append(Document(id=f"{base.id}-{i}", text=f"Copy {i}.\n\n{text}" if text else None,
                             html=None if text else base.html.replace("<p>", f"<p>Copy {i}. ", 1),
                             published=base.published, title=base.title, origin=base.origin))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--db-dir", type=Path, default=None, help="Where the SQLite files go (default: a temp dir).")
    args = parser.parse_args()
    docs = corpus(args.articles)

    pipeline = Pipeline()
    list(pipeline.run(docs[:4]))  # warm up: model, gazetteer, lexicon
    started = time.perf_counter()
    coded = sum(1 for r in pipeline.run(docs) if r.article)
    code_rate = coded / (time.perf_counter() - started)

    rates = {}
    with tempfile.TemporaryDirectory(dir=args.db_dir) as tmp:
        for workers in (1, 2):
            db = Path(tmp) / f"ingest{workers}.db"
            summary = ingest.ingest(docs, ingest.Settings(store=str(db)), workers=workers)
            assert summary.articles == len(docs), summary.line()
            rates[workers] = summary.articles / summary.seconds

    print(f"corpus: {len(docs)} articles (bundled samples, each copy unique)")
    print(f"diurna code (pipeline only) : {code_rate:6.2f} articles/s")
    print(f"ingest, 1 worker            : {rates[1]:6.2f} articles/s  ({rates[1] / code_rate:.2f}x code)")
    print(f"ingest, 2 workers           : {rates[2]:6.2f} articles/s  ({rates[2] / rates[1]:.2f}x one worker)")


if __name__ == "__main__":
    main()
