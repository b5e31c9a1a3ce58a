"""The coding stage: what happened, who did it to whom, and whether it happened at all.

Triggers (verbs and event nouns) come from the lexicon (`data/lexicon.yaml`); the actor and the
recipient come from the dependency parse and the mentions the actors stage found; modality
(negation, hypothetical, future) from the words that govern the trigger. An accusation is the
accuser's ACCUSE: the act it alleges is not coded as an act of the accused, and what someone
demands, threatens or promises is the REQUEST, THREATEN or AGREE, not the act itself.

Modules: `triggers` (the lexicon and the words that match it), `parties` (who acts on whom),
`syntax` (what the parse says around a trigger), `modality` (whether the event happened), `coder`
(one article's events), `events` (passes over them together), `dyad` (one sentence whose actor and
recipient are given) and `words` (the word lists they read).
"""
from __future__ import annotations

from .words import VERSION
from .triggers import Entry, Hit, lexicon, match, triggers
from .modality import modality
from .parties import Participants
from .coder import code_article, Coder
from .dyad import code_dyad

__all__ = [
    "code_article", "code_dyad", "Coder", "Entry",
    "Hit", "lexicon", "match", "modality", "Participants", "triggers", "VERSION",
]
