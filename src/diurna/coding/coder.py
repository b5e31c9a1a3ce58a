"""The coder of one article: its triggers made into events with parties, dates, places and modes."""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from .. import confidence, geo, ontology, typeclf, when, where
from ..actors import DATELINE, home_country, in_play, MentionIndex
from ..models import Article, Entity, Event, Place
from ..nlp import sentence_ents
from .events import dedupe, local, self_same, share_parties, take_targets
from .modality import (
    act_ended, believed, blamed, BLAMING_VERBS, cause, embedded, evidence_for, modality, REFUSABLE, refusal,
    SPEECH_VERBS, told_aside,
)
from .parties import Participants
from .syntax import (
    actor_ids, agentless_passive, entities, has_own_setting, implied_authority, implied_government,
    implied_protesters, keep_at_home, moves_things, namelike, namelike_object, nobody_named, non_agent,
    object_head, own_forces_at_most, partner_named, phrase_entities, purpose_of_sending, reduced_passive,
    split_pair, subject_head,
)
from .triggers import blocked, Entry, FALLBACK_TYPE, Hit, loose_entry, triggers
from .words import (
    ALERT_KEEPERS, ANIMALS, ARMED_GROUPS, BELIEF_VERBS, HOSTILE_TYPES, OBLIGING_AUX, PAIR_MIN_PROBABILITY,
    PARTY_NOUNS, PROMISABLE, RECIPROCAL_TYPES, SENDING, SPORTS_CUES, TAKING_AWAY, VIOLENT_OR_STREET,
)


class Coder:
    """Codes the events of one article; `coder` names the versions that made them."""

    def __init__(self, article: Article, coder: str):
        self.article = article
        self.coder = coder
        self.index = MentionIndex(article.mentions)
        self.parts = Participants(self.index)
        self.in_play = in_play(article)
        self.home = home_country(article.mentions, article.text)
        self.features: dict[int, list[float]] = {}  # id(event) -> confidence features, for training
        self.declined: set[int] = set()  # triggers read as no event by what they say, not for want of parties
        self.published = article.published
        self.dateline = geo.dateline_place(article.text)
        filed = DATELINE.match(article.text)
        self.filed = filed.end() if filed else 0  # where the dateline ends
        # A match report is told in war words: a story with several sports terms codes no violence.
        self.sport = len(SPORTS_CUES.findall(article.text.lower())) >= 3

    def sentence_index(self, sent: Span) -> int:
        start = next((t.idx for t in sent if not t.is_space), sent.start_char)
        for s in self.article.sentences:
            if s.start <= start < s.end or s.start == start:
                return s.index
        return -1

    def event(self, hit: Hit, sent: Span, types: dict[int, str], need_party: bool = True) -> Event | None:
        token, entry = hit.token, hit.entry
        if need_party and entry.event in VIOLENT_OR_STREET and non_agent(token):
            return None
        refused = entry.event in REFUSABLE and refusal(token) and "negation" in modality(token)
        if entry.event == "SUPPORT" and token.pos_ == "VERB" and evidence_for(token) is not None:
            # "evidence supports the account" is no one's support; "there is no evidence to support
            # the president's claims", said by officials, is their rejection of the claims
            if not any(c.dep_ == "det" and c.lower_ == "no" for c in evidence_for(token).children):
                return None
            entry, refused = replace(entry, event="REJECT", mode="", cameo="120"), True
        if token.pos_ in ("VERB", "AUX"):
            actor_m, passive = self.parts.subject(token)
            if reduced_passive(token):
                # "a man appeared in court, charged with murder", "a man arrested on Friday": the
                # participle's subject or noun is who it was done to
                actor_m, passive = [], passive or actor_m or self.parts.mentions_of(token.head)
            exclude = {i for m in actor_m for i in range(m.start, m.end)}
            patient = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
            if not passive and patient is not None and namelike(patient):
                recipient_m = []  # "the journalist X was arrested in Niger": X, named but not known
            else:
                recipient_m = passive or self.parts.objects(token, exclude, actor_ids(actor_m))
        else:
            actor_m, recipient_m = self.parts.of_noun(token, hit.light, ontology.quad(entry.event) in (1, 3) and
                                                      token.lemma_.lower() not in SENDING | TAKING_AWAY)
            patient = None
        if entry.event == "REQUEST" or (entry.event == "ACCUSE" and token.pos_ == "VERB"):
            # "alleged that Sudanese troops shelled the town": the accused is who the claim says acted
            asked = self.parts.asked(token, actor_ids(actor_m))
            if asked or entry.event == "REQUEST" and \
                    object_head(token) in [s for c in token.children if c.dep_ == "ccomp" for s in c.children]:
                recipient_m = asked  # one named to act, though unknown, is asked before anyone deeper
        if entry.event == "ACCUSE" and not recipient_m and token.pos_ == "VERB":
            # "police alleged the accused had attacked two mosques": the one said to have done it
            recipient_m = [m for clause in token.children if clause.dep_ == "ccomp" for s in clause.children
                           if s.dep_ == "nsubj" for m in self.parts.mentions_of(s)
                           if id(m.actor) not in actor_ids(actor_m)]

        land: list[Entity] = []  # the place acted in, where no actor is known for it (from the gazetteer)
        goes_to, where_to = self.parts.destination(token, {i for m in actor_m for i in range(m.start, m.end)})
        if where_to is not None:
            recipient_m = goes_to
        if actor_m and moves_things(token, entry) and own_forces_at_most(recipient_m, actor_m):
            recipient_m = self.parts.further_off(token, actor_m) or recipient_m
        elif actor_m and own_forces_at_most(recipient_m, actor_m) and purpose_of_sending(token):
            # "sent experts to Chad to investigate the attacks": what they are sent to do is done there
            recipient_m = self.parts.destination(token.head, set())[0] or recipient_m
        if actor_m and where_to is None and patient is None and entry.event not in ("CONSULT", "PROTEST") and \
                nobody_named(recipient_m, actor_m, sent.doc) and (recipient_m or not namelike_object(token)):
            # Done to nobody named, only to a thing or to people known only by where they are: the
            # place it is done in stands for whose land it is, after those people. (A meeting's
            # place is a venue; a protest with no target is against its own government.)
            within = ("xcomp", "dobj") if ontology.quad(entry.event) in (1, 3) else ()
            clause = hit.light if hit.light is not None else token  # "extended the curfew in Lima"
            aimed_at = self.parts.opposed(clause, actor_m) or self.parts.place_acted_in(clause, actor_m, within)
            if isinstance(aimed_at, list):
                recipient_m = recipient_m + aimed_at
            else:
                land = [e for e in phrase_entities(aimed_at, actor_m) if e.code]
        if actor_m and where_to is None:
            recipient_m = recipient_m + self.parts.missions_served(recipient_m, sent.doc)
        actor, recipient = entities(actor_m, self.index), entities(recipient_m, self.index)
        if need_party and "alert" in entry.needs and token.pos_ in ("VERB", "AUX") and \
                not any(e.sector in ALERT_KEEPERS for e in actor + recipient):
            return None  # "hospitals remained on alert": readiness, not a show of force
        if need_party and not recipient and (
                entry.event == "ASSAULT" and (harmed := object_head(token)) is not None and
                harmed.lemma_.lower() in ANIMALS or entry.event == "SUPPORT" and token.pos_ == "VERB" and cause(token)):
            # harm to animals; "she has long supported minority rights", a stance, not an act towards
            # anyone: the trigger was read, and no other verb is read for an event in its stead
            self.declined.add(token.i)
            return None
        recipient += land
        if where_to is not None and not recipient:
            recipient = phrase_entities(where_to, actor_m)
        actor_keys = {(e.code, e.name) for e in actor}
        recipient = [e for e in recipient if (e.code, e.name) not in actor_keys]
        if entry.reciprocal or entry.event in RECIPROCAL_TYPES:
            if len(actor) >= 2:
                recipient = [e for e in recipient if e.code]
            coordinated = len(actor_m) >= 2 and not partner_named(token)  # not "the two sides": one mention
            actor, recipient = split_pair(actor, recipient, coordinated)
        elif len(actor_m) >= 2 and not recipient and ontology.quad(entry.event) in (2, 4) and entry.event != "PROTEST":
            # "Armenia and Azerbaijan exchanged fire", "Kenyan and Somali troops staged drills": a material act
            # two sides are named doing, with no one else named, is done between them
            actor, recipient = split_pair(actor, recipient, True)
        party_tokens = frozenset(t.i for m in actor_m + recipient_m for t in sent if m.start <= t.idx < m.end)
        place = where.event_place(token, self.in_play, party_tokens)
        if place is not None and entry.event == "CONSULT" and actor and not recipient and \
                place.country_code not in {e.code for e in actor} and len(place.country_code) == 3:
            # talks held in another country's capital: the host is the other side
            recipient = [Entity(place.country_code, "GOV", place.text, place.start, place.end, place.name)]
        if not actor and (self.home or place is not None) and agentless_passive(token):
            actor = implied_authority(entry, self.home, place)
            if not actor and need_party and ontology.quad(entry.event) == 1 and token.dep_ != "relcl":
                self.declined.add(token.i)
                return None  # "he was also praised abroad": words with no speaker named are no event
        if token.pos_ in ("NOUN", "PROPN") and entry.event in RECIPROCAL_TYPES and not recipient and need_party \
                and hit.light is None:
            return None  # "his meetings", "the talks": nobody named on the other side
        if not actor and not recipient and any(c.dep_ == "neg" for c in token.children):
            # "the committee said it will not end the strike until the ministry pays": the refusal
            # names its target even when the one refusing is no known actor
            recipient = self.condition_party(token, actor)
        if need_party and not actor and not recipient and entry.event not in VIOLENT_OR_STREET:
            return None
        if need_party and not actor and not recipient and token.pos_ in ("NOUN", "PROPN") and \
                not has_own_setting(token):
            return None  # "the attack", "the stabbing": the same event again, told without who, when or where
        if entry.event == "PROTEST" and not actor:
            actor = implied_protesters(place, self.home)
        if entry.event == "PROTEST" and not recipient and any(c.dep_ == "dobj" for c in token.children):
            # "boycotted the referendum", "picketed the plant": what is protested is named
            recipient = phrase_entities(object_head(token), actor_m)
        if entry.event == "PROTEST" and not recipient:
            recipient = implied_government(actor, self.home)
        # Who or what the event is done by or to, when no actor is named: the phrase itself, uncoded
        # ("condemned the bombing of a military academy" is directed at the bombing).
        if not recipient and not (entry.reciprocal and len(actor) >= 2):
            recipient = phrase_entities(object_head(token), actor_m)
            speakers = {e.code for e in actor if e.code}
            if self.home and ontology.quad(entry.event) in (1, 3) and \
                    (speakers == {self.home} or (speakers and (entry.event == "REJECT" or refused))):
                # a thing the story's own actors speak against or for, or anyone refuses, is the
                # story's country's ("Trump attacked the impeachment inquiry", "the EU would not
                # endorse the result" of an election abroad): whoever holds it is at home. (What
                # a material act is done with or to, "exchanged fire", is no party.)
                for entity in recipient:
                    entity.code = entity.code or self.home
        if not actor:
            actor = phrase_entities(subject_head(token, hit.light, self.filed), recipient_m, self.filed)
        keep_at_home(actor, recipient, self.home)
        modes = [] if hit.scene else modality(token)  # "in a call, X may have urged ...": the call happened
        if hit.light is not None and not hit.scene:
            modes = list(dict.fromkeys(modes + modality(hit.light)))
        if refused and ("negation" in modes or entry.event == "REJECT"):
            # "said it would not recognise the result", "refused to endorse the plan": a stated
            # refusal is what happened (PLOVER REJECT), not a support that did not
            entry = replace(entry, event="REJECT", mode="", cameo="120")
            modes = [m for m in modes if m not in ("negation", "hypothetical", "future")]
        if "negation" in modes:
            # "will not lift the embargo until Cuba frees its prisoners": the refusal is aimed at the
            # party whose act would end it
            condition = self.condition_party(token, actor)
            if condition and not {e.code for e in condition if e.code} & {e.code for e in recipient}:
                recipient = condition  # (the same party named again keeps its first naming)
        return self.build(token, entry, sent, actor, recipient, modes, place, light=hit.light is not None)

    def condition_party(self, verb: Token, actor: list[Entity]) -> list[Entity]:
        """Who must act first, by an "until" or "unless" clause on `verb`: its subject, or the agent of a
        passive one ("until their demands are met by the ministry")."""
        own = {(e.code, e.text) for e in actor}
        for clause in verb.children:
            if clause.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ in ("until", "unless")
                                                 for c in clause.children):
                continue
            heads = [c for c in clause.children if c.dep_ == "nsubj"]
            heads += [g for c in clause.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            for head in heads:
                found = entities(self.parts.mentions_of(head), self.index) or phrase_entities(head, [])
                found = [e for e in found if (e.code, e.text) not in own]
                if found and head.pos_ != "PRON":
                    return found
        return []

    def build(self, token: Token, entry: Entry, sent: Span, actor: list[Entity], recipient: list[Entity],
              modes: list[str], place, light: bool = False, fixed: float | None = None, pair: bool = False) -> Event:
        """The event, with its confidence from the calibrated model, or `fixed`. `pair`: typed by the
        classifier from a verb joining two actors, not by a lexicon trigger."""
        if "future" in modes and entry.event in PROMISABLE and not ({"negation", "hypothetical"} & set(modes)):
            # PLOVER: a promised meeting, aid, release or withdrawal is an AGREE (the promise is what
            # happened); the `future` mode keeps what was promised apart from what was done.
            entry = replace(entry, event="AGREE", mode="", cameo=PROMISABLE[entry.event])
        sentence = self.sentence_index(sent)
        info = self.article.sentences[sentence] if sentence >= 0 else None
        evdate = when.event_date(token, sent, self.published, future="future" in modes)
        cameo = entry.cameo or ontology.DEFAULT_CAMEO[entry.event]
        features = confidence.vector(
            actor=actor, recipient=recipient, verb=token.pos_ in ("VERB", "AUX"), light=light,
            specific=bool(entry.needs), modal=bool({"negation", "hypothetical", "future"} & set(modes)),
            own_date=evdate.source != "published",
            past_date=bool(self.published and (self.published - evdate.date).days > 365),
            sentence=sentence, sentences=len(self.article.sentences), quad=ontology.quad(entry.event), pair=pair)
        event = Event(
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
            confidence=confidence.probability(features) if fixed is None else fixed,
            coder=self.coder,
            date=evdate.date,
            enddate=evdate.enddate,
            date_source=evdate.source,
            date_precision=evdate.precision,
            place=place,
        )
        self.features[id(event)] = features
        return event

    def fallback_event(self, sent: Span, a_root: Token, r_root: Token) -> Event:
        """No trigger links the pair: take the verb that governs both, read loosely, at low confidence."""
        up = [a_root] + list(a_root.ancestors)
        common = next((t for t in [r_root] + list(r_root.ancestors) if t in up), sent.root)
        entry = loose_entry(common) or loose_entry(sent.root) or Entry.of_verb(common, FALLBACK_TYPE)
        return self.build(common, entry, sent, [], [], modality(common), None, fixed=0.1)

    def sentence_events(self, sent: Span) -> list[Event]:
        hits = triggers(sent)
        if self.sport or SPORTS_CUES.search(sent.text.lower()):
            # "City attacked relentlessly and struck twice before half-time": sport, not violence.
            hits = [h for h in hits if h.entry.event not in VIOLENT_OR_STREET | {"THREATEN"}]
        types = {hit.token.i: hit.entry.event for hit in hits}
        coded: list[tuple[Token, Event]] = []
        ended: dict[int, Event] = {}  # a verb's token -> the hostile act it owns up to or ends
        for hit in hits:
            verb = act_ended(hit.token, types)
            if verb is not None and (act := self.event(hit, sent, types)) is not None:
                ended[verb.i] = act
            if embedded(hit.token, types):
                continue
            event = self.event(hit, sent, types)
            if event is not None:
                coded.append((hit.token, event))
        take_targets(coded, ended)
        if not coded and not self.sport and not any(told_aside(h.token, types) or believed(h.token)
                                                    or h.token.i in self.declined for h in hits):
            coded = self.pair_event(sent, hits)
        coded = [self.alleged_backing(token, event, sent) for token, event in coded]
        coded += self.demands(sent)
        coded += self.beliefs(sent, hits)
        share_parties(coded)
        # nobody on either side, only things, even after sharing: "the killing", "a fruit exploded"
        coded = [(t, e) for t, e in coded if any(p.code or p.name for p in e.actor + e.recipient)
                 and not self_same(e)]
        place = self.sentence_place(sent, [e for _, e in coded])
        for _, event in coded:
            if event.place is None and place is not None:
                event.place = place
            elif event.place is None and self.dateline is not None and event.event_type in VIOLENT_OR_STREET \
                    and local(event, self.dateline.country_code):
                event.place = self.dateline  # local action reported from the dateline's city
            elif event.place is None and event.event_type in VIOLENT_OR_STREET and self.home and \
                    {e.code for e in event.actor + event.recipient if e.code} == {self.home}:
                # "soldiers were deployed outside parliament": the story's own parties acting at
                # home, somewhere the gazetteer cannot place; the country, at least, is known
                event.place = Place("", self.home, geo.country_name(self.home), feature="country", resolution=1)
        return dedupe([e for _, e in coded])

    def demands(self, sent: Span) -> list[tuple[Token, Event]]:
        """What a speaker says another party must or should do is a demand on it: "Kenya said Somalia
        must withdraw its troops" is Kenya's REQUEST to Somalia (the withdrawal stays hypothetical).
        (Saying a party was responsible for harm is read by `beliefs`.)"""
        out = []
        for verb in sent:
            if verb.lemma_.lower() not in SPEECH_VERBS or verb.pos_ != "VERB":
                continue
            for clause in verb.children:
                if clause.dep_ != "ccomp" or not any(c.dep_ == "aux" and c.lower_ in OBLIGING_AUX
                                                     for c in clause.children):
                    continue
                subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                actor_m, _ = self.parts.subject(verb)
                if subject is None or subject.pos_ == "PRON" or not actor_m:
                    continue  # "we must": the speaker's own resolve, no demand on anyone
                # a party that can act, not a country's things ("the Kenyan tariffs", a group of no sector)
                asked = [m for m in self.parts.mentions_of(subject) if m.actor.kind != "group" or m.actor.sector]
                if subject.dep_ == "nsubjpass" and not asked:
                    continue  # "the laws should be changed": what is to be done, not who must do it
                actor = entities(actor_m, self.index)
                # a thing that should happen ("the trains should run by May") is no party asked
                recipient = entities(asked, self.index) or \
                    [e for e in phrase_entities(subject, actor_m) if subject.ent_type_ in ("PERSON", "ORG", "NORP")
                     or subject.lemma_.lower() in PARTY_NOUNS]
                if not recipient or {(e.code, e.name) for e in recipient} & {(e.code, e.name) for e in actor}:
                    continue
                entry = Entry.of_verb(verb, "REQUEST")
                out.append((verb, self.build(verb, entry, sent, actor, recipient, modality(verb), None)))
        return out

    def alleged_backing(self, token: Token, event: Event, sent: Span) -> tuple[Token, Event]:
        """Backing of armed groups told as someone's word ("Mali says the rebels are backed by
        Algeria", "..., according to Mali") is that someone's ACCUSE of the backer: the backing is
        what Mali alleges, not a SUPPORT the story tells as done."""
        if event.event_type not in ("SUPPORT", "AID") or not event.actor or token.pos_ != "VERB" or not any(
                c.dep_ in ("nsubjpass", "dobj") and c.lemma_.lower() in ARMED_GROUPS for c in token.children):
            return token, event
        heads, said = [], token
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in SPEECH_VERBS | BELIEF_VERBS:
            said = token.head
            heads = [c for c in said.children if c.dep_ == "nsubj"]
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "according":
                heads = [obj for to in prep.children if to.lower_ == "to" for obj in to.children if obj.dep_ == "pobj"]
                said = prep
        # (a capital speaking, "Kinshasa says ...", is its government: see actors.ArticleActors.analyse)
        accuser = [e for head in heads for e in entities(self.parts.mentions_of(head), self.index) if e.code]
        if not accuser or {e.code for e in accuser} == {e.code for e in event.actor}:
            return token, event
        entry = Entry.of_verb(said, "ACCUSE", "allege", "112")
        return said, self.build(said, entry, sent, accuser, list(event.actor), event.mode, event.place)

    def beliefs(self, sent: Span, hits: list[Hit]) -> list[tuple[Token, Event]]:
        """Who believes or concludes that another did harm accuses it: "investigators believe the
        colonel ordered the raid" is the investigators' ACCUSE of the colonel (the raid stays
        their claim, see BELIEF_VERBS); so is saying who was responsible for harm."""
        out = []
        triggered = {h.token.i for h in hits}
        hostile = [h for h in hits if h.entry.event in HOSTILE_TYPES]
        for verb in sent:
            lemma = verb.lemma_.lower()
            if verb.pos_ != "VERB" or lemma not in BLAMING_VERBS or verb.i in triggered:
                continue
            for clause in verb.children:
                if clause.dep_ != "ccomp" or clause.i < verb.i:
                    continue
                inside = any(h.token in clause.subtree for h in hostile)
                # "said the militants were responsible (for the attack)": told of harm done, it is
                # blame; "said the army was responsible for security" is not
                if not (inside if lemma in BELIEF_VERBS else hostile and blamed(clause)):
                    continue
                actor_m, _ = self.parts.subject(verb)
                heads = [c for c in clause.children if c.dep_ == "nsubj"]
                heads += [g for c in clause.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
                recipient_m = [m for head in heads for m in self.parts.mentions_of(head)]
                actor, recipient = entities(actor_m, self.index), entities(recipient_m, self.index)
                if not actor or not recipient or \
                        {(e.code, e.name) for e in recipient} & {(e.code, e.name) for e in actor}:
                    continue
                entry = Entry.of_verb(verb, "ACCUSE", "allege", "112")
                out.append((verb, self.build(verb, entry, sent, actor, recipient, modality(verb), None)))
        return out

    def pair_event(self, sent: Span, hits: list[Hit]) -> list[tuple[Token, Event]]:
        """A sentence where no trigger made an event, but a verb joins two coded actors ("Kosovo is
        sending a platoon to Kuwait"): the type classifier reads what the one does to the other;
        NONE, or no type it is sure of, is no event."""
        verbs = [t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() not in SPEECH_VERBS  # "told reporters"
                 and t.lemma_.lower() not in BELIEF_VERBS  # "the court found that ...": see beliefs
                 and not blocked(t)]  # "fired his deputy": the lexicon has said it is no event
        for verb in sorted(verbs, key=lambda t: (t != sent.root, t.i)):
            actor_m, passive = self.parts.subject(verb)
            if passive or not actor_m or not actor_m[0].actor.code:
                continue
            exclude = {i for m in actor_m for i in range(m.start, m.end)}
            recipient_m = [m for m in self.parts.objects(verb, exclude, actor_ids(actor_m)) if m.actor.code]
            if not recipient_m or recipient_m[0].actor is actor_m[0].actor or own_forces_at_most(recipient_m, actor_m):
                continue  # (a state and its own forces are not two sides)
            recipient_m += self.parts.missions_served(recipient_m, sent.doc)
            doc = sent.doc
            a_tokens = doc.char_span(actor_m[0].start, actor_m[0].end, alignment_mode="expand")
            r_tokens = doc.char_span(recipient_m[0].start, recipient_m[0].end, alignment_mode="expand")
            probs = typeclf.predict_proba(sent, a_tokens, r_tokens, [(h.token, h.entry.event) for h in hits], None)
            kind = max((k for k in probs if k != "NONE"), key=probs.get)
            if probs[kind] < PAIR_MIN_PROBABILITY:
                return []  # NONE, or no type more likely than not: the verb is no event
            entry = Entry.of_verb(verb, kind)
            event = self.build(verb, entry, sent, entities(actor_m, self.index), entities(recipient_m, self.index),
                               modality(verb), None, pair=True)
            return [(verb, event)]
        return []

    def sentence_place(self, sent: Span, events: list[Event]) -> Place | None:
        """The one place a sentence names, outside its events' parties ("Wang met Dar, who chose
        Beijing as his first destination"): the events it reports are taken to happen there."""
        parties = {(e.start, e.end) for ev in events for e in ev.actor + ev.recipient}
        found: dict[str, Place] = {}
        for ent in sentence_ents(sent):
            if ent.label_ not in ("GPE", "LOC", "FAC") or (ent.start_char, ent.end_char) in parties:
                continue
            if geo.country_by_name(ent.text):
                continue  # a country named in passing is no venue
            place = geo.resolve_place(ent.text, self.in_play)
            if place is not None:
                place.text, place.start, place.end = ent.text, ent.start_char, ent.end_char
                found[place.country_code] = place
        return next(iter(found.values())) if len(found) == 1 else None

    def run(self) -> list[Event]:
        events: list[Event] = []
        for sent in self.article.doc.sents:
            events += self.sentence_events(sent)
        return events


def code_article(article: Article, coder: str) -> Article:
    """The coding stage (with when/where): set `article.events`."""
    article.events = Coder(article, coder).run()
    when.carry_dates(article.events, article.doc, article.published)
    _answer_earlier(article.events)
    return article


# Things a party answers that are an earlier event of the story, and that event's type: "Thailand
# denied the accusation" answers whoever accused it.
ANSWERED = {"accusation": "ACCUSE", "allegation": "ACCUSE", "charge": "ACCUSE", "claim": "ACCUSE",
            "criticism": "ACCUSE", "sanction": "SANCTION", "offer": "AGREE", "proposal": "AGREE",
            "demand": "REQUEST", "request": "REQUEST", "appeal": "REQUEST", "ultimatum": "THREATEN",
            "threat": "THREATEN", "warning": "THREATEN"}


def _answer_earlier(events: list[Event]) -> None:
    """An event aimed at a thing that is an earlier event of the story ("rejected the sanctions as
    interference", "welcomed the offer") is aimed at the party that did it: the latest such event
    a few sentences back, by another party."""
    for event in events:
        if not event.recipient or any(e.name for e in event.recipient):
            continue  # a named party, or nobody
        words = event.recipient[0].text.lower().split()
        if not words or event.recipient[0].start < 0:
            continue
        word = words[-1]
        kind = ANSWERED.get(word) or ANSWERED.get(word[:-1] if word.endswith("s") else "")
        if kind is None:
            continue
        own = {e.code for e in event.actor if e.code}
        earlier = [e for e in events if e.event_type == kind and 0 <= event.sentence - e.sentence <= 3
                   and e.start < event.start and {a.code for a in e.actor if a.code} - own]
        if earlier:
            source = earlier[-1]
            event.recipient = [Entity(a.code, a.sector, a.text, a.start, a.end, a.name, a.office)
                               for a in source.actor if a.code and a.code not in own]
