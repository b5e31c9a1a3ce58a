"""Reading stories and unique events: the story list, one story with its articles and a timeline of
its unique events, every mention of a unique event, and GDELT's counts for query results.

    >>> from diurna import stories
    >>> page = stories.story(store, stories.story_of(store, article_id))
    >>> [(e["date"], e["event"], e["mentions"]) for e in page["events"]]
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, exists, func, literal, or_, select

from ..store import codec
from ..store.reads import one_of
from ..store.schema import articles as articles_table, events as events_table
from ..store.stories import article_signatures, event_mentions, stories as stories_table, unique_events
from .events import tally

def story_of(store, article_id: str) -> str | None:
    """The story id of a stored article, or None (not stored, or stored before stories existed)."""
    with store.read() as conn:
        return conn.execute(select(article_signatures.c.story_id)
                            .where(article_signatures.c.article_id == article_id)).scalar()


def stories(store, *, since: dt.date | str | None = None, until: dt.date | str | None = None,
            q: str | None = None, country: str | None = None, limit: int | None = 50,
            offset: int = 0) -> list[dict[str, Any]]:
    """Stories, latest first, each with its article and unique-event counts.

    `since`/`until` keep the stories whose span of dates meets the window; `q` those whose title
    holds the words (case-insensitive); `country` those with a unique event whose actor, recipient
    or place is that country code.
    """
    n_events = (select(func.count()).select_from(unique_events)
                .where(unique_events.c.story_id == stories_table.c.id).scalar_subquery())
    query = _filtered(select(stories_table, n_events.label("events")), since, until, q, country)
    query = query.order_by(stories_table.c.last_date.desc(), stories_table.c.id).offset(max(0, offset))
    if limit is not None:
        query = query.limit(max(0, limit))
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def count_stories(store, *, since: dt.date | str | None = None, until: dt.date | str | None = None,
                  q: str | None = None, country: str | None = None) -> int:
    """How many stories `stories` would list with these filters and no limit."""
    query = _filtered(select(func.count()).select_from(stories_table), since, until, q, country)
    with store.read() as conn:
        return int(conn.execute(query).scalar() or 0)


def _filtered(query, since, until, q, country):
    s = stories_table
    if since:
        query = query.where(s.c.last_date >= codec.to_date(since))
    if until:
        query = query.where(s.c.first_date <= codec.to_date(until))
    for word in (q or "").split():
        query = query.where(func.lower(s.c.title).like(f"%{_like(word.lower())}%", escape="\\"))
    if country and country.strip():
        code = country.strip().upper()
        u = unique_events

        def holds(column):
            return (literal(";", String) + column + literal(";", String)).like(f"%;{_like(code)};%", escape="\\")

        query = query.where(exists().where(u.c.story_id == s.c.id,
                                           or_(u.c.place_country == code, holds(u.c.actor_codes),
                                               holds(u.c.recipient_codes))))
    return query


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def story(store, story_id: str) -> dict[str, Any] | None:
    """One story: its row, its articles (by publication date) and its unique events on a timeline.

    Each event is the shown mention's PLOVER record plus `unique_id`, `mentions`, `articles`,
    `sources`, the combined `confidence`, and every `dates`/`places` its mentions give.
    `timeline`: one row a day with unique events or articles: {date, events, mentions, articles}.
    None for an unknown story.
    """
    from ..store import reads

    with store.read() as conn:
        row = conn.execute(select(stories_table).where(stories_table.c.id == story_id)).mappings().first()
        if row is None:
            return None
        a = articles_table
        members = conn.execute(
            select(a.c.id, a.c.url, a.c.title, a.c.site, a.c.published, article_signatures.c.canonical_id,
                   article_signatures.c.similarity)
            .join(article_signatures, article_signatures.c.article_id == a.c.id)
            .where(article_signatures.c.story_id == story_id).order_by(a.c.published, a.c.id)).mappings().all()
        uniques = conn.execute(select(unique_events).where(unique_events.c.story_id == story_id)).mappings().all()
        shown_ids = [u["shown_event_id"] for u in uniques]
        event_rows = conn.execute(select(events_table).where(events_table.c.id.in_(shown_ids))).mappings().all() \
            if shown_ids else []
        rebuilt = {e.id: e for e in reads.events_from_rows(conn, event_rows)}
    timeline = []
    for u in uniques:
        event = rebuilt.get(u["shown_event_id"])
        if event is None:
            continue
        record = event.to_record()
        record.update({"unique_id": u["id"], "mentions": u["mentions"], "articles": u["articles"],
                       "sources": u["sources"], "confidence": round(u["confidence"], 3),
                       "dates": [{"date": v.split("/")[0], "source": v.split("/")[-1], "mentions": n}
                                 for v, n in tally(u["dates"])],
                       "places": [{"place": v.rsplit("|", 1)[0], "country_code": v.rsplit("|", 1)[1], "mentions": n}
                                  for v, n in tally(u["places"])]})
        timeline.append(record)
    timeline.sort(key=lambda r: (r["date"] or "9999", -r["mentions"], r["unique_id"]))
    listed = [{**dict(m), "duplicate": m["canonical_id"] != m["id"]} for m in members]
    return {"story": dict(row), "articles": listed, "events": timeline, "timeline": _days(timeline, listed)}


def _days(timeline: list[dict[str, Any]], listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    days: dict[str, dict[str, Any]] = {}

    def day(value: Any) -> dict[str, Any]:
        key = value.isoformat() if isinstance(value, dt.date) else str(value)
        return days.setdefault(key, {"date": key, "events": 0, "mentions": 0, "articles": 0})

    for record in timeline:
        if record["date"]:
            day(record["date"])["events"] += 1
            day(record["date"])["mentions"] += record["mentions"]
    for member in listed:
        if member["published"]:
            day(codec.to_date(member["published"]))["articles"] += 1
    return [days[k] for k in sorted(days)]


def mentions(store, event_id: str) -> list[dict[str, Any]]:
    """Every mention of the unique event that `event_id` (any of its mentions) belongs to.

    Each: the event id, article (id, url, title, site), sentence, offsets, trigger, date, place and
    the sentence text; the shown mention first. [] for an event stored before stories existed.
    """
    with store.read() as conn:
        unique_id = conn.execute(select(event_mentions.c.unique_id)
                                 .where(event_mentions.c.event_id == event_id)).scalar()
        return [] if unique_id is None else _mentions_of(conn, [unique_id]).get(unique_id, [])


def add_mentions(store, found: Sequence[Any]) -> None:
    """Give stored events (query.StoredEvent, their `unique_id` set) every mention of their unique event."""
    unique_ids = sorted({item.unique_id for item in found if item.unique_id is not None})
    if not unique_ids:
        return
    with store.read() as conn:
        told = _mentions_of(conn, unique_ids)
    for item in found:
        if item.unique_id is not None:
            item.mentions = told.get(item.unique_id, [])


def _mentions_of(conn, unique_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The mentions of each unique event (see `mentions`), the shown one first."""
    e, m, a = events_table, event_mentions, articles_table
    query = (select(m.c.unique_id, e.c.id.label("event_id"), e.c.article_id, a.c.url, a.c.title, a.c.site,
                    a.c.published, e.c.sentence, e.c.start, e.c.end, e.c.trigger, e.c.date, e.c.date_source,
                    e.c.place_name, e.c.place_country, e.c.confidence, e.c.event_text, m.c.source, m.c.shown)
             .join(m, m.c.event_id == e.c.id).join(a, a.c.id == e.c.article_id)
             .where(one_of(conn, m.c.unique_id, unique_ids))
             .order_by(m.c.unique_id, m.c.shown.desc(), a.c.published, e.c.article_id, e.c.sentence))
    told: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(query).mappings():
        told.setdefault(row["unique_id"], []).append(dict(row))
    return told


def pairwise(predicted: dict[Any, Any], gold: dict[Any, Any]) -> tuple[float, float]:
    """Pairwise (precision, recall) of a clustering against the true one, over the items of `gold`.

    A pair of items is predicted together when `predicted` gives both one cluster; 1.0 when a side
    has no pairs at all.

    >>> pairwise({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "x", "c": "x"})
    (1.0, 0.3333333333333333)
    """
    items = sorted(gold, key=str)
    true_pairs = predicted_pairs = both = 0
    for i, first in enumerate(items):
        for second in items[i + 1:]:
            same_gold = gold[first] == gold[second]
            same_pred = predicted.get(first, ("missing", first)) == predicted.get(second, ("missing", second))
            true_pairs += same_gold
            predicted_pairs += same_pred
            both += same_gold and same_pred
    return (both / predicted_pairs if predicted_pairs else 1.0, both / true_pairs if true_pairs else 1.0)

