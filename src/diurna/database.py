"""The notebook API: open a diurna database and get results that become pandas or Arrow tables.

    >>> import diurna.database as ddb               # the lead exposes this as diurna.open(db)
    >>> db = ddb.open("diurna.db")                  # or "postgresql://user@host/db"
    >>> df = db.events(country="PAK", since="2025-05-01").to_pandas()
    >>> db.dyads(period="month").to_arrow()
    >>> for hit in db.search("ceasefire"):
    ...     print(hit["title"], hit["snippet"])

Every method returns `Records`: iterate for plain dicts, `.to_arrow()` for a `pyarrow.Table`,
`.to_pandas()` for a DataFrame (pandas is imported only then, and only needed then). Event
results also `.write(format, path)` through `diurna.export`.
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from . import export, query
from .store import Store
from .store.errors import QueryError, StoreError

__all__ = ["Database", "Records", "EventRecords", "ArticleView", "open"]


class Records(Sequence):
    """Query results: a sequence of dicts that converts to Arrow or pandas in one call."""

    def __init__(self, rows: list[dict[str, Any]]):
        self._rows = rows

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        return self._rows[index]

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {len(self)} rows>"

    def to_list(self) -> list[dict[str, Any]]:
        return list(self._rows)

    def to_arrow(self):
        import pyarrow as pa

        return pa.Table.from_pylist(self._rows)

    def to_pandas(self):
        try:
            import pandas  # noqa: F401 - only to give a clear error when it is missing
        except ImportError as exc:
            raise StoreError("to_pandas() needs pandas: pip install pandas") from exc
        return self.to_arrow().to_pandas()


class EventRecords(Records):
    """Events: flat dicts (actors as lists, as in the Parquet export), plus the events themselves."""

    def __init__(self, events: list[query.StoredEvent]):
        super().__init__([export.flat_record(e) for e in events])
        self.events = events

    def to_arrow(self):
        return export.arrow_table(self.events)

    def records(self) -> list[dict[str, Any]]:
        """The PLOVER JSON records."""
        return [e.to_record() for e in self.events]

    def write(self, format: str, path: str | os.PathLike) -> int:
        return export.write(self.events, format, path)


class ArticleView(EventRecords):
    """One article (`.article`, `.sentences`) with its events as the records."""

    def __init__(self, shown: query.Shown):
        super().__init__(shown.events)
        self.article = shown.article
        self.sentences = shown.sentences


class Database:
    """A diurna database opened for reading (see the module docstring)."""

    def __init__(self, store: Store):
        self.store = store

    def events(self, **filters: Any) -> EventRecords:
        """Events matching `diurna events`' filters (see `diurna.query.Filters`)."""
        return EventRecords(query.events(self.store, **filters))

    def count(self, **filters: Any) -> int:
        return query.count(self.store, **filters)

    def articles(self, **filters: Any) -> Records:
        """Stored articles without their text: since, until, site, language, status, query, limit, offset."""
        return Records(query.articles_list(self.store, **filters))

    def search(self, q: str, limit: int = 20, offset: int = 0) -> Records:
        """Articles matching `q` by full text, best first, with snippets."""
        return Records(query.search(self.store, q, limit=limit, offset=offset))

    def show(self, article_id: str) -> ArticleView:
        shown = query.show(self.store, article_id)
        if shown is None:
            raise QueryError(f"no stored article {article_id!r}")
        return ArticleView(shown)

    def actors(self, **filters: Any) -> Records:
        return Records(query.actors(self.store, **filters))

    def dyads(self, period: str = "month", **filters: Any) -> Records:
        return Records(query.dyads(self.store, period, **filters))

    def stats(self) -> dict[str, Any]:
        return query.stats(self.store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open(target: str | os.PathLike = "diurna.db") -> Database:  # noqa: A001 - diurna.open(db) reads well
    """Open the database at a path or URL (created and migrated when new)."""
    return Database(Store.open(target))
