"""The where stage: the place an event's own sentence ties it to ("in Beijing", "the Pahalgam attack").

Actor places are not event places: "China said" places nothing. A place is taken only from the
trigger's own phrase (a locative preposition or a name-modifier of an event noun), or from the
locative of the verb that governs an event noun ("arrived in Beijing for a visit").
"""
from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from . import geo
from .actors import np_tokens
from .models import Place

LOCATIVE = {"in", "at", "near", "inside", "outside", "across", "throughout", "around", "on", "into", "from"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}


def _resolve(token: Token, in_play: Sequence[str]) -> Place | None:
    if token.ent_type_ not in PLACE_LABELS and token.pos_ != "PROPN":
        return None
    ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
    phrase = list(ent) if ent is not None else np_tokens(token)
    phrase = [t for t in phrase if t.lower_ != "the"] or [token]
    start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1].text)
    text = token.doc.text[start:end]
    for candidate in dict.fromkeys((text, token.text)):
        place = geo.resolve_place(candidate, in_play)
        if place is not None:
            place.text, place.start, place.end = text, start, end
            return place
    # "Indian Illegally Occupied Jammu and Kashmir": the adjective says the country.
    for word in np_tokens(token):
        code = geo.country_by_adjective(word.text)
        if code:
            return Place(text, code, geo.country_name(code), start, end, feature="region", resolution=2)
    return None


def _locatives(head: Token) -> list[Token]:
    out = []
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in LOCATIVE:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def event_place(trigger: Token, in_play: Sequence[str] = (), actor_tokens: set[int] | frozenset = frozenset()) -> Place | None:
    """The place the sentence ties the event carried by `trigger` to, or None."""
    candidates: list[Token] = []
    if trigger.pos_ in ("NOUN", "PROPN"):
        candidates += [c for c in trigger.lefts if c.dep_ in ("compound", "nmod")
                       and (c.ent_type_ in PLACE_LABELS or (c.pos_ == "PROPN" and not c.ent_type_))]
    candidates += _locatives(trigger)
    head = trigger.head
    if trigger.dep_ in ("dobj", "pobj", "xcomp", "attr", "nsubjpass", "nsubj") and head != trigger:
        if head.dep_ == "prep":
            head = head.head
        candidates += _locatives(head)
    for token in candidates:
        if token.i in actor_tokens and token.ent_type_ not in ("GPE", "LOC", "FAC"):
            continue
        place = _resolve(token, in_play)
        if place is not None:
            return place
    return None
