"""Asking the store questions: events by filter, full-text search, one article, actors, dyads.

Every filter becomes a SQLAlchemy expression with bound parameters, never formatted SQL, so any
string a user types is only ever compared, not run. Events that did not happen (PLOVER's
`negation` and `hypothetical` modes) are left out unless `include_nonfactual=True`: they do
not count as having happened (DESIGN.md). Results are plain dataclasses and dicts, which
`diurna.database` turns into pandas or Arrow tables in one call.

    >>> from diurna.store import Store
    >>> from diurna import query
    >>> with Store.open("diurna.db") as store:
    ...     hits = query.events(store, country="PAK", since="2025-05-01", event_type="ASSAULT")
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass, field, fields, replace
from typing import Any, TypeVar

from sqlalchemy import (ColumnElement, Connection, Select, and_, case, distinct, exists, func, literal_column,
                        or_, select, text, union_all)
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from .models import Event
from .store import Store, fulltext, reads
from .store.codec import clean
from .store.errors import QueryError
from .store.schema import articles, event_actors, events as events_table, failures, feeds, sentences
from .store.stories import event_mentions, unique_events

# event_mentions as the unique-event filter reads it, apart from a page's own join to the table (one
# alias for the process: making one builds its column collections, a fifth of a millisecond a page)
HIDDEN_MENTIONS = event_mentions.alias("hidden_mentions")
UNIQUE_COLUMNS = (unique_events.c.id, unique_events.c.mentions, unique_events.c.sources, unique_events.c.articles,
                  unique_events.c.confidence)

ORDERS = {
    "date": (events_table.c.date, False), "-date": (events_table.c.date, True),
    "confidence": (events_table.c.confidence, False), "-confidence": (events_table.c.confidence, True),
    "goldstein": (events_table.c.goldstein, False), "-goldstein": (events_table.c.goldstein, True),
    "ingested": (articles.c.ingested_at, False), "-ingested": (articles.c.ingested_at, True),
}
PERIODS = {"day": (10, "YYYY-MM-DD"), "month": (7, "YYYY-MM"), "year": (4, "YYYY")}
CACHE_SIZE = 128  # results `kept` keeps (counts, stats, actors, dyads), per database connection
T = TypeVar("T")
# How an events page in date order is found on SQLite (`_walk`), from costs measured with SQLite
# 3.40 on benchmarks/api.py's 100,000 events: per candidate event of an actor filter, 1.0 us to
# look it up (the planner's plan: every candidate read, then sorted) or 0.31 us to put it in the
# list that an index walk tests ids against; per index entry walked, 0.35 us to test it against
# such a list, or 0.1 us to read it and, if its other filters keep it, 1.3 us more to probe the
# event's actors (no list at all).
ROLES = ("actor", "recipient")  # an event's sides, as event_actors.role names them
LIST = "list"  # walk the date index, testing ids against the actor filters' lists
PROBE = "probe"  # walk the date (or one type's) index, probing each event's actors
LOOKUP_US, LISTED_US, LIST_TEST_US, WALK_US, PROBE_US = 1.0, 0.31, 0.35, 0.1, 1.3


@dataclass(slots=True)
class Filters:
    """The filters of `diurna events`; strings are matched exactly (codes case-insensitively)."""

    country: str | None = None  # either side: actor or recipient
    actor: str | None = None  # a code (PAK) or a name as written or resolved ("Wang Yi")
    recipient: str | None = None
    sector: str | None = None  # either side
    event_type: str | Iterable[str] | None = None
    quad: int | Iterable[int] | None = None
    since: dt.date | str | None = None
    until: dt.date | str | None = None
    query: str | None = None  # full text over the event's article
    min_confidence: float | None = None
    include_nonfactual: bool = False
    article_id: str | None = None
    limit: int | None = None
    offset: int = 0
    order: str = "date"
    unique: bool = True  # one row per unique event (diurna.stories): its best-supported mention
    mentions: bool = False  # with `unique`: fill StoredEvent.mentions with every mention of each event

    @classmethod
    def of(cls, **kwargs: Any) -> Filters:
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(kwargs) - names)
        if unknown:
            raise QueryError(f"unknown filter(s): {', '.join(unknown)}; known: {', '.join(sorted(names))}")
        return cls(**kwargs)


@dataclass(slots=True)
class StoredEvent:
    """An event read from the store, with the article facts an export needs."""

    event: Event
    url: str | None = None
    title: str = ""
    published: dt.date | None = None
    ingested_at: dt.datetime | None = None
    unique_id: str | None = None  # the unique event this mention is shown for (None: not linked)
    num_mentions: int = 1  # GDELT's NumMentions, NumSources, NumArticles of the unique event
    num_sources: int = 1
    num_articles: int = 1
    mentions: list[dict[str, Any]] = field(default_factory=list)  # when asked for: every mention

    @property
    def id(self) -> str:
        return self.event.id

    def to_record(self) -> dict[str, Any]:
        return self.event.to_record()


@dataclass(slots=True)
class Shown:
    """One article as `diurna show` prints it: the article, its sentences, its events."""

    article: dict[str, Any]
    sentences: list[dict[str, Any]] = field(default_factory=list)
    events: list[StoredEvent] = field(default_factory=list)


# --- events ------------------------------------------------------------------------------------

def conditions(filters: Filters, dialect: str, *, walk: str | None = None) -> list[ColumnElement]:
    """The WHERE conditions for `filters` over the events table.

    `walk` (SQLite, see `_walk`): how a page walking an order index tests the actor filters. LIST:
    each event's id against the filter's list of events (a unary `+` keeps the planner off the id
    index, so that it walks the order index); PROBE: a look-up of each event's actors, no list.
    """
    filters = _cleaned(filters)
    e, a = events_table, event_actors
    event_id = UnaryExpression(e.c.id, operator=custom_op("+"), type_=e.c.id.type) if walk == LIST else e.c.id

    def among(*matches: list[ColumnElement]) -> ColumnElement:
        """Events with an actor row meeting any of `matches` (each a list of conditions on it)."""
        if walk == PROBE:
            return or_(*(exists().where(a.c.event_id == e.c.id, *match) for match in matches))
        selects = [select(a.c.event_id).where(*match) for match in matches]
        return event_id.in_(selects[0] if len(selects) == 1 else union_all(*selects))

    where: list[ColumnElement] = []
    if filters.country:  # the role named, so that a probe is one step of ix_event_actors_code_role
        where.append(among([a.c.code == filters.country.strip().upper(), a.c.role.in_(ROLES)]))
    for role, value in (("actor", filters.actor), ("recipient", filters.recipient)):
        if value:
            where.append(among(*entity_matches(role, value.strip())))
    if filters.sector:
        where.append(among([a.c.sector == filters.sector.strip().upper()]))
    if filters.event_type:
        types = [filters.event_type] if isinstance(filters.event_type, str) else list(filters.event_type)
        where.append(e.c.event_type.in_([t.strip().upper() for t in types]))
    if filters.quad is not None:
        quads = [filters.quad] if isinstance(filters.quad, (int, str)) else list(filters.quad)
        where.append(e.c.quad_code.in_([_int(q, "quad") for q in quads]))
    if filters.since:
        where.append(func.coalesce(e.c.enddate, e.c.date) >= as_date(filters.since, "since"))
    if filters.until:
        where.append(e.c.date <= as_date(filters.until, "until"))
    if filters.query:
        where.append(e.c.article_id.in_(fulltext.matching_ids(dialect, filters.query)))
    if filters.min_confidence is not None:
        where.append(e.c.confidence >= float(filters.min_confidence))
    if not filters.include_nonfactual:
        where.append(e.c.factual.is_(True))
    if filters.article_id:
        where.append(e.c.article_id == filters.article_id)
    if filters.unique:  # mentions not shown for their unique event are left out
        m = HIDDEN_MENTIONS
        hidden = m.c.shown.is_(False)
        if dialect == "sqlite" and walk != PROBE:  # one pass over the small partial index ix_event_mentions_hidden
            where.append(e.c.id.not_in(select(m.c.event_id).where(hidden)))
        else:  # PostgreSQL plans NOT EXISTS as an anti-join (NOT IN would be a per-row subplan past
            # work_mem); a probing walk looks up the few events it passes rather than list them all
            where.append(~exists().where(m.c.event_id == e.c.id, hidden))
    return where


def entity_matches(role: str, value: str) -> list[list[ColumnElement]]:
    """The ways an actor row matches `value` in `role`: its code (any case), its name or its text.

    Each is a range of its own covering index (`ix_event_actors_code_role`, `_name`, `_text`),
    which `conditions` joins by UNION ALL or ORs of probes; one condition with an OR of a column
    and two lower(...) expressions would make SQLite and PostgreSQL scan the whole table. The
    `!= ''` terms repeat the partial indexes' condition (implied by a non-empty `value`), which is
    what lets the planners use them.
    """
    a = event_actors
    by_code = [a.c.code == value.upper(), a.c.role == role]
    by_name = [func.lower(a.c.entity_name) == value.lower(), a.c.role == role]
    by_text = [func.lower(a.c.entity_text) == value.lower(), a.c.role == role]
    if value:  # a literal '', not a bound parameter: SQLite proves the partial index's condition only from that
        empty = literal_column("''")
        by_name.append(a.c.entity_name != empty)
        by_text.append(a.c.entity_text != empty)
    return [by_code, by_name, by_text]


def events_select(filters: Filters, dialect: str, *, walk: str | None = None) -> Select:
    """Event rows with their article's url, title and dates, filtered, ordered and paged.

    `walk`: see `conditions` (the same rows, another plan; `events` decides).
    """
    if filters.order not in ORDERS:
        raise QueryError(f"unknown order {filters.order!r}; use one of {', '.join(ORDERS)}")
    column, descending = ORDERS[filters.order]
    e = events_table
    order = (column.desc() if descending else column.asc(), e.c.article_id, e.c.sentence, e.c.trigger_start, e.c.id)
    query = (select(e, articles.c.url, articles.c.title, articles.c.published, articles.c.ingested_at)
             .join(articles, articles.c.id == e.c.article_id))
    if filters.unique:  # each row's unique event (see StoredEvent): a key look-up a row of the page
        query = (query.add_columns(*(c.label(f"unique_{c.name}") for c in UNIQUE_COLUMNS))
                 .outerjoin(event_mentions, event_mentions.c.event_id == e.c.id)
                 .outerjoin(unique_events, unique_events.c.id == event_mentions.c.unique_id))
    if filters.limit is None and not filters.offset:
        return query.where(*conditions(filters, dialect, walk=walk)).order_by(*order)
    # A page: its ids first, chosen over ix_events_filter_cover without reading the matching rows
    # (only the ordering by ingestion time needs the articles), then only its own rows read.
    chosen = select(e.c.id).where(*conditions(filters, dialect, walk=walk)).order_by(*order)
    if filters.order in ("ingested", "-ingested"):
        chosen = chosen.join(articles, articles.c.id == e.c.article_id)
    if filters.limit is not None:
        chosen = chosen.limit(max(0, int(filters.limit)))
    if filters.offset:
        chosen = chosen.offset(max(0, int(filters.offset)))
    return query.where(e.c.id.in_(chosen)).order_by(*order)


def events(store: Store, **filters: Any) -> list[StoredEvent]:
    """Stored events matching the filters (see `Filters`)."""
    spec = Filters.of(**filters)
    with store.read() as conn:  # one snapshot for the rows, their actors and their unique events
        rows = conn.execute(events_select(spec, store.dialect, walk=_walk(conn, spec))).mappings().all()
        rebuilt = reads.events_from_rows(conn, rows)
        found = [StoredEvent(event, row["url"], row["title"], _date(row["published"]), row["ingested_at"])
                 for event, row in zip(rebuilt, rows)]
        for item, row in zip(found, rows) if spec.unique else ():
            if row["unique_id"] is not None:  # None: stored before stories existed
                item.unique_id = row["unique_id"]
                item.num_mentions, item.num_sources = row["unique_mentions"], row["unique_sources"]
                item.num_articles = row["unique_articles"]
                item.event.confidence = row["unique_confidence"]  # the combined confidence of its mentions
        if spec.unique and spec.mentions:
            from .stories import add_mentions

            add_mentions(store, found)
    return found


def page(store: Store, **filters: Any) -> tuple[int, list[StoredEvent]]:
    """(`count`, `events`) for the filters, both read from one snapshot of the data."""
    with store.read():
        return count(store, **filters), events(store, **filters)


def count(store: Store, **filters: Any) -> int:
    """How many stored events match the filters (limit and offset ignored).

    Each filter set's count is kept (see `kept`) and reused while the data is unchanged: a page
    and the next page of one filter set, or many readers asking the same thing, count once.
    """
    spec = Filters.of(**filters)
    with store.read() as conn:  # the statement is built only when the count is not kept: that costs more
        return kept(conn, cache_key("count", spec), lambda: conn.execute(
            select(func.count()).select_from(events_table).where(*conditions(spec, store.dialect))).scalar())


def cache_key(kind: str, spec: Filters, *extra: Any) -> tuple:
    """A cache key for the rows `spec` selects (its paging and order left out)."""
    rows = replace(spec, limit=None, offset=0, order="date", mentions=False)
    return (kind, *extra, *(repr(v) for v in astuple(rows)))


def kept(conn: Connection, key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned for `key` while the data is unchanged.

    The last CACHE_SIZE results are kept per database connection, each with the version of the data
    it was computed on; the version is read in the same transaction as the computation
    (`_data_version`), so a result is not reused after a write that could change it. One exception,
    for a server beside a running ingest (`Store.lag_s`, `diurna serve`'s DIURNA_SERVE_LAG): a
    result may also be reused, by any connection of the Store, for `lag_s` seconds after it was
    computed, whatever other processes wrote meanwhile, but never after a write of this Store's
    own. Results are shared: callers copy before changing one.
    """
    cache = conn.info.setdefault("diurna.query.cache", OrderedDict())
    version = (_data_version(conn), conn.info.get("diurna.writes", 0))
    hit = cache.get(key)
    if hit is not None and hit[0] == version:
        cache.move_to_end(key)
        return hit[1]
    lag, recent = conn.info.get("diurna.lag_s", 0.0), conn.info.get("diurna.recent")
    if lag > 0 and recent is not None:
        shared = recent.get(key)  # (computed at, this Store's writes then, result)
        if shared is not None and shared[1] == version[1] and time.monotonic() - shared[0] < lag:
            return shared[2]
    found = compute()
    cache[key] = (version, found)
    if len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
    if lag > 0 and recent is not None:
        recent[key] = (time.monotonic(), version[1], found)
        if len(recent) > CACHE_SIZE:
            try:
                recent.pop(next(iter(recent)), None)  # the oldest
            except (RuntimeError, StopIteration):  # another thread changed it meanwhile: trimmed next time
                pass
    return found


def _walk(conn: Connection, spec: Filters) -> str | None:
    """How SQLite should find a page in date order with actor filters: LIST, PROBE or its own plan.

    Its own plan reads every event of the filter's actor (7,000 of 100,000 events for a country on
    either side) and sorts them for a page of 50, or, with an event type, walks that type's date
    index testing ids against the actor's list, which it first builds whole. Walking an index in
    date order stops after a few hundred entries. With the actor filters' candidates spread evenly
    over the dates (quad classes and date bounds guessed to keep a share of them), the walk's
    length is estimated and the cheapest plan by the costs measured above (LOOKUP_US...) is chosen:
    a dyad of two common countries is rare enough that looking up one side's events is cheapest.
    """
    if (conn.dialect.name != "sqlite" or spec.order not in ("date", "-date") or spec.limit is None
            or spec.query or spec.article_id):
        return None
    types = [spec.event_type] if isinstance(spec.event_type, str) else list(spec.event_type or [])
    if len(types) > 1:  # several types' entries come in no single date order: a walk would read them all
        return None
    codes = [(code, role) for code, role in ((spec.country, None), (spec.actor, "actor"), (spec.recipient, "recipient"))
             if code and code.strip()]
    if not codes:
        return None
    a = event_actors

    def count_of(code: str, role: str | None) -> int:
        return conn.execute(select(func.count()).select_from(a).where(
            a.c.code == code, *([a.c.role == role] if role else []))).scalar() or 0

    keys = [(clean(code).strip().upper(), role) for code, role in codes]
    candidates = sorted(kept(conn, ("candidates", *key), functools.partial(count_of, *key)) for key in keys)
    if not candidates[0]:
        return None
    total = kept(conn, ("max_rowid",),  # about the count of events, in a step
                 lambda: conn.exec_driver_sql("SELECT max(rowid) FROM events").scalar() or 0)
    others = 1.0  # of the walked entries, the share that quad classes and date bounds keep (a guess)
    if isinstance(spec.quad, (list, tuple, set)):
        others *= min(1.0, len(spec.quad) / 4)
    elif spec.quad is not None:
        others *= 0.25
    others *= 0.5 if spec.since else 1.0
    others *= 0.5 if spec.until else 1.0
    share = others  # of the walked entries, those that match: the actor filters' shares taken as independent
    for count in candidates:
        share *= count / max(total, count)
    walked = (max(0, int(spec.offset or 0)) + max(0, int(spec.limit))) / share
    listed = sum(candidates) * LISTED_US
    listed_walk = listed + walked * LIST_TEST_US
    # SQLite's own plan: with a type, that list walk over the type's index; without, the rarest
    # filter's events looked up and the others' listed
    own = listed_walk if types else candidates[0] * LOOKUP_US + listed - candidates[0] * LISTED_US
    costs = {PROBE: walked * (WALK_US + others * PROBE_US), LIST: listed_walk, None: own}
    return min(costs, key=costs.__getitem__)


def _data_version(conn: Connection) -> Any:
    """What changes whenever the data this connection reads may have changed.

    SQLite: `PRAGMA data_version` (bumped by every other connection's commit, in any process) with
    `total_changes()` (this connection's own writes, which data_version does not count).
    PostgreSQL: the transaction snapshot (which transactions are visible), as text.
    """
    if conn.dialect.name == "sqlite":
        return tuple(conn.exec_driver_sql(
            "SELECT (SELECT data_version FROM pragma_data_version()), total_changes()").one())
    return conn.exec_driver_sql("SELECT pg_current_snapshot()::text").scalar()


# --- articles ----------------------------------------------------------------------------------

def search(store: Store, query: str, *, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Articles matching `query` by full text, best first, each with a snippet around the match."""
    statement = fulltext.search_select(store.dialect, clean(query), limit=max(0, limit), offset=max(0, offset))
    with store.read() as conn:
        return [_plain(row) for row in conn.execute(statement).mappings()]


def articles_list(store: Store, *, since: dt.date | str | None = None, until: dt.date | str | None = None,
                  site: str | None = None, language: str | None = None, status: str | None = None,
                  query: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Stored articles (without their text), newest publication first, with their event counts."""
    n_events = (select(func.count()).select_from(events_table)
                .where(events_table.c.article_id == articles.c.id).scalar_subquery())
    statement = select(articles.c.id, articles.c.url, articles.c.title, articles.c.byline, articles.c.published,
                       articles.c.site, articles.c.language, articles.c.status, articles.c.skip_reason,
                       articles.c.coder, articles.c.ingested_at, articles.c.source_id, n_events.label("events"))
    if since:
        statement = statement.where(articles.c.published >= as_date(since, "since"))
    if until:
        statement = statement.where(articles.c.published <= as_date(until, "until"))
    for column, value in ((articles.c.site, site), (articles.c.language, language), (articles.c.status, status)):
        if value:
            statement = statement.where(column == clean(value))
    if query:
        statement = statement.where(articles.c.id.in_(fulltext.matching_ids(store.dialect, clean(query))))
    statement = statement.order_by(articles.c.published.desc(), articles.c.id).offset(max(0, offset))
    if limit is not None:
        statement = statement.limit(max(0, limit))
    with store.read() as conn:
        return [_plain(row) for row in conn.execute(statement).mappings()]


def show(store: Store, article_id: str) -> Shown | None:
    """One article with its sentences and all its events (non-factual ones included), or None."""
    with store.read() as conn:  # the article and its events from one snapshot
        row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        if row is None:
            return None
        text = row["text"]
        spans = conn.execute(select(sentences).where(sentences.c.article_id == article_id)
                             .order_by(sentences.c.idx)).mappings().all()
        found = events(store, article_id=article_id, include_nonfactual=True, order="date", unique=False)
    found.sort(key=lambda s: (s.event.sentence, s.event.trigger_start))
    return Shown(article=_plain(row),
                 sentences=[{"idx": s["idx"], "start": s["start"], "end": s["end"],
                             "text": text[s["start"]:s["end"]]} for s in spans],
                 events=found)


# --- aggregates --------------------------------------------------------------------------------

def actors(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Per actor code and sector: events as actor, as recipient, and in all (most first)."""
    spec = Filters.of(**filters)
    a = event_actors

    def as_role(role: str):
        return func.count(distinct(case((a.c.role == role, a.c.event_id))))

    def rows() -> list[dict[str, Any]]:
        matching = select(events_table.c.id).where(*conditions(spec, store.dialect))
        total = func.count(distinct(a.c.event_id))
        statement = (select(a.c.code, a.c.sector, as_role("actor").label("as_actor"),
                            as_role("recipient").label("as_recipient"), total.label("events"))
                     .where(a.c.code != "", a.c.event_id.in_(matching))
                     .group_by(a.c.code, a.c.sector).order_by(total.desc(), a.c.code, a.c.sector))
        return [_plain(row) for row in conn.execute(statement).mappings()]

    with store.read() as conn:  # kept while the data is unchanged: unfiltered, it reads every actor
        found = kept(conn, cache_key("actors", spec), rows)
    return [dict(row) for row in found]


def actor_codes(store: Store) -> list[str]:
    """Every actor or recipient code in the store, sorted (a picker's choices).

    One index seek a code (a loose index scan of ix_event_actors_code_role), not a pass over
    every actor row: 28 codes among 200,000 rows take a tenth of a millisecond, not fifty.
    """
    statement = text(
        "WITH RECURSIVE codes(code) AS ("
        " SELECT min(code) FROM event_actors WHERE code > ''"
        " UNION ALL SELECT (SELECT min(code) FROM event_actors WHERE code > codes.code) FROM codes"
        " WHERE codes.code IS NOT NULL) SELECT code FROM codes WHERE code IS NOT NULL")
    with store.read() as conn:
        return list(kept(conn, ("actor_codes",), lambda: list(conn.execute(statement).scalars())))


def dyads(store: Store, period: str = "month", **filters: Any) -> list[dict[str, Any]]:
    """Event counts and net Goldstein per (actor country, recipient country) pair per period.

    An event with several entities of one country on a side counts once for that pair.
    """
    if period not in PERIODS:
        raise QueryError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
    spec = Filters.of(**filters)

    def rows() -> list[dict[str, Any]]:  # the statement is built only when the answer is not kept
        e = events_table
        actor, recipient = event_actors.alias("actor_side"), event_actors.alias("recipient_side")
        width, pattern = PERIODS[period]
        when = func.to_char(e.c.date, pattern) if store.dialect == "postgresql" else func.substr(e.c.date, 1, width)
        pairs = (select(e.c.id, actor.c.code.label("actor"), recipient.c.code.label("recipient"),
                        when.label("period"), e.c.goldstein)
                 .join(actor, and_(actor.c.event_id == e.c.id, actor.c.role == "actor", actor.c.code != ""))
                 .join(recipient, and_(recipient.c.event_id == e.c.id, recipient.c.role == "recipient",
                                       recipient.c.code != ""))
                 .where(e.c.date.is_not(None), *conditions(spec, store.dialect))
                 .distinct().subquery())
        statement = (select(pairs.c.period, pairs.c.actor, pairs.c.recipient, func.count().label("events"),
                            func.sum(pairs.c.goldstein).label("goldstein"))
                     .group_by(pairs.c.period, pairs.c.actor, pairs.c.recipient)
                     .order_by(pairs.c.period, func.count().desc(), pairs.c.actor, pairs.c.recipient))
        return [{**_plain(row), "goldstein": round(float(row["goldstein"] or 0.0), 3) + 0.0}  # + 0.0: no -0.0
                for row in conn.execute(statement).mappings()]

    with store.read() as conn:  # kept while the data is unchanged
        found = kept(conn, cache_key("dyads", spec, period), rows)
    return [dict(row) for row in found]


def stats(store: Store) -> dict[str, Any]:
    """Table counts, events per type and per quad class, and the span of event dates.

    Kept while the data is unchanged (see `kept`): it reads every table.
    """
    with store.read() as conn:
        return copy.deepcopy(kept(conn, ("stats",), lambda: _stats(conn)))


def _stats(conn: Connection) -> dict[str, Any]:
    e = events_table
    # health.counts' table counts (each a step through an index), with its scan of the events table
    # (factual events) done once for that count and the quad classes together
    counts = {table.name: conn.execute(select(func.count()).select_from(table)).scalar()
              for table in (articles, sentences, e, event_actors, failures, feeds)}
    for status, n in conn.execute(select(articles.c.status, func.count()).group_by(articles.c.status)):
        counts[f"articles_{status}"] = n
    total, factual, *per_quad = conn.execute(select(
        func.count(), func.count().filter(e.c.factual.is_(True)),
        *(func.count().filter(e.c.quad_code == q) for q in range(1, 5)))).one()
    counts["events_factual"] = factual
    result: dict[str, Any] = {"counts": counts}
    result["event_types"] = dict(conn.execute(
        select(e.c.event_type, func.count()).group_by(e.c.event_type)
        .order_by(func.count().desc(), e.c.event_type)).all())
    if total == sum(per_quad):  # quad classes 1-4 from that scan; any other value: grouped
        result["quads"] = {q: n for q, n in enumerate(per_quad, 1) if n}
    else:
        result["quads"] = {int(q): n for q, n in conn.execute(
            select(e.c.quad_code, func.count()).group_by(e.c.quad_code).order_by(e.c.quad_code))}
    # min and max as two subqueries: each one step of the date index (together they scan the table)
    first, last = conn.execute(select(select(func.min(e.c.date)).scalar_subquery(),
                                      select(func.max(e.c.date)).scalar_subquery())).one()
    result["coders"] = dict(conn.execute(select(articles.c.coder, func.count()).group_by(articles.c.coder)).all())
    result["first_date"], result["last_date"] = _iso(first), _iso(last)
    return result


# --- helpers -----------------------------------------------------------------------------------

def _cleaned(filters: Filters) -> Filters:
    """String filters with NUL made U+FFFD, as stored text has it (PostgreSQL refuses NUL)."""
    changes = {f.name: clean(getattr(filters, f.name)) for f in fields(filters)
               if isinstance(getattr(filters, f.name), str)}
    return replace(filters, **changes)


def as_date(value: dt.date | str, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise QueryError(f"{name} must be a date (YYYY-MM-DD), got {value!r}") from None


def _int(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise QueryError(f"{name} must be a number, got {value!r}") from None


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _iso(value: Any) -> str | None:
    return None if value is None else (value.isoformat() if isinstance(value, dt.date) else str(value)[:10])


def _plain(row) -> dict[str, Any]:
    return dict(row)
