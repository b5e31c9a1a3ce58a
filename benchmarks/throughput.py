"""Throughput of the whole `diurna code` pipeline next to spaCy's `nlp.pipe` alone, in one run.

    python benchmarks/throughput.py [--min-articles 300] [INPUT ...]

By default the corpus is the bundled samples repeated to at least --min-articles articles. Both
measurements run in this one process on the same texts, so their ratio is meaningful on a noisy
machine even when the absolute rates are not.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from diurna import nlp
from diurna.extract import extract
from diurna.models import Document
from diurna.pipeline import Pipeline
from diurna.sources import read_sources

ROOT = Path(__file__).resolve().parent.parent


def corpus(inputs: list[str], minimum: int) -> list[Document]:
    documents = [d for d in read_sources(inputs) if isinstance(d, Document)]
    if not documents:
        raise SystemExit("no readable documents in the inputs")
    out: list[Document] = []
    while len(out) < minimum:
        for doc in documents:
            out.append(Document(id=f"{doc.id}#{len(out)}", text=doc.text, html=doc.html, published=doc.published,
                                url=doc.url, title=doc.title, origin=doc.origin))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", default=[str(ROOT / "samples" / "articles")])
    parser.add_argument("--min-articles", type=int, default=300)
    args = parser.parse_args()

    documents = corpus(args.inputs, args.min_articles)
    pipeline = Pipeline(published=None)
    texts = [extract(d).text for d in documents]
    words = sum(len(t.split()) for t in texts)

    pipeline.nlp("warm up")  # model loading is not what we measure
    started = time.perf_counter()
    for _ in pipeline.nlp.pipe(texts, batch_size=16):
        pass
    spacy_seconds = time.perf_counter() - started

    started = time.perf_counter()
    events = failures = 0
    for result in pipeline.run(documents):
        events += len(result.events)
        failures += result.failure is not None
    diurna_seconds = time.perf_counter() - started

    n = len(documents)
    print(f"corpus: {n} articles, {words} words, model {nlp.model_version(pipeline.nlp)}")
    print(f"spaCy nlp.pipe alone : {n / spacy_seconds:8.1f} articles/s {words / spacy_seconds:10.0f} words/s")
    print(f"diurna code pipeline : {n / diurna_seconds:8.1f} articles/s {words / diurna_seconds:10.0f} words/s "
          f"({events} events, {failures} failures)")
    print(f"ratio (diurna / spaCy alone): {spacy_seconds / diurna_seconds:.3f}")


if __name__ == "__main__":
    main()
