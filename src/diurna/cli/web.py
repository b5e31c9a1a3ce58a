"""`diurna serve`: the web UI and HTTP API over an event database (uvicorn)."""
from __future__ import annotations

import json
import os
import secrets

import click

from .common import cli, db_option, err, usage_errors

_WORKER_SETTINGS = "DIURNA_SERVE_SETTINGS"  # how `serve(workers=n)` hands its settings to each worker process


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, *, allow_ingest: bool = False,
          allow_edit: bool = False, token: str | None = None, workers: int = 1) -> None:
    """Serve `db` until interrupted (library entry point of `diurna serve`).

    With `workers` > 1, uvicorn runs that many processes, each with its own app and database
    connections, sharing the port: the API's queries and JSON encoding are CPU-bound Python, so
    one process uses about one core however many requests wait.
    """
    import uvicorn  # noqa: PLC0415 - only the serve command needs the web stack

    from ..store import Store  # noqa: PLC0415
    from ..web import create_app  # noqa: PLC0415

    if workers <= 1:
        app = create_app(db, allow_ingest=allow_ingest, allow_edit=allow_edit, token=token)
        if app.state.web.writable and not token:
            err.print(f"write endpoints on; token: [bold]{app.state.web.token}[/bold]")
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
        return
    if (allow_ingest or allow_edit) and not token:  # one token for every worker
        token = secrets.token_urlsafe(24)
        err.print(f"write endpoints on; token: [bold]{token}[/bold]")
    Store.open(db).close()  # create or migrate the database once, here, not in each worker at once
    os.environ[_WORKER_SETTINGS] = json.dumps({"db": os.fspath(db), "allow_ingest": allow_ingest,
                                               "allow_edit": allow_edit, "token": token})
    uvicorn.run("diurna.cli.web:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning", server_header=False)


def app_from_environment():
    """The app of one worker process of `serve(workers=n)` (uvicorn imports it by name)."""
    from ..web import create_app  # noqa: PLC0415

    return create_app(**json.loads(os.environ[_WORKER_SETTINGS]))


@cli.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes (about one CPU core each).")
@click.option("--allow-ingest", is_flag=True, help="Enable POST /api/articles (needs the token).")
@click.option("--allow-edit", is_flag=True, help="Enable corrections of events (needs the token).")
@click.option("--token", envvar="DIURNA_TOKEN", help="Token for write endpoints (made up and printed if not given).")
@usage_errors
def serve_cli(db, host, port, workers, allow_ingest, allow_edit, token) -> None:
    """Serve the web UI and the HTTP API (read-only unless --allow-ingest / --allow-edit)."""
    click.echo(f"diurna serving {db} at http://{host}:{port}/ (API docs at /docs)", err=True)
    serve(db, host, port, allow_ingest=allow_ingest, allow_edit=allow_edit, token=token, workers=workers)
