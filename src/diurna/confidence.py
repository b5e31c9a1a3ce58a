"""How likely a coded event is to be right: the `confidence` of article events, as a probability.

The lexicon coder knows things that predict whether an event it codes is one a careful analyst
would list: whether both parties are named and placed in a country, whether the trigger is a
verb with its own subject or the event was typed by the classifier from a verb joining two actors
(`coding.Coder.pair_event`), whether the sentence is in the news paragraphs at the top or in the
background at the bottom, whether the event's date is its own or the article's. A logistic
model over those signals, fitted on the project's own held-out gold articles
(`tests/fixtures/gold/articles2.gold.jsonl`, by `python -m diurna.train --confidence`), turns
them into a probability; the weights ship as `data/confidence.json` with the threshold that
gave the best F2 (recall weighted over precision) on those articles: the default `--min-confidence`.

The given-dyad path (`coding.code_dyad`) has its own probability from the type classifier.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

from .resources import data_text

VERSION = "confidence.v1"
QUADS = (1, 2, 3)  # verbal and material cooperation, verbal conflict; material conflict is the baseline
FEATURES = (
    "bias", "actor_named", "actor_implied", "actor_uncoded", "recipient_coded", "recipient_uncoded",
    "same_country", "two_countries", "verb_trigger", "noun_with_light_verb", "specific_entry", "modal", "own_date",
    "past_date", "position", *(f"quad_{q}" for q in QUADS), "pair",
)


@dataclass(frozen=True, slots=True)
class Model:
    weights: tuple[float, ...]
    threshold: float
    version: str = VERSION


@cache
def model() -> Model:
    data = json.loads(data_text("confidence.json"))
    if tuple(data["features"]) != FEATURES:
        raise RuntimeError("data/confidence.json was fitted on other features: run python -m diurna.train --confidence")
    return Model(tuple(data["weights"]), float(data["threshold"]), data.get("version", VERSION))


def default_threshold() -> float:
    """The `--min-confidence` the shipped model was tuned to (best F2 on its fitting articles)."""
    return model().threshold


def vector(*, actor: list, recipient: list, verb: bool, light: bool, specific: bool, modal: bool,
           own_date: bool, past_date: bool, sentence: int, sentences: int, quad: int,
           pair: bool = False) -> list[float]:
    """The features of one event, in FEATURES order. Entities are models.Entity."""
    named = [e for e in actor if e.code and e.start >= 0]
    implied = [e for e in actor if e.code and e.start < 0]
    coded_recipient = [e for e in recipient if e.code]
    actor_codes = {e.code for e in actor if e.code}
    return [
        1.0,
        float(bool(named)),
        float(bool(implied) and not named),
        float(not actor_codes),
        float(bool(coded_recipient)),
        float(bool(recipient) and not coded_recipient),
        float(bool(actor_codes) and actor_codes == {e.code for e in coded_recipient}),
        # a dyad between two countries' actors, each named: the core of what event data records
        float(bool(named) and bool(coded_recipient) and not actor_codes & {e.code for e in coded_recipient}),
        float(verb),
        float(light),
        float(specific),
        float(modal),
        float(own_date),
        float(past_date),
        sentence / max(1, sentences - 1) if sentence >= 0 else 1.0,
        *(float(quad == q) for q in QUADS),
        float(pair),
    ]


def probability(features: list[float], weights: tuple[float, ...] | None = None) -> float:
    weights = weights if weights is not None else model().weights
    z = sum(w * x for w, x in zip(weights, features))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
