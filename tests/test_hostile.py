"""Hostile documents (tests/hostile_corpus.py) through the real ingest path, and the per-document
time limit: each input ends as a recorded failure or a bounded, correct result, and the batch goes on."""
from __future__ import annotations

import signal
import sqlite3
import sys
import threading
import tracemalloc
from pathlib import Path

import pytest

from diurna import ingest, nlp, pipeline
from diurna.models import Document
from diurna.pipeline import Pipeline, time_limit
from diurna.sources import read_sources

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
import hostile_corpus  # noqa: E402
from localweb import LocalWeb  # noqa: E402

SCALE = 0.05  # the 200 MB page as 10 MB, the gzip bombs as 50 MB decoded: still over the 5 MB cap


def _owner(failure, paths: dict[str, Path], urls: dict[str, str]) -> str:
    """The corpus input a failure came from."""
    for name, url in urls.items():
        if failure.doc_id == url:
            return name
    for name, path in paths.items():
        if failure.origin.startswith(str(path)):
            return name
    raise AssertionError(f"a failure from no hostile input: {failure}")


@pytest.mark.slow
def test_every_hostile_input_is_a_recorded_failure_or_a_coded_article(tmp_path):
    paths = hostile_corpus.write_files(tmp_path / "corpus", scale=SCALE)
    db = tmp_path / "hostile.db"
    with LocalWeb() as web:
        urls = hostile_corpus.serve(web, scale=SCALE)
        items = read_sources([str(tmp_path / "corpus"), *urls.values()], allow_private=True, respect_robots=False)
        summary = ingest.ingest(items, ingest.Settings(store=str(db)))

    ended: dict[str, set[str]] = {}
    for failure in summary.failed:
        ended.setdefault(_owner(failure, paths, urls), set()).add(failure.stage)
    for name, stage in hostile_corpus.EXPECTED.items():
        if stage is None:
            assert name not in ended, name
        else:
            assert ended.get(name) == {stage}, (name, [f for f in summary.failed if _owner(f, paths, urls) == name])
    # six JSONL lines that are not objects, and the one that is, stored
    assert sum(1 for f in summary.failed if _owner(f, paths, urls) == "jsonl_not_objects") == 6
    # what survives is stored and coded: the JSONL object, the WARC's good record, the zero-width text
    assert summary.articles == 3
    assert summary.events >= 3
    with sqlite3.connect(db) as conn:  # every stored event's offsets lie inside its stored text
        texts = dict(conn.execute("SELECT id, text FROM articles"))
        spans = conn.execute('SELECT article_id, start, "end", trigger_start, trigger_end FROM events').fetchall()
    assert any("\u200b" in text and "\u202e" in text for text in texts.values())
    assert len(spans) == summary.events
    for article_id, *offsets in spans:
        assert all(0 <= offset <= len(texts[article_id]) for offset in offsets)


def test_zero_width_and_right_to_left_characters_keep_event_offsets_inside_the_text(tmp_path):
    paths = hostile_corpus.write_files(tmp_path, scale=SCALE)
    (doc,) = read_sources([str(paths["zero_width_rtl"])])
    (result,) = Pipeline().run([doc])
    assert result.failure is None and result.events
    text = result.article.text
    for event in result.events:
        assert 0 <= event.start < event.end <= len(text)
        assert text[event.start:event.end].strip()


def test_a_gzip_bomb_costs_no_more_memory_than_the_size_cap():
    cap = 5_000_000
    with LocalWeb() as web:
        urls = hostile_corpus.serve(web, scale=0.1)  # 100 MB once decoded
        tracemalloc.start()
        try:
            (failure,) = read_sources([urls["http_gzip_bomb"]], allow_private=True, respect_robots=False)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert "larger than the limit" in failure.reason
    assert peak < 4 * cap  # the cap, a copy or two of it while joining, never the 100 MB


def test_a_sentence_with_no_end_is_cut_so_coding_stays_linear(nlp):
    doc = nlp("the minister met the rebels and talked about peace " * 200)
    lengths = [len(sent) for sent in doc.sents]
    assert max(lengths) <= nlp_stage_cap()
    assert sum(lengths) == len(doc)


def nlp_stage_cap() -> int:
    return nlp.MAX_SENTENCE_TOKENS


def test_a_text_longer_than_the_parse_limit_is_an_nlp_failure_not_a_parse():
    text = "The minister met the rebels. " * (nlp.MAX_TEXT_CHARS // 29 + 1)
    (result,) = Pipeline().run([Document(id="long", text=text)])
    assert result.failure is not None and result.failure.stage == "nlp"
    assert "too long to parse" in result.failure.reason


# --------------------------------------------------------------------------------------------
# The per-document time limit: a stage blocked forever on an Event nobody sets is interrupted
# by the limit, so each of these tests lasts the configured 0.5 s, not a wall-clock wait.

NEVER = threading.Event()


def _hang_on(doc_id: str):
    def stage(article):
        if article.id == doc_id:
            NEVER.wait()
        return article
    return stage


def test_a_document_that_hangs_in_coding_is_a_timed_out_failure_and_the_batch_goes_on():
    pipe = Pipeline(doc_timeout=0.5)
    pipe.stages.insert(1, ("coding", _hang_on("stuck")))
    docs = [Document(id=name, text=hostile_corpus.STORY) for name in ("before", "stuck", "after")]
    results = {r.article.id if r.article else r.failure.doc_id: r for r in pipe.run(docs)}
    assert results["stuck"].failure.reason == "timed out after 0.5 s"
    assert results["stuck"].failure.stage == "coding"
    assert results["before"].events and results["after"].events


def test_a_document_that_hangs_in_extract_is_a_timed_out_failure(monkeypatch):
    real = pipeline.extract

    def extract(doc, published=None):
        if doc.id == "stuck":
            NEVER.wait()
        return real(doc, published)

    monkeypatch.setattr(pipeline, "extract", extract)
    monkeypatch.setenv("DIURNA_DOC_TIMEOUT", "0.5")
    results = list(Pipeline().run([Document(id=i, text=hostile_corpus.STORY) for i in ("stuck", "after")]))
    assert (results[0].failure.stage, results[0].failure.reason) == ("extract", "timed out after 0.5 s")
    assert results[1].failure is None and results[1].events


def test_a_library_that_catches_exception_cannot_swallow_the_time_limit():
    with pytest.raises(pipeline._TimedOut):
        with time_limit(0.2):
            try:
                NEVER.wait()
            except Exception:  # what trafilatura and friends do
                pass


def test_the_time_limit_gives_back_an_outer_timer_and_handler():
    def outer(signum, frame):
        raise AssertionError("outer")

    previous = signal.signal(signal.SIGALRM, outer)
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        with time_limit(5):
            pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 90 < left <= 100
        assert signal.getsignal(signal.SIGALRM) is outer
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_the_time_limit_setting(monkeypatch):
    from diurna import settings
    from diurna.errors import InputError

    assert settings.doc_timeout() == settings.DEFAULT_DOC_TIMEOUT
    monkeypatch.setenv("DIURNA_DOC_TIMEOUT", "0")
    assert settings.doc_timeout() == 0
    monkeypatch.setenv("DIURNA_DOC_TIMEOUT", "soon")
    with pytest.raises(InputError):
        settings.doc_timeout()
