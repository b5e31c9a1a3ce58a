"""The schema: plain table and column names, so the SQLite file reads well in any SQLite tool.

These `Table` objects describe the *current* schema for reads and writes. They are created by the
migrations in `migrations.py`, never by `create_all` elsewhere: a schema change is a change here
plus a new registered migration that brings an existing database up to it.

    articles        one row per stored article (id derived from its url, else its content hash)
    sentences       the article's sentence offsets (the text itself is sliced from articles.text)
    events          one row per coded event; id is Event.id keyed by the stored article id
    event_actors    actor and recipient entities of each event, in order
    failures        documents that could not be fetched, read or coded, with the reason
    feeds           the feed watcher's state per feed url (conditional requests, back-off)
    schema_version  the migrations applied, in order

Full-text search lives outside these objects because it differs by engine: an FTS5 table
`articles_fts` on SQLite, a generated tsvector column `articles.search` on PostgreSQL.
"""
from __future__ import annotations

from sqlalchemy import (Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData,
                        String, Table, Text)

metadata = MetaData()

articles = Table(
    "articles", metadata,
    Column("id", String(32), primary_key=True),
    Column("source_id", Text, nullable=False, default=""),  # the input document's own id
    Column("url", Text, unique=True, nullable=True),
    Column("title", Text, nullable=False, default=""),
    Column("byline", Text, nullable=False, default=""),
    Column("published", Date, nullable=True),
    Column("published_source", String(16), nullable=False, default=""),
    Column("site", Text, nullable=False, default=""),
    Column("language", String(16), nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), unique=True, nullable=False),
    Column("origin", Text, nullable=False, default=""),
    Column("ingested_at", DateTime, nullable=False),
    Column("coder", Text, nullable=False, default=""),
    Column("status", String(16), nullable=False, default="coded"),  # coded | skipped | failed
    Column("skip_reason", Text, nullable=False, default=""),
)
Index("ix_articles_published", articles.c.published)
Index("ix_articles_coder", articles.c.coder)

sentences = Table(
    "sentences", metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", String(32), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("date", Date, nullable=True),
    Column("enddate", Date, nullable=True),
    Column("date_source", String(16), nullable=False, default=""),
    Column("date_precision", String(16), nullable=False, default=""),
    Column("event_type", String(32), nullable=False),
    Column("modes", Text, nullable=False, default=""),  # ";"-joined PLOVER modes
    Column("contexts", Text, nullable=False, default=""),  # ";"-joined PLOVER contexts
    Column("quad_code", Integer, nullable=False, default=0),
    Column("cameo", String(8), nullable=False, default=""),
    Column("goldstein", Float, nullable=False, default=0.0),
    Column("confidence", Float, nullable=False, default=0.0),
    Column("coder", Text, nullable=False, default=""),
    Column("factual", Boolean, nullable=False, default=True),  # not negated, not hypothetical
    Column("sentence", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("trigger", Text, nullable=False, default=""),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("event_text", Text, nullable=False, default=""),
    Column("place_text", Text, nullable=True),
    Column("place_name", Text, nullable=True),
    Column("place_country", String(8), nullable=True),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("place_feature", String(32), nullable=True),
    Column("place_resolution", Integer, nullable=True),
    Column("place_start", Integer, nullable=True),
    Column("place_end", Integer, nullable=True),
)
Index("ix_events_article", events.c.article_id)
Index("ix_events_date", events.c.date)
Index("ix_events_type", events.c.event_type)

event_actors = Table(
    "event_actors", metadata,
    Column("event_id", String(32), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), primary_key=True),  # actor | recipient
    Column("position", Integer, primary_key=True),
    Column("code", String(16), nullable=False, default=""),
    Column("sector", String(16), nullable=False, default=""),
    Column("entity_text", Text, nullable=False, default=""),
    Column("entity_name", Text, nullable=False, default=""),
    Column("office", Text, nullable=False, default=""),
    Column("start", Integer, nullable=False, default=-1),
    Column("end", Integer, nullable=False, default=-1),
)
Index("ix_event_actors_code", event_actors.c.code)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", Text, nullable=False),
    Column("origin", Text, nullable=False, default=""),
    Column("stage", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime, nullable=False),
)

feeds = Table(
    "feeds", metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text, nullable=True),
    Column("last_modified", Text, nullable=True),
    Column("last_polled", DateTime, nullable=True),
    Column("next_poll", DateTime, nullable=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
)

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("applied_at", DateTime, nullable=False),
)

TABLES = (articles, sentences, events, event_actors, failures, feeds)
