"""Schema migrations: small registered functions, applied in order when a store opens.

Each function brings the schema from version N-1 to N and is registered with `@migration`; the
`schema_version` table records which have run. A later schema change is one new function at the
end of this file (and the matching change to the `Table` objects in `schema.py`); functions that
have shipped are never edited. Migrations run inside the opening write transaction; on PostgreSQL
an advisory lock makes two processes opening a fresh database take turns.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Connection, Index, select, text
from sqlalchemy.schema import CreateIndex

from . import schema
from .errors import StoreError

Migration = Callable[[Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []
_PG_LOCK_KEY = 0x64697572  # "diur": one advisory lock key for diurna's migrations


def migration(fn: Migration) -> Migration:
    """Register `fn` as the next schema version."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def migrate(conn: Connection) -> int:
    """Apply the migrations this database lacks; return the schema version it is now at."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    schema.schema_version.create(conn, checkfirst=True)
    applied = set(conn.execute(select(schema.schema_version.c.version)).scalars())
    newest = max(applied, default=0)
    if newest > len(MIGRATIONS):
        raise StoreError(f"the database is at schema version {newest}, newer than this diurna "
                         f"knows ({len(MIGRATIONS)}): upgrade diurna to open it")
    for version, (name, fn) in enumerate(MIGRATIONS, start=1):
        if version in applied:
            continue
        fn(conn)
        conn.execute(schema.schema_version.insert().values(
            version=version, name=name, applied_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)))
    return len(MIGRATIONS)


@migration
def m001_core_tables(conn: Connection) -> None:
    """Articles, sentences, events, their actors, failures and feed state."""
    schema.metadata.create_all(conn, tables=list(schema.TABLES), checkfirst=True)


@migration
def m002_full_text_search(conn: Connection) -> None:
    """Full-text search over article title and text: FTS5 on SQLite, tsvector on PostgreSQL.

    The SQLite index is its own FTS5 table kept in sync by triggers, so writes from any tool keep
    it right; it keys rows by article id because `articles` has a text primary key, whose implicit
    rowids VACUUM may renumber (an external-content index keyed by rowid would then go stale).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text(
            "ALTER TABLE articles ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('english', coalesce(text, '')), 'B')) STORED"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin (search)"))
        return
    for statement in (
        "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
        "title, text, article_id UNINDEXED, tokenize = 'porter unicode61')",
        "CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts (title, text, article_id) VALUES (new.title, new.text, new.id); END",
        "CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN "
        "DELETE FROM articles_fts WHERE article_id = old.id; END",
        "CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
        "UPDATE articles_fts SET title = new.title, text = new.text WHERE article_id = old.id; END",
        "INSERT INTO articles_fts (title, text, article_id) SELECT title, text, id FROM articles",
    ):
        conn.exec_driver_sql(statement)


from . import corrections as _corrections  # noqa: E402,F401 - registers corrections_table (the web's corrections)
from . import stories as _stories  # noqa: E402,F401 - registers stories_tables (stories, unique events)


# The mentions a unique event does not show (a few percent of them), which unique-event queries
# leave out: query.conditions reads them all in one pass of this small partial index on SQLite.
HIDDEN_MENTIONS = Index("ix_event_mentions_hidden", _stories.event_mentions.c.event_id,
                        sqlite_where=_stories.event_mentions.c.shown.is_(False),
                        postgresql_where=_stories.event_mentions.c.shown.is_(False))


@migration
def query_indexes(conn: Connection) -> None:
    """Indexes for the API's filtered pages and dyads (issue 5): see the comments in `schema.py`.

    Registered after the modules imported above, so it runs after `stories_tables` (versions are
    positions in `MIGRATIONS`). Drops the three single-column indexes that new ones start with.
    """
    for name in ("ix_events_date", "ix_events_type", "ix_event_actors_code"):
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    names = ("ix_events_date_order", "ix_events_date_desc_order", "ix_events_type_date_desc_order",
             "ix_event_actors_code_role", "ix_event_actors_name", "ix_event_actors_text", "ix_event_mentions_hidden")
    indexes = {i.name: i for t in (schema.events, schema.event_actors, _stories.event_mentions) for i in t.indexes}
    for name in names:  # IF NOT EXISTS, not checkfirst: SQLAlchemy cannot reflect expression indexes
        conn.execute(CreateIndex(indexes[name], if_not_exists=True))
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE events, event_actors, event_mentions"))


@migration
def stories_key_tables_without_rowid(conn: Connection) -> None:
    """SQLite: `lsh_buckets` and `unique_event_keys` as WITHOUT ROWID tables (issue 7): see
    `stories.rebuild_without_rowid`. Nothing to do on PostgreSQL or on a database created since."""
    _stories.rebuild_without_rowid(conn)


@migration
def events_filter_cover_index(conn: Connection) -> None:
    """The covering index of events pages (`ix_events_filter_cover`, see `schema.py`)."""
    index = next(i for i in schema.events.indexes if i.name == "ix_events_filter_cover")
    conn.execute(CreateIndex(index, if_not_exists=True))
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE events"))
