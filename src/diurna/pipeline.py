"""The pipeline: the ordered stages, run over batches of documents.

    sources -> extract -> nlp -> actors -> coding (with when and where) -> records

Each stage takes an `Article` and returns it annotated. A document that fails in any stage becomes
a `Failure` naming the stage and the reason; the batch goes on without it.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from . import __version__, actors, coding, dictionary, nlp, typeclf
from .errors import DiurnaError, StageError
from .extract import extract
from .models import Article, Document, Event, Failure

log = logging.getLogger(__name__)
Stage = Callable[[Article], Article]


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
                 coder: Callable[[Article, str], Article] | None = None):
        self.published = published
        self.nlp = nlp.load(model)
        self.actors = dictionary.builtin().merge(user_actors) if user_actors else dictionary.builtin()
        self.batch_size = batch_size
        self.coder = " ".join((f"diurna/{__version__}", coding.VERSION, typeclf.VERSION, dictionary.VERSION,
                               nlp.model_version(self.nlp)))
        # `coder`: the coding stage, None for the offline coder; another (diurna.llm) names its version
        self.event_coder = coder
        if coder is not None:
            self.coder += " " + coder.version
        self.stages: list[tuple[str, Stage]] = [
            ("actors", lambda a: actors.find_actors(a, self.actors)),
            ("coding", self.code),
        ]

    def code(self, article: Article) -> Article:
        if self.event_coder is not None:
            return self.event_coder(article, self.coder)
        if article.dyad:
            article.events = [coding.code_dyad(article, article.dyad[0], article.dyad[1], self.coder)]
            return article
        return coding.code_article(article, self.coder)

    def run(self, documents: Iterable[Document | Failure]) -> Iterator[Result]:
        """Code documents in order; yield one Result per input document."""
        batch: list[Article | Failure] = []
        for item in documents:
            if isinstance(item, Document):
                try:
                    item = extract(item, self.published)
                except DiurnaError as exc:
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
            nlp.annotate(articles, self.nlp, self.batch_size)
        except Exception:  # one bad text must not sink the batch: parse each alone to find it
            for article in articles:
                try:
                    nlp.annotate([article], self.nlp)
                except Exception as exc:  # noqa: BLE001 - recorded as this document's failure
                    article.doc = exc
        for item in batch:
            if isinstance(item, Failure):
                yield Result(failure=item)
            elif _skip_reason(item):
                yield Result(article=item, skipped=_skip_reason(item))
            elif isinstance(item.doc, Exception):
                yield Result(failure=Failure(item.id, "nlp", str(StageError("nlp", item.id, item.doc)), item.origin))
            else:
                yield self._stages(item)

    def _stages(self, article: Article) -> Result:
        for name, stage in self.stages:
            try:
                article = stage(article)
            except DiurnaError as exc:
                return Result(failure=Failure(article.id, name, str(exc), article.origin))
            except Exception as exc:  # noqa: BLE001 - a bug on one document is recorded, the run goes on
                log.debug("stage %s failed on %s", name, article.id, exc_info=True)
                error = StageError(name, article.id, exc)
                return Result(failure=Failure(article.id, name, str(error), article.origin))
        article.doc = None  # the parse is large and no later consumer needs it
        return Result(article=article)


def _skip_reason(article: Article) -> str:
    """Articles kept but not coded: the English rules must not code other languages."""
    if article.language and article.language != "en":
        return f"language {article.language!r} is not coded (English only)"
    return ""
