"""The FastAPI application: settings, the store it reads, error handling, static files.

Errors: a diurna error caused by a request's parameters (a bad date, an unknown order) is a 400 with
its message; FastAPI's own validation answers 422; an unknown id is a 404. Nothing a client sends
should reach a 500.
"""
from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__, settings
from ..errors import DiurnaError
from ..store import Store
from ..store.errors import QueryError
from . import security

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
MAX_CODE_CHARS = 100_000  # POST /api/code and /try: about 15,000 words, well over a long article
MAX_BODY_BYTES = 1_000_000  # any request body, before it is parsed


@dataclass(slots=True)
class WebConfig:
    """What one running app serves, and what it lets clients change."""

    store: Store
    db: str
    allow_ingest: bool = False
    allow_edit: bool = False
    token: str | None = None  # required by every write endpoint
    max_code_chars: int = MAX_CODE_CHARS
    extra: dict = field(default_factory=dict)

    @property
    def writable(self) -> bool:
        return self.allow_ingest or self.allow_edit


def create_app(db: str | os.PathLike = "diurna.db", *, allow_ingest: bool = False, allow_edit: bool = False,
               token: str | None = None, max_code_chars: int = MAX_CODE_CHARS) -> FastAPI:
    """The app over the database at `db` (a path or URL). Writes need `allow_*` and the token.

    With a write endpoint allowed and no token given, one is made up: read it from
    `app.state.web.token` (`diurna serve` prints it).
    """
    store = Store.open(db)
    store.lag_s = settings.serve_lag()  # totals may trail another process's writes (an ingest) this long
    if (allow_ingest or allow_edit) and not token:
        token = secrets.token_urlsafe(24)
    config = WebConfig(store=store, db=os.fspath(db), allow_ingest=allow_ingest, allow_edit=allow_edit,
                       token=token, max_code_chars=max_code_chars)
    app = FastAPI(title="diurna", version=__version__, docs_url=None, redoc_url=None,
                  description="Events coded from the news in the PLOVER ontology: who did what to whom, "
                              "when and where, with the sentence that says so. Read-only unless the "
                              "server was started with --allow-ingest or --allow-edit.")
    app.state.web = config
    app.add_middleware(security.SecurityHeaders)
    app.add_middleware(security.BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _errors(app)
    from . import api, pages, stories  # noqa: PLC0415 - routes import this module's helpers
    app.include_router(api.router)
    app.include_router(stories.api)
    app.include_router(pages.router)
    app.include_router(stories.pages)
    app.router.on_startup.append(_limit_threads)
    app.router.on_startup.append(_freeze_heap)
    app.router.on_shutdown.append(store.close)
    return app


def _limit_threads() -> None:
    """Run at most `settings.serve_threads()` threaded handlers at once in this process.

    The handlers in threads (all but the cheap reads, see `diurna.web.runner`) are Python bound
    (the GIL lets one run at a time), so forty threads, anyio's default, only take turns: each
    request then waits for all the others, and the switching costs CPU of its own. A few threads
    keep a slow one from stalling the rest.
    """
    import anyio.to_thread  # noqa: PLC0415

    anyio.to_thread.current_default_thread_limiter().total_tokens = settings.serve_threads()


def _freeze_heap() -> None:
    """Keep what the process has loaded by now (the web stack, SQLAlchemy's tables, the app) out
    of the garbage collector's full passes: it lives as long as the process. A full pass over it
    stopped a worker for 130-180 ms every few seconds under load, which was most of the slowest
    requests' wait; it now takes about 2 ms (benchmarks/api.py, gc callbacks)."""
    import gc  # noqa: PLC0415

    gc.collect()  # what is garbage already is not kept for ever
    gc.freeze()


def config(request: Request) -> WebConfig:
    return request.app.state.web


def _errors(app: FastAPI) -> None:
    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")

    @app.exception_handler(QueryError)
    @app.exception_handler(DiurnaError)
    async def bad_request(request: Request, exc: DiurnaError):
        if wants_html(request):
            from .pages import error_page  # noqa: PLC0415
            return error_page(request, 400, str(exc))
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        if wants_html(request):
            from .pages import error_page  # noqa: PLC0415
            message = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in errors)
            return error_page(request, 422, message)
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if wants_html(request):
            from .pages import error_page  # noqa: PLC0415
            return error_page(request, exc.status_code, str(exc.detail))
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
