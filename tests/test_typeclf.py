"""The event-type classifier: it loads the shipped weights, gives probabilities, and reads the pair."""
import numpy as np
import pytest

import diurna
from diurna import nlp, typeclf
from diurna.coding import triggers
from diurna.train import fit, generate


def probs_for(sentence, actor, recipient):
    doc = nlp.load()(sentence)
    a = doc.char_span(sentence.index(actor), sentence.index(actor) + len(actor), alignment_mode="expand")
    r = doc.char_span(sentence.index(recipient), sentence.index(recipient) + len(recipient),
                      alignment_mode="expand")
    hits = [(h.token, h.entry.event) for h in triggers(a.sent)]
    return typeclf.predict_proba(a.sent, a, r, hits, hits[0][0] if hits else None)


def test_the_shipped_model_loads_once_and_is_small():
    classes, weights, bias, temperature = typeclf.model()
    assert typeclf.model() is typeclf.model()
    assert "NONE" in classes and len(classes) == 17
    assert weights.shape == (typeclf.HASH_DIM + 3 * typeclf.VEC_DIM, len(classes))
    assert 0.2 < temperature < 5


def test_probabilities_sum_to_one():
    probs = probs_for("Police arrested dozens of protesters in Dhaka.", "Police", "dozens of protesters")
    assert sum(probs.values()) == pytest.approx(1.0, abs=1e-4)
    assert all(0 <= p <= 1 for p in probs.values())


@pytest.mark.parametrize("sentence, actor, recipient, expected", [
    ("Police arrested dozens of protesters in Dhaka on Sunday.", "Police", "dozens of protesters", "COERCE"),
    ("Rebels ambushed an army convoy, killing nine soldiers.", "Rebels", "an army convoy", "ASSAULT"),
    ("Egypt's foreign minister met his Qatari counterpart in Cairo.", "Egypt's foreign minister",
     "his Qatari counterpart", "CONSULT"),
    ("The European Union imposed new sanctions on Iranian officials.", "The European Union",
     "Iranian officials", "SANCTION"),
    ("Japan sent emergency food aid to flood victims in Pakistan.", "Japan", "flood victims", "AID"),
])
def test_clear_sentences_get_their_type(sentence, actor, recipient, expected):
    probs = probs_for(sentence, actor, recipient)
    assert max(probs, key=probs.get) == expected


def test_the_same_verb_reads_by_the_pair():
    # The pair decides: the accuser accuses, it does not attack.
    probs = probs_for("Armenia accused Azerbaijan of shelling border villages.", "Armenia", "Azerbaijan")
    assert max(probs, key=probs.get) == "ACCUSE"


def test_code_dyad_confidence_is_the_classifiers_probability():
    doc = diurna.Document(id="d1", text="Police arrested dozens of protesters in Dhaka on Sunday.",
                          published="2025-06-01", dyad=("Police", "dozens of protesters"))
    event = next(iter(diurna.code_documents([doc]))).events[0]
    assert event.event_type == "COERCE"
    assert 0.3 < event.confidence <= 1.0


def test_the_training_data_is_generated_reproducibly():
    first, second = generate.generate(seed=4, per_type=5), generate.generate(seed=4, per_type=5)
    assert first == second
    for row in first:
        assert row["sentence"][row["a_start"]:row["a_start"] + len(row["source"])] == row["source"]
        assert row["sentence"][row["r_start"]:row["r_start"] + len(row["target"])] == row["target"]


def test_every_type_has_training_sentences():
    rows = fit.training_rows()
    kinds = {r["type"] for r in rows}
    assert kinds == set(typeclf.model()[0])
    assert min(sum(r["type"] == k for r in rows) for k in kinds) >= 300


def test_every_event_type_has_dozens_of_handwritten_sentences():
    rows = generate.read_marked(generate.TRAINING / "handwritten2.tsv", prefix="h2-")
    assert len(rows) >= 700
    for kind in set(typeclf.model()[0]) - {"NONE"}:
        assert sum(r["type"] == kind for r in rows) >= 35, kind
    for row in rows:
        assert row["sentence"][row["a_start"]:row["a_start"] + len(row["source"])] == row["source"]
        assert row["sentence"][row["r_start"]:row["r_start"] + len(row["target"])] == row["target"]


def test_marked_sentences_give_the_offsets_of_actor_and_recipient():
    text, spans = generate.unmark("After talks, <a>Chile</a> thanked <r>Peru</r> for its help.")
    assert text == "After talks, Chile thanked Peru for its help."
    assert text[slice(*spans["a"])] == "Chile" and text[slice(*spans["r"])] == "Peru"
    with pytest.raises(ValueError):
        generate.unmark("<a>Chile</a> thanked Peru.")


def test_the_shipped_weights_carry_the_classifiers_version():
    with np.load(generate.TRAINING.parent / "typeclf.npz") as data:
        assert str(data["version"]) == typeclf.VERSION == "typeclf.v4"


def test_training_is_deterministic():
    rows = fit.training_rows()[::400]
    data = fit.Data(fit.examples(rows))
    classes = sorted({r["type"] for r in rows})
    y = np.array([classes.index(r["type"]) for r in rows])
    weight = np.ones(len(rows), dtype=np.float32)
    first, second = fit.train(data, y, len(classes), weight), fit.train(data, y, len(classes), weight)
    assert np.array_equal(first[0], second[0]) and np.array_equal(first[1], second[1])


@pytest.mark.parametrize("sentence, actor, recipient, expected", [
    # A refusal of a cooperative act is a REJECT, a promise of one an AGREE.
    ("The government refused to release the detained students despite the hunger strike.", "The government",
     "the detained students", "REJECT"),
    ("The two governments signed a fisheries agreement in Reykjavik on Friday.", "The two governments",
     "a fisheries agreement", "SUPPORT"),
    ("Villagers blocked the road to the gold mine for a second week.", "Villagers", "the gold mine", "PROTEST"),
])
def test_what_governs_the_trigger_changes_the_type(sentence, actor, recipient, expected):
    probs = probs_for(sentence, actor, recipient)
    assert max(probs, key=probs.get) == expected


def test_what_governs_a_trigger_is_read_from_the_parse():
    doc = nlp.load()("The rebels said they would not release the hostages.")
    release = next(t for t in doc if t.lemma_ == "release")
    assert {"neg", "future"} <= set(typeclf._scope(release))
    doc = nlp.load()("Kenya refused to send troops.")
    send = next(t for t in doc if t.lemma_ == "send")
    assert "ctl:refuse" in typeclf._scope(send)


def test_unknown_words_have_no_vector():
    assert not np.any(typeclf._vec(["qzxqzxqzx"]))


@pytest.mark.parametrize("sentence, actor, recipient, expected", [
    # Look-alikes the handwritten training sentences separate (sentences written for this test).
    ("The Dutch government pulled its peacekeepers out of the southern district after the attacks on the base.",
     "The Dutch government", "the southern district", "SANCTION"),
    ("Israeli troops withdrew from the northern town at dawn under the truce.", "Israeli troops",
     "the northern town", "RETREAT"),
    ("Nepal sent another battalion of peacekeepers to the UN mission in Lebanon.", "Nepal",
     "the UN mission in Lebanon", "AID"),
    ("The Danish government announced a suspension of development aid to Burkina Faso after the coup.",
     "The Danish government", "Burkina Faso", "SANCTION"),
    ("Chile and the European Union have reached a deal on lithium trade after months of talks.", "Chile",
     "the European Union", "SUPPORT"),
    ("The Kenyan president phoned the newly elected Ghanaian leader on Sunday to congratulate him on his win.",
     "The Kenyan president", "the newly elected Ghanaian leader", "SUPPORT"),
])
def test_look_alike_types_are_told_apart(sentence, actor, recipient, expected):
    probs = probs_for(sentence, actor, recipient)
    assert max(probs, key=probs.get) == expected


def test_a_refusal_to_ease_until_a_condition_is_met_is_a_rejection():
    doc = diurna.Document(id="d2", text="The president said he would not lift the sanctions on the northern province "
                          "until the militias disarmed.", published="2025-06-01",
                          dyad=("The president", "the northern province"))
    event = next(iter(diurna.code_documents([doc]))).events[0]
    assert event.event_type == "REJECT" and "negation" in event.mode
