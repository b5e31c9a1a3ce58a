"""The HTTP API (FastAPI's test client) over a small store written by the test: events, articles,
aggregates, downloads, coding, the guarded writes, corrections, escaping and security headers."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from fastapi.testclient import TestClient

from diurna.models import Article, Entity, Event, Place, Sentence
from diurna.store import Store
from diurna.store import migrations
from diurna.web import create_app

TOKEN = "test-token-123"
EVIL = "<script>alert('x')</script>"


def article(url: str, title: str, sentences: list[str], published: dt.date) -> Article:
    text, spans, start = "", [], 0
    for i, sentence in enumerate(sentences):
        spans.append(Sentence(i, start, start + len(sentence), sentence))
        text += sentence + " "
        start = len(text)
    return Article(id=url, text=text.rstrip(), title=title, url=url, published=published, sentences=spans)


def event(art: Article, sentence: int, trigger: str, kind: str, actor: str, recipient: str, quad: int,
          goldstein: float, day: dt.date, mode: list[str] | None = None, place: str | None = None) -> Event:
    s = art.sentences[sentence]
    t = s.start + s.text.index(trigger)
    a = s.start + s.text.index(actor)
    r = s.start + s.text.index(recipient)
    code = {"India": "IND", "Pakistan": "PAK", "Chinese": "CHN", "Beijing": "CHN", EVIL: "XSS"}
    return Event(doc_id=art.id, event_type=kind, sentence=sentence, start=s.start, end=s.end, event_text=s.text,
                 trigger=trigger, trigger_start=t, trigger_end=t + len(trigger),
                 actor=[Entity(code.get(actor, actor[:3].upper()), "GOV", actor, a, a + len(actor))],
                 recipient=[Entity(code.get(recipient, recipient[:3].upper()), "GOV", recipient, r, r + len(recipient))],
                 mode=mode or [], cameo="036", goldstein=goldstein, quad_code=quad, confidence=0.8,
                 coder="test/1", date=day, place=Place(place, place[:3].upper() if place else "", place) if place else None)


@pytest.fixture
def db(tmp_path):
    return build_store(tmp_path)


def build_store(folder):
    """A store of two articles and five events, one of them hypothetical, one article with a <script>."""
    path = folder / "web.db"
    one = article("https://example.org/talks", "Talks at the border",
                  ["India met Pakistan at Wagah on Monday.", "India accused Pakistan of shelling.",
                   "India may attack Pakistan, analysts said."], dt.date(2025, 5, 12))
    two = article("https://example.org/evil", f"Evil {EVIL} title",
                  [f"India praised Pakistan and {EVIL} was printed.", "Beijing criticised India on Friday."],
                  dt.date(2025, 6, 2))
    events_one = [event(one, 0, "met", "CONSULT", "India", "Pakistan", 1, 1.0, dt.date(2025, 5, 12), place="IND"),
                  event(one, 1, "accused", "ACCUSE", "India", "Pakistan", 3, -2.0, dt.date(2025, 5, 11)),
                  event(one, 2, "attack", "ASSAULT", "India", "Pakistan", 4, -10.0, dt.date(2025, 5, 12),
                        mode=["hypothetical"])]
    events_two = [event(two, 0, "praised", "SUPPORT", "India", "Pakistan", 1, 3.4, dt.date(2025, 6, 1)),
                  event(two, 1, "criticised", "ACCUSE", "Beijing", "India", 3, -2.0, dt.date(2025, 5, 30))]
    with Store.open(path) as store:
        store.add(one, events_one, coder="test/1")
        store.add(two, events_two, coder="test/1")
    return path


@pytest.fixture
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


@pytest.fixture
def editor(db):
    with TestClient(create_app(db, allow_edit=True, allow_ingest=True, token=TOKEN)) as c:
        yield c


def test_events_are_paged_with_a_total_and_leave_out_what_did_not_happen(client):
    page = client.get("/api/events", params={"limit": 2}).json()
    assert page["total"] == 4 and len(page["events"]) == 2
    assert page["events"][0]["date"] >= page["events"][1]["date"]
    everything = client.get("/api/events", params={"include_nonfactual": "true"}).json()
    assert everything["total"] == 5
    assert any(not e["factual"] for e in everything["events"])


def test_events_filter_like_diurna_events(client):
    by_type = client.get("/api/events", params={"type": "ACCUSE"}).json()
    assert {e["event"][0] for e in by_type["events"]} == {"ACCUSE"} and by_type["total"] == 2
    by_actor = client.get("/api/events", params={"actor": "CHN"}).json()
    assert by_actor["total"] == 1 and by_actor["events"][0]["recipient"][0]["code"] == "IND"
    quads = client.get("/api/events", params=[("quad", "1"), ("quad", "3")]).json()
    assert {e["quad_code"] for e in quads["events"]} == {1, 3}
    window = client.get("/api/events", params={"since": "2025-06-01", "until": "2025-06-30"}).json()
    assert [e["event"][0] for e in window["events"]] == ["SUPPORT"]
    text = client.get("/api/events", params={"q": "border"}).json()
    assert text["total"] == 2 and all(e["article"]["title"] == "Talks at the border" for e in text["events"])
    assert client.get("/api/events", params={"order": "goldstein"}).json()["events"][0]["goldstein"] == -2.0


@pytest.mark.parametrize("params", [
    {"since": "yesterday"}, {"until": "2025-13-01"}, {"quad": "7"}, {"limit": "0"}, {"limit": "100000"},
    {"offset": "-1"}, {"offset": str(10**30)}, {"order": "drop table"}, {"min_confidence": "2"},
    {"min_confidence": "nan"}, {"country": "X" * 500}, {"include_nonfactual": "perhaps"},
])
def test_a_bad_parameter_is_a_422_naming_it(client, params):
    response = client.get("/api/events", params=params)
    assert response.status_code == 422, response.text
    assert list(params)[0] in response.text


def test_one_event_and_a_404_for_an_unknown_id(client):
    first = client.get("/api/events", params={"limit": 1}).json()["events"][0]
    again = client.get(f"/api/events/{first['id']}").json()
    assert again["id"] == first["id"] and again["text_info"] == first["text_info"]
    assert client.get("/api/events/nope").status_code == 404


def test_articles_list_search_with_snippets_and_one_article_with_offsets(client):
    listed = client.get("/api/articles").json()["articles"]
    assert [a["events"] for a in listed] == [2, 3]
    hits = client.get("/api/articles", params={"q": "shelling"}).json()["articles"]
    assert len(hits) == 1 and "[shelling]" in hits[0]["snippet"]
    shown = client.get(f"/api/articles/{hits[0]['id']}").json()
    text = shown["article"]["text"]
    assert len(shown["events"]) == 3 and len(shown["sentences"]) == 3
    for e in shown["events"]:
        info = e["text_info"]
        assert text[info["trigger_start"]:info["trigger_end"]] == info["trigger"]
        assert text[info["start"]:info["end"]] == e["event_text"]
        span = e["spans"]["actor"][0]
        assert text[span["start"]:span["end"]] == e["actor"][0]["entity_text"]
    assert client.get("/api/articles/unknown").status_code == 404


def test_aggregates(client):
    actors = {(a["code"], a["sector"]): a for a in client.get("/api/actors").json()}
    assert actors[("IND", "GOV")]["as_actor"] == 3 and actors[("IND", "GOV")]["as_recipient"] == 1
    dyads = client.get("/api/dyads", params={"period": "month"}).json()
    may = [d for d in dyads if d["period"] == "2025-05" and d["actor"] == "IND"]
    assert may == [{"period": "2025-05", "actor": "IND", "recipient": "PAK", "events": 2, "goldstein": -1.0}]
    assert client.get("/api/dyads", params={"period": "week"}).status_code == 422
    stats = client.get("/api/stats").json()
    assert stats["counts"]["events"] == 5 and stats["first_date"] == "2025-05-11"
    timeline = client.get("/api/timeline").json()
    assert [r["period"] for r in timeline] == ["2025-05", "2025-06"]
    assert timeline[0]["quads"] == {"1": 1, "2": 0, "3": 2, "4": 0}
    countries = {c["country"]: c for c in client.get("/api/countries").json()}
    assert countries["IND"]["events"] == 3 and countries["CHN"]["main_quad"] == 3
    network = client.get("/api/network").json()
    assert {(e["source"], e["target"]) for e in network["edges"]} == {("IND", "PAK"), ("CHN", "IND")}


def test_downloads_of_an_event_query_as_csv_and_json_lines(client):
    response = client.get("/api/events.csv", params={"type": "ACCUSE"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["event"] for r in rows] == ["ACCUSE", "ACCUSE"] and rows[0]["corrected"] == "false"
    lines = client.get("/api/events.jsonl", params={"actor": "IND"}).text.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 3 and all(r["actor"][0]["code"] == "IND" for r in records)


def test_code_a_pasted_text_without_storing_it(client):
    text = "India and Pakistan agreed to a ceasefire on May 10, the foreign ministry said."
    before = client.get("/api/stats").json()["counts"]
    found = client.post("/api/code", json={"text": text, "published": "2025-05-12"}).json()
    assert found["events"], found
    for e in found["events"]:
        info = e["text_info"]
        assert found["text"][info["trigger_start"]:info["trigger_end"]] == info["trigger"]
    assert client.get("/api/stats").json()["counts"] == before


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": 5}, {"text": "x" * 100_001},
                                  {"text": "hi", "published": "May"}, {"text": "hi", "published": "0001-01-01"}])
def test_code_refuses_bad_or_oversized_input_with_a_4xx(client, body):
    assert client.post("/api/code", json=body).status_code == 422


def test_a_body_over_the_cap_is_refused_before_it_is_read(client):
    response = client.post("/api/code", content=b"{" + b" " * 2_000_000 + b"}",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_writes_are_off_by_default(client):
    assert client.post("/api/articles", json={"text": "India met Pakistan."}).status_code == 403
    event_id = client.get("/api/events").json()["events"][0]["id"]
    assert client.post(f"/api/events/{event_id}/corrections", json={"status": "wrong"}).status_code == 403


def test_writes_need_the_token(editor):
    event_id = editor.get("/api/events").json()["events"][0]["id"]
    assert editor.post(f"/api/events/{event_id}/corrections", json={"status": "wrong"}).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert editor.post("/api/articles", json={"text": "India met Pakistan."}, headers=wrong).status_code == 401


def test_ingest_codes_and_stores_an_article_once(editor):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"text": "Indian Prime Minister Narendra Modi met Pakistan's prime minister in Delhi on Monday.",
            "url": "https://example.org/new", "title": "New talks", "published": "2025-06-03"}
    stored = editor.post("/api/articles", json=body, headers=auth)
    assert stored.status_code == 201 and stored.json()["stored"] is True
    shown = editor.get(f"/api/articles/{stored.json()['id']}").json()
    assert shown["article"]["title"] == "New talks"
    again = editor.post("/api/articles", json=body, headers=auth).json()
    assert again == {"id": stored.json()["id"], "stored": False, "events": None}


def test_a_correction_is_kept_apart_shown_exported_flagged_and_survives_a_recode(editor, db):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    target = editor.get("/api/events", params={"type": "ACCUSE", "actor": "IND"}).json()["events"][0]
    response = editor.post(f"/api/events/{target['id']}/corrections", headers=auth,
                           json={"status": "fixed", "event_type": "threaten", "note": "it was a threat"})
    assert response.status_code == 201, response.text
    shown = editor.get(f"/api/events/{target['id']}").json()
    assert shown["event"] == ["ACCUSE"]  # the coder's output is untouched
    assert shown["corrected"] is True and shown["correction"]["event_type"] == "THREATEN"
    rows = list(csv.DictReader(io.StringIO(editor.get("/api/events.csv", params={"type": "ACCUSE"}).text)))
    flagged = {r["id"]: r for r in rows}[target["id"]]
    assert flagged["corrected"] == "true" and flagged["correction_event_type"] == "THREATEN"
    assert editor.get(f"/api/events/{target['id']}/corrections").json()[0]["note"] == "it was a threat"
    with Store.open(db) as store:  # a re-code replaces the article's events
        from diurna import query
        article_id = target["doc_id"]
        events = [hit.event for hit in query.events(store, article_id=article_id, include_nonfactual=True)]
        store.replace_events(article_id, events, coder="test/2")
    assert editor.get(f"/api/events/{target['id']}").json()["correction"]["event_type"] == "THREATEN"


@pytest.mark.parametrize("body", [{"status": "maybe"}, {"status": "fixed"}, {"status": "fixed", "event_type": "DANCE"},
                                  {"status": "fixed", "date": "3000-01-01"}, {"status": "wrong", "note": "n" * 3000}])
def test_a_bad_correction_is_a_422(editor, body):
    event_id = editor.get("/api/events").json()["events"][0]["id"]
    response = editor.post(f"/api/events/{event_id}/corrections", json=body,
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422, response.text


def test_correcting_an_unknown_event_is_a_404(editor):
    response = editor.post("/api/events/unknown/corrections", json={"status": "wrong"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 404


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/events", "/static/app.js", "/nope"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"


def test_article_text_and_user_input_are_escaped(client):
    evil_id = client.get("/api/articles", params={"q": "praised"}).json()["articles"][0]["id"]
    page = client.get(f"/articles/{evil_id}").text
    assert EVIL not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    for path, params in (("/events", {"q": EVIL}), ("/articles", {"q": EVIL}), ("/events", {"actor": EVIL}),
                         ("/", {}), ("/dyads", {"a": EVIL, "b": "IND"}), ("/map", {"country": "<b>"})):
        response = client.get(path, params=params)
        assert response.status_code in (200, 422)
        assert "<script>alert" not in response.text and "<b>" not in response.text
    tried = client.post("/try", data={"text": f"India met Pakistan. {EVIL}"})  # coded or refused, echoed as text
    assert tried.status_code in (200, 422) and EVIL not in tried.text and "&lt;script&gt;" in tried.text


def test_pages_render_without_any_external_asset(client):
    for path in ("/", "/events", "/articles", "/dyads?a=IND&b=PAK", "/network", "/map", "/try", "/docs"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "http://" not in page.text.replace("http://testserver", "") or path == "/articles"
        assert "cdn" not in page.text.lower()
    assert client.get("/static/vendor/echarts/echarts.min.js").status_code == 200
    assert client.get("/static/vendor/world-atlas/countries-110m.json").status_code == 200


def test_openapi_documents_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/articles", "/api/articles/{article_id}",
                 "/api/actors", "/api/dyads", "/api/stats", "/api/code", "/api/events.csv", "/api/events.jsonl"):
        assert path in paths
    assert "/" not in paths and "/events" not in paths
    assert "swagger-ui-bundle.js" in client.get("/docs").text


def test_the_corrections_table_comes_with_every_store(tmp_path):
    assert "corrections_table" in [name for name, _ in migrations.MIGRATIONS]
    with Store.open(tmp_path / "fresh.db") as store:
        assert "corrections" in store.engine.dialect.get_table_names(store.engine.connect())


def test_serve_command_is_documented():
    from click.testing import CliRunner

    from diurna.cli import cli
    from diurna.cli import web  # noqa: F401 - registers `serve` until cli/__init__ imports it

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "--allow-edit" in result.output and "--port" in result.output


def test_the_dyad_page_counts_every_event_either_way_and_lists_the_latest(client, monkeypatch):
    from diurna.web import pages
    full = client.get("/dyads", params={"a": "IND", "b": "PAK"}).text
    assert "3 dated events between IND and PAK" in full  # met, accused, praised: the hypothetical left out
    monkeypatch.setattr(pages, "DYAD_LIST", 1)
    capped = client.get("/dyads", params={"a": "PAK", "b": "IND"}).text
    assert "3 dated events between PAK and IND" in capped and "The latest 1 are listed" in capped
    assert capped.count('class="evidence-line"') == 1


def test_serve_settings_are_checked(monkeypatch):
    from diurna import settings
    from diurna.errors import InputError
    assert settings.serve_lag() == settings.DEFAULT_SERVE_LAG and settings.serve_threads() == 4
    monkeypatch.setenv("DIURNA_SERVE_LAG", "0")
    monkeypatch.setenv("DIURNA_SERVE_THREADS", "2")
    assert settings.serve_lag() == 0 and settings.serve_threads() == 2
    for name, bad in (("DIURNA_SERVE_LAG", "-1"), ("DIURNA_SERVE_THREADS", "0"), ("DIURNA_SERVE_THREADS", "1.5"),
                      ("DIURNA_SERVE_THREADS", "inf")):
        monkeypatch.setenv(name, bad)
        with pytest.raises(InputError, match=name):
            settings.serve_lag() if name.endswith("LAG") else settings.serve_threads()
        monkeypatch.delenv(name)


def test_the_codes_plover_puts_where_a_country_goes_have_names_on_the_pages():
    from diurna.web.pages import country_names

    names = country_names()
    assert names["PAK"] == "Pakistan"
    assert names["UNO"] == "United Nations" and names["EUR"] == "European Union"
