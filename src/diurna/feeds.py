"""Feeds and sitemaps: the article URLs a site lists, with any title and date it gives.

    parse_listing(content, url)  -> Listing | None     # None: not a feed or sitemap (a page)
    parse_feed(content, url)     -> Listing            # RSS 0.9x/1.0/2.0, Atom (feedparser)
    parse_sitemap(content, url)  -> Listing            # urlset (news sitemaps too) or sitemapindex

Every document is parsed as XML with defusedxml first: a document that declares entities (the
billion-laughs kind of entity expansion) or refers to external entities is refused with
`UnsafeXMLError` and never expanded or followed. Only then does feedparser read a feed. A feed
that is not well-formed XML (common in the wild) is handed to feedparser's lenient reader only
when it declares no DTD or entities at all. Gzipped sitemaps (`.xml.gz`) are unpacked under the
size cap.

    FeedError(InputError)     a listing cannot be read
    └── UnsafeXMLError        it declares entities or refers to external ones
"""
from __future__ import annotations

import calendar
import datetime as dt
import io
import logging
import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from . import settings
from .errors import InputError
from .sources import looks_like_html

__all__ = ["Link", "Listing", "parse_listing", "parse_feed", "parse_sitemap", "safe_xml",
           "FeedError", "UnsafeXMLError", "FEED_TYPES", "SITEMAP_KINDS"]

log = logging.getLogger(__name__)

FEED_TYPES = ("rss", "atom")
SITEMAP_KINDS = ("urlset", "sitemapindex")
_FEED_ROOTS = {"rss": "rss", "RDF": "rss", "feed": "atom", "channel": "rss"}
_XML_MEDIA = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/x-gzip", "application/gzip")
_LISTING_HINT = re.compile(rb"<(?:\w+:)?(?:rss|feed|RDF|urlset|sitemapindex)\b")
_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class FeedError(InputError):
    """A feed or sitemap cannot be read."""


class UnsafeXMLError(FeedError):
    """The XML declares entities or refers to external ones; it is refused, never expanded."""


@dataclass(frozen=True, slots=True)
class Link:
    """An article (or, in a sitemap index, a sitemap) that a listing names."""

    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601 as the listing gives it, with its own offset
    modified: str | None = None  # a sitemap's <lastmod>: when the page changed, not when it appeared
    source: str = ""  # the listing's URL


@dataclass(slots=True)
class Listing:
    """What a feed or sitemap lists. `sitemaps` is filled for a sitemap index, `links` otherwise."""

    kind: str  # rss | atom | urlset | sitemapindex
    links: list[Link] = field(default_factory=list)
    sitemaps: list[Link] = field(default_factory=list)
    title: str | None = None
    skipped: int = 0  # entries without a usable http(s) URL


def safe_xml(content: bytes) -> Element:
    """Parse XML with entity declarations and external references refused (UnsafeXMLError)."""
    try:
        return SafeET.fromstring(content, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        raise UnsafeXMLError(f"refused: the XML declares the entity {exc.name!r}; entity expansion "
                             "(as in a billion-laughs attack) is never performed") from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise UnsafeXMLError(f"refused: the XML refers to an external resource ({exc.sysid or exc.pubid}); "
                             "external entities are never followed") from exc
    except defusedxml.DefusedXmlException as exc:
        raise UnsafeXMLError(f"refused: unsafe XML ({type(exc).__name__})") from exc
    except ParseError as exc:
        raise FeedError(f"not well-formed XML: {exc}") from exc


def parse_listing(content: bytes, url: str = "", content_type: str | None = None, *,
                  max_bytes: int | None = None) -> Listing | None:
    """The listing a response holds, or None when it is not a feed or a sitemap (a page, say).

    Raises FeedError when it is one but cannot be read, UnsafeXMLError when it is hostile.
    """
    content = _gunzip(content, max_bytes)
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    media = (content_type or "").split(";")[0].strip().lower()
    hinted = bool(_LISTING_HINT.search(content[:4096]))
    if not head.startswith(b"<") or looks_like_html(head):
        return None
    if not hinted and media not in _XML_MEDIA:
        return None
    try:
        root = safe_xml(content)
    except UnsafeXMLError:
        raise
    except FeedError:
        if not hinted:
            return None
        if re.search(rb"<(?:\w+:)?(?:urlset|sitemapindex)\b", content[:4096]):
            raise
        return _lenient_feed(content, url)
    name = _local(root.tag)
    if name in SITEMAP_KINDS:
        return _sitemap(root, url)
    if name in _FEED_ROOTS:
        return _feed(content, url, _FEED_ROOTS[name])
    return None


def parse_feed(content: bytes, url: str = "") -> Listing:
    """An RSS or Atom feed's entries (FeedError if it is not one)."""
    listing = parse_listing(content, url, "application/xml")
    if listing is None or listing.kind not in FEED_TYPES:
        raise FeedError("not an RSS or Atom feed")
    return listing


def parse_sitemap(content: bytes, url: str = "", *, max_bytes: int | None = None) -> Listing:
    """A sitemap's URLs, or a sitemap index's sitemaps (FeedError if it is neither)."""
    content = _gunzip(content, max_bytes)
    root = safe_xml(content)
    if _local(root.tag) not in SITEMAP_KINDS:
        raise FeedError(f"not a sitemap: the root element is <{_local(root.tag)}>")
    return _sitemap(root, url)


# --------------------------------------------------------------------------------------------
# Feeds


def _feed(content: bytes, url: str, kind: str) -> Listing:
    import feedparser

    parsed = feedparser.parse(io.BytesIO(content), response_headers={"content-location": url} if url else None,
                              sanitize_html=False)
    version = parsed.get("version") or ""
    kind = "atom" if version.startswith("atom") else kind
    listing = Listing(kind=kind, title=_clean(parsed.feed.get("title")))
    seen: set[str] = set()
    for entry in parsed.entries:
        link = _entry_link(entry, url)
        if not link:
            listing.skipped += 1
            continue
        if link in seen:
            continue
        seen.add(link)
        published = _feed_date(entry.get("published"), entry.get("published_parsed")) or \
            _feed_date(entry.get("updated"), entry.get("updated_parsed"))
        listing.links.append(Link(url=link, title=_clean(entry.get("title")), published=published, source=url))
    return listing


def _lenient_feed(content: bytes, url: str) -> Listing:
    """A feed that is not well-formed XML, read by feedparser's lenient parser if it is harmless."""
    if _DECLARATIONS.search(content):
        raise UnsafeXMLError("refused: a malformed feed that declares a DTD or entities")
    listing = _feed(content, url, "rss")
    if not listing.links and not listing.skipped:
        raise FeedError("not well-formed XML, and no entries could be read from it")
    return listing


def _entry_link(entry, base: str) -> str | None:
    candidates = []
    for link in entry.get("links") or []:
        rel = link.get("rel", "alternate")
        if rel == "alternate" and link.get("href"):
            candidates.append(link["href"])
    if entry.get("link"):
        candidates.insert(0, entry["link"])
    if not candidates and entry.get("id", "").startswith(("http://", "https://")):
        candidates.append(entry["id"])  # RSS <guid isPermaLink="true"> with no <link>
    for candidate in candidates:
        absolute = _absolute(candidate, base)
        if absolute:
            return absolute
    return None


def _feed_date(raw: str | None, parsed: time.struct_time | None) -> str | None:
    """The entry's date in ISO 8601, with the offset the feed gave (so its local day is kept)."""
    if raw:
        text = raw.strip()
        for parse in (_rfc822, _iso):
            when = parse(text)
            if when is not None:
                return when.isoformat()
    if parsed:
        return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.timezone.utc).isoformat()
    return None


def _rfc822(text: str) -> dt.datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _iso(text: str) -> dt.datetime | dt.date | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Sitemaps

_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def _sitemap(root: Element, url: str) -> Listing:
    kind = _local(root.tag)
    listing = Listing(kind=kind)
    seen: set[str] = set()
    child_name = "sitemap" if kind == "sitemapindex" else "url"
    for item in root:
        if _local(item.tag) != child_name:
            continue
        loc = _absolute(_text(_child(item, "loc")), url)
        if not loc:
            listing.skipped += 1
            continue
        if loc in seen:
            continue
        seen.add(loc)
        modified = _date_text(_text(_child(item, "lastmod")))
        if kind == "sitemapindex":
            listing.sitemaps.append(Link(url=loc, modified=modified, source=url))
            continue
        title = published = None
        news = _child(item, "news")
        if news is not None:
            title = _clean(_text(_child(news, "title")))
            published = _date_text(_text(_child(news, "publication_date")))
        listing.links.append(Link(url=loc, title=title, published=published, modified=modified, source=url))
    return listing


def _date_text(text: str | None) -> str | None:
    """A W3C datetime as ISO 8601, or None when it is not one."""
    if not text:
        return None
    when = _iso(text.strip())
    return when.isoformat() if when is not None else None


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text(element: Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


# --------------------------------------------------------------------------------------------
# Shared


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _absolute(link: str | None, base: str) -> str | None:
    """An absolute http(s) URL, or None (javascript:, mailto:, empty ...)."""
    if not link:
        return None
    link = link.strip()
    absolute = urljoin(base, link) if base else link
    parts = urlsplit(absolute)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return absolute.split("#", 1)[0]


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    text = " ".join(str(text).split())
    return text or None


def _gunzip(content: bytes, max_bytes: int | None) -> bytes:
    if not content.startswith(b"\x1f\x8b"):
        return content
    from .fetch import FetchError, decode_content

    try:
        return decode_content(content, "gzip", max_bytes or settings.max_bytes())
    except FetchError as exc:  # TooLargeError or BadResponseError
        raise FeedError(f"gzipped listing: {exc}") from exc
