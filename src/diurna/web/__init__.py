"""See it: a web UI and an HTTP API over the event database (FastAPI, server-rendered pages).

    >>> from diurna.web import create_app
    >>> app = create_app("diurna.db")                    # read-only
    >>> app = create_app("diurna.db", allow_edit=True, token="s3cret")

Modules: `app` (the application, settings, errors), `security` (headers, tokens, body caps),
`params` (query parameters shared by the API and the pages), `records` (events as JSON, with
corrections), `aggregates` (timelines, map, network), `highlight` (text with marked spans),
`coder` (coding pasted text), `api` (the JSON API), `pages` (the HTML pages).
"""
from __future__ import annotations

from .app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
