"""Writing: an article with its sentences and events in one transaction, re-codes and failures.

Every function here takes a connection inside a write transaction opened by `Store`; none commits.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, or_, select, update

from ..models import Article, Event, Failure, Sentence
from . import codec
from .errors import StoreError
from .schema import articles, event_actors, events, failures, sentences

STATUSES = ("coded", "skipped", "failed")


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert a batch of rows with one executemany: never a statement and a round trip a row.

    On PostgreSQL psycopg 3 pipelines the batch under one prepared statement. Multi-row
    `INSERT ... VALUES` batches (`insert().values(rows)`, or SQLAlchemy's insertmanyvalues) were
    measured slower for diurna's write pattern (one article, ~20 events, ~30 actors a transaction):
    52 against 72 articles/s on PostgreSQL 15 locally, the difference being psycopg parsing each
    differently sized VALUES statement anew. On SQLite executemany is in-process and fast.
    """
    if rows:
        conn.execute(insert(table), [codec.clean_row(row) for row in rows])


def existing_id(conn: Connection, url: str | None, digest: str | None) -> str | None:
    """The id of the stored article with this url or this content hash, if any."""
    tests = []
    if url and url.strip():
        tests.append(articles.c.url == codec.clean(url.strip()))
    if digest:
        tests.append(articles.c.content_hash == digest)
    if not tests:
        return None
    return conn.execute(select(articles.c.id).where(or_(*tests)).limit(1)).scalar()


def add_article(conn: Connection, article: Article, events_: Iterable[Event], *, coder: str, status: str,
                skip_reason: str) -> bool:
    """Store the article, its sentences and its events; False (writing nothing) if already stored."""
    if status not in STATUSES:
        raise StoreError(f"article status must be one of {', '.join(STATUSES)}, not {status!r}")
    digest = codec.content_hash(article.text)
    if existing_id(conn, article.url, digest) is not None:
        return False
    stored_id = codec.article_id(article.url, digest)
    insert_rows(conn, articles, [codec.article_row(
        article, stored_id, digest, coder=coder, status=status, skip_reason=skip_reason, at=codec.now())])
    insert_rows(conn, sentences, codec.sentence_rows(stored_id, article.sentences))
    _insert_events(conn, stored_id, events_)
    return True


def replace_events(conn: Connection, article_id: str, events_: Iterable[Event], coder: str,
                   sentences_: Sequence[Sentence] | None = None) -> int:
    """Swap the article's events (and sentences, when given) for a new coding; return the count."""
    if conn.execute(select(articles.c.id).where(articles.c.id == article_id)).scalar() is None:
        raise StoreError(f"no stored article {article_id!r} to re-code")
    old = select(events.c.id).where(events.c.article_id == article_id)
    conn.execute(delete(event_actors).where(event_actors.c.event_id.in_(old)))
    conn.execute(delete(events).where(events.c.article_id == article_id))
    if sentences_ is not None:
        conn.execute(delete(sentences).where(sentences.c.article_id == article_id))
        insert_rows(conn, sentences, codec.sentence_rows(article_id, sentences_))
    count = _insert_events(conn, article_id, events_)
    conn.execute(update(articles).where(articles.c.id == article_id)
                 .values(coder=coder, status="coded", skip_reason=""))
    return count


def add_failure(conn: Connection, failure: Failure) -> None:
    insert_rows(conn, failures, [{"doc_id": failure.doc_id, "origin": failure.origin or "",
                                  "stage": failure.stage, "reason": failure.reason, "at": codec.now()}])


def _insert_events(conn: Connection, article_id: str, events_: Iterable[Event]) -> int:
    rows, actor_rows = codec.event_rows(article_id, events_)
    insert_rows(conn, events, rows)
    insert_rows(conn, event_actors, actor_rows)
    return len(rows)
