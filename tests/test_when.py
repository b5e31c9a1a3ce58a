import datetime as dt

import pytest

from diurna import when

PUBLISHED = dt.date(2025, 5, 21)  # a Wednesday


def _token(nlp, text, word):
    doc = nlp(text)
    token = next(t for t in doc if t.text == word)
    return token, token.sent


def test_a_date_on_an_event_noun_dates_the_event(nlp):
    token, sent = _token(nlp, "Tensions rose after the April 22 attack in the valley.", "attack")
    found = when.event_date(token, sent, PUBLISHED)
    assert (found.date, found.source) == (dt.date(2025, 4, 22), "stated")


def test_a_prepositional_date_dates_the_verb(nlp):
    token, sent = _token(nlp, "The two countries signed the accord on May 10 in Geneva.", "signed")
    assert when.event_date(token, sent, PUBLISHED).date == dt.date(2025, 5, 10)


def test_a_weekday_is_the_last_one_before_publication(nlp):
    token, sent = _token(nlp, "Police arrested six men on Saturday.", "arrested")
    found = when.event_date(token, sent, PUBLISHED)
    assert found.date == dt.date(2025, 5, 17)
    assert found.source == "relative"


def test_another_clauses_date_is_not_the_events_date(nlp):
    token, sent = _token(nlp, "The ministers met amid tensions that followed the attack of April 22.", "met")
    assert when.event_date(token, sent, PUBLISHED).source == "published"


def test_a_date_in_what_the_object_is_said_to_be_dates_the_event(nlp):
    token, sent = _token(nlp, "Turkish jets bombed what Ankara described as militant hideouts in northern Iraq on "
                              "Friday.", "bombed")
    assert when.event_date(token, sent, PUBLISHED).date == dt.date(2025, 5, 16)
    # a relative clause's time stays its own
    token, sent = _token(nlp, "Chile accused Peru's envoy, who said he was in Lima on Sunday, of lying.", "accused")
    assert when.event_date(token, sent, PUBLISHED).source == "published"


def test_an_event_without_a_date_gets_the_publication_date(nlp):
    token, sent = _token(nlp, "The minister condemned the killings.", "condemned")
    found = when.event_date(token, sent, PUBLISHED)
    assert (found.date, found.source) == (PUBLISHED, "published")


def test_a_duration_before_a_dated_end_gives_a_range(nlp):
    text = "The war ended with a truce on May 10 after four days of fighting."
    token, sent = _token(nlp, text, "fighting")
    found = when.event_date(token, sent, PUBLISHED)
    assert found.enddate == dt.date(2025, 5, 10)
    assert found.date == dt.date(2025, 5, 7)


def test_a_yearless_date_after_publication_moves_back_a_year(nlp):
    token, sent = _token(nlp, "Rebels seized the town on December 30.", "seized")
    assert when.event_date(token, sent, dt.date(2025, 1, 5)).date == dt.date(2024, 12, 30)


@pytest.mark.parametrize("text, precision", [("in March 2024", "month"), ("in 2019", "year"), ("on 3 March 2024", "day"),
                                             ("last month", "month"), ("earlier this year", "year")])
def test_dates_carry_their_precision(text, precision):
    found = when.read_date(text, PUBLISHED)
    assert found is not None and found.precision == precision


@pytest.mark.parametrize("text, expected", [
    ("yesterday", "2025-05-20"), ("last night", "2025-05-20"), ("on Wednesday", "2025-05-21"),
    ("Oct. 3", "2024-10-03"), ("the first of May", "2025-05-01"), ("in mid-April", "2025-04-11"),
    ("on Christmas Eve", "2024-12-24"), ("last year", "2024-01-01"),
    # PUBLISHED is 2025-05-21: "last May" is a year back, "next May" a year on; a comma before the year
    ("last May", "2024-05-01"), ("last October", "2024-10-01"), ("next May", "2026-05-01"),
    ("next June", "2025-06-01"), ("in March, 2018", "2018-03-01"),
])
def test_news_date_expressions(text, expected):
    assert when.read_date(text, PUBLISHED).date.isoformat() == expected


def test_a_range_gives_a_start_and_an_end():
    found = when.read_date("from December 16 to 18", dt.date(2025, 1, 8))
    assert (found.date.isoformat(), found.enddate.isoformat()) == ("2024-12-16", "2024-12-18")


def test_the_previous_day_counts_from_the_sentences_other_date(nlp):
    token, sent = _token(nlp, "The army said on Tuesday that it had repelled an attack the previous day.", "repelled")
    assert when.event_date(token, sent, PUBLISHED).date == dt.date(2025, 5, 19)


def test_a_year_in_a_name_is_not_the_events_date(nlp):
    token, sent = _token(nlp, "India suspended the 1960 Indus Waters Treaty on April 23.", "suspended")
    assert when.event_date(token, sent, PUBLISHED).date == dt.date(2025, 4, 23)


@pytest.mark.parametrize("text, start, end", [
    ("the 1990s", dt.date(1990, 1, 1), dt.date(1999, 12, 31)),
    ("the early 1980s", dt.date(1980, 1, 1), dt.date(1983, 12, 31)),
    ("the late 1970s", dt.date(1976, 1, 1), dt.date(1979, 12, 31)),
])
def test_a_decade_is_a_range_of_years(text, start, end):
    found = when.read_date(text, PUBLISHED)
    assert (found.date, found.enddate, found.precision) == (start, end, "year")


def test_a_decade_that_opens_the_sentence_dates_its_event(nlp):
    token, sent = _token(nlp, "In the 1990s, the government began confiscating land from farmers.", "confiscating")
    assert when.event_date(token, sent, PUBLISHED).date == dt.date(1990, 1, 1)


def test_a_day_written_on_another_event_dates_an_event_with_none_of_its_own(nlp):
    token, sent = _token(nlp, "As a result of Saturday's riots, forty people were arrested.", "arrested")
    found = when.event_date(token, sent, PUBLISHED)
    assert (found.date, found.source) == (dt.date(2025, 5, 17), "relative")


def test_a_day_an_event_is_set_after_is_not_its_date(nlp):
    token, sent = _token(nlp, "Police arrested two men after Monday's bombing.", "arrested")
    assert when.event_date(token, sent, PUBLISHED).source == "published"


def test_a_month_written_on_a_coming_event_is_not_the_sentences_date(nlp):
    token, sent = _token(nlp, "The minister accused rivals of stoking unrest ahead of February's election.", "accused")
    assert when.event_date(token, sent, PUBLISHED).source == "published"


def test_a_when_clause_happens_at_the_time_of_the_clause_it_hangs_off(nlp):
    token, sent = _token(nlp, "Violence broke out in Lima on Saturday when thousands of Peruvians rallied.", "rallied")
    assert when.event_date(token, sent, PUBLISHED).date == dt.date(2025, 5, 17)


def _events(text, published="2025-05-21"):
    import diurna
    return diurna.code_text(text, published=published, min_confidence=0)


def test_a_past_event_with_no_date_continues_the_story_of_the_sentence_before():
    event, = _events("The Zambian opposition won the election in 2008. "
                     "The Zambian president then agreed to share power with the opposition.")
    assert (str(event.date), event.date_precision, event.date_source) == ("2008-01-01", "year", "story")


def test_a_new_paragraph_does_not_continue_the_time_of_the_last():
    event, = _events("The Zambian opposition won the election in 2008.\n\n"
                     "The Zambian president agreed to share power with the opposition.")
    assert (str(event.date), event.date_source) == ("2025-05-21", "published")


def test_a_time_set_for_something_still_to_happen_dates_nothing_after_it():
    events = _events("The Zambian opposition party called on its members to hold vigils on Sunday. "
                     "Its leader accused the Zambian government of repression.")
    accuse = next(e for e in events if e.event_type == "ACCUSE")
    assert (str(accuse.date), accuse.date_source) == ("2025-05-21", "published")


def test_a_present_perfect_keeps_the_reports_day():
    events = _events("Zambian police arrested the Malawian suspect on Friday. "
                     "The Malawian government has criticised the Zambian police.")
    accuse = next(e for e in events if e.event_type == "ACCUSE")
    assert accuse.date_source == "published"


def test_hours_of_a_day_the_sentence_does_not_name_take_the_storys_day():
    events = _events("Thousands of Zambian opposition supporters protested in Lusaka on Saturday. The march was "
                     "peaceful at first, but clashes with Zambian police broke out by the evening hours.")
    clash = next(e for e in events if e.trigger == "clashes")
    assert (str(clash.date), clash.date_source) == ("2025-05-17", "story")


def test_a_day_without_a_year_is_of_the_year_its_paragraph_just_named():
    events = _events("The Zambian army moved against the government on November 15, 2023. "
                     "The Zambian president resigned on November 21.", published="2025-05-21")
    resign = next(e for e in events if e.trigger == "resigned")
    assert str(resign.date) == "2023-11-21"


def test_a_day_without_a_year_in_a_new_paragraph_is_the_last_one_before_the_report():
    events = _events("The Zambian army moved against the government on November 15, 2023.\n\n"
                     "The Zambian president resigned on November 21.", published="2025-05-21")
    resign = next(e for e in events if e.trigger == "resigned")
    assert str(resign.date) == "2024-11-21"
