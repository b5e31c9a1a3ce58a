"""Linking one article: its near-duplicates, its events' unique events, and its story.

`link_article` runs inside the store's write transaction for every article `Store.add` keeps, in
a fixed number of statements whatever the database's size (indexed look-ups, never a scan, never a
re-clustering):

1. **Near-duplicates.** One look-up of the article's LSH band keys (`lsh_buckets`, keyed by
   bucket and day: text buckets within `DUPLICATE_DAYS`, topic buckets within `STORY_DAYS`;
   driver-level statements, see `sql`), then the signatures of the candidates sharing most
   buckets; a candidate whose estimated Jaccard
   similarity is at least `DUPLICATE_JACCARD` is a near-duplicate (wire copy, re-post, updated
   version): the article links to that article's canonical article and story.
2. **Events.** `events.plan`: one candidate look-up for each kind of the article's events.
3. **Story.** A near-duplicate's story; else the story that the article's lead event (its first
   sentence with a dated event between known actors) joined; else the story that at least half of
   its events joined (lead events weigh double, so background mentions do not pull an article
   in); else the story of an article published within `STORY_DAYS` whose content-word MinHash is
   at least `TOPIC_JACCARD` similar; else a new story.
4. **Writes.** The story (inserted or widened), the unique events, mentions and keys
   (`events.write`), the article's signatures and bucket rows.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from sqlalchemy import Connection, select

from ..models import Article, Event
from ..store import codec
from ..store.schema import articles as articles_table, events as events_table
from ..store.stories import article_signatures, event_mentions, lsh_buckets, stories as stories_table
from . import events as merging, sql
from .signatures import DUPLICATE_BANDS, NUM_PERM, TOPIC_BANDS, band_keys, minhash, words, _STOP

DUPLICATE_JACCARD = 0.5  # shingles: wire copies with edits measured 0.70-0.91, rewrites of one story < 0.1
TOPIC_JACCARD = 0.2  # content words: rewrites of one story 0.05-0.28, other stories up to 0.42, so
# a match counts only within STORY_DAYS: the dates, not the words, separate look-alike stories
STORY_DAYS = 3  # a story's articles are published within this many days of another of its articles
DUPLICATE_DAYS = 30  # near-duplicates are looked for among articles published this close
LEAD_SENTENCES = 3  # events in the lead weigh double when an article's events vote for its story
CANDIDATES = 50  # LSH candidates verified per lookup, most shared buckets first


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


def signatures_of(article: Article) -> tuple[np.ndarray, np.ndarray]:
    """The article's text signature (word 3-shingles) and topic signature (content words of title and
    text), tokenising the text once: what `shingles` and `topic_terms` give."""
    tokens = words(article.text)
    grams = set(map(" ".join, zip(tokens, tokens[1:], tokens[2:]))) if len(tokens) >= 3 else \
        ({" ".join(tokens)} if tokens else set())
    distinct = set(tokens).union(words(f"{article.title}"))  # each word tested once
    terms = {w for w in distinct if len(w) > 2 and w not in _STOP and not w.isdigit()}
    return minhash(grams), minhash(terms)


def link_article(conn: Connection, article: Article, events: Sequence[Event],
                 stored_id: str | None = None) -> Linked:
    """Link a just-stored article and its events (inside the store's write transaction)."""
    if conn.dialect.name == "postgresql":  # writers take turns, so two never start one story twice
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(1685288050)")
    stored_id = stored_id or codec.article_id(article.url, "" if article.url and article.url.strip() else
                                              codec.content_hash(article.text))  # the hash only when no url
    published = article.published
    text_sig, topic_sig = signatures_of(article)
    dup_keys = band_keys(text_sig, 0, DUPLICATE_BANDS)
    topic_keys = band_keys(topic_sig, 1, TOPIC_BANDS)
    similar, text_sims, topic_sims = _similar(conn, dup_keys, topic_keys, published, text_sig, topic_sig)

    story_id, canonical_id, similarity = None, stored_id, 1.0
    duplicates = sorted(zip(text_sims, (row["article_id"] for row in similar), similar),
                        key=lambda item: (-item[0], item[1]))
    if duplicates and duplicates[0][0] >= DUPLICATE_JACCARD:
        similarity, _, row = float(duplicates[0][0]), None, duplicates[0][2]
        story_id, canonical_id = row["story_id"], row["canonical_id"]

    linked = Linked(stored_id, "", canonical_id, similarity, False)
    decided = merging.plan(conn, first_of_each_id(events, stored_id), stored_id, source_of(article, stored_id))
    votes: Counter[str] = Counter()
    lead_votes: dict[int, Counter[str]] = {}
    weight = 0
    lead = None
    for (event, unique_id, joined_story), linkable in zip(decided.outcomes, decided.linkable):
        linked.unique_ids.append(unique_id)
        w = (2 if event.sentence < LEAD_SENTENCES else 1) if linkable else 0
        weight += w
        if linkable:
            lead = event.sentence if lead is None else min(lead, event.sentence)
        if joined_story is None:
            linked.created += 1
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
        scored = sorted(zip(topic_sims, (row["article_id"] for row in similar), similar),
                        key=lambda item: (-item[0], item[1]))
        for score, _, row in scored:
            if score >= TOPIC_JACCARD and _near(published, row["published"]):
                story_id = row["story_id"]
                break
    if story_id is None:
        story_id = merging.new_id("story", stored_id)
        linked.new_story = True
        sql.insert(conn, stories_table, ("id", "title", "first_date", "last_date", "articles", "created_at"), [(
            story_id, codec.clean(article.title or _first_words(article.text)), published, published, 1, codec.now())])
    else:
        _touch_story(conn, story_id, published)
    linked.story_id = story_id
    merging.write(conn, decided, story_id)
    sql.insert(conn, article_signatures, _SIGNATURE_COLUMNS, [(
        stored_id, text_sig.tobytes(), topic_sig.tobytes(), canonical_id, similarity, story_id, published)])
    day = published.toordinal() if published else 0
    sql.insert(conn, lsh_buckets, ("bucket", "day", "article_id"),
               [(b, day, stored_id) for b in sorted(set(dup_keys) | set(topic_keys))])
    return linked


def first_of_each_id(events: Sequence[Event], stored_id: str) -> list[tuple[Event, str]]:
    """(event, id as stored) for each event, the first of two with one id (as the store keeps them).

    The id is the one `codec.keyed(event, stored_id).id` gives, read without copying the event.
    """
    seen: dict[str, Event] = {}
    for event in events:
        key = event.id if event.doc_id == stored_id else _ID(_Keyed(stored_id, event))
        seen.setdefault(key, event)
    return [(event, key) for key, event in seen.items()]


class _Keyed:
    """An event's id fields under the stored article's id (what `Event.id` reads)."""

    __slots__ = ("doc_id", "sentence", "trigger_start", "event_type")

    def __init__(self, doc_id: str, event: Event) -> None:
        self.doc_id, self.sentence, self.trigger_start, self.event_type = \
            doc_id, event.sentence, event.trigger_start, event.event_type


_ID = Event.id.fget


def unlink_article(conn: Connection, article_id: str) -> None:
    """Take a stored article's events out of their unique events (before its events are replaced)."""
    rows = conn.execute(select(event_mentions.c.event_id, event_mentions.c.unique_id)
                        .where(event_mentions.c.article_id == article_id)).all()
    if not rows:
        return
    conn.execute(event_mentions.delete().where(event_mentions.c.article_id == article_id))
    for unique_id in sorted({u for _, u in rows}):
        merging.refresh(conn, unique_id)


def relink_article(conn: Connection, article_id: str, events: Sequence[Event]) -> None:
    """Link a re-coded article's new events (after `unlink_article` and the re-code's insert)."""
    story_id = conn.execute(select(article_signatures.c.story_id)
                            .where(article_signatures.c.article_id == article_id)).scalar()
    row = conn.execute(select(articles_table.c.site, articles_table.c.url)
                       .where(articles_table.c.id == article_id)).first()
    source = _source(row.site if row else "", row.url if row else None, article_id)
    merging.link(conn, first_of_each_id(events, article_id), article_id, source, story_id)


def link_missing(store) -> int:
    """Link articles stored before stories existed (oldest first); returns how many were linked."""
    from ..store import reads

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


def _similar(conn: Connection, dup_keys: list[int], topic_keys: list[int], published: dt.date | None,
             text_sig: np.ndarray, topic_sig: np.ndarray) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """Signature rows of the articles sharing a bucket (published within `DUPLICATE_DAYS`), most shared
    first, with each one's estimated Jaccard similarity to the text and to the topic signature.

    One indexed look-up for both kinds of bucket (`_buckets`): (bucket, day) is the table's key, so
    the day window keeps the look-up small however many articles the database holds (text buckets
    within `DUPLICATE_DAYS`; topic buckets within `STORY_DAYS`, the only ones a topic match may take
    the story of); then the signatures of at most `CANDIDATES` of each kind, most shared buckets first.
    """
    if published is None:
        params = dup_keys + topic_keys
    else:
        day = published.toordinal()
        params = [*dup_keys, day - DUPLICATE_DAYS, day + DUPLICATE_DAYS,
                  *topic_keys, day - STORY_DAYS, day + STORY_DAYS]
    hits = sql.rows(conn, _buckets(conn.dialect.name, len(dup_keys), len(topic_keys), published is not None), params)
    dup, topic = set(dup_keys), Counter()
    shared: Counter[str] = Counter()
    near = STORY_DAYS if published is not None else None
    for bucket, article_id, day in hits:
        if bucket in dup:
            shared[article_id] += 1
        elif near is None or abs(day - published.toordinal()) <= near or not day:
            topic[article_id] += 1  # a topic match counts only within STORY_DAYS (see link_article)
    wanted = [a for a, _ in shared.most_common(CANDIDATES)] + [a for a, _ in topic.most_common(CANDIDATES)]
    if not wanted:
        return [], np.zeros(0), np.zeros(0)
    ids = sql.padded(sorted(set(wanted)))
    rows = [dict(zip(_SIGNATURE_COLUMNS, row)) for row in sql.rows(conn, _signatures(conn.dialect.name, len(ids)), ids)]
    texts = np.frombuffer(b"".join(bytes(r["text_minhash"]) for r in rows), dtype=np.uint32).reshape(-1, NUM_PERM)
    topics = np.frombuffer(b"".join(bytes(r["topic_minhash"]) for r in rows), dtype=np.uint32).reshape(-1, NUM_PERM)
    return rows, (texts == text_sig).sum(axis=1) / NUM_PERM, (topics == topic_sig).sum(axis=1) / NUM_PERM


@lru_cache(maxsize=16)
def _signatures(dialect: str, count: int) -> str:
    """The signatures of `count` articles (an IN list padded by `sql.padded`, so of a few shapes)."""
    marks = ", ".join(("?" if dialect == "sqlite" else "%s",) * count)
    return f"SELECT {', '.join(_SIGNATURE_COLUMNS)} FROM article_signatures WHERE article_id IN ({marks})"


@lru_cache(maxsize=16)
def _buckets(dialect: str, dup: int, topic: int, dated: bool) -> str:
    """The look-up of an article's bucket keys, `dup` text keys then `topic` topic keys: with a
    publication date, text keys within `DUPLICATE_DAYS` and topic keys within `STORY_DAYS` (the
    only topic matches `_similar` counts), each a SEARCH of the key (bucket, day, article_id)."""
    mark = "?" if dialect == "sqlite" else "%s"
    if not dated:
        return f"SELECT bucket, article_id, day FROM lsh_buckets WHERE bucket IN ({', '.join((mark,) * (dup + topic))})"
    return " UNION ALL ".join(
        f"SELECT bucket, article_id, day FROM lsh_buckets WHERE bucket IN ({', '.join((mark,) * n)}) "
        f"AND day BETWEEN {mark} AND {mark}" for n in (dup, topic))


def _near(first: dt.date | None, second: Any) -> bool:
    if first is None or second is None:
        return True
    return abs((first - codec.to_date(second)).days) <= STORY_DAYS


def _touch_story(conn: Connection, story_id: str, published: dt.date | None) -> None:
    """One more article in the story; its span of dates widened to the article's publication date."""
    mark = sql.marks(conn, 1)
    if published is None:
        sql.run(conn, f"UPDATE stories SET articles = articles + 1 WHERE id = {mark}", [story_id])
    else:
        day = sql.param(conn, published)
        sql.run(conn, f"UPDATE stories SET articles = articles + 1, first_date = CASE WHEN first_date IS NULL "
                      f"OR first_date > {mark} THEN {mark} ELSE first_date END, last_date = CASE WHEN last_date IS NULL "
                      f"OR last_date < {mark} THEN {mark} ELSE last_date END WHERE id = {mark}",
                [day, day, day, day, story_id])


def _first_words(text: str, limit: int = 80) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"


_SIGNATURE_COLUMNS = ("article_id", "text_minhash", "topic_minhash", "canonical_id", "similarity", "story_id",
                      "published")
