"""Hostile documents, made on demand: the one copy that tests/test_hostile.py and
benchmarks/hostile.py both use (the benchmark imports it by path).

    paths = write_files(folder)           # {name: path} of files that `diurna ingest` reads
    urls = serve(web)                     # {name: url} routed on a tests/fixtures/web LocalWeb
    EXPECTED[name]                        # the stage whose Failure it must end as, or None: coded

`scale` shrinks the large inputs (the 200 MB page, the gzip bombs) for fast tests; 1.0 is the
size the issue names. Nothing here is random: every run makes the same bytes.
"""
from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from pathlib import Path

MB = 1_000_000
# A story the coder codes (the samples' kind of sentence), so that a hostile wrapper around it
# can be told apart from a document that simply has nothing to code.
STORY = ("Pakistani troops shelled villages in Kashmir on Monday, Indian officials said.\n\n"
         "Indian Prime Minister Narendra Modi met Pakistani officials in New Delhi on Tuesday.\n")
_PARAGRAPH = b"<p>The council met on Tuesday and discussed the budget for the coming year.</p>\n"

# The stage whose Failure each input must end as; None: stored and coded like any article.
EXPECTED: dict[str, str | None] = {
    "billion_laughs_feed": "sources",
    "external_entity_sitemap": "sources",
    "http_gzip_bomb": "sources",
    "http_200mb_page": "sources",
    "file_200mb_page": "sources",
    "warc_gzip_bomb": "sources",
    "html_nested_100k": "extract",
    "binary_named_html": "sources",
    "invalid_utf8": "sources",
    "mixed_encodings": "sources",
    "nul_bytes": "sources",
    "zero_width_rtl": None,
    "sentence_5mb": "nlp",
    "jsonl_not_objects": "sources",
}


def _billion_laughs() -> bytes:
    entities = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{entities}]>'
            '<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
            '<link>http://127.0.0.1/a</link></item></channel></rss>').encode()


def _external_entity() -> bytes:
    return (b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&xxe;</loc></url></urlset>')


def gzip_bomb(decoded: int) -> bytes:
    """`decoded` bytes of spaces gzipped to about a thousandth of that, made without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"<html>" + b" " * (MB - 6)
    parts = [packer.compress(block if i == 0 else b" " * MB) for i in range(max(1, decoded // MB))]
    return b"".join(parts) + packer.flush()


def _big_page_chunks(size: int):
    yield b"<html><head><title>Big</title></head><body>"
    chunk = _PARAGRAPH * (MB // len(_PARAGRAPH))
    for _ in range(max(1, size // len(chunk))):
        yield chunk


def _write_big_page(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        for chunk in _big_page_chunks(size):
            handle.write(chunk)


def _nested(depth: int) -> bytes:
    return (b"<html><body>" + b"<div>" * depth + b"<p>" + STORY.encode() + b"</p>" + b"</div>" * depth
            + b"</body></html>")


def _warc_bomb(decoded: int) -> bytes:
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
    from warcfile import http_response, warc_record

    page = http_response(gzip_bomb(decoded), extra="Content-Encoding: gzip\r\n")
    good = http_response(b"<html><body><p>" + STORY.encode() + b"</p></body></html>")
    records = [warc_record(page, "https://bomb.example/")[0], warc_record(good, "https://fine.example/")[0]]
    return b"".join(gzip.compress(r) for r in records)


def _zero_width_rtl() -> bytes:
    # zero-width space, joiner and non-joiner, a byte-order mark inside the text, right-to-left
    # override and mark, and Arabic: all legal text that must neither break nor shift offsets
    # (its own last line: a store keeps one copy of a text, and ignores zero-width characters)
    text = (STORY + "Rebels attacked a police post in Kunar.\n").replace("Kashmir", "Kash\u200bmir").replace("Monday", "Mon\u200d\u200cday")
    return ("\u202e\u200f" + text + "\u2067\u0627\u0644\u0633\u0644\u0627\u0645\u2069 \ufeff\n").encode()


def _jsonl_not_objects() -> bytes:
    lines = ["[1, 2, 3]", '"a string"', "42", "null", "true", "{not json", '{"id": "ok", "text": %s}'
             % __import__("json").dumps(STORY + "Protesters marched in Lahore.\n")]
    return "\n".join(lines).encode() + b"\n"


def write_files(folder: Path, scale: float = 1.0) -> dict[str, Path]:
    """Write the file inputs into `folder`; returns {name: path}."""
    folder.mkdir(parents=True, exist_ok=True)
    writers: dict[str, tuple[str, Callable[[Path], None]]] = {
        "file_200mb_page": ("huge.html", lambda p: _write_big_page(p, int(200 * MB * scale))),
        "warc_gzip_bomb": ("bomb.warc.gz", lambda p: p.write_bytes(_warc_bomb(int(1000 * MB * scale)))),
        "html_nested_100k": ("nested.html", lambda p: p.write_bytes(_nested(100_000))),
        # a PNG's signature and chunks under an .html name
        "binary_named_html": ("picture.html", lambda p: p.write_bytes(
            b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)),
        "invalid_utf8": ("latin1.txt", lambda p: p.write_bytes(
            "Les ministres se sont réunis à Genève à la fin de l'été.\n".encode("latin-1") * 20)),
        "mixed_encodings": ("mixed.html", lambda p: p.write_bytes(
            b'<html><head><meta charset="utf-8"></head><body><p>' + STORY.encode() + "café".encode()
            + "café".encode("cp1252") + "Ελλάδα".encode("utf-16-le") + b"</p></body></html>")),
        "nul_bytes": ("nul.txt", lambda p: p.write_bytes(STORY.encode().replace(b" ", b"\x00"))),
        "zero_width_rtl": ("zero_width_rtl.txt", lambda p: p.write_bytes(_zero_width_rtl())),
        # one sentence of 4.9 MB: no full stop, no line break; under the 5 MB input cap
        "sentence_5mb": ("sentence.txt", lambda p: p.write_bytes(
            (b"the minister met the rebels in Kabul and talked about peace and " * 76_600)[:4_900_000])),
        "jsonl_not_objects": ("lines.jsonl", lambda p: p.write_bytes(_jsonl_not_objects())),
    }
    paths = {}
    for name, (filename, write) in writers.items():
        path = folder / filename
        write(path)
        paths[name] = path
    return paths


def serve(web, scale: float = 1.0) -> dict[str, str]:
    """Route the web inputs on a running `LocalWeb`; returns {name: url}."""
    web.route("/laughs.xml", _billion_laughs(), content_type="application/rss+xml")
    web.route("/xxe.xml", _external_entity(), content_type="application/xml")
    web.route("/bomb.html", gzip_bomb(int(1000 * MB * scale)), content_type="text/html",
              headers={"Content-Encoding": "gzip"})
    size = int(200 * MB * scale)  # streamed with no Content-Length, a fresh stream for each request
    web.route("/huge.html", handler=lambda request: (200, {"Content-Type": "text/html"}, _big_page_chunks(size)))
    return {"billion_laughs_feed": web.url("/laughs.xml"), "external_entity_sitemap": web.url("/xxe.xml"),
            "http_gzip_bomb": web.url("/bomb.html"), "http_200mb_page": web.url("/huge.html")}
