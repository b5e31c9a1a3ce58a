"""Corrections: what a person says about a coded event, kept apart from the coder's output.

A correction marks an event wrong, or fixes its type, actors, date or place. It lives in its own
table, keyed by the event id (stable across re-codes: see `codec`) and by the event's evidence
(article, sentence, trigger offset), with no foreign key to `events`: a re-code deletes and
re-inserts events, and a person's word must survive that. The coder's row is never touched.

    corrections   id, event_id, article_id, sentence, trigger_start, status (wrong | fixed),
                  event_type, actor, recipient, date, place, note, author, created_at

The table is created by the migration registered below (this module is imported at the end of
`migrations.py`, so every opened store has it).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (Column, Connection, Date, DateTime, Index, Integer, MetaData, String, Table, Text,
                        insert, select)

from . import codec
from .reads import one_of
from .migrations import migration

STATUSES = ("wrong", "fixed")
FIELDS = ("event_type", "actor", "recipient", "date", "place")

metadata = MetaData()
corrections = Table(
    "corrections", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(32), nullable=False),
    Column("article_id", String(32), nullable=False),
    Column("sentence", Integer, nullable=False, default=-1),
    Column("trigger_start", Integer, nullable=False, default=-1),
    Column("status", String(16), nullable=False),  # wrong | fixed
    Column("event_type", String(32), nullable=True),
    Column("actor", Text, nullable=True),  # code or name, as the person wrote it
    Column("recipient", Text, nullable=True),
    Column("date", Date, nullable=True),
    Column("place", Text, nullable=True),
    Column("note", Text, nullable=False, default=""),
    Column("author", Text, nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
)
Index("ix_corrections_event", corrections.c.event_id)
Index("ix_corrections_article", corrections.c.article_id)


@migration
def corrections_table(conn: Connection) -> None:
    """People's corrections of coded events, apart from the coder's output (see store/corrections.py)."""
    metadata.create_all(conn, tables=[corrections], checkfirst=True)


def add(conn: Connection, *, event_id: str, article_id: str, sentence: int, trigger_start: int, status: str,
        event_type: str | None = None, actor: str | None = None, recipient: str | None = None,
        date: dt.date | None = None, place: str | None = None, note: str = "", author: str = "") -> int:
    """Store one correction (inside a write transaction); return its id."""
    row = codec.clean_row({"event_id": event_id, "article_id": article_id, "sentence": sentence,
                           "trigger_start": trigger_start, "status": status, "event_type": event_type,
                           "actor": actor, "recipient": recipient, "date": date, "place": place,
                           "note": note or "", "author": author or "", "created_at": codec.now()})
    return conn.execute(insert(corrections).values(**row)).inserted_primary_key[0]


def for_events(conn: Connection, events: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """The latest correction of each event (by id, or by its evidence after a re-code changed the id)."""
    events = list(events)
    if not events:
        return {}
    article_ids = sorted({e.doc_id for e in events})
    found: dict[str, dict[str, Any]] = {}
    by_evidence: dict[tuple, dict[str, Any]] = {}
    query = select(corrections).where(one_of(conn, corrections.c.article_id, article_ids)).order_by(corrections.c.id)
    for row in conn.execute(query).mappings():
        record = plain(row)
        found[row["event_id"]] = record
        by_evidence[(row["article_id"], row["sentence"], row["trigger_start"])] = record
    result = {}
    for event in events:
        record = found.get(event.id) or by_evidence.get((event.doc_id, event.sentence, event.trigger_start))
        if record is not None:
            result[event.id] = record
    return result


def history(conn: Connection, event_id: str) -> list[dict[str, Any]]:
    """Every correction of one event, oldest first."""
    query = select(corrections).where(corrections.c.event_id == event_id).order_by(corrections.c.id)
    return [plain(row) for row in conn.execute(query).mappings()]


def plain(row) -> dict[str, Any]:
    record = dict(row)
    for key in ("date", "created_at"):
        if record.get(key) is not None and hasattr(record[key], "isoformat"):
            record[key] = record[key].isoformat()
    return {k: v for k, v in record.items() if v not in (None, "") or k in ("status",)}
