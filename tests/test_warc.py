"""warc: WARC files written by the test are read back; bad records and broken files are Failures."""
from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest

from diurna import warc
from diurna.models import Document, Failure
from diurna.sources import read_sources
from diurna.warc import read_warc

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
from warcfile import http_response, warc_record, write_warc  # noqa: E402

PAGE = ("<!doctype html><html><head><title>Dam talks resume</title></head>"
        "<body><p>Engineers from both countries met at the dam on Monday.</p></body></html>")


def crawl(max_bytes: int = 1_000_000):
    """A small crawl: every kind of record a reader meets, with what each should become."""
    bomb = gzip.compress(b"<html>" + b" " * (max_bytes * 20), 9)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(part), part)
                       for part in (b"<html><body><p>Chunk one ", b"and chunk two.</p>", b""))
    specs = [
        (warc_record(b"software: diurna-tests\r\n", kind="warcinfo"), None),
        (warc_record(b"GET /dam HTTP/1.1\r\nHost: courier.example\r\n\r\n", "https://courier.example/dam",
                     kind="request"), None),
        (warc_record(http_response(PAGE.encode()), "https://courier.example/dam"), "page"),
        (warc_record(http_response(b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "image/png"),
                     "https://courier.example/logo.png"), "not an HTML page (image/png)"),
        (warc_record(http_response(gzip.compress(PAGE.replace("Dam", "Gzipped dam").encode()),
                                   extra="Content-Encoding: gzip\r\n"), "https://courier.example/gz"), "page"),
        (warc_record(http_response(bomb, extra="Content-Encoding: gzip\r\n"), "https://courier.example/bomb"),
         "decompression bomb"),
        (warc_record(http_response(b"<html>" + b"x" * (max_bytes + 10)), "https://courier.example/huge"),
         "too large"),
        (warc_record(http_response(b"<html>moved</html>", status="301 Moved Permanently"),
                     "https://courier.example/old"), "HTTP 301"),
        (warc_record(http_response(chunked, extra="Transfer-Encoding: chunked\r\n"),
                     "https://courier.example/chunked"), "page"),
        (warc_record(http_response("<html><body><p>Caf\u00e9 talks \u2013 day two</p></body></html>".encode("cp1252"),
                                   "text/html; charset=windows-1252"), "https://courier.example/cafe"), "page"),
        (warc_record(b"via: https://courier.example/dam\r\n", "https://courier.example/dam", kind="metadata"), None),
    ]
    return [record for (record, _), _ in specs], [rid for (_, rid), _ in specs], [want for _, want in specs]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_a_warc_file_written_by_the_test_is_read_back(tmp_path, name):
    records, ids, wants = crawl()
    path = tmp_path / name
    offsets = write_warc(path, records)
    items = list(read_warc(path, max_bytes=1_000_000))
    expected = [(rid, off, want) for rid, off, want in zip(ids, offsets, wants) if want]
    assert len(items) == len(expected)
    for item, (rid, offset, want) in zip(items, expected):
        if want == "page":
            assert isinstance(item, Document), item
            assert item.id == rid
            assert item.origin == f"{path}#{offset}"
            assert item.fetched == "2025-05-21T10:00:00+00:00" and item.published is None
        else:
            assert isinstance(item, Failure) and item.doc_id == rid and want in item.reason, item
            assert item.origin == f"{path}#{offset}"
    pages = {item.url: item.html for item in items if isinstance(item, Document)}
    assert pages["https://courier.example/dam"] == PAGE
    assert "Gzipped dam" in pages["https://courier.example/gz"]
    assert "Chunk one and chunk two." in pages["https://courier.example/chunked"]
    assert "Caf\u00e9 talks \u2013 day two" in pages["https://courier.example/cafe"]


def test_a_truncated_warc_gz_keeps_the_records_read_and_fails_the_file(tmp_path):
    records = [warc_record(http_response(PAGE.replace("Dam", f"Dam {n}").encode()), f"https://c.example/{n}")[0]
               for n in range(3)]
    path = tmp_path / "cut.warc.gz"
    write_warc(path, records)
    data = path.read_bytes()
    path.write_bytes(data[:-40])  # the last record loses its end
    items = list(read_warc(path))
    assert [type(item) for item in items] == [Document, Document, Failure]
    assert items[-1].doc_id == "cut.warc" and "truncated" in items[-1].reason


@pytest.mark.parametrize("cut", [30, 150, 330])
def test_an_uncompressed_warc_cut_anywhere_in_its_last_record_fails_the_file(tmp_path, cut):
    records = [warc_record(http_response(PAGE.encode()), f"https://c.example/{n}")[0] for n in range(2)]
    path = tmp_path / "cut.warc"
    offsets = write_warc(path, records)
    path.write_bytes(path.read_bytes()[:offsets[1] + cut])  # inside the header, the HTTP head, the body
    items = list(read_warc(path))
    assert isinstance(items[0], Document)
    assert isinstance(items[-1], Failure) and "truncated" in items[-1].reason
    assert len(items) == 2


def test_garbage_after_the_records_fails_the_file(tmp_path):
    path = tmp_path / "junk-tail.warc.gz"
    write_warc(path, [warc_record(http_response(PAGE.encode()), "https://c.example/a")[0]])
    path.write_bytes(path.read_bytes() + b"this is not gzip at all" * 10)
    items = list(read_warc(path))
    assert isinstance(items[0], Document)
    assert isinstance(items[1], Failure) and "corrupt" in items[1].reason


@pytest.mark.parametrize("content, reason", [(b"", "empty file"), (b"hello, this is not a WARC file\n", "WARC"),
                                             (b"\x1f\x8b\x08\x00garbage", "WARC file")])
def test_a_file_that_is_not_warc_is_one_failure(tmp_path, content, reason):
    path = tmp_path / "bad.warc"
    path.write_bytes(content)
    items = list(read_warc(path))
    assert len(items) == 1 and isinstance(items[0], Failure) and reason in items[0].reason


def test_read_sources_reads_warc_files_in_a_directory(tmp_path):
    (tmp_path / "notes.txt").write_text("Envoys met in the capital on Monday.", encoding="utf-8")
    records = [warc_record(http_response(PAGE.encode()), "https://c.example/a", record_id="urn:uuid:aaaa")[0],
               warc_record(http_response(b"%PDF-1.4", "application/pdf"), "https://c.example/b",
                           record_id="urn:uuid:bbbb")[0]]
    write_warc(tmp_path / "cc-news.warc.gz", records)
    items = {getattr(item, "id", None) or item.doc_id: item for item in read_sources([str(tmp_path)])}
    assert set(items) == {"urn:uuid:aaaa", "urn:uuid:bbbb", "notes"}
    assert items["urn:uuid:aaaa"].url == "https://c.example/a"
    assert isinstance(items["urn:uuid:bbbb"], Failure)


def test_public_api_is_what_it_should_be():
    assert set(warc.__all__) == {"read_warc", "is_warc_path", "HTML_TYPES"}
    assert warc.is_warc_path("a/CC-NEWS.warc.GZ") and not warc.is_warc_path("a.warc.json")
