"""Confidence: a probability from the shipped model, and the threshold below which events are dropped."""
import json

import pytest

import diurna
from diurna import confidence
from diurna.models import Entity
from diurna.pipeline import Pipeline
from diurna.resources import data_text

TEXT = ("Police in Lagos arrested 20 protesters on Monday. The Nigerian government said it regretted the unrest. "
        "Some said the march may have been a mistake.")


def features(**changes):
    base = dict(actor=[Entity("NGA", "COP", "Police", 0, 6)], recipient=[Entity("NGA", "OPP", "protesters", 30, 40)],
                verb=True, light=False, specific=False, modal=False, own_date=True, past_date=False,
                sentence=0, sentences=3, quad=4)
    base.update(changes)
    return confidence.vector(**base)


def test_the_shipped_model_matches_the_features_the_coder_computes():
    shipped = json.loads(data_text("confidence.json"))
    assert tuple(shipped["features"]) == confidence.FEATURES
    assert len(shipped["weights"]) == len(confidence.FEATURES) == len(features())
    assert 0 < confidence.default_threshold() < 1


def test_confidence_is_a_probability_that_rises_when_the_parties_are_named():
    both = confidence.probability(features())
    no_recipient = confidence.probability(features(recipient=[]))
    nobody = confidence.probability(features(actor=[], recipient=[]))
    assert 0 < nobody < no_recipient < both < 1


def test_an_actor_the_text_only_implies_has_no_span():
    implied = features(actor=[Entity("NGA", "COP", "", name="police (implied)")])
    named = features()
    names = confidence.FEATURES
    assert implied[names.index("actor_implied")] == 1 and implied[names.index("actor_named")] == 0
    assert named[names.index("actor_named")] == 1


def test_events_below_the_threshold_are_dropped_and_zero_keeps_them_all():
    every = diurna.code_text(TEXT, published="2025-05-21", min_confidence=0)
    default = diurna.code_text(TEXT, published="2025-05-21")
    strict = diurna.code_text(TEXT, published="2025-05-21", min_confidence=0.99)
    assert every and not strict
    threshold = confidence.default_threshold()
    assert [e for e in every if e.confidence >= threshold] == default
    assert all(0 <= e.confidence <= 1 for e in every)


def test_the_environment_sets_the_default_and_a_bad_value_is_refused(monkeypatch):
    monkeypatch.setenv("DIURNA_MIN_CONFIDENCE", "0.5")
    assert Pipeline().min_confidence == 0.5
    monkeypatch.setenv("DIURNA_MIN_CONFIDENCE", "high")
    with pytest.raises(diurna.DiurnaError):
        Pipeline()


def test_a_given_dyad_always_gets_its_one_event():
    pipeline = Pipeline(min_confidence=0.99)
    results = list(pipeline.run([diurna.Document(id="d", text="Chad and Sudan talked.", published="2025-05-21",
                                                 dyad=("Chad", "Sudan"))]))
    assert len(results[0].events) == 1


@pytest.mark.slow
def test_training_rebuilds_the_shipped_model(tmp_path):
    from diurna.train import confidence as training

    figures = training.run(out=tmp_path / "confidence.json")
    rebuilt = json.loads((tmp_path / "confidence.json").read_text())
    shipped = json.loads(data_text("confidence.json"))
    assert rebuilt["weights"] == pytest.approx(shipped["weights"], abs=1e-3)
    assert rebuilt["threshold"] == shipped["threshold"] and figures["events"] == shipped["events"]
