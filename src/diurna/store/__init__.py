"""The event store: articles, sentences, events and failures in SQLite (default) or PostgreSQL.

    >>> from diurna.store import Store
    >>> with Store.open("diurna.db") as store:
    ...     store.add(article, events, coder=pipeline.coder)

Modules: `schema` (the tables), `migrations` (versioned schema changes), `engine` (connecting),
`codec` (ids, hashes, rows <-> model), `writes`, `reads`, `feeds`, `health`, `core` (`Store`).
"""
from __future__ import annotations

from .codec import content_hash
from .core import Store
from .errors import StoreError
from .feeds import FeedState

__all__ = ["Store", "StoreError", "FeedState", "content_hash", "open_store"]


def open_store(target="diurna.db") -> Store:
    """`Store.open(target)`: a path, a sqlite:/// URL or a postgresql:// URL."""
    return Store.open(target)
