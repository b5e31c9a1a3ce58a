"""Coding pasted text for `POST /api/code`, `POST /api/articles` and the Try-it page.

The spaCy pipeline is loaded once and shared; one lock keeps two requests from running it at once.
"""
from __future__ import annotations

import datetime as dt
import threading

from .. import code_documents
from ..errors import DiurnaError
from ..models import Article, Document

_lock = threading.Lock()


def code(text: str, *, html: bool = False, published: dt.date | None = None, url: str | None = None,
         title: str | None = None, doc_id: str = "pasted") -> tuple[Article, str]:
    """The coded article (text, sentences, events) and the coder name; raises DiurnaError."""
    document = Document(id=doc_id, text=None if html else text, html=text if html else None,
                        published=published.isoformat() if published else None, url=url, title=title,
                        origin="web")
    with _lock:
        from .. import _pipeline  # noqa: PLC0415 - the shared, cached pipeline
        coder = _pipeline(None, None).coder
        (result,) = list(code_documents([document]))
    if result.failure is not None:
        raise DiurnaError(f"{result.failure.stage}: {result.failure.reason}")
    return result.article, coder
