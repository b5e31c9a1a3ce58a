"""Shared fixtures: the real spaCy model, loaded once, and a fixed clock."""
from __future__ import annotations

import pytest

from diurna import nlp as nlp_stage


@pytest.fixture(scope="session")
def nlp():
    return nlp_stage.load()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """Outputs never depend on the real date."""
    monkeypatch.setenv("DIURNA_TODAY", "2025-06-01")
