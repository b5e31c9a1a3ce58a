"""Errors of the language-model coders, all under diurna's root error.

    DiurnaError
    └── LLMError                 anything the llm and hybrid coders mean to raise
        ├── LLMConfigError       no endpoint or model configured
        ├── LLMTransportError    the endpoint could not be reached or kept failing (timeouts,
        │   │                    connection errors, 5xx), after every retry
        │   └── LLMRateLimited   still rate limited (429) after every retry
        └── LLMAnswerError       the model's answer was not valid JSON for the schema, twice

A pipeline records any of these as the document's failure at the coding stage.
"""
from __future__ import annotations

from ..errors import DiurnaError


class LLMError(DiurnaError):
    """Root of the language-model coders' errors."""


class LLMConfigError(LLMError):
    """The endpoint or the model is not configured."""


class LLMTransportError(LLMError):
    """The endpoint failed after every retry."""


class LLMRateLimited(LLMTransportError):
    """The endpoint kept answering 429 Too Many Requests."""


class LLMAnswerError(LLMError):
    """The model's answer did not validate, on the first try and on the retry."""
