import pytest

from diurna import where


def trigger(nlp, text, word):
    return next(t for t in nlp(text) if t.text == word)


@pytest.mark.parametrize("text, word, country", [
    ("The ministers met in Beijing on Tuesday.", "met", "CHN"),
    ("Police reported the Pahalgam attack within minutes.", "attack", "IND"),
    ("Rebels shelled a market near Goma overnight.", "shelled", "COD"),
    ("The minister arrived in Doha for talks.", "talks", "QAT"),
])
def test_the_place_the_sentence_ties_the_event_to(nlp, text, word, country):
    place = where.event_place(trigger(nlp, text, word))
    assert place is not None and place.country_code == country


def test_an_actors_home_is_not_the_events_place(nlp):
    assert where.event_place(trigger(nlp, "China criticised the decision.", "criticised")) is None


def test_namesakes_follow_the_countries_in_play(nlp):
    token = trigger(nlp, "Protesters gathered in Hyderabad on Friday.", "gathered")
    assert where.event_place(token, ["PAK"]).country_code == "PAK"
    assert where.event_place(token, ["IND"]).country_code == "IND"
