"""Fetch one URL from the open web, safely: the only place diurna talks to the network.

    with Fetcher() as fetcher:
        result = fetcher.fetch("https://news.example/story")   # FetchResult, or a FetchError
    fetch("https://news.example/story")                        # the same, one request, no reuse

What it promises, whatever the page or the network does:
- only `http` and `https`, on the first URL and on every redirect (followed by hand, each hop
  checked again, at most `max_redirects`);
- no private, loopback, link-local, multicast, reserved, shared or unspecified address, unless
  allowed: the host is resolved once, every address it resolves to is checked, and the connection
  is made to the checked address (Host header and TLS SNI/certificate keep the name), so a DNS
  answer that changes between check and connect (DNS rebinding) changes nothing;
- a connect timeout, a read timeout for every read, and a total deadline for the whole fetch
  (headers included, so a server trickling bytes cannot hold it);
- a size cap on the *decoded* body, enforced while streaming: a huge body or a gzip bomb stops at
  the cap, never read whole;
- robots.txt fetched once per site (cached for a day) and obeyed, unless told otherwise;
- conditional requests (`etag`, `last_modified`) with 304 reported as `status == 304`.

Errors (all are `DiurnaError`s; nothing else escapes `fetch`):

    FetchError                      .url: the URL asked for
    ├── BlockedError                refused before a byte was sent to that address
    │   ├── InvalidURLError         not a URL, or no host
    │   ├── UnsupportedSchemeError  not http/https (file:, ftp:, data:, javascript: ...)
    │   ├── PrivateAddressError     the host resolves to an address that is not public
    │   └── RobotsDisallowedError   the site's robots.txt disallows it
    ├── TooLargeError               the body (decoded) is over the size cap
    ├── TooManyRedirectsError
    ├── FetchTimeoutError           connect or read timeout, or the total deadline
    ├── FetchConnectionError        DNS failure, refused, reset, TLS failure
    ├── HTTPStatusError             4xx/5xx; .status and .retry_after (seconds, or None)
    └── BadResponseError            malformed HTTP, broken compression, a redirect with no Location

A `Fetcher` keeps connections and the robots.txt cache between calls; it is not thread-safe
(use one per thread). Its address policy is fixed when it is made, so a connection kept alive
under one policy is never reused under another.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import ipaddress
import logging
import socket
import ssl
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import httpcore
import httpx

from . import __version__, settings
from .errors import DiurnaError

__all__ = [
    "fetch", "Fetcher", "FetchResult", "Fetches", "ContentDecoder", "address_problem",
    "USER_AGENT", "ROBOTS_TOKEN",
    "FetchError", "BlockedError", "InvalidURLError", "UnsupportedSchemeError", "PrivateAddressError",
    "RobotsDisallowedError", "TooLargeError", "TooManyRedirectsError", "FetchTimeoutError",
    "FetchConnectionError", "HTTPStatusError", "BadResponseError",
]

log = logging.getLogger(__name__)

ROBOTS_TOKEN = "diurna"  # the name robots.txt rules address (User-agent: diurna)
USER_AGENT = (f"Mozilla/5.0 (compatible; {ROBOTS_TOKEN}/{__version__}; "
              "news event coder; +https://github.com/diurna)")
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
SCHEMES = ("http", "https")
REDIRECTS = (301, 302, 303, 307, 308)

DEFAULT_TIMEOUT = 20.0  # seconds for each read or write
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_DEADLINE = 60.0  # seconds for the whole fetch, redirects included
DEFAULT_MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512_000  # RFC 9309 asks crawlers to read at least 500 KiB
ROBOTS_TTL = 24 * 3600.0  # RFC 9309: a cached robots.txt should not be used for more than a day
ROBOTS_RETRY = 3600.0  # an unreachable robots.txt is asked again after an hour
_CHUNK = 65_536


# --------------------------------------------------------------------------------------------
# Errors


class FetchError(DiurnaError):
    """A URL could not be fetched; the message says why."""

    def __init__(self, message: str, url: str | None = None):
        super().__init__(message)
        self.url = url


class BlockedError(FetchError):
    """Refused before anything was sent to the address."""


class InvalidURLError(BlockedError):
    """Not a URL diurna can fetch."""


class UnsupportedSchemeError(BlockedError):
    """Only http and https are ever fetched."""


class PrivateAddressError(BlockedError):
    """The host resolves to an address that is not public."""


class RobotsDisallowedError(BlockedError):
    """The site's robots.txt disallows the URL for diurna."""


class TooLargeError(FetchError):
    """The body, decoded, is larger than the size cap."""


class TooManyRedirectsError(FetchError):
    """More redirects than allowed."""


class FetchTimeoutError(FetchError):
    """A connect or read timeout, or the fetch's total deadline, passed."""


class FetchConnectionError(FetchError):
    """The host could not be resolved or reached."""


class HTTPStatusError(FetchError):
    """The server answered 4xx or 5xx."""

    def __init__(self, message: str, url: str | None = None, status: int = 0,
                 retry_after: float | None = None):
        super().__init__(message, url)
        self.status = status
        self.retry_after = retry_after


class BadResponseError(FetchError):
    """The server's answer cannot be read."""


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetched URL. `headers` has lower-case names; `content` is the decoded body."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int  # 2xx, or 304 when a conditional request found nothing new
    headers: Mapping[str, str]
    content: bytes
    fetched_at: str  # ISO 8601, UTC, when the response arrived

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag") or None

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified") or None

    @property
    def content_type(self) -> str:
        """The media type alone, lower case ("text/html"), or "" when the server gave none."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


class Fetches(Protocol):
    """What sources and the watcher need from a fetcher (a `Fetcher`, or a fake in tests)."""

    def fetch(self, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> FetchResult: ...


# --------------------------------------------------------------------------------------------
# Addresses


def address_problem(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address must not be fetched ("loopback", "private" ...), or None for a public one.

    IPv6 addresses that embed an IPv4 one (mapped, 6to4, Teredo) are judged by that IPv4 address too.
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    candidates: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = []
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None]
        candidates.extend(e for e in embedded if e is not None)
    candidates.append(ip)
    for candidate in candidates:
        for name, flag in (
            ("unspecified", candidate.is_unspecified),
            ("loopback", candidate.is_loopback),
            ("link-local", candidate.is_link_local),
            ("multicast", candidate.is_multicast),
            ("reserved", candidate.is_reserved),
            ("private", candidate.is_private),
        ):
            if flag:
                return name
        if not candidate.is_global:  # shared address space (100.64/10) and other special ranges
            return "non-public"
    return None


class _Policy:
    """Which non-public addresses may be fetched: none, all, or the listed addresses/networks."""

    def __init__(self, allow_private: bool | Collection[str]):
        self.allow_all = allow_private is True
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        if not isinstance(allow_private, bool):
            for entry in allow_private:
                try:
                    self.networks.append(ipaddress.ip_network(entry.strip(), strict=False))
                except ValueError as exc:
                    raise ValueError(f"allow_private: {entry!r} is not an address or network") from exc

    def refusal(self, address: str) -> str | None:
        if self.allow_all:
            return None
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        problem = address_problem(ip)
        if problem and any(ip in net for net in self.networks if net.version == ip.version):
            return None
        return problem


Resolver = Callable[[str, int], list[str]]


def _system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen


def _resolve_within(resolver: Resolver, host: str, port: int, timeout: float | None) -> list[str]:
    """The resolver's answer, or FetchTimeoutError when it takes longer than `timeout`.

    getaddrinfo has no timeout of its own, so it runs in a daemon thread that is abandoned if slow.
    """
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        if resolver is _system_resolve:
            return [host]  # an address literal: nothing to look up
    except ValueError:
        pass
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = resolver(host, port)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller below
            box["error"] = exc

    thread = threading.Thread(target=run, name="diurna-dns", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise FetchTimeoutError(f"DNS lookup of {host} timed out")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return list(box["value"])  # type: ignore[call-overload]


# --------------------------------------------------------------------------------------------
# The transport: resolve once, check, connect to the checked address, keep to the deadline

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("diurna_fetch_deadline",
                                                                         default=None)


def _bounded(timeout: float | None) -> float | None:
    """The smaller of a timeout and the time left before the deadline."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchTimeoutError("the total deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Opens every connection: resolves the host once, checks each address, connects by address."""

    def __init__(self, policy: _Policy, resolver: Resolver):
        self._policy = policy
        self._resolver = resolver
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options=None) -> httpcore.NetworkStream:
        host = host.strip("[]")
        try:
            addresses = _resolve_within(self._resolver, host, port, _bounded(timeout))
        except (OSError, UnicodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise FetchConnectionError(f"cannot resolve {host}: {reason}") from exc
        if not addresses:
            raise FetchConnectionError(f"cannot resolve {host}: no addresses")
        for address in addresses:
            try:
                problem = self._policy.refusal(address)
            except ValueError as exc:
                raise FetchConnectionError(f"{host} resolved to {address!r}, not an address") from exc
            if problem:
                shown = host if host == address else f"{host} ({address})"
                raise PrivateAddressError(
                    f"refused to connect to {shown}: a {problem} address (allow private addresses to fetch it)")
        error: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(address, port, timeout=_bounded(timeout),
                                                 local_address=local_address, socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream)
        assert error is not None
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None):
        raise BlockedError("unix sockets are never used")

    def sleep(self, seconds: float) -> None:  # httpcore retries; we set retries=0
        time.sleep(seconds)


@contextlib.contextmanager
def _core_errors() -> Iterator[None]:
    """httpcore's exceptions as FetchErrors."""
    try:
        yield
    except httpcore.TimeoutException as exc:
        raise FetchTimeoutError(f"timed out ({type(exc).__name__})") from exc
    except httpcore.ConnectError as exc:
        raise FetchConnectionError(f"cannot connect: {exc or type(exc).__name__}") from exc
    except httpcore.NetworkError as exc:
        raise FetchConnectionError(f"connection failed: {exc or type(exc).__name__}") from exc
    except httpcore.ProtocolError as exc:
        raise BadResponseError(f"malformed HTTP response: {exc or type(exc).__name__}") from exc
    except httpcore.UnsupportedProtocol as exc:
        raise UnsupportedSchemeError(str(exc)) from exc


class _CoreStream(httpx.SyncByteStream):
    def __init__(self, stream):
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _core_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close:
            close()


class _GuardedTransport(httpx.BaseTransport):
    """httpx's transport layer over an httpcore pool whose connections `_GuardedBackend` opens."""

    def __init__(self, policy: _Policy, resolver: Resolver, verify: bool | ssl.SSLContext):
        if isinstance(verify, ssl.SSLContext):
            context = verify
        elif verify:
            import certifi

            context = ssl.create_default_context(cafile=certifi.where())
        else:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        self._pool = httpcore.ConnectionPool(
            ssl_context=context, max_connections=20, max_keepalive_connections=10, keepalive_expiry=30.0,
            http1=True, http2=False, retries=0, network_backend=_GuardedBackend(policy, resolver),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _core_errors():
            response = self._pool.handle_request(core)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_CoreStream(response.stream), extensions=response.extensions)

    def close(self) -> None:
        self._pool.close()


# --------------------------------------------------------------------------------------------
# Content decoding under a cap


class ContentDecoder:
    """Undoes a Content-Encoding (gzip, deflate, br) chunk by chunk, never past `limit` bytes.

    `feed` raises TooLargeError as soon as the decoded size passes the limit, having decoded at
    most one byte more: a gzip bomb costs `limit` bytes of memory, not its decoded size.
    """

    def __init__(self, encoding: str | None, limit: int):
        codings = [c.strip().lower() for c in (encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise BadResponseError(f"unsupported Content-Encoding {encoding!r} (more than one coding)")
        self.coding = codings[0] if codings else ""
        self.limit = limit
        self.size = 0
        self._zlib = None
        self._brotli = None
        self._started = False
        if self.coding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self._zlib = zlib.decompressobj()  # zlib-wrapped, as the RFC says; raw deflate on error
        elif self.coding == "br":
            try:
                import brotli

                self._brotli = brotli.Decompressor()
                self._brotli.can_accept_more_data  # noqa: B018  (needs brotli >= 1.2 for output limits)
            except (ImportError, AttributeError) as exc:
                raise BadResponseError("Content-Encoding br needs the brotli package (>= 1.2)") from exc
        elif self.coding:
            raise BadResponseError(f"unsupported Content-Encoding {self.coding!r}")

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            what = "decoded body" if self.coding else "body"
            raise TooLargeError(f"{what} is larger than the limit of {self.limit} bytes")
        return data

    def feed(self, data: bytes) -> bytes:
        if not data:
            return b""
        if self._zlib is not None:
            return self._inflate(data)
        if self._brotli is not None:
            return self._unbrotli(data)
        return self._count(data)

    def flush(self) -> bytes:
        if self._zlib is not None:
            try:
                return self._count(self._zlib.flush())
            except zlib.error as exc:
                raise BadResponseError(f"broken {self.coding} body: {exc}") from exc
        return b""

    def _inflate(self, data: bytes) -> bytes:
        out: list[bytes] = []
        while data:
            room = self.limit - self.size + 1
            try:
                chunk = self._zlib.decompress(data, room)
            except zlib.error as exc:
                if self.coding == "deflate" and not self._started:
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
                    self._started = True
                    continue
                raise BadResponseError(f"broken {self.coding} body: {exc}") from exc
            self._started = True
            out.append(self._count(chunk))
            data = self._zlib.unconsumed_tail
            if self._zlib.eof:
                rest = self._zlib.unused_data.lstrip(b"\x00")
                if self.coding != "deflate" and rest.startswith(b"\x1f\x8b"):  # another gzip member
                    self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    data = rest
                else:
                    break  # trailing bytes after the stream are ignored, as browsers do
        return b"".join(out)

    def _unbrotli(self, data: bytes) -> bytes:
        import brotli

        out: list[bytes] = []
        try:
            out.append(self._count(self._brotli.process(data, output_buffer_limit=self.limit - self.size + 1)))
            while not self._brotli.can_accept_more_data():
                out.append(self._count(self._brotli.process(b"", output_buffer_limit=self.limit - self.size + 1)))
        except brotli.error as exc:
            raise BadResponseError(f"broken br body: {exc}") from exc
        return b"".join(out)


def decode_content(data: bytes, encoding: str | None, limit: int) -> bytes:
    """A whole body with its Content-Encoding undone, under `limit` (TooLargeError past it)."""
    decoder = ContentDecoder(encoding, limit)
    out = [decoder.feed(data[i:i + _CHUNK]) for i in range(0, len(data), _CHUNK)]
    out.append(decoder.flush())
    return b"".join(out)


# --------------------------------------------------------------------------------------------
# The fetcher


@dataclass(slots=True)
class _Robots:
    parser: urllib.robotparser.RobotFileParser | None  # None: every path allowed
    refusal: str | None  # set when robots.txt could not be read: every path refused
    expires: float


@dataclass(slots=True)
class _Hop:
    url: httpx.URL
    history: list[str] = field(default_factory=list)


class Fetcher:
    """Fetches URLs under one policy; keeps connections and robots.txt answers between calls.

    `allow_private`: False (refuse every non-public address), True (allow all), or a collection of
    addresses and networks ("10.0.0.0/8", "127.0.0.1") to allow. `resolver(host, port)` returns the
    addresses to check and connect to (tests use it to name 127.0.0.1; the default asks the system).
    `clock` returns the time for `fetched_at` (UTC).
    """

    def __init__(self, *, allow_private: bool | Collection[str] = False, respect_robots: bool = True,
                 max_bytes: int | None = None, timeout: float = DEFAULT_TIMEOUT,
                 connect_timeout: float = DEFAULT_CONNECT_TIMEOUT, deadline: float = DEFAULT_DEADLINE,
                 max_redirects: int = DEFAULT_MAX_REDIRECTS, user_agent: str = USER_AGENT,
                 resolver: Resolver | None = None, verify: bool | ssl.SSLContext = True,
                 clock: Callable[[], dt.datetime] | None = None):
        self.respect_robots = respect_robots
        self.max_bytes = max_bytes if max_bytes is not None else settings.max_bytes()
        self.deadline = deadline
        self.max_redirects = max_redirects
        self.user_agent = user_agent
        self._clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self._robots: dict[tuple[str, str, int], _Robots] = {}
        self._client = httpx.Client(
            transport=_GuardedTransport(_Policy(allow_private), resolver or _system_resolve, verify),
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate",
                     "Accept-Language": "en;q=1.0, *;q=0.5"},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              max_bytes: int | None = None) -> FetchResult:
        """GET `url`, following redirects; a 2xx or 304 `FetchResult`, else a `FetchError`."""
        try:
            return self._fetch(url, etag, last_modified, max_bytes or self.max_bytes, self.respect_robots)
        except FetchError as exc:
            if exc.url is None:
                exc.url = url
            raise
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            raise FetchError(f"fetch failed: {exc}", url) from exc
        except (OSError, ValueError, UnicodeError) as exc:
            raise FetchError(f"fetch failed: {type(exc).__name__}: {exc}", url) from exc
        except Exception as exc:  # noqa: BLE001 - a bug must not stop a batch; it is logged in full
            log.warning("unexpected error fetching %s", url, exc_info=True)
            raise FetchError(f"fetch failed: {type(exc).__name__}: {exc}", url) from exc

    def allowed_by_robots(self, url: str) -> bool:
        """Whether the site's robots.txt lets diurna fetch `url` (fetching robots.txt if needed)."""
        try:
            self._check_robots(_parse_url(url), url)
        except RobotsDisallowedError:
            return False
        return True

    # -- internals

    def _fetch(self, url: str, etag: str | None, last_modified: str | None, limit: int,
               robots: bool) -> FetchResult:
        current = _parse_url(url)
        token = _DEADLINE.set(time.monotonic() + self.deadline)
        try:
            for _hop in range(self.max_redirects + 1):
                headers = {}
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
                try:
                    if robots:
                        self._check_robots(current, url)
                    response = self._client.send(self._client.build_request("GET", current, headers=headers),
                                                 stream=True)
                except FetchError as exc:
                    self._name_hop(exc, url, current)
                    raise
                except httpx.InvalidURL as exc:
                    # httpx builds the next request of a redirect even when it follows none, and fails
                    # on a Location it cannot parse ("data:...", "javascript:..."): never followed
                    raise InvalidURLError(f"redirect to a URL that cannot be followed: {exc}") from exc
                try:
                    status = response.status_code
                    if status in REDIRECTS:
                        location = response.headers.get("location", "").strip()
                        if not location:
                            raise BadResponseError(f"HTTP {status} redirect without a Location header")
                        try:
                            target = current.join(location)
                        except (httpx.InvalidURL, ValueError) as exc:
                            raise InvalidURLError(f"redirect to an invalid URL {location!r}") from exc
                        if target.scheme not in SCHEMES:
                            raise UnsupportedSchemeError(
                                f"redirect to {location[:200]} refused: only http and https are followed")
                        if not target.host:
                            raise InvalidURLError(f"redirect to {location!r}, which names no host")
                        current = target.copy_with(fragment=None)
                        continue
                    if status == 304:
                        return self._result(url, current, response, b"")
                    if status >= 400:
                        raise HTTPStatusError(f"HTTP {status} {response.reason_phrase}".rstrip(), url, status,
                                              _retry_after(response.headers.get("retry-after")))
                    if status >= 300 or status < 200:
                        raise BadResponseError(f"unexpected HTTP status {status}")
                    return self._result(url, current, response, self._read_body(response, limit))
                except FetchError as exc:
                    self._name_hop(exc, url, current)
                    raise
                finally:
                    response.close()
            raise TooManyRedirectsError(f"more than {self.max_redirects} redirects")
        except FetchTimeoutError as exc:
            deadline = _DEADLINE.get()
            if deadline is not None and time.monotonic() >= deadline:
                raise FetchTimeoutError(f"took longer than the {self.deadline:g} s deadline", url) from exc
            raise
        finally:
            _DEADLINE.reset(token)

    @staticmethod
    def _name_hop(exc: FetchError, url: str, current: httpx.URL) -> None:
        """Say which redirect hop failed, when it was not the URL asked for."""
        if not getattr(exc, "_hop_shown", False) and str(current) != str(_parse_url(url)):
            exc.args = (f"{exc.args[0]} (after redirect to {_show(current)})",)
            exc._hop_shown = True  # type: ignore[attr-defined]

    def _read_body(self, response: httpx.Response, limit: int) -> bytes:
        encoding = response.headers.get("content-encoding")
        declared = response.headers.get("content-length", "")
        if not encoding and declared.isdigit() and int(declared) > limit:
            raise TooLargeError(f"body of {int(declared)} bytes is larger than the limit of {limit} bytes")
        decoder = ContentDecoder(encoding, limit)
        parts: list[bytes] = []
        for raw in response.iter_raw(_CHUNK):
            _bounded(None)  # the deadline, between reads as well as within them
            parts.append(decoder.feed(raw))
        parts.append(decoder.flush())
        return b"".join(parts)

    def _result(self, url: str, final: httpx.URL, response: httpx.Response, content: bytes) -> FetchResult:
        return FetchResult(
            url=url,
            final_url=str(final),
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            content=content,
            fetched_at=self._clock().astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
        )

    def _check_robots(self, target: httpx.URL, asked: str) -> None:
        key = (target.scheme, target.host, target.port or (443 if target.scheme == "https" else 80))
        entry = self._robots.get(key)
        if entry is None or entry.expires < time.monotonic():
            entry = self._load_robots(target)
            self._robots[key] = entry
        if entry.refusal:
            raise RobotsDisallowedError(entry.refusal, asked)
        if entry.parser is not None and not entry.parser.can_fetch(ROBOTS_TOKEN, str(target)):
            raise RobotsDisallowedError(f"robots.txt of {target.host} disallows {_show(target)}", asked)

    def _load_robots(self, target: httpx.URL) -> _Robots:
        robots_url = str(target.copy_with(path="/robots.txt", query=None, fragment=None))
        now = time.monotonic()
        try:
            result = self._fetch(robots_url, None, None, ROBOTS_MAX_BYTES, robots=False)
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500 and exc.status != 429:  # RFC 9309: no robots.txt, no rules
                return _Robots(None, None, now + ROBOTS_TTL)
            return _Robots(None, f"robots.txt of {target.host} unavailable (HTTP {exc.status}); "
                                 "not fetching the site until it can be read", now + ROBOTS_RETRY)
        except (BlockedError, FetchConnectionError):
            raise  # the page itself cannot be fetched either: say why, cache nothing
        except FetchError as exc:
            return _Robots(None, f"robots.txt of {target.host} could not be read ({exc}); "
                                 "not fetching the site until it can be read", now + ROBOTS_RETRY)
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(result.content.decode("utf-8", "replace").splitlines())
        return _Robots(parser, None, now + ROBOTS_TTL)


def fetch(url: str, *, allow_private: bool | Collection[str] = False, respect_robots: bool = True,
          max_bytes: int | None = None, timeout: float = DEFAULT_TIMEOUT,
          deadline: float = DEFAULT_DEADLINE, max_redirects: int = DEFAULT_MAX_REDIRECTS,
          user_agent: str = USER_AGENT, etag: str | None = None,
          last_modified: str | None = None) -> FetchResult:
    """Fetch one URL with a fetcher of its own (see `Fetcher` to fetch many)."""
    with Fetcher(allow_private=allow_private, respect_robots=respect_robots, max_bytes=max_bytes,
                 timeout=timeout, deadline=deadline, max_redirects=max_redirects,
                 user_agent=user_agent) as fetcher:
        return fetcher.fetch(url, etag=etag, last_modified=last_modified)


def _parse_url(url: str) -> httpx.URL:
    if not isinstance(url, str) or not url.strip():
        raise InvalidURLError("empty URL", url if isinstance(url, str) else None)
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise InvalidURLError(f"not a valid URL: {exc}", url) from exc
    if parsed.scheme not in SCHEMES:
        scheme = parsed.scheme or "no scheme"
        raise UnsupportedSchemeError(f"{scheme!s}: only http and https URLs are fetched", url)
    if not parsed.host:
        raise InvalidURLError("the URL names no host", url)
    return parsed.copy_with(fragment=None)


def _show(url: httpx.URL) -> str:
    text = str(url)
    return text if len(text) <= 200 else text[:197] + "..."


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())
