"""language: ISO 639-1 codes from text, offline; "" when unsure."""
from __future__ import annotations

import pytest

from diurna.language import detect


@pytest.mark.parametrize(
    "text, code",
    [
        ("The two delegations met again on Tuesday and agreed to extend the ceasefire by a month.", "en"),
        ("Les deux délégations se sont retrouvées mardi et ont accepté de prolonger le cessez-le-feu.", "fr"),
        ("Las dos delegaciones se reunieron el martes y acordaron prorrogar el alto el fuego un mes.", "es"),
        ("اجتمع الوفدان مرة أخرى يوم الثلاثاء واتفقا على تمديد وقف إطلاق النار لمدة شهر.", "ar"),
        ("两国代表团周二再次会面，同意将停火延长一个月。", "zh"),
    ],
)
def test_detects_the_language_of_a_sentence(text, code):
    assert detect(text) == code


@pytest.mark.parametrize("text", ["", "ok", "12 34 56", "https://example.org/a/b", "Geneva"])
def test_too_little_text_is_unsure(text):
    assert detect(text) == ""


def test_a_hint_settles_a_close_call_but_never_a_clear_one():
    english = "The two delegations met again on Tuesday and agreed to extend the ceasefire by a month."
    assert detect(english, hint="fr-FR") == "en"
    assert detect("Paris Genève Lyon Marseille Bordeaux", hint="fr") == "fr"


def test_long_text_is_fast_enough():
    import time

    text = "The two delegations met again on Tuesday in Geneva. " * 500
    detect(text)
    start = time.perf_counter()
    for _ in range(50):
        detect(text)
    assert (time.perf_counter() - start) / 50 < 0.01


def test_a_weak_winner_without_a_hint_is_unsure():
    assert detect("Total Radio Information Transport") == ""


@pytest.mark.parametrize(
    "text",
    [
        "Kenyan Foreign Minister Daniel Mwangi met Ugandan President Grace Atim in Kampala on Monday.",
        "Turkish Foreign Minister Hakan Fidan met his Iraqi counterpart Fuad Hussein in Ankara on Tuesday.",
    ],
)
def test_english_full_of_foreign_names_is_still_english(text):
    assert detect(text) == "en"
