"""Coding one sentence for a given actor and recipient (`code_dyad`)."""
from __future__ import annotations

from spacy.tokens import Token

from .. import ontology, typeclf
from ..models import Article, Entity, Event
from .coder import Coder
from .modality import modality
from .triggers import Hit, triggers
from .words import PROMISABLE


def _depths(token: Token) -> list[Token]:
    return [token] + list(token.ancestors)


def distance(a: Token, b: Token) -> int:
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
        return (distance(a_root, token) + distance(r_root, token) + (2 if token.i in inside else 0),
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
