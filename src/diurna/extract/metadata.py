"""What an HTML page says about itself: headline, byline, publication date, site and language.

    meta = read_page(html, url)          # PageMeta(title, byline, published, site, lang, ...)
    choose_title(meta, fallback)         # the page's visible <h1> when it is the headline
    clean_byline(raw, site)              # "Ann Lee; Staff Writer; Dec 3" -> "Ann Lee"
    choose_date(meta, fallback, today)   # the page's own, displayed publication date, or None

Sources, read once from one lxml tree: <meta> tags (Open Graph, article:*, Dublin Core,
itemprop), JSON-LD (`@graph` included), <h1> elements, <time> elements and the dates the page
displays in its visible text.

A date is a claim the page must back up: a declared publication date the page also displays
comes first, then a date displayed with the headline, the declared date, a date in the URL path;
modification dates never count (see `choose_date`). A page that gives no date gets none: a wrong
date is worse than none.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterator
from urllib.parse import urlsplit

from .html import _is_site, _squash, strip_site_name
from .pagetext import _BY, _NAV_WORDS, _is_chrome, _name_like, _norm

__all__ = ["PageMeta", "read_page", "choose_title", "clean_byline", "choose_date", "join_names"]

# --------------------------------------------------------------------------------------------
# Reading the page


@dataclass(slots=True)
class PageMeta:
    """The page's own statements about itself; empty where it makes none."""

    meta_title: str = ""  # og:title, twitter:title, JSON-LD headline or <title>, site name still on
    h1s: list[str] = field(default_factory=list)  # headline candidates, in page order
    authors: list[str] = field(default_factory=list)  # JSON-LD, <meta name=author>, "Written by"
    published: list[dt.date] = field(default_factory=list)  # metadata publication dates, best first
    modified: list[dt.date] = field(default_factory=list)
    shown: list[dt.date] = field(default_factory=list)  # dates the visible text displays, in order
    header_dates: list[dt.date] = field(default_factory=list)  # <time> and date elements near the h1
    header_updates: list[dt.date] = field(default_factory=list)  # the same, labelled "Updated"
    url_date: dt.date | None = None
    site: str = ""
    lang: str = ""  # the lang attribute of <html>


_PUBLISHED_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "publishdate", "publish-date",
    "publish_date", "pubdate", "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
    "dc.date", "dcterms.date", "dcterms.created", "citation_publication_date", "citation_date", "date",
    "article.published", "published_time", "og:published_time", "release_date",
)
_MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified")
_TITLE_KEYS = ("og:title", "twitter:title")
_SITE_KEYS = ("og:site_name", "application-name", "twitter:site")
_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report|Posting|WebPage|Blog|Review|Story", re.IGNORECASE)


def _iso_date(value: Any) -> dt.date | None:
    """ "2025-03-14", "2025-03-14T09:00:00+01:00", "2025/03/14" -> a date; else None."""
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*((?:19|20)\d\d)[-/.]([01]?\d)[-/.]([0-3]?\d)(?!\d)", value)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            return None
    found = _find_dates(value)
    return found[0][0] if len(value) < 60 and found else None


def _json_ld(tree: Any) -> Iterator[dict]:
    """Every JSON object in the page's JSON-LD blocks, nested ones and `@graph` members included."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
                    if isinstance(item.get(key), (list, dict)):
                        stack.append(item[key])


def _names(value: Any) -> list[str]:
    """JSON-LD author values ("Ann Lee", {"name": ...}, [...]) as a list of names."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    return []


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _spaced(element: Any) -> str:
    """The element's text with a space between the text of neighbouring elements ("<p>a</p><p>b</p>" -> "a b")."""
    return " ".join(" ".join(element.itertext()).split())


def _in(element: Any, tags: tuple[str, ...]) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _is_logo(h1: Any, host: str | None, site: str) -> bool:
    """An <h1> that is the site's name or a link to its home page, not a headline."""
    text = _text(h1)
    if _is_site(text, site or None, host) and len(text.split()) <= 4:
        return True
    for link in h1.iter("a"):
        href = (link.get("href") or "").strip()
        path = urlsplit(href).path
        if href and path in ("", "/") and not urlsplit(href).query:
            return True
    return False


def read_page(html: str, url: str | None = None) -> PageMeta:
    """Everything `PageMeta` holds, from one parse of the page."""
    import lxml.html
    from lxml import etree

    meta = PageMeta()
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return meta
    host = urlsplit(url).hostname if url else None
    meta.lang = (tree.get("lang") or tree.get("xml:lang") or "").strip()

    tags: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = element.get("content")
        if key and content and content.strip():
            tags.setdefault(key, []).append(content.strip())
    ld = list(_json_ld(tree))
    articles = [item for item in ld if _ARTICLE_TYPES.search(str(item.get("@type", "")))]

    meta.site = next((tags[k][0] for k in _SITE_KEYS if k in tags and not tags[k][0].startswith("@")), "")
    if not meta.site:
        for item in ld:
            publisher = item.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                meta.site = publisher["name"].strip()
                break

    title_tag = tree.find(".//title")
    headline = next((item["headline"] for item in articles if isinstance(item.get("headline"), str)), "")
    meta.meta_title = next((tags[k][0] for k in _TITLE_KEYS if k in tags), "") or headline or (
        _text(title_tag) if title_tag is not None else "")

    for h1 in tree.iter("h1"):
        if _in(h1, ("nav", "footer", "aside", "form")) or _is_logo(h1, host, meta.site):
            continue
        text = _text(h1)
        if 2 <= len(text) <= 300 and not _is_chrome(text) and re.search(r"[^\W\d_]{2}", text):
            meta.h1s.append(text)

    for item in articles:
        meta.authors.extend(n.strip() for n in _names(item.get("author")) if n.strip())
    if not meta.authors and "author" in tags:
        meta.authors = [tags["author"][0]]
    if not meta.authors:
        meta.authors = _labelled_author(tree) or _author_element(tree)

    published = [tags[k][0] for k in _PUBLISHED_KEYS if k in tags]
    published += [str(item.get(k)) for k in ("datePublished", "dateCreated") for item in articles if item.get(k)]
    published += [e.get("datetime") or e.get("content") or _text(e) for e in tree.xpath('//*[@itemprop="datePublished"]')]
    modified = [tags[k][0] for k in _MODIFIED_KEYS if k in tags]
    modified += [str(item["dateModified"]) for item in articles if item.get("dateModified")]
    meta.published = _unique(d for d in map(_iso_date, published) if d)
    meta.modified = _unique(d for d in map(_iso_date, modified) if d)

    for element in tree.xpath("//script|//style|//noscript|//template|//head"):
        element.drop_tree()
    visible = _spaced(tree)
    meta.shown = _unique(date for date, _ in _find_dates(visible))
    times = [_iso_date(e.get("datetime")) or _iso_date(_text(e)) for e in tree.iter("time")]
    meta.shown = _unique(meta.shown + [d for d in times if d])
    meta.header_dates = _header_dates(tree, visible, updates=False)
    meta.header_updates = _header_dates(tree, visible, updates=True)
    meta.url_date = _url_date(url)
    return meta


def _unique(dates: Any) -> list:
    out: list = []
    for item in dates:
        if item not in out:
            out.append(item)
    return out


_WRITTEN_BY = re.compile(r"^(?:written|posted|published|reported|words|story)\s+by:?$|^authors?:?$|^by:?$", re.IGNORECASE)


def _labelled_author(tree: Any) -> list[str]:
    """ "Written by" / "Author:" in one element and the name in the next ("<p>Written by</p><p>Ann Lee</p>")."""
    for element in tree.iter("p", "span", "div", "strong", "em", "dt", "small"):
        label = _text(element)
        if not label or len(label) > 20 or not _WRITTEN_BY.match(label):
            continue
        following = element.getnext()
        if following is not None:
            name = _text(following)
            if _name_like(name.strip(" ,")):
                return [name.strip(" ,")]
        tail = (element.tail or "").strip()
        if _name_like(tail):
            return [tail]
    return []


_AUTHOR_CLASS = re.compile(r"author|byline|writer|posted-by", re.IGNORECASE)


def _author_element(tree: Any) -> list[str]:
    """The first element classed as an author's name ("author-name", "byline__name") holding a name."""
    for element in tree.xpath('//*[@class or @rel="author" or @itemprop="author"]'):
        marks = f"{element.get('class') or ''} {element.get('rel') or ''} {element.get('itemprop') or ''}"
        if not _AUTHOR_CLASS.search(marks) or _in(element, ("footer", "aside", "nav")):
            continue
        text = _spaced(element)
        by = _BY.match(text)
        name = _DATE_BITS.sub("", by.group(1) if by else text).strip(" ,|·•-–—")
        if _name_like(name):
            return [name]
    return []


# --------------------------------------------------------------------------------------------
# Dates displayed in text

_MONTHS = {
    name: number
    for number, names in enumerate(
        ["jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july", "aug august",
         "sep sept september", "oct october", "nov november", "dec december"], start=1)
    for name in names.split()
}
_MONTH_NAME = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
              r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_SHOWN = [
    ("mdy", re.compile(rf"\b{_MONTH_NAME}\s+([0-3]?\d)(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE)),
    ("dmy", re.compile(rf"\b([0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAME},?\s+((?:19|20)\d\d)\b", re.IGNORECASE)),
    ("iso", re.compile(r"\b((?:19|20)\d\d)-([01]\d)-([0-3]\d)\b")),
    ("num", re.compile(r"\b([0-3]?\d)[/.]([0-3]?\d)[/.]((?:19|20)\d\d)\b")),
]


def _find_dates(text: str) -> list[tuple[dt.date, int]]:
    """Full dates (day, month and year) written in `text`, with their offsets, in text order.

    A numeric 03/04/2025 is read both ways when both are dates: it is only ever matched against
    dates the metadata gives.
    """
    found: list[tuple[dt.date, int]] = []
    for kind, pattern in _SHOWN:
        for match in pattern.finditer(text):
            groups = match.groups()
            if kind == "mdy":
                candidates = [(int(groups[2]), _MONTHS[groups[0].lower()], int(groups[1]))]
            elif kind == "dmy":
                candidates = [(int(groups[2]), _MONTHS[groups[1].lower()], int(groups[0]))]
            elif kind == "iso":
                candidates = [tuple(map(int, groups))]
            else:
                a, b, year = map(int, groups)
                candidates = [(year, a, b), (year, b, a)]
            for year, month, day in candidates:
                try:
                    found.append((dt.date(year, month, day), match.start()))
                except ValueError:
                    pass
    return sorted(found, key=lambda item: item[1])


_DATE_CLASS = re.compile(r"date|time|publish|posted|byline|meta", re.IGNORECASE)


def _header_dates(tree: Any, visible: str, updates: bool) -> list[dt.date]:
    """Dates displayed with the headline: <time> and date-classed elements, and dates in the first
    lines after the first <h1> (where a byline and date line stand). Those labelled as an update
    ("Updated June 3, 2025") when `updates`, the others when not."""
    out: list[dt.date] = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or _in(element, ("footer", "aside", "nav")):
            continue
        if element.tag == "time" or _DATE_CLASS.search(element.get("class") or ""):
            text = _spaced(element)
            if len(text) <= 80:
                out.extend(_labelled_dates(text, updates))
            if element.tag == "time" and element.get("datetime") and text and bool(_UPDATED.search(
                    f"{element.get('class') or ''} {text}")) == updates:
                date = _iso_date(element.get("datetime"))
                if date:
                    out.append(date)
    h1 = next(iter(tree.iter("h1")), None)
    if h1 is not None:
        start = visible.find(_spaced(h1))
        if start >= 0:
            out.extend(_labelled_dates(visible[start: start + 400], updates))
    return _unique(out)


_UPDATED = re.compile(r"\b(?:updated|modified|edited|revised)\b", re.IGNORECASE)


def _labelled_dates(text: str, updates: bool) -> list[dt.date]:
    """The dates in `text` labelled as an update ("Updated June 3, 2025") when `updates`, else the others."""
    return [d for d, at in _find_dates(text) if bool(_UPDATED.search(text[max(0, at - 25): at])) == updates]


def _url_date(url: str | None) -> dt.date | None:
    """ "/2025/03/14/slug" or "/20250314/" in the URL path."""
    if not url:
        return None
    path = urlsplit(url).path
    match = re.search(r"/((?:19|20)\d\d)[/-]([01]\d)[/-]([0-3]\d)(?:/|-|_|$)", path) or re.search(
        r"/((?:19|20)\d\d)([01]\d)([0-3]\d)(?:/|-|_)", path)
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


def choose_date(meta: PageMeta, today: dt.date) -> tuple[dt.date | None, str]:
    """The page's publication date and where it was found, or (None, "") when the page gives none.

    In order: a publication date the metadata declares and the page displays; the first date
    displayed with the headline (a <time> or date-classed element, or the lines after the <h1>)
    that is not labelled "Updated"; one that is, when the page displays no other (the page as it
    stands is that version); the metadata's declared publication date; a date in the URL path.
    A modification date from the metadata is never used. Dates before 1990 or more than a day
    after `today` are refused.

    Tuned on the dev extraction set with benchmarks/extraction.py: each step is kept because it
    raised date_exact without taking date_precision below 0.85. Left out on purpose: htmldate as a
    last resort (4 right of 15 dates it adds) and its extensive search of the text for any date
    (date_precision 0.76).
    """
    latest = today + dt.timedelta(days=1)
    ok = lambda d: d is not None and dt.date(1990, 1, 1) <= d <= latest  # noqa: E731
    shown = set(meta.shown)
    steps = (
        ("declared and displayed", [d for d in meta.published if d in shown]),
        ("displayed with the headline", meta.header_dates[:1]),
        ("displayed as updated", meta.header_updates[:1]),
        ("declared", meta.published[:1]),
        ("url", [meta.url_date]),
    )
    for how, dates in steps:
        for date in dates:
            if ok(date):
                return date, how
    return None, ""


# --------------------------------------------------------------------------------------------
# Titles


def _overlap(a: str, b: str) -> float:
    """Share of the shorter text's words found in the other."""
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def choose_title(meta: PageMeta, fallback: str, url: str | None = None) -> str:
    """The headline: the page's <h1> when it is the article's, else the metadata title less the site name.

    Of several <h1>, the one closest to the metadata title; a lone <h1> is the headline unless it
    shares nothing with a metadata title and is a one- or two-word label ("Webcams", "Our Blog").
    """
    base = strip_site_name(meta.meta_title or fallback or "", meta.site or None, url)
    candidates = [_clean_heading(h) for h in meta.h1s]
    candidates = [h for h in candidates if h and not (meta.site and _squash(h) == _squash(meta.site))]
    if not candidates:
        return base or strip_site_name(fallback or "", meta.site or None, url)
    if not base:
        return candidates[0]
    scored = sorted(candidates, key=lambda h: -_overlap(h, base))
    best = scored[0]
    score = _overlap(best, base)
    if len(candidates) > 1 and score < 0.5:
        return base
    if score == 0 and len(best.split()) <= 2:
        return base
    return best


def _clean_heading(text: str) -> str:
    text = re.sub(r"^(?:title|headline)\s*:\s*", "", text.strip(), flags=re.IGNORECASE)
    return text.strip()


# --------------------------------------------------------------------------------------------
# Bylines

# A person's job, after the name: "Liz Kenny Former McKinsey Consultant", "Ann Lee; Trial Attorney".
# Words that name a group ("Desk", "Team", "Staff", "Editors") are not here: "TOI Lifestyle Desk"
# is a byline as it stands.
_ROLE_WORDS = frozenset(
    """reporter correspondent writer columnist contributor editor ceo cto coo cfo founder co-founder
    director manager president chief attorney lawyer analyst expert specialist consultant former senior
    sr jr associate assistant photographer producer intern fellow professor researcher dietitian
    nutritionist strategist officer""".split()
)
_DATE_BITS = re.compile(
    rf"\b(?:last\s+)?(?:updated|modified|published|posted|reviewed)\b.*$|\bon\s+{_MONTH_NAME}\s.*$|"
    rf"\b{_MONTH_NAME}\s+[0-3]?\d\b.*$|\b[0-3]?\d\s+{_MONTH_NAME}\b.*$|\b(?:19|20)\d\d\b.*$",
    re.IGNORECASE,
)


def _clean_name(part: str) -> str:
    """One byline entry less "By", dates, "Last updated ..." and a job title after a person's name."""
    part = " ".join(part.split()).strip(" ,;|:-–—")
    by = _BY.match(part)
    if by:
        part = by.group(1)
    part = _DATE_BITS.sub("", part).strip(" ,;|:-–—")
    if _WRITTEN_BY.match(part):
        return ""  # the label alone: "Written by"
    words = part.split()
    for index in range(2, len(words)):
        if words[index].lower().strip(".,") in _ROLE_WORDS and _name_like(" ".join(words[:index])):
            return " ".join(words[:index]).strip(" ,")
    return part


def _is_role(part: str) -> bool:
    """ "Trial Attorney", "Sr Director", "Staff Writer": a job with no name."""
    words = _norm(part).split()
    return bool(words) and len(words) <= 3 and words[-1] in _ROLE_WORDS | {"staff", "desk"}


def _is_name(part: str) -> bool:
    norm = _norm(part)
    if not norm or not re.search(r"[^\W\d_]", part) or len(part) > 80:
        return False
    words = norm.split()
    if len(words) == 1 and words[0] in _MONTHS:
        return False
    if all(w in ("the", "author", "admin", "administrator", "editor", "staff", "unknown") for w in words):
        return False
    return not all(w in _NAV_WORDS for w in words)


def join_names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def clean_byline(raw: str | list[str], site: str = "") -> str:
    """A byline as names only: "By", dates and roles dropped, repeats merged; the site's own name
    and a job with no name are dropped when a person's name is left.

    >>> clean_byline("Ann Lee; Ann Lee; Staff Writer; Last updated Dec 3, 2025")
    'Ann Lee'
    >>> clean_byline(["Kamal Haddad", "Sofia Reyes"])
    'Kamal Haddad and Sofia Reyes'
    """
    parts = raw if isinstance(raw, list) else re.split(r"\s*;\s*|\s*\|\s*", raw or "")
    if len(parts) == 1:
        parts = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s+&\s+", parts[0]) if _joined_names(parts[0]) else parts
    names: list[str] = []
    for part in parts:
        name = _clean_name(part)
        if not _is_name(name):
            continue
        words = set(_norm(name).split())
        if any(words <= set(_norm(seen).split()) for seen in names):
            continue  # "Tina Huffman" after "Tina Flint Huffman"
        names = [seen for seen in names if not set(_norm(seen).split()) < words]
        names.append(name)
    people = [n for n in names if not _is_role(n) and not (site and _is_site(n, site, None))]
    return join_names(people or names[:1])


def _joined_names(text: str) -> bool:
    """ "Ann Lee, Bo Chan and Cy Diaz" (several names), not "Ann Lee, Staff Reporter"."""
    pieces = [p for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s+&\s+", text.strip()) if p]
    return len(pieces) >= 2 and all(_name_like(p) for p in pieces)
