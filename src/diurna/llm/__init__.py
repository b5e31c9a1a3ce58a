"""Optional coders behind any OpenAI-compatible chat endpoint (vLLM, llama.cpp, Ollama, a hosted API).

Layers, each named for the one thing it does:

    prompts   the PLOVER codebook prompt and its version
    schema    the answer the model must give (pydantic), and its JSON schema
    client    the HTTP chat client: concurrency, timeouts, retries, rate limits, token accounting
    cache     answers kept in SQLite, keyed by model, prompt version and the text
    coder     LLMCoder (the model codes every passage) and HybridCoder (the offline coder first)

    >>> from diurna.llm import make_coder
    >>> from diurna.pipeline import Pipeline
    >>> coder = make_coder("hybrid")  # reads DIURNA_LLM_BASE_URL, DIURNA_LLM_MODEL, DIURNA_LLM_API_KEY
    >>> pipeline = Pipeline(coder=coder)  # doctest: +SKIP

Nothing here is imported by a default run: the offline coder needs none of it.
"""
from __future__ import annotations

from .cache import Cache
from .client import ChatClient, Usage
from .coder import HybridCoder, LLMCoder, make_coder
from .errors import LLMAnswerError, LLMConfigError, LLMError, LLMRateLimited, LLMTransportError
from .prompts import PROMPT_VERSION

__all__ = [
    "Cache", "ChatClient", "Usage", "HybridCoder", "LLMCoder", "make_coder", "PROMPT_VERSION",
    "LLMError", "LLMConfigError", "LLMTransportError", "LLMRateLimited", "LLMAnswerError",
]
