"""Errors diurna raises on purpose. Anything else is a bug.

    DiurnaError                 root: catch this to catch every error diurna means to raise
    ├── InputError              a document cannot be read: empty, binary, not UTF-8, too large,
    │                           malformed JSON, a missing file
    ├── ExtractError            a document was read but holds no article text
    ├── ModelError              the spaCy model (or another shipped model) cannot be loaded
    ├── DictionaryError         a user actor dictionary is malformed
    ├── StageError              a pipeline stage failed on one document; names stage and document
    ├── StoreError              the event database refused an operation (store/errors.py)
    │   └── QueryError          a query's arguments are invalid
    ├── FetchError              a URL could not be fetched, or was refused (fetch.py)
    └── LLMError                the optional model coder failed (llm/errors.py)

A batch catches `DiurnaError` per document, records it with the document's id and goes on.
"""
from __future__ import annotations


class DiurnaError(Exception):
    """Root of every error diurna raises on purpose."""


class InputError(DiurnaError):
    """A document cannot be read as input."""


class ExtractError(DiurnaError):
    """A document holds no article text."""


class ModelError(DiurnaError):
    """A model cannot be loaded."""


class DictionaryError(DiurnaError):
    """A user actor dictionary is malformed."""


class StageError(DiurnaError):
    """A stage failed on a document."""

    def __init__(self, stage: str, doc_id: str, cause: BaseException):
        super().__init__(f"stage {stage!r} failed on document {doc_id!r}: {type(cause).__name__}: {cause}")
        self.stage = stage
        self.doc_id = doc_id
        self.cause = cause
