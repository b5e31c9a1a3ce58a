"""What the parse says around a trigger: clauses, passives, owners, and the sides a text leaves unsaid."""
from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from .. import geo, when
from ..actors import MentionIndex, NON_STATE, np_tokens, QUANTITIES
from ..models import Actor, Entity, Mention, Place
from .modality import reported
from .triggers import Entry
from .words import (
    CREATING, GOVERNING_VERBS, IMPLIED_AUTHORITY, NON_AGENTS, PARTY_PREPS, SENDING, TAKING_AWAY, THING_PREPS,
)


def in_relative_clause(token: Token, top: Token) -> bool:
    """`token` lies in a relative clause of a phrase below `top`."""
    node = token
    while node != top and node.head != node:
        if node.dep_ == "relcl":
            return True
        node = node.head
    return False


def moves_things(token: Token, entry: Entry) -> bool:
    """The event gives, sends or takes away something (money, aid, troops), which is no party."""
    return entry.event == "AID" or token.lemma_.lower() in SENDING | TAKING_AWAY


def purpose_of_sending(token: Token) -> bool:
    """`token` says what those sent are sent to do ("sent experts to Chad to investigate")."""
    return token.dep_ in ("xcomp", "advcl") and token.head.lemma_.lower() in SENDING and \
        any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def own_forces_at_most(recipient: list[Mention], actor: list[Mention]) -> bool:
    """Nobody named as the recipient but the actor's own forces ("withdrew its troops") or people no
    country is known for ("aid to 300,000 people in Chad")."""
    own = {m.actor.code for m in actor if m.actor.code}
    return all(m.actor.code in own and m.actor.sector == "MIL" or not m.actor.code and m.actor.kind != "person"
               for m in recipient)


def under_subject(token: Token, top: Token) -> bool:
    """`token` lies in the subject of a clause below `top`: another clause's actor, not a recipient."""
    node = token
    while node != top and node.head != node:
        if node.dep_ in ("nsubj", "nsubjpass"):
            return True
        node = node.head
    return False


# where an act is done, or the land it is done to or from ("out of Mali": of)
PLACE_PREPS = ("in", "into", "to", "across", "throughout", "inside", "against", "on", "from", "of", "for")


def in_own_clause(token: Token, top: Token) -> bool:
    """`token` lies in a clause below `top` with a subject of its own: another party's doing."""
    node = token
    while node != top and node.head != node:
        if node.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
            return True
        node = node.head
    return False


def below(token: Token, top: Token, labels: tuple[str, ...]) -> bool:
    """`token` lies under a dependent of `top` with one of `labels`."""
    node = token
    while node.head != top and node.head != node:
        node = node.head
    return node.head == top and node.dep_ in labels


def unnamed(mention: Mention, doc) -> bool:
    """A group no name or nationality picks out ("30 villagers", "its contingent"): its country,
    if any, is only that of the place it is in."""
    if mention.actor.kind != "group":
        return False
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or any(t.pos_ == "PROPN" or t.ent_type_ in ("NORP", "GPE", "ORG") for t in span):
        return False
    # "a suspected rebel": one person, who is who he is wherever he is
    return not (span.root.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in span.root.children))


MISSIONS = {"mission", "operation", "force", "team", "contingent", "deployment", "troop", "peacekeeper"}


def mission_head(mention: Mention, doc) -> Token | None:
    """The word heading the phrase a mention names, when that is a force or mission ("the UN
    stabilisation mission"), whose "in" phrase says where it serves."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return None
    head = span.root
    while head.dep_ in ("compound", "amod", "nmod") and head.head != head:
        head = head.head
    return head if head.lemma_.lower() in MISSIONS else None


def nobody_named(recipient: list[Mention], actor: list[Mention], doc) -> bool:
    """No recipient but unnamed people or the actor's own forces."""
    own = actor_ids(actor)
    return all(unnamed(m, doc) or (m.actor.sector == "MIL" and actor_ids([m]) & own) for m in recipient)


def namelike_object(token: Token) -> bool:
    """What the event is done to is named, though no known actor ("shelled Kramatorsk")."""
    head = object_head(token)
    return head is not None and namelike(head)


def object_head(token: Token) -> Token | None:
    if token.pos_ in ("VERB", "AUX") and not any(c.dep_ in ("dobj", "nsubjpass", "attr") for c in token.children):
        # "agreed to lift sanctions against the North": what the complement is done to
        for child in token.children:
            if child.dep_ == "xcomp" and child.pos_ == "VERB":
                # "refused to allow a Somali plane to land", "... to allow the ship to enter": the one
                # the complement lets or makes act, when named
                allowed = [g for g in child.children if g.dep_ == "dobj"] + \
                    [s for g in child.children if g.dep_ == "ccomp" for s in g.children if s.dep_ == "nsubj"]
                named = next((g for g in allowed if g.pos_ in ("NOUN", "PROPN") and
                              (namelike(g) or any(s.dep_ == "ccomp" for s in child.children))), None)
                if named is not None:
                    return named
                for grand in child.children:
                    if grand.dep_ == "prep" and grand.lower_ in ("to", "against", "on", "with", "for", "into"):
                        obj = next((g for g in grand.children if g.dep_ == "pobj"), None)
                        if obj is not None:
                            return _party_of_thing(None, obj)  # "refused to respond to a request from X"
                return object_head(child)
        for child in token.children:
            # "demanded that Okonkwo appear before the assembly": the one named to do it, though unknown
            named = next((g for g in child.children if g.dep_ in ("nsubj", "nsubjpass") and g.pos_ == "PROPN"),
                         None) if child.dep_ == "ccomp" else None
            if named is not None:
                return named
    preps = ("into", "of", "against", "on", "over", "with", "to", "at", "for") if token.pos_ == "NOUN" else \
        ("against", "on", "into", "with", "to", "at", "over")
    for child in token.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr") and token.pos_ in ("VERB", "AUX"):
            return _party_of_thing(token, child)
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            for obj in child.children:
                # "at the airport", "on Sunday" say where and when, not to whom
                if obj.dep_ == "pobj" and not (child.lower_ in ("at", "on") and
                                               obj.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC")):
                    return _party_of_thing(None, obj)  # "conceded to demands from the union"
    return None


def namelike(token: Token) -> bool:
    """A word that names a party: a name, or a noun a nationality or name qualifies ("European allies")."""
    if token.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
        return False
    if token.ent_type_ in ("GPE", "LOC", "ORG", "PERSON", "NORP", "FAC") or token.pos_ == "PROPN":
        return True
    return token.pos_ == "NOUN" and any(c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE")
                                        for c in token.children)


def _party_of_thing(verb: Token | None, obj: Token) -> Token:
    """What a verb is done to when its object is a thing: the thing's owner ("defended Germany's
    decision"), a party the verb names ("imposed a curfew on Basra", "cut aid to European allies"),
    the one the thing comes from or is aimed at ("rejected a request from Russia"), the place it is
    set up or imposed in ("declared a curfew in parts of Basra": its people), else the thing."""
    if obj.lower_ in QUANTITIES:
        # "hundreds of political prisoners were released": who they are is in the "of" phrase
        obj = next((g for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"
                    for g in c.children if g.dep_ == "pobj"), obj)
    if namelike(obj) and not created(obj):
        return obj
    owner = next((c for c in obj.children if c.dep_ == "poss" and namelike(c)), None)
    if owner is not None:
        return owner
    # `verb` is None for a prepositional object ("responded to a request from X"): a place in it
    # ("a clash at a station in the old city") only says more exactly where.
    holders = ((verb, PARTY_PREPS), (obj, THING_PREPS + ("in",))) if verb is not None else ((obj, THING_PREPS),)
    for holder, preps in holders:
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                named = next((n for g in child.children if g.dep_ == "pobj" for n in [_named_in(g)] if n), None)
                if named is not None:
                    return named
    return obj


def created(token: Token) -> bool:
    """`token` heads what a verb makes ("set up a centre", "built a hospital"): it is not there yet
    to be acted on; the place it is made in is."""
    while token.dep_ in ("compound", "amod", "flat", "nummod", "det") and token.head != token:
        token = token.head  # a word of the phrase: its head
    verb = token.head
    if token.dep_ != "dobj" or verb.pos_ != "VERB":
        return False
    lemma = verb.lemma_.lower()
    set_up = lemma == "set" and any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children)
    return lemma in CREATING or set_up


def _named_in(phrase: Token) -> Token | None:
    """The name a phrase gives: its own, or that of the whole it is a part of ("parts of Kashmir")."""
    if namelike(phrase):
        return phrase
    return next((g for c in phrase.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj" and namelike(g)), None)


def main_verb_misread(verb: Token) -> bool:
    """A sentence's main verb the parser reads as a reduced relative of its subject, leaving the
    sentence no verb of its own: "A Senate report called for sanctions" (report -acl-> called)."""
    head = verb.head
    return verb.dep_ == "acl" and verb.tag_ in ("VBD", "VBN") and head.dep_ == "ROOT" and \
        head.pos_ in ("NOUN", "PROPN") and head.i < verb.i and \
        not any(c.dep_ == "agent" for c in verb.children)  # "a deal brokered by Qatar" is a phrase


def subject_head(token: Token, light: Token | None, filed: int = 0) -> Token | None:
    """The subject's head word; `filed` is where the text's dateline ends: a dateline's city the
    parser makes the subject ("LIMA, Peru - Police arrested ...") stands for what it joins to."""
    verb = light if token.pos_ == "NOUN" and light is not None else token
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    if main_verb_misread(verb):
        return verb.head
    for child in verb.children:
        if child.dep_ == "nsubj" and child.idx < filed:
            joined = next((c for c in child.children if c.dep_ in ("conj", "appos") and c.idx >= filed), None)
            if joined is not None and joined.pos_ in ("NOUN", "PROPN"):
                return joined
        elif child.dep_ == "nsubj" and child.pos_ in ("NOUN", "PROPN"):
            return child
        elif child.dep_ == "nsubj" and child.lower_ in ("it", "they") and reported(verb):
            # "Syrian opposition members said they will release ...": the speaker speaks of itself
            return subject_head(verb.head, None, filed)
        elif child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def phrase_entities(head: Token | None, taken: list[Mention], after: int = 0) -> list[Entity]:
    """An uncoded entity for the noun phrase headed by `head` (its core words only, none before
    offset `after`: a dateline the parser joined to the phrase, "KABUL - A Taliban attack")."""
    if head is None or head.pos_ not in ("NOUN", "PROPN") or head.ent_type_ in ("DATE", "TIME", "CARDINAL"):
        return []
    words = [t for t in np_tokens(head) if not t.is_punct and t.idx >= after] or [head]
    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
    if any(m.start < end and start < m.end for m in taken):
        return []
    text = head.doc[words[0].i: words[-1].i + 1].text
    # "the Sudanese proposal", "a Chilean fishing boat": a nationality says whose it is
    code = next((c for c in (geo.country_by_adjective(t.text) for t in words if t is not head and
                             t.dep_ in ("amod", "compound") and t.text[:1].isupper()) if c), "")
    if head.ent_type_ in ("GPE", "LOC"):
        # a place acted on ("imposed a curfew on Basra") stands for its country's people
        place = geo.resolve_place(text)
        code = place.country_code if place is not None and len(place.country_code) == 3 else ""
    return [Entity(code, "", text, start, end)]


def agentless_passive(token: Token) -> bool:
    """A verb in the passive with no agent named ("was arrested", "were detained")."""
    return token.pos_ == "VERB" and (any(c.dep_ == "auxpass" for c in token.children) or reduced_passive(token)) \
        and not any(c.dep_ == "agent" for c in token.children)


def reduced_passive(token: Token) -> bool:
    """A past participle standing for a passive clause ("appeared in court, charged with murder",
    "the man arrested on Friday"): no auxiliary, no subject of its own."""
    return token.tag_ == "VBN" and token.dep_ in ("advcl", "acl") and not any(
        c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "agent") for c in token.children)


def implied_authority(entry: Entry, home: str, place: Place | None = None) -> list[Entity]:
    """The authority a passive arrest, conviction or charge implies: that of the place it happened
    in ("was arrested in Niger": Niger's police), shown by the place's words; else the story's
    country's. No span either way: the authority is implied, not named."""
    implied = IMPLIED_AUTHORITY.get(entry.word) if entry.event == "ACCUSE" else \
        IMPLIED_AUTHORITY.get(entry.mode) if entry.event in ("COERCE", "SANCTION") else None
    if implied is None:
        return []
    sector, name = implied
    if place is not None and len(place.country_code) == 3 and place.start >= 0:
        return [Entity(place.country_code, sector, place.text, name=f"{name} (implied)")]
    return [Entity(home, sector, "", name=f"{name} (implied)")] if home else []


def implied_government(actor: list[Entity], home: str) -> list[Entity]:
    """A protest that names no target is against the protesters' own government."""
    if any(e.sector in ("GOV", "MIL") for e in actor):
        return []
    country = next((e.code for e in actor if len(e.code) == 3 and e.code.isalpha() and e.code not in NON_STATE), home)
    return [Entity(country, "GOV", "", name="government (implied)")] if country else []


def keep_at_home(actor: list[Entity], recipient: list[Entity], home: str) -> None:
    """An event with one side of the story's own country and no country on the other side happened
    at home ("the ruling party withdrew its candidate", "police seized the weapons"): the other
    side, named but uncoded or not named at all, is the story's country's too. Events a story
    tells between its own country's parties are most of what annotators mark in domestic news."""
    if not home:
        return
    actor_codes, recipient_codes = ({e.code for e in side if e.code} for side in (actor, recipient))
    for one, other, other_codes in ((actor_codes, recipient, recipient_codes), (recipient_codes, actor, actor_codes)):
        if one == {home} and not other_codes:
            for entity in other:
                entity.code = home
            if not other:
                other.append(Entity(home, "", "", name="the story's country (implied)"))
            return


def implied_protesters(place: Place | None, home: str) -> list[Entity]:
    """Protests with nobody named ("protests continue in Basra") are by the people of the place
    they are held in, else of the story's country."""
    country = place.country_code if place is not None and len(place.country_code) == 3 else home
    return [Entity(country, "CVL", "", name="protesters (implied)")] if country else []


def has_own_setting(token: Token) -> bool:
    """An event noun that says when or where ("the April 22 Pahalgam attack", "a bombing in Aden",
    "four days of fighting")."""
    if when.duration_of(token):
        return True
    children = list(token.children)
    if token.dep_ == "nsubj" and token.head.lemma_ in GOVERNING_VERBS:
        children += token.head.children  # "protests continue in Basra": the setting is on the verb
    for child in children:
        if child.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC") or (
                child.dep_ in ("compound", "nmod") and child.pos_ == "PROPN"):
            return True
        if child.dep_ == "prep" and any(g.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC") for g in child.children):
            return True
    return False


def non_agent(token: Token) -> bool:
    """The event's doer is a storm, a market or a sports team, not an actor."""
    if token.pos_ in ("VERB", "AUX"):
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "agent")]
        subjects += [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if not subjects and token.dep_ in ("advcl", "conj") and token.tag_ in ("VBG", "VBD", "VBZ", "VBP"):
            # "a landslide buried the village, killing 34": the participle's doer is its clause's
            subjects = [c for c in token.head.children if c.dep_ == "nsubj"]
        return any(s.lemma_.lower() in NON_AGENTS for s in subjects)
    return any(c.lemma_.lower() in NON_AGENTS for c in token.children if c.dep_ in ("compound", "poss"))


def actor_ids(mentions: Iterable[Mention]) -> frozenset[int]:
    return frozenset(id(a) for m in mentions for a in (m.plural or (m.actor,)))


def entities(mentions: Iterable[Mention], index: MentionIndex | None = None) -> list[Entity]:
    """Entities for mentions; a pronoun shows the words that name its actor (`index.named`)."""
    out: list[Entity] = []
    seen: set[tuple[str, str, str]] = set()
    for mention in mentions:
        actors: Iterable[Actor] = mention.plural or (mention.actor,)
        shown = index.named(mention) if index is not None and not mention.plural else mention
        for actor in actors:
            key = (actor.code, actor.sector, actor.name)
            if key in seen:
                continue
            seen.add(key)
            out.append(Entity(actor.code, actor.sector, shown.text, shown.start, shown.end,
                              actor.name, actor.office))
    return out


def split_pair(actor: list[Entity], recipient: list[Entity],
                coordinated: bool) -> tuple[list[Entity], list[Entity]]:
    """Two parties acting together with no one else named, or two named in coordination with no
    partner of theirs named (`coordinated`: "Chad and Sudan agreed to share data on Libya"): code
    them as a dyad; what else is named is what they agree on or meet about."""
    if len(actor) >= 2 and (not recipient or coordinated):
        return actor[:1], actor[1:]
    return actor, recipient


def partner_named(token: Token) -> bool:
    """The event names the other side with "with" or "between", on itself or on its object
    ("talks with Libya", "signed agreements with Libya")."""
    objects = [token] + [c for c in token.children if c.dep_ in ("dobj", "attr")]
    return any(c.dep_ == "prep" and c.lower_ in ("with", "between") and any(g.dep_ == "pobj" for g in c.children)
               for o in objects for c in o.children)
