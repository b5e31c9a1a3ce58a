"""Event merging: every coded event is one mention of one unique event (a happening).

Each event is looked up in `unique_event_keys` by (kind, country pair, date window): kind is the
PLOVER type plus any non-factual mode, so "did not attack" never merges with "attacked". A candidate
is compatible (`compatible`) when the actors agree (direction kept, except for symmetric types like
CONSULT and AGREE, and for two-sided fights), the dates agree (the same day when both are stated or
relative; within `LOOSE_DAYS` when either is only the publication date; ranges compared as ranges),
and the places do not name different countries. The event joins the closest compatible unique
event, or starts one; two mentions in one article merge the same way.

`plan` decides for all of an article's events with one candidate look-up a kind (reads only); `write`
stores what it decided in a few batched statements (driver-level: see `sql`), once the article's story is known, so a new
unique event is inserted with its story. A unique event keeps its counts (mentions, distinct
sources, distinct articles), its confidence combined from its mentions (noisy-or, capped at 0.99),
and every date and place its mentions give as tallies ("value=count;..."); the best-supported
mention is `shown`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, delete, select, update

from ..models import Event
from ..store import codec
from ..store.schema import events as events_table
from ..store.stories import event_mentions, unique_event_keys, unique_events
from . import sql

PRECISE_DAYS = 0  # two stated (or relative) dates that differ are two happenings: a meeting on two days
LOOSE_DAYS = 3  # when either date is only the publication date
MAX_CODES = 3  # codes a side used for keys
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE", "RETREAT"})
# triggers that name a two-sided fight: "fighting" told as PAK->IND and "strikes" as IND->PAK are one
RECIPROCAL = frozenset({"fighting", "clashes", "clash", "exchanges", "exchange", "skirmishes", "skirmish",
                        "hostilities", "battle", "battles", "war", "firing", "shelling exchanges"})
PRECISE = ("stated", "relative")
NONFACTUAL = ("negation", "hypothetical", "future")


def kind_of(event: Event) -> str:
    """The event type, plus its non-factual modes: only events of one kind merge."""
    modes = sorted(set(event.mode) & set(NONFACTUAL))
    return "/".join([event.event_type, *modes])


def codes(event: Event) -> tuple[list[str], list[str], set[str]]:
    """Actor and recipient codes; a symmetric event between one party and itself ("the ministers
    discussed", resolved to CHN GOV and CHN GOV) is one-sided: its pair tells nothing."""
    actor = list(dict.fromkeys(e.code for e in event.actor if e.code))[:MAX_CODES]
    recipient = list(dict.fromkeys(e.code for e in event.recipient if e.code))[:MAX_CODES]
    if event.event_type in SYMMETRIC and len(actor) == len(recipient) == 1 and actor == recipient and \
            {(e.code, e.sector) for e in event.actor} == {(e.code, e.sector) for e in event.recipient}:
        recipient = []
    return actor, recipient, set(actor) | set(recipient)


def _index_pairs(actor: list[str], recipient: list[str]) -> set[str]:
    """The keys a unique event is found under, given one mention's codes."""
    if actor and recipient:
        pairs = {"|".join(sorted((a, r))) for a in actor for r in recipient}
        return pairs | {f"{c}|*" for c in actor + recipient}
    return {f"{c}|" for c in actor + recipient}


def _lookup_pairs(actor: list[str], recipient: list[str]) -> set[str]:
    """The keys to look an event up under: its own pairs, and one-sided events of either side."""
    if actor and recipient:
        return {"|".join(sorted((a, r))) for a in actor for r in recipient} | {f"{c}|" for c in actor + recipient}
    return {f"{c}|" for c in actor + recipient} | {f"{c}|*" for c in actor + recipient}


@dataclass(slots=True)
class Plan:
    """What `plan` decided for one article's events; `write` stores it."""

    article_id: str
    source: str
    outcomes: list[tuple[Event, str, str | None]]  # (event, unique id, joined story; None: started one)
    rows: dict[str, dict[str, Any]]  # candidate and new unique events, as they stand after the article
    new_ids: list[str] = field(default_factory=list)
    touched: dict[str, dict[str, Any]] = field(default_factory=dict)  # existing ones that gained mentions, as before
    mention_rows: list[dict[str, Any]] = field(default_factory=list)
    new_keys: list[tuple[str, str, dt.date, str]] = field(default_factory=list)  # (kind, pair, date, unique id)
    linkable: list[bool] = field(default_factory=list)  # per outcome: dated, with a known actor or recipient


def plan(conn: Connection, events: Sequence[tuple[Event, str]], article_id: str, source: str) -> Plan:
    """Join each event to a unique event or start one, deciding only (one candidate look-up a kind).

    `events`: (event, its id as stored) pairs, one an id. Two events of the article can merge with
    each other, since what the article starts joins the candidates as it goes.
    """
    source = codec.clean(source)
    plans = []  # (event, id, actor, recipient, kind, linkable, (pairs to look up, first day, last day))
    loose = dt.timedelta(days=LOOSE_DAYS)
    for event, event_id in events:
        actor, recipient, both = codes(event)
        linkable = event.date is not None and bool(both)
        window = (_lookup_pairs(actor, recipient), event.date - loose, (event.enddate or event.date) + loose) \
            if linkable else None
        plans.append((event, event_id, actor, recipient, kind_of(event), linkable, window))
    rows: dict[str, dict[str, Any]] = {}
    keys: dict[str, set[tuple[str, str, dt.date]]] = {}
    looked = [p for p in plans if p[5]]
    if looked:
        wanted_by_kind: dict[str, tuple[set[str], dt.date, dt.date]] = {}  # kind -> (pairs, first day, last day)
        for *_, kind, _, (wanted, low, high) in looked:
            pairs, first, last = wanted_by_kind.get(kind, (set(), low, high))
            wanted_by_kind[kind] = (pairs | wanted, min(first, low), max(last, high))
        read = sql.reader(conn, unique_events, _COLUMNS)
        found = []
        for kind, (pairs, first, last) in wanted_by_kind.items():
            wanted = sql.padded(sorted(pairs))
            found += sql.rows(conn, _candidates(conn.dialect.name, len(wanted)),
                              [kind, *wanted, sql.param(conn, first), sql.param(conn, last)])
        for row in found:
            unique_id = row[_ID]
            if unique_id not in rows:
                rows[unique_id] = dict(zip(_COLUMNS, read(row[_FIRST:])))
            keys.setdefault(unique_id, set()).add((row[0], row[1], codec.to_date(row[2])))
    result = Plan(article_id, source, [], rows)
    existing = set(rows)
    of_kind: dict[str, list[str]] = {}  # candidate and new unique events by kind, in the order met
    for unique_id, row in rows.items():
        of_kind.setdefault(row["kind"], []).append(unique_id)
    members: dict[str, list[tuple[Event, str]]] = {}  # mentions of the unique events this article starts
    for event, event_id, actor, recipient, kind, linkable, window in plans:
        best = None
        if linkable:
            wanted, low, high = window
            scored = []
            for unique_id in of_kind.get(kind, ()):
                row = rows[unique_id]
                if not any(k_ == kind and p in wanted and low <= d <= high
                                                  for k_, p, d in keys.get(unique_id, ())):
                    continue
                gap = compatible(event, actor, recipient, row)
                if gap is not None:
                    scored.append((gap, -row["mentions"], unique_id))
            if scored:
                best = rows[min(scored)[2]]
        if best is None:
            unique_id = new_id("unique", event_id)
            rows[unique_id] = {
                "id": unique_id, "kind": kind, "story_id": None, "date": event.date, "enddate": event.enddate,
                "date_source": event.date_source, "place_country": _place_country(event),
                "reciprocal": reciprocal(event), "actor_codes": ";".join(actor), "recipient_codes": ";".join(recipient),
                "dates": tally_add("", _date_value(event)), "places": tally_add("", _place_value(event)),
                "mentions": 1, "articles": 1, "sources": 1, "confidence": min(0.99, event.confidence),
                "shown_event_id": event_id}
            result.new_ids.append(unique_id)
            of_kind.setdefault(kind, []).append(unique_id)
            members[unique_id] = [(event, event_id)]
            result.mention_rows.append({"event_id": event_id, "unique_id": unique_id, "article_id": article_id,
                                        "source": source, "shown": True})
            result.outcomes.append((event, unique_id, None))
        else:
            unique_id = best["id"]
            before = result.touched.setdefault(unique_id, dict(best)) if unique_id in existing else None
            best["mentions"] += 1
            best["confidence"] = min(0.99, 1 - (1 - best["confidence"]) * (1 - event.confidence))
            best["actor_codes"] = _join_codes(best["actor_codes"], actor)
            best["recipient_codes"] = _join_codes(best["recipient_codes"], recipient)
            best["dates"] = tally_add(best["dates"], _date_value(event))
            best["places"] = tally_add(best["places"], _place_value(event))
            best["reciprocal"] = bool(best["reciprocal"]) or reciprocal(event)
            if before is None:
                members.setdefault(unique_id, []).append((event, event_id))
            result.mention_rows.append({"event_id": event_id, "unique_id": unique_id, "article_id": article_id,
                                        "source": source, "shown": False})
            result.outcomes.append((event, unique_id, best["story_id"] or ""))
        result.linkable.append(linkable)
        if linkable:
            fresh = {(kind, pair, event.date) for pair in _index_pairs(actor, recipient)} - keys.get(unique_id, set())
            keys.setdefault(unique_id, set()).update(fresh)
            result.new_keys.extend((k, p, d, unique_id) for k, p, d in fresh)
    for unique_id, told in members.items():
        if len(told) > 1:  # told twice in this article: show the mention of the best-supported date and place
            row = rows[unique_id]
            best_date, best_place = best_date_of(row["dates"]), best_of(row["places"])
            chosen, chosen_id = max(told, key=lambda item: (_date_value(item[0]) == best_date,
                                                            _place_value(item[0]) == best_place,
                                                            item[0].confidence, -told.index(item)))
            row.update(shown_event_id=chosen_id, date=chosen.date, enddate=chosen.enddate,
                       date_source=chosen.date_source, place_country=_place_country(chosen))
            for mention in result.mention_rows:
                if mention["unique_id"] == unique_id:
                    mention["shown"] = mention["event_id"] == chosen_id
    return result


def write(conn: Connection, decided: Plan, story_id: str | None) -> None:
    """Store what `plan` decided: new unique events (in `story_id`), mentions, keys, then recounts.

    The article is new to every unique event it joins (a re-coded article's mentions were taken out
    first), so each touched one gains one article, and one source unless another article of its
    source told it already (asked by the UPDATE itself, for the touched ones only).
    """
    rows = decided.rows
    if decided.new_ids:
        for unique_id in decided.new_ids:
            rows[unique_id]["story_id"] = story_id
        sql.insert(conn, unique_events, _COLUMNS, [[rows[u][c] for c in _COLUMNS] for u in decided.new_ids])
    if decided.mention_rows:
        sql.insert(conn, event_mentions, _MENTION, [[m[c] for c in _MENTION] for m in decided.mention_rows])
    if decided.new_keys:  # a key the look-up's pairs did not cover may be stored already: skip it, never read all keys
        sql.insert(conn, unique_event_keys, ("kind", "pair", "date", "unique_id"), dict.fromkeys(decided.new_keys),
                   ignore_conflicts=True)
    updates = []
    for unique_id, before in decided.touched.items():
        row = rows[unique_id]
        row["articles"] = before["articles"] + 1
        if best_date_of(row["dates"]) != best_date_of(before["dates"]) or best_of(row["places"]) != best_of(before["places"]):
            row.update(shown(conn, unique_id, row["dates"], row["places"]))
        updates.append([row[name] for name in _UPDATED] +
                       [before["sources"], unique_id, decided.source, decided.article_id, unique_id])
    if updates:
        sql.executemany(conn, unique_events, [*_UPDATED, "sources", "id", "source", "article_id", "id"],
                        _update(conn), updates)


def link(conn: Connection, events: Sequence[tuple[Event, str]], article_id: str, source: str,
         story_id: str | None = None) -> list[tuple[Event, str, str | None]]:
    """`plan` then `write`, for an article whose story is known (a re-code)."""
    decided = plan(conn, events, article_id, source)
    write(conn, decided, story_id)
    return decided.outcomes


_COLUMNS = tuple(c.name for c in unique_events.c)
_UPDATED = ("date", "enddate", "date_source", "place_country", "reciprocal", "actor_codes", "recipient_codes",
            "dates", "places", "mentions", "articles", "confidence", "shown_event_id")


def _update(conn: Connection) -> str:
    """A touched unique event's new values; one source more unless another article of this one's
    source tells it already."""
    mark = sql.marks(conn, 1)
    values = ", ".join(f'"{c}" = {mark}' for c in _UPDATED)
    return (f"UPDATE unique_events SET {values}, sources = {mark} + (CASE WHEN EXISTS (SELECT 1 FROM event_mentions m "
            f"WHERE m.unique_id = {mark} AND m.source = {mark} AND m.article_id <> {mark}) THEN 0 ELSE 1 END) "
            f"WHERE id = {mark}")
_MENTION = ("event_id", "unique_id", "article_id", "source", "shown")


@lru_cache(maxsize=32)
def _candidates(dialect: str, pairs: int) -> str:
    """The candidate look-up for one kind of an article's events: the key index (kind, pair, date)
    searched for `pairs` pairs (padded: `sql.padded`) within the dates of the kind's events (SEARCH ...
    kind=? AND pair=? AND date>? AND date<?), the keys found joined to their unique events. One
    statement a kind, of a few shapes only, so the driver prepares each once.
    """
    mark = "?" if dialect == "sqlite" else "%s"
    columns = ", ".join(f'u."{c}"' for c in _COLUMNS)
    return (f"SELECT k.kind, k.pair, k.date, {columns} FROM unique_event_keys k "
            f"JOIN unique_events u ON u.id = k.unique_id "
            f"WHERE k.kind = {mark} AND k.pair IN ({', '.join((mark,) * pairs)}) AND k.date BETWEEN {mark} AND {mark}")


_FIRST = 3  # the position of the unique event's first column in a candidate row
_ID = _FIRST + _COLUMNS.index("id")


def compatible(event: Event, actor: list[str], recipient: list[str], row: Any) -> int | None:
    """Days between the event and a unique event if the two can be one happening, else None."""
    their_actor = set(filter(None, row["actor_codes"].split(";")))
    their_recipient = set(filter(None, row["recipient_codes"].split(";")))
    if event.event_type in SYMMETRIC or reciprocal(event) or row["reciprocal"]:
        if not (set(actor) | set(recipient)) & (their_actor | their_recipient):
            return None
        if actor and recipient and their_actor and their_recipient and \
                not {frozenset((a, r)) for a in actor for r in recipient} & \
                {frozenset((a, r)) for a in their_actor for r in their_recipient}:
            return None
    else:
        for mine, theirs in ((actor, their_actor), (recipient, their_recipient)):
            if mine and theirs and not set(mine) & theirs:
                return None
        if not (set(actor) & their_actor or set(recipient) & their_recipient):
            return None
    shown_date = codec.to_date(row["date"])
    if shown_date is None:
        return None
    shown_end = codec.to_date(row["enddate"]) or shown_date
    start, end = event.date, event.enddate or event.date
    gap = max(0, (start - shown_end).days, (shown_date - end).days)  # days between the two ranges
    precise = event.date_source in PRECISE and row["date_source"] in PRECISE
    if gap > (PRECISE_DAYS if precise else LOOSE_DAYS):
        return None
    mine_country = _place_country(event)
    theirs = {value.rsplit("|", 1)[-1] for value, _ in tally(row["places"])} - {""}
    if mine_country and theirs and mine_country not in theirs:
        return None
    return gap


def reciprocal(event: Event) -> bool:
    return event.event_type not in SYMMETRIC and event.trigger.lower() in RECIPROCAL


def shown(conn: Connection, unique_id: str, dates: str, places: str) -> dict[str, Any]:
    """The best-supported mention (its date and place the most told), marked shown."""
    best_date, best_place = best_date_of(dates), best_of(places)
    rows = [dict(zip(_MENTIONED, row)) for row in sql.rows(conn, _mentioned(conn.dialect.name), [unique_id])]
    if not rows:
        return {}

    def fit(row) -> tuple:
        date_value = _date_value_of(codec.to_date(row["date"]), row["date_source"])
        place_value = _place_value_of(row["place_name"] or row["place_text"], row["place_country"])
        return (date_value == best_date, place_value == best_place, row["confidence"], row["id"])

    chosen = max(rows, key=fit)
    mark = sql.marks(conn, 1)
    sql.run(conn, f"UPDATE event_mentions SET shown = (event_id = {mark}) WHERE unique_id = {mark}",
            [chosen["id"], unique_id])
    return {"shown_event_id": chosen["id"], "date": codec.to_date(chosen["date"]), "enddate": codec.to_date(chosen["enddate"]),
            "date_source": chosen["date_source"],
            "place_country": chosen["place_country"]}


_MENTIONED = ("id", "date", "enddate", "date_source", "place_name", "place_text", "place_country", "confidence")


@lru_cache(maxsize=4)
def _mentioned(dialect: str) -> str:
    """The mentions of one unique event, with what picks the one shown."""
    columns = ", ".join(f"e.{c}" for c in _MENTIONED)
    return (f"SELECT {columns} FROM events e JOIN event_mentions m ON m.event_id = e.id "
            f"WHERE m.unique_id = {'?' if dialect == 'sqlite' else '%s'}")


def refresh(conn: Connection, unique_id: str) -> None:
    """Recount a unique event from its remaining mentions (after some were taken away)."""
    rows = conn.execute(
        select(events_table.c.id, events_table.c.date, events_table.c.date_source, events_table.c.place_name,
               events_table.c.place_text, events_table.c.place_country, events_table.c.confidence,
               event_mentions.c.article_id, event_mentions.c.source)
        .join(event_mentions, event_mentions.c.event_id == events_table.c.id)
        .where(event_mentions.c.unique_id == unique_id)).mappings().all()
    if not rows:
        conn.execute(delete(unique_event_keys).where(unique_event_keys.c.unique_id == unique_id))
        conn.execute(delete(unique_events).where(unique_events.c.id == unique_id))
        return
    dates = places = ""
    confidence = 0.0
    for row in rows:
        dates = tally_add(dates, _date_value_of(codec.to_date(row["date"]), row["date_source"]))
        places = tally_add(places, _place_value_of(row["place_name"] or row["place_text"], row["place_country"]))
        confidence = 1 - (1 - confidence) * (1 - row["confidence"])
    values = {"mentions": len(rows), "articles": len({r["article_id"] for r in rows}),
              "sources": len({r["source"] for r in rows}), "confidence": min(0.99, confidence),
              "dates": dates, "places": places}
    values.update(shown(conn, unique_id, dates, places))
    conn.execute(update(unique_events).where(unique_events.c.id == unique_id).values(**values))


# --- tallies: "value=count;value=count" --------------------------------------------------------------

def tally(text: str) -> list[tuple[str, int]]:
    out = []
    for part in (text or "").split(";"):
        if "=" in part:
            value, count = part.rsplit("=", 1)
            out.append((value, int(count)))
    return out


def tally_add(text: str, value: str | None) -> str:
    if not value:
        return text or ""
    counts = dict(tally(text))
    counts[value] = counts.get(value, 0) + 1
    return ";".join(f"{v}={n}" for v, n in counts.items())


def best_of(text: str) -> str | None:
    """The most told value; the first told wins a tie."""
    items = tally(text)
    return max(items, key=lambda item: item[1])[0] if items else None


def best_date_of(text: str) -> str | None:
    """The most told date; a tie goes to a stated or relative date over a publication date, then the earlier."""
    items = tally(text)
    if not items:
        return None
    return max(items, key=lambda item: (item[1], item[0].split("/")[-1] in PRECISE,
                                        -dt.date.fromisoformat(item[0].split("/")[0]).toordinal()))[0]


def _date_value(event: Event) -> str | None:
    return _date_value_of(event.date, event.date_source)


def _date_value_of(date: dt.date | None, source: str) -> str | None:
    return f"{date.isoformat()}/{source or 'published'}" if date else None


def _place_value(event: Event) -> str | None:
    place = event.place
    return _place_value_of(place.name or place.text, place.country_code) if place else None


def _place_value_of(name: str | None, country: str | None) -> str | None:
    if not name and not country:
        return None
    return f"{(name or '').replace(';', ',').replace('=', '-').replace('|', '/')}|{country or ''}"


def _place_country(event: Event) -> str | None:
    return event.place.country_code or None if event.place else None


def _join_codes(existing: str, new: list[str]) -> str:
    return ";".join(dict.fromkeys([c for c in existing.split(";") if c] + new))


def new_id(kind: str, seed: str) -> str:
    return hashlib.sha1(f"{kind}|{seed}".encode("utf-8")).hexdigest()[:16]
