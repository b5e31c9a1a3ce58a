"""Between the data model and table rows: stable ids, content hashes, and rebuilding events.

An article's id is derived from its url, or from its content hash when it has none, so a re-run
finds the same id. An event's id is `Event.id` computed with the stored article id as its
`doc_id`: stable across re-runs and re-codes (the evidence sentence, trigger offset and type do not
move), and two articles can never share one. Events read back carry that article id as `doc_id`,
so `Event.to_record()` on them gives the stored id again.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from ..models import Article, Entity, Event, Place, Sentence

SEPARATOR = ";"
_SPACE = re.compile(r"\s+")


def clean(value: str) -> str:
    """NUL made U+FFFD: PostgreSQL text cannot hold NUL, and one character for one keeps offsets."""
    return value.replace("\x00", "\ufffd") if "\x00" in value else value


def clean_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: clean(v) if isinstance(v, str) else v for k, v in row.items()}


def normalise_text(text: str) -> str:
    """NFC, runs of whitespace as one space, no edges: what makes two copies 'the same text'."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", clean(text or ""))).strip()


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised article text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def article_id(url: str | None, digest: str) -> str:
    """Stable id: from the url when there is one, else from the content hash."""
    key = f"url:{url.strip()}" if url and url.strip() else f"sha256:{digest}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def keyed(event: Event, stored_article_id: str) -> Event:
    """The event as the store sees it: its doc_id is the stored article's id."""
    return event if event.doc_id == stored_article_id else dataclasses.replace(event, doc_id=stored_article_id)


def now() -> dt.datetime:
    """UTC, naive: both engines store it the same way."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def article_row(article: Article, stored_id: str, digest: str, *, coder: str, status: str,
                skip_reason: str, at: dt.datetime) -> dict[str, Any]:
    return {
        "id": stored_id, "source_id": article.id or "", "url": (article.url or "").strip() or None,
        "title": article.title or "", "byline": article.byline or "", "published": article.published,
        "published_source": article.published_source or "", "site": article.site or "",
        "language": article.language or "", "text": article.text or "", "content_hash": digest,
        "origin": article.origin or "", "ingested_at": at, "coder": coder, "status": status,
        "skip_reason": skip_reason or "",
    }


def sentence_rows(stored_id: str, sentences: Iterable[Sentence]) -> list[dict[str, Any]]:
    return [{"article_id": stored_id, "idx": s.index, "start": s.start, "end": s.end} for s in sentences]


def event_rows(stored_id: str, events: Iterable[Event]) -> tuple[list[dict], list[dict]]:
    """Rows for `events` and `event_actors`; an event id seen twice is kept once (the first)."""
    rows: list[dict[str, Any]] = []
    actors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for event in events:
        event = keyed(event, stored_id)
        event_id = event.id
        if event_id in seen:
            continue
        seen.add(event_id)
        place = event.place
        rows.append({
            "id": event_id, "article_id": stored_id, "date": event.date, "enddate": event.enddate,
            "date_source": event.date_source, "date_precision": event.date_precision,
            "event_type": event.event_type, "modes": SEPARATOR.join(event.mode),
            "contexts": SEPARATOR.join(event.context), "quad_code": event.quad_code, "cameo": event.cameo,
            "goldstein": event.goldstein, "confidence": event.confidence, "coder": event.coder,
            "factual": event.factual, "sentence": event.sentence, "start": event.start, "end": event.end,
            "trigger": event.trigger, "trigger_start": event.trigger_start, "trigger_end": event.trigger_end,
            "event_text": event.event_text,
            "place_text": place.text if place else None, "place_name": place.name if place else None,
            "place_country": place.country_code if place else None,
            "lat": place.lat if place else None, "lon": place.lon if place else None,
            "place_feature": place.feature if place else None,
            "place_resolution": place.resolution if place else None,
            "place_start": place.start if place else None, "place_end": place.end if place else None,
        })
        for role, entities in (("actor", event.actor), ("recipient", event.recipient)):
            actors += [{"event_id": event_id, "role": role, "position": i, "code": e.code or "",
                        "sector": e.sector or "", "entity_text": e.text or "", "entity_name": e.name or "",
                        "office": e.office or "", "start": e.start, "end": e.end}
                       for i, e in enumerate(entities)]
    return rows, actors


def _split(value: str | None) -> list[str]:
    return [part for part in (value or "").split(SEPARATOR) if part]


def _entity(row: Mapping[str, Any]) -> Entity:
    return Entity(code=row["code"], sector=row["sector"], text=row["entity_text"], start=row["start"],
                  end=row["end"], name=row["entity_name"], office=row["office"])


def event_from_row(row: Mapping[str, Any], actor_rows: Iterable[Mapping[str, Any]] = ()) -> Event:
    """Rebuild an `Event` from its `events` row and its `event_actors` rows."""
    ordered = sorted(actor_rows, key=lambda r: (r["role"], r["position"]))
    place = None
    if row["place_text"] is not None or row["place_country"] is not None:
        place = Place(text=row["place_text"] or "", country_code=row["place_country"] or "",
                      name=row["place_name"] or "", start=_int(row["place_start"]), end=_int(row["place_end"]),
                      lat=row["lat"], lon=row["lon"], feature=row["place_feature"] or "",
                      resolution=_int(row["place_resolution"], 1))
    return Event(
        doc_id=row["article_id"], event_type=row["event_type"], sentence=row["sentence"], start=row["start"],
        end=row["end"], event_text=row["event_text"], trigger=row["trigger"],
        trigger_start=row["trigger_start"], trigger_end=row["trigger_end"],
        actor=[_entity(r) for r in ordered if r["role"] == "actor"],
        recipient=[_entity(r) for r in ordered if r["role"] == "recipient"],
        mode=_split(row["modes"]), context=_split(row["contexts"]), cameo=row["cameo"],
        goldstein=row["goldstein"], quad_code=row["quad_code"], confidence=row["confidence"],
        coder=row["coder"], date=to_date(row["date"]), enddate=to_date(row["enddate"]),
        date_source=row["date_source"], date_precision=row["date_precision"], place=place,
    )


def article_from_row(row: Mapping[str, Any], sentence_rows: Iterable[Mapping[str, Any]] = ()) -> Article:
    """Rebuild an `Article` (text, metadata, sentences; events are read separately)."""
    text = row["text"]
    return Article(
        id=row["id"], text=text, title=row["title"], byline=row["byline"], published=to_date(row["published"]),
        published_source=row["published_source"], url=row["url"], origin=row["origin"], site=row["site"],
        language=row["language"],
        sentences=[Sentence(r["idx"], r["start"], r["end"], text[r["start"]:r["end"]])
                   for r in sorted(sentence_rows, key=lambda r: r["idx"])],
    )


def _int(value: Any, default: int = -1) -> int:
    return default if value is None else int(value)


def to_date(value: Any) -> dt.date | None:
    """A date from what a database driver returns for one (a date, a datetime, ISO text or None)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
