"""The when stage: an event's own date, read from its sentence, relative to the publication date.

"the April 22 attack" in a report of May 21 happened on April 22; "four days of exchanges" that
ended on May 10 ran from May 7 to May 10; an event with no date of its own gets the publication
date and says so (`date_source="published"`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import dateparser
from spacy.tokens import Span, Token

DURATION_UNITS = {"day": 1, "week": 7, "month": 30, "year": 365, "hour": 0}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "a": 1, "few": 3}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
# Words of a DATE entity that make it a span of time or a vague period, not a point we can place.
NOT_A_POINT = re.compile(r"\b(decades?|centur(y|ies)|years? old|aged|since|recent|coming|past \d+|"
                         r"\d+\s+(days?|weeks?|months?|years?)$|^(a|one|two|three|four|five|six|seven|eight|nine|ten|"
                         r"several|few)\s+(days?|weeks?|months?|years?|hours?)$)", re.I)


@dataclass(slots=True)
class EventDate:
    date: dt.date
    enddate: dt.date | None = None
    source: str = "published"  # stated | relative | published
    precision: str = "day"


@lru_cache(maxsize=4096)
def parse_date(text: str, base: dt.date, prefer: str = "past") -> tuple[dt.date, str, str] | None:
    """(date, source, precision) for a date expression, read relative to `base`, or None."""
    # The tagger runs "May 10 after four days" together: the point is the part before the preposition.
    cleaned = re.split(r"\s+(?:after|before|following|until|amid|during)\s+", text.strip(), flags=re.I)[0]
    cleaned = re.sub(r"^(on|in|at|by|since|from|the)\s+", "", cleaned, flags=re.I)
    cleaned = re.sub(r"['’]s$", "", cleaned)
    if not cleaned or NOT_A_POINT.search(cleaned) or re.fullmatch(r"\d{1,3}", cleaned):
        return None  # "Adamowicz, 53," is an age, not the year 1953
    has_day = bool(re.search(r"\d", cleaned)) and bool(re.search(r"\b\d{1,2}(st|nd|rd|th)?\b", cleaned))
    has_month = any(m in cleaned.lower() or m[:3] + " " in cleaned.lower() + " " for m in MONTHS)
    has_year = bool(re.search(r"\b(19|20)\d{2}\b", cleaned))
    base_dt = dt.datetime.combine(base, dt.time(12, 0))
    settings = {"RELATIVE_BASE": base_dt, "PREFER_DATES_FROM": prefer, "RETURN_AS_TIMEZONE_AWARE": False,
                "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": []}
    try:
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None:
        return None
    relative = not (has_month or has_year)
    if has_month and not has_day:
        precision = "month"
    elif has_year and not has_month and not has_day:
        precision = "year"
    else:
        precision = "day"
    day = parsed.date()
    if precision == "year":
        day = day.replace(month=1, day=1)
    elif precision == "month":
        day = day.replace(day=1)
    elif relative and base.strftime("%A").lower() == cleaned.lower():
        day = base  # "on Thursday" in a Thursday report is that day, not a week before
    return day, ("relative" if relative else "stated"), precision


def date_entities(sent: Span) -> list[Span]:
    return [ent for ent in sent.ents if ent.label_ == "DATE" or
            (ent.label_ == "TIME" and re.search(r"\b(night|morning|evening|afternoon)\b", ent.text, re.I))]


def _owner(token: Token, trigger: Token) -> bool:
    """The date token hangs off the trigger itself, not off another clause's head."""
    node = token
    while node.head != node:
        if node.head == trigger:
            return True
        if node.head.pos_ in ("VERB", "AUX") and node.head != trigger:
            return False
        node = node.head
    return False


def duration_of(trigger: Token) -> int | None:
    """Days of "four days of fighting", where the trigger is the object of "of" after a duration."""
    head = trigger.head
    if trigger.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in DURATION_UNITS:
        unit = head.head
        for child in unit.children:
            if child.dep_ in ("nummod", "amod", "det", "quantmod"):
                number = NUMBER_WORDS.get(child.lower_) or (int(child.text) if child.text.isdigit() else None)
                if number:
                    return number * DURATION_UNITS[unit.lemma_.lower()]
    return None


def event_date(trigger: Token, sent: Span, published: dt.date, future: bool = False) -> EventDate:
    """The date of the event that `trigger` carries."""
    prefer = "future" if future else "past"
    candidates = []
    governing = trigger.head if trigger.dep_ in ("dobj", "pobj", "attr", "nsubjpass", "xcomp") else None
    if governing is not None and governing.dep_ == "prep":
        governing = governing.head
    for ent in date_entities(sent):
        root = ent.root
        if ent.start <= trigger.i < ent.end:
            continue
        if _owner(root, trigger):
            candidates.append((0, ent))
        elif governing is not None and governing.pos_ in ("VERB", "AUX") and _owner(root, governing):
            candidates.append((1, ent))
    for _, ent in sorted(candidates, key=lambda c: c[0]):
        found = parse_date(ent.text, published, prefer)
        if found is None:
            continue
        day, source, precision = found
        if not future and day > published:
            if source == "stated" and not re.search(r"\b(19|20)\d{2}\b", ent.text):
                day = day.replace(year=day.year - 1)  # "December 30" in a January report
            else:
                continue
        return EventDate(day, None, source, precision)
    days = duration_of(trigger)
    if days:
        anchor = _anchor(sent, published, prefer)
        end = anchor.date if anchor else published
        return EventDate(end - dt.timedelta(days=max(days - 1, 0)), end, anchor.source if anchor else "relative", "day")
    return EventDate(published, None, "published", "day")


def _anchor(sent: Span, published: dt.date, prefer: str) -> EventDate | None:
    """The sentence's one point in time, which a duration ends on ("... on May 10 after four days")."""
    for ent in date_entities(sent):
        found = parse_date(ent.text, published, prefer)
        if found and found[0] <= published:
            return EventDate(found[0], None, found[1], found[2])
    return None
