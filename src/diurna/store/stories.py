"""The tables of the stories stage: near-duplicate signatures, LSH buckets, stories, unique events.

    article_signatures  one row per stored article: its MinHash signatures (text shingles for
                        near-duplicates, content words for stories), its canonical article and story
    lsh_buckets         MinHash LSH: one row per (band bucket, day, article); a bucket's key mixes the
                        signature kind and the band, so one indexed look-up (bucket IN (...) and
                        day in a window) finds every candidate, however large the database
    stories             articles about the same happening, with their span of dates and counts
    unique_events       one row per happening: the counts GDELT users know (mentions, sources,
                        articles), combined confidence, every date and place its mentions give
                        (`dates`, `places`: "value=count;..."), and the mention shown for it
    unique_event_keys   the candidate index: (kind, country pair, date) -> unique event, where kind
                        is the event type plus its non-factual modes (a negated ASSAULT never merges
                        with an ASSAULT)
    event_mentions      every stored event is one mention of one unique event; `shown` marks the
                        best-supported mention, the one queries return for the unique event

Created by the migration `stories_tables`, registered with `@migration` (this module is imported at
the end of `migrations.py`, so every opened store has the tables); the stage's logic is in
`diurna.stories`. Every CREATE is `checkfirst`, so the migration is safe on any database.

On SQLite, `lsh_buckets` and `unique_event_keys` are WITHOUT ROWID tables (`KEY_TABLES`): every
column is in their key, so each row an article writes (~64 bucket rows, its events' keys) is one
B-tree insert, not a rowid-table append plus an index insert. Databases created before that are
rebuilt by `rebuild_without_rowid` (the migration `stories_key_tables_without_rowid`).

Indexes, checked against the statements that use them (EXPLAIN QUERY PLAN in `benchmarks/stories.py`):
the keys serve every look-up of `link_article`; `ix_unique_event_keys_unique` and
`ix_event_mentions_article` serve a re-code (`unlink_article`, `events.refresh`);
`ix_event_mentions_unique` the recount and the shown mention; `ix_article_signatures_story`,
`ix_unique_events_story` and `ix_stories_last_date` the story pages. `ix_article_signatures_canonical`
serves no query today (one insert an article; kept for "the copies of this article").
"""
from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Connection, Date, DateTime, Float, ForeignKey, Index,
                        Integer, LargeBinary, String, Table, Text)

from .migrations import migration
from .schema import metadata  # one MetaData, so foreign keys to articles and events resolve

article_signatures = Table(
    "article_signatures", metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("text_minhash", LargeBinary, nullable=False),
    Column("topic_minhash", LargeBinary, nullable=False),
    Column("canonical_id", String(32), nullable=False),  # itself, or the article it near-duplicates
    Column("similarity", Float, nullable=False, default=1.0),  # estimated Jaccard with the canonical
    Column("story_id", String(32), nullable=False),
    Column("published", Date, nullable=True),
)
Index("ix_article_signatures_story", article_signatures.c.story_id)
Index("ix_article_signatures_canonical", article_signatures.c.canonical_id)

lsh_buckets = Table(
    "lsh_buckets", metadata,
    Column("bucket", BigInteger, primary_key=True),
    Column("day", Integer, primary_key=True),  # the article's publication date as an ordinal; 0 unknown
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sqlite_with_rowid=False,  # the key is the table: one B-tree an insert, not a rowid table and its index
)

stories = Table(
    "stories", metadata,
    Column("id", String(32), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("first_date", Date, nullable=True),
    Column("last_date", Date, nullable=True),
    Column("articles", Integer, nullable=False, default=0),
    Column("created_at", DateTime, nullable=False),
)
Index("ix_stories_last_date", stories.c.last_date)

unique_events = Table(
    "unique_events", metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(64), nullable=False),  # event type, plus "/negation" etc. when not factual
    Column("story_id", String(32), nullable=True),
    Column("date", Date, nullable=True),  # the best-supported date (the shown mention's)
    Column("enddate", Date, nullable=True),  # the shown mention's end of a range ("four days of strikes")
    Column("date_source", String(16), nullable=False, default=""),
    Column("place_country", String(8), nullable=True),  # the best-supported place's country
    Column("reciprocal", Boolean, nullable=False, default=False),  # a mention names a two-sided fight
    Column("actor_codes", Text, nullable=False, default=""),  # ";"-joined, every mention's
    Column("recipient_codes", Text, nullable=False, default=""),
    Column("dates", Text, nullable=False, default=""),  # "2025-05-10=3;2025-05-11=1"
    Column("places", Text, nullable=False, default=""),  # "Poonch|IND=2;Kashmir|PAK=1"
    Column("mentions", Integer, nullable=False, default=0),
    Column("articles", Integer, nullable=False, default=0),
    Column("sources", Integer, nullable=False, default=0),
    Column("confidence", Float, nullable=False, default=0.0),
    Column("shown_event_id", String(32), nullable=False),
)
Index("ix_unique_events_story", unique_events.c.story_id)

unique_event_keys = Table(
    "unique_event_keys", metadata,
    Column("kind", String(64), primary_key=True),
    Column("pair", String(40), primary_key=True),  # "IND|PAK" (sorted), "IND|" one-sided, "IND|*" any
    Column("date", Date, primary_key=True),
    Column("unique_id", String(32), ForeignKey("unique_events.id", ondelete="CASCADE"), primary_key=True),
    sqlite_with_rowid=False,
)
Index("ix_unique_event_keys_unique", unique_event_keys.c.unique_id)

event_mentions = Table(
    "event_mentions", metadata,
    Column("event_id", String(32), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("unique_id", String(32), ForeignKey("unique_events.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", String(32), nullable=False),
    Column("source", Text, nullable=False, default=""),
    Column("shown", Boolean, nullable=False, default=True),
)
Index("ix_event_mentions_unique", event_mentions.c.unique_id)
Index("ix_event_mentions_article", event_mentions.c.article_id)

TABLES = (article_signatures, lsh_buckets, stories, unique_events, unique_event_keys, event_mentions)


@migration
def stories_tables(conn: Connection) -> None:
    """Stories, near-duplicate signatures and LSH buckets, unique events and their mentions."""
    metadata.create_all(conn, tables=list(TABLES), checkfirst=True)


KEY_TABLES = (lsh_buckets, unique_event_keys)  # WITHOUT ROWID on SQLite: every column is in the key


def rebuild_without_rowid(conn: Connection) -> None:
    """Rebuild `KEY_TABLES` of an SQLite database created before they were WITHOUT ROWID tables.

    Each keeps its rows (copied in key order), its key and its indexes; only the layout changes:
    the table is its primary key's B-tree, so an article's ~64 bucket rows and its events' keys
    are one B-tree insert each instead of a rowid-table append plus an index insert (issue 7).
    Registered in `migrations.py` after `query_indexes`; PostgreSQL tables have no rowid.
    """
    if conn.dialect.name != "sqlite":
        return
    for table in KEY_TABLES:
        created = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                       (table.name,)).scalar()
        if created is None or "WITHOUT ROWID" in created.upper():
            continue
        conn.exec_driver_sql(f"ALTER TABLE {table.name} RENAME TO {table.name}_rowid")
        for index in table.indexes:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
        table.create(conn)  # with its indexes
        names = ", ".join(f'"{c.name}"' for c in table.c)
        key = ", ".join(f'"{c.name}"' for c in table.primary_key)
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) "
                             f"SELECT {names} FROM {table.name}_rowid ORDER BY {key}")
        conn.exec_driver_sql(f"DROP TABLE {table.name}_rowid")
