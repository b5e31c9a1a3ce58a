"""`Store`: one small interface over SQLite and PostgreSQL, for the pipeline and the queries.

    with Store.open("diurna.db") as store:          # or "postgresql://user@host/db"
        if store.add(result.article, result.events, coder=pipeline.coder):
            ...                                     # False: that article was already stored

Writes run in one transaction each and are retried when SQLite reports the database locked (another
process holds the write lock longer than the busy timeout), so concurrent ingest runs wait for each
other instead of failing. The methods are thin: the work lives in `writes`, `reads`, `feeds` and
`health`.
"""
from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

from ..models import Article, Event, Failure, Sentence
from . import codec, feeds, health, reads, writes
from .engine import WRITE, make_engine
from .errors import StoreError
from .feeds import FeedState
from .migrations import migrate

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRIES = 8


class Store:
    """A diurna database. Open with `Store.open(path_or_url)`; use as a context manager."""

    link_stories = True  # `add` links articles and events into stories and unique events (diurna.stories)
    lag_s = 0.0  # how long query's cached totals and aggregates may trail other processes' writes

    def __init__(self, engine: Engine):
        self.engine = engine
        self._writer = engine.execution_options(**WRITE)
        self._reading = threading.local()  # this thread's open read connection (see `read`)
        self.writes = 0  # write transactions this Store committed (query.kept tells its own from others')
        self.recent: dict = {}  # query.kept's results shared by this Store's connections while lag_s lasts

    @classmethod
    def open(cls, target: str | os.PathLike = "diurna.db") -> Store:
        """Open (creating and migrating as needed) the database at a path or URL."""
        store = cls(make_engine(target))
        try:
            store.write(migrate)
        except BaseException:
            store.close()
            raise
        return store

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- transactions --------------------------------------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading (a deferred transaction: never blocks writers in WAL mode).

        Reads nested in an open read on the same thread share its connection and transaction: a
        page and its total (or an article and its events) then come from one snapshot of the data,
        and a request pays for one connection checkout, not one per question.
        """
        held = getattr(self._reading, "conn", None)
        if held is not None:
            yield held
            return
        try:
            with self.engine.connect() as conn:
                conn.info.update({"diurna.lag_s": self.lag_s, "diurna.writes": self.writes,
                                  "diurna.recent": self.recent})
                self._reading.conn = conn
                try:
                    yield conn
                finally:
                    self._reading.conn = None
        except OperationalError as exc:
            raise StoreError(f"cannot read the database: {exc.orig or exc}") from exc

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run `work(conn)` in one write transaction, retrying while the database is locked."""
        delay = 0.05
        for attempt in range(RETRIES):
            try:
                with self._writer.begin() as conn:
                    done = work(conn)
                self.writes += 1
                return done
            except OperationalError as exc:
                if not _transient(exc) or attempt == RETRIES - 1:
                    raise StoreError(f"cannot write to the database: {exc.orig or exc}") from exc
                log.info("database busy (%s); retrying in %.2fs", exc.orig, delay)
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
        raise AssertionError("unreachable")

    # --- articles and events -------------------------------------------------------------------

    def add(self, article: Article, events: Iterable[Event] | None = None, *, coder: str | None = None,
            status: str | None = None, skip_reason: str = "") -> bool:
        """Store an article with its sentences and events in one transaction.

        Returns False, writing nothing, when the same article is already stored (the same url, or
        the same content hash). `events` defaults to `article.events`; `coder` to the events' coder;
        `status` to "skipped" when a `skip_reason` is given (not coded: a language, say), else "coded".
        """
        events = list(article.events if events is None else events)
        status = status or ("skipped" if skip_reason else "coded")
        coder = coder if coder is not None else (events[0].coder if events else "")

        def work(conn: Connection) -> bool:
            added = writes.add_article(conn, article, events, coder=coder, status=status, skip_reason=skip_reason)
            if added and self.link_stories:  # the stories stage: near-duplicates, stories, unique events
                from .. import stories
                stories.link_article(conn, article, events)
            return added

        try:
            return self.write(work)
        except IntegrityError as exc:  # another process stored it between our check and our insert
            if self.has(url=article.url, content_hash=codec.content_hash(article.text)):
                return False
            raise StoreError(f"cannot store article {article.id!r}: {exc.orig or exc}") from exc

    def replace_events(self, article_id: str, events: Iterable[Event], coder: str,
                       sentences: Sequence[Sentence] | None = None) -> int:
        """Replace a stored article's events with a re-coding; returns how many were stored."""
        events = list(events)

        def work(conn: Connection) -> int:
            from .. import stories
            if self.link_stories:
                stories.unlink_article(conn, article_id)
            count = writes.replace_events(conn, article_id, events, coder, sentences)
            if self.link_stories:
                stories.relink_article(conn, article_id, events)
            return count

        return self._guarded(work)

    def add_failure(self, failure: Failure) -> None:
        """Record a document that could not be fetched, read or coded."""
        self._guarded(lambda conn: writes.add_failure(conn, failure))

    def has(self, url: str | None = None, content_hash: str | None = None) -> bool:
        """Whether an article with this url or this content hash is stored."""
        return self.article_id(url=url, content_hash=content_hash) is not None

    def article_id(self, url: str | None = None, content_hash: str | None = None) -> str | None:
        """The stored id of the article with this url or content hash, or None."""
        with self.read() as conn:
            return writes.existing_id(conn, url, content_hash)

    def load_article(self, article_id: str) -> Article | None:
        """A stored article with its text, metadata and sentences (for re-coding)."""
        with self.read() as conn:
            return reads.load_article(conn, article_id)

    def articles_to_recode(self, coder: str) -> list[str]:
        """Ids of stored articles coded by another coder version (or failed), oldest first."""
        with self.read() as conn:
            return reads.articles_to_recode(conn, coder)

    # --- feeds, health -------------------------------------------------------------------------

    def feed_state(self, url: str) -> FeedState | None:
        with self.read() as conn:
            return feeds.get(conn, url)

    def feed_states(self) -> list[FeedState]:
        with self.read() as conn:
            return feeds.all_states(conn)

    def save_feed_state(self, state: FeedState) -> None:
        self._guarded(lambda conn: feeds.save(conn, state))

    def integrity_check(self) -> list[str]:
        """Problems found in the database; [] when it is sound."""
        with self.read() as conn:
            return health.integrity_check(conn)

    def counts(self) -> dict[str, int]:
        with self.read() as conn:
            return health.counts(conn)

    def _guarded(self, work: Callable[[Connection], T]) -> T:
        try:
            return self.write(work)
        except (IntegrityError, DBAPIError) as exc:
            raise StoreError(f"database write failed: {exc.orig or exc}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"database write failed: {exc}") from exc


def _transient(exc: OperationalError) -> bool:
    """SQLite's locked/busy, PostgreSQL's serialization failure or deadlock: worth a retry."""
    message = str(exc.orig).lower()
    if "database is locked" in message or "database is busy" in message:
        return True
    return str(getattr(exc.orig, "sqlstate", "") or "").startswith("40")
