"""The command line: thin commands over library calls. Exit codes: 0 all good, 1 some documents
failed, 2 usage error.

    code      inputs in, PLOVER events out (no database)        cli/coding.py
    extract   inputs in, extracted articles out                  cli/coding.py
    ingest    code inputs into an event database                 cli/store.py
    recode    re-code stored articles with the current coder      cli/store.py
    events, search, show, actors, dyads, export: query it       cli/query.py
    stories   list stories, show one, link an older database    cli/stories.py
    watch     keep a database current from feeds and sitemaps     cli/store.py
    load      read Parquet written by `ingest --engine ray`       cli/scale.py
    serve     the web UI and HTTP API                             cli/web.py
"""
from __future__ import annotations

from .common import cli
from . import coding, query, scale, store, stories, web  # noqa: F401,E402 - registers the commands

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="diurna")
