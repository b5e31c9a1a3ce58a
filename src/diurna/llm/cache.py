"""Answers kept on disk, so a rerun of the same text with the same model and prompt costs nothing.

One SQLite file (`llm.sqlite3` under DIURNA_CACHE, else ~/.cache/diurna). The key is a hash of the
model name, the prompt version and the full request text (every message), so a new prompt version or
a different model never reads an old answer. Only answers that validated are stored.

    >>> cache = Cache(":memory:")
    >>> key = cache.key("m", "p.v1", [{"role": "user", "content": "hi"}])
    >>> cache.put(key, "m", "p.v1", '{"events": []}', 10, 2); cache.get(key).text
    '{"events": []}'
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from .. import settings

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    answer TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
)
"""


@dataclass(slots=True, frozen=True)
class Cached:
    text: str
    prompt_tokens: int
    completion_tokens: int


def default_path() -> Path:
    return settings.cache_dir() / "llm.sqlite3"


class Cache:
    """A thread-safe SQLite answer cache; `Cache(":memory:")` for one process only."""

    def __init__(self, path: str | Path | None = None):
        path = default_path() if path is None else path
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(SCHEMA)

    @staticmethod
    def key(model: str, prompt_version: str, messages: list[dict]) -> str:
        payload = json.dumps([model, prompt_version, messages], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def get(self, key: str) -> Cached | None:
        with self._lock:
            row = self._db.execute("SELECT answer, prompt_tokens, completion_tokens FROM answers WHERE key = ?",
                                   (key,)).fetchone()
        return Cached(*row) if row else None

    def put(self, key: str, model: str, prompt_version: str, text: str, prompt_tokens: int = 0,
            completion_tokens: int = 0) -> None:
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (key, model, prompt_version, text, prompt_tokens, completion_tokens, now))

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM answers").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
