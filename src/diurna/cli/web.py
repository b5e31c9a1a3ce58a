"""`diurna serve`: the web UI and HTTP API over an event database (uvicorn)."""
from __future__ import annotations

import click

from .common import cli, db_option, err, usage_errors


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, *, allow_ingest: bool = False,
          allow_edit: bool = False, token: str | None = None) -> None:
    """Serve `db` until interrupted (library entry point of `diurna serve`)."""
    import uvicorn  # noqa: PLC0415 - only the serve command needs the web stack

    from ..web import create_app  # noqa: PLC0415

    app = create_app(db, allow_ingest=allow_ingest, allow_edit=allow_edit, token=token)
    if app.state.web.writable and not token:
        err.print(f"write endpoints on; token: [bold]{app.state.web.token}[/bold]")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


@cli.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--allow-ingest", is_flag=True, help="Enable POST /api/articles (needs the token).")
@click.option("--allow-edit", is_flag=True, help="Enable corrections of events (needs the token).")
@click.option("--token", envvar="DIURNA_TOKEN", help="Token for write endpoints (made up and printed if not given).")
@usage_errors
def serve_cli(db, host, port, allow_ingest, allow_edit, token) -> None:
    """Serve the web UI and the HTTP API (read-only unless --allow-ingest / --allow-edit)."""
    click.echo(f"diurna serving {db} at http://{host}:{port}/ (API docs at /docs)", err=True)
    serve(db, host, port, allow_ingest=allow_ingest, allow_edit=allow_edit, token=token)
