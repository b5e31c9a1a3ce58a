"""Dates printed in text: "21 May 2025", "May 21", "Updated 3 hours ago", and the input's own field.

    parse_date_text("Wed, 21 May 2025 10:32 PKT") -> FoundDate(date(2025, 5, 21), has_year=True, ...)

dateparser reads the snippets, in English only; a date without a year, or a relative one, is read
against `today`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .. import settings

__all__ = ["FoundDate", "parse_date_text"]

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
