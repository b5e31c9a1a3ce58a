"""diurna reads the news and writes down what happened: PLOVER-coded events with their actors,
dates, places and the sentence that says so.

    >>> import diurna
    >>> events = diurna.code_text("Chinese Foreign Minister Wang Yi met Pakistan's foreign minister "
    ...                           "in Beijing on Tuesday.", published="2025-05-21")
    >>> events[0].event_type, [a.code for a in events[0].actor]
    ('CONSULT', ['CHN'])
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

__version__ = "0.1.0"

from .errors import DiurnaError, DictionaryError, ExtractError, InputError, ModelError, StageError  # noqa: E402
from .models import Article, Document, Entity, Event, Failure, Place  # noqa: E402

__all__ = [
    "__version__", "code_text", "code_documents", "records", "open",
    "Article", "Document", "Entity", "Event", "Failure", "Place",
    "DiurnaError", "DictionaryError", "ExtractError", "InputError", "ModelError", "StageError",
]

_pipelines: dict = {}


def _pipeline(published: dt.date | None, actors: str | None, min_confidence: float | None = None):
    from .dictionary import load_user_dictionary
    from .pipeline import Pipeline

    key = (published, actors, min_confidence)
    if key not in _pipelines:
        _pipelines[key] = Pipeline(published=published, user_actors=load_user_dictionary(actors) if actors else None,
                                   min_confidence=min_confidence)
    return _pipelines[key]


def _as_date(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"published must be YYYY-MM-DD, got {value!r}") from exc


def code_text(text: str, published: str | dt.date | None = None, *, html: bool = False,
              doc_id: str = "text", actors: str | None = None, min_confidence: float | None = None) -> list[Event]:
    """Code one article's text (or HTML with `html=True`) and return its events.

    `published` (YYYY-MM-DD) is the publication date events are dated against when the text gives
    none with a year. Events below `min_confidence` are dropped (None: the coder's default; 0 keeps
    all). Raises a DiurnaError subclass when the text cannot be coded.
    """
    day = _as_date(published)
    document = Document(id=doc_id, text=None if html else text, html=text if html else None,
                        published=day.isoformat() if day else None)
    (result,) = list(_pipeline(None, actors, min_confidence).run([document]))
    if result.failure is not None:
        raise DiurnaError(f"{result.failure.stage}: {result.failure.reason}")
    return result.events


def code_documents(documents: Iterable[Document], published: str | dt.date | None = None,
                   actors: str | None = None, min_confidence: float | None = None):
    """Code many documents; yields one `pipeline.Result` (article or failure) per document."""
    return _pipeline(_as_date(published), actors, min_confidence).run(documents)


def open(target: str = "diurna.db"):  # noqa: A001 - diurna.open(db) reads like the built-in it shadows
    """Open an event database (an SQLite path or a postgresql:// URL) for querying from Python.

    >>> db = diurna.open("diurna.db")                      # doctest: +SKIP
    >>> db.events(country="PAK", since="2025-05-01").to_pandas()  # doctest: +SKIP
    """
    from .database import open as open_database

    return open_database(target)


def records(events: Iterable[Event]) -> list[dict]:
    """The events as PLOVER JSON records (plain dicts)."""
    return [event.to_record() for event in events]
