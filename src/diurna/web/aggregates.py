"""Counts the pages plot that `diurna.query` has no call for: events over time by quad class, and
events per country by quad class. Built from `query.conditions`, so the filters and their bound
parameters are the same as everywhere else."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

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
    when = _period(store, period).label("period")
    statement = (select(when, events.c.quad_code, func.count().label("n"), func.sum(events.c.goldstein).label("g"))
                 .where(events.c.date.is_not(None), *query.conditions(spec, store.dialect))
                 .group_by(when, events.c.quad_code).order_by(when))
    rows: dict[str, dict[str, Any]] = {}
    with store.read() as conn:
        for period_, quad, n, goldstein in conn.execute(statement):
            row = rows.setdefault(period_, {"period": period_, "quads": {str(q): 0 for q in range(1, 5)},
                                            "events": 0, "goldstein": 0.0})
            row["quads"][str(quad)] = row["quads"].get(str(quad), 0) + n
            row["events"] += n
            row["goldstein"] = round(row["goldstein"] + float(goldstein or 0), 3) + 0.0  # + 0.0: never -0.0
    return list(rows.values())


def countries(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Per country where events took place (else the actor's country): events by quad class."""
    spec = query.Filters.of(**filters)
    first_actor = (select(event_actors.c.code).where(event_actors.c.event_id == events.c.id,
                                                      event_actors.c.role == "actor", event_actors.c.code != "")
                   .order_by(event_actors.c.position).limit(1).scalar_subquery())
    where = func.coalesce(func.nullif(events.c.place_country, ""), first_actor).label("country")
    statement = (select(where, events.c.quad_code, func.count().label("n"))
                 .where(*query.conditions(spec, store.dialect)).group_by(where, events.c.quad_code))
    found: dict[str, dict[str, Any]] = defaultdict(lambda: {"quads": {str(q): 0 for q in range(1, 5)}, "events": 0})
    with store.read() as conn:
        for country, quad, n in conn.execute(statement):
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
