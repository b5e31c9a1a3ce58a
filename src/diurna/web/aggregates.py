"""Counts the pages plot that `diurna.query` has no call for: events over time by quad class, and
events per country by quad class. Built from `query.conditions`, so the filters and their bound
parameters are the same as everywhere else."""
from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any

from sqlalchemy import and_, func, or_, select

from .. import query
from ..query import PERIODS
from ..store import Store
from ..store.schema import event_actors, events


def _period(store: Store, period: str):
    width, pattern = PERIODS[period]
    return func.to_char(events.c.date, pattern) if store.dialect == "postgresql" else func.substr(events.c.date, 1, width)


def timeline(store: Store, period: str = "month", **filters: Any) -> list[dict[str, Any]]:
    """Per period: events of each quad class, and their net Goldstein score."""
    spec = query.Filters.of(**filters)
    return _kept_timeline(store, query.cache_key("timeline", spec, period), period,
                          lambda: query.conditions(spec, store.dialect))


def dyad_timeline(store: Store, a: str, b: str, period: str = "month", **filters: Any) -> list[dict[str, Any]]:
    """`timeline` of the events between `a` and `b`, either way round, each event once."""
    def where() -> list:
        return [or_(*(and_(*query.conditions(query.Filters.of(actor=x, recipient=y, **filters), store.dialect))
                      for x, y in ((a, b), (b, a))))]

    return _kept_timeline(store, query.cache_key("dyad_timeline", query.Filters.of(**filters), a, b, period),
                          period, where)


def _kept_timeline(store: Store, key: tuple, period: str, where) -> list[dict[str, Any]]:
    """The timeline of the events `where()` selects, kept while the data is unchanged (query.kept):
    the overview and the dyad pages read theirs on every visit. The statement is built only when
    the answer is not kept (building it costs more than looking the answer up)."""
    def compute() -> list[dict[str, Any]]:
        when = _period(store, period).label("period")
        statement = (select(when, events.c.quad_code, func.count().label("n"), func.sum(events.c.goldstein).label("g"))
                     .where(events.c.date.is_not(None), *where())
                     .group_by(when, events.c.quad_code).order_by(when))
        return _by_period(conn.execute(statement))

    with store.read() as conn:
        return copy.deepcopy(query.kept(conn, key, compute))


def _by_period(rows) -> list[dict[str, Any]]:
    """(period, quad class, events, Goldstein sum) rows as one row a period."""
    found: dict[str, dict[str, Any]] = {}
    for period_, quad, n, goldstein in rows:
        row = found.setdefault(period_, {"period": period_, "quads": {str(q): 0 for q in range(1, 5)},
                                         "events": 0, "goldstein": 0.0})
        row["quads"][str(quad)] = row["quads"].get(str(quad), 0) + n
        row["events"] += n
        row["goldstein"] = round(row["goldstein"] + float(goldstein or 0), 3) + 0.0  # + 0.0: never -0.0
    return list(found.values())


def countries(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Per country where events took place (else the actor's country): events by quad class."""
    spec = query.Filters.of(**filters)

    def compute() -> list:
        first_actor = (select(event_actors.c.code).where(event_actors.c.event_id == events.c.id,
                                                          event_actors.c.role == "actor", event_actors.c.code != "")
                       .order_by(event_actors.c.position).limit(1).scalar_subquery())
        where = func.coalesce(func.nullif(events.c.place_country, ""), first_actor).label("country")
        return conn.execute(select(where, events.c.quad_code, func.count().label("n"))
                            .where(*query.conditions(spec, store.dialect)).group_by(where, events.c.quad_code)).all()

    found: dict[str, dict[str, Any]] = defaultdict(lambda: {"quads": {str(q): 0 for q in range(1, 5)}, "events": 0})
    with store.read() as conn:  # kept while the data is unchanged: the map reads it on every visit
        counted = query.kept(conn, query.cache_key("countries", spec), compute)
    for country, quad, n in counted:
        if not country:
            continue
        found[country]["quads"][str(quad)] = found[country]["quads"].get(str(quad), 0) + n
        found[country]["events"] += n
    result = []
    for country, row in sorted(found.items(), key=lambda kv: -kv[1]["events"]):
        quads = row["quads"]
        result.append({"country": country, "events": row["events"], "quads": quads,
                       "main_quad": int(max(quads, key=lambda q: (quads[q], -int(q))))})
    return result


def network(store: Store, **filters: Any) -> dict[str, Any]:
    """Actors (country codes) as nodes, actor-recipient pairs as edges with counts and net Goldstein."""
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for row in query.dyads(store, period="year", **filters):
        key = (row["actor"], row["recipient"])
        edge = edges.setdefault(key, {"source": key[0], "target": key[1], "events": 0, "goldstein": 0.0})
        edge["events"] += row["events"]
        edge["goldstein"] = round(edge["goldstein"] + row["goldstein"], 3)
    nodes: dict[str, dict[str, Any]] = {}
    for edge in edges.values():
        for end in ("source", "target"):
            node = nodes.setdefault(edge[end], {"id": edge[end], "events": 0})
            node["events"] += edge["events"]
    return {"nodes": sorted(nodes.values(), key=lambda n: -n["events"]),
            "edges": sorted(edges.values(), key=lambda e: -e["events"])}
