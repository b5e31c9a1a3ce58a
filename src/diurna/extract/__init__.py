"""Stage 2, extract: a raw `Document` becomes an `Article` with clean text, title, byline, date,
site and language.

    extract(Document(id="a", html=page)) -> Article(text=..., title=..., published=..., language="en")
    clean_page_text(copied_text) -> PageText(title, byline, date_text, body)
    extract_record(article) -> {"id", "url", "title", "byline", "published", "site", "language", "text"}

Modules: `dates` (dates printed in text), `pagetext` (text copied off a page: our own rules for
headline, byline, date lines and page chrome), `html` (the body through trafilatura, falling back to
the page's own paragraphs), `metadata` (what the page says about itself: the <h1> headline, authors,
dates it both declares and displays, site name, lang attribute). Language comes from
`diurna.language` (the text decides; the page's lang attribute settles close calls).

HTML: the body is trafilatura's; the headline is the page's <h1> when it is the article's, else
og:title/<title> less the site name; the byline is names only (no "By", dates or roles); the date is
the one the page both declares and displays, publication before modification, else a date shown
with the headline, else one in the URL, else none (see `metadata.choose_date`).

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
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .. import settings
from ..errors import ExtractError
from ..language import detect
from ..models import Article, Document
from .dates import FoundDate, _date_from_input, parse_date_text
from .html import _drop_leading_title, _html_byline, strip_site_name, trafilatura_body
from .metadata import choose_date, choose_title, clean_byline, read_page
from .pagetext import PageText, clean_page_text

__all__ = ["extract", "extract_record", "clean_page_text", "PageText", "parse_date_text", "FoundDate",
           "strip_site_name", "STAGE"]

log = logging.getLogger(__name__)

STAGE = "extract"


@dataclass(slots=True)
class _HtmlParts:
    text: str
    title: str
    byline: str
    date: dt.date | None
    site: str
    lang: str


def _extract_html(doc: Document, today: dt.date) -> _HtmlParts:
    html = doc.html or ""
    text, result = trafilatura_body(html, doc.url, doc.id, (today + dt.timedelta(days=1)).isoformat())
    if not text.strip():
        raise ExtractError(f"no article text found in the HTML of {doc.id!r}")
    meta = read_page(html, doc.url)
    site = meta.site or (result.sitename if result is not None and result.sitename else "")
    if not site and doc.url:
        site = (urlsplit(doc.url).hostname or "").removeprefix("www.")
    meta.site = site
    title = choose_title(meta, result.title if result is not None else "", doc.url)
    text = _drop_leading_title(text, title)
    authors = (result.author if result is not None else "") or meta.authors or _html_byline(html)
    byline = clean_byline(authors, site)
    if not byline and meta.authors and authors is not meta.authors:
        byline = clean_byline(meta.authors, site)
    date, how = choose_date(meta, today)
    log.debug("%s: date %s from %s", doc.id, date, how or "nowhere")
    return _HtmlParts(text=text, title=title, byline=byline, date=date, site=site, lang=meta.lang)


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
    title = byline = site = lang = ""
    page_dated: dt.date | None = None
    page_undated: dt.date | None = None
    if doc.html and not doc.text:
        parts = _extract_html(doc, today)
        text, title, byline, page_dated = parts.text, parts.title, parts.byline, parts.date
        site, lang = parts.site, parts.lang
    elif doc.text:
        page = clean_page_text(doc.text)
        text, title, byline = page.body, page.title, page.byline
        if not text.strip() and "\n" not in doc.text.strip():
            # one line with no final stop reads like a headline, but it is all the text there is:
            # "Fidel Castro refused to meet Barack Obama when the U.S. president visited Cuba"
            text, title = doc.text.strip(), ""
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
                site, lang = parts.site, parts.lang
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
        site=site or _host(doc.url),
        language=detect(text, hint=lang),
        dyad=doc.dyad,
    )


def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.") if url else ""


def extract_record(article: Article) -> dict[str, Any]:
    """The JSON record `diurna extract` writes for one article (`published` as YYYY-MM-DD or None).

    >>> extract_record(extract(Document(id="d1", text="The two sides met in Geneva on Tuesday.")))["language"]
    'en'
    """
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "byline": article.byline,
        "published": article.published.isoformat() if article.published else None,
        "site": article.site,
        "language": article.language,
        "text": article.text,
    }
