"""Triggers: the lexicon's entries (`data/lexicon.yaml`) and the words of a sentence that match them."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span, Token

from ..actors import QUANTITIES
from ..resources import data_text, load_yaml
from .words import BATCH_NOUNS, ENACTING_VERBS, GOVERNING_VERBS, NAME_LABELS, SCENE_PREPS


@dataclass(frozen=True, slots=True)
class Entry:
    word: str  # the lemma
    second: str  # particle/preposition or object of a two-word verb ("call for"), or ""
    pos: str  # VERB | NOUN
    event: str  # PLOVER type, NONE, or "" for light verbs
    mode: str
    cameo: str
    needs: frozenset[str]
    light: bool
    reciprocal: bool

    @classmethod
    def of_verb(cls, verb: Token, event: str, mode: str = "", cameo: str = "") -> Entry:
        """An entry for a verb read as an event without a lexicon trigger (a demand, a belief, the
        classifier's reading of a verb between two actors)."""
        return cls(verb.lemma_.lower(), "", "VERB", event, mode, cameo, frozenset(), False, False)


@cache
def lexicon() -> dict[tuple[str, str], list[Entry]]:
    """(pos, lemma) -> entries, the ones with conditions first."""
    raw = load_yaml(data_text("lexicon.yaml"))
    if isinstance(raw, dict):
        raw = raw.get("entries") or raw.get("triggers") or []
    table: dict[tuple[str, str], list[Entry]] = {}
    for item in raw:
        pos = "VERB" if "verb" in item else "NOUN"
        words = str(item.get("verb") or item.get("noun")).lower().split()
        entry = Entry(
            word=words[0],
            second=" ".join(words[1:]),
            pos=pos,
            event=str(item.get("event") or ""),
            mode=str(item.get("mode") or ""),
            cameo=str(item.get("cameo") or ""),
            needs=frozenset(str(w).lower() for w in item.get("with") or []),
            light=bool(item.get("light")),
            reciprocal=bool(item.get("reciprocal")),
        )
        table.setdefault((pos, entry.word), []).append(entry)
    for entries in table.values():
        entries.sort(key=lambda e: (not e.needs, not e.second))
    return table


def _dependents(token: Token) -> set[str]:
    """Lemmas an entry's `with:` list is checked against."""
    out: set[str] = set()
    for child in token.children:
        if child.dep_ in ("dobj", "attr", "oprd", "xcomp", "ccomp", "nsubjpass", "dative", "acomp", "npadvmod"):
            out.add(child.lemma_.lower())
            # "called Russia's move a breach": the parser hangs the second object off the first
            out.update(c.lemma_.lower() for c in child.children if c.dep_ in ("compound", "amod", "npadvmod"))
            out.update(_kind_of_act(child))
            if child.lower_ in QUANTITIES:
                # "returned dozens of artefacts": what is counted is the object
                out.update(g.lemma_.lower() for c in child.children if c.dep_ == "prep" and c.lower_ == "of"
                           for g in c.children if g.dep_ == "pobj")
            if child.dep_ in ("xcomp", "ccomp"):
                # "ordered him (to) remain in custody": where the clause puts the object says the act
                out.update(g.lemma_.lower() for c in child.children if c.dep_ == "prep"
                           for g in c.children if g.dep_ == "pobj")
        elif child.dep_ == "prep" or child.dep_ == "agent":
            out.update(c.lemma_.lower() for c in child.children if c.dep_ == "pobj")
        elif child.dep_ in ("amod", "compound", "nmod", "prt", "advmod", "acl"):
            out.add(child.lemma_.lower())
    if token.pos_ in ("NOUN", "PROPN"):
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                out.update(c.lemma_.lower() for c in child.children if c.dep_ == "pobj")
        if token.head != token:
            out.add(token.head.lemma_.lower())
    return out


def _kind_of_act(noun: Token) -> set[str]:
    """What "an act of ..." says the object is ("called the raid an act of aggression", the act
    hung off the object or off the verb): the lemmas after "of"."""
    acts = [n for n in [noun, *(c for c in noun.children if c.dep_ == "appos")] if n.lemma_.lower() == "act"]
    return {g.lemma_.lower() for act in acts for c in act.children if c.dep_ == "prep" and c.lower_ == "of"
            for g in c.children if g.dep_ == "pobj"}


def _second_ok(token: Token, second: str) -> bool:
    words = second.split()
    children = {c.lower_ for c in token.children if c.dep_ in ("prt", "prep", "dobj", "advmod", "dative", "agent")}
    children |= {c.lemma_.lower() for c in token.children if c.dep_ in ("dobj", "prt")}
    # "called for Nato members to spend more": the parser makes "for" the mark of the clause
    children |= {m.lower_ for c in token.children if c.dep_ in ("advcl", "ccomp", "xcomp")
                 for m in c.children if m.dep_ == "mark" and m.i < c.i}
    return all(w in children for w in words)


def match(token: Token) -> Entry | None:
    """The lexicon entry a token triggers, or None (also for entries that block a reading)."""
    pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN" if token.pos_ in ("NOUN", "PROPN") else ""
    if not pos:
        return None
    entries = lexicon().get((pos, token.lemma_.lower())) or lexicon().get((pos, token.lower_))
    if not entries:
        return None
    deps = None
    for entry in entries:
        if entry.second and not _second_ok(token, entry.second):
            continue
        if entry.needs:
            deps = _dependents(token) if deps is None else deps
            if not entry.needs & deps:
                continue
        return None if entry.event == "NONE" else entry
    return None


@dataclass(slots=True)
class Hit:
    token: Token
    entry: Entry
    light: Token | None = None
    scene: bool = False  # `light` is the clause the event noun is the scene of, not its support verb


FALLBACK_TYPE = "ACCUSE"  # the commonest type in news when nothing in the lexicon fits


def blocked(token: Token) -> bool:
    """The lexicon reads this verb, here, as no event (a NONE entry whose conditions hold)."""
    entries = [e for e in lexicon().get(("VERB", token.lemma_.lower()), []) if e.event == "NONE"]
    return bool(entries) and any(not e.needs or e.needs & _dependents(token) for e in entries)


def loose_entry(token: Token) -> Entry | None:
    """A lexicon reading of a word whatever its part of speech and conditions ("protest" as a verb)."""
    for pos in ("VERB", "NOUN"):
        for entry in lexicon().get((pos, token.lemma_.lower()), []):
            if entry.event and entry.event != "NONE" and not entry.light:
                return entry
    return None


def _of_objects(noun: Token) -> list[Token]:
    return [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]


def triggers(sent: Span) -> list[Hit]:
    hits: list[Hit] = []
    lights: dict[int, Token] = {}
    for token in sent:
        if token.ent_type_ in NAME_LABELS:
            continue  # "Indian Illegally Occupied Jammu and Kashmir", "the Strike Force Foundation"
        entry = match(token)
        if entry is None:
            continue
        if entry.light:
            for child in token.children:
                if child.dep_ in ("dobj", "attr", "nsubjpass"):  # "attacks were carried out by ..."
                    lights[child.i] = token
                    if child.lemma_.lower() in BATCH_NOUNS:
                        # "launched a wave of airstrikes": the act is what the series is made of
                        for obj in _of_objects(child):
                            lights[obj.i] = token
                elif child.dep_ == "prep":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            lights[obj.i] = token
            continue
        hits.append(Hit(token, entry))
    for hit in hits:
        hit.light = lights.get(hit.token.i)
        if hit.light is None and hit.token.pos_ in ("NOUN", "PROPN") and hit.token.dep_ in ("dobj", "pobj"):
            governor = hit.token.head.head if hit.token.dep_ == "pobj" else hit.token.head
            enacted = hit.token.dep_ == "dobj"
            if hit.token.dep_ == "pobj" and hit.token.head.lower_ == "of" and governor.dep_ == "dobj" and \
                    governor.lemma_.lower() in BATCH_NOUNS:
                # "approved a new package of sanctions": the batch's enactor enacts what is in it
                governor, enacted = governor.head, True
            if governor.lemma_ in GOVERNING_VERBS or enacted and governor.lemma_ in ENACTING_VERBS:
                hit.light = governor
            elif hit.entry.event == "CONSULT" and hit.token.dep_ == "pobj" and hit.token.head.lower_ in SCENE_PREPS:
                if governor.pos_ == "NOUN" and governor.dep_ == "dobj":
                    governor = governor.head  # "welcomed the deal in a call with X": hung off the object
                if governor.pos_ == "VERB" and any(c.dep_ in ("dobj", "dative") for c in governor.children):
                    # "in a phone call, X urged Y to ...": the clause's two parties are the talk's
                    hit.light, hit.scene = governor, True
    return hits
