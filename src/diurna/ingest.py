"""Ingest: code documents and keep them in a store, idempotently, in one or more worker processes.

Workers run the same `Pipeline` as `diurna code` (the model loaded once per worker); the main
process is the only writer, one transaction per article, so a run killed at any point leaves a
consistent store, and a rerun skips what is already there (same URL or same text) and finishes the
job: nothing lost, nothing doubled.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from .dictionary import load_user_dictionary
from .errors import DiurnaError
from .models import Article, Document, Failure
from .pipeline import Pipeline, Result

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Summary:
    articles: int = 0  # newly stored, coded or skipped for coding
    events: int = 0
    duplicates: int = 0  # already in the store
    skipped: int = 0  # stored but not coded (language)
    failures: int = 0
    seconds: float = 0.0
    failed: list[Failure] = field(default_factory=list)

    @property
    def rate(self) -> float:
        done = self.articles + self.duplicates + self.failures
        return done / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (f"{self.articles} articles stored ({self.skipped} not coded), {self.events} events, "
                f"{self.duplicates} already stored, {self.failures} failed, {self.rate:.1f} docs/s")


@dataclass(slots=True)
class Settings:
    """What each worker needs to build its own pipeline (picklable)."""

    store: str
    published: dt.date | None = None
    actors: str | None = None
    min_confidence: float | None = None  # None: the coder's default (pipeline.Pipeline)


class Worker:
    """Codes one document at a time; skips the coding of articles the store already has."""

    def __init__(self, settings: Settings):
        from .store import Store

        user = load_user_dictionary(settings.actors) if settings.actors else None
        self.pipeline = Pipeline(published=settings.published, user_actors=user, batch_size=1,
                                 min_confidence=settings.min_confidence)
        self.store = Store.open(settings.store)

    def __call__(self, item: Document | Failure) -> Result | str:
        if isinstance(item, Failure):
            return Result(failure=item)
        if item.url and self.store.has(url=item.url):
            return "duplicate"
        (result,) = list(self.pipeline.run([item]))
        return result


_worker: Worker | None = None


def _init_worker(settings: Settings) -> None:
    global _worker
    _worker = Worker(settings)


def _work(item: Document | Failure) -> tuple[Result | str, str]:
    """One document's result, with the version of the coder that made it."""
    assert _worker is not None
    try:
        return _worker(item), _worker.pipeline.coder
    except DiurnaError as exc:
        doc_id = getattr(item, "id", getattr(item, "doc_id", "?"))
        failure = Failure(doc_id, "ingest", str(exc), getattr(item, "origin", ""))
        return Result(failure=failure), _worker.pipeline.coder


def _parallel(items: Iterable[Document | Failure], settings: Settings,
              workers: int) -> Iterator[tuple[Result | str, str]]:
    """Results as workers finish them, with a bounded number of documents in flight."""
    window = workers * 8
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        pending: set[Future] = set()
        for item in items:
            pending.add(pool.submit(_work, item))
            if len(pending) >= window:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
        for future in pending:
            yield future.result()


def ingest(items: Iterable[Document | Failure], settings: Settings, workers: int = 1,
           on_result: Callable[[Summary], None] | None = None) -> Summary:
    """Code `items` and store them in `settings.store`; returns what happened."""
    from .store import Store

    summary = Summary()
    started = time.perf_counter()
    with Store.open(settings.store) as store:
        if workers <= 1:
            _init_worker(settings)
            results: Iterable[tuple[Result | str, str]] = (_work(item) for item in items)
        else:  # the model loads in the workers only
            results = _parallel(items, settings, workers)
        for result, coder in results:
            _record(store, result, summary, coder)
            if on_result is not None:
                on_result(summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _record(store, result: Result | str, summary: Summary, coder: str) -> None:
    if result == "duplicate":
        summary.duplicates += 1
        return
    assert isinstance(result, Result)
    if result.failure is not None:
        summary.failures += 1
        summary.failed.append(result.failure)
        store.add_failure(result.failure)
        return
    article: Article = result.article
    if not store.add(article, result.events, coder=coder, skip_reason=result.skipped):
        summary.duplicates += 1
        return
    summary.articles += 1
    summary.skipped += bool(result.skipped)
    summary.events += len(result.events)


def recode(store_url: str, everything: bool = False, actors: str | None = None,
           min_confidence: float | None = None) -> Summary:
    """Re-code stored articles whose events another coder version made (or all of them)."""
    from .store import Store

    user = load_user_dictionary(actors) if actors else None
    pipeline = Pipeline(user_actors=user, min_confidence=min_confidence)
    summary = Summary()
    started = time.perf_counter()
    with Store.open(store_url) as store:
        ids = store.articles_to_recode("" if everything else pipeline.coder)
        articles = (store.load_article(article_id) for article_id in ids)
        for result in pipeline.run(a for a in articles if a is not None):
            if result.failure is not None:
                summary.failures += 1
                store.add_failure(result.failure)
                continue
            summary.articles += 1
            summary.events += store.replace_events(result.article.id, result.events, pipeline.coder,
                                                   sentences=result.article.sentences)
    summary.seconds = time.perf_counter() - started
    return summary
