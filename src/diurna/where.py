"""The where stage: the place an event's own sentence ties it to ("in Beijing", "the Pahalgam attack").

Actor places are not event places: "China said" places nothing. A place is taken only from the
trigger's own phrase (a locative preposition or a name-modifier of an event noun), or from the
locative of the verb that governs an event noun ("arrived in Beijing for a visit").
"""
from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from . import geo
from .nlp import entity_at, sentence_ents
from .actors import np_tokens
from .models import Place

# "on" and "from" name recipients far more often than places ("sanctions on Venezuela", "recalled
# its ambassador from Niger").
LOCATIVE = {"in", "at", "near", "inside", "outside", "across", "throughout", "around", "into", "off", "outside"}
AREA_WORDS = {"region", "province", "district", "state", "department", "oblast", "governorate", "county",
              "territory", "city", "town", "village", "area"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}


def _phrase(token: Token) -> tuple[str, int, int]:
    """The place name a token belongs to, with "the Kursk region" and "Anantnag district" whole."""
    ent = entity_at(token)
    if ent is not None and ent.label_ in PLACE_LABELS:
        words = [t for t in ent if t.lower_ != "the"]
    else:
        words = [t for t in np_tokens(token) if t.lower_ != "the" and t.dep_ != "amod"] or [token]
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    return token.doc[words[0].i: words[-1].i + 1].text, start, end


def _placeish(token: Token) -> bool:
    return token.ent_type_ in PLACE_LABELS or token.pos_ == "PROPN" or (
        token.lemma_.lower() in AREA_WORDS and any(c.pos_ == "PROPN" for c in token.lefts))


def _sentence_places(token: Token) -> tuple[str, ...]:
    """Countries of the other places the sentence names ("Paris, Texas", "Tripoli in northern
    Lebanon", "the Atlanta police chief"): they decide between namesakes."""
    codes = []
    names = [ent.text for ent in sentence_ents(token.sent) if ent.label_ in ("GPE", "LOC", "FAC")
             and not ent.start <= token.i < ent.end]
    # "in the Donetsk region": an area word after a name the tagger left untagged
    names += [_phrase(t)[0] for t in token.sent if t.lemma_.lower() in AREA_WORDS and t.i != token.i
              and _placeish(t) and not t.ent_type_]
    for name in names:
        code = geo.country_by_name(name)
        if code is None:
            place = geo.resolve_place(name)
            code = place.country_code if place is not None and place.feature in ("admin1", "region", "capital", "city") \
                else None
        if code:
            codes.append(code)
    return tuple(codes)


def _resolve(token: Token, in_play: Sequence[str]) -> Place | None:
    if not _placeish(token):
        return None
    text, start, end = _phrase(token)
    near = _sentence_places(token)
    for candidate in dict.fromkeys((text, token.text)):
        place = geo.resolve_place(candidate, in_play, near)
        if place is not None:
            place.text, place.start, place.end = text, start, end
            return place
    # "Indian Illegally Occupied Jammu and Kashmir": the adjective says the country.
    for word in np_tokens(token):
        code = geo.country_by_adjective(word.text)
        if code:
            return Place(text, code, geo.country_name(code), start, end, feature="region", resolution=2)
    return None


def _most_specific(tokens: list[Token], in_play: Sequence[str]) -> Place | None:
    """Of the places in one phrase ("El Paso, Texas"), the most precise one."""
    found = [p for p in (_resolve(t, in_play) for t in tokens) if p is not None]
    return max(found, key=lambda p: p.resolution, default=None)


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
        # "the Pahalgam attack" (a party's name, "the Hamas attack", is no place)
        candidates += [c for c in trigger.lefts if c.dep_ in ("compound", "nmod") and c.i not in actor_tokens
                       and (c.ent_type_ in PLACE_LABELS or (c.pos_ == "PROPN" and not c.ent_type_))]
    candidates += _locatives(trigger)
    for child in trigger.children:
        if child.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):  # "killed a former official in Herat"
            candidates += _locatives(child)
        elif child.dep_ == "prep":  # "clashed with separatists in Bamenda"
            for obj in child.children:
                if obj.dep_ == "pobj":
                    candidates += _locatives(obj)
    head = trigger.head
    if trigger.dep_ in ("dobj", "pobj", "xcomp", "attr", "nsubjpass", "nsubj") and head != trigger:
        if head.dep_ == "prep":
            head = head.head
        candidates += _locatives(head)
    for token in candidates:
        # the locative's own words and the places hanging off it: "near El Paso, Texas"
        phrase = [token] + [t for t in token.subtree if t != token and _placeish(t) and t.dep_ in
                            ("compound", "appos", "conj", "npadvmod", "pobj", "poss")]
        place = _most_specific(phrase, in_play)
        if place is not None:
            return place
    return None
