"""Stage 2, extract: a raw `Document` becomes an `Article` with clean text, title, byline and date.

    extract(Document(id="a", html=page)) -> Article(text=..., title=..., published=...)
    clean_page_text(copied_text) -> PageText(title, byline, date_text, body)

HTML goes through trafilatura (body text and metadata) and htmldate (the original publication
date when trafilatura has none); a page where trafilatura finds no body falls back to its visible
paragraphs. Plain text, including text copied off a web page with its menus and "Related",
"Comments 0", "Read more" left in, goes through `clean_page_text`, our own rules: find the headline,
byline and date lines and drop the page chrome around and inside the body.

Publication date, first found wins (DESIGN.md): the input's own `published` field ("input");
a date with a year printed on the page or in its metadata ("page"); the `published` argument,
i.e. `--published` ("flag"); a date printed without a year, or a relative one ("3 hours ago"), read
against `settings.today()` ("inferred"); else `settings.today()` ("today"). A page date more than a
day after today is not a publication date.

Raises `ExtractError` when a document holds no article text.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from . import settings
from .errors import ExtractError
from .models import Article, Document

__all__ = ["extract", "clean_page_text", "PageText", "parse_date_text", "strip_site_name", "STAGE"]

log = logging.getLogger(__name__)

STAGE = "extract"

# --------------------------------------------------------------------------------------------
# The stage


def extract(doc: Document, published: dt.date | None = None) -> Article:
    """Clean one document into an Article: text, title, byline and a publication date.

    `published` is the `--published` flag: it beats a date printed without a year, and loses to
    the input's own `published` field and to a dated page.

    >>> art = extract(Document(id="d1", text="Talks resume in Geneva\\n\\nMay 21\\n\\nThe two sides met."))
    >>> art.title, art.text, art.published_source
    ('Talks resume in Geneva', 'The two sides met.', 'inferred')
    """
    today = settings.today()
    title = byline = ""
    page_dated: dt.date | None = None
    page_undated: dt.date | None = None
    if doc.html and not doc.text:
        parts = _extract_html(doc, today)
        text, title, byline, page_dated = parts.text, parts.title, parts.byline, parts.date
    elif doc.text:
        page = clean_page_text(doc.text)
        text, title, byline = page.body, page.title, page.byline
        if page.date_text:
            found = parse_date_text(page.date_text, today)
            if found and found.has_year:
                page_dated = found.date
            elif found:
                page_undated = found.date
        if doc.html:  # both given: the text is the body, the page may still carry the metadata
            try:
                parts = _extract_html(doc, today)
                title, byline = title or parts.title, byline or parts.byline
                page_dated = page_dated or parts.date
            except ExtractError:
                pass
    else:
        raise ExtractError(f"document {doc.id!r} has neither text nor html")
    if not text.strip():
        raise ExtractError(f"no article text in document {doc.id!r}")

    date, source = None, ""
    if doc.published:
        date = _date_from_input(doc.published, today)
        if date:
            source = "input"
        else:
            log.warning("%s: cannot read published=%r; looking for another date", doc.id, doc.published)
    for candidate, name in ((page_dated, "page"), (published, "flag"), (page_undated, "inferred"),
                            (today, "today")):
        if date is None and candidate is not None:
            date, source = candidate, name

    return Article(
        id=doc.id,
        text=text,
        title=(doc.title or title or "").strip(),
        byline=byline,
        published=date,
        published_source=source,
        url=doc.url,
        origin=doc.origin,
        dyad=doc.dyad,
    )
