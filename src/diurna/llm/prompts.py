"""The PLOVER codebook as a prompt: definitions, modes, priority rules and worked examples.

`PROMPT_VERSION` names this text. Change any word of the system prompt or the examples and bump it:
the cache is keyed by it and every event records it, so old answers are never mixed with new ones.
The examples are invented for this prompt (no real article text).
"""
from __future__ import annotations

import json
from collections.abc import Sequence

from .schema import MODES

PROMPT_VERSION = "plover-prompt.v1"

DEFINITIONS = {
    "AGREE": "agree to, offer, promise or say one is willing to cooperate; promises to sign, meet, give aid, "
             "release or withdraw; calls to end a conflict (a ceasefire, calm, peace)",
    "CONSULT": "meetings and talks of any kind: visits (the visitor is the actor, the host the recipient), "
               "hosting, talks at a third place, phone or video calls, negotiations",
    "SUPPORT": "non-material diplomatic cooperation: praise, endorse, welcome, back; sign, ratify or "
               "finalize an agreement; recognize; restore or improve relations",
    "CONCEDE": "verbal concessions with no immediate material effect: promising to ease restrictions, "
               "declaring or announcing a ceasefire or withdrawal, pardons, amnesties, apologies",
    "COOPERATE": "mutual material cooperation: trade and economic deals carried out, joint military "
                 "exercises, extradition and judicial cooperation, sharing intelligence",
    "AID": "material help to the recipient: money, loans, weapons, training, humanitarian aid, "
           "peacekeepers, asylum, debt relief, rescue",
    "RETREAT": "concessions with immediate material effect: releasing prisoners or hostages, returning "
               "property, letting in observers or aid, disarming, observing a ceasefire, withdrawing "
               "forces, resigning",
    "REQUEST": "requests, demands, appeals and orders, short of a threat",
    "ACCUSE": "disapprove, criticize, condemn, accuse, allege, sue, investigate; diplomatic protests and "
              "summoning an ambassador",
    "REJECT": "reject or refuse a proposal, demand, plan or meeting; bar entry; cancel a meeting; veto",
    "THREATEN": "threats and coercive warnings of serious consequences (the mode is what is threatened)",
    "PROTEST": "civilian demonstrations, rallies, riots, strikes, hunger strikes, boycotts, blockades by "
               "protesters (a diplomatic protest is ACCUSE)",
    "SANCTION": "reducing existing relations: sanctions, embargoes, breaking off relations or talks, "
                "expelling diplomats, withdrawing from a body or treaty, convictions and sentences",
    "MOBILIZE": "moving or showing military, police or militia force short of using it; alerts, "
                "deployments, single-country exercises",
    "COERCE": "repression short of violence: seizing property, arrests, detentions, deportations, "
              "censorship, curfews, martial law, restricting rights, cyber attacks",
    "ASSAULT": "deliberate violence that can cause serious harm: attacks, shelling, air strikes, bombings, "
               "shootings, killings, abductions, torture; fighting between two sides",
}

RULES = """\
Priority rules:
1. Code only what the numbered sentences report. Code an event once, from the sentence that tells it.
2. A promise or plan to meet, support, cooperate, give aid, release or withdraw is AGREE with modality
   "future"; other events told in the future tense keep their type and get modality "future".
3. An event that is denied, did not happen or was refused gets "negation"; one that might, could or
   would happen (a condition, a possibility, a proposal) gets "hypothetical". Still code it.
4. Someone who says, accuses or reports an act does an ACCUSE (or the type of what they said to
   someone); the act itself is coded only when the sentence states it as fact.
5. Declaring a ceasefire is CONCEDE; observing or implementing one is RETREAT (mode ceasefire);
   calling for one is AGREE.
6. Two sides fighting each other: both go in the actor, the recipient is empty. One-sided violence:
   the perpetrator is the actor, the victim the recipient.
7. A street protest is PROTEST; a government's protest or condemnation is ACCUSE.
8. Sport, weather, accidents, crime between private people and figures of speech are not events.
9. actor and recipient are the words of the text that name them (or "" if none); actor_code and
   recipient_code are ISO 3166 alpha-3 country codes, or IGO, UNO, EUR, NGO, IMG, MNC (or "" if
   unknown); sectors are GOV, MIL, COP, JUD, LEG, REB, OPP, PTY, SPY, BUS, CVL, MED, JRN, LAB, REF, REL,
   EDU, ELI, CRM, AGR, UAF (or "").
10. trigger is the word (or words) of the text that carry the event; evidence is the shortest part of
   the sentence, copied exactly character for character, that shows the event with its parties.
11. sentence is the number of the sentence the evidence comes from.
12. confidence is your probability (0 to 1) that the event, its type and its parties are right.
13. No event in the sentences: answer {"events": []}. Never invent an event to fill the list."""

FORMAT = ('Answer with one JSON object and nothing else: {"events": [...]}, each event with the keys '
          "sentence, event_type, mode, modality, actor, actor_code, actor_sector, recipient, recipient_code, "
          'recipient_sector, trigger, evidence, confidence. Use "" and [] for empty values.')

# Invented examples: (context, sentences, candidates to check or None, the answer).
EXAMPLES: list[tuple[str, list[str], list[dict] | None, dict]] = [
    ("", ["Norwegian Prime Minister Eira Dahl flew to Reykjavik on Monday for talks with Icelandic leaders "
          "on fishing quotas.",
          "Dahl said Norway would send two coast guard vessels to help Iceland patrol the quota zone."],
     None,
     {"events": [
         {"sentence": 1, "event_type": "CONSULT", "mode": "visit", "modality": [], "actor": "Norwegian Prime "
          "Minister Eira Dahl", "actor_code": "NOR", "actor_sector": "GOV", "recipient": "Icelandic leaders",
          "recipient_code": "ISL", "recipient_sector": "GOV", "trigger": "flew",
          "evidence": "Norwegian Prime Minister Eira Dahl flew to Reykjavik on Monday for talks with Icelandic "
                      "leaders", "confidence": 0.9},
         {"sentence": 2, "event_type": "AGREE", "mode": "", "modality": ["future"], "actor": "Norway",
          "actor_code": "NOR", "actor_sector": "GOV", "recipient": "Iceland", "recipient_code": "ISL",
          "recipient_sector": "GOV", "trigger": "would send",
          "evidence": "Norway would send two coast guard vessels to help Iceland", "confidence": 0.8}]}),
    ("", ["Rebels of the Northern Front ambushed an army convoy near Kalo, killing six soldiers, the "
          "Zambrian defence ministry said, and denied it had shelled rebel villages."],
     None,
     {"events": [
         {"sentence": 1, "event_type": "ASSAULT", "mode": "firearms", "modality": [], "actor": "Rebels of the "
          "Northern Front", "actor_code": "", "actor_sector": "REB", "recipient": "an army convoy",
          "recipient_code": "", "recipient_sector": "MIL", "trigger": "ambushed",
          "evidence": "Rebels of the Northern Front ambushed an army convoy near Kalo", "confidence": 0.75},
         {"sentence": 1, "event_type": "ASSAULT", "mode": "heavy-weapons", "modality": ["negation"],
          "actor": "the Zambrian defence ministry", "actor_code": "", "actor_sector": "GOV",
          "recipient": "rebel villages", "recipient_code": "", "recipient_sector": "REB", "trigger": "shelled",
          "evidence": "denied it had shelled rebel villages", "confidence": 0.6}]}),
    ("Portugal and Morocco signed a water-sharing memorandum last week.",
     ["Hundreds of farmers marched through Lisbon on Thursday to demand that the government scrap the deal."],
     [{"event_type": "REQUEST", "actor": "Hundreds of farmers", "recipient": "the government",
       "trigger": "demand"}],
     {"events": [
         {"sentence": 1, "event_type": "PROTEST", "mode": "demo", "modality": [], "actor": "Hundreds of farmers",
          "actor_code": "PRT", "actor_sector": "AGR", "recipient": "the government", "recipient_code": "PRT",
          "recipient_sector": "GOV", "trigger": "marched",
          "evidence": "Hundreds of farmers marched through Lisbon on Thursday", "confidence": 0.85},
         {"sentence": 1, "event_type": "REQUEST", "mode": "change", "modality": [], "actor": "Hundreds of "
          "farmers", "actor_code": "PRT", "actor_sector": "AGR", "recipient": "the government",
          "recipient_code": "PRT", "recipient_sector": "GOV", "trigger": "demand",
          "evidence": "to demand that the government scrap the deal", "confidence": 0.7}]}),
    ("", ["The striker scored twice as Valmont crushed their rivals 4-0 on Saturday."], None, {"events": []}),
]


def system_prompt() -> str:
    """The codebook: the 16 PLOVER types with their modes, the rules and the answer format."""
    lines = ["You code news text into PLOVER political events: who did what to whom, with the words of the "
             "text that say so.", "", "Event types (event_type) and their modes (mode, or \"\"):"]
    for name, definition in DEFINITIONS.items():
        modes = ", ".join(MODES[name]) or "none"
        lines.append(f"- {name}: {definition}. Modes: {modes}.")
    lines += ["", 'Modality (a list, often empty): "negation", "hypothetical", "future".', "", RULES, "", FORMAT]
    return "\n".join(lines)


def user_prompt(sentences: Sequence[str], context: str = "", candidates: Sequence[dict] | None = None,
                dyad: tuple[str, str] | None = None) -> str:
    """One passage to code: numbered sentences, the text before them, and optionally the events an
    offline coder proposed (to be checked), or the one actor/recipient pair to code."""
    parts = []
    if context.strip():
        parts.append(f"Context (earlier text, only to tell who is meant; code nothing from it):\n{context.strip()}")
    parts.append("Sentences:\n" + "\n".join(f"[{i}] {s.strip()}" for i, s in enumerate(sentences, 1)))
    if candidates:
        parts.append("Another coder proposed these events. Check them: keep the right ones (correcting type, "
                     "mode, modality or parties), drop the wrong ones and add any it missed. Answer with the "
                     "full corrected list.\n" + json.dumps(list(candidates), ensure_ascii=False))
    if dyad:
        parts.append(f"Code exactly one event: the one that best describes what {dyad[0]!r} does to "
                     f"{dyad[1]!r}. Use those words as actor and recipient.")
    return "\n\n".join(parts)


def messages(sentences: Sequence[str], context: str = "", candidates: Sequence[dict] | None = None,
             dyad: tuple[str, str] | None = None) -> list[dict]:
    """The chat messages for one passage: the codebook, the worked examples, then the passage."""
    out = [{"role": "system", "content": system_prompt()}]
    for ex_context, ex_sentences, ex_candidates, answer in EXAMPLES:
        out.append({"role": "user", "content": user_prompt(ex_sentences, ex_context, ex_candidates)})
        out.append({"role": "assistant", "content": json.dumps(answer, ensure_ascii=False)})
    out.append({"role": "user", "content": user_prompt(sentences, context, candidates, dyad)})
    return out
