"""The when stage: an event's own date, read from its sentence, relative to the publication date.

"the April 22 attack" in a report of May 21 happened on April 22; "four days of exchanges" that
ended on May 10 ran from May 7 to May 10; "fought from May 7 to May 10" is a range; "last month"
is a month, not a day; an event with no date of its own gets the publication date and says so
(`source="published"`). Common news expressions are read by our own rules; dateparser (always
with `languages=["en"]`) reads the rest.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import dateparser
from spacy.tokens import Doc, Span, Token

from .models import Event
from .nlp import sentence_ents

NAMING_DEPS = {"compound", "nummod", "amod", "poss"}  # a date written on a noun, naming it
DURATION_UNITS = {"day": 1, "week": 7, "month": 30, "year": 365}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "a": 1, "few": 3}
MONTH_NAMES = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTH_NAMES.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTH_NAMES["sept"] = 9
MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december|" \
        r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
YEAR = r"((?:19|20)\d{2})"
MONTH_DAY = re.compile(rf"\b{MONTH}\s+{DAY}\b(?:,?\s+{YEAR}\b)?")
DAY_MONTH = re.compile(rf"\b{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR}\b)?")
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third",
            "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth",
            "twenty-ninth", "thirtieth", "thirty-first"]
ORDINAL_OF = re.compile(rf"\b({'|'.join(sorted(ORDINALS, key=len, reverse=True))})\s+of\s+{MONTH}")
RANGE = re.compile(rf"(?:from|between)?\s*{MONTH}\s+{DAY}\s*(?:to|and|until|through|-|–)\s*(?:{MONTH}\s+)?{DAY}\b"
                   rf"(?:,?\s+{YEAR})?")
MONTH_ONLY = re.compile(rf"^(?:(early|mid|late|the end of|the start of|the beginning of)[- ]?)?{MONTH}(?:,?\s+{YEAR})?$")
# The days of a month a part of it names: "late July" is its last ten days.
MONTH_PART = {None: (1, 31), "early": (1, 10), "the start of": (1, 10), "the beginning of": (1, 10),
              "mid": (11, 20), "late": (21, 31), "the end of": (21, 31)}
# "last October" is the latest October before this month; "next March" the first after it.
MONTH_NEAR = re.compile(rf"^(last|next)\s+{MONTH}$")
YEAR_ONLY = re.compile(rf"^{YEAR}$")
# "the 1990s", "the early 1980s": a decade, or its first or last few years
DECADE = re.compile(r"^(?:(early|mid|late)[- ])?((?:19|20)\d)0['’]?s$")
# A day named as a possessive: "Saturday's unrest", "yesterday's attack".
DAY_WORD = re.compile(r"^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
                      r"last night)(\s*['’]s?)?$")
# Conjunctions whose clause happens at the time of the clause it hangs off ("violence broke out on
# Saturday when thousands rallied").
SAME_TIME = {"when", "while", "as"}
# Prepositions that set an event before or after another time, not at it.
SET_AGAINST = {"after", "before", "since", "until", "following", "ahead", "prior"}
DECADE_PART = {None: (0, 9), "early": (0, 3), "mid": (3, 6), "late": (6, 9)}
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
HOLIDAYS = {"new year's day": (1, 1), "new year's eve": (12, 31), "christmas eve": (12, 24),
            "christmas day": (12, 25), "christmas": (12, 25), "boxing day": (12, 26)}
RELATIVE_TO_OTHER = re.compile(r"\b(the previous day|the day before|a day earlier|the next day|the following day|"
                               r"a day later)\b")
UNTAGGED = re.compile(r"\b(yesterday|last night|overnight|tonight|weekend|new year's|christmas)\b")
# Words of a DATE entity that make it a span or an age, not a point we can place ("by the evening
# hours" names a time of a day the sentence does not name).
NOT_A_POINT = re.compile(r"\b(decades?|centur(y|ies)|years? old|aged|since|recent|coming|past \d+|"
                         r"(morning|afternoon|evening|night)\s+hours|"
                         r"\d+\s+(days?|weeks?|months?|years?)$|^(a|one|two|three|four|five|six|seven|eight|nine|ten|"
                         r"several|few)\s+(days?|weeks?|months?|years?|hours?)$)", re.I)


@dataclass(slots=True)
class EventDate:
    date: dt.date
    enddate: dt.date | None = None
    source: str = "published"  # stated | relative | published
    precision: str = "day"  # day | month | year


def _month_start(day: dt.date, shift: int = 0) -> dt.date:
    month = day.month - 1 + shift
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def _in_year(month: int, day: int, base: dt.date, prefer: str, year: int | None) -> dt.date | None:
    """A month and day given without a year: the most recent one not after `base` for the past,
    the first one on or after it for the future."""
    years = [year] if year else ([base.year, base.year - 1] if prefer == "past" else [base.year, base.year + 1])
    for candidate in years:
        try:
            found = dt.date(candidate, month, day)
        except ValueError:
            continue
        if year or (prefer == "past" and found <= base) or (prefer != "past" and found >= base):
            return found
    return None


def _relative(text: str, base: dt.date, prefer: str) -> EventDate | None:
    """Expressions news uses every day, read exactly (dateparser reads most of them loosely)."""
    if re.search(r"\b(yesterday|last night|overnight)\b", text):
        return EventDate(base - dt.timedelta(days=1), None, "relative")
    if re.search(r"\b(today|this morning|this afternoon|this evening|tonight|earlier today)\b", text):
        return EventDate(base, None, "relative")
    if re.search(r"\btomorrow\b", text):
        return EventDate(base + dt.timedelta(days=1), None, "relative")
    if re.search(r"\b(earlier |later )?this month\b", text):
        return EventDate(_month_start(base), None, "relative", "month")
    for word, shift in (("last", -1), ("next", 1)):
        if re.search(rf"\b{word} month\b", text):
            return EventDate(_month_start(base, shift), None, "relative", "month")
        if re.search(rf"\b{word} year\b", text):
            return EventDate(dt.date(base.year + shift, 1, 1), None, "relative", "year")
    if re.search(r"\b(earlier |later )?this year\b", text):
        return EventDate(dt.date(base.year, 1, 1), None, "relative", "year")
    if re.search(r"\b((over|at|during) the weekend|this weekend|last weekend)\b", text):
        saturday = base - dt.timedelta(days=(base.weekday() - 5) % 7)
        return EventDate(saturday, saturday + dt.timedelta(days=1), "relative")
    for name, (month, day) in HOLIDAYS.items():
        if name in text:
            found = _in_year(month, day, base, prefer, None)
            return EventDate(found, None, "stated") if found else None
    for name, weekday in WEEKDAYS.items():
        if re.search(rf"\b{name}\b", text) and not re.search(MONTH, text):
            back = (base.weekday() - weekday) % 7
            ahead = (weekday - base.weekday()) % 7
            return EventDate(base - dt.timedelta(days=back) if prefer == "past" else base + dt.timedelta(days=ahead),
                             None, "relative")
    return None


def _explicit(text: str, base: dt.date, prefer: str) -> EventDate | None:
    """Dates that name a month: ranges, "May 10", "10 May 2025", "the first of July", "mid-April"."""
    found = RANGE.search(text)
    if found:
        month1, day1, month2, day2, year = found.groups()
        start = _in_year(MONTH_NAMES[month1], int(day1), base, prefer, int(year) if year else None)
        if start is not None:
            try:
                end = dt.date(start.year, MONTH_NAMES[month2 or month1], int(day2))
            except ValueError:
                end = None
            if end is not None and end < start:
                end = end.replace(year=end.year + 1)
            return EventDate(start, end, "stated")
    for pattern, order in ((MONTH_DAY, "md"), (DAY_MONTH, "dm")):
        found = pattern.search(text)
        if found:
            a, b, year = found.groups()
            month, day = (a, b) if order == "md" else (b, a)
            if int(day) > 31:
                continue
            day_found = _in_year(MONTH_NAMES[month], int(day), base, prefer, int(year) if year else None)
            if day_found:
                return EventDate(day_found, None, "stated")
    found = ORDINAL_OF.search(text)
    if found:
        day_found = _in_year(MONTH_NAMES[found.group(2)], ORDINALS.index(found.group(1)) + 1, base, prefer, None)
        if day_found:
            return EventDate(day_found, None, "stated")
    found = MONTH_NEAR.match(text)
    if found:
        month = MONTH_NAMES[found.group(2)]
        year = base.year - (month >= base.month) if found.group(1) == "last" else base.year + (month <= base.month)
        return EventDate(dt.date(year, month, 1), None, "relative", "month")
    found = MONTH_ONLY.match(text)
    if found:
        month, year = MONTH_NAMES[found.group(2)], found.group(3)
        start = _in_year(month, 1, _month_start(base) if prefer == "past" else base, prefer, int(year) if year else None)
        if start is not None and found.group(1):
            first, last = MONTH_PART[found.group(1)]
            last = min(last, calendar.monthrange(start.year, start.month)[1])
            return EventDate(start.replace(day=first), start.replace(day=last), "stated", "month")
        if start is not None:
            return EventDate(start, None, "stated", "month")
    found = YEAR_ONLY.match(text)
    if found:
        return EventDate(dt.date(int(found.group(1)), 1, 1), None, "stated", "year")
    found = DECADE.match(text)
    if found:
        first, last = DECADE_PART[found.group(1)]
        decade = int(found.group(2)) * 10
        return EventDate(dt.date(decade + first, 1, 1), dt.date(decade + last, 12, 31), "stated", "year")
    return None


@lru_cache(maxsize=4096)
def read_date(text: str, base: dt.date, prefer: str = "past") -> EventDate | None:
    """What a date expression says, read relative to `base`; None when it is no point in time."""
    cleaned = re.sub(r"^(on|in|at|by|from|the|during)\s+", "", " ".join(text.lower().split()))
    cleaned = re.sub(r"['’]s$", "", cleaned)
    if not cleaned or re.fullmatch(r"\d{1,3}", cleaned):
        return None  # "Adamowicz, 53," is an age, not the year 1953
    found = _explicit(cleaned, base, prefer) or _relative(cleaned, base, prefer)
    if found is not None:
        return found
    if NOT_A_POINT.search(cleaned):
        return None
    settings = {"RELATIVE_BASE": dt.datetime.combine(base, dt.time(12, 0)), "PREFER_DATES_FROM": prefer,
                "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return EventDate(parsed.date(), None, "relative") if parsed else None


# A wire dateline's city before its date ("BRASILIA, Sept 17 (Reuters) - ..."): the day of filing,
# not of what the story tells.
DATELINE_CITY = re.compile(r"^\s*[A-Z][A-Z .'’-]{2,40},\s*$")


def date_entities(sent: Span) -> list[Span]:
    return [ent for ent in sentence_ents(sent) if (
        ent.label_ == "DATE" or
        (ent.label_ == "TIME" and re.search(r"\b(night|morning|evening|afternoon|overnight)\b", ent.text, re.I)) or
        (ent.label_ == "EVENT" and any(name in ent.text.lower() for name in HOLIDAYS))) and not _in_dateline(ent)]


def _in_dateline(ent: Span) -> bool:
    return ent.start_char < 60 and bool(DATELINE_CITY.match(ent.doc[:ent.start].text_with_ws))


def _owner(token: Token, trigger: Token) -> bool:
    """The date hangs off the trigger itself, not off another clause's verb or another thing's name
    ("the 1960 Indus Waters Treaty" is no date of its suspension)."""
    node = token
    while node.head != node:
        head = node.head
        if head == trigger:
            return node.dep_ != "conj"  # "a coup in 2006, and another in 2014": the other's date
        if head.pos_ in ("VERB", "AUX"):
            return False
        if head.pos_ in ("NOUN", "PROPN") and node.dep_ in ("compound", "nummod", "amod", "nmod", "poss") and \
                head.ent_type_ not in ("DATE", "TIME"):
            return False
        node = head
    return False


DESCRIBING = {"be", "say", "claim", "describe", "believe", "allege"}


def _in_description(token: Token, trigger: Token) -> bool:
    """The date sits in what the trigger's object is said to be ("struck what the army said was a
    weapons depot on Sunday"): the parser hangs the strike's time on the description."""
    node, described = token, False
    while node.head != node:
        node = node.head
        if node == trigger:
            return described  # (with no clause between, _owner has decided)
        if node.pos_ in ("VERB", "AUX"):
            if node.lemma_.lower() not in DESCRIBING or node.dep_ in ("relcl", "conj"):
                return False  # another clause's verb, or a relative clause's time
            described = True
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


def _fits(found: EventDate, text: str, published: dt.date, future: bool) -> EventDate | None:
    """Past events do not happen after their report; a yearless date that would is last year's."""
    if future or found.date <= published:
        return found
    if found.source == "stated" and not re.search(r"\b(19|20)\d{2}\b", text) and found.precision == "day":
        moved = found.date.replace(year=found.date.year - 1)
        end = found.enddate.replace(year=found.enddate.year - 1) if found.enddate else None
        return EventDate(moved, end, found.source, found.precision)
    return None


def event_date(trigger: Token, sent: Span, published: dt.date, future: bool = False) -> EventDate:
    """The date of the event that `trigger` carries."""
    prefer = "future" if future else "past"
    governing = trigger.head if trigger.dep_ in ("dobj", "pobj", "attr", "nsubjpass", "nsubj", "xcomp") else None
    if trigger.dep_ == "ROOT" and trigger.pos_ == "NOUN":
        # "A coup removed the president in 2006": the parser hangs the sentence's verb off its subject
        governing = next((c for c in trigger.children if c.dep_ == "acl" and c.tag_ in ("VBD", "VBN")
                          and c.i > trigger.i), None)
    if governing is not None and governing.dep_ == "prep":
        governing = governing.head
    candidates = []
    clause = _clause_verbs(governing if governing is not None and governing.pos_ in ("VERB", "AUX") else trigger)
    for ent in date_entities(sent):
        if ent.start <= trigger.i < ent.end:
            continue
        if _owner(ent.root, trigger):
            candidates.append((0, ent))
        elif governing is not None and governing.pos_ in ("VERB", "AUX") and _owner(ent.root, governing) or \
                _in_description(ent.root, trigger):
            candidates.append((1, ent))
        else:
            # the date of the clause the event's clause hangs off: "moved on November 15, having
            # placed him under arrest", "said on Friday that the army had shelled the town"
            step = next((n for n, verb in enumerate(clause) if _owner(ent.root, verb)), None)
            if step is not None:
                candidates.append((2 + step, ent))
    candidates.sort(key=lambda c: c[0])
    found = _first_date([ent for rank, ent in candidates if rank < 2], sent, published, prefer, future)
    if found is not None:
        return found
    for child in trigger.children:
        # "struck the refinery last night", "attacked over the weekend": words the tagger left untagged
        if child.dep_ in ("npadvmod", "advmod", "prep", "tmod") and child.ent_type_ not in ("DATE", "TIME"):
            phrase = " ".join(t.text for t in child.subtree).lower()
            if UNTAGGED.search(phrase):
                found = read_date(phrase, published, prefer)
                if found is not None and (future or found.date <= published):
                    return found
    days = duration_of(trigger)
    if days:
        anchor = _anchor(sent, published, prefer)
        end = anchor.date if anchor else published
        return EventDate(end - dt.timedelta(days=max(days - 1, 0)), end, anchor.source if anchor else "relative")
    found = _first_date([ent for rank, ent in candidates if rank >= 2], sent, published, prefer, future) or \
        _first_date(_event_noun_dates(sent, trigger), sent, published, prefer, future)
    return found if found is not None else EventDate(published, None, "published")


def _event_noun_dates(sent: Span, trigger: Token) -> list[Span]:
    """Days written on another event of the sentence ("after Saturday's unrest, twenty people were
    arrested"): the time the sentence is about, when the event names none of its own. Only a day
    or a relative time word, as a possessive: "the 1960 treaty" names a thing, not a time; and not
    one the event is set against ("arrested after Monday's attack" is not on Monday)."""
    out = []
    for ent in date_entities(sent):
        noun = ent.root.head
        if ent.root.dep_ != "poss" or noun == trigger or not DAY_WORD.match(ent.text.lower()):
            continue
        preps = {noun.head.lower_, noun.head.head.lower_} if noun.dep_ == "pobj" else set()
        if not preps & SET_AGAINST:  # "ahead of February's election"
            out.append(ent)
    return out


def _first_date(ents: list[Span], sent: Span, published: dt.date, prefer: str, future: bool) -> EventDate | None:
    """The first of `ents` that reads as a date the event can have."""
    for ent in ents:
        if RELATIVE_TO_OTHER.search(ent.text.lower()):
            anchor = _anchor(sent, published, prefer, skip=ent)
            if anchor is None:
                continue
            shift = -1 if re.search(r"previous|before|earlier", ent.text.lower()) else 1
            return EventDate(anchor.date + dt.timedelta(days=shift), None, "relative")
        found = read_date(ent.text, published, prefer)
        if found is not None:
            found = _fits(_in_told_year(found, ent, published), ent.text, published, future)
            if found is not None:
                return found
    return None


def _in_told_year(found: EventDate, ent: Span, published: dt.date) -> EventDate:
    """A day given without a year, in a paragraph that has just named one, is of that year: after
    "the army moved on November 15, 2017", "resigned on November 21" is 2017's November 21, not the
    last one before the report."""
    if found.source != "stated" or found.precision != "day" or found.enddate or re.search(YEAR, ent.text):
        return found
    year = _paragraph_year(ent)
    if year is None or year == found.date.year:
        return found
    try:
        moved = found.date.replace(year=year)
    except ValueError:  # February 29 of a year without one
        return found
    return EventDate(moved, None, found.source, found.precision) if moved <= published else found


def _paragraph_year(ent: Span) -> int | None:
    """The last year written in a date before `ent`, in its own paragraph; not one that names a
    thing ("the 1960 treaty", "the 2018 elections")."""
    doc = ent.doc
    start = doc.text.rfind("\n\n", 0, ent.start_char)
    years = [found.group(1) for other in doc.ents if start < other.start_char and other.end_char <= ent.start_char
             and other.label_ == "DATE" and other.root.dep_ not in NAMING_DEPS
             for found in re.finditer(YEAR, other.text)]
    return int(years[-1]) if years else None


def _clause_verbs(token: Token, limit: int = 3) -> list[Token]:
    """The verbs above `token`'s clause, nearest first: up through complements, participle clauses
    and coordination, not through a relative or finite adverbial clause (each has its own time)."""
    out: list[Token] = []
    node = token
    while len(out) < limit and node.head != node and node.dep_ in ("xcomp", "ccomp", "advcl", "conj", "pcomp",
                                                                 "pobj", "prep", "acl", "dobj", "nsubj"):
        if node.dep_ == "advcl" and any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in node.children) and \
                not any(c.dep_ in ("mark", "advmod") and c.lower_ in SAME_TIME for c in node.children):
            break  # a finite clause of its own ("after he fired his deputy, the army moved on May 15")
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            out.append(node)
    return out


def _anchor(sent: Span, published: dt.date, prefer: str, skip: Span | None = None) -> EventDate | None:
    """The sentence's one point in time, which a duration ends on ("... on May 10 after four days")
    or "the previous day" counts from ("said on Tuesday it had repelled an attack the previous day")."""
    for ent in date_entities(sent):
        if skip is not None and ent.start == skip.start:
            continue
        found = read_date(ent.text, published, prefer)
        if found and found.date <= published and found.precision == "day":
            return found
    return None


def carry_dates(events: list[Event], doc: Doc, published: dt.date) -> None:
    """A past event its sentence gives no date continues the story of the sentence before it:
    in "The opposition won in 2008. The president then agreed to share power." the agreement is of
    2008, not of the report's day. Only within a paragraph (a new one may change the time) and
    only for a verb in the past tense: "has supported" and "is expected to" keep the report's day."""
    sents = list(doc.sents)
    starts = [s.start_char for s in sents]
    scenes: dict[int, EventDate | None] = {}  # a sentence's scene date, read once for all its events

    def scene(i: int) -> EventDate | None:
        if i not in scenes:
            scenes[i] = _scene_date(sents[i], published)
        return scenes[i]

    for event in events:
        if event.date_source != "published" or {"future", "hypothetical"} & set(event.mode):
            continue
        span = doc.char_span(event.trigger_start, event.trigger_end, alignment_mode="expand")
        if span is None or not _told_in_past(span.root):
            continue
        index = bisect.bisect_right(starts, event.trigger_start) - 1
        if scene(index) is not None:
            continue  # the sentence sets a scene of its own, which the event was not set at
        found = _story_date(sents, index, doc.text, scene) or \
            _lead_date(sents, index, doc.text, scene, published)
        if found is not None:
            event.date, event.enddate = found.date, found.enddate
            event.date_source, event.date_precision = "story", found.precision


def _verb_of(token: Token) -> Token:
    """The verb whose clause `token` sits in (itself if it is one)."""
    return next((t for t in [token, *token.ancestors] if t.pos_ in ("VERB", "AUX")), token)


def _told_in_past(trigger: Token) -> bool:
    """The trigger's verb (its own, or the one its noun hangs off) is a simple past or a past perfect."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    if verb.tag_ == "VBD":
        return not any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("has", "have") for c in verb.children)
    auxes = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.tag_ == "VB" and "would" in auxes and any(c.dep_ == "neg" or c.lower_ in ("neither", "nor")
                                                     for c in [*verb.children, *(g for c in verb.children
                                                               if c.dep_ == "nsubj" for g in c.subtree)]):
        return True  # "in 2008 ... the EU would not endorse the result": a refusal told in the past
    # a main verb with no auxiliary that the tagger reads as a participle is a simple past
    return verb.tag_ == "VBN" and (bool({"had", "was", "were"} & set(auxes)) or (not auxes and verb.dep_ == "ROOT"))


def _story_date(sents: list[Span], index: int, text: str, scene: Callable[[int], EventDate | None],
                back: int = 2) -> EventDate | None:
    """The first scene date (`scene(i)`) of the `back` sentences before sentence `index`, within its
    paragraph."""
    for i in range(index - 1, max(index - 1 - back, -1), -1):
        if _paragraph_break(text, sents[i], sents[i + 1]):
            return None
        found = scene(i)
        if found is not None:
            return found
    return None


def _lead_date(sents: list[Span], index: int, text: str, scene: Callable[[int], EventDate | None],
               published: dt.date) -> EventDate | None:
    """The day a report's lead sets, for a past event told further on with no time of its own and no
    other time set between ("A court jailed X on Wednesday. [new paragraph] Police detained 30 of
    his supporters ..."): news tells that day's story first (a day of the report's week). The lead
    is the first paragraph that tells a dated past event (a date line or a headline tells none)."""
    first = next((i for i in range(index) if scene(i) is not None), None)
    if first is None:
        return None
    lead_end = next((i for i in range(first + 1, len(sents)) if _paragraph_break(text, sents[i - 1], sents[i])),
                    len(sents))
    if index < lead_end or any(scene(i) is not None and _main_dates(sents[i]) for i in range(lead_end, index)):
        return None  # within the lead (_story_date has looked), or another time was set since
    own = _main_dates(sents[first])
    found = _first_date(own, sents[first], published, "past", False) if own else None
    # a day of the report's week is news; "won the election in 2008" is background, and a new
    # paragraph may move on from it
    if found is None or found.precision != "day" or not 0 <= (published - found.date).days <= 7:
        return None
    return found


def _main_dates(sent: Span) -> list[Span]:
    """The dates a sentence tells its own news at, not those of an earlier event it recalls in a
    relative or time clause ("... reaffirmed its support after the ceasefire of May 10", "the
    fourth strike since the president took office in 2023")."""
    out = []
    for ent in date_entities(sent):
        verb = _verb_of(ent.root)
        if _told_in_past(verb) and not any(
                t.dep_ == "relcl" or (t.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in SET_AGAINST
                                                                for m in t.children)) or
                (t.dep_ == "pcomp" and t.head.lower_ in SET_AGAINST) for t in [verb, *verb.ancestors]):
            out.append(ent)
    return out


def _scene_date(sent: Span, published: dt.date) -> EventDate | None:
    """The first time the sentence gives to something that happened: "called for vigils on Sunday"
    sets no scene."""
    told = [ent for ent in date_entities(sent) if _told_in_past(_verb_of(ent.root))]
    return _first_date(told, sent, published, "past", False)


def _paragraph_break(text: str, before: Span, after: Span) -> bool:
    """A blank line between the words of two sentences (the parser hangs it on either)."""
    end = before.start_char + len(before.text.rstrip())
    start = after.start_char + len(after.text) - len(after.text.lstrip())
    return "\n\n" in text[end:start]
