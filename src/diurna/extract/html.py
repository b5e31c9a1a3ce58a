"""HTML pages: the body through trafilatura, falling back to the page's own paragraphs.

    body_text(html, url) -> (text, trafilatura's metadata document or None)
"""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from .pagetext import _BY, _is_chrome, _name_like, _words, clean_page_text
from .dates import _MONTH

__all__ = ["strip_site_name", "trafilatura_body"]

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------
# HTML

_TITLE_SEPARATOR = re.compile(r"\s+(?:\||–|—|-|·|•|::|»|«)\s+|\s*\|\s*")


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", text).lower())


def _is_site(segment: str, sitename: str | None, host: str | None) -> bool:
    seg = _squash(segment)
    if not seg:
        return False
    if sitename:
        site = _squash(sitename)
        if site and (seg == site or (len(seg) >= 4 and (seg in site or site in seg))):
            return True
    if host:
        parts = [p for p in host.lower().split(".") if p not in ("www", "m", "amp", "edition", "com", "org",
                                                                   "net", "co", "uk", "pk", "in", "news")]
        if seg == _squash(host) or any(seg == p or (len(p) >= 4 and seg.startswith(p)) for p in parts):
            return True
    return False


def strip_site_name(title: str, sitename: str | None = None, url: str | None = None) -> str:
    """Drop the site name glued to a page title: "Title | Site", "Title - Site", "Site | Title".

    >>> strip_site_name("Rains flood the old city | The Daily Ledger")
    'Rains flood the old city'
    """
    title = " ".join(title.split())
    host = urlsplit(url).hostname if url else None
    for _ in range(2):
        pieces = _TITLE_SEPARATOR.split(title)
        if len(pieces) < 2:
            break
        seps = _TITLE_SEPARATOR.findall(title)
        last, first = pieces[-1], pieces[0]
        rest_last = title[: title.rfind(seps[-1])]
        rest_first = title[len(first) + len(seps[0]):]
        if _is_site(last, sitename, host):
            title = rest_last
        elif _is_site(first, sitename, host) and len(_words(rest_first)) >= 2:
            title = rest_first
        elif "|" in seps[-1] and len(_words(last)) <= 4 and len(rest_last) > len(last):
            title = rest_last
        elif (len(_words(last)) <= 3 and len(_words(rest_last)) >= 4
              and all(w[:1].isupper() or w[:1].isdigit() for w in last.split())
              and not re.search(rf"{_MONTH}|\d{{3,}}", last) and len(last) < 30):
            title = rest_last
        else:
            break
    return title.strip()


def _body_text(body: Any) -> str:
    """trafilatura's body tree as text, one block (paragraph, heading, list, table) per paragraph."""
    from trafilatura.xml import xmltotxt

    blocks: list[str] = []
    if body is None:
        return ""
    if body.text and body.text.strip():
        blocks.append(body.text.strip())
    for child in body:
        text = xmltotxt(child, False).strip()
        if text:
            blocks.append("\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip()))
    return "\n\n".join(blocks)


def _visible_paragraphs(html: str) -> str:
    """The page's own <p> text outside navigation, header, footer and scripts; else its visible text."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(tree, "script", "style", "noscript", "template", "svg", "nav", "header",
                         "footer", "aside", "form", "button", "select", etree.Comment, with_tail=False)
    paragraphs = [" ".join(p.text_content().split()) for p in tree.iter("p")]
    paragraphs = [p for p in paragraphs if p and not _is_chrome(p)]
    if paragraphs:
        return "\n\n".join(paragraphs)
    body = tree.find("body")
    if body is None:
        return ""
    return clean_page_text(body.text_content()).body


def _html_byline(html: str) -> str:
    """A "By Jane Doe" element of the page, for when trafilatura's metadata names no author."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    for element in tree.iter("p", "div", "span", "address", "li"):
        text = " ".join(element.text_content().split())
        if not text or len(text) > 80:
            continue
        match = _BY.match(text)
        if match and _name_like(match.group(1).strip()):
            return match.group(1).strip()
    return ""


def trafilatura_body(html: str, url: str | None, doc_id: str, max_date: str) -> tuple[str, Any]:
    """trafilatura's body text (chrome lines dropped) and its metadata document (None when it failed)."""
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params={"original_date": True, "extensive_search": False,
                                    "outputformat": "%Y-%m-%d", "max_date": max_date},
        )
    except Exception as exc:  # trafilatura raises assorted errors on broken markup
        log.warning("%s: trafilatura failed (%s); falling back to the page's paragraphs", doc_id, exc)
        result = None
    text = _drop_chrome_lines(_body_text(result.body)) if result is not None else ""
    if not text.strip():
        text = _visible_paragraphs(html)
    return text, result


def _drop_chrome_lines(text: str) -> str:
    """trafilatura's text less the lines that are page chrome ("Home", "Share", "Advertisement")."""
    blocks = []
    for block in text.split("\n\n"):
        kept = [line for line in block.split("\n") if not _is_chrome(line)]
        if kept:
            blocks.append("\n".join(kept))
    return "\n\n".join(blocks)


def _drop_leading_title(text: str, title: str) -> str:
    """The body's first block when it only repeats the headline."""
    if not title:
        return text
    first, sep, rest = text.partition("\n\n")
    if sep and _squash(first) == _squash(title):
        return rest
    return text
