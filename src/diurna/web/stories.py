"""Stories on the web: `GET /api/stories` (paged, filtered), `GET /api/stories/{id}` (its articles,
its unique events with their mention counts, a timeline), and the pages `/stories` and `/stories/{id}`.

The story page lists the story's articles and its unique events, and draws them on a timeline
(ECharts, from the page's `application/json` block: no inline script). Everything shown is text,
autoescaped by Jinja.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse

from .. import stories as story_stage
from .app import config
from .params import MAX_OFFSET, MAX_PAGE, parse_date
from .records import jsonable

api = APIRouter(prefix="/api", tags=["stories"])
pages = APIRouter(include_in_schema=False)
Id = Annotated[str, Path(min_length=1, max_length=64)]
PAGE = 50


def _filters(since: str | None, until: str | None, q: str | None, country: str | None) -> dict[str, Any]:
    found = {"since": parse_date(since, "since"), "until": parse_date(until, "until"),
             "q": (q or "").strip() or None, "country": (country or "").strip().upper() or None}
    return {k: v for k, v in found.items() if v is not None}



def list_stories(request: Request, *, since: str | None = None, until: str | None = None, q: str | None = None,
                 country: str | None = None, limit: int = PAGE, offset: int = 0) -> dict[str, Any]:
    store = config(request).store
    spec = _filters(since, until, q, country)
    found = story_stage.stories(store, limit=limit, offset=offset, **spec)
    return {"total": story_stage.count_stories(store, **spec), "limit": limit, "offset": offset,
            "stories": jsonable(found)}


def story_payload(request: Request, story_id: str) -> dict[str, Any]:
    found = story_stage.story(config(request).store, story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return jsonable(found)


Since = Annotated[str | None, Query(max_length=10, description="Stories still running on or after (YYYY-MM-DD).")]
Until = Annotated[str | None, Query(max_length=10, description="Stories begun on or before (YYYY-MM-DD).")]
Words = Annotated[str | None, Query(max_length=200, description="Words in the story's title.")]
Country = Annotated[str | None, Query(max_length=16, description="A unique event's actor, recipient or place (PAK).")]


@api.get("/stories", summary="Stories, latest first, with their article and unique-event counts, paged")
def get_stories(request: Request, since: Since = None, until: Until = None, q: Words = None, country: Country = None,
                limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE,
                offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> dict[str, Any]:
    return list_stories(request, since=since, until=until, q=q, country=country, limit=limit, offset=offset)


@api.get("/stories/{story_id}", summary="One story: its articles, its unique events (with mention counts) "
                                        "by date, and a timeline of events and articles a day")
def get_story(request: Request, story_id: Id) -> dict[str, Any]:
    return story_payload(request, story_id)


@pages.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, since: Since = None, until: Until = None, q: Words = None, country: Country = None,
                 offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0):
    from .pages import _link, render  # noqa: PLC0415 - pages imports the app's routers

    found = list_stories(request, since=since, until=until, q=q, country=country, limit=PAGE, offset=offset)
    pairs = [(k, v) for k, v in (("since", since), ("until", until), ("q", q), ("country", country)) if v]
    return render(request, "stories.html", stories=found["stories"], total=found["total"], offset=offset,
                  page_size=PAGE, since=since or "", until=until or "", q=q or "", country=country or "",
                  link=lambda **extra: _link("/stories", pairs, **extra))


@pages.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: Id):
    from .pages import render  # noqa: PLC0415

    found = story_payload(request, story_id)
    return render(request, "story.html", story=found["story"], articles=found["articles"], events=found["events"],
                  timeline=found["timeline"], events_chart=_chart_points(found["events"]))


def _chart_points(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The timeline's points: one a unique event, sized by its mentions (labels are text, never HTML)."""
    def codes(side: list[dict[str, Any]]) -> str:
        return ",".join(e.get("code") or "?" for e in side) or "?"

    return [{"date": e["date"], "mentions": e["mentions"], "quad": e.get("quad_code"), "id": e["unique_id"],
             "label": f"{e['event'][0]} {codes(e['actor'])} → {codes(e['recipient'])}"}
            for e in events if e.get("date")]
