"""The HTML pages: server-rendered with Jinja2 (autoescaped), charts drawn by ECharts in the
browser from JSON the page carries (a non-executable `application/json` block, no inline script).

The pages that only read (`@adaptive`) run on the event loop when the same request was cheap in one
of its last two runs, else in a thread (see `diurna.web.runner`).
"""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from .. import query, stories
from ..ontology import EVENT_TYPES
from . import aggregates, api, highlight, records
from .app import config
from .params import MAX_OFFSET, QUAD_NAMES, EventFilters, Order, event_filters
from .runner import adaptive

HERE = Path(__file__).parent
# Autoescape everything: article text, titles and whatever a user typed are only ever text.
templates = Jinja2Templates(env=jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                                                   autoescape=True))
router = APIRouter(include_in_schema=False)
Filters = Annotated[EventFilters, Depends(event_filters)]
PAGE = 50
DYAD_LIST = PAGE  # a dyad page lists its latest events; its timeline and totals count them all
QUAD_COLOURS = {1: "#74add1", 2: "#4575b4", 3: "#f46d43", 4: "#d73027"}
templates.env.globals.update(quad_names=QUAD_NAMES, quad_colours=QUAD_COLOURS)


# PLOVER's codes that stand where a country goes (the map and the network name them too)
NON_STATE_NAMES = {"UNO": "United Nations", "EUR": "European Union", "IGO": "Intergovernmental bodies",
                   "NGO": "Non-governmental organisations", "IMG": "International militant groups",
                   "MNC": "Multinational companies"}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    data = json.loads((HERE.parent / "data" / "countries.json").read_text(encoding="utf-8"))
    return {c["code"]: c["name"] for c in data} | NON_STATE_NAMES


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    web = config(request)
    context.update(request=request, page=name.removesuffix(".html"), quad_names=QUAD_NAMES,
                   quad_colours=QUAD_COLOURS, allow_edit=web.allow_edit, country_names=country_names())
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, status=status, message=message)


def _link(path: str, pairs: list[tuple[str, str]], **extra: Any) -> str:
    pairs = [(k, v) for k, v in pairs if k not in extra] + [(k, str(v)) for k, v in extra.items() if v is not None]
    return path + ("?" + urlencode(pairs) if pairs else "")


# --- overview, events, articles -----------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
@adaptive
def overview(request: Request):
    store = config(request).store
    top_dyads: dict[tuple[str, str], dict[str, Any]] = {}
    with store.read():  # one snapshot, one connection for the five questions
        for row in query.dyads(store, period="year"):
            pair = top_dyads.setdefault((row["actor"], row["recipient"]), {
                "actor": row["actor"], "recipient": row["recipient"], "events": 0, "goldstein": 0.0})
            pair["events"] += row["events"]
            pair["goldstein"] = round(pair["goldstein"] + row["goldstein"], 2)
        found = {"stats": query.stats(store), "timeline": aggregates.timeline(store, period="month"),
                 "actors": query.actors(store)[:10], "articles": query.articles_list(store, limit=10)}
    return render(request, "overview.html", dyads=sorted(top_dyads.values(), key=lambda d: -d["events"])[:10],
                  **found)


@router.get("/events", response_class=HTMLResponse)
@adaptive
def events_page(request: Request, filters: Filters, order: Order = "-date",
                offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0):
    store = config(request).store
    with store.read():
        total, hits = query.page(store, limit=PAGE, offset=offset, order=order, **filters.query_filters())
        found = records.records(store, hits)
    pairs = filters.query_string()
    return render(request, "events.html", filters=filters, order=order, offset=offset, page_size=PAGE,
                  total=total, events=found,
                  event_types=EVENT_TYPES, pairs=pairs,
                  link=lambda **extra: _link("/events", pairs + [("order", order)], **extra),
                  download=lambda fmt: _link(f"/api/events.{fmt}", pairs + [("order", order)]))


@router.get("/articles", response_class=HTMLResponse)
def articles_page(request: Request, q: Annotated[str | None, Query(max_length=200)] = None,
                  offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0):
    found = api.list_articles(request, q=q, since=None, until=None, limit=PAGE, offset=offset)
    return render(request, "articles.html", q=q or "", articles=found["articles"], offset=offset, page_size=PAGE)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
@adaptive
def article_page(request: Request, article_id: Annotated[str, api.Path(min_length=1, max_length=64)],
                 event: Annotated[str | None, Query(max_length=64)] = None):
    payload = api.article_payload(request, article_id)
    text = payload["article"]["text"]
    return render(request, "article.html", article=payload["article"], events=payload["events"], focus=event,
                  story_id=stories.story_of(config(request).store, payload["article"]["id"]),
                  segments=highlight.segments(text, highlight.event_spans(payload["events"], event)),
                  event_types=EVENT_TYPES, saved=request.query_params.get("saved"))


@router.post("/articles/{article_id}/corrections", response_class=HTMLResponse)
def correction_form(request: Request, article_id: Annotated[str, api.Path(max_length=64)],
                    event_id: Annotated[str, Form(max_length=64)], token: Annotated[str, Form(max_length=200)],
                    status: Annotated[str, Form(max_length=16)] = "fixed",
                    event_type: Annotated[str, Form(max_length=32)] = "",
                    actor: Annotated[str, Form(max_length=200)] = "",
                    recipient: Annotated[str, Form(max_length=200)] = "",
                    date: Annotated[str, Form(max_length=10)] = "",
                    place: Annotated[str, Form(max_length=200)] = "",
                    note: Annotated[str, Form(max_length=2000)] = ""):
    from pydantic import ValidationError  # noqa: PLC0415
    try:
        body = api.CorrectionIn(status=status, event_type=event_type or None, actor=actor or None,
                                recipient=recipient or None, date=date or None, place=place or None, note=note)
    except ValidationError as exc:
        raise HTTPException(422, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from exc
    api.add_correction(request, event_id, body, token=token)
    return RedirectResponse(_link(f"/articles/{article_id}", [], event=event_id, saved=1) + f"#e-{event_id}",
                            status_code=303)


# --- dyads, network, map ------------------------------------------------------------------------

@router.get("/dyads", response_class=HTMLResponse)
@adaptive
def dyads_page(request: Request, a: Annotated[str | None, Query(max_length=64)] = None,
               b: Annotated[str | None, Query(max_length=64)] = None,
               period: Annotated[str, Query(pattern="^(day|month|year)$")] = "month",
               include_nonfactual: bool = False):
    store = config(request).store
    with store.read():  # one snapshot, one connection for the several questions
        return _dyads_page(request, store, a, b, period, include_nonfactual)


def _dyads_page(request: Request, store, a: str | None, b: str | None, period: str, include_nonfactual: bool):
    a, b = (a or "").strip().upper() or None, (b or "").strip().upper() or None
    choices = query.actor_codes(store)
    timeline: list[dict[str, Any]] = []
    found: list[dict[str, Any]] = []
    total = goldstein = 0
    if a and b:
        extra = {"include_nonfactual": True} if include_nonfactual else {}
        timeline = aggregates.dyad_timeline(store, a, b, period, **extra)
        total, goldstein = sum(r["events"] for r in timeline), round(sum(r["goldstein"] for r in timeline), 2)
        hits = (query.events(store, actor=a, recipient=b, limit=DYAD_LIST, order="-date", **extra)
                + query.events(store, actor=b, recipient=a, limit=DYAD_LIST, order="-date", **extra))
        unique = {h.event.id: h for h in hits}
        latest = sorted(unique.values(), key=lambda h: (h.event.date or dt.date.min, h.event.id), reverse=True)
        found = records.records(store, latest[:DYAD_LIST])
    return render(request, "dyads.html", a=a, b=b, period=period, choices=choices, events=found,
                  timeline=timeline, total=total, goldstein=goldstein, include_nonfactual=include_nonfactual)


@router.get("/network", response_class=HTMLResponse)
@adaptive
def network_page(request: Request, filters: Filters):
    store = config(request).store
    return render(request, "network.html", filters=filters,
                  graph=aggregates.network(store, **filters.query_filters()))


@router.get("/map", response_class=HTMLResponse)
@adaptive
def map_page(request: Request, filters: Filters):
    store = config(request).store
    return render(request, "map.html", filters=filters, event_types=EVENT_TYPES,
                  countries=aggregates.countries(store, **filters.query_filters()))


# --- try it -------------------------------------------------------------------------------------

@router.get("/try", response_class=HTMLResponse)
def try_page(request: Request):
    return render(request, "try.html", text="", result=None, published="", html=False)


@router.post("/try", response_class=HTMLResponse)
def try_post(request: Request, text: Annotated[str, Form(min_length=1, max_length=100_000)],
             published: Annotated[str, Form(max_length=10)] = "", html: Annotated[bool, Form()] = False):
    day = None
    if published.strip():
        try:
            day = dt.date.fromisoformat(published.strip())
        except ValueError:
            raise HTTPException(422, "published must be a date, YYYY-MM-DD") from None
        if not api.EARLIEST <= day <= api.LATEST:
            raise HTTPException(422, "published must be between 1900 and 2100")
    try:
        result = api.code_payload(text, html, day)
    except HTTPException as exc:
        return render(request, "try.html", status_code=exc.status_code, text=text, published=published, html=html,
                      result=None, error=exc.detail)
    return render(request, "try.html", text=text, published=published, html=html, result=result,
                  segments=highlight.segments(result["text"], highlight.event_spans(result["events"])))


# --- API docs, served from the app ------------------------------------------------------------

@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request):
    return templates.TemplateResponse(request, "docs.html", {"request": request})
