"""Stage 1, sources: turn the inputs of a run into raw `Document`s.

    read_sources(["news/", "extra.jsonl", "-"]) -> Document | Failure, one at a time

An input is a path to a text file, an HTML file (.html/.htm, or content that starts like HTML),
a JSONL file (.jsonl/.ndjson: one document per line), a WARC file (.warc/.warc.gz: every HTML
response record, see `warc.py`), a directory of these (walked recursively in sorted order, hidden
files and folders skipped), "-" for stdin, or an http(s) URL. Files are read as bytes and decoded
here: a UTF-8/UTF-16 byte-order mark wins, then an HTML page's declared charset, then strict UTF-8.

A URL is fetched by `fetch.Fetcher` (size, time and redirect limits; private addresses refused
unless `allow_private`; robots.txt obeyed unless `respect_robots=False`). When the response is an
RSS/Atom feed or a sitemap (`feeds.py`), the articles it lists are fetched in its place, each a
Document with its URL and whatever title and date the listing gave; a sitemap index's sitemaps
are read in turn. An article URL is fetched once per run, however many listings name it.

Nothing here raises for a bad document: a missing, empty, binary, undecodable or oversized file,
a bad JSONL line, a URL that cannot be fetched or a WARC record that is not a page, is yielded as a
`Failure(stage="sources")` and reading goes on.

Document ids: a JSONL line's own `id` (a string or number), else `<file stem>:<line number>`;
a file's stem, made unique within the run by using its relative path when two files share a stem;
a URL's document, the URL as given (its `url` is the URL after redirects); a WARC record, its
WARC-Record-ID.
"""
from __future__ import annotations

import codecs
import json
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import settings
from .errors import InputError
from .models import Document, Failure

if TYPE_CHECKING:
    from .feeds import Link, Listing
    from .fetch import FetchResult, Fetches

__all__ = ["read_sources", "read_links", "decode_bytes", "decode_web", "looks_like_html", "is_url", "STAGE"]

log = logging.getLogger(__name__)

STAGE = "sources"
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_SITEMAP_DEPTH = 2  # a sitemap index names sitemaps; an index inside an index is read, no deeper
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|h[1-6])\b",
    re.IGNORECASE | re.DOTALL,
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Browsers (WHATWG Encoding) read these labels as windows-1252, and so do real pages.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252",
                    "us-ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252"}
# Share of control characters (other than tab, newline, CR, form feed) above which a decoded file
# is called binary: text has none, so any real amount means it is not text.
_MAX_CONTROL_SHARE = 0.01


@dataclass(slots=True)
class _FileInput:
    path: Path
    rel: str  # the path to show and to fall back on for a unique id


@dataclass(slots=True)
class _URLInput:
    url: str


def is_url(value: str) -> bool:
    """True for an input written as a URL (scheme://...); only http(s) ones will be fetched."""
    return bool(_URL.match(value))


def read_sources(inputs: Iterable[str], stdin: TextIO | None = None, *,
                 allow_private: bool = False, respect_robots: bool = True,
                 fetcher: Fetches | None = None) -> Iterator[Document | Failure]:
    """Yield a `Document` (or a `Failure`) for every document the inputs hold.

    URLs are fetched with `fetcher` when given (any object with `fetch(url)`, see `fetch.Fetches`),
    else with a `fetch.Fetcher` made here with `allow_private` and `respect_robots` and closed at
    the end.

    Example::

        for item in read_sources(["news/", "-", "https://news.example/rss"], stdin=sys.stdin):
            if isinstance(item, Failure):
                print(item.doc_id, item.reason)
    """
    files: list[_FileInput | _URLInput | None] = []  # None stands for stdin, in its place among the inputs
    failures_before: dict[int, list[Failure]] = {}
    for raw in inputs:
        if raw == "-":
            files.append(None)
            continue
        if is_url(raw.strip()):
            files.append(_URLInput(raw.strip()))
            continue
        path = Path(raw)
        if path.is_dir():
            files.extend(_walk(path))
        elif path.is_file():
            files.append(_FileInput(path, str(path)))
        else:
            reason = "no such file or directory" if not path.exists() else "not a regular file"
            failures_before.setdefault(len(files), []).append(
                Failure(_stem(path), STAGE, f"{reason}: {raw}", str(path))
            )
    ids = _unique_ids([f for f in files if isinstance(f, _FileInput)])
    web = _Web(fetcher, allow_private=allow_private, respect_robots=respect_robots)
    stdin_read = False
    try:
        for index, item in enumerate(files):
            yield from failures_before.get(index, ())
            if item is None:
                if stdin_read:
                    continue
                stdin_read = True
                yield from _read_stdin(stdin if stdin is not None else sys.stdin)
            elif isinstance(item, _URLInput):
                yield from web.read_url(item.url)
            else:
                yield from _read_file(item, ids[item.path])
        yield from failures_before.get(len(files), ())
    finally:
        web.close()


def read_links(links: Iterable[Link], fetcher: Fetches) -> Iterator[Document | Failure]:
    """Fetch the articles that listings named (`feeds.Link`s, as `watch.poll_once` returns them).

    Each is a Document with the link's title and date, or a Failure; a URL is fetched once.
    """
    yield from _Web(fetcher).read_links(links)


class _Web:
    """URLs of one run: the fetcher (made on first use unless given) and the URLs already read."""

    def __init__(self, fetcher: Fetches | None, *, allow_private: bool = False, respect_robots: bool = True):
        self._fetcher = fetcher
        self._own: Any = None
        self._allow_private = allow_private
        self._respect_robots = respect_robots
        self._seen: set[str] = set()

    @property
    def fetcher(self) -> Fetches:
        if self._fetcher is None:
            from .fetch import Fetcher

            self._own = self._fetcher = Fetcher(allow_private=self._allow_private,
                                                respect_robots=self._respect_robots)
        return self._fetcher

    def close(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None

    def _get(self, url: str) -> FetchResult | Failure:
        from .fetch import FetchError

        try:
            return self.fetcher.fetch(url)
        except FetchError as exc:
            return Failure(url, STAGE, str(exc), url)

    def read_url(self, url: str) -> Iterator[Document | Failure]:
        """A page, or the pages a feed or sitemap at `url` lists."""
        from .feeds import FeedError, parse_listing

        if url in self._seen:
            return
        self._seen.add(url)
        result = self._get(url)
        if isinstance(result, Failure):
            yield result
            return
        try:
            listing = parse_listing(result.content, result.final_url, result.content_type)
        except FeedError as exc:
            yield Failure(url, STAGE, str(exc), url)
            return
        if listing is None:
            yield _page(url, result)
        else:
            yield from self._listing(listing, url, depth=0)

    def _listing(self, listing: Listing, source: str, depth: int) -> Iterator[Document | Failure]:
        from .feeds import FeedError, parse_listing

        for child in listing.sitemaps:
            if child.url in self._seen:
                continue
            self._seen.add(child.url)
            if depth >= MAX_SITEMAP_DEPTH:
                yield Failure(child.url, STAGE, f"sitemap index nested deeper than {MAX_SITEMAP_DEPTH}", source)
                continue
            result = self._get(child.url)
            if isinstance(result, Failure):
                yield Failure(result.doc_id, STAGE, result.reason, source)
                continue
            try:
                sub = parse_listing(result.content, result.final_url, result.content_type)
            except FeedError as exc:
                yield Failure(child.url, STAGE, str(exc), source)
                continue
            if sub is None:
                yield Failure(child.url, STAGE, "listed as a sitemap but not a sitemap or feed", source)
                continue
            yield from self._listing(sub, child.url, depth + 1)
        yield from self.read_links(listing.links)

    def read_links(self, links: Iterable[Link]) -> Iterator[Document | Failure]:
        for link in links:
            if link.url in self._seen:
                continue
            self._seen.add(link.url)
            result = self._get(link.url)
            if isinstance(result, Failure):
                yield Failure(result.doc_id, STAGE, result.reason, link.source or link.url)
                continue
            yield _page(link.url, result, title=link.title, published=link.published,
                        origin=link.source or link.url)


def _page(url: str, result: FetchResult, *, title: str | None = None, published: str | None = None,
          origin: str | None = None) -> Document | Failure:
    """A fetched page as a Document (HTML, or plain text), or the Failure that says why not."""
    origin = origin or url
    if result.not_modified:
        return Failure(url, STAGE, "not modified (HTTP 304)", origin)
    content, media = result.content, result.content_type
    if not content.strip():
        return Failure(url, STAGE, "empty response", origin)
    html = media in HTML_TYPES or (media in ("", "application/octet-stream", "text/xml", "application/xml")
                                   and looks_like_html(content))
    if not html and media != "text/plain":
        return Failure(url, STAGE, f"not an HTML page, feed or sitemap ({media or 'no content type'})", origin)
    try:
        text = decode_web(content, result.charset, html=html)
    except InputError as exc:
        return Failure(url, STAGE, str(exc), origin)
    if not text.strip():
        return Failure(url, STAGE, "empty response", origin)
    return Document(id=url, text=None if html else text, html=text if html else None, url=result.final_url,
                    title=title, published=published, origin=origin, fetched=result.fetched_at)


def looks_like_html(data: bytes | str) -> bool:
    """True when the content starts like an HTML page (a doctype, <html>, <head>, <body> ...)."""
    head = data[:2048]
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    return bool(_HTML_START.match(head.lstrip(codecs.BOM_UTF8)))


def decode_bytes(data: bytes, html: bool = False) -> str:
    """Decode a file's bytes: a byte-order mark, else (HTML) the declared charset, else UTF-8.

    Raises InputError for binary content or bytes that the chosen encoding cannot read.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {encoding} after its byte-order mark: {exc.reason}") from exc
            _check_text(text)
            return text
    if b"\x00" in data[:8192]:
        raise InputError("binary file (NUL bytes)")
    encoding = "utf-8"
    if html:
        declared = _declared_charset(data)
        if declared:
            encoding = declared
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if _control_share(data[:8192]) > _MAX_CONTROL_SHARE:
            raise InputError("binary file (mostly not text)") from exc
        if encoding == "utf-8":
            raise InputError(f"not valid UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start})") from exc
        raise InputError(f"not valid {encoding}, the page's declared charset: {exc.reason}") from exc
    _check_text(text)
    return text


def decode_web(data: bytes, charset: str | None = None, html: bool = True) -> str:
    """Decode a body from the web: a byte-order mark, then the HTTP charset, then (HTML) the page's
    declared charset, then UTF-8.

    Unlike files, web pages are read the way browsers read them: a few invalid bytes become U+FFFD,
    and an undeclared page that is mostly not UTF-8 is read as windows-1252. Binary content
    raises InputError.
    """
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return decode_bytes(data, html=html)
    if b"\x00" in data[:8192]:
        raise InputError("binary content (NUL bytes)")
    encoding = _codec(charset) if charset else None
    if encoding is None and html:
        encoding = _declared_charset(data)
    declared = encoding is not None
    encoding = encoding or "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if _control_share(data[:8192]) > _MAX_CONTROL_SHARE:
            raise InputError("binary content (mostly not text)") from None
        text = data.decode(encoding, "replace")
        bad = text.count("\ufffd")
        if not declared and bad > max(1, len(text) // 1000):
            text = data.decode("cp1252", "replace")
    _check_text(text, what="content", replacements_count=False)
    return text


def _codec(label: str) -> str | None:
    label = label.strip().strip("\"'").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        log.warning("unknown charset %r; reading as UTF-8", label)
        return None


def _check_text(text: str, what: str = "file", replacements_count: bool = True) -> None:
    """Decoded text that is binary after all: NUL characters, or mostly control characters (and,
    for files, which must decode cleanly, replacement characters)."""
    if "\x00" in text:
        raise InputError(f"binary {what} (NUL characters)")
    sample = text[:65536]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if replacements_count:
        control += sample.count("\ufffd")
    if sample and control / len(sample) > _MAX_CONTROL_SHARE:
        raise InputError(f"binary {what} (mostly not text)")


def _control_share(data: bytes) -> float:
    control = sum(1 for byte in data if byte < 32 and byte not in b"\t\n\r\f")
    return control / len(data) if data else 0.0


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not match:
        return None
    return _codec(match.group(1).decode("ascii", "replace"))


def _walk(root: Path) -> Iterator[_FileInput]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            yield _FileInput(path, path.relative_to(root).as_posix())


def _stem(path: Path) -> str:
    return path.stem or path.name


def _unique_ids(files: list[_FileInput]) -> dict[Path, str]:
    """A file's stem, or its relative path where two files of the run share the stem."""
    stems = Counter(_stem(f.path) for f in files)
    ids: dict[Path, str] = {}
    taken: set[str] = set()
    for f in files:
        if f.path in ids:
            continue
        candidate = _stem(f.path) if stems[_stem(f.path)] == 1 else f.rel
        unique, n = candidate, 1
        while unique in taken:
            n += 1
            unique = f"{candidate}#{n}"
        taken.add(unique)
        ids[f.path] = unique
    return ids


def _read_file(item: _FileInput, doc_id: str) -> Iterator[Document | Failure]:
    path, origin = item.path, str(item.path)
    suffix = path.suffix.lower()
    if path.name.lower().endswith(WARC_SUFFIXES):
        from .warc import read_warc

        yield from read_warc(path, doc_id)
        return
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl_file(path, doc_id)
        return
    try:
        size = path.stat().st_size
        if size > settings.max_bytes():
            raise InputError(f"file too large: {size} bytes, the limit is {settings.max_bytes()}")
        data = path.read_bytes()
        if not data.strip():
            raise InputError("empty file")
        html = suffix in HTML_SUFFIXES or looks_like_html(data)
        text = decode_bytes(data, html=html)
        if not text.strip():
            raise InputError("empty file")
    except InputError as exc:
        yield Failure(doc_id, STAGE, str(exc), origin)
        return
    except OSError as exc:
        yield Failure(doc_id, STAGE, f"cannot read: {exc.strerror or exc}", origin)
        return
    if html:
        yield Document(id=doc_id, html=text, origin=origin)
    else:
        yield Document(id=doc_id, text=text, origin=origin)


def _read_jsonl_file(path: Path, stem_id: str) -> Iterator[Document | Failure]:
    origin = str(path)
    limit = settings.max_bytes()
    seen_any = False
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
                if not raw.strip():
                    continue
                seen_any = True
                line_id = f"{stem_id}:{number}"
                if len(raw) > limit:
                    yield Failure(line_id, STAGE, f"line too large: {len(raw)} bytes, the limit is {limit}",
                                  f"{origin}:{number}")
                    continue
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield Failure(line_id, STAGE, f"line is not valid UTF-8 (offset {exc.start})",
                                  f"{origin}:{number}")
                    continue
                yield _jsonl_document(line, line_id, f"{origin}:{number}")
    except OSError as exc:
        yield Failure(stem_id, STAGE, f"cannot read: {exc.strerror or exc}", origin)
        return
    if not seen_any:
        yield Failure(stem_id, STAGE, "empty file", origin)


def _jsonl_document(line: str, line_id: str, origin: str) -> Document | Failure:
    """One JSONL line as a Document, or the Failure that says what is wrong with it."""
    try:
        record: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        return Failure(line_id, STAGE, f"not valid JSON: {exc.msg} (column {exc.colno})", origin)
    if not isinstance(record, dict):
        return Failure(line_id, STAGE, f"not a JSON object but {type(record).__name__}", origin)
    raw_id = record.get("id")
    if raw_id is None:
        doc_id = line_id
    elif isinstance(raw_id, str) and raw_id.strip():
        doc_id = raw_id
    elif isinstance(raw_id, (int, float)) and not isinstance(raw_id, bool):
        doc_id = str(raw_id)
    else:
        return Failure(line_id, STAGE, f"'id' must be a string or a number, got {raw_id!r}", origin)
    text, html = record.get("text"), record.get("html")
    for name, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            return Failure(doc_id, STAGE, f"{name!r} must be a string, got {type(value).__name__}", origin)
    text = text if text and text.strip() else None
    html = html if html and html.strip() else None
    if text is None and html is None:
        return Failure(doc_id, STAGE, "neither 'text' nor 'html' holds any content", origin)
    dyad = record.get("dyad")
    if dyad is not None:
        dyad = _dyad(dyad)
        if dyad is None:
            return Failure(doc_id, STAGE, "'dyad' must be {\"actor\": str, \"recipient\": str}", origin)
    published = record.get("published")
    if published is not None and not isinstance(published, str):
        published = str(published)
    return Document(
        id=doc_id,
        text=text,
        html=html,
        published=published or None,
        url=_optional_str(record.get("url")),
        title=_optional_str(record.get("title")),
        dyad=dyad,
        origin=origin,
    )


def _dyad(value: Any) -> tuple[str, str] | None:
    if isinstance(value, dict):
        pair = (value.get("actor"), value.get("recipient"))
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        pair = (value[0], value[1])
    else:
        return None
    if all(isinstance(v, str) and v.strip() for v in pair):
        return (pair[0].strip(), pair[1].strip())
    return None


def _optional_str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _read_stdin(stream: TextIO) -> Iterator[Document | Failure]:
    origin = "<stdin>"
    try:
        text = stream.read()
    except UnicodeDecodeError as exc:
        yield Failure("stdin", STAGE, f"stdin is not valid UTF-8 (offset {exc.start})", origin)
        return
    if isinstance(text, bytes):  # a binary stream passed in place of a text one
        try:
            text = decode_bytes(text, html=looks_like_html(text))
        except InputError as exc:
            yield Failure("stdin", STAGE, str(exc), origin)
            return
    text = text.lstrip("\ufeff")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > settings.max_bytes() and not _is_jsonl(text):
        yield Failure("stdin", STAGE, f"input too large: {size} bytes, the limit is {settings.max_bytes()}", origin)
        return
    if not text.strip():
        yield Failure("stdin", STAGE, "empty input", origin)
        return
    if "\x00" in text:
        yield Failure("stdin", STAGE, "binary input (NUL characters)", origin)
        return
    if _is_jsonl(text):
        limit = settings.max_bytes()
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            if len(line.encode("utf-8", "surrogatepass")) > limit:
                yield Failure(f"stdin:{number}", STAGE, f"line too large, the limit is {limit} bytes",
                              f"{origin}:{number}")
                continue
            yield _jsonl_document(line, f"stdin:{number}", f"{origin}:{number}")
    elif looks_like_html(text):
        yield Document(id="stdin", html=text, origin=origin)
    else:
        yield Document(id="stdin", text=text, origin=origin)


def _is_jsonl(text: str) -> bool:
    """Every non-empty line is a JSON object."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    for line in lines:
        stripped = line.strip()
        if not (stripped.startswith("{") and stripped.endswith("}")):
            return False
        try:
            if not isinstance(json.loads(stripped), dict):
                return False
        except json.JSONDecodeError:
            return False
    return True
