"""`diurna serve --workers N`: N processes, each with a listening socket of its own (Linux)."""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from diurna.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not sys.platform.startswith("linux"),
                                                   reason="SO_REUSEPORT groups are spread by Linux")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "diurna.cli", "serve", "--db", str(db), "--port", str(port),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def listening(port: int) -> int:
    """Sockets listening on 127.0.0.1:`port`, from /proc/net/tcp (state 0A is LISTEN)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for row in rows if row.split()[1] == f"0100007F:{port:04X}" and row.split()[3] == "0A")


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_each_worker_listens_on_its_own_socket_and_stops_with_the_server(tmp_path):
    db = tmp_path / "s.db"
    Store.open(db).close()
    port = free_port()
    server = serve(db, port)
    try:
        deadline = time.monotonic() + 120  # two interpreters import the web stack
        while listening(port) < 2 and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert listening(port) == 2, server.stderr.read() if server.poll() is not None else "not listening"
        answers = [httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=30) for _ in range(4)]
        assert all(a.status_code == 200 for a in answers)
        workers = children(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(60) == 0
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists() and
                "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
    assert listening(port) == 0


def test_a_taken_port_is_a_clear_error_not_a_restart_loop(tmp_path):
    db = tmp_path / "s.db"
    Store.open(db).close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = serve(db, taken.getsockname()[1])
        _, stderr = server.communicate(timeout=120)
    assert server.returncode != 0 and "failed to start" in stderr and "taken" in stderr
