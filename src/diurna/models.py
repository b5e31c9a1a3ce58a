"""The one data model that flows through the pipeline.

A `Document` is what a source yields (raw text or HTML and whatever metadata came with it).
`extract` turns it into an `Article`; every later stage annotates that same `Article`:
`nlp` adds sentences and the spaCy doc, `actors` adds mentions, `coding` adds events, and
`when`/`where` fill in each event's date and place. Offsets always index `Article.text`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Document:
    """A raw input document, as a source yields it (nothing parsed yet)."""

    id: str
    text: str | None = None
    html: str | None = None
    published: str | None = None
    url: str | None = None
    title: str | None = None
    dyad: tuple[str, str] | None = None
    origin: str = ""
    fetched: str | None = None  # when a crawler fetched it (WARC-Date, HTTP fetch time), ISO 8601


@dataclass(slots=True)
class Failure:
    """A document that could not be processed, with the reason; the batch goes on without it."""

    doc_id: str
    stage: str
    reason: str
    origin: str = ""

    def to_record(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "stage": self.stage, "reason": self.reason, "origin": self.origin}


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Actor:
    """Who someone is: one identity, however many times the article names it."""

    name: str
    code: str = ""  # ISO 3166-1 alpha-3, or IGO/UNO/EUR/NGO/...; "" when unknown
    sector: str = ""  # PLOVER sector (GOV, MIL, REB, ...); "" when unknown
    kind: str = "group"  # country | person | organisation | group
    office: str = ""


@dataclass(slots=True)
class Mention:
    """A span of the article text that names an actor."""

    start: int
    end: int
    text: str
    actor: Actor
    sentence: int = -1
    plural: tuple[Actor, ...] = ()  # "both sides": the actors it stands for


@dataclass(slots=True)
class Entity:
    """An actor or recipient entity of one event (PLOVER's entity object)."""

    code: str
    sector: str
    text: str
    start: int = -1
    end: int = -1
    name: str = ""
    office: str = ""

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"code": self.code, "sector": self.sector, "entity_text": self.text}
        if self.name and self.name != self.text:
            record["entity_name"] = self.name
        if self.office:
            record["office"] = self.office
        return record


@dataclass(slots=True)
class Place:
    text: str
    country_code: str
    name: str = ""
    start: int = -1
    end: int = -1
    lat: float | None = None
    lon: float | None = None
    feature: str = ""  # country | capital | city | region
    resolution: int = 1  # PLOVER: 5 sub-city ... 1 country

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "extracted_place": self.text,
            "resolved_place": self.name or self.text,
            "country_code": self.country_code,
            "resolution": self.resolution,
        }
        if self.lat is not None and self.lon is not None:
            record["lat"], record["lon"] = round(self.lat, 4), round(self.lon, 4)
        if self.feature:
            record["feature_class"] = self.feature
        return record


@dataclass(slots=True)
class Event:
    """One coded event, with the evidence that carries it."""

    doc_id: str
    event_type: str
    sentence: int
    start: int  # the evidence sentence, as offsets into Article.text
    end: int
    event_text: str
    trigger: str
    trigger_start: int
    trigger_end: int
    actor: list[Entity] = field(default_factory=list)
    recipient: list[Entity] = field(default_factory=list)
    mode: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    cameo: str = ""
    goldstein: float = 0.0
    quad_code: int = 0
    confidence: float = 0.5
    coder: str = ""
    date: dt.date | None = None
    enddate: dt.date | None = None
    date_source: str = "published"  # stated | relative | story (the sentence before) | published
    date_precision: str = "day"  # day | month | year
    place: Place | None = None

    @property
    def id(self) -> str:
        """Stable across runs: the article, the evidence span, the trigger and the type."""
        key = f"{self.doc_id}|{self.sentence}|{self.trigger_start}|{self.event_type}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    @property
    def factual(self) -> bool:
        return not ({"negation", "hypothetical"} & set(self.mode))

    def to_record(self) -> dict[str, Any]:
        """The PLOVER JSON record (the fields DESIGN.md lists, plus diurna's own)."""
        record: dict[str, Any] = {
            "id": self.id,
            "doc_id": self.doc_id,
            "date": self.date.isoformat() if self.date else None,
        }
        if self.enddate and self.enddate != self.date:
            record["enddate"] = self.enddate.isoformat()
        record.update(
            {
                "date_source": self.date_source,
                "date_precision": self.date_precision,
                "event": [self.event_type],
                "mode": list(self.mode),
                "context": list(self.context),
                "actor": [e.to_record() for e in self.actor],
                "recipient": [e.to_record() for e in self.recipient],
                "event_loc": self.place.to_record() if self.place else None,
                "event_text": self.event_text,
                "text_info": {
                    "sentence": self.sentence,
                    "start": self.start,
                    "end": self.end,
                    "trigger": self.trigger,
                    "trigger_start": self.trigger_start,
                    "trigger_end": self.trigger_end,
                },
                "quad_code": self.quad_code,
                "cameo": self.cameo,
                "goldstein": self.goldstein,
                "confidence": round(self.confidence, 3),
                "coder": self.coder,
            }
        )
        return record


@dataclass(slots=True)
class Article:
    """A cleaned article and everything the stages learn about it."""

    id: str
    text: str
    title: str = ""
    byline: str = ""
    published: dt.date | None = None
    published_source: str = ""  # input | page | flag | inferred | today
    url: str | None = None
    origin: str = ""
    site: str = ""  # the publishing site's name or host
    language: str = ""  # ISO 639-1, as detected by extract
    dyad: tuple[str, str] | None = None
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    doc: Any = None  # the spaCy Doc over `text`, set by the nlp stage

    @property
    def date_inferred(self) -> bool:
        return self.published_source == "inferred"
