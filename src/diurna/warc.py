"""WARC files (`.warc`, `.warc.gz`, as in Common Crawl's CC-NEWS): each HTML response is a document.

    read_warc("CC-NEWS-20250521.warc.gz") -> Document | Failure, one at a time

Records are read with fastwarc. Every `response` record whose HTTP payload is an HTML page
(2xx, `text/html` or `application/xhtml+xml`, or no type but content that starts like HTML)
becomes a `Document`: `id` is the WARC-Record-ID (without its angle brackets; the target URI when
there is none), `url` the WARC-Target-URI, `fetched` the WARC-Date, `origin` "<path>#<offset>" (the
record's byte offset in the file, as CC-NEWS indexes give it), `published` unset (extract finds it
on the page). Other record types (warcinfo, request, metadata, revisit) are passed over.

A record that is not a page (an image, a redirect, a 404), is over the size cap, or whose
Content-Encoding or chunked body cannot be undone within the cap (a decompression bomb) is a
`Failure`, and reading goes on. A file that ends early or holds bytes that are not WARC records
gives one `Failure` for the file, after the documents read up to that point.
"""
from __future__ import annotations

import datetime as dt
import gzip
import logging
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from . import settings
from .errors import InputError
from .fetch import FetchError, TooLargeError, decode_content
from .models import Document, Failure
from .sources import STAGE, decode_web, looks_like_html

__all__ = ["read_warc", "is_warc_path", "HTML_TYPES"]

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
WARC_SUFFIXES = (".warc", ".warc.gz")
_HEADER_ALLOWANCE = 65_536  # HTTP headers stored in a record's block, on top of the body's cap
_STATUS_LINE = re.compile(r"HTTP/\d(?:\.\d)?\s+(\d{3})")


def is_warc_path(path: str | Path) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES)


def read_warc(path: str | Path, file_id: str | None = None, *,
              max_bytes: int | None = None) -> Iterator[Document | Failure]:
    """Yield a Document for every HTML response record in a WARC file, a Failure for each bad one.

    `file_id` names the file in a file-level Failure (default: the file name without .gz).
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    path = Path(path)
    file_id = file_id or (path.stem if path.suffix.lower() == ".gz" else path.name)
    limit = max_bytes if max_bytes is not None else settings.max_bytes()
    origin = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Failure(file_id, STAGE, f"cannot read: {exc.strerror or exc}", origin)
        return
    records = 0
    last_pos: int | None = None
    problem: str | None = None
    with handle:
        try:
            for record in ArchiveIterator(handle, parse_http=False):
                last_pos = record.stream_pos
                records += 1
                if record.record_type != WarcRecordType.response:
                    continue
                item, cut = _response(record, path, file_id, limit)
                if cut:
                    problem = f"truncated WARC file: the record at offset {record.stream_pos} is cut off"
                    break
                if item is not None:
                    yield item
        except (OSError, ValueError) as exc:
            where = f"after the record at offset {last_pos}" if last_pos is not None else "at its start"
            problem = f"corrupt WARC file {where}: {exc}"
    if problem is None:
        problem = _tail_problem(path, last_pos, records)
    if problem:
        yield Failure(file_id, STAGE, problem, origin)


def _response(record, path: Path, file_id: str, limit: int) -> tuple[Document | Failure | None, bool]:
    """The record as a Document or Failure, and whether its block was cut off (file truncated)."""
    pos = record.stream_pos
    headers = record.headers
    target = (headers.get("WARC-Target-URI") or "").strip().strip("<>") or None
    record_id = (record.record_id or "").strip().strip("<>")
    doc_id = record_id or target or f"{file_id}#{pos}"
    origin = f"{path}#{pos}"
    if headers.get("Content-Length") is None:  # required in every record: the header was cut off
        return None, True
    try:
        declared = int(headers.get("Content-Length"))
    except ValueError:
        return Failure(doc_id, STAGE, "record has no valid Content-Length", origin), False
    if declared > limit + _HEADER_ALLOWANCE:
        return Failure(doc_id, STAGE, f"record too large: {declared} bytes, the limit is {limit}", origin), False
    block = record.reader.read(declared) if declared else b""
    if len(block) < declared:
        return None, True
    try:
        html = _page(block, limit)
    except InputError as exc:
        return Failure(doc_id, STAGE, str(exc), origin), False
    return Document(id=doc_id, html=html, url=target, origin=origin,
                    fetched=_iso(headers.get("WARC-Date"))), False


def _page(block: bytes, limit: int) -> str:
    """The HTML page an HTTP response block holds (InputError when it holds none)."""
    status, headers, body = _split_http(block)
    if not 200 <= status < 300:
        raise InputError(f"HTTP {status} response, not a page")
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body, limit)
    encoding = headers.get("content-encoding")
    if encoding:
        try:
            body = decode_content(body, encoding, limit)
        except TooLargeError as exc:
            raise InputError(f"{exc} once decompressed (a decompression bomb?)") from exc
        except FetchError as exc:
            raise InputError(str(exc)) from exc
    elif len(body) > limit:
        raise InputError(f"body too large: {len(body)} bytes, the limit is {limit}")
    content_type = headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if media not in HTML_TYPES and not (not media and looks_like_html(body)):
        raise InputError(f"not an HTML page ({media or 'no content type'})")
    if not body.strip():
        raise InputError("empty page")
    return decode_web(body, _charset(content_type), html=True)


def _split_http(block: bytes) -> tuple[int, dict[str, str], bytes]:
    end, gap = block.find(b"\r\n\r\n"), 4
    if end < 0:
        end, gap = block.find(b"\n\n"), 2
    if end < 0:
        raise InputError("not an HTTP response (no end of headers)")
    lines = block[:end].decode("iso-8859-1").splitlines()
    match = _STATUS_LINE.match(lines[0].strip()) if lines else None
    if not match:
        raise InputError("not an HTTP response (no status line)")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            continue
        name, value = name.strip().lower(), value.strip()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return int(match.group(1)), headers, block[end + gap:]


def _dechunk(body: bytes, limit: int) -> bytes:
    """A chunked transfer-encoded body, joined (the body as stored, when it is not really chunked)."""
    out: list[bytes] = []
    size, pos = 0, 0
    while pos < len(body):
        line_end = body.find(b"\r\n", pos)
        if line_end < 0:
            return body if not out else b"".join(out)
        try:
            length = int(body[pos:line_end].split(b";")[0].strip(), 16)
        except ValueError:
            return body if not out else b"".join(out)
        if length == 0:
            break
        chunk = body[line_end + 2:line_end + 2 + length]
        size += len(chunk)
        if size > limit:
            raise InputError(f"body too large: over the limit of {limit} bytes")
        out.append(chunk)
        pos = line_end + 2 + length + 2
    return b"".join(out)


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _iso(value: str | None) -> str | None:
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return value.strip()
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.isoformat()


def _tail_problem(path: Path, last_pos: int | None, records: int) -> str | None:
    """Whatever fastwarc passed over in silence: a last record cut off, or bytes after it.

    Reads from the last record's offset to the end of the file: its header, its declared block,
    then nothing but blank lines (or, compressed, nothing at all) must follow.
    """
    try:
        with path.open("rb") as raw:
            if last_pos is None:
                data = raw.read(64)
                if not data.strip():
                    return "empty file" if not records else None
                return "not a WARC file (no records)"
            raw.seek(last_pos)
            compressed = raw.read(2) == b"\x1f\x8b"
            raw.seek(last_pos)
            stream = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
            header = b""
            while b"\r\n\r\n" not in header:
                piece = stream.read(4096)
                if not piece:
                    return f"truncated WARC file: the record at offset {last_pos} ends in its header"
                header += piece
                if len(header) > _HEADER_ALLOWANCE:
                    return f"corrupt WARC file: the record at offset {last_pos} has no end of header"
            head, _, rest = header.partition(b"\r\n\r\n")
            match = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
            if not match:
                return f"corrupt WARC file: the record at offset {last_pos} has no Content-Length"
            remaining = int(match.group(1)) - len(rest)
            trailer = rest[int(match.group(1)):] if remaining < 0 else b""
            while remaining > 0:
                piece = stream.read(min(remaining, 1 << 20))
                if not piece:
                    return f"truncated WARC file: the record at offset {last_pos} ends early"
                remaining -= len(piece)
                if remaining < 0:
                    trailer = piece[remaining:]
            while True:
                if trailer.strip():
                    return f"corrupt WARC file: unreadable bytes after the record at offset {last_pos}"
                trailer = stream.read(1 << 16)
                if not trailer:
                    return None
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        return f"truncated or corrupt WARC file after the record at offset {last_pos}: {exc}"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
