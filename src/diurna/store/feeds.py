"""The feed watcher's state per feed: conditional-request validators, schedule and failures.

Kept in the database so a watcher picks up where it left off after a restart.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from .schema import feeds


@dataclasses.dataclass(slots=True)
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_polled: dt.datetime | None = None
    next_poll: dt.datetime | None = None
    failures: int = 0  # consecutive failures, for back-off
    last_error: str | None = None


def get(conn: Connection, url: str) -> FeedState | None:
    row = conn.execute(select(feeds).where(feeds.c.url == url)).mappings().first()
    return FeedState(**row) if row else None


def save(conn: Connection, state: FeedState) -> None:
    """Insert or update one feed's state (an upsert, so two watchers cannot collide on the key)."""
    values = dataclasses.asdict(state)
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(feeds).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[feeds.c.url], set_={k: statement.excluded[k] for k in values if k != "url"})
    conn.execute(statement)


def all_states(conn: Connection) -> list[FeedState]:
    return [FeedState(**row) for row in conn.execute(select(feeds).order_by(feeds.c.url)).mappings()]
