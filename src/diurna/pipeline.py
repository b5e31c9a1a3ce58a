"""The pipeline: the ordered stages, run over batches of documents.

    sources -> extract -> nlp -> actors -> coding (with when and where) -> records

Each stage takes an `Article` and returns it annotated. A document that fails in any stage becomes
a `Failure` naming the stage and the reason; the batch goes on without it.

Each document gets at most `settings.doc_timeout()` seconds (DIURNA_DOC_TIMEOUT) in each step:
extract, parse, and actors-and-coding. A document that runs over is a Failure "timed out after
N s" and the batch goes on. The limit is a SIGALRM timer, so it holds in the main thread of a
POSIX process (the CLI, and every `ingest --workers` process); elsewhere (a web server's threads)
there is none. It is a last resort: inputs are bounded before they get here (the size cap in
`sources`, `nlp.MAX_TEXT_CHARS`, the sentence cap in `nlp`).
"""
from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from . import __version__, actors, coding, confidence, dictionary, nlp, settings, typeclf
from .errors import DiurnaError, StageError
from .extract import extract
from .models import Article, Document, Event, Failure

log = logging.getLogger(__name__)
Stage = Callable[[Article], Article]


class _TimedOut(BaseException):
    """A document ran past its time limit. A BaseException, like KeyboardInterrupt, so that the
    `except Exception` in libraries (trafilatura has many) cannot swallow it."""

    def __init__(self, seconds: float):
        super().__init__(f"timed out after {seconds:g} s")


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Interrupt the block with `_TimedOut` after `seconds`; no limit for None or 0, off the main
    thread, or where there is no SIGALRM. An outer timer is suspended and then resumed."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum, frame):
        raise _TimedOut(seconds)

    previous = signal.signal(signal.SIGALRM, alarm)
    outer, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 1e-3), interval)


@dataclass(slots=True)
class Result:
    """One document's outcome: the coded article (or one skipped for coding, with the reason),
    or the failure that stopped it."""

    article: Article | None = None
    failure: Failure | None = None
    skipped: str = ""

    @property
    def events(self) -> list[Event]:
        return self.article.events if self.article else []


class Pipeline:
    """Loads what the stages need once; `run` codes any number of documents in batches."""

    def __init__(self, published: dt.date | None = None, user_actors: dictionary.Dictionary | None = None,
                 model: str | None = None, batch_size: int = 16,
                 coder: Callable[[Article, str], Article] | None = None, min_confidence: float | None = None,
                 doc_timeout: float | None = None):
        self.published = published
        self.nlp = nlp.load(model)
        self.actors = dictionary.builtin().merge(user_actors) if user_actors else dictionary.builtin()
        self.batch_size = batch_size
        self.doc_timeout = settings.doc_timeout() if doc_timeout is None else doc_timeout
        self.coder = " ".join((f"diurna/{__version__}", coding.VERSION, typeclf.VERSION, dictionary.VERSION,
                               nlp.model_version(self.nlp)))
        # `coder`: the coding stage, None for the offline coder; another (diurna.llm) names its version
        self.event_coder = coder
        if coder is not None:
            self.coder += " " + coder.version
        else:
            self.coder += " " + confidence.VERSION
        # Article events below this are dropped; the offline coder's default is the threshold its
        # confidence model was tuned to, another coder's is 0 (its confidence is not calibrated here).
        if min_confidence is None:
            min_confidence = settings.min_confidence()
        if min_confidence is None:
            min_confidence = confidence.default_threshold() if coder is None else 0.0
        self.min_confidence = min_confidence
        self.stages: list[tuple[str, Stage]] = [
            ("actors", lambda a: actors.find_actors(a, self.actors)),
            ("coding", self.code),
        ]

    def code(self, article: Article) -> Article:
        if article.dyad and self.event_coder is None:
            # one event for the given pair, whatever its confidence: the caller asked for this pair
            article.events = [coding.code_dyad(article, article.dyad[0], article.dyad[1], self.coder)]
            return article
        article = self.event_coder(article, self.coder) if self.event_coder is not None else \
            coding.code_article(article, self.coder)
        article.events = [e for e in article.events if e.confidence >= self.min_confidence]
        return article

    def run(self, documents: Iterable[Document | Failure]) -> Iterator[Result]:
        """Code documents in order; yield one Result per input document."""
        batch: list[Article | Failure] = []
        for item in documents:
            if isinstance(item, Document):
                try:
                    with time_limit(self.doc_timeout):
                        item = extract(item, self.published)
                except (DiurnaError, _TimedOut) as exc:
                    item = Failure(item.id, "extract", str(exc), item.origin)
            batch.append(item)
            if len(batch) >= self.batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, batch: list[Article | Failure]) -> Iterator[Result]:
        articles = [a for a in batch if isinstance(a, Article) and not _skip_reason(a)]
        try:
            with time_limit(self.doc_timeout * len(articles)):
                nlp.annotate(articles, self.nlp, self.batch_size)
        except (Exception, _TimedOut):  # one bad text must not sink the batch: parse each alone to find it
            for article in articles:
                try:
                    with time_limit(self.doc_timeout):
                        nlp.annotate([article], self.nlp)
                except (Exception, _TimedOut) as exc:  # noqa: BLE001 - recorded as this document's failure
                    article.doc = exc
        for item in batch:
            if isinstance(item, Failure):
                yield Result(failure=item)
            elif _skip_reason(item):
                yield Result(article=item, skipped=_skip_reason(item))
            elif isinstance(item.doc, (_TimedOut, DiurnaError)):  # a time limit, a text too long
                yield Result(failure=Failure(item.id, "nlp", str(item.doc), item.origin))
            elif isinstance(item.doc, Exception):
                yield Result(failure=Failure(item.id, "nlp", str(StageError("nlp", item.id, item.doc)), item.origin))
            else:
                yield self._stages(item)

    def _stages(self, article: Article) -> Result:
        name = ""
        try:
            with time_limit(self.doc_timeout):
                for name, stage in self.stages:
                    try:
                        article = stage(article)
                    except DiurnaError as exc:
                        return Result(failure=Failure(article.id, name, str(exc), article.origin))
                    except Exception as exc:  # noqa: BLE001 - a bug on one document is recorded, the run goes on
                        log.debug("stage %s failed on %s", name, article.id, exc_info=True)
                        error = StageError(name, article.id, exc)
                        return Result(failure=Failure(article.id, name, str(error), article.origin))
        except _TimedOut as exc:
            return Result(failure=Failure(article.id, name, str(exc), article.origin))
        article.doc = None  # the parse is large and no later consumer needs it
        return Result(article=article)


def _skip_reason(article: Article) -> str:
    """Articles kept but not coded: the English rules must not code other languages."""
    if article.language and article.language != "en":
        return f"language {article.language!r} is not coded (English only)"
    return ""
