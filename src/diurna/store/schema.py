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
                        String, Table, Text, func, text)

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
# The orders of an events page by date, with query.events_select's tie-breakers, so that
# `ORDER BY date [DESC], article_id, sentence, trigger_start, id LIMIT n` walks an index and stops
# after n matches instead of sorting every match (a mixed-direction ORDER BY cannot scan one index
# backwards, hence one index per direction); the newest-first one also per event type, the
# filter the pages use most. They replaced ix_events_date and ix_events_type, their prefixes.
ORDER_COLUMNS = (events.c.article_id, events.c.sentence, events.c.trigger_start, events.c.id)
Index("ix_events_date_order", events.c.date, *ORDER_COLUMNS)
Index("ix_events_date_desc_order", events.c.date.desc(), *ORDER_COLUMNS)
Index("ix_events_type_date_desc_order", events.c.event_type, events.c.date.desc(), *ORDER_COLUMNS)
# Every column an events page filters or orders on, after the id: a page is chosen by looking up
# the candidate ids of an actor filter here (and sorting them) without reading the rows, whose
# evidence text makes them ten times wider; only the page's own rows are then read
# (query.events_select). Three times faster for an actor's events by Goldstein on 100,000 events.
Index("ix_events_filter_cover", events.c.id, events.c.factual, events.c.quad_code, events.c.event_type,
      events.c.date, events.c.enddate, events.c.goldstein, events.c.confidence, *ORDER_COLUMNS[:3])

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
# Actor filters (query.conditions) look an entity up by code, by name or by text, each with its
# role, and need only the event id: one covering index for each way. The name and text indexes
# are on lower(...) (the filters match case-insensitively) and partial: most entities have no
# resolved name, and an index whose one value is '' for most rows misleads the planner.
Index("ix_event_actors_code_role", event_actors.c.code, event_actors.c.role, event_actors.c.event_id)
Index("ix_event_actors_name", func.lower(event_actors.c.entity_name), event_actors.c.role, event_actors.c.event_id,
      sqlite_where=text("entity_name != ''"), postgresql_where=text("entity_name != ''"))
Index("ix_event_actors_text", func.lower(event_actors.c.entity_text), event_actors.c.role, event_actors.c.event_id,
      sqlite_where=text("entity_text != ''"), postgresql_where=text("entity_text != ''"))

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
