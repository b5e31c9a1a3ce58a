"""`diurna serve`: the web UI and HTTP API over an event database (uvicorn)."""
from __future__ import annotations

import json
import multiprocessing
import os
import secrets
import signal
import socket
import sys
import threading
import time

import click

from .common import cli, db_option, err, usage_errors

_WORKER_SETTINGS = "DIURNA_SERVE_SETTINGS"  # how `serve(workers=n)` hands its settings to each worker process
WORKER_STARTUP_S = 15.0  # a worker that exits sooner after it was started failed to start: give up


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, *, allow_ingest: bool = False,
          allow_edit: bool = False, token: str | None = None, workers: int = 1) -> None:
    """Serve `db` until interrupted (library entry point of `diurna serve`).

    With `workers` > 1, that many processes serve the port, each with its own app and database
    connections (on Linux each with its own listening socket, see `_supervise`): the API's queries
    and JSON encoding are CPU-bound Python, so one process uses about one core however many
    requests wait.
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
    if sys.platform.startswith("linux"):
        _supervise(workers, host, port)
        return
    uvicorn.run("diurna.cli.web:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning", server_header=False)


def _supervise(workers: int, host: str, port: int) -> None:
    """Run `workers` uvicorn processes, each listening on a socket of its own bound with SO_REUSEPORT,
    until SIGINT or SIGTERM; a worker that dies after it started is started again.

    With uvicorn's own workers all share one socket, and the worker that wakes first accepts a
    burst of new connections alone; keep-alive then holds them there. Sixteen connections opened
    at once all went to one of two workers about one time in four, leaving the other idle. Linux
    spreads the connections of a SO_REUSEPORT group across its sockets instead.
    """
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter: no state copied from this one
    stopping = threading.Event()

    def start() -> tuple[multiprocessing.Process, float]:
        process = spawn.Process(target=_worker, args=(host, port), name="diurna-serve")
        process.start()
        return process, time.monotonic()

    def stop(*_: object) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    running = [start() for _ in range(workers)]
    try:
        while not stopping.is_set():
            for n, (process, started) in enumerate(running):
                if process.is_alive():
                    continue
                if time.monotonic() - started < WORKER_STARTUP_S:
                    raise click.ClickException(f"a server worker failed to start (exit code {process.exitcode}); "
                                               f"is port {port} taken?")
                err.print(f"a server worker stopped (exit code {process.exitcode}); starting another")
                running[n] = start()
            stopping.wait(0.5)
    finally:
        for process, _ in running:
            process.terminate()  # SIGTERM: uvicorn finishes the requests in hand
        for process, _ in running:
            process.join(10)
            if process.is_alive():
                process.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _worker(host: str, port: int) -> None:
    """One server process of `_supervise`: its own listening socket in the port's SO_REUSEPORT group."""
    import uvicorn  # noqa: PLC0415

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    config = uvicorn.Config("diurna.cli.web:app_from_environment", factory=True, log_level="warning",
                            server_header=False)
    uvicorn.Server(config).run(sockets=[sock])


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
