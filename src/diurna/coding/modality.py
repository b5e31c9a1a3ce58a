"""Whether an event happened: negation, hypothetical and future modes, and events told only as
what another event demands, alleges, ends or is timed by."""
from __future__ import annotations

from spacy.tokens import Token

from .words import (
    BELIEF_VERBS, CIRCUMSTANCE_PREPS, CLAIM_NOUNS, CREATING, EMBEDDING_TYPES, FUTURE_AUX, FUTURE_VERBS,
    HYPOTHETICAL_AUX, HYPOTHETICAL_VERBS, MANDATE_VERBS, NEGATING_VERBS, RULE_SUBJECTS, RULE_VERBS,
    SETTLING_TYPES, STANCE_VERBS, TIME_PREPOSITIONS, TOPIC_VERBS, VIOLENT_OR_STREET,
)


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


def reported(verb: Token) -> bool:
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
            elif child.dep_ in ("aux", "auxpass") and child.lower_ == "would" and reported(word):
                modes.append("future")  # "announced that she would launch": the future of reported speech
            elif child.dep_ in ("aux", "auxpass") and child.lower_ in HYPOTHETICAL_AUX:
                modes.append("hypothetical")
            elif child.dep_ in ("aux", "auxpass") and child.lower_ in FUTURE_AUX:
                modes.append("future")
            elif child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                modes.append("hypothetical")
            elif child.dep_ == "advmod" and child.lower_ == "yet" and lemma == "have":
                modes.append("negation")  # "has yet to provide"
            elif child.dep_ in ("nsubj", "nsubjpass", "dobj") and word.pos_ in ("VERB", "AUX") and \
                    any(d.dep_ in ("det", "preconj") and d.lower_ in ("no", "neither") for d in child.children):
                # "neither France nor Spain would back it", "no country attended", "no rockets were
                # fired", "fired no shots"
                modes.append("negation")
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


def evidence_for(verb: Token) -> Token | None:
    """The evidence noun a verb ("support", "back") says something of: its subject, or the noun
    it completes ("evidence to support ...")."""
    if verb.dep_ in ("acl", "relcl") and verb.head.lemma_.lower() in EVIDENCE_NOUNS:
        return verb.head
    return next((c for c in verb.children if c.dep_ == "nsubj" and c.lemma_.lower() in EVIDENCE_NOUNS), None)


def refusal(trigger: Token) -> bool:
    """The negated trigger is a refusal told ("said it would not back", "refused to back"), not only
    that the act did not happen ("did not back"); no other modal makes it a mere possibility."""
    governors = _governors(trigger)
    auxes = {c.lower_ for g in governors for c in g.children if c.dep_ in ("aux", "auxpass")}
    if auxes & (HYPOTHETICAL_AUX - {"would"}) or any(g.lemma_.lower() in HYPOTHETICAL_VERBS for g in governors[1:]):
        return False
    # ("will not lift the curfew" stays a negated concession: the future, not yet a refusal told)
    return "would" in auxes or any(g.lemma_.lower() in REFUSING_VERBS for g in governors[1:])


def act_ended(trigger: Token, types: dict[int, str]) -> Token | None:
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
    clashes' parties, see share_parties)."""
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


def embedded(trigger: Token, types: dict[int, str]) -> bool:
    """The trigger is what another trigger demands, threatens, promises, refuses or alleges."""
    if act_ended(trigger, types) is not None or _content_of_measure(trigger, types) or \
            _time_of_another(trigger, types):
        return True
    if told_aside(trigger, types) or believed(trigger):
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


def cause(verb: Token) -> bool:
    """A verb of stance whose object is a cause or field named as a kind, with no determiner or owner
    ("supported education and healthcare", "backs LGBT rights"), not a given act or party (and not
    an act done, "restored diplomatic relations")."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return verb.lemma_.lower() in STANCE_VERBS and obj is not None and obj.pos_ == "NOUN" and \
        obj.ent_type_ == "" and not any(c.dep_ in ("det", "poss", "nummod", "prep") for c in obj.children)


def blamed(clause: Token) -> bool:
    """The clause says its subject is to blame: "were responsible", "is guilty", "was behind it"."""
    return any(c.dep_ == "acomp" and c.lemma_.lower() in BLAMING or
               c.dep_ == "prep" and c.lower_ == "behind" for c in clause.children)


def believed(trigger: Token) -> bool:
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


def told_aside(trigger: Token, types: dict[int, str]) -> bool:
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
