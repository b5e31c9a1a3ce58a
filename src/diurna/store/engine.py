"""Opening a database: a SQLAlchemy engine set up for diurna's two engines.

SQLite (the default; a file path or `sqlite:///...`): WAL so readers never block the writer, a
busy timeout so a second writer waits instead of failing, foreign keys on. Write transactions
start with BEGIN IMMEDIATE, taking the write lock up front: two processes can then never deadlock
upgrading read locks, and a writer that cannot get the lock waits `busy_timeout` and is retried
by the store. PostgreSQL (`postgresql://...`): the psycopg 3 driver, whose executemany sends a
batch of rows in pipeline mode (one prepared statement, no round trip a row).
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .errors import StoreError

BUSY_TIMEOUT_MS = 30_000
WRITE = {"diurna_write": True}  # execution option that makes a SQLite transaction BEGIN IMMEDIATE


def database_url(target: str | os.PathLike) -> str:
    """A SQLAlchemy URL for a path, a sqlite:// URL or a postgresql:// URL."""
    value = os.fspath(target)
    for prefix in ("postgresql://", "postgres://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix):]
    if value.startswith(("postgresql+", "sqlite:")):
        return value
    if "://" in value:
        raise StoreError(f"unsupported database URL {value!r}: use a file path, sqlite:/// or postgresql://")
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def make_engine(target: str | os.PathLike) -> Engine:
    url = database_url(target)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"bad database URL {url!r}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise StoreError("diurna needs a database file; an in-memory SQLite database is not shared")
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # The connection used last is handed out first: what it keeps (query.kept: totals, a
        # server's aggregates) is per connection, and one warm connection serves a server's
        # requests on its event loop (diurna.web.runner) where a rota of five would each count anew.
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, pool_use_lifo=True)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    raise StoreError(f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL")


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # diurna issues BEGIN itself (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")  # durable in WAL mode up to the last checkpoint
    # Reads through the page cache of the OS, not copies into SQLite's own: the de-duplication step's
    # index look-ups cost about a tenth less (benchmarks/stories.py). Writes are unchanged.
    cursor.execute("PRAGMA mmap_size = 1000000000")
    cursor.close()


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("diurna_write") else "BEGIN")
