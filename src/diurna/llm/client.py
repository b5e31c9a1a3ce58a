"""A chat client for any OpenAI-compatible endpoint (`POST {base_url}/chat/completions`).

It does the transport and nothing else: at most `concurrency` requests in flight, a timeout on each,
retries with exponential backoff on timeouts, connection errors and 5xx answers, waiting out 429s
(Retry-After, in seconds or as an HTTP date, is obeyed and holds back every thread), and counting
tokens and cost in `Usage`. Structured output is asked for as `response_format: json_schema`; a
server that refuses it (400) is asked again with `json_object`, then with no format, and the client
remembers what the server accepts. Validating the answer is the coder's job.

    >>> client = ChatClient("http://127.0.0.1:8000/v1", "qwen2.5-7b-instruct")
    >>> client.chat([{"role": "user", "content": "..."}], schema=json_schema())  # doctest: +SKIP
"""
from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from .errors import LLMRateLimited, LLMTransportError

log = logging.getLogger(__name__)

FORMATS = ("json_schema", "json_object", None)  # tried in this order until the server accepts one


@dataclass(slots=True)
class Completion:
    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class Usage:
    """What a run cost: requests, retries, cache hits, tokens and money. Thread-safe."""

    prices: tuple[float, float] = (0.0, 0.0)  # USD per million prompt, completion tokens
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    cache_hits: int = 0
    failures: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)

    @property
    def cost(self) -> float:
        return (self.prompt_tokens * self.prices[0] + self.completion_tokens * self.prices[1]) / 1_000_000

    def summary(self) -> str:
        """One line for the end of a run."""
        return (f"llm: {self.requests} requests, {self.cache_hits} cache hits, {self.retries} retries "
                f"({self.rate_limited} rate-limited), {self.failures} failed; tokens {self.prompt_tokens} in + "
                f"{self.completion_tokens} out; cost ${self.cost:.4f}")


def retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None, rate_limited: bool = False):
        super().__init__(reason)
        self.wait = wait
        self.rate_limited = rate_limited


class ChatClient:
    """Sends chat requests; `sleep` and `clock` are injectable so tests never wait on a real clock."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None, *, timeout: float = 60.0,
                 concurrency: int = 4, retries: int = 3, backoff: float = 1.0, max_backoff: float = 60.0,
                 max_wait: float = 300.0, temperature: float = 0.0, max_tokens: int = 2048,
                 structured: bool = True, prices: tuple[float, float] = (0.0, 0.0),
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 http: httpx.Client | None = None):
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.concurrency = max(1, concurrency)
        self.retries = retries
        self.backoff, self.max_backoff, self.max_wait = backoff, max_backoff, max_wait
        self.temperature, self.max_tokens = temperature, max_tokens
        self.usage = Usage(prices=prices)
        self.sleep, self.clock = sleep, clock
        self._format = 0 if structured else 1
        self._slots = threading.BoundedSemaphore(self.concurrency)
        self._lock = threading.Lock()
        self._not_before = 0.0  # a 429 holds back every thread until then
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = http or httpx.Client(timeout=timeout, headers=headers,
                                          limits=httpx.Limits(max_connections=self.concurrency))

    def close(self) -> None:
        self._http.close()

    def chat(self, messages: list[dict], schema: dict | None = None, schema_name: str = "answer") -> Completion:
        """One completion; raises LLMTransportError (or LLMRateLimited) once every retry has failed."""
        attempt = 0
        while True:
            self._hold()
            try:
                return self._send(messages, schema, schema_name)
            except _Retry as retry:
                if attempt >= self.retries:
                    self.usage.add(failures=1)
                    error = LLMRateLimited if retry.rate_limited else LLMTransportError
                    raise error(f"{retry} (after {attempt + 1} tries)") from None
                wait = retry.wait if retry.wait is not None else min(self.max_backoff, self.backoff * 2 ** attempt)
                wait = min(wait, self.max_wait)
                if retry.rate_limited:
                    with self._lock:
                        self._not_before = max(self._not_before, self.clock() + wait)
                log.info("llm request failed (%s); retrying in %.1fs", retry, wait)
                self.usage.add(retries=1, rate_limited=int(retry.rate_limited))
                attempt += 1
                if not retry.rate_limited:
                    self.sleep(wait)

    def _hold(self) -> None:
        with self._lock:
            wait = self._not_before - self.clock()
        if wait > 0:
            self.sleep(wait)

    def _body(self, messages: list[dict], schema: dict | None, schema_name: str) -> dict:
        body = {"model": self.model, "messages": messages, "temperature": self.temperature,
                "max_tokens": self.max_tokens}
        fmt = FORMATS[self._format] if schema is not None else None
        if fmt == "json_schema":
            body["response_format"] = {"type": "json_schema",
                                       "json_schema": {"name": schema_name, "schema": schema, "strict": False}}
        elif fmt == "json_object":
            body["response_format"] = {"type": "json_object"}
        return body

    def _send(self, messages: list[dict], schema: dict | None, schema_name: str) -> Completion:
        while True:
            body = self._body(messages, schema, schema_name)
            with self._slots:
                self.usage.add(requests=1)
                try:
                    response = self._http.post(self.url, json=body)
                except httpx.TimeoutException as exc:
                    raise _Retry(f"timed out: {type(exc).__name__}") from None
                except httpx.TransportError as exc:
                    raise _Retry(f"cannot reach {self.url}: {exc}") from None
            status = response.status_code
            if status == 400 and "response_format" in body and self._format < len(FORMATS) - 1:
                log.info("server refused response_format %s; trying %s", FORMATS[self._format],
                         FORMATS[self._format + 1])
                with self._lock:
                    self._format += 1
                continue
            if status == 429:
                raise _Retry("rate limited (429)", retry_after(response.headers.get("retry-after")), True)
            if status >= 500 or status == 408:
                raise _Retry(f"server error {status}")
            if status >= 400:
                self.usage.add(failures=1)
                raise LLMTransportError(f"{self.url} answered {status}: {response.text[:300]}")
            return self._completion(response)

    def _completion(self, response: httpx.Response) -> Completion:
        try:
            data = response.json()
            text = data["choices"][0]["message"]["content"] or ""
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            self.usage.add(failures=1)
            raise LLMTransportError(f"not a chat completion: {response.text[:300]}") from exc
        usage = data.get("usage") or {}
        prompt, completion = int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
        self.usage.add(prompt_tokens=prompt, completion_tokens=completion)
        return Completion(text, prompt, completion)
