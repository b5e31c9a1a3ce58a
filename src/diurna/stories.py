"""Stories: near-duplicate articles, articles grouped into stories, and one unique event for many reports.

GDELT turned one kidnapping told by many outlets into hundreds of "kidnappings"; diurna counts
happenings. `link_article` runs inside the store's write transaction for every article `Store.add`
keeps (a few indexed lookups, never a scan and never a re-clustering):

1. **Near-duplicates.** The article's text becomes a MinHash signature over word 3-shingles;
   LSH band buckets (`lsh_buckets`, an indexed table) give the candidates, and a candidate whose
   estimated Jaccard similarity is at least `DUPLICATE_JACCARD` is a near-duplicate (wire copy,
   re-post, updated version): the article links to that article's canonical article and story.
2. **Events.** Each event is looked up in `unique_event_keys` by (kind, country pair, date window):
   kind is the PLOVER type plus any non-factual mode, so "did not attack" never merges with
   "attacked". A candidate is compatible when the actors agree (direction kept, except for
   symmetric types like CONSULT and AGREE, where "India and Pakistan" and "Pakistan and India" are
   one pair), the dates agree (the same day when both are stated or relative; within `LOOSE_DAYS`
   when either is only the publication date; ranges compared as ranges), and the places do not name different countries. The event joins
   the closest compatible unique event as one more mention, or starts one. Two mentions in one
   article merge the same way.
3. **Story.** A near-duplicate's story; else the story that the article's lead event (its first
   sentence with a dated event between known actors) joined; else the story that at least half of
   its events joined (lead events weigh double, so background mentions do not pull an article
   in); else the story of an
   article published within `STORY_DAYS` whose content-word MinHash is at least `TOPIC_JACCARD`
   similar; else a new story.

A unique event keeps every mention (`event_mentions`), the counts GDELT users know (mentions,
distinct sources, distinct articles), confidence combined from its mentions (noisy-or, capped at
0.99), and every date and place its mentions give; queries show the best-supported mention.

    >>> from diurna import stories
    >>> with Store.open("diurna.db") as store:
    ...     store.add(article, events)          # links the article and its events
    ...     stories.story(store, stories.story_of(store, article_id))["events"]

Constants were set on `tests/fixtures/stories/` (see `benchmarks/stories.py`); the signatures'
hash functions are fixed (`SIGNATURE = "minhash.v1"`): changing them means re-linking a database.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from sqlalchemy import Connection, Date, bindparam, case, delete, func, insert, or_, select, update

from .models import Article, Event
from .store import codec
from .store.schema import articles as articles_table, events as events_table
from .store.stories import (article_signatures, event_mentions, lsh_buckets, stories as stories_table,
                            unique_event_keys, unique_events)

__all__ = ["Linked", "link_article", "relink_article", "unlink_article", "story", "stories", "story_of",
           "mentions", "add_counts", "link_missing", "pairwise", "minhash", "jaccard", "SIGNATURE"]

log = logging.getLogger(__name__)

SIGNATURE = "minhash.v1"
NUM_PERM = 64
DUPLICATE_BANDS = 32  # 32 bands of 2 rows: a pair at Jaccard 0.5 shares a bucket with p > 0.99
TOPIC_BANDS = 32  # 32 bands of 2 rows: candidates from Jaccard ~0.18 up
DUPLICATE_JACCARD = 0.5  # shingles: wire copies with edits measured 0.70-0.91, rewrites of one story < 0.1
TOPIC_JACCARD = 0.2  # content words: rewrites of one story 0.05-0.28, other stories up to 0.42, so
# a match counts only within STORY_DAYS: the dates, not the words, separate look-alike stories
STORY_DAYS = 3  # a story's articles are published within this many days of another of its articles
DUPLICATE_DAYS = 30  # near-duplicates are looked for among articles published this close
PRECISE_DAYS = 0  # two stated (or relative) dates that differ are two happenings: a meeting on two days
LOOSE_DAYS = 3  # when either date is only the publication date
LEAD_SENTENCES = 3  # events in the lead weigh double when an article's events vote for its story
MAX_CODES = 3  # codes a side used for keys
CANDIDATES = 50  # LSH candidates verified per lookup, most shared buckets first
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE", "RETREAT"})
# triggers that name a two-sided fight: "fighting" told as PAK->IND and "strikes" as IND->PAK are one
RECIPROCAL = frozenset({"fighting", "clashes", "clash", "exchanges", "exchange", "skirmishes", "skirmish",
                        "hostilities", "battle", "battles", "war", "firing", "shelling exchanges"})
PRECISE = ("stated", "relative")
NONFACTUAL = ("negation", "hypothetical", "future")
_PRIME = np.uint64(4294967311)  # the first prime above 2**32
_rng = np.random.default_rng(20250521)
_A = _rng.integers(1, 2 ** 31, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 2 ** 31, size=NUM_PERM, dtype=np.uint64)
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOP = frozenset("""a about after again against all also an and any are as at be because been before being
between both but by can could did do does during each few for from further had has have having he her here
his how i if in into is it its itself just last more most new no nor not now of off on once only or other
our out over own said says same she should since so some such than that the their them then there these
they this those through to told too under until up very was we were what when where which while who whom
why will with would year years you your monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december week""".split())


# --- signatures ------------------------------------------------------------------------------------

def words(text: str) -> list[str]:
    return _WORD.findall(codec.normalise_text(text).lower())


def shingles(text: str, size: int = 3) -> set[str]:
    """Word `size`-grams of the normalised, lower-cased text (what near-duplicates share)."""
    tokens = words(text)
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def topic_terms(text: str) -> set[str]:
    """Content words (no stop words, numbers or one-letter words): what reports of one story share."""
    return {w for w in words(text) if len(w) > 2 and w not in _STOP and not w.isdigit()}


def minhash(items: Iterable[str]) -> np.ndarray:
    """A `NUM_PERM`-value MinHash signature (uint32) of a set of strings.

    >>> float(jaccard(minhash({"a", "b", "c"}), minhash({"a", "b", "c"})))
    1.0
    """
    hashed = np.fromiter((zlib.crc32(item.encode("utf-8")) for item in set(items)), dtype=np.uint64)
    if hashed.size == 0:
        return _EMPTY.copy()
    values = (_A[:, None] * hashed[None, :] + _B[:, None]) % _PRIME
    return values.min(axis=1).astype(np.uint32)


def jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two sets behind two signatures."""
    return float(np.count_nonzero(first == second)) / NUM_PERM


def band_keys(signature: np.ndarray, kind: int, bands: int) -> list[int]:
    """One signed 64-bit bucket key a band, mixing in the signature kind and the band number."""
    rows = NUM_PERM // bands
    keys = []
    for band in range(bands):
        chunk = signature[band * rows:(band + 1) * rows].tobytes()
        digest = hashlib.blake2b(bytes((kind, band)) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def _sig(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.uint32)


# --- linking ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class Linked:
    """What `link_article` decided for one article."""

    article_id: str
    story_id: str
    canonical_id: str  # the article itself, or the one it near-duplicates
    similarity: float  # estimated Jaccard with the canonical article (1.0 for itself)
    new_story: bool
    merged: int = 0  # events that joined an existing unique event
    created: int = 0  # events that started one
    unique_ids: list[str] = field(default_factory=list)  # per event, in order


def link_article(conn: Connection, article: Article, events: Sequence[Event],
                 stored_id: str | None = None) -> Linked:
    """Link a just-stored article and its events (inside the store's write transaction)."""
    if conn.dialect.name == "postgresql":  # writers take turns, so two never start one story twice
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(1685288050)")
    stored_id = stored_id or codec.article_id(article.url, codec.content_hash(article.text))
    published = article.published
    text_sig = minhash(shingles(article.text))
    topic_sig = minhash(topic_terms(f"{article.title}\n{article.text}"))
    dup_keys = band_keys(text_sig, 0, DUPLICATE_BANDS)
    topic_keys = band_keys(topic_sig, 1, TOPIC_BANDS)
    similar = _similar(conn, dup_keys, topic_keys, published)

    story_id, canonical_id, similarity = None, stored_id, 1.0
    duplicates = sorted(((jaccard(text_sig, _sig(row["text_minhash"])), row["article_id"], row) for row in similar),
                        key=lambda item: (-item[0], item[1]))
    if duplicates and duplicates[0][0] >= DUPLICATE_JACCARD:
        similarity, _, row = duplicates[0]
        story_id, canonical_id = row["story_id"], row["canonical_id"]

    linked = Linked(stored_id, "", canonical_id, similarity, False)
    outcomes = _link_events(conn, _first_of_each_id(events, stored_id), stored_id, source_of(article, stored_id))
    votes: Counter[str] = Counter()
    lead_votes: dict[int, Counter[str]] = {}
    weight = 0
    lead = None
    created: list[str] = []
    for event, unique_id, joined_story in outcomes:
        linked.unique_ids.append(unique_id)
        linkable = bool(event.date and _codes(event)[2])
        w = (2 if event.sentence < LEAD_SENTENCES else 1) if linkable else 0
        weight += w
        if linkable:
            lead = event.sentence if lead is None else min(lead, event.sentence)
        if joined_story is None:
            linked.created += 1
            created.append(unique_id)
        else:
            linked.merged += 1
            if joined_story:
                votes[joined_story] += w
                lead_votes.setdefault(event.sentence, Counter())[joined_story] += 1
    if story_id is None and lead is not None and lead_votes.get(lead):
        story_id = lead_votes[lead].most_common(1)[0][0]  # the article's lead event is already a story's
    if story_id is None and votes:
        best, got = votes.most_common(1)[0]
        if got * 2 >= weight:
            story_id = best
    if story_id is None:
        scored = sorted(((jaccard(topic_sig, _sig(row["topic_minhash"])), row["article_id"], row) for row in similar),
                        key=lambda item: (-item[0], item[1]))
        for score, _, row in scored:
            if score >= TOPIC_JACCARD and _near(published, row["published"]):
                story_id = row["story_id"]
                break
    if story_id is None:
        story_id = _new_id("story", stored_id)
        linked.new_story = True
        conn.execute(insert(stories_table), [{
            "id": story_id, "title": codec.clean(article.title or _first_words(article.text)),
            "first_date": published, "last_date": published, "articles": 0, "created_at": codec.now()}])
    linked.story_id = story_id
    if created:
        conn.execute(_SET_STORY, [{"b_id": u, "b_story": story_id} for u in created])
    _touch_story(conn, story_id, published)
    conn.execute(insert(article_signatures), [{
        "article_id": stored_id, "text_minhash": text_sig.tobytes(), "topic_minhash": topic_sig.tobytes(),
        "canonical_id": canonical_id, "similarity": similarity, "story_id": story_id, "published": published}])
    day = published.toordinal() if published else 0
    conn.execute(insert(lsh_buckets), [{"bucket": b, "day": day, "article_id": stored_id}
                                       for b in sorted(set(dup_keys) | set(topic_keys))])
    return linked


def _first_of_each_id(events: Sequence[Event], stored_id: str) -> list[Event]:
    """The events keyed by the stored article, the first of two with one id (as the store keeps them)."""
    seen: dict[str, Event] = {}
    for event in events:
        event = codec.keyed(event, stored_id)
        seen.setdefault(event.id, event)
    return list(seen.values())


def unlink_article(conn: Connection, article_id: str) -> None:
    """Take a stored article's events out of their unique events (before its events are replaced)."""
    rows = conn.execute(select(event_mentions.c.event_id, event_mentions.c.unique_id)
                        .where(event_mentions.c.article_id == article_id)).all()
    if not rows:
        return
    conn.execute(delete(event_mentions).where(event_mentions.c.article_id == article_id))
    for unique_id in sorted({u for _, u in rows}):
        _refresh(conn, unique_id)


def relink_article(conn: Connection, article_id: str, events: Sequence[Event]) -> None:
    """Link a re-coded article's new events (after `unlink_article` and the re-code's insert)."""
    story_id = conn.execute(select(article_signatures.c.story_id)
                            .where(article_signatures.c.article_id == article_id)).scalar()
    row = conn.execute(select(articles_table.c.site, articles_table.c.url)
                       .where(articles_table.c.id == article_id)).first()
    source = _source(row.site if row else "", row.url if row else None, article_id)
    created = [u for _, u, joined in _link_events(conn, _first_of_each_id(events, article_id), article_id, source)
               if joined is None]
    if created and story_id:
        conn.execute(_SET_STORY, [{"b_id": u, "b_story": story_id} for u in created])


def source_of(article: Article, stored_id: str) -> str:
    """The outlet an article counts for in NumSources: its site, else its url's host, else itself."""
    return _source(article.site, article.url, stored_id)


def _source(site: str | None, url: str | None, stored_id: str) -> str:
    if site and site.strip():
        return site.strip().lower()
    host = urlsplit(url.strip()).hostname if url and url.strip() else None
    if host:
        return host.removeprefix("www.")
    return f"article:{stored_id}"


def _similar(conn: Connection, dup_keys: list[int], topic_keys: list[int], published: dt.date | None) -> list:
    """Signature rows of the articles sharing a bucket (published within `DUPLICATE_DAYS`), most shared first.

    One indexed look-up for both kinds of bucket: (bucket, day) is the table's key, so the day
    window keeps the look-up small however many articles the database holds.
    """
    if published is not None:
        day = published.toordinal()
        hits = conn.execute(_BUCKETS_NEAR, {"b_keys": dup_keys + topic_keys, "b_low": day - DUPLICATE_DAYS,
                                            "b_high": day + DUPLICATE_DAYS})
    else:
        hits = conn.execute(_BUCKETS, {"b_keys": dup_keys + topic_keys})
    dup, topic = set(dup_keys), Counter()
    shared: Counter[str] = Counter()
    for bucket, article_id in hits:
        (shared if bucket in dup else topic)[article_id] += 1
    wanted = [a for a, _ in shared.most_common(CANDIDATES)] + [a for a, _ in topic.most_common(CANDIDATES)]
    if not wanted:
        return []
    return conn.execute(_SIGNATURES, {"b_ids": sorted(set(wanted))}).mappings().all()


def _near(first: dt.date | None, second: Any) -> bool:
    if first is None or second is None:
        return True
    return abs((first - codec.to_date(second)).days) <= STORY_DAYS


def _touch_story(conn: Connection, story_id: str, published: dt.date | None) -> None:
    """One more article in the story; its span of dates widened to the article's publication date."""
    if published is None:
        conn.execute(_COUNT_STORY, {"b_id": story_id})
    else:
        conn.execute(_TOUCH_STORY, {"b_id": story_id, "b_day": published})


# --- events ----------------------------------------------------------------------------------------

def kind_of(event: Event) -> str:
    """The event type, plus its non-factual modes: only events of one kind merge."""
    modes = sorted(set(event.mode) & set(NONFACTUAL))
    return "/".join([event.event_type, *modes])


def _codes(event: Event) -> tuple[list[str], list[str], set[str]]:
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


def _link_events(conn: Connection, events: Sequence[Event], article_id: str,
                 source: str) -> list[tuple[Event, str, str | None]]:
    """Join each event to a unique event or start one: (event, unique id, joined story or None if new).

    A handful of statements an article, whatever its number of events: one candidate look-up for
    all of them, then batched inserts and updates; two events of the article can merge with each
    other, since what the article starts joins the candidates as it goes.
    """
    source = codec.clean(source)
    plans = []
    for event in events:
        actor, recipient, codes = _codes(event)
        linkable = event.date is not None and bool(codes)
        plans.append((event, actor, recipient, kind_of(event), linkable))
    rows: dict[str, dict[str, Any]] = {}  # candidate and new unique events, as they stand
    keys: dict[str, set[tuple[str, str, dt.date]]] = {}
    looked = [p for p in plans if p[4]]
    if looked:
        low = min(p[0].date for p in looked) - dt.timedelta(days=LOOSE_DAYS)
        high = max(p[0].enddate or p[0].date for p in looked) + dt.timedelta(days=LOOSE_DAYS)
        kinds = sorted({p[3] for p in looked})
        pairs = sorted(set().union(*(_lookup_pairs(p[1], p[2]) for p in looked)))
        found = conn.execute(_CANDIDATES, {"b_kinds": kinds, "b_pairs": pairs, "b_low": low,
                                           "b_high": high}).mappings().all()
        for row in found:
            rows.setdefault(row["id"], {c.name: row[c.name] for c in unique_events.c})
            keys.setdefault(row["id"], set()).add((row["k_kind"], row["k_pair"], codec.to_date(row["k_date"])))
    existing = set(rows)
    new_ids: list[str] = []
    members: dict[str, list[Event]] = {}  # mentions of the unique events this article starts
    touched: dict[str, dict[str, Any]] = {}  # existing unique events that gained mentions
    mention_rows, new_keys, outcomes = [], [], []
    for event, actor, recipient, kind, linkable in plans:
        best = None
        if linkable:
            wanted = _lookup_pairs(actor, recipient)
            low = event.date - dt.timedelta(days=LOOSE_DAYS)
            high = (event.enddate or event.date) + dt.timedelta(days=LOOSE_DAYS)
            scored = []
            for unique_id, row in rows.items():
                if row["kind"] != kind or not any(k_ == kind and p in wanted and low <= d <= high
                                                  for k_, p, d in keys.get(unique_id, ())):
                    continue
                gap = _compatible(event, actor, recipient, row)
                if gap is not None:
                    scored.append((gap, -row["mentions"], unique_id))
            if scored:
                best = rows[min(scored)[2]]
        if best is None:
            unique_id = _new_id("unique", event.id)
            rows[unique_id] = {
                "id": unique_id, "kind": kind, "story_id": None, "date": event.date, "enddate": event.enddate,
                "date_source": event.date_source, "place_country": _place_country(event),
                "reciprocal": _reciprocal(event), "actor_codes": ";".join(actor), "recipient_codes": ";".join(recipient),
                "dates": _tally_add("", _date_value(event)), "places": _tally_add("", _place_value(event)),
                "mentions": 1, "articles": 1, "sources": 1, "confidence": min(0.99, event.confidence),
                "shown_event_id": event.id}
            new_ids.append(unique_id)
            members[unique_id] = [event]
            mention_rows.append({"event_id": event.id, "unique_id": unique_id, "article_id": article_id,
                                 "source": source, "shown": True})
            outcomes.append((event, unique_id, None))
        else:
            unique_id = best["id"]
            before = touched.setdefault(unique_id, dict(best)) if unique_id in existing else None
            best["mentions"] += 1
            best["confidence"] = min(0.99, 1 - (1 - best["confidence"]) * (1 - event.confidence))
            best["actor_codes"] = _join_codes(best["actor_codes"], actor)
            best["recipient_codes"] = _join_codes(best["recipient_codes"], recipient)
            best["dates"] = _tally_add(best["dates"], _date_value(event))
            best["places"] = _tally_add(best["places"], _place_value(event))
            best["reciprocal"] = bool(best["reciprocal"]) or _reciprocal(event)
            if before is None:
                members.setdefault(unique_id, []).append(event)
            mention_rows.append({"event_id": event.id, "unique_id": unique_id, "article_id": article_id,
                                 "source": source, "shown": False})
            outcomes.append((event, unique_id, best["story_id"] or ""))
        if linkable:
            fresh = {(kind, pair, event.date) for pair in _index_pairs(actor, recipient)} - keys.get(unique_id, set())
            keys.setdefault(unique_id, set()).update(fresh)
            new_keys.extend((unique_id, key) for key in fresh)
    for unique_id, told in members.items():
        if len(told) > 1:  # told twice in this article: show the mention of the best-supported date and place
            row = rows[unique_id]
            best_date, best_place = _best_date(row["dates"]), _best(row["places"])
            chosen = max(told, key=lambda e: (_date_value(e) == best_date, _place_value(e) == best_place,
                                              e.confidence, -told.index(e)))
            row.update(shown_event_id=chosen.id, date=chosen.date, enddate=chosen.enddate,
                       date_source=chosen.date_source, place_country=_place_country(chosen))
            for mention in mention_rows:
                if mention["unique_id"] == unique_id:
                    mention["shown"] = mention["event_id"] == chosen.id
    _write_events(conn, rows, new_ids, touched, mention_rows, new_keys, article_id, source)
    return outcomes


def _write_events(conn: Connection, rows: dict[str, dict[str, Any]], new_ids: list[str],
                  touched: dict[str, dict[str, Any]], mention_rows: list[dict[str, Any]],
                  new_keys: list[tuple[str, tuple[str, str, dt.date]]], article_id: str, source: str) -> None:
    """Write what `_link_events` decided: new unique events, mentions, keys, then recounts."""
    if new_ids:
        conn.execute(insert(unique_events), [rows[u] for u in new_ids])
    if touched:  # does the article, or its source, add to these unique events' counts?
        told = conn.execute(_TOLD, {"b_ids": sorted(touched), "b_article": article_id, "b_source": source}).all()
        by_article = {u for u, a, _ in told if a == article_id}
        by_source = {u for u, _, s in told if s == source}
    if mention_rows:
        conn.execute(insert(event_mentions), mention_rows)
    if new_keys:  # a key the look-up's pairs did not cover may be stored already: skip it, never read all keys
        conn.execute(_insert_ignoring(conn, unique_event_keys), [{"kind": k, "pair": p, "date": d, "unique_id": u}
                                                                 for u, (k, p, d) in dict.fromkeys(new_keys)])
    updates = []
    for unique_id, before in touched.items():
        row = rows[unique_id]
        row["articles"] = before["articles"] + (unique_id not in by_article)
        row["sources"] = before["sources"] + (unique_id not in by_source)
        if _best_date(row["dates"]) != _best_date(before["dates"]) or _best(row["places"]) != _best(before["places"]):
            row.update(_shown(conn, unique_id, row["dates"], row["places"]))
        updates.append({f"b_{name}": row[name] for name in _UPDATED})
    if updates:
        conn.execute(_UPDATE_UNIQUE, updates)


_UPDATED = ("id", "date", "enddate", "date_source", "place_country", "reciprocal", "actor_codes", "recipient_codes",
            "dates", "places", "mentions", "articles", "sources", "confidence", "shown_event_id")
_UPDATE_UNIQUE = (update(unique_events).where(unique_events.c.id == bindparam("b_id"))
                  .values({name: bindparam(f"b_{name}") for name in _UPDATED if name != "id"}))
_k, _m, _s = unique_event_keys, event_mentions, stories_table
_CANDIDATES = (select(_k.c.kind.label("k_kind"), _k.c.pair.label("k_pair"), _k.c.date.label("k_date"), unique_events)
               .join(unique_events, unique_events.c.id == _k.c.unique_id)
               .where(_k.c.kind.in_(bindparam("b_kinds", expanding=True)),
                      _k.c.pair.in_(bindparam("b_pairs", expanding=True)),
                      _k.c.date.between(bindparam("b_low"), bindparam("b_high"))))
_TOLD = (select(_m.c.unique_id, _m.c.article_id, _m.c.source)
         .where(_m.c.unique_id.in_(bindparam("b_ids", expanding=True)),
                (_m.c.article_id == bindparam("b_article")) | (_m.c.source == bindparam("b_source"))))
_BUCKETS = select(lsh_buckets.c.bucket, lsh_buckets.c.article_id).where(
    lsh_buckets.c.bucket.in_(bindparam("b_keys", expanding=True)))
_BUCKETS_NEAR = _BUCKETS.where(lsh_buckets.c.day.between(bindparam("b_low"), bindparam("b_high")))
_SIGNATURES = select(article_signatures).where(article_signatures.c.article_id.in_(bindparam("b_ids", expanding=True)))
_COUNT_STORY = update(_s).where(_s.c.id == bindparam("b_id")).values(articles=_s.c.articles + 1)
_TOUCH_STORY = _COUNT_STORY.values(
    first_date=case((or_(_s.c.first_date.is_(None), _s.c.first_date > bindparam("b_day", type_=Date)),
                     bindparam("b_day", type_=Date)), else_=_s.c.first_date),
    last_date=case((or_(_s.c.last_date.is_(None), _s.c.last_date < bindparam("b_day", type_=Date)),
                    bindparam("b_day", type_=Date)), else_=_s.c.last_date))
_SET_STORY = update(unique_events).where(unique_events.c.id == bindparam("b_id")).values(story_id=bindparam("b_story"))


def _compatible(event: Event, actor: list[str], recipient: list[str], row: Any) -> int | None:
    """Days between the event and a unique event if the two can be one happening, else None."""
    their_actor = set(filter(None, row["actor_codes"].split(";")))
    their_recipient = set(filter(None, row["recipient_codes"].split(";")))
    if event.event_type in SYMMETRIC or _reciprocal(event) or row["reciprocal"]:
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
    shown = codec.to_date(row["date"])
    if shown is None:
        return None
    shown_end = codec.to_date(row["enddate"]) or shown
    start, end = event.date, event.enddate or event.date
    gap = max(0, (start - shown_end).days, (shown - end).days)  # days between the two ranges
    precise = event.date_source in PRECISE and row["date_source"] in PRECISE
    if gap > (PRECISE_DAYS if precise else LOOSE_DAYS):
        return None
    mine_country = _place_country(event)
    theirs = {value.rsplit("|", 1)[-1] for value, _ in _tally(row["places"])} - {""}
    if mine_country and theirs and mine_country not in theirs:
        return None
    return gap


def _insert_ignoring(conn: Connection, table):
    """INSERT that skips rows whose key is stored (SQLite's OR IGNORE, PostgreSQL's ON CONFLICT DO NOTHING)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        return pg_insert(table).on_conflict_do_nothing()
    return insert(table).prefix_with("OR IGNORE")


def _reciprocal(event: Event) -> bool:
    return event.event_type not in SYMMETRIC and event.trigger.lower() in RECIPROCAL


def _add_keys(conn: Connection, unique_id: str, kind: str, actor: list[str], recipient: list[str],
              event: Event) -> None:
    if event.date is None or not (actor or recipient):
        return
    wanted = {(kind, pair, event.date) for pair in _index_pairs(actor, recipient)}
    have = {(r.kind, r.pair, codec.to_date(r.date)) for r in conn.execute(
        select(unique_event_keys.c.kind, unique_event_keys.c.pair, unique_event_keys.c.date)
        .where(unique_event_keys.c.unique_id == unique_id))}
    rows = [{"kind": k, "pair": p, "date": d, "unique_id": unique_id} for k, p, d in sorted(wanted - have)]
    if rows:
        conn.execute(insert(unique_event_keys), rows)


def _shown(conn: Connection, unique_id: str, dates: str, places: str) -> dict[str, Any]:
    """The best-supported mention (its date and place the most told), marked shown."""
    best_date, best_place = _best_date(dates), _best(places)
    rows = conn.execute(
        select(events_table.c.id, events_table.c.date, events_table.c.enddate, events_table.c.date_source,
               events_table.c.place_name, events_table.c.place_text, events_table.c.place_country,
               events_table.c.confidence)
        .join(event_mentions, event_mentions.c.event_id == events_table.c.id)
        .where(event_mentions.c.unique_id == unique_id)).mappings().all()
    if not rows:
        return {}

    def fit(row) -> tuple:
        date_value = _date_value_of(codec.to_date(row["date"]), row["date_source"])
        place_value = _place_value_of(row["place_name"] or row["place_text"], row["place_country"])
        return (date_value == best_date, place_value == best_place, row["confidence"], row["id"])

    chosen = max(rows, key=fit)
    conn.execute(update(event_mentions).where(event_mentions.c.unique_id == unique_id)
                 .values(shown=event_mentions.c.event_id == chosen["id"]))
    return {"shown_event_id": chosen["id"], "date": codec.to_date(chosen["date"]), "enddate": codec.to_date(chosen["enddate"]),
            "date_source": chosen["date_source"],
            "place_country": chosen["place_country"]}


def _refresh(conn: Connection, unique_id: str) -> None:
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
        dates = _tally_add(dates, _date_value_of(codec.to_date(row["date"]), row["date_source"]))
        places = _tally_add(places, _place_value_of(row["place_name"] or row["place_text"], row["place_country"]))
        confidence = 1 - (1 - confidence) * (1 - row["confidence"])
    values = {"mentions": len(rows), "articles": len({r["article_id"] for r in rows}),
              "sources": len({r["source"] for r in rows}), "confidence": min(0.99, confidence),
              "dates": dates, "places": places}
    values.update(_shown(conn, unique_id, dates, places))
    conn.execute(update(unique_events).where(unique_events.c.id == unique_id).values(**values))


# --- tallies: "value=count;value=count" --------------------------------------------------------------

def _tally(text: str) -> list[tuple[str, int]]:
    out = []
    for part in (text or "").split(";"):
        if "=" in part:
            value, count = part.rsplit("=", 1)
            out.append((value, int(count)))
    return out


def _tally_add(text: str, value: str | None) -> str:
    if not value:
        return text or ""
    counts = dict(_tally(text))
    counts[value] = counts.get(value, 0) + 1
    return ";".join(f"{v}={n}" for v, n in counts.items())


def _best(text: str) -> str | None:
    """The most told value; the first told wins a tie."""
    items = _tally(text)
    return max(items, key=lambda item: item[1])[0] if items else None


def _best_date(text: str) -> str | None:
    """The most told date; a tie goes to a stated or relative date over a publication date, then the earlier."""
    items = _tally(text)
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


def _new_id(kind: str, seed: str) -> str:
    return hashlib.sha1(f"{kind}|{seed}".encode("utf-8")).hexdigest()[:16]


def _first_words(text: str, limit: int = 80) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"


# --- reading ---------------------------------------------------------------------------------------

def story_of(store, article_id: str) -> str | None:
    """The story id of a stored article, or None (not stored, or stored before stories existed)."""
    with store.read() as conn:
        return conn.execute(select(article_signatures.c.story_id)
                            .where(article_signatures.c.article_id == article_id)).scalar()


def stories(store, *, since: dt.date | str | None = None, until: dt.date | str | None = None,
            limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Stories, latest first, each with its article and unique-event counts."""
    n_events = (select(func.count()).select_from(unique_events)
                .where(unique_events.c.story_id == stories_table.c.id).scalar_subquery())
    query = select(stories_table, n_events.label("events"))
    if since:
        query = query.where(stories_table.c.last_date >= codec.to_date(since))
    if until:
        query = query.where(stories_table.c.first_date <= codec.to_date(until))
    query = query.order_by(stories_table.c.last_date.desc(), stories_table.c.id).offset(max(0, offset))
    if limit is not None:
        query = query.limit(max(0, limit))
    with store.read() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def story(store, story_id: str) -> dict[str, Any] | None:
    """One story: its row, its articles (by publication date) and its unique events on a timeline.

    Each event is the shown mention's PLOVER record plus `unique_id`, `mentions`, `articles`,
    `sources`, the combined `confidence`, and every `dates`/`places` its mentions give.
    """
    from .store import reads

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
                                 for v, n in _tally(u["dates"])],
                       "places": [{"place": v.rsplit("|", 1)[0], "country_code": v.rsplit("|", 1)[1], "mentions": n}
                                  for v, n in _tally(u["places"])]})
        timeline.append(record)
    timeline.sort(key=lambda r: (r["date"] or "9999", -r["mentions"], r["unique_id"]))
    return {"story": dict(row), "articles": [{**dict(m), "duplicate": m["canonical_id"] != m["id"]} for m in members],
            "events": timeline}


def mentions(store, event_id: str) -> list[dict[str, Any]]:
    """Every mention of the unique event that `event_id` (any of its mentions) belongs to.

    Each: the event id, article (id, url, title, site), sentence, offsets, trigger, date, place and
    the sentence text; the shown mention first. [] for an event stored before stories existed.
    """
    e, m, a = events_table, event_mentions, articles_table
    with store.read() as conn:
        unique_id = conn.execute(select(m.c.unique_id).where(m.c.event_id == event_id)).scalar()
        if unique_id is None:
            return []
        rows = conn.execute(
            select(e.c.id.label("event_id"), e.c.article_id, a.c.url, a.c.title, a.c.site, a.c.published,
                   e.c.sentence, e.c.start, e.c.end, e.c.trigger, e.c.date, e.c.date_source, e.c.place_name,
                   e.c.place_country, e.c.confidence, e.c.event_text, m.c.source, m.c.shown)
            .join(m, m.c.event_id == e.c.id).join(a, a.c.id == e.c.article_id)
            .where(m.c.unique_id == unique_id)
            .order_by(m.c.shown.desc(), a.c.published, e.c.article_id, e.c.sentence)).mappings().all()
    return [{**dict(row), "unique_id": unique_id} for row in rows]


def add_counts(store, found: Sequence[Any], *, with_mentions: bool = False) -> None:
    """Give stored events (query.StoredEvent) their unique event's id, counts and combined confidence.

    With `with_mentions`, each also gets `mentions`: every mention of its unique event (see `mentions`).
    """
    import dataclasses

    ids = [item.event.id for item in found]
    info: dict[str, Any] = {}
    told: dict[str, list[dict[str, Any]]] = {}
    e, m, a = events_table, event_mentions, articles_table
    with store.read() as conn:
        for i in range(0, len(ids), 500):
            query = (select(m.c.event_id, unique_events)
                     .join(unique_events, unique_events.c.id == m.c.unique_id).where(m.c.event_id.in_(ids[i:i + 500])))
            for row in conn.execute(query).mappings():
                info[row["event_id"]] = row
        if with_mentions:
            unique_ids = sorted({row["id"] for row in info.values()})
            for i in range(0, len(unique_ids), 500):
                query = (select(m.c.unique_id, e.c.id.label("event_id"), e.c.article_id, a.c.url, a.c.title,
                                a.c.site, a.c.published, e.c.sentence, e.c.start, e.c.end, e.c.trigger, e.c.date,
                                e.c.date_source, e.c.place_name, e.c.place_country, e.c.confidence,
                                e.c.event_text, m.c.source, m.c.shown)
                         .join(m, m.c.event_id == e.c.id).join(a, a.c.id == e.c.article_id)
                         .where(m.c.unique_id.in_(unique_ids[i:i + 500]))
                         .order_by(m.c.unique_id, m.c.shown.desc(), a.c.published, e.c.article_id, e.c.sentence))
                for row in conn.execute(query).mappings():
                    told.setdefault(row["unique_id"], []).append(dict(row))
    for item in found:
        row = info.get(item.event.id)
        if row is None:
            continue
        item.unique_id = row["id"]
        item.num_mentions, item.num_sources, item.num_articles = row["mentions"], row["sources"], row["articles"]
        item.event = dataclasses.replace(item.event, confidence=row["confidence"])
        if with_mentions:
            item.mentions = told.get(row["id"], [])


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


def link_missing(store) -> int:
    """Link articles stored before stories existed (oldest first); returns how many were linked."""
    from .store import reads

    with store.read() as conn:
        ids = list(conn.execute(
            select(articles_table.c.id).where(~articles_table.c.id.in_(select(article_signatures.c.article_id)))
            .order_by(articles_table.c.ingested_at, articles_table.c.id)).scalars())

    def work(conn: Connection, article_id: str) -> None:
        article = reads.load_article(conn, article_id)
        rows = conn.execute(select(events_table).where(events_table.c.article_id == article_id)
                            .order_by(events_table.c.sentence, events_table.c.trigger_start)).mappings().all()
        if article is not None:
            link_article(conn, article, reads.events_from_rows(conn, rows), stored_id=article_id)

    for article_id in ids:
        store.write(lambda conn, article_id=article_id: work(conn, article_id))
    return len(ids)
