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
# Dates


@dataclass(slots=True, frozen=True)
class FoundDate:
    """A date read from text: `has_year` False when the year was inferred against today."""

    date: dt.date
    has_year: bool
    text: str


_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?\.?"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_DATE_PATTERNS = [
    re.compile(rf"\b{_YEAR}-[01]?\d-[0-3]?\d\b"),  # 2025-05-21
    re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MONTH},?(?:\s+{_YEAR})?\b", re.IGNORECASE),  # 21 May 2025
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b", re.IGNORECASE),  # May 21, 2025
    re.compile(rf"\b[0-3]?\d[/.][01]?\d[/.]{_YEAR}\b"),  # 21/05/2025 or 05/21/2025
]
_RELATIVE = re.compile(
    r"\b(?:(?:\d+|an?|one)\s+(?:sec(?:ond)?|min(?:ute)?|h(?:ou)?r|day|week)s?\s+ago|yesterday|today|just now)\b",
    re.IGNORECASE,
)
_HAS_YEAR = re.compile(rf"\b{_YEAR}\b")
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?", re.IGNORECASE)
_DATE_LINE_NOISE = re.compile(
    rf"\b(?:published|updated|last\s+updated|posted|modified|date|on|at|{_WEEKDAY}|"
    r"GMT[+-]?\d*|UTC[+-]?\d*|am|pm)\b|[|·•,:()\-–—/]",
    re.IGNORECASE,
)
_TIME_ZONE = re.compile(r"\b[A-Z]{2,5}\b|[+-]\d{2}:?\d{2}\b")  # PKT, CEST, +0500


def _dateparser_parse(text: str, today: dt.date) -> dt.datetime | None:
    import dateparser  # slow to import: only when a date needs it

    base = dt.datetime.combine(today, dt.time(12))
    return dateparser.parse(
        text,
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False},
    )


def _most_recent(month: int, day: int, today: dt.date) -> dt.date | None:
    """The most recent `month`/`day` not after today (a 29 February goes back to a leap year)."""
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def parse_date_text(text: str, today: dt.date | None = None) -> FoundDate | None:
    """Read the first date in a short text ("May 21", "21 May 2025", "Updated 3 hours ago").

    A date without a year gets the most recent such date not after `today`, with has_year False;
    so does a relative one. A dated year more than a day after today is refused (None).

    >>> parse_date_text("May 21", dt.date(2025, 5, 1))
    FoundDate(date=datetime.date(2024, 5, 21), has_year=False, text='May 21')
    """
    today = today or settings.today()
    match = None
    for pattern in _DATE_PATTERNS:
        found = pattern.search(text)
        if found and (match is None or found.start() < match.start()):
            match = found
    if match is None:
        relative = _RELATIVE.search(text)
        if not relative:
            return None
        parsed = _dateparser_parse(relative.group(0), today)
        if parsed is None or parsed.date() > today:
            return None
        return FoundDate(parsed.date(), False, relative.group(0))
    snippet = match.group(0)
    has_year = bool(_HAS_YEAR.search(snippet))
    parsed = _dateparser_parse(snippet.replace(" of ", " "), today)
    if parsed is None:
        return None
    if has_year:
        if parsed.date() > today + dt.timedelta(days=1):
            return None
        return FoundDate(parsed.date(), True, snippet)
    inferred = _most_recent(parsed.month, parsed.day, today)
    return FoundDate(inferred, False, snippet) if inferred else None


def _is_date_line(line: str) -> bool:
    """A short line that is a date and little else ("Wed, 21 May 2025 10:32 PKT", "Updated 3 hours ago")."""
    if len(line.split()) > 12 or line.rstrip().endswith((".", "?", "!")) and not re.search(r"\b(ago|[ap]\.m\.)$", line):
        return False
    match = None
    for pattern in (*_DATE_PATTERNS, _RELATIVE):
        match = pattern.search(line)
        if match:
            break
    if not match:
        return False
    rest = (line[: match.start()] + " " + line[match.end():])
    rest = _TIME_ZONE.sub(" ", _TIME.sub(" ", rest))
    rest = _DATE_LINE_NOISE.sub(" ", rest)
    return len(rest.split()) <= 1


def _is_updated(line: str) -> bool:
    return bool(re.match(r"\s*(last\s+)?(updated|modified)\b", line, re.IGNORECASE))


def _date_from_input(value: str, today: dt.date) -> dt.date | None:
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    parsed = _dateparser_parse(value, today)
    return parsed.date() if parsed else None


# --------------------------------------------------------------------------------------------
# Page text copied off a screen


@dataclass(slots=True)
class PageText:
    """What `clean_page_text` finds in text copied off a page. `body` is the article alone."""

    title: str
    byline: str
    date_text: str
    body: str


_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
# Lines that are page chrome wherever they stand (compared lower-cased, punctuation dropped).
_CHROME_LINES = frozenset(
    """
    search|menu|home|share|share this|share this article|share this story|share article|tweet|email|print|
    comments|comment|no comments|leave a comment|post a comment|view comments|show comments|
    related|related articles|related stories|related news|related posts|related content|related coverage|
    read more|read also|also read|see also|more from|more stories|more news|more on this story|
    advertisement|advert|ad|ads|sponsored|sponsored content|story continues below advertisement|
    continue reading|continue reading below|scroll to continue|scroll to continue with content|
    follow us|subscribe|subscribe now|sign in|sign up|log in|login|logout|register|my account|
    skip to content|skip to main content|skip to navigation|back to top|toggle navigation|close|
    accept|accept all|reject all|manage cookies|cookie settings|listen|listen to this article|
    save|bookmark|copy link|link copied|top stories|most read|most popular|most viewed|
    editors picks|editor s picks|you may also like|you might also like|recommended|
    recommended for you|trending|trending now|latest|latest news|breaking news|load more|show more|
    view all|see all|next|previous|next article|previous article|next story|previous story|
    tags|topics|filed under|about the author|newsletter|e paper|epaper|live|watch|video|photos|
    whatsapp|facebook|twitter|x|linkedin|telegram|reddit|pinterest|instagram|youtube|threads|
    font size|text size|a a|a a a|audio|gift this article|report an error|feedback
    """.replace("\n", "").split("|")
)
_CHROME_LINES = frozenset(item.strip() for item in _CHROME_LINES if item.strip())
# Words a navigation bar is made of: a line of nothing else is a menu.
_NAV_WORDS = frozenset(
    """home news national international world business sport sports politics opinion opinions
    editorial editorials entertainment lifestyle life style tech technology science health education
    culture arts travel food video videos photos photo gallery multimedia podcast podcasts live
    latest trending more menu search subscribe login register newsletter newsletters epaper e-paper
    weather markets market economy local city cities region regional blogs blog magazine columns
    columnists features feature analysis obituaries jobs classifieds contact about privacy policy
    terms careers advertise archive archives sections top stories breaking edition showbiz
    entertainment games puzzles crosswords books movies music tv fashion auto autos property
    real estate money finance personal and & us the of sign in out log share whatsapp facebook
    twitter x linkedin telegram email print instagram youtube""".split()
)
_SOCIAL = frozenset("whatsapp facebook twitter x linkedin telegram email print reddit pinterest instagram".split())
_CHROME_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^\d{1,6}$",  # a lone count: "0" comments, "12" shares
        r"^\d[\d,.]*\s*k?\s+(comments?|shares?|views?|likes?|reactions?)$",
        r"^(\d+\s*)?min(ute)?s?\.?\s+(read|listen)$",
        r"^(comments?|shares?|views?|likes?|reactions?)\s*[:(]?\s*\d[\d,.]*k?\)?$",
        r"^(also read|read also|read more|see also|related|also see|must read|don'?t miss|"
        r"suggested|recommended|more|watch|listen|also watch)\s*[:|–—>»-]\s*\S",  # "Also read: ..."
        r"^follow us\b",
        r"^(subscribe|sign up|click here|tap here|download (our|the) app|get the app|join our)\b.{0,120}$",
        r"\bcookies?\b.*\b(use|accept|consent|privacy|browsing|experience|agree)\b",
        r"\b(use|accept|consent|privacy|browsing|experience|agree)\b.*\bcookies?\b",
        r"^(©|\(c\)\s*\d{4}|copyright\b)",
        r"\ball rights reserved\b",
        r"^(tags?|topics?|filed under|categories|category)\s*:",
        r"^(advertisement|sponsored)\b.{0,40}$",
        r"^ad\s*[:|·-]",
        r"^story continues (below|after)",
        r"^share\s*(this|on|via|article|story|:)\b.{0,60}$",
        r"^(this article is more than|you have \d+ free|you'?ve reached|already a subscriber)",
        r"^(image|photo|picture|file photo|video)\s*(source|credit)?\s*[:|]\s*.{0,60}$",
        r"^(image|photo|video)\s+(caption|source|credit)\b.{0,60}$",
    )
]
# A lone line from here on ends the article: what follows is related links and comments.
_END_MARKERS = frozenset(
    """related|related articles|related stories|related news|related posts|related content|
    related coverage|read more|more from|more stories|more news|more on this story|comments|comment|
    leave a comment|leave a reply|post a comment|view comments|you may also like|you might also like|
    recommended|recommended for you|most read|most popular|most viewed|trending|trending now|
    top stories|latest news|also read|share this article|tags|topics|about the author|
    newsletter|sponsored content|more to explore|further reading|in other news""".replace("\n", "").split("|")
)
_END_MARKERS = frozenset(item.strip() for item in _END_MARKERS if item.strip())
_AGENCIES = frozenset(
    """reuters|afp|ap|associated press|agence france-presse|agence france presse|app|xinhua|pti|ians|
    ani|bloomberg|dpa|efe|anadolu|anadolu agency|tass|bernama|kyodo|yonhap|wam|spa|agencies|
    news desk|web desk|monitoring desk|online desk|news service|desk report|staff reporter|
    our staff reporter|our correspondent|staff correspondent|staff writer|special correspondent|
    bbc news|cnn|al jazeera|reuters/afp|afp/reuters""".replace("\n", "").split("|")
)
_AGENCIES = frozenset(item.strip() for item in _AGENCIES if item.strip())
_ROLE_BYLINE = re.compile(
    r"^(?:[A-Z][\w.'’-]*\s+){0,3}(?:Desk|Correspondent|Reporter|Writer|Bureau|Staff|Editor|Report)$"
)
_NAME_WORD = re.compile(r"^(?:[A-Z][a-zA-Z'’.-]*|[A-Z]\.|de|da|del|van|von|der|bin|bint|ibn|al-\w+|el-\w+|la|le)$")
_BY = re.compile(r"^(?:by|written by|reported by|reporting by|words by|story by)\s*:?\s+(.+)$", re.IGNORECASE)
_SPLIT_PARTS = re.compile(r"\s+[|·•—–-]\s+|\s*\|\s*")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def _norm(line: str) -> str:
    text = unicodedata.normalize("NFKC", line).lower()
    text = re.sub(r"[^\w&]+", " ", text)
    return " ".join(text.split())


def _words(line: str) -> list[str]:
    return line.split()


def _is_chrome(line: str) -> bool:
    norm = _norm(line)
    if not norm:
        return True  # punctuation or symbols only: "|", "•", "—"
    if norm in _CHROME_LINES:
        return True
    stripped = line.strip()
    if any(p.search(stripped) for p in _CHROME_PATTERNS):
        return True
    words = norm.split()
    if len(words) <= 12 and all(w in _NAV_WORDS for w in words) and not _SENTENCE_END.search(stripped):
        return True  # a menu bar: "Home World Business Sports Opinion"
    return False


def _is_prose(line: str) -> bool:
    words = _words(line)
    ends = bool(_SENTENCE_END.search(line.strip()))
    lowercase = sum(1 for w in words if w[:1].islower())
    return (len(words) >= 8 and lowercase >= 2) or (len(words) >= 4 and ends and lowercase >= 1)


def _is_title_like(line: str) -> bool:
    stripped = line.strip()
    words = _words(stripped)
    if not (len(words) >= 4 or (len(words) == 3 and len(stripped) >= 18)):
        return False
    if len(words) > 24 or len(stripped) > 220 or stripped.endswith((".", ",", ";", ":")):
        return False
    if re.search(r"[a-z]{2}\.\s+[A-Z]", stripped):  # two sentences: a paragraph, not a headline
        return False
    first = stripped[0]
    return first.isupper() or first.isdigit() or first in "\"'“‘"


def _name_like(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 5 or len(text) > 48 or any(ch.isdigit() for ch in text):
        return False
    if any(w.lower().strip(".,") in _NAV_WORDS for w in words):
        return False
    if re.search(_MONTH, text) and re.search(rf"\b{_MONTH}\b", text):
        return False
    return all(_NAME_WORD.match(w.strip(",")) for w in words) and sum(w[:1].isupper() for w in words) >= 2


def _names_after_by(text: str) -> bool:
    """ "Kamal Haddad and Sofia Reyes", not "Monday, the army had withdrawn" (a sentence)."""
    skip = {"and", "&"} | _AGENCIES
    words = [w for w in re.split(r"[\s,]+", text.strip()) if w and w.lower() not in skip]
    if not words or len(words) > 10 or not text[:1].isupper() or _SENTENCE_END.search(text.rstrip()):
        return False
    return sum(w[:1].isupper() for w in words) >= 0.75 * len(words)


def _byline_of(line: str, after_headline: bool) -> tuple[str, str] | None:
    """(byline, date text) when the line is a byline, perhaps with a date on it."""
    stripped = line.strip()
    if len(_words(stripped)) > 14:
        return None
    parts = [p.strip() for p in _SPLIT_PARTS.split(stripped) if p.strip()]
    date_text = ""
    names: list[str] = []
    for part in parts:
        if _is_date_line(part):
            date_text = date_text or part
        else:
            names.append(part)
    if not names:
        return None
    first = names[0]
    by = _BY.match(first)
    if by and _names_after_by(by.group(1)):
        return " ".join([by.group(1).strip()] + names[1:]), date_text
    known = all(_norm(n) in _AGENCIES or _ROLE_BYLINE.match(n) for n in names)
    if known:
        return " ".join(names) if len(names) == 1 else ", ".join(names), date_text
    if after_headline and len(names) <= 2 and _name_like(first) and (
        len(names) == 1 or _norm(names[1]) in _AGENCIES or _ROLE_BYLINE.match(names[1]) or _name_like(names[1])
    ):
        return ", ".join(names), date_text
    # "Jane Doe, Staff Reporter"
    pieces = [p.strip() for p in first.split(",")]
    if after_headline and len(pieces) == 2 and _name_like(pieces[0]) and (
        _norm(pieces[1]) in _AGENCIES or _ROLE_BYLINE.match(pieces[1])
    ):
        return first, date_text
    return None


def _clean_lines(text: str) -> list[str]:
    """Lines with trailing whitespace dropped; lines of only whitespace become empty."""
    table = {ord(ch): None for ch in _INVISIBLE}
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line.translate(table).strip():
            line = ""
        lines.append(line)
    return lines


def _lines_are_paragraphs(lines: list[str], kept: list[int]) -> bool:
    """Text with no blank line anywhere in its body, one paragraph to a line (not hard-wrapped)."""
    if len(kept) < 2 or any(not lines[i] for i in range(kept[0], kept[-1])):
        return False
    ends = sum(bool(_SENTENCE_END.search(lines[i])) for i in kept)
    average = sum(len(lines[i]) for i in kept) / len(kept)
    return ends >= 0.6 * len(kept) or average > 120


def _join(lines: list[str], kept: list[int]) -> str:
    """The kept lines, with "\\n" between neighbours and "\\n\\n" across a gap (blank or dropped)."""
    out: list[str] = []
    previous = None
    single = "\n\n" if _lines_are_paragraphs(lines, kept) else "\n"
    for index in kept:
        if previous is not None:
            out.append(single if index == previous + 1 else "\n\n")
        out.append(lines[index])
        previous = index
    return "".join(out)


def clean_page_text(text: str) -> PageText:
    """Split text copied off a news page into headline, byline, date line and body.

    Menus and section names before the headline, share buttons, "Advertisement", "Also read: ..."
    and cookie notices inside, and "Related", "Comments", "0", "Read more" after the article are
    dropped. Prose without any of that comes back as it was, blank-line runs collapsed.

    >>> page = clean_page_text("Search\\nWorld\\n\\nTalks resume in Geneva\\n\\nBy Ann Lee\\n\\nMay 21\\n\\n"
    ...                        "The two delegations met again on Tuesday.\\n\\nRelated\\n\\nComments\\n\\n0")
    >>> (page.title, page.byline, page.date_text, page.body)
    ('Talks resume in Geneva', 'Ann Lee', 'May 21', 'The two delegations met again on Tuesday.')
    """
    lines = _clean_lines(text)
    content = [i for i, line in enumerate(lines) if line]
    title = byline = date_text = ""
    updated_date = ""

    def single_block(pos: int) -> bool:
        index = content[pos]
        before = index == 0 or not lines[index - 1]
        after = index + 1 >= len(lines) or not lines[index + 1]
        return before and after

    pos = 0
    while pos < len(content):
        line = lines[content[pos]].strip()
        if _is_chrome(line):
            pos += 1
            continue
        if _is_date_line(line):
            if _is_updated(line):
                updated_date = updated_date or line
            else:
                date_text = date_text or line
            pos += 1
            continue
        found = _byline_of(line, after_headline=bool(title))
        if found:
            byline = byline or found[0]
            date_text = date_text or found[1]
            pos += 1
            continue
        if not title and _is_title_like(line):
            following = lines[content[pos + 1]].strip() if pos + 1 < len(content) else ""
            if single_block(pos) or (following and (
                _is_chrome(following) or _is_date_line(following) or _byline_of(following, True)
            )):
                title = line
                pos += 1
                continue
        if _is_prose(line):
            break
        if len(_words(line)) <= 5 and not _SENTENCE_END.search(line):
            pos += 1  # a section name, "Image caption", a menu entry
            continue
        break
    body = content[pos:]
    if not title and not byline and not date_text and not updated_date:
        # Nothing recognised before the first paragraph: keep what was skipped unless it is chrome.
        body = [i for i in content[:pos] if not _is_chrome(lines[i].strip())] + body

    body = _cut_trailing(lines, body)
    body = [i for i in body if not _is_chrome(lines[i].strip())]
    date_text = date_text or updated_date
    if not date_text and body:
        dateline = _dateline(lines[body[0]].strip())
        if dateline:
            date_text = dateline
    return PageText(title=title, byline=byline, date_text=date_text, body=_join(lines, body))


_DATELINE = re.compile(
    rf"^[A-Z][A-Za-z.'’ -]{{1,40}},?\s+(?:{_WEEKDAY},?\s+)?({_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?|"
    rf"{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?)\s*(?:\(|[—–-]|:)"
)


def _dateline(line: str) -> str:
    """The date of a dateline opening the first paragraph: "GENEVA, May 21 (Reuters) -"."""
    match = _DATELINE.match(line)
    return match.group(1) if match else ""


def _cut_trailing(lines: list[str], body: list[int]) -> list[int]:
    """Drop what follows the article: from a lone end marker on, then trailing chrome lines."""
    counts = [len(_words(lines[i])) for i in body]
    total = sum(counts)
    before = 0
    for k, index in enumerate(body):
        if k and _norm(lines[index]) in _END_MARKERS and before > total - before - counts[k]:
            body = body[:k]
            break
        before += counts[k]
    while body:
        last = lines[body[-1]].strip()
        if _is_chrome(last) or (len(_words(last)) <= 3 and not _SENTENCE_END.search(last)):
            body = body[:-1]
            continue
        break
    return body


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


@dataclass(slots=True)
class _HtmlParts:
    text: str
    title: str
    byline: str
    date: dt.date | None


def _extract_html(doc: Document, today: dt.date) -> _HtmlParts:
    import trafilatura
    from htmldate import find_date

    html = doc.html or ""
    date_params = {
        "original_date": True,
        "extensive_search": True,
        "outputformat": "%Y-%m-%d",
        "max_date": (today + dt.timedelta(days=1)).isoformat(),
    }
    try:
        result = trafilatura.bare_extraction(
            html, url=doc.url, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params=date_params,
        )
    except Exception as exc:  # trafilatura raises assorted errors on broken markup
        log.warning("%s: trafilatura failed (%s); falling back to the page's paragraphs", doc.id, exc)
        result = None
    text = title = byline = ""
    date_str = None
    if result is not None:
        text = _body_text(result.body)
        title = strip_site_name(result.title or "", result.sitename, doc.url or result.url)
        byline = (result.author or "").strip()
        date_str = result.date
        text = _drop_chrome_lines(_drop_leading_title(text, title))
    if not text.strip():
        text = _visible_paragraphs(html)
    if not byline:
        byline = _html_byline(html)
    if not text.strip():
        raise ExtractError(f"no article text found in the HTML of {doc.id!r}")
    if not date_str:
        try:
            date_str = find_date(html, url=doc.url, **date_params)
        except Exception as exc:  # htmldate on odd markup
            log.debug("%s: htmldate failed: %s", doc.id, exc)
    page_date = None
    if date_str:
        try:
            page_date = dt.date.fromisoformat(date_str[:10])
        except ValueError:
            page_date = None
    if page_date and page_date > today + dt.timedelta(days=1):
        page_date = None
    return _HtmlParts(text=text, title=title, byline=byline, date=page_date)


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
