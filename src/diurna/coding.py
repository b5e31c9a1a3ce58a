"""The coding stage: what happened, who did it to whom, and whether it happened at all.

Triggers (verbs and event nouns) come from the lexicon (`data/lexicon.yaml`); the actor and the
recipient come from the dependency parse and the mentions the actors stage found; modality
(negation, hypothetical, future) from the words that govern the trigger. An accusation is the
accuser's ACCUSE: the act it alleges is not coded as an act of the accused, and what someone
demands, threatens or promises is the REQUEST, THREATEN or AGREE, not the act itself.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from spacy.tokens import Span, Token

from . import confidence, geo, ontology, typeclf, when, where
from .actors import DATELINE, NON_STATE, QUANTITIES, MentionIndex, home_country, in_play, np_tokens
from .models import Actor, Article, Entity, Event, Mention, Place
from .nlp import entity_at, sentence_ents
from .resources import data_text, load_yaml

VERSION = "lexicon.v2"

# Sending and taking away: what is sent (troops, money) is the object; the party the event is
# done to is where it goes ("sent peacekeepers to Angola") or what it leaves ("withdrew troops from").
SENDING = {"send", "deploy", "dispatch", "give", "offer", "provide", "contribute", "transfer", "deliver", "supply",
           "donate", "ship", "grant", "lend", "sell", "export", "deployment", "delivery", "shipment", "donation"}
CREATING = {"establish", "build", "create", "found", "construct", "open"}  # and "set up"
TAKING_AWAY = {"withdraw", "pull", "remove", "evacuate", "recall", "withdrawal", "evacuation", "pullout"}
# Prepositions whose named object is the party a verb acts on when its object is a thing.
PARTY_PREPS = ("to", "against", "on", "upon", "into", "for", "toward", "towards", "over", "in", "at")
# Prepositions whose named object is the party a thing comes from or is aimed at ("a request from Russia").
THING_PREPS = ("from", "against", "on", "to", "by")
RECIPIENT_PREPS = {"with", "against", "on", "upon", "to", "toward", "towards", "at", "into", "from", "over",
                   "for", "of", "between", "among", "in"}
# What someone asks for, threatens, promises, refuses or alleges is not itself an event that happened.
# Promised events and the CAMEO "express intent" code they become (PLOVER codes them AGREE).
PROMISABLE = {"CONSULT": "036", "SUPPORT": "032", "COOPERATE": "031", "AID": "033", "RETREAT": "035",
              "CONCEDE": "035"}
TOPIC_VERBS = {"discuss", "debate", "consider", "review", "examine", "study", "address", "weigh", "mull", "explore",
               # an event only heard of, recalled or cited is not told as news ("had heard the
               # farmers' demands", "recalled the 1994 massacre")
               "hear", "heed", "listen", "recall", "remember", "mention", "cite", "recount", "describe"}
EMBEDDING_TYPES = {"REQUEST", "THREATEN", "AGREE", "REJECT", "ACCUSE", "CONCEDE"}
SETTLING_TYPES = {"RETREAT", "CONCEDE", "AGREE", "CONSULT"}
TIME_PREPOSITIONS = {"after", "before", "following", "since", "until"}
CLAIM_NOUNS = {"claim", "allegation", "accusation", "rumour", "rumor", "assertion", "suggestion"}
# What someone believes, suspects or concludes happened is their claim, not an act the story tells
# as done ("investigators believe the colonel ordered the raid"): the claim is the accuser's ACCUSE.
BELIEF_VERBS = {"believe", "think", "suspect", "claim", "assert", "contend", "suppose", "conclude", "speculate",
                "theorise", "theorize", "presume", "assume", "maintain", "insinuate", "imply", "find"}
# What a law or charter lays down ("the charter stipulates that members are expelled after ..."),
# and what a body is set up to do ("a unit tasked with hunting smugglers"): rules, not events.
RULE_VERBS = {"specify", "stipulate", "provide", "prescribe", "mandate", "require", "dictate", "decree", "task",
              "entrust", "empower", "authorise", "authorize", "charge"}
MANDATE_VERBS = {"task", "entrust", "empower", "authorise", "authorize", "mandate", "charge"}
RULE_SUBJECTS = {"constitution", "law", "charter", "treaty", "statute", "rule", "regulation", "code", "article",
                 "clause", "act", "bill", "agreement", "accord", "convention", "protocol", "provision", "decree",
                 "guideline", "guidance", "standard", "policy", "doctrine"}
# "at the minister's request", "on the invitation of the king": why the main act was done, told as
# its circumstance; the request or invitation itself is earlier news.
CIRCUMSTANCE_PREPS = {"at", "on", "upon"}
NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}
NEGATING_VERBS = {"fail", "refuse", "decline", "deny", "avoid", "stop", "cease", "halt", "postpone", "cancel",
                  "suspend", "abandon", "boycott", "skip", "miss", "prevent", "block", "delay",
                  "reject", "dismiss", "rule"}
OBLIGING_AUX = {"must", "should", "ought"}  # "X said Y must ...": a demand on Y
HYPOTHETICAL_AUX = {"could", "would", "might", "may", "should", "can", "must", "ought"}
HYPOTHETICAL_VERBS = {"likely", "able", "consider", "threaten", "propose", "seek", "want", "hope", "try", "attempt", "urge", "ask",
                      "encourage", "call", "demand", "warn", "suggest", "offer", "mull", "weigh", "wish", "risk", "fear"}
HYPOTHETICAL_VERBS |= {"plot", "conspire", "scheme"}  # "plotting to storm parliament": it was not stormed
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
FUTURE_VERBS = {"expect", "plan", "intend", "schedule", "set", "due", "aim", "prepare", "go", "willing", "ready",
                "prepared", "poised", "scheduled", "slated"}
# Verbs that hand their subject to an event noun they govern: "X arrived for a visit", "X joined the talks".
GOVERNING_VERBS = {"include", "begin", "start", "continue", "resume", "attend", "hold", "join", "conclude", "end",
                   "complete", "arrive", "travel", "fly", "come", "go", "head", "pay", "make", "undertake", "wrap"}
# Verbs whose subject does what their object names ("announced a halt to arms sales", "approved the
# release of the detainees"): the subject is the act's actor, as with a light verb. ("order" is not
# one: "said to have ordered the raid" is mostly told as a charge, not as the act.)
ENACTING_VERBS = {"announce", "authorize", "authorise", "approve", "declare", "impose", "renew", "extend",
                  "issue", "launch", "conduct", "stage", "carry", "mount", "sign", "grant", "intensify", "escalate"}
# Nouns for a batch or a series of acts, whose "of" phrase names the acts: "a package of sanctions",
# "a wave of strikes"; what is done to the batch is done to them.
BATCH_NOUNS = {"package", "round", "set", "series", "wave", "raft", "batch", "slate", "tranche", "list", "spate",
               "string", "flurry", "volley", "salvo", "succession", "spree"}
# Subjects that do harm without being actors: "a typhoon killed 90 people" is no assault.
NON_AGENTS = {"typhoon", "storm", "hurricane", "cyclone", "earthquake", "quake", "flood", "flooding", "fire",
              "wildfire", "blaze", "flame", "landslide", "mudslide", "avalanche", "tsunami", "drought", "heatwave",
              "disease", "virus", "outbreak", "epidemic", "pandemic", "accident", "crash", "lightning", "rain",
              "wind", "tornado", "eruption", "volcano", "surge", "wave", "collapse", "market", "share", "stock",
              "price", "index", "team", "side", "striker", "batsman", "bowler", "club", "player", "inflation",
              "video", "footage", "camera", "cctv", "photograph", "image", "recording",  # "CCTV captured them"
              "bus", "car", "truck", "lorry", "vehicle", "train", "minibus", "tanker"}  # "a speeding bus killed two"
SPORTS_CUES = re.compile(r"\b(half-time|halftime|innings|wickets?|striker|midfielder|goalkeeper|batsman|bowler|"
                         r"touchdown|quarterback|semi-?final|referee|kick-off|scoreline|premier league|world cup|"
                         r"grand slam|tournament|championship|goals? (in|before|after)|scored|"
                         r"runs|overs|test match|t20|one-day international|odi|batting|bowling|unbeaten|"
                         r"football|cricket|rugby|tennis|match report|fixture|squad|coach|kick-off)\b")
NAME_LABELS = {"GPE", "LOC", "FAC", "ORG", "PERSON", "NORP", "WORK_OF_ART", "LAW", "PRODUCT", "DATE", "TIME",
               "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT"}
VIOLENT_OR_STREET = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"}
RECIPROCAL_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
# Harm done to animals is no event between actors ("killed stray dogs", "culled cattle").
ANIMALS = {"animal", "dog", "cat", "cow", "cattle", "chicken", "poultry", "bird", "pig", "goat", "sheep", "horse",
           "livestock", "wildlife", "fish", "elephant", "jackal", "monkey", "deer", "camel", "donkey", "rat", "whale"}
STANCE_VERBS = {"support", "back", "champion", "advocate", "favour", "favor", "promote", "defend", "embrace"}
# Armed groups whose backing by a state is an allegation when told as someone's word.
ARMED_GROUPS = {"rebel", "militant", "insurgent", "militia", "guerrilla", "guerilla", "terrorist", "jihadist",
                "separatist", "gang", "paramilitary", "fighter", "extremist"}
# Heads of phrases that name a party though no actor is coded for them ("the minister must resign").
PARTY_NOUNS = {"government", "minister", "president", "leader", "official", "authority", "police", "army",
               "military", "court", "parliament", "congress", "party", "union", "company", "country", "side",
               "people", "protester", "group", "rebel", "militant", "prime", "chancellor", "cabinet", "council"}
# Who can be put on alert as a show of force: armed forces, police, their government.
ALERT_KEEPERS = {"MIL", "COP", "REB", "SPY", "UAF", "GOV"}
HOSTILE_TYPES = {"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
# Acts done to someone, whose doing verb may have the act noun as its subject ("the raid killed ...").
DOING_TO = {"ASSAULT", "COERCE"}
# Verbs whose subject owns the course of action they take up: "launched a policy of seizing farms".
ADOPTING = {"launch", "begin", "start", "pursue", "adopt", "institute", "introduce", "implement", "continue",
            "order", "wage", "embark", "intensify", "resume", "escalate", "step"}
# Prepositions that set a talk noun as the scene of a clause: "in a phone call, X urged Y to ..."
SCENE_PREPS = {"in", "during"}
# A verb joining two coded actors with no trigger is coded only when the type classifier gives one
# type at least this probability (its probabilities are calibrated on held-out training sentences).
PAIR_MIN_PROBABILITY = 0.5
# Who does what a passive leaves unsaid: "an individual has been arrested" (by the police), "was
# sentenced to ten years" (by a court) in the country the story happens in. Keyed by lexicon mode,
# and by trigger lemma for charges.
IMPLIED_AUTHORITY = {"arrest": ("COP", "police"), "convict": ("JUD", "court"), "deport": ("GOV", "authorities"),
                     "charge": ("JUD", "prosecutors"), "indict": ("JUD", "prosecutors")}


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


# ---------------------------------------------------------------------------------- participants

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
        if (verb.dep_ == "relcl" or _main_verb_misread(verb)) and verb.head != verb:
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
                if _in_relative_clause(sub, node):
                    continue  # "condemned the attacks, which left dozens of people injured": another clause
                if _created(sub):
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
                        return [m for m in self.mentions_of(subject) if not _actor_ids([m]) & skip]
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
                    if obj.dep_ == "pobj" and (self.index.at(obj) is not None or _namelike(obj)):
                        found = [m for m in self.mentions_of(obj) if m.start not in exclude]
                        return found + self.serving_in(obj, found), obj
        return [], None

    def further_off(self, token: Token, actor: list[Mention]) -> list[Mention]:
        """The first party of another country named later in the trigger's own phrase, for an event
        whose object is only a thing or the actor's own ("provided aid to people in Yemen",
        "withdrew its troops from Lebanon"): whom the thing is for, or where it is done."""
        own = {m.actor.code for m in actor if m.actor.code}
        taken = _actor_ids(actor)
        for sub in token.subtree:
            if sub.i <= token.i or _in_relative_clause(sub, token) or _under_subject(sub, token):
                continue
            mention = self.index.at(sub)
            if mention is None and sub.ent_type_ in ("ORG", "PERSON"):
                return []  # a party named first, though unknown ("gave money to the Kenyan Red Cross")
            if mention is not None and mention.actor.code and mention.actor.code not in own and \
                    not _actor_ids([mention]) & taken and sub.pos_ != "PRON":
                return [mention]
        return []

    def place_acted_in(self, token: Token, actor: list[Mention], within: tuple[str, ...] = ()) -> list[Mention] | Token:
        """The first place named after the trigger in its own clause ("imposed a curfew in Mombasa",
        "killed 40 people in northern Mali"), for an event done to no named party: whose land and
        people the event is done in is what it is done to. `within`: only below a dependent of
        the trigger with one of these labels (what is agreed or refused to be done)."""
        taken = _actor_ids(actor)
        for sub in token.subtree:
            if sub.i <= token.i or _in_relative_clause(sub, token) or _under_subject(sub, token):
                continue
            named = self.index.at(sub)
            if sub.ent_type_ in ("ORG", "PERSON") and (named is None or not _actor_ids([named]) & taken) or \
                    named is not None and named.actor.kind != "country" and not _unnamed(named, sub.doc) and \
                    not _actor_ids([named]) & taken:
                return []  # a party named first, the one it is done through or for ("through the X Trust")
            if sub.ent_type_ not in ("GPE", "LOC") or sub.pos_ != "PROPN":
                continue
            head = sub
            while head.dep_ in ("conj", "appos", "compound") and head.head != head:
                head = head.head
            if head.dep_ != "pobj" or head.head.lower_ not in PLACE_PREPS:
                continue  # "a French military prison", "Chad's prisoners": a name in a phrase, not where
            if _in_own_clause(sub, token) or within and not _below(sub, token, within):
                continue
            mention = self.index.at(sub)
            if mention is None or mention.actor.kind == "country" and _actor_ids([mention]) & taken:
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
        taken = _actor_ids(actor)
        for sub in token.subtree:
            if sub.dep_ != "prep" or sub.lower_ != "against" or sub.i <= token.i or \
                    _in_relative_clause(sub, token) or _under_subject(sub, token) or _in_own_clause(sub, token):
                continue
            for obj in sub.children:
                if obj.dep_ != "pobj":
                    continue
                found = self.mentions_of(obj) or self.owners([obj])
                found = [m for m in found if not _actor_ids([m]) & taken and obj.pos_ != "PRON" and
                         not _unnamed(m, token.doc)]  # "a push against fighters": who, the place may say
                if found:
                    return found
            return []
        return []

    def missions_served(self, recipient: list[Mention], doc) -> list[Mention]:
        """"contribute to the UN force in Mali", "extended the UN mission in Haiti": what is done for a
        mission is done for the country it serves in."""
        return [c for m in recipient if m.actor.code in NON_STATE or not m.actor.code
                for force in [_mission_head(m, doc)] if force is not None
                for c in self.serving_in(force, [m]) if c not in recipient]

    def serving_in(self, force: Token, named: list[Mention]) -> list[Mention]:
        """The country a force or mission serves in ("sent troops to the UN force in Mali"): what is
        sent to it goes to that country as well; none for a party of that country itself, unless it is
        only people known by where they are ("aid to 50,000 families in southern Madagascar")."""
        if any(len(m.actor.code) == 3 and m.actor.code not in NON_STATE and not _unnamed(m, force.doc) for m in named):
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
            recipient = self.objects(noun, exclude, _actor_ids(actor), deep=False)
            holder = light or (noun.head if noun.dep_ == "dobj" else None)
            if not recipient and holder is not None:
                # "Niger's president received an invitation from Chad's leader", "the minister approved a
                # request from the unions": the one who gets it is the one it is made to
                recipient = [m for m in self.subject(holder)[0] if not _actor_ids([m]) & _actor_ids(actor)]
            return actor, recipient
        for child in noun.children:
            if child.dep_ == "poss" and kind in DOING_TO and self.index.at(child) is not None and \
                    self.index.at(child).actor.kind == "person":
                suffered += self.mentions_of(child)  # "Khashoggi's killing", "her arrest": done to them
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
        recipient = suffered or self.objects(noun, exclude, _actor_ids(actor))
        if not recipient:
            # "its rejection and condemnation of the plan": the last noun's object is the first's too
            recipient = [m for c in noun.children if c.dep_ == "conj" and c.pos_ == "NOUN"
                         for m in self.objects(c, exclude, _actor_ids(actor))]
        doing = noun.head if noun.dep_ == "nsubj" and noun.head.pos_ == "VERB" else \
            next((c for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB" and _main_verb_misread(c)), None)
        if not recipient and light is None and doing is not None and match(noun) is not None and \
                match(noun).event in DOING_TO and match(doing) is None:  # "shelling killed ...": the verb's own event
            # "a coup ousted the president", "the raid killed two Somali soldiers": the act, told as
            # the subject, is done to the verb's object
            recipient = self.objects(doing, exclude, _actor_ids(actor), deep=False)
        if not recipient and light is not None:
            # "held a meeting on Tuesday with X", "carried out strikes against X": the parser hangs
            # the other side off the light verb, or off the series the act is of ("a wave of strikes on X")
            series = noun.head.head if noun.dep_ == "pobj" and noun.head.head.lemma_.lower() in BATCH_NOUNS else None
            for holder in ([series] if series is not None else []) + [light]:
                recipient = recipient or self.objects(holder, exclude, _actor_ids(actor), deep=False)
        between = [m for m in recipient if m.start not in exclude]
        if not actor and len(between) >= 2 and any(
                c.dep_ == "prep" and c.lower_ == "between" for c in noun.children):
            actor, recipient = between[:1], between[1:]
        return actor, recipient


def _in_relative_clause(token: Token, top: Token) -> bool:
    """`token` lies in a relative clause of a phrase below `top`."""
    node = token
    while node != top and node.head != node:
        if node.dep_ == "relcl":
            return True
        node = node.head
    return False


def _moves_things(token: Token, entry: Entry) -> bool:
    """The event gives, sends or takes away something (money, aid, troops), which is no party."""
    return entry.event == "AID" or token.lemma_.lower() in SENDING | TAKING_AWAY


def _purpose_of_sending(token: Token) -> bool:
    """`token` says what those sent are sent to do ("sent experts to Chad to investigate")."""
    return token.dep_ in ("xcomp", "advcl") and token.head.lemma_.lower() in SENDING and \
        any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _own_forces_at_most(recipient: list[Mention], actor: list[Mention]) -> bool:
    """Nobody named as the recipient but the actor's own forces ("withdrew its troops") or people no
    country is known for ("aid to 300,000 people in Chad")."""
    own = {m.actor.code for m in actor if m.actor.code}
    return all(m.actor.code in own and m.actor.sector == "MIL" or not m.actor.code and m.actor.kind != "person"
               for m in recipient)


def _under_subject(token: Token, top: Token) -> bool:
    """`token` lies in the subject of a clause below `top`: another clause's actor, not a recipient."""
    node = token
    while node != top and node.head != node:
        if node.dep_ in ("nsubj", "nsubjpass"):
            return True
        node = node.head
    return False


# where an act is done, or the land it is done to or from ("out of Mali": of)
PLACE_PREPS = ("in", "into", "to", "across", "throughout", "inside", "against", "on", "from", "of", "for")


def _in_own_clause(token: Token, top: Token) -> bool:
    """`token` lies in a clause below `top` with a subject of its own: another party's doing."""
    node = token
    while node != top and node.head != node:
        if node.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
            return True
        node = node.head
    return False


def _below(token: Token, top: Token, labels: tuple[str, ...]) -> bool:
    """`token` lies under a dependent of `top` with one of `labels`."""
    node = token
    while node.head != top and node.head != node:
        node = node.head
    return node.head == top and node.dep_ in labels


def _unnamed(mention: Mention, doc) -> bool:
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


def _mission_head(mention: Mention, doc) -> Token | None:
    """The word heading the phrase a mention names, when that is a force or mission ("the UN
    stabilisation mission"), whose "in" phrase says where it serves."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return None
    head = span.root
    while head.dep_ in ("compound", "amod", "nmod") and head.head != head:
        head = head.head
    return head if head.lemma_.lower() in MISSIONS else None


def _nobody_named(recipient: list[Mention], actor: list[Mention], doc) -> bool:
    """No recipient but unnamed people or the actor's own forces."""
    own = _actor_ids(actor)
    return all(_unnamed(m, doc) or (m.actor.sector == "MIL" and _actor_ids([m]) & own) for m in recipient)


def _namelike_object(token: Token) -> bool:
    """What the event is done to is named, though no known actor ("shelled Kramatorsk")."""
    head = _object_head(token)
    return head is not None and _namelike(head)


def _object_head(token: Token) -> Token | None:
    if token.pos_ in ("VERB", "AUX") and not any(c.dep_ in ("dobj", "nsubjpass", "attr") for c in token.children):
        # "agreed to lift sanctions against the North": what the complement is done to
        for child in token.children:
            if child.dep_ == "xcomp" and child.pos_ == "VERB":
                # "refused to allow a Somali plane to land", "... to allow the ship to enter": the one
                # the complement lets or makes act, when named
                allowed = [g for g in child.children if g.dep_ == "dobj"] + \
                    [s for g in child.children if g.dep_ == "ccomp" for s in g.children if s.dep_ == "nsubj"]
                named = next((g for g in allowed if g.pos_ in ("NOUN", "PROPN") and
                              (_namelike(g) or any(s.dep_ == "ccomp" for s in child.children))), None)
                if named is not None:
                    return named
                for grand in child.children:
                    if grand.dep_ == "prep" and grand.lower_ in ("to", "against", "on", "with", "for", "into"):
                        obj = next((g for g in grand.children if g.dep_ == "pobj"), None)
                        if obj is not None:
                            return _party_of_thing(None, obj)  # "refused to respond to a request from X"
                return _object_head(child)
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


def _namelike(token: Token) -> bool:
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
    if _namelike(obj) and not _created(obj):
        return obj
    owner = next((c for c in obj.children if c.dep_ == "poss" and _namelike(c)), None)
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


def _created(token: Token) -> bool:
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
    if _namelike(phrase):
        return phrase
    return next((g for c in phrase.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj" and _namelike(g)), None)


def _main_verb_misread(verb: Token) -> bool:
    """A sentence's main verb the parser reads as a reduced relative of its subject, leaving the
    sentence no verb of its own: "A Senate report called for sanctions" (report -acl-> called)."""
    head = verb.head
    return verb.dep_ == "acl" and verb.tag_ in ("VBD", "VBN") and head.dep_ == "ROOT" and \
        head.pos_ in ("NOUN", "PROPN") and head.i < verb.i and \
        not any(c.dep_ == "agent" for c in verb.children)  # "a deal brokered by Qatar" is a phrase


def _subject_head(token: Token, light: Token | None, filed: int = 0) -> Token | None:
    """The subject's head word; `filed` is where the text's dateline ends: a dateline's city the
    parser makes the subject ("LIMA, Peru - Police arrested ...") stands for what it joins to."""
    verb = light if token.pos_ == "NOUN" and light is not None else token
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    if _main_verb_misread(verb):
        return verb.head
    for child in verb.children:
        if child.dep_ == "nsubj" and child.idx < filed:
            joined = next((c for c in child.children if c.dep_ in ("conj", "appos") and c.idx >= filed), None)
            if joined is not None and joined.pos_ in ("NOUN", "PROPN"):
                return joined
        elif child.dep_ == "nsubj" and child.pos_ in ("NOUN", "PROPN"):
            return child
        elif child.dep_ == "nsubj" and child.lower_ in ("it", "they") and _reported(verb):
            # "Syrian opposition members said they will release ...": the speaker speaks of itself
            return _subject_head(verb.head, None, filed)
        elif child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _phrase_entities(head: Token | None, taken: list[Mention], after: int = 0) -> list[Entity]:
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


def _passive(token: Token) -> bool:
    """A verb in the passive with no agent named ("was arrested", "were detained")."""
    return token.pos_ == "VERB" and (any(c.dep_ == "auxpass" for c in token.children) or _reduced_passive(token)) \
        and not any(c.dep_ == "agent" for c in token.children)


def _reduced_passive(token: Token) -> bool:
    """A past participle standing for a passive clause ("appeared in court, charged with murder",
    "the man arrested on Friday"): no auxiliary, no subject of its own."""
    return token.tag_ == "VBN" and token.dep_ in ("advcl", "acl") and not any(
        c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "agent") for c in token.children)


def _implied_authority(entry: Entry, home: str, place: Place | None = None) -> list[Entity]:
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


def _implied_government(actor: list[Entity], home: str) -> list[Entity]:
    """A protest that names no target is against the protesters' own government."""
    if any(e.sector in ("GOV", "MIL") for e in actor):
        return []
    country = next((e.code for e in actor if len(e.code) == 3 and e.code.isalpha() and e.code not in NON_STATE), home)
    return [Entity(country, "GOV", "", name="government (implied)")] if country else []


def _keep_at_home(actor: list[Entity], recipient: list[Entity], home: str) -> None:
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


def _implied_protesters(place: Place | None, home: str) -> list[Entity]:
    """Protests with nobody named ("protests continue in Basra") are by the people of the place
    they are held in, else of the story's country."""
    country = place.country_code if place is not None and len(place.country_code) == 3 else home
    return [Entity(country, "CVL", "", name="protesters (implied)")] if country else []


def _has_own_setting(token: Token) -> bool:
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


def _non_agent(token: Token) -> bool:
    """The event's doer is a storm, a market or a sports team, not an actor."""
    if token.pos_ in ("VERB", "AUX"):
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "agent")]
        subjects += [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if not subjects and token.dep_ in ("advcl", "conj") and token.tag_ in ("VBG", "VBD", "VBZ", "VBP"):
            # "a landslide buried the village, killing 34": the participle's doer is its clause's
            subjects = [c for c in token.head.children if c.dep_ == "nsubj"]
        return any(s.lemma_.lower() in NON_AGENTS for s in subjects)
    return any(c.lemma_.lower() in NON_AGENTS for c in token.children if c.dep_ in ("compound", "poss"))


def _actor_ids(mentions: Iterable[Mention]) -> frozenset[int]:
    return frozenset(id(a) for m in mentions for a in (m.plural or (m.actor,)))


def _entities(mentions: Iterable[Mention], index: MentionIndex | None = None) -> list[Entity]:
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


def _split_pair(actor: list[Entity], recipient: list[Entity],
                coordinated: bool) -> tuple[list[Entity], list[Entity]]:
    """Two parties acting together with no one else named, or two named in coordination with no
    partner of theirs named (`coordinated`: "Chad and Sudan agreed to share data on Libya"): code
    them as a dyad; what else is named is what they agree on or meet about."""
    if len(actor) >= 2 and (not recipient or coordinated):
        return actor[:1], actor[1:]
    return actor, recipient


def _partner_named(token: Token) -> bool:
    """The event names the other side with "with" or "between", on itself or on its object
    ("talks with Libya", "signed agreements with Libya")."""
    objects = [token] + [c for c in token.children if c.dep_ in ("dobj", "attr")]
    return any(c.dep_ == "prep" and c.lower_ in ("with", "between") and any(g.dep_ == "pobj" for g in c.children)
               for o in objects for c in o.children)


# ---------------------------------------------------------------------------------- modality

def _governors(trigger: Token) -> list[Token]:
    """The trigger and the words whose modality it shares: up through infinitival complements
    ("expected to join") and from an event noun to its verb ("did not attend the talks"), never
    across a clause boundary ("While India blamed Pakistan ..., it has yet to ...")."""
    out = [trigger]
    node = trigger
    while len(out) < 6 and node.head != node:
        head = node.head
        if node.dep_ == "xcomp" or (node.dep_ in ("dobj", "attr", "oprd", "nsubjpass", "nsubj")
                                    and node.pos_ in ("NOUN", "PROPN") and head.pos_ in ("VERB", "AUX")):
            node = head
        elif node.dep_ == "pobj" and head.dep_ == "prep" and head.head != head:
            node = head.head
        else:
            break
        out.append(node)
    return out


SPEECH_VERBS = {"say", "announce", "tell", "add", "state", "confirm", "declare", "insist", "report", "claim",
                "vow", "pledge", "promise", "write", "tweet", "note", "explain", "warn", "indicate", "signal",
                "reiterate", "stress", "emphasise", "emphasize"}
# Verbs whose clause can lay blame: what is believed (BELIEF_VERBS) or said of who did harm.
BLAMING_VERBS = BELIEF_VERBS | SPEECH_VERBS


def _reported(verb: Token) -> bool:
    """The clause is what someone said: "X said (that) Y would ..."."""
    return verb.dep_ == "ccomp" and verb.head.lemma_.lower() in SPEECH_VERBS


def modality(trigger: Token) -> list[str]:
    """PLOVER's auxiliary modes for the event `trigger` carries: negation, hypothetical, future."""
    modes: list[str] = []
    governors = _governors(trigger)
    for place, word in enumerate(governors):
        governs = word != trigger
        via_xcomp = governs and governors[place - 1].dep_ == "xcomp"
        lemma = word.lemma_.lower()
        for child in word.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no" and word.pos_ == "NOUN"):
                modes.append("negation")
            elif child.dep_ in ("aux", "auxpass") and child.lower_ == "would" and _reported(word):
                modes.append("future")  # "announced that she would launch": the future of reported speech
            elif child.dep_ in ("aux", "auxpass") and child.lower_ in HYPOTHETICAL_AUX:
                modes.append("hypothetical")
            elif child.dep_ in ("aux", "auxpass") and child.lower_ in FUTURE_AUX:
                modes.append("future")
            elif child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                modes.append("hypothetical")
            elif child.dep_ == "advmod" and child.lower_ == "yet" and lemma == "have":
                modes.append("negation")  # "has yet to provide"
            elif child.dep_ == "nsubj" and word.pos_ in ("VERB", "AUX") and \
                    any(d.dep_ in ("det", "preconj") and d.lower_ in ("no", "neither") for d in child.children):
                modes.append("negation")  # "neither France nor Spain would back it", "no country attended"
        if governs and word.pos_ in ("VERB", "AUX", "ADJ"):
            if lemma in NEGATING_VERBS:
                modes.append("negation")
            elif lemma in HYPOTHETICAL_VERBS:
                modes.append("hypothetical")
            elif lemma in FUTURE_VERBS or (lemma == "be" and via_xcomp):
                modes.append("future")  # "is expected to join", "is to visit"
    if any(_alternative_not_taken(word) for word in governors):
        modes.append("negation")  # "paid the gangs rather than report the threats"
    for word in governors:
        if word.pos_ == "VERB" and (word.dep_ in ("acl", "advcl") or word.dep_ == "xcomp" and (
                word.head.lemma_.lower() in CREATING or word.head.lemma_.lower() == "launch")) and \
                any(c.dep_ == "aux" and c.lower_ == "to" for c in word.children):
            # a purpose: "evidence to support its claim", "to discuss the deployment", "founded a
            # party to oppose the junta"
            modes.append("hypothetical")
    return list(dict.fromkeys(modes))


def _alternative_not_taken(word: Token) -> bool:
    """The word is what was done "instead of" or "rather than" (in the parser's several attachments):
    the alternative that did not happen."""
    of = word.head
    if word.dep_ in ("pcomp", "pobj") and of.lower_ == "of" and (of.head.lower_ == "instead" or any(
            c.lower_ == "instead" for c in of.children)):
        return True
    doc, start = word.doc, word.left_edge.i
    before = doc[max(start - 2, 0):start].text.lower()
    return before == "rather than" or doc[start:start + 2].text.lower() == "rather than" and start < word.i


REFUSABLE = {"SUPPORT", "AGREE", "CONSULT", "COOPERATE", "AID", "RETREAT", "CONCEDE"}  # cooperative acts
EVIDENCE_NOUNS = {"evidence", "proof", "sign", "indication", "data", "finding", "record"}
BLAMING = {"responsible", "guilty", "culpable", "accountable"}
REFUSING_VERBS = {"refuse", "decline"}


def _evidence_for(verb: Token) -> Token | None:
    """The evidence noun a verb ("support", "back") says something of: its subject, or the noun
    it completes ("evidence to support ...")."""
    if verb.dep_ in ("acl", "relcl") and verb.head.lemma_.lower() in EVIDENCE_NOUNS:
        return verb.head
    return next((c for c in verb.children if c.dep_ == "nsubj" and c.lemma_.lower() in EVIDENCE_NOUNS), None)


def _refusal(trigger: Token) -> bool:
    """The negated trigger is a refusal told ("said it would not back", "refused to back"), not only
    that the act did not happen ("did not back"); no other modal makes it a mere possibility."""
    governors = _governors(trigger)
    auxes = {c.lower_ for g in governors for c in g.children if c.dep_ in ("aux", "auxpass")}
    if auxes & (HYPOTHETICAL_AUX - {"would"}) or any(g.lemma_.lower() in HYPOTHETICAL_VERBS for g in governors[1:]):
        return False
    # ("will not lift the curfew" stays a negated concession: the future, not yet a refusal told)
    return "would" in auxes or any(g.lemma_.lower() in REFUSING_VERBS for g in governors[1:])


def _act_ended(trigger: Token, types: dict[int, str]) -> Token | None:
    """The verb trigger whose object is this hostile act, owned up to or ended ("accepted
    responsibility for the murder", "lifted its blockade", "dropped the probe"), or the cooperation a
    sanction ends ("suspended talks with"): one event, the verb's; "agreed a ceasefire" is a ceasefire too."""
    node = trigger
    while node.dep_ in ("pobj", "prep") and node.head != node:
        node = node.head  # "responsibility for the murder": up to the phrase's head
    verb = node.head if node.dep_ == "dobj" else None
    if verb is None or verb.pos_ != "VERB" or trigger.pos_ != "NOUN":
        return None
    if types[trigger.i] in ("CONSULT", "COOPERATE", "AID"):
        return verb if types.get(verb.i) == "SANCTION" else None  # "ended mediation efforts", "halted aid"
    if types[trigger.i] not in VIOLENT_OR_STREET | {"SANCTION", "ACCUSE"}:
        return None
    return verb if types.get(verb.i) in ("CONCEDE", "RETREAT") else None


def _content_of_measure(trigger: Token, types: dict[int, str]) -> bool:
    """The trigger says what a measure another trigger acts on would do ("approved a bill
    legalising abortion", "vetoed a law banning rallies"): the approval is the event."""
    measure = trigger.head
    return trigger.dep_ == "acl" and trigger.tag_ == "VBG" and measure.dep_ == "dobj" and measure.head.i in types


def _time_of_another(trigger: Token, types: dict[int, str]) -> bool:
    """The event is named only as the time of another ("arrested after the shooting"): it is told
    as news elsewhere. Not where the other ends fighting ("a ceasefire after clashes" tells the
    clashes' parties, see _share_parties)."""
    time_word = trigger.head
    if trigger.pos_ != "NOUN" or trigger.dep_ != "pobj" or time_word.lower_ not in TIME_PREPOSITIONS:
        return False
    other = types.get(time_word.head.i)
    if other is None and time_word.dep_ == "prep" and time_word.i < time_word.head.i and \
            time_word.head.pos_ in ("VERB", "AUX") and trigger.head.lower_ != "until":
        # "After his release, the colonel led the revolt": a clause opened by an earlier event's
        # time tells what followed it; the earlier event is background
        return True
    return other is not None and other not in SETTLING_TYPES


def _embedded(trigger: Token, types: dict[int, str]) -> bool:
    """The trigger is what another trigger demands, threatens, promises, refuses or alleges."""
    if _act_ended(trigger, types) is not None or _content_of_measure(trigger, types) or \
            _time_of_another(trigger, types):
        return True
    if _told_aside(trigger, types) or _believed(trigger):
        return True
    node = trigger
    steps = 0
    while node.head != node and steps < 6:
        parent = node.head
        steps += 1
        kind = types.get(parent.i)
        if node.dep_ == "ccomp" and parent.lemma_.lower() in SPEECH_VERBS and \
                any(c.dep_ == "neg" for c in parent.children):
            return True  # "did not say he had ordered it": not told as done by anyone
        if parent.lemma_.lower() in TOPIC_VERBS and node.dep_ in ("dobj", "pobj", "prep"):
            return True  # "discussed the deployment of observers": a topic, not an event
        if parent.lemma_.lower() == "include" and node.dep_ in ("dobj", "xcomp", "conj") and \
                any(types.get(c.i) in EMBEDDING_TYPES for c in parent.children if c.dep_ == "nsubj"):
            return True  # "their demands included the minister's resignation": what is demanded
        if parent.lemma_.lower() in CLAIM_NOUNS and parent.pos_ == "NOUN" and node.dep_ in ("acl", "ccomp"):
            return True  # "denied claims that its troops had shelled the town": alleged, not told as done
        if kind in EMBEDDING_TYPES and node.dep_ in ("xcomp", "ccomp", "pcomp", "prep", "pobj", "advcl"):
            if kind == "ACCUSE" or node.dep_ in ("xcomp", "ccomp") or (
                    node.dep_ == "prep" and node.lower_ in ("for", "of", "to", "on")):
                return True
        if parent.dep_ == "ROOT":
            break
        node = parent
    return False


def _laid_down(node: Token, parent: Token) -> bool:
    """`node` is what a law lays down or what a body is charged to do (see RULE_VERBS)."""
    lemma = parent.lemma_.lower()
    if lemma not in RULE_VERBS or parent.pos_ != "VERB":
        return False
    if lemma in MANDATE_VERBS and (node.dep_ in ("prep", "pcomp", "pobj") and parent.dep_ in ("acl", "relcl") or
                                   node.dep_ in ("prep", "xcomp") and any(c.dep_ == "auxpass" for c in parent.children)):
        return lemma != "charge" or node.lower_ != "with" or any(c.tag_ == "VBG" for c in node.children)
    subject = next((c for c in parent.children if c.dep_ == "nsubj"), None)
    return node.dep_ == "ccomp" and subject is not None and subject.lemma_.lower() in RULE_SUBJECTS


def _cause(verb: Token) -> bool:
    """A verb of stance whose object is a cause or field named as a kind, with no determiner or owner
    ("supported education and healthcare", "backs LGBT rights"), not a given act or party (and not
    an act done, "restored diplomatic relations")."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return verb.lemma_.lower() in STANCE_VERBS and obj is not None and obj.pos_ == "NOUN" and \
        obj.ent_type_ == "" and not any(c.dep_ in ("det", "poss", "nummod", "prep") for c in obj.children)


def _blamed(clause: Token) -> bool:
    """The clause says its subject is to blame: "were responsible", "is guilty", "was behind it"."""
    return any(c.dep_ == "acomp" and c.lemma_.lower() in BLAMING or
               c.dep_ == "prep" and c.lower_ == "behind" for c in clause.children)


def _believed(trigger: Token) -> bool:
    """The trigger is in what someone believes or concludes happened (see BELIEF_VERBS, beliefs)."""
    node = trigger
    for _ in range(6):
        parent = node.head
        if parent == node:
            return False
        if node.dep_ == "ccomp" and parent.pos_ == "VERB" and parent.lemma_.lower() in BELIEF_VERBS and \
                node.i > parent.i:
            return True
        node = parent
    return False


def _told_aside(trigger: Token, types: dict[int, str]) -> bool:
    """The trigger is a setting (_background) or a rule (_laid_down): its sentence tells no event
    by it, and no verb of the sentence is read for one in its stead."""
    chain = [trigger, *list(trigger.ancestors)[:5]]
    return _background(trigger, types) or _rule_says(trigger) or \
        any(_laid_down(node, node.head) for node in chain if node.head != node)


def _rule_says(trigger: Token) -> bool:
    """A rule or document says it, in the present ("the alliance's guidelines call for 2%", "the
    treaty bans such tests"): what the rule holds, not an act of anyone's."""
    subject = next((c for c in trigger.children if c.dep_ == "nsubj"), None)
    return trigger.pos_ == "VERB" and trigger.tag_ in ("VBZ", "VBP") and subject is not None and \
        subject.lemma_.lower() in RULE_SUBJECTS and not any(c.dep_ in ("aux", "auxpass") for c in trigger.children)


def _background(trigger: Token, types: dict[int, str]) -> bool:
    """The trigger tells the setting of another event, not news of its own: a leading participle
    ("Refusing to resign, the governor called ..."), a habit or an earlier act told of a party in a
    relative clause ("Chad, which trains Malian troops, said ...", "an envoy who had mediated the
    truce"), or the request or invitation a main act answered ("returned at the king's request")."""
    head = trigger.head
    if trigger.dep_ == "advcl" and trigger.tag_ == "VBG" and trigger.i < head.i and not any(
            c.dep_ in ("nsubj", "nsubjpass", "mark") for c in trigger.children):
        return True
    if trigger.pos_ == "VERB" and trigger.dep_ == "relcl":
        aux = [c for c in trigger.children if c.dep_ in ("aux", "auxpass")]
        if not aux and trigger.tag_ in ("VBZ", "VBP"):
            return True  # a habit or a state: "which trains", "who refuse to pay"
        if any(a.lemma_ == "have" and a.tag_ == "VBD" for a in aux):
            return True  # pluperfect: before the story's time
        if any(c.dep_ == "dobj" and c.lower_ in ("whom", "which", "that", "who") or
               c.dep_ == "advmod" and c.lower_ == "when" for c in trigger.children):
            # what was done to a thing or person, told to say which ("NATO, which it joined in 2024",
            # "a lawyer whom she met at university"), or what marked a time ("May 2023, when crowds
            # stormed the base")
            return True
    if trigger.pos_ == "NOUN" and types.get(trigger.i) in ("REQUEST", "AGREE"):
        # (the parser sometimes makes "at the government's request" the clause's subject)
        before = trigger.doc[trigger.left_edge.i - 1] if trigger.left_edge.i > 0 else None
        prep = head if trigger.dep_ == "pobj" else before if trigger.dep_ in ("nsubj", "npadvmod") else None
        return prep is not None and prep.lower_ in CIRCUMSTANCE_PREPS and prep.pos_ == "ADP"
    return False


# ---------------------------------------------------------------------------------- the stage

@dataclass(slots=True)
class Hit:
    token: Token
    entry: Entry
    light: Token | None = None
    scene: bool = False  # `light` is the clause the event noun is the scene of, not its support verb


FALLBACK_TYPE = "ACCUSE"  # the commonest type in news when nothing in the lexicon fits


def _blocked(token: Token) -> bool:
    """The lexicon reads this verb, here, as no event (a NONE entry whose conditions hold)."""
    entries = [e for e in lexicon().get(("VERB", token.lemma_.lower()), []) if e.event == "NONE"]
    return bool(entries) and any(not e.needs or e.needs & _dependents(token) for e in entries)


def _loose_entry(token: Token) -> Entry | None:
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
        if need_party and entry.event in VIOLENT_OR_STREET and _non_agent(token):
            return None
        refused = entry.event in REFUSABLE and _refusal(token) and "negation" in modality(token)
        if entry.event == "SUPPORT" and token.pos_ == "VERB" and _evidence_for(token) is not None:
            # "evidence supports the account" is no one's support; "there is no evidence to support
            # the president's claims", said by officials, is their rejection of the claims
            if not any(c.dep_ == "det" and c.lower_ == "no" for c in _evidence_for(token).children):
                return None
            entry, refused = Entry(entry.word, entry.second, entry.pos, "REJECT", "", "120", entry.needs,
                                   entry.light, entry.reciprocal), True
        if token.pos_ in ("VERB", "AUX"):
            actor_m, passive = self.parts.subject(token)
            if _reduced_passive(token):
                # "a man appeared in court, charged with murder", "a man arrested on Friday": the
                # participle's subject or noun is who it was done to
                actor_m, passive = [], passive or actor_m or self.parts.mentions_of(token.head)
            exclude = {i for m in actor_m for i in range(m.start, m.end)}
            patient = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
            if not passive and patient is not None and _namelike(patient):
                recipient_m = []  # "the journalist X was arrested in Niger": X, named but not known
            else:
                recipient_m = passive or self.parts.objects(token, exclude, _actor_ids(actor_m))
        else:
            actor_m, recipient_m = self.parts.of_noun(token, hit.light, ontology.quad(entry.event) in (1, 3) and
                                                      token.lemma_.lower() not in SENDING | TAKING_AWAY)
            patient = None
        if entry.event == "REQUEST" or (entry.event == "ACCUSE" and token.pos_ == "VERB"):
            # "alleged that Sudanese troops shelled the town": the accused is who the claim says acted
            asked = self.parts.asked(token, _actor_ids(actor_m))
            if asked or entry.event == "REQUEST" and \
                    _object_head(token) in [s for c in token.children if c.dep_ == "ccomp" for s in c.children]:
                recipient_m = asked  # one named to act, though unknown, is asked before anyone deeper
        if entry.event == "ACCUSE" and not recipient_m and token.pos_ == "VERB":
            # "police alleged the accused had attacked two mosques": the one said to have done it
            recipient_m = [m for clause in token.children if clause.dep_ == "ccomp" for s in clause.children
                           if s.dep_ == "nsubj" for m in self.parts.mentions_of(s)
                           if id(m.actor) not in _actor_ids(actor_m)]

        place_in = None
        goes_to, where_to = self.parts.destination(token, {i for m in actor_m for i in range(m.start, m.end)})
        if where_to is not None:
            recipient_m = goes_to
        if actor_m and _moves_things(token, entry) and _own_forces_at_most(recipient_m, actor_m):
            recipient_m = self.parts.further_off(token, actor_m) or recipient_m
        elif actor_m and _own_forces_at_most(recipient_m, actor_m) and _purpose_of_sending(token):
            # "sent experts to Chad to investigate the attacks": what they are sent to do is done there
            recipient_m = self.parts.destination(token.head, set())[0] or recipient_m
        if actor_m and where_to is None and patient is None and entry.event not in ("CONSULT", "PROTEST") and \
                _nobody_named(recipient_m, actor_m, sent.doc) and (recipient_m or not _namelike_object(token)):
            # Done to nobody named, only to a thing or to people known only by where they are: the
            # place it is done in stands for whose land it is, after those people. (A meeting's
            # place is a venue; a protest with no target is against its own government.)
            within = ("xcomp", "dobj") if ontology.quad(entry.event) in (1, 3) else ()
            clause = hit.light if hit.light is not None else token  # "extended the curfew in Lima"
            place_in = self.parts.opposed(clause, actor_m) or self.parts.place_acted_in(clause, actor_m, within)
            if isinstance(place_in, list):
                recipient_m = recipient_m + place_in
            else:
                land = [e for e in _phrase_entities(place_in, actor_m) if e.code]
                place_in = land or None
        if actor_m and where_to is None:
            recipient_m = recipient_m + self.parts.missions_served(recipient_m, sent.doc)
        actor, recipient = _entities(actor_m, self.index), _entities(recipient_m, self.index)
        if need_party and "alert" in entry.needs and token.pos_ in ("VERB", "AUX") and \
                not any(e.sector in ALERT_KEEPERS for e in actor + recipient):
            return None  # "hospitals remained on alert": readiness, not a show of force
        if need_party and not recipient and (
                entry.event == "ASSAULT" and (harmed := _object_head(token)) is not None and
                harmed.lemma_.lower() in ANIMALS or entry.event == "SUPPORT" and token.pos_ == "VERB" and _cause(token)):
            # harm to animals; "she has long supported minority rights", a stance, not an act towards
            # anyone: the trigger was read, and no other verb is read for an event in its stead
            self.declined.add(token.i)
            return None
        if isinstance(place_in, list) and place_in and isinstance(place_in[0], Entity):
            recipient += place_in
        if where_to is not None and not recipient:
            recipient = _phrase_entities(where_to, actor_m)
        actor_keys = {(e.code, e.name) for e in actor}
        recipient = [e for e in recipient if (e.code, e.name) not in actor_keys]
        if entry.reciprocal or entry.event in RECIPROCAL_TYPES:
            if len(actor) >= 2:
                recipient = [e for e in recipient if e.code]
            coordinated = len(actor_m) >= 2 and not _partner_named(token)  # not "the two sides": one mention
            actor, recipient = _split_pair(actor, recipient, coordinated)
        elif len(actor_m) >= 2 and not recipient and ontology.quad(entry.event) in (2, 4) and entry.event != "PROTEST":
            # "Armenia and Azerbaijan exchanged fire", "Kenyan and Somali troops staged drills": a material act
            # two sides are named doing, with no one else named, is done between them
            actor, recipient = _split_pair(actor, recipient, True)
        party_tokens = frozenset(t.i for m in actor_m + recipient_m for t in sent if m.start <= t.idx < m.end)
        place = where.event_place(token, self.in_play, party_tokens)
        if place is not None and entry.event == "CONSULT" and actor and not recipient and \
                place.country_code not in {e.code for e in actor} and len(place.country_code) == 3:
            # talks held in another country's capital: the host is the other side
            recipient = [Entity(place.country_code, "GOV", place.text, place.start, place.end, place.name)]
        if not actor and (self.home or place is not None) and _passive(token):
            actor = _implied_authority(entry, self.home, place)
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
                not _has_own_setting(token):
            return None  # "the attack", "the stabbing": the same event again, told without who, when or where
        if entry.event == "PROTEST" and not actor:
            actor = _implied_protesters(place, self.home)
        if entry.event == "PROTEST" and not recipient and any(c.dep_ == "dobj" for c in token.children):
            # "boycotted the referendum", "picketed the plant": what is protested is named
            recipient = _phrase_entities(_object_head(token), actor_m)
        if entry.event == "PROTEST" and not recipient:
            recipient = _implied_government(actor, self.home)
        # Who or what the event is done by or to, when no actor is named: the phrase itself, uncoded
        # ("condemned the bombing of a military academy" is directed at the bombing).
        if not recipient and not (entry.reciprocal and len(actor) >= 2):
            recipient = _phrase_entities(_object_head(token), actor_m)
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
            actor = _phrase_entities(_subject_head(token, hit.light, self.filed), recipient_m, self.filed)
        _keep_at_home(actor, recipient, self.home)
        modes = [] if hit.scene else modality(token)  # "in a call, X may have urged ...": the call happened
        if hit.light is not None and not hit.scene:
            modes = list(dict.fromkeys(modes + modality(hit.light)))
        if refused and ("negation" in modes or entry.event == "REJECT"):
            # "said it would not recognise the result", "refused to endorse the plan": a stated
            # refusal is what happened (PLOVER REJECT), not a support that did not
            entry = Entry(entry.word, entry.second, entry.pos, "REJECT", "", "120", entry.needs, entry.light,
                          entry.reciprocal)
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
                found = _entities(self.parts.mentions_of(head), self.index) or _phrase_entities(head, [])
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
            entry = Entry(entry.word, entry.second, entry.pos, "AGREE", "", PROMISABLE[entry.event],
                          entry.needs, entry.light, entry.reciprocal)
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
        entry = _loose_entry(common) or _loose_entry(sent.root) or Entry(
            common.lemma_.lower(), "", "VERB", FALLBACK_TYPE, "", "", frozenset(), False, False)
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
            verb = _act_ended(hit.token, types)
            if verb is not None and (act := self.event(hit, sent, types)) is not None:
                ended[verb.i] = act
            if _embedded(hit.token, types):
                continue
            event = self.event(hit, sent, types)
            if event is not None:
                coded.append((hit.token, event))
        _take_targets(coded, ended)
        if not coded and not self.sport and not any(_told_aside(h.token, types) or _believed(h.token)
                                                    or h.token.i in self.declined for h in hits):
            coded = self.pair_event(sent, hits)
        coded = [self.alleged_backing(token, event, sent) for token, event in coded]
        coded += self.demands(sent)
        coded += self.beliefs(sent, hits)
        _share_parties(coded)
        # nobody on either side, only things, even after sharing: "the killing", "a fruit exploded"
        coded = [(t, e) for t, e in coded if any(p.code or p.name for p in e.actor + e.recipient)
                 and not _self_same(e)]
        place = self.sentence_place(sent, [e for _, e in coded])
        for _, event in coded:
            if event.place is None and place is not None:
                event.place = place
            elif event.place is None and self.dateline is not None and event.event_type in VIOLENT_OR_STREET \
                    and _local(event, self.dateline.country_code):
                event.place = self.dateline  # local action reported from the dateline's city
            elif event.place is None and event.event_type in VIOLENT_OR_STREET and self.home and \
                    {e.code for e in event.actor + event.recipient if e.code} == {self.home}:
                # "soldiers were deployed outside parliament": the story's own parties acting at
                # home, somewhere the gazetteer cannot place; the country, at least, is known
                event.place = Place("", self.home, geo.country_name(self.home), feature="country", resolution=1)
        return _dedupe([e for _, e in coded])

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
                actor = _entities(actor_m, self.index)
                # a thing that should happen ("the trains should run by May") is no party asked
                recipient = _entities(asked, self.index) or \
                    [e for e in _phrase_entities(subject, actor_m) if subject.ent_type_ in ("PERSON", "ORG", "NORP")
                     or subject.lemma_.lower() in PARTY_NOUNS]
                if not recipient or {(e.code, e.name) for e in recipient} & {(e.code, e.name) for e in actor}:
                    continue
                entry = Entry(verb.lemma_.lower(), "", "VERB", "REQUEST", "", "", frozenset(), False, False)
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
        # a capital speaks for its government ("Kinshasa says ..."): a place's phrase takes its country
        accuser = [e for head in heads for e in _entities(self.parts.mentions_of(head), self.index) if e.code]
        for head in heads if not accuser else []:
            place = geo.resolve_place(head.text) if head.pos_ == "PROPN" else None
            if place is not None and place.feature == "capital" and len(place.country_code) == 3:
                accuser.append(Entity(place.country_code, "GOV", head.text, head.idx, head.idx + len(head.text)))
        if not accuser or {e.code for e in accuser} == {e.code for e in event.actor}:
            return token, event
        entry = Entry(said.lemma_.lower(), "", "VERB", "ACCUSE", "allege", "112", frozenset(), False, False)
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
                if not (inside if lemma in BELIEF_VERBS else hostile and _blamed(clause)):
                    continue
                actor_m, _ = self.parts.subject(verb)
                heads = [c for c in clause.children if c.dep_ == "nsubj"]
                heads += [g for c in clause.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
                recipient_m = [m for head in heads for m in self.parts.mentions_of(head)]
                actor, recipient = _entities(actor_m, self.index), _entities(recipient_m, self.index)
                if not actor or not recipient or \
                        {(e.code, e.name) for e in recipient} & {(e.code, e.name) for e in actor}:
                    continue
                entry = Entry(verb.lemma_.lower(), "", "VERB", "ACCUSE", "allege", "112", frozenset(), False, False)
                out.append((verb, self.build(verb, entry, sent, actor, recipient, modality(verb), None)))
        return out

    def pair_event(self, sent: Span, hits: list[Hit]) -> list[tuple[Token, Event]]:
        """A sentence where no trigger made an event, but a verb joins two coded actors ("Kosovo is
        sending a platoon to Kuwait"): the type classifier reads what the one does to the other;
        NONE, or no type it is sure of, is no event."""
        verbs = [t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() not in SPEECH_VERBS  # "told reporters"
                 and t.lemma_.lower() not in BELIEF_VERBS  # "the court found that ...": see beliefs
                 and not _blocked(t)]  # "fired his deputy": the lexicon has said it is no event
        for verb in sorted(verbs, key=lambda t: (t != sent.root, t.i)):
            actor_m, passive = self.parts.subject(verb)
            if passive or not actor_m or not actor_m[0].actor.code:
                continue
            exclude = {i for m in actor_m for i in range(m.start, m.end)}
            recipient_m = [m for m in self.parts.objects(verb, exclude, _actor_ids(actor_m)) if m.actor.code]
            if not recipient_m or recipient_m[0].actor is actor_m[0].actor or _own_forces_at_most(recipient_m, actor_m):
                continue  # (a state and its own forces are not two sides)
            recipient_m += self.parts.missions_served(recipient_m, sent.doc)
            doc = sent.doc
            a_tokens = doc.char_span(actor_m[0].start, actor_m[0].end, alignment_mode="expand")
            r_tokens = doc.char_span(recipient_m[0].start, recipient_m[0].end, alignment_mode="expand")
            probs = typeclf.predict_proba(sent, a_tokens, r_tokens, [(h.token, h.entry.event) for h in hits], None)
            kind = max((k for k in probs if k != "NONE"), key=probs.get)
            if probs[kind] < PAIR_MIN_PROBABILITY:
                return []  # NONE, or no type more likely than not: the verb is no event
            entry = Entry(verb.lemma_.lower(), "", "VERB", kind, "", "", frozenset(), False, False)
            event = self.build(verb, entry, sent, _entities(actor_m, self.index), _entities(recipient_m, self.index),
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


def _take_targets(coded: list[tuple[Token, Event]], ended: dict[int, Event]) -> None:
    """An act ended or owned up to names whom it was against ("lifted its boycott of Malawian
    farmers"); the ending verb, which found only its actor's own or a thing, takes them."""
    for token, event in coded:
        act = ended.get(token.i)
        own = {e.code for e in event.actor if e.code}
        if act is not None and act.recipient and not {e.code for e in event.recipient if e.code} - own:
            event.recipient = list(act.recipient)


def _self_same(event: Event) -> bool:
    """One party on both sides ("the senator pointed out she had resigned"): no event between actors."""
    def named(side: list[Entity]) -> set[str]:
        return {(e.code, (e.name or e.text).lower()) for e in side if e.name or e.text}
    actor = named(event.actor)
    return bool(actor) and len(actor) == len(event.actor) and actor == named(event.recipient)


def _local(event: Event, country: str) -> bool:
    """The event could be happening where the dateline is: no party is from elsewhere."""
    codes = {e.code for e in event.actor + event.recipient if e.code}
    return not codes or country in codes


def _share_parties(coded: list[tuple[Token, Event]]) -> None:
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


def _dedupe(events: list[Event]) -> list[Event]:
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
    best = min(hits, key=cost) if hits else None
    if best is not None:
        event = coder_obj.event(best, best.token.sent, {h.token.i: h.entry.event for h in hits})
        if event is None:
            event = coder_obj.event(best, best.token.sent, {}, need_party=False)
        if best.entry.event != event.event_type and "negation" in modality(best.token):
            # a refusal read as a REJECT: sentence-level PLOVER annotation still marks its negation
            event.mode = list(dict.fromkeys(event.mode + ["negation"]))
    else:
        event = coder_obj.fallback_event(sent, a_root, r_root)
    # The type: the classifier weighs the lexicon's triggers with the parse path and the words.
    probs = typeclf.predict_proba(sent, a_tokens, r_tokens, [(h.token, h.entry.event) for h in hits],
                                  best.token if best is not None else None)
    _retype(event, max((k for k in probs if k != "NONE"), key=probs.get), probs)
    event.actor = [_given_entity(coder_obj, a_span, actor_text)]
    event.recipient = [_given_entity(coder_obj, r_span, recipient_text)]
    return event


def _retype(event: Event, kind: str, probs: dict[str, float]) -> None:
    """Give `event` the classifier's type (a promised act stays AGREE) and its probability."""
    modes = [m for m in event.mode if m in ("negation", "hypothetical", "future")]
    if "future" in modes and kind in PROMISABLE and not {"negation", "hypothetical"} & set(modes):
        kind, cameo = "AGREE", PROMISABLE[kind]
    else:
        cameo = event.cameo if kind == event.event_type else ontology.DEFAULT_CAMEO[kind]
    if kind != event.event_type:
        event.event_type, event.cameo, event.mode = kind, cameo, modes
        event.goldstein, event.quad_code = ontology.goldstein(cameo), ontology.quad(kind)
        event.context = list(ontology.contexts(cameo))
    event.confidence = probs.get(kind, 0.0)


def _given_entity(coder: Coder, span: tuple[int, int] | None, text: str) -> Entity:
    if span is not None:
        for mention in coder.index.mentions:
            if mention.start < span[1] and span[0] < mention.end and mention.actor.code:
                return Entity(mention.actor.code, mention.actor.sector, text, span[0], span[1], mention.actor.name)
    return Entity("", "", text, span[0] if span else -1, span[1] if span else -1)
