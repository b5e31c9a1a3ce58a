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
