"""The language-model coders against a real HTTP server on 127.0.0.1 that speaks the OpenAI chat
protocol and answers from fixtures we wrote (tests/fixtures/llm/). No test waits on a real clock:
timeouts are a fraction of a second and every backoff goes through an injected sleep."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import diurna
from diurna.llm import (Cache, ChatClient, HybridCoder, LLMAnswerError, LLMCoder, LLMConfigError, LLMRateLimited,
                        LLMTransportError, PROMPT_VERSION, make_coder)
from diurna.llm import coder as llm_coder
from diurna.llm import prompts, schema
from diurna.llm.client import retry_after
from diurna.models import Document
from diurna.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "llm"
ANSWERS = json.loads((FIXTURES / "answers.json").read_text(encoding="utf-8"))
ARTICLE = (FIXTURES / "article.txt").read_text(encoding="utf-8")
MODEL = "test-model-7b"


# ---------------------------------------------------------------------------------- the server

class FakeOpenAI:
    """An OpenAI-compatible chat endpoint. It answers, in order: the next scripted action if any;
    else the first route whose key is in the last user message's sentences; else no events."""

    def __init__(self):
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.script: list[tuple] = []
        self.routes: list[tuple[str, str]] = []
        self.refuse_json_schema = False
        self.delay = 0.0
        self._lock = threading.Lock()
        self.inflight = self.max_inflight = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server._lock:
                    server.requests.append(body)
                    server.headers.append(dict(self.headers))
                    action = server.script.pop(0) if server.script else None
                    server.inflight += 1
                    server.max_inflight = max(server.max_inflight, server.inflight)
                try:
                    self.answer(body, action)
                finally:
                    with server._lock:
                        server.inflight -= 1

            def answer(self, body, action):
                if server.delay:
                    time.sleep(server.delay)
                if server.refuse_json_schema and (body.get("response_format") or {}).get("type") == "json_schema":
                    return self.send(400, {"error": {"message": "response_format json_schema is not supported"}})
                if action and action[0] == "status":
                    headers = action[2] if len(action) > 2 else {}
                    return self.send(action[1], {"error": {"message": "scripted"}}, headers)
                if action and action[0] == "hang":
                    time.sleep(action[1])
                    return self.send(200, completion(ANSWERS["none"]))
                if action and action[0] == "answer":
                    return self.send(200, completion(action[1]))
                asked = passage(body)
                content = next((answer for key, answer in server.routes if key in asked), ANSWERS["none"])
                self.send(200, completion(content))

            def send(self, status, payload, headers=None):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def route(self, key: str, answer) -> None:
        self.routes.append((key, answer))

    def asked(self) -> list[str]:
        """The sentences of each request, in order."""
        return [passage(r) for r in self.requests]


def passage(body: dict) -> str:
    """The numbered sentences a request asks about (a retry repeats them before its complaint)."""
    content = next((m["content"] for m in reversed(body["messages"]) if "Sentences:\n" in m["content"]),
                   body["messages"][-1]["content"])
    return content.split("Sentences:\n", 1)[-1].split("\n\n")[0]


def completion(content) -> dict:
    text = content if isinstance(content, str) else json.dumps(content)
    return {"id": "chatcmpl-test", "object": "chat.completion", "model": MODEL,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1000, "completion_tokens": 50, "total_tokens": 1050}}


@pytest.fixture
def server():
    fake = FakeOpenAI()
    fake.thread.start()
    yield fake
    fake.httpd.shutdown()
    fake.httpd.server_close()


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(server, sleeps):
    made = ChatClient(server.url, MODEL, "sk-test", timeout=0.3, retries=2, backoff=0.5, sleep=sleeps.append,
                      prices=(0.5, 2.0))
    yield made
    made.close()


def code(coder, text=ARTICLE, doc_id="a1", published="2025-06-02"):
    (result,) = Pipeline(coder=coder).run([Document(id=doc_id, text=text, published=published)])
    return result


# ---------------------------------------------------------------------------------- the llm coder

def test_a_good_answer_becomes_events_tied_to_their_evidence_in_the_article(server, client):
    server.route("40 tonnes of food", ANSWERS["aid"])
    result = code(LLMCoder(client))
    assert result.failure is None
    (event,) = result.events
    text = result.article.text
    assert event.event_type == "AID" and event.quad_code == 2 and event.cameo.startswith("07")
    assert text[event.start:event.end] == event.event_text and "40 tonnes of food" in event.event_text
    assert text[event.trigger_start:event.trigger_end] == "sent"
    assert [a.code for a in event.actor] == ["KEN"] and event.actor[0].start >= event.start
    assert event.date.isoformat() == "2025-06-02"
    json.dumps(event.to_record())


def test_the_coder_string_names_the_model_and_the_prompt_version(server, client):
    server.route("40 tonnes of food", ANSWERS["aid"])
    pipeline = Pipeline(coder=LLMCoder(client))
    (result,) = pipeline.run([Document(id="a1", text=ARTICLE, published="2025-06-02")])
    assert pipeline.coder.startswith(f"diurna/{diurna.__version__} lexicon.")
    assert pipeline.coder.endswith(f"llm:{MODEL} {PROMPT_VERSION}")
    assert all(e.coder == pipeline.coder for e in result.events) and result.events


def test_an_event_whose_evidence_is_not_in_the_text_is_dropped(server, client):
    server.route("40 tonnes of food", ANSWERS["aid_and_invented"])
    coder = LLMCoder(client)
    result = code(coder)
    assert [e.event_type for e in result.events] == ["AID"]
    assert coder.dropped == 1 and "1 events dropped" in coder.summary()


def test_the_request_asks_for_the_schema_and_carries_the_codebook_and_the_key(server, client):
    code(LLMCoder(client))
    body = server.requests[0]
    assert body["model"] == MODEL and body["temperature"] == 0.0
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == schema.json_schema()
    system = body["messages"][0]["content"]
    assert all(name in system for name in diurna.ontology.EVENT_TYPES) and "Priority rules" in system
    assert server.headers[0]["Authorization"] == "Bearer sk-test"


def test_an_invalid_json_answer_is_asked_again_once_and_the_second_answer_used(server, client):
    server.script = [("answer", (FIXTURES / "invalid_answer.txt").read_text())]
    server.route("40 tonnes of food", ANSWERS["aid"])
    result = code(LLMCoder(client, max_sentences=10))
    assert [e.event_type for e in result.events] == ["AID"]
    assert len(server.requests) == 2
    retry = server.requests[1]["messages"]
    assert retry[-2]["role"] == "assistant" and "not JSON" in retry[-1]["content"]


@pytest.mark.parametrize("bad", ["wrong_type", "wrong_mode"])
def test_an_answer_invalid_twice_is_a_failure_never_a_guess(server, client, bad):
    server.script = [("answer", ANSWERS[bad]), ("answer", ANSWERS[bad])]
    coder = LLMCoder(client, max_sentences=10)
    result = code(coder)
    assert result.failure is not None and result.failure.stage == "coding"
    assert "invalid answer twice" in result.failure.reason
    assert len(server.requests) == 2 and client.usage.failures == 1


def test_schema_validation_names_what_is_wrong():
    with pytest.raises(LLMAnswerError, match="not JSON"):
        schema.parse("{nope")
    with pytest.raises(LLMAnswerError, match="not a mode of AID"):
        schema.parse(json.dumps(ANSWERS["wrong_mode"]))
    assert schema.parse("```json\n{\"events\": []}\n```").events == []


# ---------------------------------------------------------------------------------- the transport

def test_a_timeout_is_retried_after_a_backoff(server, client, sleeps):
    server.script = [("hang", 1.0)]
    answer = client.chat([{"role": "user", "content": "hi"}])
    assert json.loads(answer.text) == ANSWERS["none"]
    assert sleeps == [0.5] and client.usage.retries == 1


def test_timeouts_on_every_try_fail_after_the_retries_with_growing_backoff(server, client, sleeps):
    server.script = [("hang", 1.0)] * 3
    with pytest.raises(LLMTransportError, match="timed out"):
        client.chat([{"role": "user", "content": "hi"}])
    assert sleeps == [0.5, 1.0] and client.usage.failures == 1


def test_server_errors_are_retried(server, client, sleeps):
    server.script = [("status", 503)]
    client.chat([{"role": "user", "content": "hi"}])
    assert len(server.requests) == 2 and sleeps == [0.5]


def test_a_rate_limit_waits_as_long_as_retry_after_says(server, sleeps):
    now = [100.0]
    client = ChatClient(server.url, MODEL, timeout=0.3, retries=2, sleep=sleeps.append, clock=lambda: now[0])
    server.script = [("status", 429, {"Retry-After": "7"})]
    client.chat([{"role": "user", "content": "hi"}])
    assert sleeps == [7.0] and client.usage.rate_limited == 1 and len(server.requests) == 2


def test_a_rate_limit_that_never_ends_is_an_error(server, sleeps):
    client = ChatClient(server.url, MODEL, timeout=0.3, retries=1, sleep=sleeps.append, clock=lambda: 0.0)
    server.script = [("status", 429, {"Retry-After": "2"})] * 2
    with pytest.raises(LLMRateLimited):
        client.chat([{"role": "user", "content": "hi"}])


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after("12") == 12.0
    assert retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=lambda: 1445412480.0) == 10.0
    assert retry_after(None) is None and retry_after("soon") is None


def test_a_client_error_is_not_retried(server, client, sleeps):
    server.script = [("status", 401)]
    with pytest.raises(LLMTransportError, match="401"):
        client.chat([{"role": "user", "content": "hi"}])
    assert len(server.requests) == 1 and sleeps == []


def test_a_server_without_json_schema_is_asked_for_a_json_object_from_then_on(server, client):
    server.refuse_json_schema = True
    client.chat([{"role": "user", "content": "hi"}], schema=schema.json_schema())
    client.chat([{"role": "user", "content": "again"}], schema=schema.json_schema())
    formats = [(r.get("response_format") or {}).get("type") for r in server.requests]
    assert formats == ["json_schema", "json_object", "json_object"]


def test_no_more_requests_in_flight_than_the_concurrency_allows(server):
    server.delay = 0.05
    client = ChatClient(server.url, MODEL, concurrency=2, timeout=2.0)
    text = " ".join(f"Kenya sent aid to Uganda on day {i}." for i in range(8))
    result = code(LLMCoder(client, max_sentences=1), text=text)
    assert result.failure is None and len(server.requests) == 8
    assert server.max_inflight == 2


def test_tokens_and_cost_are_counted(server, client):
    code(LLMCoder(client, max_sentences=10))
    usage = client.usage
    assert (usage.requests, usage.prompt_tokens, usage.completion_tokens) == (1, 1000, 50)
    assert usage.cost == pytest.approx((1000 * 0.5 + 50 * 2.0) / 1e6)
    assert "tokens 1000 in + 50 out" in usage.summary() and "$0.0006" in usage.summary()


# ---------------------------------------------------------------------------------- the cache

def test_a_rerun_is_answered_from_the_cache_and_costs_nothing(server, client, tmp_path):
    server.route("40 tonnes of food", ANSWERS["aid"])
    first = code(LLMCoder(client, Cache(tmp_path / "llm.sqlite3")))
    asked = len(server.requests)
    again = ChatClient(server.url, MODEL, timeout=0.3)
    second = code(LLMCoder(again, Cache(tmp_path / "llm.sqlite3")))
    assert len(server.requests) == asked and again.usage.requests == 0 and again.usage.cache_hits == asked
    key = lambda e: (e.event_type, e.trigger_start, e.coder)  # noqa: E731
    assert [key(e) for e in first.events] == [key(e) for e in second.events]


def test_invalid_answers_are_not_cached(server, client, tmp_path):
    store = Cache(tmp_path / "llm.sqlite3")
    server.script = [("answer", ANSWERS["wrong_type"])] * 2
    code(LLMCoder(client, store, max_sentences=10))
    assert len(store) == 0


def test_the_cache_key_changes_with_the_model_the_prompt_version_and_the_text():
    messages = [{"role": "user", "content": "Kenya sent aid."}]
    key = Cache.key("m1", "p.v1", messages)
    assert key == Cache.key("m1", "p.v1", [dict(messages[0])])
    assert len({key, Cache.key("m2", "p.v1", messages), Cache.key("m1", "p.v2", messages),
                Cache.key("m1", "p.v1", [{"role": "user", "content": "Kenya sent arms."}])}) == 4


def test_the_cache_lives_under_diurna_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("DIURNA_CACHE", str(tmp_path / "c"))
    store = Cache()
    assert Path(store.path) == tmp_path / "c" / "llm.sqlite3" and Path(store.path).exists()


# ---------------------------------------------------------------------------------- the hybrid coder

def test_hybrid_asks_only_about_sentences_with_no_event_that_name_someone(server, client):
    server.route("40 tonnes of food", ANSWERS["aid"])
    coder = HybridCoder(client)
    result = code(coder)
    asked = server.asked()
    # the meeting is coded confidently offline; the rain names nobody: neither is sent. "told reporters"
    # has no offline event (find); the food aid has one the offline coder doubts (check)
    assert not any("met Ugandan President" in a or "Heavy rain" in a for a in asked)
    assert any("told reporters" in a for a in asked) and any("40 tonnes of food" in a for a in asked)
    assert sorted(task for _, _, task in coder.asked) == ["check", "find"]
    types = [e.event_type for e in result.events]
    assert "CONSULT" in types and "AID" in types


def test_hybrid_checks_the_events_it_doubts_and_takes_the_models_list(server, client):
    server.route("met Ugandan President", ANSWERS["consult"])
    coder = HybridCoder(client, doubt_below=0.99)  # every offline event is doubted
    result = code(coder)
    checked = [r["messages"][-1]["content"] for r in server.requests
               if "Another coder proposed" in r["messages"][-1]["content"]]
    # the two sentences with offline events: the meeting and the food aid
    assert len(checked) == 2 and any("met Ugandan President" in c for c in checked)
    assert any("40 tonnes of food" in c for c in checked)
    consults = [e for e in result.events if e.event_type == "CONSULT"]
    assert len(consults) == 1 and consults[0].confidence == 0.95


def test_hybrid_keeps_the_offline_events_where_the_model_fails(server, client):
    server.script = [("answer", ANSWERS["wrong_type"])] * 2
    offline = code(None).events
    coder = HybridCoder(client, doubt_below=0.99)
    client.concurrency = 1  # the scripted failure goes to the first question: the doubted meeting
    result = code(coder)
    assert result.failure is None and len(coder.failures) == 1
    first = lambda events: [e.event_type for e in events if e.sentence == 0]  # noqa: E731
    assert first(result.events) == first(offline)


def test_hybrid_with_a_dyad_asks_only_when_it_doubts_the_offline_reading(server, client):
    text = "The Tarvan council turned down the miners' union's demand for a pay rise."
    server.route("Tarvan council", ANSWERS["reject_dyad"])
    doc = Document(id="d1", text=text, published="2025-06-02", dyad=("The Tarvan council", "the miners' union"))
    (result,) = Pipeline(coder=HybridCoder(client, doubt_below=0.0)).run([doc])
    assert len(result.events) == 1 and not server.requests
    (result,) = Pipeline(coder=HybridCoder(client, doubt_below=1.0)).run([doc])
    (event,) = result.events
    assert event.event_type == "REJECT" and "yield" in event.mode and len(server.requests) == 1
    assert event.actor[0].text == "The Tarvan council"


# ---------------------------------------------------------------------------------- wiring

def test_the_offline_pipeline_is_unchanged_by_default():
    pipeline = Pipeline()
    assert pipeline.event_coder is None and "llm" not in pipeline.coder


def test_an_offline_run_never_imports_the_llm_package():
    check = "import sys, diurna, diurna.pipeline, diurna.cli; sys.exit('diurna.llm' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", check], timeout=120).returncode == 0


def test_make_coder_reads_the_settings_and_refuses_without_an_endpoint(monkeypatch, tmp_path, server):
    monkeypatch.delenv("DIURNA_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("DIURNA_LLM_MODEL", raising=False)
    assert make_coder("offline") is None
    with pytest.raises(LLMConfigError, match="DIURNA_LLM_BASE_URL"):
        make_coder("llm")
    monkeypatch.setenv("DIURNA_LLM_BASE_URL", server.url)
    monkeypatch.setenv("DIURNA_LLM_MODEL", MODEL)
    monkeypatch.setenv("DIURNA_LLM_API_KEY", "sk-env")
    monkeypatch.setenv("DIURNA_LLM_PRICES", "1,2")
    monkeypatch.setenv("DIURNA_CACHE", str(tmp_path))
    coder = make_coder("hybrid")
    assert isinstance(coder, HybridCoder) and coder.version == f"hybrid:{MODEL} {PROMPT_VERSION}"
    assert coder.client.usage.prices == (1.0, 2.0) and Path(coder.cache.path).parent == tmp_path


def test_the_cli_codes_with_the_model_and_prints_the_accounting(server, tmp_path):
    server.route("40 tonnes of food", ANSWERS["aid"])
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    env = {"DIURNA_LLM_BASE_URL": server.url, "DIURNA_LLM_MODEL": MODEL, "DIURNA_CACHE": str(tmp_path),
           "DIURNA_TODAY": "2025-06-01", "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-m", "diurna.cli", "code", str(article), "--published", "2025-06-02",
                          "--coder", "llm"], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    events = [json.loads(line) for line in run.stdout.splitlines()]
    assert [e["event"] for e in events] == [["AID"]] and MODEL in events[0]["coder"]
    assert "llm: 1 requests" in run.stderr


def test_the_cli_without_an_endpoint_is_a_usage_error(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "diurna.cli", "code", str(article), "--coder", "hybrid"],
                         capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "DIURNA_CACHE": str(tmp_path)},
                         timeout=120)
    assert run.returncode == 2 and "DIURNA_LLM_BASE_URL" in run.stderr


def test_the_accuracy_benchmark_scores_the_model_coder_on_the_same_data(server, monkeypatch, tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import accuracy

    monkeypatch.setenv("DIURNA_LLM_BASE_URL", server.url)
    monkeypatch.setenv("DIURNA_LLM_MODEL", MODEL)
    monkeypatch.setenv("DIURNA_CACHE", str(tmp_path))
    monkeypatch.setattr(accuracy, "_coders", {})
    server.route("Tarvan council", ANSWERS["reject_dyad"])
    figures = accuracy.score_sentences(FIXTURES / "sentences.tsv", coder="llm")
    assert figures["accuracy"] == 1.0
    assert accuracy.score_sentences(FIXTURES / "sentences.tsv")["accuracy"] in (0.0, 1.0)  # offline still runs


# ---------------------------------------------------------------------------------- the prompt

def test_the_prompt_examples_are_valid_answers_that_quote_their_sentences():
    for context, sentences, candidates, answer in prompts.EXAMPLES:
        for event in schema.Answer.model_validate(answer).events:
            sentence = sentences[event.sentence - 1]
            assert event.evidence in sentence and event.trigger in event.evidence
            assert not event.actor or event.actor in sentence


def test_the_prompt_carries_every_type_and_mode_and_asks_for_the_schema_fields():
    system = prompts.system_prompt()
    for name, modes in schema.MODES.items():
        line = next(line for line in system.splitlines() if line.startswith(f"- {name}:"))
        assert all(mode in line for mode in modes)
    assert all(key in system for key in schema.CodedEvent.model_fields)
    assert PROMPT_VERSION.startswith("plover-prompt.v")


def test_evidence_is_found_up_to_white_space_quotes_and_case():
    text = "Intro. Kenya\u2019s  ministry SENT food.\nEnd."
    assert llm_coder.find(text, "Kenya's ministry sent food", 0, len(text)) == (7, 34)
    assert llm_coder.find(text, "Uganda sent food", 0, len(text)) is None
    assert llm_coder.find(text, "End", 0, 10) is None  # only inside the given span
