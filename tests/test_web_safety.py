"""Web safety of `diurna serve`: SQL injection through every filter and query parameter (never a
500, never a wider result, the tables intact), markup from articles, titles, actor names and query
parameters escaped in every page, the security headers on every kind of response, writes off by
default and guarded by the token, and no path out of /static.

Complements test_web_api.py (one escaping check, headers on four paths, the API's write guards)
and test_web_fuzz.py (schema-driven fuzzing); what those check is not repeated here."""
from __future__ import annotations

import datetime as dt
import http.client
import socket
import threading
import time
from urllib.parse import quote

import pytest
import uvicorn
from fastapi.testclient import TestClient

from diurna.models import Article, Entity, Event, Sentence
from diurna.store import Store
from diurna.web import create_app
from test_web_api import EVIL, TOKEN, build_store  # tests/ is on sys.path (it is not a package)

IMG = '<img src=x onerror="alert(1)">'
BREAKOUT = "</script><img src=x onerror=alert(2)>"
INJECTIONS = [
    "' OR 1=1 --", '"; DROP TABLE events; --', "IND' UNION SELECT id, text FROM articles --",
    "x' AND 1=0 UNION SELECT sqlite_version() --", "') OR ('1'='1", "1; DELETE FROM articles",
    "NEAR(", "NEAR(india pakistan", "*", "india*", '"unbalanced', "india OR", "OR", "NOT", "(", ")", "^india",
    "col:india", "%", "_", "\\", "'", '"', "\x00", "\u202e", "-- ", "/*", "IND\x00' OR '1'='1",
]
EVENT_FILTERS = ["country", "actor", "recipient", "sector", "type", "quad", "since", "until", "q", "min_confidence",
                 "include_nonfactual", "order", "limit", "offset"]
AGGREGATES = ["/api/actors", "/api/dyads", "/api/timeline", "/api/countries", "/api/network"]
PAGES = ["/", "/events", "/network", "/map"]


def hostile_article() -> tuple[Article, list[Event]]:
    """An article whose title, text and actor names carry markup (as a user actor dictionary could name them)."""
    sentence = f"{IMG} met {BREAKOUT} in Geneva on Monday."
    art = Article(id="https://example.org/markup", text=sentence, title=f"Markup {IMG} {BREAKOUT}",
                  url="https://example.org/markup", published=dt.date(2025, 5, 20),
                  sentences=[Sentence(0, 0, len(sentence), sentence)])
    t = sentence.index("met")
    r = sentence.index(BREAKOUT)
    ev = Event(doc_id=art.id, event_type="CONSULT", sentence=0, start=0, end=len(sentence), event_text=sentence,
               trigger="met", trigger_start=t, trigger_end=t + 3,
               actor=[Entity("IMG", "GOV", IMG, 0, len(IMG))],
               recipient=[Entity("BRK", "GOV", BREAKOUT, r, r + len(BREAKOUT))],
               cameo="040", goldstein=1.0, quad_code=1, confidence=0.9, coder="test/1", date=dt.date(2025, 5, 19))
    return art, [ev]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("safety"))
    art, events = hostile_article()
    with Store.open(path) as store:
        store.add(art, events, coder="test/1")
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def table_counts(client) -> dict:
    counts = client.get("/api/stats").json()["counts"]
    assert counts["articles"] == 3 and counts["events"] == 6
    return counts


# --- SQL injection -------------------------------------------------------------------------------

def test_injection_through_every_event_filter_is_a_4xx_or_an_empty_answer_and_the_tables_stay(client):
    before = table_counts(client)
    everything = client.get("/api/events", params={"include_nonfactual": "true", "limit": 500}).json()["total"]
    india = client.get("/api/events", params={"q": "india"}).json()["total"]
    for name in EVENT_FILTERS:
        for payload in INJECTIONS:
            response = client.get("/api/events", params={name: payload})
            assert response.status_code in (200, 400, 422), (name, payload, response.text[:300])
            if response.status_code == 200:
                body = response.json()
                assert body["total"] <= everything
                if name == "q" and "india" in payload.lower():  # the word itself: no more than the word finds
                    assert body["total"] <= india, payload
                elif name in ("country", "actor", "recipient", "sector", "type", "q"):
                    assert body["total"] == 0 and body["events"] == [], (name, payload)  # not widened
    assert table_counts(client) == before


@pytest.mark.parametrize("path", AGGREGATES)
def test_injection_through_the_aggregates_filters_never_widens_them(client, path):
    for name in ("country", "actor", "recipient", "sector", "type", "q", "since", "period"):
        for payload in INJECTIONS:
            response = client.get(path, params={name: payload})
            assert response.status_code in (200, 400, 422), (path, name, payload, response.text[:300])
            if name == "q" and "india" in payload.lower():
                continue  # a word the articles hold: see the events test for the bound
            if response.status_code == 200 and name in ("country", "actor", "recipient", "sector", "type", "q"):
                body = response.json()
                rows = body.get("nodes", []) + body.get("edges", []) if isinstance(body, dict) else body
                assert not [r for r in rows if r.get("events", r.get("count", 0))], (path, name, payload, rows[:3])


def test_injection_through_search_ids_and_page_parameters_is_never_a_500(client, db):
    before = table_counts(client)
    for payload in INJECTIONS:
        found = client.get("/api/articles", params={"q": payload})
        assert found.status_code in (200, 400, 422), (payload, found.text[:300])
        if found.status_code == 200:
            assert len(found.json()["articles"]) <= 3
        for path in (f"/api/events/{payload}", f"/api/articles/{payload}", f"/articles/{payload}"):
            response = client.get(path.replace(payload, quote(payload, safe="")))
            assert response.status_code in (400, 404, 422), (path, response.status_code)
        for page, params in [("/articles", {"q": payload}), ("/events", {"actor": payload, "q": payload}),
                             ("/dyads", {"a": payload, "b": "IND"}), ("/network", {"country": payload}),
                             ("/map", {"type": payload}), ("/events", {"limit": payload, "order": payload})]:
            response = client.get(page, params=params, headers={"accept": "text/html"})
            assert response.status_code in (200, 400, 422), (page, params, response.status_code)
    with Store.open(db) as store:
        assert store.integrity_check() == []
    assert table_counts(client) == before


def test_a_search_with_fts_operators_matches_words_not_syntax(client):
    """`india OR` and `NEAR(` are searched as words: a query can narrow, never widen, what a word finds."""
    word = len(client.get("/api/articles", params={"q": "india"}).json()["articles"])
    assert 0 < word < 3
    for payload in ("india OR", "india*", "india AND", "india NOT", "india NEAR(", '"india'):
        response = client.get("/api/articles", params={"q": payload})
        assert response.status_code == 200
        assert len(response.json()["articles"]) <= word, payload


# --- escaping ------------------------------------------------------------------------------------

def test_markup_in_titles_text_and_actor_names_is_escaped_on_every_page(client):
    pages = ["/", "/events", "/events?actor=IMG", "/events?include_nonfactual=true", "/articles",
             "/articles?q=Geneva", "/articles/" + _markup_id(client), "/dyads?a=IMG&b=BRK", "/network", "/map",
             "/network?country=IMG"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.text
        for raw in (IMG, BREAKOUT, "<img", "onerror=alert(2)>", EVIL):
            assert raw not in page, (path, raw)
    article = client.get("/articles/" + _markup_id(client)).text
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in article or "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in article
    listed = client.get("/events", params={"actor": "IMG"}).text
    assert "&lt;img src=x onerror=" in listed and "&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in listed


def test_markup_in_query_parameters_is_escaped_in_pages_and_error_pages(client):
    for path, params in [("/events", {"q": IMG}), ("/events", {"since": IMG}), ("/articles", {"q": BREAKOUT}),
                         ("/dyads", {"a": IMG, "b": BREAKOUT}), ("/map", {"quad": IMG}),
                         ("/events", {"order": BREAKOUT}), ("/network", {"until": BREAKOUT})]:
        response = client.get(path, params=params, headers={"accept": "text/html"})
        assert response.status_code in (200, 422), (path, params)
        assert response.headers["content-type"].startswith("text/html")
        assert "<img" not in response.text and BREAKOUT not in response.text, (path, params)
    missing = client.get("/articles/" + IMG.replace('"', "%22"), headers={"accept": "text/html"})
    assert missing.status_code in (404, 422) and "<img" not in missing.text


def test_json_answers_are_json_not_html(client):
    for path in ("/api/events?actor=IMG", "/api/articles?q=Geneva", "/api/actors", "/api/network"):
        response = client.get(path)
        assert response.headers["content-type"].startswith("application/json"), path
        assert response.headers["x-content-type-options"] == "nosniff"


def _markup_id(client) -> str:
    return client.get("/api/articles", params={"q": "Geneva"}).json()["articles"][0]["id"]


# --- headers -------------------------------------------------------------------------------------

def test_security_headers_on_every_kind_of_response(client):
    responses = {
        "page": client.get("/events"), "api": client.get("/api/stats"), "static": client.get("/static/app.css"),
        "vendor": client.get("/static/vendor/echarts/echarts.min.js"), "openapi": client.get("/openapi.json"),
        "docs": client.get("/docs"), "404 api": client.get("/api/events/nope"),
        "404 page": client.get("/articles/nope", headers={"accept": "text/html"}),
        "404 static": client.get("/static/nope.js"), "422": client.get("/api/events", params={"quad": 9}),
        "422 page": client.get("/events", params={"since": "x"}, headers={"accept": "text/html"}),
        "405": client.delete("/api/events"), "403 write": client.post("/api/articles", json={"text": "x"}),
        "413": client.post("/api/code", content=b"x" * 1_000_001, headers={"content-type": "application/json"}),
        "HEAD": client.head("/static/app.js"), "download": client.get("/api/events.csv"),
    }
    for name, response in responses.items():
        headers = response.headers
        csp = headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp, name
        assert ("unsafe-inline" in csp) == (name == "docs"), name  # only Swagger UI's styles, never script
        assert "script-src 'self';" in csp, name
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer", name
        assert headers["cross-origin-opener-policy"] == "same-origin", name
        assert len(headers.get_list("content-security-policy")) == 1, name


# --- writes --------------------------------------------------------------------------------------

def test_the_correction_form_is_off_by_default_and_needs_the_token(db):
    with TestClient(create_app(db)) as reader:
        article_id = _markup_id(reader)
        event_id = reader.get(f"/api/articles/{article_id}").json()["events"][0]["id"]
        form = {"event_id": event_id, "token": TOKEN, "status": "wrong"}
        assert reader.post(f"/articles/{article_id}/corrections", data=form).status_code == 403
    with TestClient(create_app(db, allow_edit=True, token=TOKEN)) as editor:
        for token in ("", "nope", TOKEN + "x", TOKEN[:-1], " " + TOKEN, TOKEN.upper()):
            response = editor.post(f"/articles/{article_id}/corrections",
                                   data={"event_id": event_id, "token": token, "status": "wrong"})
            assert response.status_code in (401, 422), token
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        assert editor.post("/api/articles", json={"text": "India met Pakistan."}, headers=bearer).status_code == 403
        assert editor.post(f"/api/events/{event_id}/corrections", json={"status": "wrong"},
                           headers={"Authorization": TOKEN}).status_code == 401  # the scheme is needed
        assert editor.get(f"/api/events/{event_id}/corrections").json() == []


def test_a_server_allowing_writes_without_a_token_makes_up_a_long_random_one(db):
    first, second = create_app(db, allow_ingest=True), create_app(db, allow_ingest=True)
    assert len(first.state.web.token) >= 24 and first.state.web.token != second.state.web.token
    with TestClient(first) as editor:
        assert editor.post("/api/articles", json={"text": "India met Pakistan."}).status_code == 401
        assert editor.post("/api/articles", json={"text": "India met Pakistan."},
                           headers={"Authorization": "Bearer "}).status_code == 401


# --- static files --------------------------------------------------------------------------------

TRAVERSALS = [
    "/static/../../etc/passwd", "/static/../app.py", "/static/%2e%2e/app.py", "/static/%2e%2e%2fapp.py",
    "/static/..%2fapp.py", "/static/vendor/..%2f..%2fapp.py", "/static/vendor/../../app.py",
    "/static/%252e%252e/app.py", "/static/..%5capp.py", "/static/..\\app.py", "/static//etc/passwd",
    "/static/%2fetc%2fpasswd", "/static/app.css%00.js", "/static/./../pages.py", "/static/vendor/..%2f..%2f..%2fweb%2fapp.py",
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/static/.%2e/.%2e/.%2e/pyproject.toml", "/static",
    "/static/", "/static/vendor/", "/static/templates/base.html", "/templates/base.html",
]


@pytest.fixture(scope="module")
def server(db):
    """The app under uvicorn, so paths reach it as raw bytes (a test client would normalise them)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    served = uvicorn.Server(uvicorn.Config(create_app(db), log_level="warning"))
    thread = threading.Thread(target=served.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started:  # bounded wait for uvicorn's own flag
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.01)
    yield sock.getsockname()[1]
    served.should_exit = True
    thread.join(30)
    sock.close()


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_leaves_the_static_folder(server, path):
    status, body = raw_get(server, path)
    assert status in (400, 404, 405, 422) or (status in (301, 307) and path in ("/static",)), (path, status)
    for secret in (b"root:", b"import ", b"[project]", b"{% block", b"def "):
        assert secret not in body, (path, secret)


def test_the_static_files_it_should_serve_it_serves(server):
    assert raw_get(server, "/static/app.js")[0] == 200
    assert raw_get(server, "/static/vendor/echarts/echarts.min.js")[0] == 200
