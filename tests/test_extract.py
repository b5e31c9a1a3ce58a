"""extract: HTML and copied page text become Articles with clean text, title, byline and date."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from diurna import extract as extract_module
from diurna.errors import ExtractError
from diurna.extract import clean_page_text, extract, extract_record, parse_date_text, strip_site_name
from diurna.extract.metadata import PageMeta, choose_date, choose_title, clean_byline
from diurna.models import Document
from diurna.sources import read_sources

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
D = dt.date


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("DIURNA_TODAY", "2025-06-01")


def load(name: str) -> Document:
    (doc,) = read_sources([str(FIXTURES / name)])
    assert isinstance(doc, Document), doc
    return doc


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# ---- HTML pages


def test_html_article_text_leaves_out_navigation_ads_and_footer():
    article = extract(load("harbour_strike.html"))
    assert article.text.startswith("Dock workers at the port of Vellmar")
    assert article.text.endswith("until the queue was cleared.")
    for chrome in ("Subscribe", "Ferry tickets", "Advertisement", "All rights reserved", "cookies", "Related"):
        assert chrome not in article.text
    assert len(paragraphs(article.text)) == 5


def test_html_title_loses_the_site_name_and_byline_comes_from_metadata():
    article = extract(load("harbour_strike.html"))
    assert article.title == "Harbour workers end strike after pay deal"
    assert article.byline == "Mira Solberg"


def test_html_published_time_is_the_page_date_not_the_update():
    article = extract(load("harbour_strike.html"))
    assert (article.published, article.published_source) == (D(2025, 3, 14), "page")


def test_html_page_date_beats_the_published_flag():
    article = extract(load("harbour_strike.html"), published=D(2025, 1, 1))
    assert article.published_source == "page"


def test_html_without_any_date_falls_back_to_the_flag_then_today():
    doc = load("library_reopens.html")
    assert extract(doc, published=D(2025, 4, 2)).published_source == "flag"
    article = extract(doc)
    assert (article.published, article.published_source) == (D(2025, 6, 1), "today")
    assert article.title == "Old town library reopens with longer hours"
    assert article.byline == "Pavel Ostrander"
    assert "newsletter" not in article.text and "Most read" not in article.text


def test_html_in_a_declared_latin1_charset_comes_through_readable():
    article = extract(load("cafe_protest_latin1.html"))
    assert "Zürich" in article.text and "5°C" in article.text and "crème brûlée" in article.text
    assert article.title == "Café owners in Sankt Gallen protest against rent rises"
    assert (article.published, article.published_source) == (D(2024, 11, 2), "page")


def test_html_without_a_trafilatura_body_falls_back_to_visible_paragraphs(monkeypatch):
    monkeypatch.setattr("trafilatura.bare_extraction", lambda *a, **k: None)
    html = ("<html><body><nav><p>Home</p></nav><p>The ferry sails again on Monday.</p>"
            "<footer><p>Contact us</p></footer><p>Tickets are sold at the pier.</p></body></html>")
    article = extract(Document(id="p", html=html))
    assert article.text == "The ferry sails again on Monday.\n\nTickets are sold at the pier."


def test_html_with_no_text_at_all_is_an_extract_error():
    with pytest.raises(ExtractError):
        extract(Document(id="p", html="<html><body><script>var a = 1;</script><nav>Home</nav></body></html>"))


def test_document_fields_are_carried_onto_the_article():
    doc = Document(id="x", text="Talks resumed in the capital on Monday.", url="https://example.org/x",
                   title="Given title", dyad=("Norland", "Sudmark"), origin="batch.jsonl:3")
    article = extract(doc)
    assert (article.id, article.url, article.title, article.dyad, article.origin) == (
        "x", "https://example.org/x", "Given title", ("Norland", "Sudmark"), "batch.jsonl:3")


# ---- text copied off a page


def test_copied_page_headline_byline_and_date_are_found():
    page = clean_page_text((FIXTURES / "copied_floods.txt").read_text(encoding="utf-8"))
    assert page.title == "Floodwaters recede in river delta as relief convoys arrive"
    assert page.byline == "Staff Reporter"
    assert page.date_text == "Mar 3"


def test_copied_page_body_drops_chrome_at_start_inside_and_end():
    article = extract(load("copied_floods.txt"))
    assert article.text.startswith("Relief convoys reached")
    assert article.text.endswith("by the weekend.")
    for chrome in ("Menu", "Search", "Staff Reporter", "Mar 3", "Advertisement", "Also read", "Related",
                   "Comments", "Read more", "Share", "Delta farmers"):
        assert chrome not in article.text
    assert "Floodwaters recede" not in article.text  # the headline is a field, not body text


def test_copied_page_whitespace_lines_collapse_to_one_paragraph_break():
    text = extract(load("copied_floods.txt")).text
    assert "\n\n\n" not in text and "\u00a0" not in text
    assert len(paragraphs(text)) == 4


def test_copied_page_with_single_newlines_and_a_cookie_notice():
    article = extract(load("copied_tariffs.txt"))
    assert article.title == "Textile exporters win reprieve as tariff talks are extended"
    assert article.byline == "Kamal Haddad and Sofia Reyes"
    assert (article.published, article.published_source) == (D(2025, 5, 21), "page")
    assert len(paragraphs(article.text)) == 3
    for chrome in ("cookies", "Follow us", "Tags:", "Subscribe", "Comments 0", "Skip to content", "\r"):
        assert chrome not in article.text


def test_plain_prose_comes_through_unchanged_but_for_blank_lines():
    raw = (FIXTURES / "prose.txt").read_text(encoding="utf-8")
    article = extract(Document(id="prose", text=raw))
    assert article.text == (
        "The village council met on Thursday evening to discuss the repair of the\n"
        "old stone bridge, which has been closed to cars since the spring floods.\n\n"
        "Council members agreed to ask the province for an emergency grant. The\n"
        "engineer's report put the cost of the work at about two hundred thousand.\n\n"
        "Work could begin in the autumn if the money arrives in time."
    )
    assert article.title == "" and article.byline == ""


def test_one_line_without_a_final_stop_is_the_text_not_a_headline():
    line = "Fidel Castro refused to meet the US president when he visited Cuba in March 2016"
    article = extract(Document(id="one", text=line))
    assert article.text == line and article.title == ""


def test_text_of_only_chrome_is_an_extract_error():
    with pytest.raises(ExtractError):
        extract(Document(id="c", text="Search\n\nHome\n\nRelated\n\nComments\n\n0\n\nRead more"))


@pytest.mark.parametrize(
    "line, byline",
    [("By Ann Lee", "Ann Lee"), ("BY ANN LEE", "ANN LEE"), ("Reuters", "Reuters"), ("News Desk", "News Desk"),
     ("Ann Lee | Staff Reporter", "Ann Lee, Staff Reporter"), ("Web Desk", "Web Desk")],
)
def test_bylines_are_recognised_under_the_headline(line, byline):
    text = f"Council approves the new harbour budget\n\n{line}\n\nThe council voted on Monday to approve it."
    page = clean_page_text(text)
    assert page.byline == byline
    assert page.body == "The council voted on Monday to approve it."


@pytest.mark.parametrize(
    "prose",
    [
        "By Monday, the army had withdrawn from the town.\n\nShops opened again on Tuesday.",
        "Share prices fell sharply on Monday.\n\nAdvertising revenue fell by a fifth in the quarter.",
        "Talks resume in Geneva\nThe two sides met on Monday and agreed to meet again.",
    ],
)
def test_prose_that_resembles_chrome_or_a_byline_is_kept(prose):
    page = clean_page_text(prose)
    assert (page.title, page.byline, page.body) == ("", "", prose)


def test_a_headline_ending_in_today_is_not_a_date_line():
    page = clean_page_text("Ministers meet on water sharing today\n\nBy Ann Lee\n\nThe ministers met in the capital.")
    assert (page.title, page.byline, page.date_text) == ("Ministers meet on water sharing today", "Ann Lee", "")


def test_dateline_in_the_first_paragraph_gives_the_date():
    page = clean_page_text("GENEVA, May 21 (Reuters) - Talks resumed on Wednesday between the two sides.")
    assert page.date_text == "May 21"
    assert page.body.startswith("GENEVA, May 21")


# ---- publication date precedence


def test_date_without_a_year_gets_the_most_recent_such_date(monkeypatch):
    doc = Document(id="d", text="Harbour reopens after the storm\n\nMay 21\n\nThe harbour reopened today.")
    article = extract(doc)
    assert (article.published, article.published_source) == (D(2025, 5, 21), "inferred")
    assert article.date_inferred
    monkeypatch.setenv("DIURNA_TODAY", "2025-05-01")
    assert extract(doc).published == D(2024, 5, 21)


def test_published_flag_beats_an_inferred_date():
    doc = Document(id="d", text="Harbour reopens after the storm\n\nMay 21\n\nThe harbour reopened today.")
    article = extract(doc, published=D(2025, 5, 22))
    assert (article.published, article.published_source) == (D(2025, 5, 22), "flag")


def test_page_date_with_a_year_beats_the_flag():
    doc = Document(id="d", text="Harbour reopens after the storm\n\n21 May 2024\n\nThe harbour reopened today.")
    article = extract(doc, published=D(2025, 5, 22))
    assert (article.published, article.published_source) == (D(2024, 5, 21), "page")


@pytest.mark.parametrize("value", ["2025-04-30", "2025-04-30T22:15:00+02:00", "30 April 2025", "April 30, 2025"])
def test_input_published_field_beats_everything(value):
    doc = Document(id="d", text="Harbour reopens after the storm\n\n21 May 2024\n\nThe harbour reopened today.",
                   published=value)
    article = extract(doc, published=D(2025, 5, 22))
    assert (article.published, article.published_source) == (D(2025, 4, 30), "input")


def test_input_published_field_beats_an_html_page_date():
    doc = load("harbour_strike.html")
    doc.published = "2025-03-20"
    assert extract(doc).published_source == "input"


def test_unreadable_input_published_field_is_passed_over():
    doc = Document(id="d", text="The harbour reopened today.", published="not a date at all")
    assert extract(doc).published_source == "today"


def test_page_date_more_than_a_day_after_today_is_not_a_publication_date():
    doc = Document(id="d", text="Harbour reopens after the storm\n\n21 July 2025\n\nThe harbour reopened today.")
    assert extract(doc).published_source == "today"


def test_no_date_anywhere_is_today():
    article = extract(Document(id="d", text="The harbour reopened after the storm."))
    assert (article.published, article.published_source) == (D(2025, 6, 1), "today")


@pytest.mark.parametrize(
    "text, today, expected, has_year",
    [
        ("May 21", D(2025, 6, 1), D(2025, 5, 21), False),
        ("May 21", D(2025, 5, 1), D(2024, 5, 21), False),
        ("21 May", D(2025, 6, 1), D(2025, 5, 21), False),
        ("Wed, 21 May 2025 10:32 PKT", D(2025, 6, 1), D(2025, 5, 21), True),
        ("Published: March 3rd, 2024", D(2025, 6, 1), D(2024, 3, 3), True),
        ("2025-02-14", D(2025, 6, 1), D(2025, 2, 14), True),
        ("Updated 3 hours ago", D(2025, 6, 1), D(2025, 6, 1), False),
        ("Updated 2 days ago", D(2025, 6, 1), D(2025, 5, 30), False),
        ("Feb 29", D(2025, 6, 1), D(2024, 2, 29), False),
        ("June 1", D(2025, 6, 1), D(2025, 6, 1), False),
        ("June 2", D(2025, 6, 1), D(2024, 6, 2), False),
    ],
)
def test_parse_date_text(text, today, expected, has_year):
    found = parse_date_text(text, today)
    assert (found.date, found.has_year) == (expected, has_year)


def test_parse_date_text_refuses_a_dated_future():
    assert parse_date_text("3 June 2025", D(2025, 6, 1)) is None
    assert parse_date_text("2 June 2025", D(2025, 6, 1)).date == D(2025, 6, 2)  # a day ahead: time zones


def test_date_parsing_asks_dateparser_for_english_only(monkeypatch):
    import dateparser

    seen = []
    real = dateparser.parse

    def spy(*args, **kwargs):
        seen.append(kwargs.get("languages"))
        return real(*args, **kwargs)

    monkeypatch.setattr(dateparser, "parse", spy)
    parse_date_text("21 May 2025", D(2025, 6, 1))
    extract(Document(id="d", text="Words here.", published="30 April 2025"))
    assert seen and all(langs == ["en"] for langs in seen)


# ---- titles


@pytest.mark.parametrize(
    "title, sitename, url, expected",
    [
        ("Rains flood the old city | The Daily Ledger", None, None, "Rains flood the old city"),
        ("Rains flood the old city - The Daily Ledger", None, None, "Rains flood the old city"),
        ("Rains flood the old city – Ledger Online", "Ledger Online", None, "Rains flood the old city"),
        ("Ledger | Rains flood the old city", "Ledger", None, "Rains flood the old city"),
        ("Rains flood the old city - ledger.example", None, "https://www.ledger.example/a", "Rains flood the old city"),
        ("Pakistan-India talks resume in Geneva", None, None, "Pakistan-India talks resume in Geneva"),
        ("Talks resume - what we know so far", None, None, "Talks resume - what we know so far"),
    ],
)
def test_strip_site_name(title, sitename, url, expected):
    assert strip_site_name(title, sitename, url) == expected


def test_public_names():
    assert set(extract_module.__all__) >= {"extract", "extract_record", "clean_page_text", "PageText"}


# ---- HTML metadata: headline, byline, date, site and language


def test_html_headline_is_the_article_h1_not_the_logo_h1_or_the_title_with_site_name():
    article = extract(load("ferry_resumes.html"))
    assert article.title == "Island ferry service resumes after three-day storm closure"


def test_html_published_date_beats_the_modified_date_the_page_also_shows():
    article = extract(load("ferry_resumes.html"))
    assert (article.published, article.published_source) == (D(2025, 4, 2), "page")


def test_html_json_ld_authors_are_joined_as_names():
    assert extract(load("ferry_resumes.html")).byline == "Ines Marlow and Tobias Wren"


def test_html_site_comes_from_og_site_name_and_language_from_the_text():
    article = extract(load("ferry_resumes.html"))
    assert (article.site, article.language) == ("The Coastal Courier", "en")


def test_html_without_any_date_gets_none_from_the_page():
    article = extract(load("bakery_no_date.html"))  # only copyright years in the footer
    assert article.published_source == "today"
    assert extract(load("bakery_no_date.html"), published=D(2025, 2, 1)).published_source == "flag"


def test_html_written_by_label_gives_the_byline_and_title_loses_the_site_name():
    article = extract(load("bakery_no_date.html"))
    assert article.byline == "Rosalind Achterberg"
    assert article.title == "How the old mill bakery keeps its sourdough alive"


def test_html_modified_date_alone_is_not_a_publication_date():
    article = extract(load("rapport_fr.html"))  # JSON-LD dateModified only, nothing displayed
    assert article.published_source == "today"


def test_html_french_page_is_french_and_meta_author_is_the_byline():
    article = extract(load("rapport_fr.html"))
    assert article.language == "fr"
    assert article.byline == "Camille Dufresne"
    assert article.title == "Le port reprend ses activités après la grève"


def test_html_dateline_under_the_headline_gives_the_date():
    article = extract(load("dateline_no_meta.html"))
    assert (article.published, article.published_source) == (D(2025, 3, 11), "page")


def test_html_date_in_the_url_path_when_the_page_shows_none():
    doc = load("bakery_no_date.html")
    doc.url = "https://millbrook.example/2024/10/08/old-mill-sourdough"
    assert (extract(doc).published, extract(doc).published_source) == (D(2024, 10, 8), "page")


def test_html_site_falls_back_to_the_host():
    doc = load("bakery_no_date.html")
    doc.url = "https://www.millbrook.example/notes/sourdough"
    assert extract(doc).site == "millbrook.example"


@pytest.mark.parametrize(
    "meta_title, h1s, expected",
    [
        ("Ferry service resumes | The Coastal Courier", ["Ferry service resumes"], "Ferry service resumes"),
        ("Courier: Ferry service resumes after storm", ["Ferry service resumes after storm"],
         "Ferry service resumes after storm"),
        # the visible headline wins over a differently worded og:title
        ("Ferries are back: what you need to know", ["Island ferry service resumes after storm closure"],
         "Island ferry service resumes after storm closure"),
        # of several <h1>, the one that matches the metadata title
        ("Ferry service resumes after storm", ["Travel", "Ferry service resumes after storm", "Comments"],
         "Ferry service resumes after storm"),
        # a one-word label sharing nothing with the title is not the headline
        ("Ferry service resumes after storm - Courier", ["Webcams"], "Ferry service resumes after storm"),
        ("", ["Title: Ferry service resumes"], "Ferry service resumes"),
    ],
)
def test_choose_title(meta_title, h1s, expected):
    meta = PageMeta(meta_title=meta_title, h1s=h1s, site="The Coastal Courier")
    assert choose_title(meta, "") == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("By Ann Lee", "Ann Lee"),
        ("Ann Lee; Ann Lee; Staff Writer", "Ann Lee"),
        ("Ann Lee Last updated Dec 3, 2025", "Ann Lee"),
        ("Ann Lee; On December 9", "Ann Lee"),
        ("Liz Kenny Former Trade Consultant", "Liz Kenny"),
        ("Omar Haddad; Trial Attorney; Haddad Partners", "Omar Haddad and Haddad Partners"),
        ("Ann Lee; Bo Chan; Cy Diaz", "Ann Lee, Bo Chan and Cy Diaz"),
        (["Kamal Haddad", "Sofia Reyes"], "Kamal Haddad and Sofia Reyes"),
        ("Kamal Haddad, Sofia Reyes and Lina Park", "Kamal Haddad, Sofia Reyes and Lina Park"),
        ("Tina Flint Huffman; Tina Huffman", "Tina Flint Huffman"),
        ("Ann Lee; The Coastal Courier", "Ann Lee"),  # the site's own name, when a person is named
        ("The Coastal Courier", "The Coastal Courier"),  # ...but kept when it is the only author
        ("Metro Desk", "Metro Desk"),
        ("Reuters", "Reuters"),
        ("Dec", ""),
        ("The Author", ""),
    ],
)
def test_clean_byline(raw, expected):
    assert clean_byline(raw, "The Coastal Courier") == expected


def _meta(**kwargs) -> PageMeta:
    return PageMeta(**kwargs)


@pytest.mark.parametrize(
    "meta, expected",
    [
        (_meta(published=[D(2025, 4, 2)], modified=[D(2025, 4, 5)], shown=[D(2025, 4, 5), D(2025, 4, 2)]),
         D(2025, 4, 2)),
        (_meta(modified=[D(2025, 4, 5)], shown=[D(2025, 4, 5)]), None),
        (_meta(header_dates=[D(2025, 3, 1)], header_updates=[D(2025, 4, 5)], published=[D(2024, 1, 1)]),
         D(2025, 3, 1)),
        (_meta(header_updates=[D(2025, 4, 5)], published=[D(2024, 1, 1)], shown=[D(2025, 4, 5)]), D(2025, 4, 5)),
        (_meta(published=[D(2024, 1, 1)]), D(2024, 1, 1)),
        (_meta(published=[D(2025, 7, 1)]), None),  # after today
        (_meta(url_date=D(2025, 2, 3)), D(2025, 2, 3)),
        (_meta(), None),
    ],
)
def test_choose_date(meta, expected):
    assert choose_date(meta, D(2025, 6, 1))[0] == expected


def test_extract_record_has_the_cli_fields():
    record = extract_record(extract(load("ferry_resumes.html")))
    assert list(record) == ["id", "url", "title", "byline", "published", "site", "language", "text"]
    assert record["published"] == "2025-04-02" and record["language"] == "en"
    assert record["text"].startswith("The first ferry to the northern islands")


def test_copied_text_gets_a_language_too():
    assert extract(load("copied_floods.txt")).language == "en"
