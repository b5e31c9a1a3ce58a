"""A lean HTTP/1.1 load generator for the benchmarks: asyncio streams, keep-alive, GET only.

On a 2-core machine the load tool shares the cores with the server it measures. httpx spends about
5 ms of CPU a request (measured against `diurna serve` on 127.0.0.1), as much as the server spends
answering a cached one, so it slowed the server it was timing; this client spends a few hundred
microseconds, as wrk would, and needs nothing beyond the standard library. It reads what uvicorn
sends: a status line, headers, then a Content-Length body or a chunked one.
"""
from __future__ import annotations

import asyncio
from urllib.parse import urlsplit


class Connection:
    """One keep-alive connection to `base` ("http://host:port"), reopened when the server closes it."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, timeout: float = 30) -> tuple[int, bytes]:
        """(status, body) of GET `path`; raises OSError or asyncio.TimeoutError on failure."""
        return await asyncio.wait_for(self._get(path), timeout)

    async def _get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        request = f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: */*\r\n\r\n"
        try:
            self.writer.write(request.encode("ascii"))
            head = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError) as exc:
            self.close()
            raise ConnectionError("the server closed the connection") from exc
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    async def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")  # no trailers from uvicorn: the final empty line
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Pool:
    """Connections handed out one request at a time, opened as needed (at most one per request in flight)."""

    def __init__(self, base: str):
        self.base = base
        self.idle: list[Connection] = []

    async def get(self, path: str, timeout: float = 30) -> tuple[int, bytes]:
        reused = bool(self.idle)
        connection = self.idle.pop() if reused else Connection(self.base)
        try:
            result = await connection.get(path, timeout)
        except ConnectionError:
            connection.close()
            if not reused:
                raise
            # the server closed an idle keep-alive connection (uvicorn does after 5 s) before this
            # request reached it: a GET is safe to send again, on a new connection, as browsers do
            connection = Connection(self.base)
            try:
                result = await connection.get(path, timeout)
            except BaseException:
                connection.close()
                raise
        except BaseException:
            connection.close()
            raise
        self.idle.append(connection)
        return result

    def close(self) -> None:
        for connection in self.idle:
            connection.close()
        self.idle.clear()
