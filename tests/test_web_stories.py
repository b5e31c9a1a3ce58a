"""Stories over HTTP (FastAPI's test client): the paged list with its filters, one story with its
articles, unique events and timeline, the pages, the article page's link to its story, and a title
carrying a <script> shown as text."""
from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from diurna import stories
from diurna.models import Article, Entity, Event, Sentence
from diurna.store import Store, codec
from diurna.web import create_app

EVIL = "<script>alert('x')</script>"


def article(url: str, title: str, text: str, published: dt.date, site: str) -> Article:
    return Article(id=url, text=text, title=title, url=url, site=site, published=published,
                   sentences=[Sentence(0, 0, len(text), text)])


def event(art: Article, kind: str, trigger: str, actor: str, recipient: str, day: dt.date) -> Event:
    text = art.text
    t, a, r = text.index(trigger), text.index(actor), text.index(recipient)
    code = {"India": "IND", "Pakistan": "PAK", "Kyrgyzstan": "KGZ", "Tajikistan": "TJK"}
    return Event(doc_id=art.id, event_type=kind, sentence=0, start=0, end=len(text), event_text=text, trigger=trigger,
                 trigger_start=t, trigger_end=t + len(trigger),
                 actor=[Entity(code[actor], "GOV", actor, a, a + len(actor))],
                 recipient=[Entity(code[recipient], "GOV", recipient, r, r + len(recipient))],
                 cameo="057", goldstein=8.0, quad_code=1, confidence=0.6, coder="test/1", date=day,
                 date_source="stated")


@pytest.fixture
def db(tmp_path):
    """Two reports of one India-Pakistan ceasefire (one title carries a <script>), and another story."""
    day = dt.date(2025, 5, 10)
    one = article("https://wire.example/ceasefire", f"Ceasefire agreed {EVIL}",
                  "India and Pakistan agreed to a ceasefire on Saturday.", day, "wire.example")
    two = article("https://paper.example/truce", "Truce holds on the border",
                  "Pakistan and India agreed a ceasefire on Saturday, officials said.", dt.date(2025, 5, 11),
                  "paper.example")
    other = article("https://news.example/kgz", "Border talks in Batken",
                    "Kyrgyzstan met Tajikistan for border talks in Batken.", dt.date(2025, 3, 2), "news.example")
    path = tmp_path / "stories.db"
    with Store.open(path) as store:
        store.add(one, [event(one, "AGREE", "agreed", "India", "Pakistan", day)])
        store.add(two, [event(two, "AGREE", "agreed", "Pakistan", "India", day)])
        store.add(other, [event(other, "CONSULT", "met", "Kyrgyzstan", "Tajikistan", dt.date(2025, 3, 2))])
    return path


@pytest.fixture
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def stored_id(url: str, text: str) -> str:
    return codec.article_id(url, codec.content_hash(text))


def test_stories_are_listed_latest_first_with_counts_and_a_total(client):
    page = client.get("/api/stories").json()
    assert page["total"] == 2 and [s["articles"] for s in page["stories"]] == [2, 1]
    first = page["stories"][0]
    assert first["events"] == 1 and first["first_date"] == "2025-05-10" and first["last_date"] == "2025-05-11"
    assert client.get("/api/stories", params={"limit": 1, "offset": 1}).json()["stories"][0]["title"] == \
        "Border talks in Batken"


@pytest.mark.parametrize("params, titles", [
    ({"since": "2025-05-01"}, ["Ceasefire agreed"]),
    ({"until": "2025-04-01"}, ["Border talks in Batken"]),
    ({"q": "BATKEN"}, ["Border talks in Batken"]),
    ({"q": "50%_"}, []),
    ({"country": "pak"}, ["Ceasefire agreed"]),
    ({"country": "TJK"}, ["Border talks in Batken"]),
])
def test_stories_filter_by_dates_title_words_and_country(client, params, titles):
    found = client.get("/api/stories", params=params).json()
    assert [s["title"].split(" <")[0] for s in found["stories"]] == titles and found["total"] == len(titles)


@pytest.mark.parametrize("params", [{"since": "yesterday"}, {"limit": "0"}, {"offset": "-1"}, {"q": "x" * 500}])
def test_a_bad_story_filter_is_a_422_naming_it(client, params):
    response = client.get("/api/stories", params=params)
    assert response.status_code == 422 and list(params)[0] in response.text


def test_one_story_has_its_articles_its_unique_events_and_a_timeline(client):
    story_id = client.get("/api/stories").json()["stories"][0]["id"]
    story = client.get(f"/api/stories/{story_id}").json()
    assert [a["published"] for a in story["articles"]] == ["2025-05-10", "2025-05-11"]
    (ceasefire,) = story["events"]
    assert ceasefire["event"] == ["AGREE"] and (ceasefire["mentions"], ceasefire["articles"], ceasefire["sources"]) == (2, 2, 2)
    assert story["timeline"] == [{"date": "2025-05-10", "events": 1, "mentions": 2, "articles": 1},
                                 {"date": "2025-05-11", "events": 0, "mentions": 0, "articles": 1}]
    assert client.get("/api/stories/nope").status_code == 404


def test_the_story_page_lists_articles_and_events_and_escapes_a_script_title(client):
    story_id = client.get("/api/stories", params={"country": "IND"}).json()["stories"][0]["id"]
    html = client.get(f"/stories/{story_id}").text
    assert EVIL not in html and "&lt;script&gt;" in html
    assert html.count('data-testid="story-event"') == 1 and "2 mentions in 2 articles from 2 sources" in html
    assert "Truce holds on the border" in html and 'id="story-timeline"' in html
    assert '<script type="application/json" id="chart-data">' in html and "<script>alert" not in html
    assert "/static/stories.js" in html and "<script>" not in html.split('id="chart-data">')[1].split("</script>")[0]
    listing = client.get("/stories").text
    assert EVIL not in listing and listing.count('data-testid="story-row"') == 2
    assert client.get("/stories/nope", headers={"accept": "text/html"}).status_code == 404


def test_an_article_page_links_to_its_story(client, db):
    text = "Pakistan and India agreed a ceasefire on Saturday, officials said."
    article_id = stored_id("https://paper.example/truce", text)
    with Store.open(db) as store:
        story_id = stories.story_of(store, article_id)
    html = client.get(f"/articles/{article_id}").text
    assert f'href="/stories/{story_id}"' in html
