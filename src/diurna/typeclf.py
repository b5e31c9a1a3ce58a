"""The event-type classifier: what an actor does to a recipient, as a probability per PLOVER type.

A multinomial logistic regression over two kinds of features of one sentence and one marked pair:
- sparse, hashed: the lemmas and dependency labels on the parse path between the actor and the
  recipient, the word that joins them, the lexicon triggers in the sentence (the one nearest the pair
  counts most), the heads of the two phrases, negation and modal words, and the sentence's other
  content words (weakly); what governs the nearest trigger (negation, future or modal auxiliaries,
  and control words: "refused to [send] aid" is a refusal, "pledged to [send] aid" a promise), alone
  and joined with the trigger's type;
- dense: word vectors (a 64-dimensional projection of en_core_web_md's vectors, shipped in
  `data/typeclf_vectors.npz`) of the joining word, of the path, and of the sentence.

Weights and the calibration temperature live in `data/typeclf.npz`; `python -m diurna.train`
rebuilds both from `data/training/`. Everything loads once per process, on first use.

    >>> probs = predict_proba(sent, actor_tokens, recipient_tokens, hits)   # doctest: +SKIP
    >>> max(probs, key=probs.get)                                          # doctest: +SKIP
    'ASSAULT'
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from io import BytesIO

import numpy as np
from spacy.tokens import Span, Token


VERSION = "typeclf.v4"
HASH_DIM = 1 << 16
VEC_DIM = 64
CONTENT_POS = {"VERB", "NOUN", "ADJ", "ADV", "PROPN"}
MODAL = {"not", "n't", "never", "no", "will", "would", "could", "might", "may", "should", "must", "refuse",
         "fail", "threaten", "vow", "pledge", "promise", "urge", "demand", "ask", "call", "agree", "deny"}


def _data(name: str) -> bytes:
    return resources.files("diurna").joinpath("data", name).read_bytes()


@cache
def _vectors() -> tuple[dict[str, int], np.ndarray]:
    with np.load(BytesIO(_data("typeclf_vectors.npz"))) as data:
        words = str(data["words"]).split("\n")
        index = dict(zip(words, data["rows"].tolist()))
        table = data["vectors"].astype(np.float32)
    return index, table


@cache
def model() -> tuple[list[str], np.ndarray, np.ndarray, float]:
    """(classes, weights [features x classes], bias, temperature), loaded once per process."""
    with np.load(BytesIO(_data("typeclf.npz"))) as data:
        classes = [str(c) for c in data["classes"]]
        return classes, data["weights"].astype(np.float32), data["bias"].astype(np.float32), \
            float(data["temperature"])


def _vec(words: Sequence[str]) -> np.ndarray:
    index, table = _vectors()
    rows = [index[w] for w in words if w in index]
    if not rows:
        return np.zeros(VEC_DIM, dtype=np.float32)
    v = table[rows].mean(axis=0)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def _path(a: Token, b: Token) -> tuple[list[Token], list[Token], Token | None]:
    """Tokens from `a` up to the common ancestor, and from `b` up to it (both without it)."""
    up_a = [a] + list(a.ancestors)
    up_b = [b] + list(b.ancestors)
    common = next((t for t in up_a if t in up_b), None)
    if common is None:
        return up_a, up_b, None
    return up_a[:up_a.index(common)], up_b[:up_b.index(common)], common


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


# Words that, governing the act, change whether or how it happens: "refused to send aid" is a
# refusal, "pledged to send aid" a promise, "called for aid" a request.
CONTROL = {"refuse", "decline", "fail", "reject", "deny", "block", "veto", "agree", "promise", "pledge", "vow", "offer",
           "threaten", "warn", "urge", "ask", "call", "demand", "want", "plan", "decide", "ready", "willing",
           "prepared", "expect", "seek", "try", "attempt", "order", "allow", "continue", "resume", "stop", "end",
           "halt", "suspend", "lift", "need", "must", "accuse", "condemn", "blame", "welcome", "support"}
FUTURE = {"will", "would", "shall", "'ll", "going"}
MAYBE = {"could", "might", "may", "should", "must", "can"}


def _scope(token: Token, stop: int = 4) -> list[str]:
    """What governs `token`: negation, future and modal auxiliaries on it and the verbs above it,
    and the control words it hangs from ("refused to [send]", "ready to [contribute]")."""
    marks = []
    for depth, t in enumerate([token] + list(token.ancestors)[:stop - 1]):
        for child in t.children:
            if child.dep_ == "neg" or _lemma(child) in ("never", "no"):
                marks.append("neg")
            elif child.dep_ in ("aux", "auxpass") and _lemma(child) in FUTURE | MAYBE:
                marks.append("future" if _lemma(child) in FUTURE else "maybe")
        if depth and _lemma(t) in CONTROL:
            marks.append("ctl:" + _lemma(t))
        if t.dep_ not in ("xcomp", "ccomp", "advcl", "acomp", "pobj", "dobj", "conj", "prep", "nsubj", "nsubjpass",
                          "attr", "oprd", "relcl", "acl", "compound", "amod"):
            break
    return marks


def _of_objects(token: Token) -> list[str]:
    return [_lemma(pobj) for prep in token.children if prep.dep_ == "prep" and _lemma(prep) == "of"
            for pobj in prep.children if pobj.dep_ == "pobj"]


def features(sent: Span, actor: Span | None, recipient: Span | None,
             hits: Sequence[tuple[Token, str]], best: Token | None = None) -> tuple[dict[str, float], np.ndarray]:
    """Sparse named features and the dense vector part for one marked pair in `sent`.
    `hits` are the lexicon's (trigger token, type) in the sentence; `best` the one nearest the pair."""
    sparse: dict[str, float] = {}

    def add(name: str, value: float = 1.0) -> None:
        sparse[name] = sparse.get(name, 0.0) + value

    inside = set()
    for span in (actor, recipient):
        if span is not None:
            inside |= set(range(span.start, span.end))
    a_root = actor.root if actor is not None and len(actor) else sent.root
    r_root = recipient.root if recipient is not None and len(recipient) else sent.root
    side_a, side_b, common = _path(a_root, r_root)
    path_tokens = [t for t in side_a[1:] + side_b[1:] if t.i not in inside]
    path_words = [_lemma(t) for t in path_tokens if t.pos_ in CONTENT_POS]
    add("bias")
    add("dep_a=" + a_root.dep_)
    add("dep_r=" + r_root.dep_)
    add("deps=" + a_root.dep_ + ">" + r_root.dep_)
    add("a_head=" + _lemma(a_root))
    add("r_head=" + _lemma(r_root))
    if a_root.ent_type_:
        add("a_ent=" + a_root.ent_type_)
    if r_root.ent_type_:
        add("r_ent=" + r_root.ent_type_)
    if common is not None and common.i not in inside:
        add("lca=" + _lemma(common), 2.0)
        add("lca_pos=" + common.pos_)
        for child in common.children:
            if child.dep_ in ("prep", "prt", "agent", "neg", "aux", "auxpass", "dobj", "xcomp", "ccomp", "advcl"):
                add(f"lca_{child.dep_}=" + _lemma(child))
                if child.dep_ in ("dobj", "xcomp", "advcl"):
                    add(f"lca_{child.dep_}:{_lemma(common)}=" + _lemma(child))
                if child.dep_ == "dobj":
                    # "declared a state of emergency" against "of alert", "a suspension of aid": the
                    # object's "of" phrase, off the path, names what is done.
                    for of in _of_objects(child):
                        add("lca_dobj_of=" + of)
        for t in list(common.ancestors)[:2]:
            add("lca_up=" + _lemma(t), 0.5)
    elif common is None:
        add("lca=<none>")
    for t in path_tokens:
        add("p=" + _lemma(t))
        add("pd=" + t.dep_ + ":" + _lemma(t), 0.5)
    for t in side_b[1:3]:
        add("r_gov=" + t.dep_ + ":" + _lemma(t))
    for t in side_a[1:2]:
        add("a_gov=" + t.dep_ + ":" + _lemma(t))
    add("shape=" + "/".join(t.dep_ for t in side_a[:4]) + "|" + "/".join(t.dep_ for t in side_b[:4]))
    if best is not None:
        best_type = next(kind for token, kind in hits if token == best)
        add("best=" + best_type, 2.0)
        add("best_w=" + _lemma(best))
        for of in _of_objects(best):
            add("best_of=" + of)
        for mark in dict.fromkeys(_scope(best)):
            add("sc=" + mark)
            add("sc=" + mark + "|" + best_type)
            if mark.startswith("ctl:"):
                add("sc=" + mark + "|" + _lemma(best), 0.5)
    elif common is not None:
        for mark in dict.fromkeys(_scope(common)):
            add("sc0=" + mark)
    for token, kind in hits:
        add("hit=" + kind, 0.5)
        if token in path_tokens or token == common:
            add("hit_path=" + kind, 1.0)
    content = [t for t in sent if t.pos_ in CONTENT_POS and t.i not in inside and not t.is_stop]
    for t in content:
        add("w=" + _lemma(t), 0.3)
    for t in sent:
        if _lemma(t) in MODAL and t.i not in inside:
            add("m=" + _lemma(t), 0.5)
    lca_word = [_lemma(common)] if common is not None and common.i not in inside else []
    dense = np.concatenate([_vec(lca_word), _vec(path_words), _vec([_lemma(t) for t in content])])
    return sparse, dense


def hashed(sparse: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of named features in the hashed space."""
    cols = np.fromiter((zlib.crc32(name.encode()) % HASH_DIM for name in sparse), dtype=np.int64,
                       count=len(sparse))
    return cols, np.fromiter(sparse.values(), dtype=np.float32, count=len(sparse))


def logits(sparse: dict[str, float], dense: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    cols, vals = hashed(sparse)
    return vals @ weights[cols] + dense @ weights[HASH_DIM:] + bias


def predict_proba(sent: Span, actor: Span | None, recipient: Span | None,
                  hits: Sequence[tuple[Token, str]], best: Token | None = None) -> dict[str, float]:
    """Calibrated probability of each type (and NONE) for what `actor` does to `recipient`."""
    classes, weights, bias, temperature = model()
    z = logits(*features(sent, actor, recipient, hits, best), weights, bias) / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    return dict(zip(classes, p.tolist()))
