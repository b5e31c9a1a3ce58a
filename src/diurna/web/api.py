"""The JSON API under /api: events, articles, actors, dyads, stats, coding, and the guarded writes.

Read-only unless the server was started with `--allow-ingest` (POST /api/articles) or
`--allow-edit` (POST /api/events/{id}/corrections); both then need the token.

The reads (`@adaptive`) run on the event loop when the same request was cheap in one of its last two
runs, else in a thread (see `diurna.web.runner`); downloads, full-text search, coding and writes
always run in FastAPI's thread pool.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any, Literal

import pydantic_core
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field, field_validator

from .. import query
from ..errors import DiurnaError
from ..ontology import EVENT_TYPES
from ..query import StoredEvent
from ..store import corrections as store_corrections
from ..store.codec import content_hash
from ..store.schema import events as events_table
from . import aggregates, coder, records
from .app import config
from .params import MAX_OFFSET, MAX_PAGE, EventFilters, Order, Period, event_filters
from .records import jsonable
from .runner import adaptive
from .security import check_token

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api")
Id = Annotated[str, Path(min_length=1, max_length=64)]
Filters = Annotated[EventFilters, Depends(event_filters)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
MAX_DOWNLOAD = 100_000


# --- events ------------------------------------------------------------------------------------

@router.get("/events", tags=["events"], summary="Events matching the filters, paged, with the total",
            response_model=dict[str, Any])
@adaptive
def list_events(request: Request, filters: Filters, limit: Limit = 50, offset: Offset = 0,
                order: Order = "-date") -> Response:
    store = config(request).store
    with store.read():  # the page, its total and the corrections from one snapshot
        total, hits = query.page(store, limit=limit, offset=offset, order=order, **filters.query_filters())
        page = {"total": total, "limit": limit, "offset": offset, "order": order,
                "events": records.records(store, hits)}
    # Written as JSON directly: FastAPI would first validate the page against the declared model
    # (any dict), which costs as much as writing it (half a millisecond a page of 50).
    return Response(pydantic_core.to_json(page), media_type="application/json")


def _download(request: Request, filters: EventFilters, limit: int, order: str, fmt: str) -> StreamingResponse:
    store = config(request).store
    hits = query.events(store, limit=limit, order=order, **filters.query_filters())
    if fmt == "csv":
        body, media = records.csv_lines(store, hits), "text/csv; charset=utf-8"
    else:
        body, media = records.jsonl_lines(store, hits), "application/x-ndjson; charset=utf-8"
    name = f"diurna-events.{fmt}"
    return StreamingResponse(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/events.csv", tags=["events"], summary="Download an event query as CSV (with correction columns)",
            response_class=StreamingResponse)
def events_csv(request: Request, filters: Filters, limit: Annotated[int, Query(ge=1, le=MAX_DOWNLOAD)] = MAX_DOWNLOAD,
               order: Order = "date"):
    return _download(request, filters, limit, order, "csv")


@router.get("/events.jsonl", tags=["events"], summary="Download an event query as PLOVER JSON lines",
            response_class=StreamingResponse)
def events_jsonl(request: Request, filters: Filters,
                 limit: Annotated[int, Query(ge=1, le=MAX_DOWNLOAD)] = MAX_DOWNLOAD, order: Order = "date"):
    return _download(request, filters, limit, order, "jsonl")


def find_event(request: Request, event_id: str) -> StoredEvent:
    store = config(request).store
    from sqlalchemy import select  # noqa: PLC0415
    with store.read() as conn:
        article_id = conn.execute(select(events_table.c.article_id)
                                  .where(events_table.c.id == event_id)).scalar()
    if article_id is None:
        raise HTTPException(404, f"no event {event_id!r}")
    for hit in query.events(store, article_id=article_id, include_nonfactual=True):
        if hit.event.id == event_id:
            return hit
    raise HTTPException(404, f"no event {event_id!r}")


@router.get("/events/{event_id}", tags=["events"], summary="One event with its evidence and any correction")
@adaptive
def get_event(request: Request, event_id: Id) -> dict[str, Any]:
    hit = find_event(request, event_id)
    return records.records(config(request).store, [hit])[0]


class CorrectionIn(BaseModel):
    """A person's correction: the event is wrong, or some of its fields are."""

    status: Literal["wrong", "fixed"] = Field(description="wrong: it did not happen as coded; fixed: see the fields")
    event_type: str | None = Field(None, max_length=32, description="The right PLOVER type.")
    actor: str | None = Field(None, max_length=200, description="The right actor (code or name).")
    recipient: str | None = Field(None, max_length=200)
    date: dt.date | None = None
    place: str | None = Field(None, max_length=200)
    note: str = Field("", max_length=2000)
    author: str = Field("", max_length=100)

    @field_validator("event_type")
    @classmethod
    def _plover(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if value.strip().upper() not in EVENT_TYPES:
            raise ValueError(f"not a PLOVER event type; use one of {', '.join(EVENT_TYPES)}")
        return value.strip().upper()

    @field_validator("date")
    @classmethod
    def _plausible(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not EARLIEST <= value <= LATEST:
            raise ValueError("date must be between 1900 and 2100")
        return value


def add_correction(request: Request, event_id: str, body: CorrectionIn, token: str | None = None) -> dict[str, Any]:
    """Store a correction (shared by the API and the article page's form)."""
    web = config(request)
    check_token(request, token, allowed=web.allow_edit, what="edit")
    fields = {k: (v.strip() or None) if isinstance(v, str) else v
              for k, v in body.model_dump().items() if k in store_corrections.FIELDS}
    if body.status == "fixed" and not any(v is not None for v in fields.values()):
        raise HTTPException(422, "a 'fixed' correction needs at least one of: " + ", ".join(store_corrections.FIELDS))
    event = find_event(request, event_id).event
    correction_id = web.store.write(lambda conn: store_corrections.add(
        conn, event_id=event.id, article_id=event.doc_id, sentence=event.sentence,
        trigger_start=event.trigger_start, status=body.status, note=body.note, author=body.author, **fields))
    return {"id": correction_id, "event_id": event_id, "stored": True}


@router.post("/events/{event_id}/corrections", tags=["corrections"], status_code=201,
             summary="Correct an event (needs --allow-edit and the token)",
             responses={401: {"description": "missing or wrong token"}, 403: {"description": "edits disabled"}})
def post_correction(request: Request, event_id: Id, body: CorrectionIn) -> dict[str, Any]:
    return add_correction(request, event_id, body)


@router.get("/events/{event_id}/corrections", tags=["corrections"], summary="An event's corrections, oldest first")
@adaptive
def get_corrections(request: Request, event_id: Id) -> list[dict[str, Any]]:
    with config(request).store.read() as conn:
        return store_corrections.history(conn, event_id)


# --- articles ----------------------------------------------------------------------------------

@router.get("/articles", tags=["articles"], summary="Articles, newest first, or full-text search with snippets")
def list_articles(request: Request, q: Annotated[str | None, Query(max_length=200)] = None,
                  since: dt.date | None = None, until: dt.date | None = None, limit: Limit = 20,
                  offset: Offset = 0) -> dict[str, Any]:
    """With `q`: the matching articles, best first (on SQLite, words found in more than 500
    articles are ranked among the 500 stored last), each with a snippet around the match."""
    store = config(request).store
    if q and q.strip():
        found = query.search(store, q, limit=limit, offset=offset)
    else:
        found = query.articles_list(store, since=since, until=until, limit=limit, offset=offset)
    return {"limit": limit, "offset": offset, "q": q, "articles": [jsonable(a) for a in found]}


def article_payload(request: Request, article_id: str) -> dict[str, Any]:
    store = config(request).store
    with store.read():
        shown = query.show(store, article_id)
        if shown is None:
            raise HTTPException(404, f"no article {article_id!r}")
        article = jsonable({k: v for k, v in shown.article.items() if k not in ("search", "content_hash")})
        return {"article": article, "sentences": shown.sentences, "events": records.records(store, shown.events)}


@router.get("/articles/{article_id}", tags=["articles"],
            summary="One article: text, metadata, sentences, and its events with their evidence offsets")
@adaptive
def get_article(request: Request, article_id: Id) -> dict[str, Any]:
    return article_payload(request, article_id)


class ArticleIn(BaseModel):
    """An article to code and store."""

    text: str = Field(min_length=1, max_length=100_000, description="Plain text, or HTML with html=true.")
    html: bool = False
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=500)
    published: dt.date | None = Field(None, ge=EARLIEST, le=LATEST)


@router.post("/articles", tags=["articles"], status_code=201,
             summary="Code and store an article (needs --allow-ingest and the token)",
             responses={401: {"description": "missing or wrong token"}, 403: {"description": "ingest disabled"}})
def post_article(request: Request, body: ArticleIn) -> dict[str, Any]:
    web = config(request)
    check_token(request, None, allowed=web.allow_ingest, what="ingest")
    article, coder_name = _code(body.text, body.html, body.published, url=body.url, title=body.title)
    stored = web.store.add(article, article.events, coder=coder_name)
    stored_id = web.store.article_id(url=article.url, content_hash=content_hash(article.text))
    return {"id": stored_id, "stored": stored, "events": len(article.events) if stored else None}


# --- coding ------------------------------------------------------------------------------------

class CodeIn(BaseModel):
    """Text (or HTML) to code without storing it."""

    text: str = Field(min_length=1, max_length=100_000)
    html: bool = False
    published: dt.date | None = Field(None, ge=EARLIEST, le=LATEST, description="Publication date, YYYY-MM-DD.")


def _code(text: str, html: bool, published: dt.date | None, **meta):
    try:
        return coder.code(text, html=html, published=published, **meta)
    except DiurnaError as exc:
        raise HTTPException(422, f"cannot code this text: {exc}") from exc
    except Exception as exc:  # a crash on odd input is the input's 4xx here; the log keeps the trace
        log.exception("coding failed")
        raise HTTPException(422, f"cannot code this text ({type(exc).__name__})") from exc


def code_payload(text: str, html: bool, published: dt.date | None) -> dict[str, Any]:
    article, coder_name = _code(text, html, published)
    return {"text": article.text, "title": article.title,
            "published": article.published.isoformat() if article.published else None, "coder": coder_name,
            "events": [records.event_record(e) for e in article.events]}


@router.post("/code", tags=["coding"], summary="Code a pasted text or HTML, storing nothing (size-capped)")
def post_code(body: CodeIn) -> dict[str, Any]:
    return code_payload(body.text, body.html, body.published)


# --- aggregates --------------------------------------------------------------------------------

@router.get("/actors", tags=["aggregates"], summary="Actors by number of events, as actor and as recipient")
@adaptive
def get_actors(request: Request, filters: Filters, limit: Limit = 100) -> list[dict[str, Any]]:
    return query.actors(config(request).store, **filters.query_filters())[:limit]


@router.get("/dyads", tags=["aggregates"], summary="Event counts and net Goldstein per actor-recipient pair and period")
@adaptive
def get_dyads(request: Request, filters: Filters, period: Period = "month") -> list[dict[str, Any]]:
    return query.dyads(config(request).store, period=period, **filters.query_filters())


@router.get("/timeline", tags=["aggregates"], summary="Events per period by quad class, with net Goldstein")
@adaptive
def get_timeline(request: Request, filters: Filters, period: Period = "month") -> list[dict[str, Any]]:
    return aggregates.timeline(config(request).store, period=period, **filters.query_filters())


@router.get("/countries", tags=["aggregates"], summary="Events per country (place, else actor) by quad class")
@adaptive
def get_countries(request: Request, filters: Filters) -> list[dict[str, Any]]:
    return aggregates.countries(config(request).store, **filters.query_filters())


@router.get("/network", tags=["aggregates"], summary="Actors as nodes, dyads as edges with counts and net Goldstein")
@adaptive
def get_network(request: Request, filters: Filters) -> dict[str, Any]:
    return aggregates.network(config(request).store, **filters.query_filters())


@router.get("/stats", tags=["aggregates"], summary="Table counts, events per type and quad, date span")
@adaptive
def get_stats(request: Request) -> dict[str, Any]:
    return jsonable(query.stats(config(request).store))

