"""Passes over one article's coded events taken together: shared parties, targets, duplicates."""
from __future__ import annotations

from spacy.tokens import Token

from ..models import Entity, Event


def take_targets(coded: list[tuple[Token, Event]], ended: dict[int, Event]) -> None:
    """An act ended or owned up to names whom it was against ("lifted its boycott of Malawian
    farmers"); the ending verb, which found only its actor's own or a thing, takes them."""
    for token, event in coded:
        act = ended.get(token.i)
        own = {e.code for e in event.actor if e.code}
        if act is not None and act.recipient and not {e.code for e in event.recipient if e.code} - own:
            event.recipient = list(act.recipient)


def self_same(event: Event) -> bool:
    """One party on both sides ("the senator pointed out she had resigned"): no event between actors."""
    def named(side: list[Entity]) -> set[str]:
        return {(e.code, (e.name or e.text).lower()) for e in side if e.name or e.text}
    actor = named(event.actor)
    return bool(actor) and len(actor) == len(event.actor) and actor == named(event.recipient)


def local(event: Event, country: str) -> bool:
    """The event could be happening where the dateline is: no party is from elsewhere."""
    codes = {e.code for e in event.actor + event.recipient if e.code}
    return not codes or country in codes


def share_parties(coded: list[tuple[Token, Event]]) -> None:
    """An event told with no parties takes those of the event its phrase hangs off: in "a ceasefire
    on May 10 after four days of fighting", the fighting was between the ceasefire's parties."""
    with_parties = [(token, event) for token, event in coded if (event.actor or event.recipient)
                    and event.event_type in ("RETREAT", "CONCEDE", "AGREE", "CONSULT", "ASSAULT")]
    for token, event in coded:
        if event.actor or event.recipient or event.event_type != "ASSAULT":
            continue
        for ancestor in list(token.ancestors)[:4]:
            # the other trigger is this ancestor, or hangs off it within two steps
            other = next((e for t, e in with_parties if t == ancestor or ancestor in list(t.ancestors)[:2]), None)
            if other is not None:
                event.actor, event.recipient = list(other.actor), list(other.recipient)
                break


def _key(event: Event) -> tuple:
    return (event.event_type, tuple(sorted(e.code for e in event.actor)), tuple(sorted(e.code for e in event.recipient)),
            event.factual)


def _absorb(kept: Event, dropped: Event) -> None:
    """The telling we drop may still say when and where ("the April 22 attack that killed 26")."""
    if kept.date_source == "published" and dropped.date_source != "published":
        kept.date, kept.enddate = dropped.date, dropped.enddate
        kept.date_source, kept.date_precision = dropped.date_source, dropped.date_precision
    kept.place = kept.place or dropped.place


def _fuller(event: Event) -> tuple:
    """Which of two tellings of one event to keep: the one that names more of its parties in the
    text, then the one with a date of its own, then the first. (Not the more confident: the
    confidence model is fitted on the coder's output, and a choice by its scores would make each fit
    change what the next one sees.)"""
    return (sum(e.start >= 0 for e in event.actor + event.recipient), event.date_source != "published",
            -event.trigger_start)


def dedupe(events: list[Event]) -> list[Event]:
    """One sentence telling the same event twice ("reaffirmed its support") gives one event, and an
    event whose parties are a part of another's of the same type ("Dar's visit included talks with
    Liu") is that other event told vaguer."""
    best: dict[tuple, Event] = {}
    for event in events:
        key = _key(event)
        if key in best:
            keep, drop = (event, best[key]) if _fuller(event) > _fuller(best[key]) else (best[key], event)
            _absorb(keep, drop)
            best[key] = keep
        else:
            best[key] = event
    kept = list(best.values())

    def parties(e: Event) -> tuple[set[str], set[str]]:
        # an uncoded party ("a new railway line") says no more than none
        return {x.code for x in e.actor if x.code}, {x.code for x in e.recipient if x.code}

    out = []
    for event in kept:
        actor, recipient = parties(event)
        fuller = next((other for other in kept if other is not event and other.event_type == event.event_type
                       and other.factual == event.factual and actor <= parties(other)[0]
                       and recipient <= parties(other)[1] and (actor, recipient) != parties(other)), None)
        if fuller is None:
            out.append(event)
        else:
            _absorb(fuller, event)
    return sorted(out, key=lambda e: e.trigger_start)
