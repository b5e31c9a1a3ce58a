"""Text copied off a news page: headline, byline and date lines found, page chrome dropped.

    clean_page_text(copied_text) -> PageText(title, byline, date_text, body)

Also the line-level rules (`is_chrome`, `name_like`, ...) that the HTML side reuses.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .dates import _DAY, _MONTH, _WEEKDAY, _YEAR, _is_date_line, _is_updated

__all__ = ["PageText", "clean_page_text"]

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
