"""sources: files, directories, JSONL and stdin become Documents; bad input becomes Failures."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from diurna.models import Document, Failure
from diurna.sources import decode_bytes, looks_like_html, read_sources
from diurna.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
MIXED = FIXTURES / "sources" / "mixed"
LINES = FIXTURES / "sources" / "lines.jsonl"


def by_id(items):
    return {item.id if isinstance(item, Document) else item.doc_id: item for item in items}


def test_directory_is_walked_recursively_in_sorted_order():
    ids = [item.id if isinstance(item, Document) else item.doc_id for item in read_sources([str(MIXED)])]
    assert ids == ["b1", "b2", "blob", "bulletin", "clipping", "empty", "latin1", "report.txt", "utf16",
                   "world/report.txt"]


def test_hidden_files_and_folders_are_skipped():
    texts = [item.text or "" for item in read_sources([str(MIXED)]) if isinstance(item, Document)]
    assert not any("hidden" in text or "Neither" in text for text in texts)


def test_two_files_sharing_a_stem_get_their_relative_paths_as_ids():
    items = by_id(read_sources([str(MIXED)]))
    assert items["report.txt"].text.startswith("The regional assembly")
    assert items["world/report.txt"].text.startswith("Envoys")


def test_a_file_with_a_unique_stem_gets_the_stem_as_id():
    (item,) = read_sources([str(MIXED / "report.txt")])
    assert item.id == "report"
    assert item.origin == str(MIXED / "report.txt")


def test_html_is_recognised_by_suffix_and_by_content():
    items = by_id(read_sources([str(MIXED)]))
    assert items["bulletin"].html and items["bulletin"].text is None
    assert items["clipping"].html.startswith("<html>")  # no suffix: sniffed


def test_bad_files_are_failures_and_reading_goes_on():
    items = by_id(read_sources([str(MIXED)]))
    failures = {key: item for key, item in items.items() if isinstance(item, Failure)}
    assert set(failures) == {"blob", "empty", "latin1"}
    assert "binary" in failures["blob"].reason
    assert "empty" in failures["empty"].reason
    assert "UTF-8" in failures["latin1"].reason
    assert all(f.stage == "sources" for f in failures.values())
    assert isinstance(items["utf16"], Document)  # read after the failures


def test_utf16_with_a_byte_order_mark_is_decoded():
    (item,) = read_sources([str(MIXED / "utf16.txt")])
    assert item.text.startswith("The harbour master")


def test_utf8_byte_order_mark_is_dropped():
    assert decode_bytes(b"\xef\xbb\xbfHello there") == "Hello there"


def test_mostly_control_bytes_without_nul_count_as_binary(tmp_path):
    path = tmp_path / "noise.dat"
    path.write_bytes(bytes(range(1, 32)) * 50)
    (item,) = read_sources([str(path)])
    assert isinstance(item, Failure) and "binary" in item.reason


def test_html_declared_charset_decides_the_decoding():
    (item,) = read_sources([str(FIXTURES / "extract" / "cafe_protest_latin1.html")])
    assert isinstance(item, Document)
    assert "Zürich" in item.html and "cafés" in item.html


def test_html_with_a_wrong_declared_charset_is_a_failure(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(b'<html><head><meta charset="utf-8"></head><body><p>Caf\xe9</p></body></html>')
    (item,) = read_sources([str(path)])
    assert isinstance(item, Failure)


def test_missing_file_is_a_failure_named_after_its_stem():
    items = list(read_sources(["no/such/file.txt", str(MIXED / "report.txt")]))
    assert isinstance(items[0], Failure) and items[0].doc_id == "file"
    assert "no such file" in items[0].reason
    assert isinstance(items[1], Document)


def test_file_larger_than_max_bytes_is_a_failure(monkeypatch):
    monkeypatch.setenv("DIURNA_MAX_BYTES", "20")
    (item,) = read_sources([str(MIXED / "report.txt")])
    assert isinstance(item, Failure) and "too large" in item.reason


def test_jsonl_good_lines_become_documents_with_their_fields():
    items = by_id(read_sources([str(LINES)]))
    first = items["a1"]
    assert first.text.startswith("Norland and Sudmark")
    assert (first.published, first.url, first.title) == ("2025-05-21", "https://news.example.org/a1",
                                                         "Fishing accord signed")
    assert first.dyad == ("Norland", "Sudmark")
    assert first.origin == f"{LINES}:1"
    assert items["42"].html.startswith("<html>")  # a number id becomes a string
    assert items["a10"].dyad == ("Sudmark", "Norland")


def test_jsonl_line_without_an_id_is_named_file_and_line():
    items = by_id(read_sources([str(LINES)]))
    assert items["lines:3"].text.startswith("A line without an id")


def test_jsonl_bad_lines_are_failures_with_reasons():
    items = by_id(read_sources([str(LINES)]))
    assert "not valid JSON" in items["lines:4"].reason
    assert "not a JSON object" in items["lines:5"].reason
    assert "neither 'text' nor 'html'" in items["nobody"].reason
    assert "dyad" in items["halfdyad"].reason
    assert "'id' must be a string or a number" in items["lines:8"].reason
    documents = [item for item in items.values() if isinstance(item, Document)]
    assert len(documents) == 4


def test_empty_jsonl_file_is_a_failure(tmp_path):
    path = tmp_path / "nothing.jsonl"
    path.write_text("\n\n")
    (item,) = read_sources([str(path)])
    assert isinstance(item, Failure) and item.doc_id == "nothing"


def test_stdin_with_json_objects_on_every_line_is_jsonl():
    stream = io.StringIO(json.dumps({"id": "s1", "text": "One."}) + "\n\n" + json.dumps({"text": "Two."}) + "\n")
    items = list(read_sources(["-"], stdin=stream))
    assert [item.id for item in items] == ["s1", "stdin:3"]


def test_stdin_with_prose_is_one_text_document():
    stream = io.StringIO('{"looks": "like json"}\nbut this line is prose.\n')
    (item,) = read_sources(["-"], stdin=stream)
    assert item.id == "stdin" and item.text.startswith('{"looks"')


def test_stdin_html_is_detected():
    (item,) = read_sources(["-"], stdin=io.StringIO("<!doctype html><html><body><p>Hi.</p></body></html>"))
    assert item.html and item.text is None


def test_empty_stdin_is_a_failure():
    (item,) = read_sources(["-"], stdin=io.StringIO("  \n"))
    assert isinstance(item, Failure) and item.doc_id == "stdin"


def test_stdin_keeps_its_place_among_the_inputs():
    items = list(read_sources([str(MIXED / "report.txt"), "-"], stdin=io.StringIO("Words from stdin.")))
    assert [item.id for item in items] == ["report", "stdin"]


@pytest.mark.parametrize(
    "content, expected",
    [("<!DOCTYPE html><html>", True), ("  <html lang='en'>", True), ("<!-- c --><html>", True),
     ("Plain words <b>bold</b>", False), ("{\"id\": 1}", False)],
)
def test_looks_like_html(content, expected):
    assert looks_like_html(content) is expected


def test_decode_bytes_refuses_nul_bytes():
    with pytest.raises(InputError):
        decode_bytes(b"abc\x00def")


# --------------------------------------------------------------------------------------------
# URLs, feeds and sitemaps, served from 127.0.0.1

import gzip as _gzip  # noqa: E402
import sys as _sys  # noqa: E402

from diurna.fetch import FetchResult, PrivateAddressError  # noqa: E402
from diurna.sources import decode_web, read_links  # noqa: E402
from diurna.feeds import Link  # noqa: E402

_sys.path.insert(0, str(FIXTURES / "web"))
from localweb import LocalWeb  # noqa: E402

WEB = FIXTURES / "web"


def article(title: str) -> str:
    return (f"<!doctype html><html><head><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1><p>{title}, officials said on Tuesday.</p></article></body></html>")


def served(web, name: str, path: str, content_type: str = "application/xml", gz: bool = False) -> None:
    data = (WEB / name).read_text(encoding="utf-8").replace("{base}", web.url("")).encode("utf-8")
    web.route(path, _gzip.compress(data) if gz else data, content_type=content_type)


@pytest.fixture
def web():
    with LocalWeb() as server:
        yield server


def test_a_page_url_is_fetched_into_a_document(web):
    web.page("/story", article("Envoys meet"))
    web.redirect("/short", "/story")
    (item,) = read_sources([web.url("/short")], allow_private=True)
    assert isinstance(item, Document)
    assert item.id == web.url("/short") and item.url == web.url("/story")
    assert "Envoys meet" in item.html and item.text is None
    assert item.fetched and item.fetched.endswith("+00:00")


def test_a_private_url_is_a_failure_without_allow_private_and_reading_goes_on(web):
    web.page("/story", article("Envoys meet"))
    items = list(read_sources([web.url("/story"), str(MIXED / "report.txt")]))
    assert isinstance(items[0], Failure) and items[0].doc_id == web.url("/story")
    assert "loopback" in items[0].reason and items[0].stage == "sources"
    assert isinstance(items[1], Document)
    assert web.requests == []


def test_a_non_http_url_is_a_failure():
    (item,) = read_sources(["ftp://files.example/report.html"], allow_private=True)
    assert isinstance(item, Failure) and "only http and https" in item.reason


@pytest.mark.parametrize("feed, content_type", [("rss.xml", "application/rss+xml"),
                                                ("atom.xml", "application/atom+xml")])
def test_a_feeds_articles_are_fetched_with_the_feeds_titles_and_dates(web, feed, content_type):
    served(web, feed, "/feed", content_type)
    for path in ("/world/karasu-crossing", "/world/port-strike", "/politics/river-accord", "/aid/convoy"):
        web.page(path, article(path.rsplit("/", 1)[-1]))
    items = list(read_sources([web.url("/feed")], allow_private=True))
    assert all(isinstance(item, Document) for item in items), items
    if feed == "rss.xml":
        assert [item.id for item in items] == [web.url("/world/karasu-crossing"), web.url("/world/port-strike")]
        assert items[0].title == "Envoys agree to reopen the Karasu crossing"
        assert items[0].published == "2025-05-21T23:30:00+05:00"
        assert web.paths().count("/world/karasu-crossing") == 1  # listed twice, fetched once
    else:
        assert [item.url for item in items] == [web.url("/politics/river-accord"), web.url("/aid/convoy")]
        assert items[1].published == "2025-05-19T18:00:00+00:00"
    assert all(item.origin == web.url("/feed") and item.html for item in items)


def test_a_sitemap_index_leads_to_sitemaps_and_their_pages(web):
    served(web, "sitemap_index.xml", "/sitemap.xml")
    served(web, "sitemap_may.xml", "/sitemaps/2025-05.xml")
    served(web, "sitemap_april.xml", "/sitemaps/2025-04.xml.gz", content_type="application/x-gzip", gz=True)
    for path in ("/2025/05/dam-talks", "/2025/05/border-patrols", "/2025/04/grain-deal"):
        web.page(path, article(path.rsplit("/", 1)[-1]))
    items = list(read_sources([web.url("/sitemap.xml")], allow_private=True))
    assert [item.id for item in items] == [web.url("/2025/05/dam-talks"), web.url("/2025/05/border-patrols"),
                                           web.url("/2025/04/grain-deal")]
    assert all(isinstance(item, Document) and item.published is None for item in items)


def test_a_news_sitemap_gives_its_articles_titles_and_dates(web):
    served(web, "news_sitemap.xml", "/news-sitemap.xml")
    web.page("/news/ceasefire-holds", article("Ceasefire holds"))
    web.route("/news/aid-pledge", "gone", status=404)
    first, second = read_sources([web.url("/news-sitemap.xml")], allow_private=True)
    assert first.title == "Ceasefire holds for a third day" and first.published == "2025-05-20T17:45:00+06:00"
    assert isinstance(second, Failure) and "HTTP 404" in second.reason
    assert second.doc_id == web.url("/news/aid-pledge") and second.origin == web.url("/news-sitemap.xml")


def test_a_hostile_feed_is_a_failure(web):
    served(web, "billion_laughs.xml", "/feed", "application/rss+xml")
    (item,) = read_sources([web.url("/feed")], allow_private=True)
    assert isinstance(item, Failure) and "entity" in item.reason
    assert "/laughs" not in web.paths()


def test_robots_txt_is_obeyed_for_listed_articles_unless_told_otherwise(web):
    served(web, "news_sitemap.xml", "/news-sitemap.xml")
    web.route("/robots.txt", "User-agent: *\nDisallow: /news/aid-pledge\n", content_type="text/plain")
    web.page("/news/ceasefire-holds", article("Ceasefire holds"))
    web.page("/news/aid-pledge", article("Aid pledge"))
    items = list(read_sources([web.url("/news-sitemap.xml")], allow_private=True))
    assert isinstance(items[0], Document) and isinstance(items[1], Failure) and "robots.txt" in items[1].reason
    items = list(read_sources([web.url("/news-sitemap.xml")], allow_private=True, respect_robots=False))
    assert all(isinstance(item, Document) for item in items)


def test_content_that_is_not_a_page_is_a_failure(web):
    web.route("/report.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    web.route("/notes.txt", "Envoys met on Monday.", content_type="text/plain; charset=utf-8")
    pdf, notes = read_sources([web.url("/report.pdf"), web.url("/notes.txt")], allow_private=True)
    assert isinstance(pdf, Failure) and "application/pdf" in pdf.reason
    assert notes.text == "Envoys met on Monday." and notes.html is None


def test_a_given_fetcher_is_used_for_urls():
    class Fake:
        def __init__(self):
            self.asked = []

        def fetch(self, url, *, etag=None, last_modified=None):
            self.asked.append(url)
            if "blocked" in url:
                raise PrivateAddressError("refused to connect to 10.0.0.1: a private address")
            return FetchResult(url, url, 200, {"content-type": "text/html"}, article("Fake").encode(),
                               "2025-05-21T10:00:00+00:00")

    fake = Fake()
    page, blocked = read_sources(["https://news.example/a", "https://blocked.example/b"], fetcher=fake)
    assert page.html and page.fetched == "2025-05-21T10:00:00+00:00"
    assert isinstance(blocked, Failure) and "private" in blocked.reason
    links = [Link("https://news.example/c", "C", "2025-05-20"), Link("https://news.example/c")]
    (item,) = read_links(links, fake)
    assert item.title == "C" and item.published == "2025-05-20"
    assert fake.asked == ["https://news.example/a", "https://blocked.example/b", "https://news.example/c"]


def test_web_bodies_decode_like_a_browser():
    assert decode_web("Caf\u00e9".encode("cp1252"), "iso-8859-1", html=False) == "Caf\u00e9"
    assert decode_web(b"<p>Caf\xc3\xa9 \xff</p>") == "<p>Caf\u00e9 \ufffd</p>"  # one stray byte
    assert decode_web(b"<p>Caf\xe9 cr\xe8me br\xfbl\xe9e</p>") == "<p>Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e</p>"
    with pytest.raises(InputError, match="binary"):
        decode_web(b"\x89PNG\r\n\x1a\n\x00\x00")
