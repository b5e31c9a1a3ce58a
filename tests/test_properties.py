"""Property-based tests (hypothesis): any text in, a valid result or a clean DiurnaError out.

Stages: reading (decode, JSONL lines), extraction and the page-text cleaner, date and place
resolution, the whole pipeline (every event's offsets inside its text) and the record writers
(store codec, PLOVER/CSV/GDELT export). Example counts are modest so the file runs in CI time;
`HYPOTHESIS_PROFILE=long` runs many more.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from diurna import export, geo, when
from diurna.errors import DiurnaError, ExtractError, InputError
from diurna.extract import clean_page_text, extract
from diurna.models import Article, Document, Failure
from diurna.pipeline import Pipeline
from diurna.sources import _jsonl_document, decode_bytes, decode_web
from diurna.store import codec

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Text that looks like news, broken up by the characters hostile documents carry.
WORDS = ["Pakistani", "troops", "shelled", "villages", "in", "Kashmir", "on", "Monday", "Indian", "officials",
         "said", "met", "Modi", "New Delhi", "rebels", "attacked", "police", "Kabul", "May 21", "2024", "."]
ODD = ["\u200b", "\u200d", "\u202e", "\u200f", "\ufeff", "\ufffd", "\x0b", "\r", "\n\n", "\t", "é", "ß", "ﬁ",
       "\U0001F600", "\u0627\u0644", "<", "&amp;", "  "]
newsy = st.lists(st.sampled_from(WORDS + ODD), min_size=1, max_size=80).map(" ".join)
any_text = st.one_of(st.text(max_size=400), newsy)


@given(st.binary(max_size=2000), st.booleans())
def test_decoding_any_bytes_gives_text_or_an_input_error(data, html):
    for decode in (decode_bytes, lambda d, html: decode_web(d, None, html=html)):
        try:
            text = decode(data, html=html)
        except InputError:
            continue
        assert isinstance(text, str) and "\x00" not in text


@given(st.one_of(st.text(max_size=300), st.builds(json.dumps, st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
        ["id", "text", "html", "published", "url", "title", "dyad"]), inner, max_size=5), max_leaves=12))))
def test_any_jsonl_line_is_a_document_or_a_failure(line):
    item = _jsonl_document(line, "f:1", "f.jsonl:1")
    assert isinstance(item, (Document, Failure))
    if isinstance(item, Document):
        assert (item.text or item.html) and isinstance(item.id, str)


@given(any_text)
def test_the_page_text_cleaner_takes_any_text(text):
    page = clean_page_text(text)
    for part in (page.title, page.byline, page.body):
        assert isinstance(part, str)
    assert page.date_text is None or isinstance(page.date_text, str)


@given(any_text, st.booleans())
def test_extract_gives_an_article_or_an_extract_error(text, as_html):
    doc = Document(id="d", html=f"<html><body><p>{text}</p></body></html>") if as_html else Document(id="d", text=text)
    try:
        article = extract(doc)
    except ExtractError:
        return
    assert isinstance(article, Article) and article.text.strip()
    assert isinstance(article.published, dt.date)


@given(any_text, st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["past", "future"]))
def test_read_date_gives_a_date_or_none(text, base, prefer):
    found = when.read_date(text, base, prefer)
    if found is not None:
        assert isinstance(found.date, dt.date)
        assert found.enddate is None or found.enddate >= found.date
        assert found.precision in ("day", "month", "year")


@given(any_text, st.lists(st.sampled_from(["PAK", "IND", "USA", "AFG", "x", ""]), max_size=3))
def test_resolve_place_gives_a_place_or_none(text, in_play):
    place = geo.resolve_place(text, in_play)
    if place is not None:  # a sea or a region across borders ("the Arctic") has no country of its own
        assert isinstance(place.country_code, str) and (place.country_code or place.feature == "region")


@given(st.text(max_size=300))
def test_the_store_codec_keeps_offsets_and_drops_nul(text):
    cleaned = codec.clean(text)
    assert len(cleaned) == len(text) and "\x00" not in cleaned
    assert codec.normalise_text(codec.normalise_text(text)) == codec.normalise_text(text)
    assert len(codec.content_hash(text)) == 64


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline()


@given(st.lists(st.sampled_from([
    "Pakistani troops shelled villages in Kashmir on Monday, Indian officials said.",
    "Indian Prime Minister Narendra Modi met Pakistani officials in New Delhi on Tuesday.",
    "Rebels attacked a police post in Kunar province.",
    "Protesters marched in Lahore on May 21."]) , min_size=1, max_size=4),
    st.lists(st.sampled_from(ODD), max_size=6), st.randoms(use_true_random=False))
@settings(max_examples=25)
def test_every_event_points_inside_its_text_and_every_record_writes(pipeline, sentences, odd, rnd):
    text = " ".join(sentences)
    for ch in odd:  # hostile characters dropped anywhere, even inside words
        at = rnd.randrange(len(text) + 1)
        text = text[:at] + ch + text[at:]
    (result,) = pipeline.run([Document(id="p", text=text)])
    if result.failure is not None:
        assert result.failure.stage in ("extract", "sources") and result.failure.reason
        return
    article = result.article
    for event in result.events:
        assert 0 <= event.start < event.end <= len(article.text)
        assert 0 <= event.trigger_start < event.trigger_end <= len(article.text)
        json.dumps(event.to_record())
    out = io.StringIO()
    assert export.write(result.events, "plover", out) == len(result.events)
    assert all(json.loads(line) for line in out.getvalue().splitlines())
    table = io.StringIO()  # a tab or line break in the text must not add a column or a row
    export.write(result.events, "gdelt", table)
    lines = table.getvalue().splitlines()
    assert len(lines) == 1 + len(result.events)
    assert len({line.count("\t") for line in lines}) == 1
    rows = codec.event_rows("stored", result.events)
    assert len(rows[0]) == len(result.events)


def test_errors_raised_here_are_diurna_errors():
    """The properties above catch only DiurnaError subclasses: nothing else is 'clean'."""
    assert issubclass(InputError, DiurnaError) and issubclass(ExtractError, DiurnaError)
