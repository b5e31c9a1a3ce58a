"""The coding stage: what happened, who did it to whom, and whether it happened at all.

Triggers (verbs and event nouns) come from the lexicon (`data/lexicon.yaml`); the actor and the
recipient come from the dependency parse and the mentions the actors stage found; modality
(negation, hypothetical, future) from the words that govern the trigger. An accusation is the
accuser's ACCUSE: the act it alleges is not coded as an act of the accused, and what someone
demands, threatens or promises is the REQUEST, THREATEN or AGREE, not the act itself.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from spacy.tokens import Span, Token

from . import ontology, when, where
from .actors import MentionIndex, in_play
from .models import Actor, Article, Entity, Event, Mention

VERSION = "lexicon.v1"

RECIPIENT_PREPS = {"with", "against", "on", "upon", "to", "toward", "towards", "at", "into", "from", "over",
                   "for", "of", "between", "among", "in"}
# What someone asks for, threatens, promises, refuses or alleges is not itself an event that happened.
EMBEDDING_TYPES = {"REQUEST", "THREATEN", "AGREE", "REJECT", "ACCUSE", "CONCEDE"}
NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}
NEGATING_VERBS = {"fail", "refuse", "decline", "deny", "avoid", "stop", "cease", "halt", "postpone", "cancel",
                  "reject", "dismiss", "rule"}
HYPOTHETICAL_AUX = {"could", "would", "might", "may", "should", "can", "must", "ought"}
HYPOTHETICAL_VERBS = {"consider", "threaten", "propose", "seek", "want", "hope", "try", "attempt", "urge", "ask",
                      "call", "demand", "warn", "suggest", "offer", "mull", "weigh", "wish", "risk", "fear"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
FUTURE_VERBS = {"expect", "plan", "intend", "schedule", "set", "due", "aim", "prepare", "go", "vow", "pledge",
                "promise", "agree", "decide", "announce"}
VIOLENT_OR_STREET = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"}
RECIPROCAL_TYPES = {"CONSULT", "AGREE", "COOPERATE"}


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


@cache
def lexicon() -> dict[tuple[str, str], list[Entry]]:
    """(pos, lemma) -> entries, the ones with conditions first."""
    raw = yaml.safe_load(resources.files("diurna").joinpath("data", "lexicon.yaml").read_text(encoding="utf-8"))
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
            out.update(c.lemma_.lower() for c in child.children if c.dep_ in ("compound", "amod"))
        elif child.dep_ == "prep" or child.dep_ == "agent":
            out.update(c.lemma_.lower() for c in child.children if c.dep_ == "pobj")
        elif child.dep_ in ("amod", "compound", "nmod", "prt", "advmod", "acl"):
            out.add(child.lemma_.lower())
    if token.pos_ in ("NOUN", "PROPN"):
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                out.update(c.lemma_.lower() for c in child.children if c.dep_ == "pobj")
        if token.head is not token:
            out.add(token.head.lemma_.lower())
    return out


def _second_ok(token: Token, second: str) -> bool:
    words = second.split()
    children = {c.lower_ for c in token.children if c.dep_ in ("prt", "prep", "dobj", "advmod", "dative", "agent")}
    children |= {c.lemma_.lower() for c in token.children if c.dep_ in ("dobj", "prt")}
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


# ---------------------------------------------------------------------------------- participants

class Participants:
    """Finds the actor and recipient of a trigger from the parse and the mentions."""

    def __init__(self, index: MentionIndex):
        self.index = index

    def mentions_of(self, token: Token) -> list[Mention]:
        """The mention a phrase names, with those coordinated to it ("India and Pakistan")."""
        out = []
        mention = self.index.at(token)
        if mention is not None:
            out.append(mention)
        for child in token.children:
            if child.dep_ == "conj":
                out += self.mentions_of(child)
        if not out and token.dep_ != "poss":
            # "Pakistan's Foreign Office" is headed by an actor; "Pakistan's sovereignty" is not, but
            # the possessor stands for what is supported.
            for child in token.children:
                if child.dep_ in ("poss", "compound") and self.index.at(child) is not None:
                    out.append(self.index.at(child))
        return out

    def subject(self, verb: Token, depth: int = 0) -> tuple[list[Mention], list[Mention]]:
        """(actor mentions, recipient mentions from a passive subject)."""
        agent, passive = [], []
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj", "expl") and child.lower_ not in ("who", "which", "that"):
                found = self.mentions_of(child)
                if found:
                    return found, []
                possessed = [self.index.at(c) for c in child.children if c.dep_ == "poss" and self.index.at(c)]
                if possessed:
                    return possessed, []
            elif child.dep_ in ("nsubj",) and child.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                return self.mentions_of(verb.head), []
            elif child.dep_ == "nsubjpass":
                passive = self.mentions_of(child)
            elif child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        agent = self.mentions_of(obj)
        if agent or passive:
            return agent, passive
        if depth < 3 and verb.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp") and verb.head is not verb:
            governor = verb.head
            if governor.dep_ == "prep":
                governor = governor.head
            if verb.dep_ == "xcomp":
                # Object control: "urged Pakistan to release" -> Pakistan would release.
                for child in governor.children:
                    if child.dep_ == "dobj" and self.mentions_of(child):
                        return self.mentions_of(child), []
            if governor.pos_ in ("VERB", "AUX"):
                return self.subject(governor, depth + 1)[0], []
        if verb.dep_ == "relcl" and verb.head is not verb:
            return self.mentions_of(verb.head), []
        return [], []

    def objects(self, token: Token, exclude: set[int]) -> list[Mention]:
        """Recipient mentions: the object, then prepositional objects, then deeper in the object."""
        direct, prepositional, deeper = [], [], []
        for child in token.children:
            if child.dep_ in ("dobj", "dative", "attr", "oprd"):
                direct += self.mentions_of(child)
                deeper.append(child)
            elif child.dep_ == "prep" and child.lower_ in RECIPIENT_PREPS:
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    if child.lower_ in ("in", "at", "from", "on") and obj.ent_type_ in ("GPE", "LOC", "FAC") and \
                            (self.index.at(obj) is None or self.index.at(obj).actor.sector != "GOV" or child.lower_ != "on"):
                        continue  # a place, not a recipient
                    found = self.mentions_of(obj)
                    if child.lower_ == "between":
                        found += [m for c in obj.children if c.dep_ == "conj" for m in self.mentions_of(c)]
                    prepositional += found
                    deeper.append(obj)
            elif child.dep_ in ("xcomp", "ccomp") and token.pos_ in ("VERB", "AUX"):
                deeper.append(child)
        out = [m for m in direct + prepositional if not (set(range(m.start, m.end)) & exclude)]
        if out:
            return out
        for node in deeper:
            for sub in node.subtree:
                if sub.dep_ in ("nsubj",) and node.dep_ in ("ccomp", "xcomp"):
                    continue
                mention = self.index.at(sub)
                if mention is not None and mention.start not in exclude:
                    return [mention]
        return []

    def of_noun(self, noun: Token, light: Token | None) -> tuple[list[Mention], list[Mention]]:
        actor: list[Mention] = []
        recipient: list[Mention] = []
        for child in noun.children:
            if child.dep_ == "poss":
                actor += self.mentions_of(child) if self.index.at(child) else []
            elif child.dep_ in ("compound", "amod", "nmod") and self.index.at(child) is not None:
                mention = self.index.at(child)
                if mention.actor.code or mention.actor.kind != "country":
                    actor.append(mention)
            elif child.dep_ == "prep" and child.lower_ == "by":
                for obj in child.children:
                    actor += self.mentions_of(obj)
            elif child.dep_ == "acl":
                # "a US-brokered ceasefire", "talks hosted by Qatar": the helper is no party.
                continue
        if light is not None and not actor:
            actor, passive = self.subject(light)
            if not actor:
                # "Dar's visit included talks": the visitor of the governing noun.
                for child in light.children:
                    if child.dep_ == "nsubj":
                        actor = [self.index.at(c) for c in child.children if c.dep_ == "poss" and self.index.at(c)]
        exclude = {i for m in actor for i in range(m.start, m.end)}
        recipient = self.objects(noun, exclude)
        between = [m for m in recipient if m.start not in exclude]
        if not actor and len(between) >= 2 and any(
                c.dep_ == "prep" and c.lower_ == "between" for c in noun.children):
            actor, recipient = between[:1], between[1:]
        return actor, recipient


def _entities(mentions: Iterable[Mention]) -> list[Entity]:
    out: list[Entity] = []
    seen: set[tuple[str, str, str]] = set()
    for mention in mentions:
        actors: Iterable[Actor] = mention.plural or (mention.actor,)
        for actor in actors:
            key = (actor.code, actor.sector, actor.name)
            if key in seen:
                continue
            seen.add(key)
            out.append(Entity(actor.code, actor.sector, mention.text, mention.start, mention.end,
                              actor.name, actor.office))
    return out


def _split_pair(actor: list[Entity], recipient: list[Entity]) -> tuple[list[Entity], list[Entity]]:
    """Two parties acting together with no one else named: code them as a dyad."""
    if not recipient and len(actor) >= 2:
        return actor[:1], actor[1:]
    return actor, recipient


# ---------------------------------------------------------------------------------- modality

def _chain(token: Token) -> list[Token]:
    """The trigger and the words that govern it, up to its clause's root."""
    chain = [token]
    node = token
    while node.head is not node and len(chain) < 6:
        if node.dep_ in ("nsubj", "nsubjpass") and node.pos_ in ("NOUN", "PROPN"):
            break
        node = node.head
        chain.append(node)
        if node.dep_ == "ROOT":
            break
    return chain


def modality(trigger: Token) -> list[str]:
    modes: list[str] = []
    chain = _chain(trigger)
    verbs = [t for t in chain if t.pos_ in ("VERB", "AUX")]
    first_verb = verbs[0] if verbs else None
    clause = verbs[:2]
    for word in [trigger] + clause:
        for child in word.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no" and word == trigger):
                modes.append("negation")
            if child.dep_ == "aux" and child.lower_ in HYPOTHETICAL_AUX:
                modes.append("hypothetical")
            if child.dep_ == "aux" and child.lower_ in FUTURE_AUX:
                modes.append("future")
            if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                modes.append("hypothetical")
            if child.dep_ == "advmod" and child.lower_ == "yet" and word.lemma_ == "have":
                modes.append("negation")
    for word in chain[1:]:
        lemma = word.lemma_.lower()
        if word.pos_ not in ("VERB", "AUX", "ADJ"):
            continue
        if lemma in NEGATING_VERBS and word != trigger:
            modes.append("negation")
        elif lemma in FUTURE_VERBS or (lemma == "be" and any(c.dep_ == "xcomp" for c in word.children)):
            if lemma in ("agree", "decide", "announce", "vow", "pledge", "promise") and trigger.pos_ == "VERB":
                modes.append("future")
            elif lemma not in ("agree", "decide", "announce", "vow", "pledge", "promise"):
                modes.append("future")
        elif lemma in HYPOTHETICAL_VERBS:
            modes.append("hypothetical")
        elif lemma == "yet":
            modes.append("negation")
        if word.dep_ == "ROOT":
            break
    if first_verb is not None and first_verb != trigger:
        if any(c.lower_ == "yet" for c in first_verb.children) and first_verb.lemma_ == "have":
            modes.append("negation")
    return list(dict.fromkeys(modes))


def _embedded(trigger: Token, types: dict[int, str]) -> bool:
    """The trigger is what another trigger demands, threatens, promises, refuses or alleges."""
    node = trigger
    steps = 0
    while node.head is not node and steps < 6:
        parent = node.head
        steps += 1
        kind = types.get(parent.i)
        if kind in EMBEDDING_TYPES and node.dep_ in ("xcomp", "ccomp", "pcomp", "prep", "pobj", "advcl"):
            if kind == "ACCUSE" or node.dep_ in ("xcomp", "ccomp") or (
                    node.dep_ == "prep" and node.lower_ in ("for", "of", "to", "on")):
                return True
        if parent.dep_ == "ROOT":
            break
        node = parent
    return False


# ---------------------------------------------------------------------------------- the stage

@dataclass(slots=True)
class Hit:
    token: Token
    entry: Entry
    light: Token | None = None


FALLBACK_TYPE = "ACCUSE"  # the commonest type in news when nothing in the lexicon fits


def _loose_entry(token: Token) -> Entry | None:
    """A lexicon reading of a word whatever its part of speech and conditions ("protest" as a verb)."""
    for pos in ("VERB", "NOUN"):
        for entry in lexicon().get((pos, token.lemma_.lower()), []):
            if entry.event and entry.event != "NONE" and not entry.light:
                return entry
    return None


def triggers(sent: Span) -> list[Hit]:
    hits: list[Hit] = []
    lights: dict[int, Token] = {}
    for token in sent:
        entry = match(token)
        if entry is None:
            continue
        if entry.light:
            for child in token.children:
                if child.dep_ in ("dobj", "attr"):
                    lights[child.i] = token
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
            if governor.lemma_ in ("include", "begin", "start", "continue", "resume", "attend", "hold", "join",
                                   "conclude", "end", "complete"):
                hit.light = governor
    return hits


class Coder:
    """Codes the events of one article; `coder` names the versions that made them."""

    def __init__(self, article: Article, coder: str):
        self.article = article
        self.coder = coder
        self.index = MentionIndex(article.mentions)
        self.parts = Participants(self.index)
        self.in_play = in_play(article)
        self.published = article.published

    def sentence_index(self, sent: Span) -> int:
        start = next((t.idx for t in sent if not t.is_space), sent.start_char)
        for s in self.article.sentences:
            if s.start <= start < s.end or s.start == start:
                return s.index
        return -1

    def event(self, hit: Hit, sent: Span, types: dict[int, str], need_party: bool = True) -> Event | None:
        token, entry = hit.token, hit.entry
        if token.pos_ in ("VERB", "AUX"):
            actor_m, passive = self.parts.subject(token)
            exclude = {i for m in actor_m for i in range(m.start, m.end)}
            recipient_m = passive or self.parts.objects(token, exclude)
        else:
            actor_m, recipient_m = self.parts.of_noun(token, hit.light)
        actor, recipient = _entities(actor_m), _entities(recipient_m)
        actor_keys = {(e.code, e.name) for e in actor}
        recipient = [e for e in recipient if (e.code, e.name) not in actor_keys]
        if entry.reciprocal or entry.event in RECIPROCAL_TYPES:
            actor, recipient = _split_pair(actor, recipient)
        if need_party and not actor and not recipient and entry.event not in VIOLENT_OR_STREET:
            return None
        modes = modality(token)
        if hit.light is not None:
            modes = list(dict.fromkeys(modes + modality(hit.light)))
        party_tokens = frozenset(t.i for m in actor_m + recipient_m for t in sent if m.start <= t.idx < m.end)
        place = where.event_place(token, self.in_play, party_tokens)
        if place is not None and entry.mode == "visit" and not recipient:
            recipient = [Entity(place.country_code, "GOV", place.text, place.start, place.end, place.name)]
        confidence = 0.45 + 0.2 * bool(actor and actor[0].code) + 0.15 * bool(recipient) + \
            0.1 * (token.pos_ in ("VERB", "AUX")) - 0.1 * bool(entry.needs and token.pos_ == "NOUN")
        return self.build(token, entry, sent, actor, recipient, modes, place, confidence)

    def build(self, token: Token, entry: Entry, sent: Span, actor: list[Entity], recipient: list[Entity],
              modes: list[str], place, confidence: float) -> Event:
        sentence = self.sentence_index(sent)
        info = self.article.sentences[sentence] if sentence >= 0 else None
        evdate = when.event_date(token, sent, self.published, future="future" in modes)
        cameo = entry.cameo or ontology.DEFAULT_CAMEO[entry.event]
        return Event(
            doc_id=self.article.id,
            event_type=entry.event,
            sentence=sentence,
            start=info.start if info else sent.start_char,
            end=info.end if info else sent.end_char,
            event_text=info.text if info else sent.text,
            trigger=token.text if not entry.second else f"{token.text} {entry.second}",
            trigger_start=token.idx,
            trigger_end=token.idx + len(token.text),
            actor=actor,
            recipient=recipient,
            mode=list(dict.fromkeys(([entry.mode] if entry.mode else []) + modes)),
            context=list(ontology.contexts(cameo)),
            cameo=cameo,
            goldstein=ontology.goldstein(cameo),
            quad_code=ontology.quad(entry.event),
            confidence=max(0.05, min(0.95, confidence)),
            coder=self.coder,
            date=evdate.date,
            enddate=evdate.enddate,
            date_source=evdate.source,
            date_precision=evdate.precision,
            place=place,
        )

    def fallback_event(self, sent: Span, a_root: Token, r_root: Token) -> Event:
        """No trigger links the pair: take the verb that governs both, read loosely, at low confidence."""
        up = [a_root] + list(a_root.ancestors)
        common = next((t for t in [r_root] + list(r_root.ancestors) if t in up), sent.root)
        entry = _loose_entry(common) or _loose_entry(sent.root) or Entry(
            common.lemma_.lower(), "", "VERB", FALLBACK_TYPE, "", "", frozenset(), False, False)
        return self.build(common, entry, sent, [], [], modality(common), None, 0.1)

    def sentence_events(self, sent: Span) -> list[Event]:
        hits = triggers(sent)
        types = {hit.token.i: hit.entry.event for hit in hits}
        events: list[Event] = []
        for hit in hits:
            if _embedded(hit.token, types):
                continue
            event = self.event(hit, sent, types)
            if event is not None:
                events.append(event)
        return _dedupe(events)

    def run(self) -> list[Event]:
        events: list[Event] = []
        for sent in self.article.doc.sents:
            events += self.sentence_events(sent)
        return events


def _key(event: Event) -> tuple:
    return (event.event_type, tuple(sorted(e.code for e in event.actor)), tuple(sorted(e.code for e in event.recipient)),
            event.factual)


def _dedupe(events: list[Event]) -> list[Event]:
    """One sentence telling the same event twice ("reaffirmed its support") gives one event."""
    best: dict[tuple, Event] = {}
    for event in events:
        key = _key(event)
        if key not in best or event.confidence > best[key].confidence:
            best[key] = event
    return sorted(best.values(), key=lambda e: e.trigger_start)


def code_article(article: Article, coder: str) -> Article:
    """The coding stage (with when/where): set `article.events`."""
    article.events = Coder(article, coder).run()
    return article


# ---------------------------------------------------------------------------------- a given dyad

def _depths(token: Token) -> list[Token]:
    return [token] + list(token.ancestors)


def _distance(a: Token, b: Token) -> int:
    up_a, up_b = _depths(a), _depths(b)
    common = next((t for t in up_a if t in up_b), None)
    if common is None:
        return 99
    return up_a.index(common) + up_b.index(common)


def _locate(text: str, needle: str, after: int = 0) -> tuple[int, int] | None:
    needle = needle.strip()
    if not needle:
        return None
    at = text.find(needle, after)
    if at < 0:
        at = text.lower().find(needle.lower(), after)
    if at < 0 and after:
        return _locate(text, needle)
    return (at, at + len(needle)) if at >= 0 else None


def code_dyad(article: Article, actor_text: str, recipient_text: str, coder: str) -> Event:
    """Exactly one event: what `actor_text` does to `recipient_text` in the article."""
    doc = article.doc
    a_span = _locate(article.text, actor_text)
    r_span = _locate(article.text, recipient_text)
    anchor = a_span or r_span or (0, min(len(article.text), 1))
    a_tokens = doc.char_span(*a_span, alignment_mode="expand") if a_span else None
    r_tokens = doc.char_span(*r_span, alignment_mode="expand") if r_span else None
    sent = doc.char_span(*anchor, alignment_mode="expand")
    sent = sent.sent if sent is not None and len(sent) else next(iter(doc.sents))
    coder_obj = Coder(article, coder)
    hits = triggers(sent)
    if r_tokens is not None and r_tokens.sent != sent:
        hits += triggers(r_tokens.sent)
    a_root = a_tokens.root if a_tokens is not None and len(a_tokens) else sent.root
    r_root = r_tokens.root if r_tokens is not None and len(r_tokens) else sent.root
    inside = set(range(a_tokens.start, a_tokens.end)) if a_tokens is not None else set()
    inside |= set(range(r_tokens.start, r_tokens.end)) if r_tokens is not None else set()

    def cost(hit: Hit) -> tuple:
        token = hit.token
        return (_distance(a_root, token) + _distance(r_root, token) + (2 if token.i in inside else 0),
                token.pos_ not in ("VERB", "AUX"), abs(token.i - r_root.i))

    event = None
    if hits:
        best = min(hits, key=cost)
        event = coder_obj.event(best, best.token.sent, {h.token.i: h.entry.event for h in hits})
        if event is None:
            event = coder_obj.event(best, best.token.sent, {}, need_party=False)
    else:
        event = coder_obj.fallback_event(sent, a_root, r_root)
    event.actor = [_given_entity(coder_obj, a_span, actor_text)]
    event.recipient = [_given_entity(coder_obj, r_span, recipient_text)]
    return event


def _given_entity(coder: Coder, span: tuple[int, int] | None, text: str) -> Entity:
    if span is not None:
        for mention in coder.index.mentions:
            if mention.start < span[1] and span[0] < mention.end and mention.actor.code:
                return Entity(mention.actor.code, mention.actor.sector, text, span[0], span[1], mention.actor.name)
    return Entity("", "", text, span[0] if span else -1, span[1] if span else -1)
