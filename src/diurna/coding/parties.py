"""Who acts on whom: the actor and the recipient of a trigger, from the parse and the mentions."""
from __future__ import annotations

from spacy.tokens import Token

from .. import geo
from ..actors import MentionIndex, NON_STATE, QUANTITIES
from ..models import Mention
from ..nlp import entity_at
from .syntax import (
    actor_ids, below, created, in_own_clause, in_relative_clause, main_verb_misread, mission_head, namelike,
    PLACE_PREPS, under_subject, unnamed,
)
from .triggers import match
from .words import ADOPTING, BATCH_NOUNS, DOING_TO, RECIPIENT_PREPS, SENDING, TAKING_AWAY


class Participants:
    """Finds the actor and recipient of a trigger from the parse and the mentions."""

    def __init__(self, index: MentionIndex):
        self.index = index

    def mentions_of(self, token: Token) -> list[Mention]:
        """The mention a phrase names, with those coordinated to it ("India and Pakistan")."""
        out = []
        mention = own = self.index.at(token)
        if mention is not None and mention.actor.kind not in ("person", "country"):
            # "his Iranian counterpart, Mostafa Najjar": the person the title names (a country names no
            # one: "troops from Syria, Defence Minister X said" is the parser joining the speaker)
            named = next((self.index.at(c) for c in token.children if c.dep_ == "appos" and self.index.at(c)
                          is not None and self.index.at(c).actor.kind == "person"), None)
            mention = named or mention
        if mention is not None:
            out.append(mention)
        elif token.lower_ in QUANTITIES:
            # "Thousands of people", "dozens of protesters": who they are is in the "of" phrase
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    out += [m for obj in prep.children if obj.dep_ == "pobj" for m in self.mentions_of(obj)]
        for child in token.children:
            if child.dep_ == "conj":
                out += self.mentions_of(child)
            elif child.dep_ in ("amod", "compound") and mention is not None:
                # "Nigerian and British armed forces": the first country's own mention
                other = self.index.at(child)
                if other is not None and other is not own and other.actor.code:
                    out.insert(0, other)
        if not out and token.dep_ != "poss":
            # "Pakistan's Foreign Office" is headed by an actor; "Pakistan's sovereignty" is not, but
            # the possessor stands for what is supported.
            for child in token.children:
                if child.dep_ in ("poss", "compound", "nmod") and self.index.at(child) is not None:
                    # "Pakistan and Afghanistan's intelligence services": both owners
                    out += self.mentions_of(child)
        if not out:
            # a phrase that names no one stands for its apposition: the parser hangs "Zambian President
            # X" off a dateline's city ("HARARE (Xinhua) -- Zambian President X praised ...")
            out += [m for child in token.children if child.dep_ == "appos" for m in self.mentions_of(child)]
        return out

    def subject(self, verb: Token, depth: int = 0) -> tuple[list[Mention], list[Mention]]:
        """(actor mentions, recipient mentions from a passive subject)."""
        agent, passive = [], []
        own_subject = False
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj", "expl") and child.lower_ not in ("who", "which", "that"):
                own_subject = True
                found = self.mentions_of(child)
                if found:
                    return found, []
                possessed = [self.index.at(c) for c in child.children if c.dep_ == "poss" and self.index.at(c)]
                if possessed:
                    return possessed, []
                if child.pos_ == "NOUN" and match(child) is None:
                    # "the general manager of Lima Media said": one who holds a post in a body speaks for it
                    held = [m for c in child.children if c.dep_ == "prep" and c.lower_ == "of"
                            for g in c.children if g.dep_ == "pobj" for m in self.mentions_of(g)
                            if m.actor.code]
                    if held:
                        return held, []
            elif child.dep_ in ("nsubj",) and child.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                return self.mentions_of(verb.head), []
            elif child.dep_ == "nsubjpass":
                passive = self.mentions_of(child)
            elif child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        agent = self.mentions_of(obj)
        if agent or passive or own_subject:
            return agent, passive
        if depth < 3 and verb.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp") and verb.head != verb:
            governor = verb.head
            if governor.dep_ == "prep":
                governor = governor.head
            if governor.pos_ == "ADJ" and governor.dep_ in ("acomp", "amod", "xcomp"):
                governor = governor.head  # "X is willing to provide": X provides
            if verb.dep_ in ("xcomp", "pcomp"):
                # Object control: "urged Pakistan to release" -> Pakistan would release;
                # "thanked Pakistan for hosting the talks" -> Pakistan hosted.
                for child in governor.children:
                    if child.dep_ == "dobj" and self.mentions_of(child):
                        return self.mentions_of(child), []
            if governor.pos_ in ("VERB", "AUX"):
                agent, passive = self.subject(governor, depth + 1)
                if verb.dep_ == "conj" and any(c.dep_ == "auxpass" for c in verb.children):
                    return [], agent or passive  # "X co-founded a party but was arrested": X is arrested
                # "X is expected to join": the passive subject of the governor does the joining.
                # "X was convicted of raping ...", "was arrested for attacking ...": X did the act
                return (agent or (passive if verb.dep_ in ("xcomp", "pcomp") else [])), []
        if (verb.dep_ == "relcl" or main_verb_misread(verb)) and verb.head != verb:
            return self.mentions_of(verb.head), []
        if depth < 3 and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head != verb:
            # "a report accusing the army", "a resolution condemning the president": the noun's
            # author acts, the one who issued it ("Amnesty put out a report accusing ...").
            noun = verb.head
            found = self.mentions_of(noun)
            if found:
                return found, []
            if noun.dep_ in ("dobj", "attr") and noun.head.pos_ in ("VERB", "AUX"):
                agent, _ = self.subject(noun.head, depth + 1)
                return agent, []
        noun = verb.head.head if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" else \
            verb.head if verb.dep_ == "acl" else None
        if noun is not None and noun.pos_ == "NOUN":
            # "reiterated its commitment to support the police": the one whose commitment it is acts
            owner = [m for c in noun.children if c.dep_ == "poss" for m in self.mentions_of(c)]
            if not owner and depth < 3 and noun.dep_ == "dobj" and noun.head.lemma_.lower() in ADOPTING:
                # "he launched a policy of seizing farms": who takes up the course of action acts
                owner = self.subject(noun.head, depth + 1)[0]
            return self.spokesman(owner, noun), []
        return [], []

    def spokesman(self, owners: list[Mention], noun: Token) -> list[Mention]:
        """The person who voices a country's or body's stance ("the minister restated Ghana's support",
        "the Secretary-General restated the UN's commitment"): the one who acts, for it."""
        if not owners or noun.dep_ != "dobj" or any(m.actor.kind == "person" for m in owners):
            return owners
        codes = {m.actor.code for m in owners if m.actor.code}
        speakers = [m for c in noun.head.children if c.dep_ == "nsubj" for m in self.mentions_of(c)]
        if codes and speakers and all(m.actor.kind == "person" and m.actor.code in codes for m in speakers):
            return speakers
        return owners

    def objects(self, token: Token, exclude: set[int], skip: frozenset[int] = frozenset(),
                deep: bool = True) -> list[Mention]:
        """Recipient mentions: the object, then prepositional objects, then (if `deep`) deeper in the
        object. `exclude` holds the actor's character offsets, `skip` the ids of the actor's Actors."""
        direct, prepositional, deeper = [], [], []
        # The actor's own country is the actor again ("Wang Yi expressed China's interest in
        # collaboration with Pakistan"), not the recipient.
        skip_codes = {m.actor.code for m in self.index.mentions if id(m.actor) in skip}
        for child in token.children:
            if child.dep_ in ("dobj", "dative", "attr", "oprd"):
                direct += self.mentions_of(child)
                deeper.append(child)
            elif child.dep_ == "prep" and child.lower_ in RECIPIENT_PREPS:
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    if child.lower_ in ("in", "at", "from", "near") and not geo.country_by_name(obj.text) and (
                            obj.ent_type_ in ("GPE", "LOC", "FAC") or geo.resolve_place(obj.text) is not None):
                        continue  # a place, not a recipient: "executed two men in Isfahan"
                    found = self.mentions_of(obj)
                    if child.lower_ == "between":
                        found += [m for c in obj.children if c.dep_ == "conj" for m in self.mentions_of(c)]
                    prepositional += found
                    deeper.append(obj)
            elif child.dep_ in ("xcomp", "ccomp") and token.pos_ in ("VERB", "AUX"):
                deeper.append(child)
                if child.pos_ == "ADJ":
                    # "found the mayor guilty", "declared the envoy unwelcome": the one the verdict is on
                    direct += [m for s in child.children if s.dep_ == "nsubj" for m in self.mentions_of(s)]
            elif child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for" for m in child.children):
                # "called for Nato members to spend more": those called on are the clause's subject
                direct += [m for c in child.children if c.dep_ == "nsubj" for m in self.mentions_of(c)]
        out = [m for m in direct + prepositional if m.start not in exclude and id(m.actor) not in skip
               and not (m.actor.kind == "country" and m.actor.code in skip_codes)]

        if out or not deep:
            return out
        # What the event is done to may sit inside a thing it names: "launched a probe of the FAA",
        # "demanded an apology from the prime minister". A coded actor first, else someone uncoded.
        allowed = [m for m in self.owners(deeper) if m.start not in exclude and id(m.actor) not in skip and
                   not (m.actor.kind == "country" and m.actor.code in skip_codes)]
        if allowed:
            return allowed[:1]
        uncoded = None
        for node in deeper:
            for sub in node.subtree:
                if sub.dep_ in ("nsubj",) and node.dep_ in ("ccomp", "xcomp"):
                    continue
                if self.within_place(sub, node):
                    continue  # "shell Ashdod, Israel's sixth city": the city is the party, not its country
                if in_relative_clause(sub, node):
                    continue  # "condemned the attacks, which left dozens of people injured": another clause
                if created(sub):
                    continue  # "agreed to set up a research centre in Pune": what is made is no party yet
                mention = self.index.at(sub)
                if mention is None or mention.start in exclude or id(mention.actor) in skip or \
                        (mention.actor.kind == "country" and mention.actor.code in skip_codes):
                    continue
                if mention.actor.code:
                    return [mention]
                if uncoded is None and (mention.actor.kind == "person" or mention.actor.sector) and \
                        sub.pos_ != "PRON":
                    uncoded = mention
        return [uncoded] if uncoded is not None else []

    def owners(self, things: list[Token]) -> list[Mention]:
        """The parties whose things an event is done to, named with "of" ("rejected the appeal of an
        Australian citizen", "conceded to the demands of the truck drivers"): before anyone named
        deeper in the thing."""
        return [m for thing in things if thing.pos_ == "NOUN" for prep in thing.children
                if prep.dep_ == "prep" and prep.lower_ == "of" for obj in prep.children if obj.dep_ == "pobj"
                for m in self.mentions_of(obj) if m.actor.code or m.actor.kind == "person" or m.actor.sector]

    def asked(self, verb: Token, skip: frozenset[int]) -> list[Mention]:
        """Who a demand is made of when it says what they must do: "demanded that the minister resign"
        (not the demander itself: "insists it is enforcing the sanctions"; `skip`: the actor's ids)."""
        for clause in verb.children:
            # a verb's clause, or a noun's ("its demand that Washington ease sanctions")
            if clause.dep_ in ("ccomp", "acl") and not any(c.dep_ == "dobj" for c in verb.children):
                for subject in clause.children:
                    if subject.dep_ in ("nsubj", "nsubjpass"):
                        return [m for m in self.mentions_of(subject) if not actor_ids([m]) & skip]
        return []

    def within_place(self, token: Token, top: Token) -> bool:
        """`token` lies in a phrase (up to `top`) headed by a named place that is no actor itself
        (an actor named in the place's own name, "the Republic of Chile", is the actor)."""
        node = token
        while True:
            place = entity_at(node) if node.ent_type_ in ("GPE", "LOC", "FAC") else None
            if place is not None and token not in place and not any(self.index.at(t) for t in place):
                return True
            if node == top or node.head == node:
                return False
            node = node.head

    def destination(self, token: Token, exclude: set[int]) -> tuple[list[Mention], Token | None]:
        """Where what is sent goes, or what it is taken from: (its mentions, the word naming it)."""
        lemma = token.lemma_.lower()
        preps = ("to", "into") if lemma in SENDING else ("from",) if lemma in TAKING_AWAY else ()
        holders = [token]
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("dobj", "nsubjpass"):
            holders.append(token.head)  # "announced the deployment of troops to Mali"
        elif token.pos_ == "VERB":
            # "provided $5 million in aid to Tonga": the parser hangs where it goes off the thing
            things = [c for c in token.children if c.dep_ == "dobj"]
            holders += things + [g for t in things for c in t.children if c.dep_ == "prep" and c.lower_ in ("in", "of")
                                 for g in c.children if g.dep_ == "pobj"]
        for holder, child in ((h, c) for h in holders for c in h.children):
            # "gave $5 million to Tonga": a verb's "to" may be read as its dative
            if (child.dep_ == "prep" or child.dep_ == "dative" and holder is token) and child.lower_ in preps:
                for obj in child.children:
                    if obj.dep_ == "pobj" and (self.index.at(obj) is not None or namelike(obj)):
                        found = [m for m in self.mentions_of(obj) if m.start not in exclude]
                        return found + self.serving_in(obj, found), obj
        return [], None

    def further_off(self, token: Token, actor: list[Mention]) -> list[Mention]:
        """The first party of another country named later in the trigger's own phrase, for an event
        whose object is only a thing or the actor's own ("provided aid to people in Yemen",
        "withdrew its troops from Lebanon"): whom the thing is for, or where it is done."""
        own = {m.actor.code for m in actor if m.actor.code}
        taken = actor_ids(actor)
        for sub in token.subtree:
            if sub.i <= token.i or in_relative_clause(sub, token) or under_subject(sub, token):
                continue
            mention = self.index.at(sub)
            if mention is None and sub.ent_type_ in ("ORG", "PERSON"):
                return []  # a party named first, though unknown ("gave money to the Kenyan Red Cross")
            if mention is not None and mention.actor.code and mention.actor.code not in own and \
                    not actor_ids([mention]) & taken and sub.pos_ != "PRON":
                return [mention]
        return []

    def place_acted_in(self, token: Token, actor: list[Mention], within: tuple[str, ...] = ()) -> list[Mention] | Token:
        """The first place named after the trigger in its own clause ("imposed a curfew in Mombasa",
        "killed 40 people in northern Mali"), for an event done to no named party: whose land and
        people the event is done in is what it is done to. `within`: only below a dependent of
        the trigger with one of these labels (what is agreed or refused to be done)."""
        taken = actor_ids(actor)
        for sub in token.subtree:
            if sub.i <= token.i or in_relative_clause(sub, token) or under_subject(sub, token):
                continue
            named = self.index.at(sub)
            if sub.ent_type_ in ("ORG", "PERSON") and (named is None or not actor_ids([named]) & taken) or \
                    named is not None and named.actor.kind != "country" and not unnamed(named, sub.doc) and \
                    not actor_ids([named]) & taken:
                return []  # a party named first, the one it is done through or for ("through the X Trust")
            if sub.ent_type_ not in ("GPE", "LOC") or sub.pos_ != "PROPN":
                continue
            head = sub
            while head.dep_ in ("conj", "appos", "compound") and head.head != head:
                head = head.head
            if head.dep_ != "pobj" or head.head.lower_ not in PLACE_PREPS:
                continue  # "a French military prison", "Chad's prisoners": a name in a phrase, not where
            if in_own_clause(sub, token) or within and not below(sub, token, within):
                continue
            mention = self.index.at(sub)
            if mention is None or mention.actor.kind == "country" and actor_ids([mention]) & taken:
                # a region or town no actor is known for, or the actor's own city ("the Peruvian
                # government extended the curfew in Lima"): the place itself, if the gazetteer has it
                return head
            if mention.actor.kind == "country":
                return [mention]
        return []

    def opposed(self, token: Token, actor: list[Mention]) -> list[Mention]:
        """Whom the act is aimed at, named "against" further down its own clause ("mobilized troops
        for an offensive against the rebels", "to strike against Pakistan's missile sites"): the
        party, or the owner of the thing."""
        taken = actor_ids(actor)
        for sub in token.subtree:
            if sub.dep_ != "prep" or sub.lower_ != "against" or sub.i <= token.i or \
                    in_relative_clause(sub, token) or under_subject(sub, token) or in_own_clause(sub, token):
                continue
            for obj in sub.children:
                if obj.dep_ != "pobj":
                    continue
                found = self.mentions_of(obj) or self.owners([obj])
                found = [m for m in found if not actor_ids([m]) & taken and obj.pos_ != "PRON" and
                         not unnamed(m, token.doc)]  # "a push against fighters": who, the place may say
                if found:
                    return found
            return []
        return []

    def missions_served(self, recipient: list[Mention], doc) -> list[Mention]:
        """"contribute to the UN force in Mali", "extended the UN mission in Haiti": what is done for a
        mission is done for the country it serves in."""
        return [c for m in recipient if m.actor.code in NON_STATE or not m.actor.code
                for force in [mission_head(m, doc)] if force is not None
                for c in self.serving_in(force, [m]) if c not in recipient]

    def serving_in(self, force: Token, named: list[Mention]) -> list[Mention]:
        """The country a force or mission serves in ("sent troops to the UN force in Mali"): what is
        sent to it goes to that country as well; none for a party of that country itself, unless it is
        only people known by where they are ("aid to 50,000 families in southern Madagascar")."""
        if any(len(m.actor.code) == 3 and m.actor.code not in NON_STATE and not unnamed(m, force.doc) for m in named):
            return []
        return [m for prep in force.children if prep.dep_ == "prep" and prep.lower_ == "in"
                for obj in prep.children if obj.dep_ == "pobj" for m in self.mentions_of(obj)
                if m.actor.kind == "country"]

    def of_noun(self, noun: Token, light: Token | None, sourced: bool = False) -> tuple[list[Mention], list[Mention]]:
        """`sourced`: the noun says what one party tells or gives another, so the one it comes "from"
        made it ("a request from the health ministry", "criticism from Chile")."""
        actor: list[Mention] = []
        recipient: list[Mention] = []
        suffered: list[Mention] = []
        kind = match(noun).event if match(noun) is not None else ""
        for child in noun.children:
            if sourced and child.dep_ == "prep" and child.lower_ == "from" and not any(
                    c.dep_ == "poss" for c in noun.children):
                actor += [m for obj in child.children if obj.dep_ == "pobj" for m in self.mentions_of(obj)]
        if actor:
            exclude = {i for m in actor for i in range(m.start, m.end)}
            recipient = self.objects(noun, exclude, actor_ids(actor), deep=False)
            holder = light or (noun.head if noun.dep_ == "dobj" else None)
            if not recipient and holder is not None:
                # "Niger's president received an invitation from Chad's leader", "the minister approved a
                # request from the unions": the one who gets it is the one it is made to
                recipient = [m for m in self.subject(holder)[0] if not actor_ids([m]) & actor_ids(actor)]
            return actor, recipient
        for child in noun.children:
            if child.dep_ == "poss" and kind in DOING_TO and self.index.at(child) is not None and \
                    self.index.at(child).actor.kind == "person":
                suffered += self.mentions_of(child)  # "the journalist's killing", "her arrest": done to them
            elif child.dep_ == "poss":
                actor += self.spokesman(self.mentions_of(child), noun) if self.index.at(child) else []
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
        if not actor and noun.dep_ == "conj" and noun.head.pos_ == "NOUN":
            # "its rejection and condemnation of the plan": the first noun's owner owns the second
            actor = [m for c in noun.head.children if c.dep_ == "poss" and self.index.at(c)
                     for m in self.mentions_of(c)]
        if light is not None and not actor:
            actor, passive = self.subject(light)
            if not actor:
                # "Dar's visit included talks": the visitor of the governing noun.
                for child in light.children:
                    if child.dep_ == "nsubj":
                        actor = [self.index.at(c) for c in child.children if c.dep_ == "poss" and self.index.at(c)]
        exclude = {i for m in actor for i in range(m.start, m.end)}
        recipient = suffered or self.objects(noun, exclude, actor_ids(actor))
        if not recipient:
            # "its rejection and condemnation of the plan": the last noun's object is the first's too
            recipient = [m for c in noun.children if c.dep_ == "conj" and c.pos_ == "NOUN"
                         for m in self.objects(c, exclude, actor_ids(actor))]
        doing = noun.head if noun.dep_ == "nsubj" and noun.head.pos_ == "VERB" else \
            next((c for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB" and main_verb_misread(c)), None)
        if not recipient and light is None and doing is not None and match(noun) is not None and \
                match(noun).event in DOING_TO and match(doing) is None:  # "shelling killed ...": the verb's own event
            # "a coup ousted the president", "the raid killed two Somali soldiers": the act, told as
            # the subject, is done to the verb's object
            recipient = self.objects(doing, exclude, actor_ids(actor), deep=False)
        if not recipient and light is not None:
            # "held a meeting on Tuesday with X", "carried out strikes against X": the parser hangs
            # the other side off the light verb, or off the series the act is of ("a wave of strikes on X")
            series = noun.head.head if noun.dep_ == "pobj" and noun.head.head.lemma_.lower() in BATCH_NOUNS else None
            for holder in ([series] if series is not None else []) + [light]:
                recipient = recipient or self.objects(holder, exclude, actor_ids(actor), deep=False)
        between = [m for m in recipient if m.start not in exclude]
        if not actor and len(between) >= 2 and any(
                c.dep_ == "prep" and c.lower_ == "between" for c in noun.children):
            actor, recipient = between[:1], between[1:]
        return actor, recipient
