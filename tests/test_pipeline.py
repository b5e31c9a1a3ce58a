"""The pipeline end to end: stages in order, failures recorded, the batch going on."""
import json
from pathlib import Path

import diurna
import diurna.extract
from diurna.models import Document
from diurna.pipeline import Pipeline

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "articles"


def test_a_failing_document_is_recorded_and_the_rest_are_coded():
    pipeline = Pipeline()
    docs = [Document(id="good", text="Kenya and Uganda signed a trade deal in Nairobi on Monday.", published="2025-05-21"),
            Document(id="empty", text="   "),
            Document(id="also-good", text="Police in Lagos arrested 20 protesters.", published="2025-05-21")]
    results = list(pipeline.run(docs))
    assert [r.article.id if r.article else r.failure.doc_id for r in results] == ["good", "empty", "also-good"]
    assert results[1].failure is not None and results[1].failure.stage == "extract"
    assert results[0].events and results[2].events


def test_copied_page_text_and_its_cleaned_body_give_the_same_events():
    page = (SAMPLES / "border_ceasefire.txt").read_text(encoding="utf-8")
    from_page = diurna.code_text(page, published="2025-03-03", doc_id="p")
    article_text = diurna.extract.extract(Document(id="p", text=page), None).text
    from_body = diurna.code_text(article_text, published="2025-03-03", doc_id="p")
    key = lambda e: (e.event_type, e.date, e.event_text, tuple(a.code for a in e.actor))  # noqa: E731
    assert sorted(map(key, from_page)) == sorted(map(key, from_body))
    assert from_page


def test_events_point_inside_their_article_and_carry_the_coder_version():
    for event in diurna.code_text((SAMPLES / "gulf_talks.txt").read_text(encoding="utf-8"), published="2025-06-04"):
        record = event.to_record()
        assert record["text_info"]["start"] < record["text_info"]["end"]
        assert record["coder"].startswith(f"diurna/{diurna.__version__} lexicon.")
        json.dumps(record)


def test_the_public_api_is_what_it_says():
    assert set(diurna.__all__) >= {"code_text", "code_documents", "records", "Event", "DiurnaError"}
    events = diurna.code_text("Chile recalled its ambassador from Peru.", published="2025-01-10")
    assert diurna.records(events)[0]["event"] == [events[0].event_type]


def test_html_input_is_extracted_first():
    html = ("<html><head><title>Talks | Daily Planet</title></head><body><nav>Home News</nav><article>"
            "<h1>Talks</h1><p>Egyptian Foreign Minister Karim Nassar met his Sudanese counterpart in Cairo on "
            "Tuesday to discuss the war.</p><p>The two ministers agreed to meet again next month.</p></article>"
            "</body></html>")
    events = diurna.code_text(html, published="2025-05-21", html=True)
    assert any(e.event_type == "CONSULT" for e in events)
