"""Reading whole objects back: articles for re-coding, and events with their actors."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, or_, select

from ..models import Article, Event
from . import codec
from .schema import articles, event_actors, sentences

CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


def load_article(conn: Connection, article_id: str) -> Article | None:
    row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
    if row is None:
        return None
    rows = conn.execute(select(sentences).where(sentences.c.article_id == article_id)).mappings().all()
    return codec.article_from_row(row, rows)


def articles_to_recode(conn: Connection, coder: str) -> list[str]:
    """Ids of articles coded (or failed) by another coder than `coder`; skipped ones stay skipped."""
    query = (select(articles.c.id)
             .where(articles.c.status != "skipped", or_(articles.c.coder != coder, articles.c.status == "failed"))
             .order_by(articles.c.ingested_at, articles.c.id))
    return list(conn.execute(query).scalars())


def events_from_rows(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> list[Event]:
    """Rebuild events from `events` rows (in their order), reading their actors in chunks."""
    by_event: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    ids = [row["id"] for row in rows]
    for i in range(0, len(ids), CHUNK):
        query = select(event_actors).where(event_actors.c.event_id.in_(ids[i:i + CHUNK]))
        for actor in conn.execute(query).mappings():
            by_event[actor["event_id"]].append(actor)
    return [codec.event_from_row(row, by_event.get(row["id"], ())) for row in rows]

