"""`diurna stories`: the list, one story, and linking a database stored before stories existed
(click's test runner over a store the test writes)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from diurna import query
from diurna.cli import cli
from diurna.models import Article, Entity, Event
from diurna.store import Store


def report(url: str, title: str, text: str, site: str) -> tuple[Article, list[Event]]:
    art = Article(id=url, text=text, title=title, url=url, site=site, published=dt.date(2025, 5, 10))
    t = text.index("agreed")
    agreed = Event(doc_id=url, event_type="AGREE", sentence=0, start=0, end=len(text), event_text=text, trigger="agreed",
                   trigger_start=t, trigger_end=t + 6, actor=[Entity("IND", "GOV", "India")],
                   recipient=[Entity("PAK", "GOV", "Pakistan")], confidence=0.6, coder="test/1",
                   date=dt.date(2025, 5, 10), date_source="stated")
    return art, [agreed]


REPORTS = [report("https://wire.example/1", "Ceasefire [agreed]", "India and Pakistan agreed to a ceasefire.", "wire.example"),
           report("https://paper.example/2", "Truce on the border", "Pakistan and India agreed a truce today.", "paper.example")]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.db"
    with Store.open(path) as store:
        for art, events in REPORTS:
            store.add(art, events)
    return str(path)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_stories_lists_one_story_of_two_reports(db):
    result = run("stories", "--db", db, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    (story,) = [json.loads(line) for line in result.output.splitlines()]
    assert (story["articles"], story["events"]) == (2, 1)
    table = run("stories", "--db", db)
    assert table.exit_code == 0 and story["id"] in table.output and "Ceasefire [agreed]" in table.output


def test_stories_show_lists_the_articles_and_the_unique_event(db):
    story_id = json.loads(run("stories", "--db", db, "--format", "jsonl").output)["id"]
    shown = run("stories", "show", story_id, "--db", db)
    assert shown.exit_code == 0, shown.output
    assert "Truce on the border" in shown.output and "AGREE" in shown.output
    as_json = json.loads(run("stories", "show", story_id, "--db", db, "--format", "json").output)
    assert [e["mentions"] for e in as_json["events"]] == [2]


def test_an_unknown_story_is_a_usage_error(db):
    assert run("stories", "show", "nope", "--db", db).exit_code == 2


def test_stories_link_links_a_database_stored_before_stories(tmp_path):
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        store.link_stories = False
        for art, events in REPORTS:
            store.add(art, events)
    result = run("stories", "link", "--db", str(path))
    assert result.exit_code == 0 and "linked 2 articles" in result.output
    with Store.open(path) as store:
        assert query.count(store) == 1 and query.count(store, unique=False) == 2
    assert "linked 0 articles" in run("stories", "link", "--db", str(path)).output
