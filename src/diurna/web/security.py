"""Security for every response and every write: headers, a body-size cap, the write token.

- Headers: a Content-Security-Policy that lets pages load only what this app serves (no inline
  script, no CDN), and the usual nosniff / frame / referrer / opener headers.
- Bodies larger than the cap are refused with 413 before they are read in full.
- Write endpoints exist only when the server was started with `--allow-ingest` or `--allow-edit`,
  and each needs the token (an `Authorization: Bearer` header, or a form field on the pages),
  compared in constant time.
"""
from __future__ import annotations

import hmac

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
# Swagger UI at /docs sets style attributes from its script.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",
    b"cross-origin-opener-policy": b"same-origin",
    b"cross-origin-resource-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class SecurityHeaders:
    """Adds the CSP and the standard security headers to every HTTP response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = (DOCS_CSP if scope.get("path") == "/docs" else CSP).encode()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in HEADERS]
                headers += list(HEADERS.items()) + [(b"content-security-policy", csp)]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuses request bodies over `max_bytes` with 413 (by Content-Length, and while streaming)."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _too_large(send, self.max_bytes)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, f"request body over {self.max_bytes} bytes")
            return message

        await self.app(scope, counted, send)


async def _too_large(send: Send, limit: int) -> None:
    body = f'{{"detail":"request body over {limit} bytes"}}'.encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
                + list(HEADERS.items()) + [(b"content-security-policy", CSP.encode())]})
    await send({"type": "http.response.body", "body": body})


def check_token(request: Request, given: str | None, *, allowed: bool, what: str) -> None:
    """Raise 403 when writes of this kind are off, 401 when the token is missing or wrong."""
    config = request.app.state.web
    if not allowed:
        raise HTTPException(403, f"{what} is disabled: start the server with --allow-{what}")
    if given is None:
        header = request.headers.get("authorization", "")
        given = header[7:].strip() if header.lower().startswith("bearer ") else None
    if not given or not config.token or not hmac.compare_digest(given.encode(), config.token.encode()):
        raise HTTPException(401, "a valid token is required (Authorization: Bearer <token>)",
                            headers={"WWW-Authenticate": "Bearer"})
