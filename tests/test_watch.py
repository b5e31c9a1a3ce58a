"""watch: conditional polling, only new links, backoff, state that survives a restart; no real clock."""
from __future__ import annotations

import datetime as dt
import hashlib
import sys
import time
from pathlib import Path

import pytest

from diurna import watch as watch_module
from diurna.errors import InputError
from diurna.fetch import Fetcher
from diurna.watch import (FeedState, MemoryFeedStates, StoreFeedStates, parse_interval, poll_once,
                          read_sources_file, watch)

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
from localweb import LocalWeb  # noqa: E402

START = dt.datetime(2025, 5, 21, 10, 0, tzinfo=dt.timezone.utc)
EVERY = 900.0


class Clock:
    """A fake clock: `sleep` moves it on, nothing waits."""

    def __init__(self, now: dt.datetime = START):
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> dt.datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += dt.timedelta(seconds=seconds)

    def advance(self, seconds: float) -> dt.datetime:
        self.now += dt.timedelta(seconds=seconds)
        return self.now


class Feed:
    """An RSS feed on a LocalWeb that answers conditional requests like a careful server."""

    def __init__(self, web: LocalWeb, path: str = "/feed"):
        self.web, self.path, self.items, self.status = web, path, [], 200
        web.route(path, handler=self.answer)

    @property
    def url(self) -> str:
        return self.web.url(self.path)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(" ".join(self.items).encode()).hexdigest()[:12] + '"'

    def answer(self, request):
        if self.status != 200:
            return self.status, {"Retry-After": "7200"} if self.status == 503 else {}, b"down"
        if request.headers.get("if-none-match") == self.etag:
            return 304, {"ETag": self.etag}, b""
        items = "".join(f"<item><title>{name}</title><link>{self.web.url('/a/' + name)}</link></item>"
                        for name in self.items)
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
        return 200, {"Content-Type": "application/rss+xml", "ETag": self.etag,
                     "Last-Modified": "Wed, 21 May 2025 09:00:00 GMT"}, body.encode()

    def polls(self) -> list:
        return [r for r in self.web.requests if r.path == self.path]


@pytest.fixture
def web():
    with LocalWeb() as server:
        yield server


@pytest.fixture
def fetcher():
    with Fetcher(allow_private=True) as f:
        yield f


@pytest.fixture(autouse=True)
def no_real_sleep(monkeypatch):
    def refuse(seconds):
        raise AssertionError("a test slept on the real clock")

    monkeypatch.setattr(time, "sleep", refuse)


def test_the_first_poll_yields_every_link_and_saves_the_validators(web, fetcher):
    feed = Feed(web)
    feed.items = ["talks", "truce"]
    states = MemoryFeedStates()
    links = poll_once([feed.url], states, START, fetcher, every=EVERY)
    assert [link.url for link in links] == [web.url("/a/talks"), web.url("/a/truce")]
    assert links[0].title == "talks" and links[0].source == feed.url
    state = states.get(feed.url)
    assert state.etag == feed.etag and state.last_modified == "Wed, 21 May 2025 09:00:00 GMT"
    assert state.last_polled == START and state.next_poll == START + dt.timedelta(seconds=EVERY)
    assert state.failures == 0 and state.last_error is None


def test_a_listing_not_yet_due_is_not_asked(web, fetcher):
    feed = Feed(web)
    feed.items = ["talks"]
    states = MemoryFeedStates()
    poll_once([feed.url], states, START, fetcher, every=EVERY)
    assert poll_once([feed.url], states, START + dt.timedelta(seconds=60), fetcher, every=EVERY) == []
    assert len(feed.polls()) == 1


def test_an_unchanged_listing_answers_304_to_the_conditional_request_and_yields_nothing(web, fetcher):
    feed = Feed(web)
    feed.items = ["talks"]
    states = MemoryFeedStates()
    poll_once([feed.url], states, START, fetcher, every=EVERY)
    later = START + dt.timedelta(seconds=EVERY)
    assert poll_once([feed.url], states, later, fetcher, every=EVERY) == []
    last = feed.polls()[-1]
    assert last.headers["if-none-match"] == feed.etag
    assert last.headers["if-modified-since"] == "Wed, 21 May 2025 09:00:00 GMT"
    state = states.get(feed.url)
    assert state.last_polled == later and state.next_poll == later + dt.timedelta(seconds=EVERY)
    assert state.etag == feed.etag


def test_a_changed_listing_yields_only_the_links_not_yet_known(web, fetcher):
    feed = Feed(web)
    feed.items = ["talks", "truce"]
    states, stored = MemoryFeedStates(), set()
    stored.update(link.url for link in poll_once([feed.url], states, START, fetcher, every=EVERY))
    feed.items = ["accord", "talks", "truce"]
    links = poll_once([feed.url], states, START + dt.timedelta(seconds=EVERY), fetcher, every=EVERY,
                      known=stored.__contains__)
    assert [link.url for link in links] == [web.url("/a/accord")]
    assert states.get(feed.url).etag == feed.etag


def test_a_failing_site_is_backed_off_exponentially_and_recovers(web, fetcher):
    feed = Feed(web)
    feed.items, feed.status = ["talks"], 500
    states, clock = MemoryFeedStates(), Clock()
    poll_once([feed.url], states, clock(), fetcher, every=EVERY)
    state = states.get(feed.url)
    assert state.failures == 1 and "HTTP 500" in state.last_error
    assert state.next_poll == START + dt.timedelta(seconds=2 * EVERY)
    poll_once([feed.url], states, clock.advance(EVERY), fetcher, every=EVERY)  # not due: not asked
    assert len(feed.polls()) == 1
    poll_once([feed.url], states, clock.advance(EVERY), fetcher, every=EVERY)
    state = states.get(feed.url)
    assert state.failures == 2 and state.next_poll == clock() + dt.timedelta(seconds=4 * EVERY)
    feed.status = 200
    links = poll_once([feed.url], states, clock.advance(4 * EVERY), fetcher, every=EVERY)
    assert [link.url for link in links] == [web.url("/a/talks")]
    state = states.get(feed.url)
    assert state.failures == 0 and state.last_error is None
    assert state.next_poll == clock() + dt.timedelta(seconds=EVERY)


def test_backoff_is_capped_and_honours_retry_after(web, fetcher):
    feed = Feed(web)
    feed.status = 503  # with Retry-After: 7200
    states = MemoryFeedStates([FeedState(feed.url, failures=9)])
    poll_once([feed.url], states, START, fetcher, every=EVERY, max_backoff=6 * 3600)
    assert states.get(feed.url).next_poll == START + dt.timedelta(hours=6)
    states = MemoryFeedStates()
    poll_once([feed.url], states, START, fetcher, every=EVERY)
    assert states.get(feed.url).next_poll == START + dt.timedelta(seconds=7200)


def test_one_failing_site_does_not_stop_the_others(web, fetcher):
    good, bad = Feed(web, "/good"), Feed(web, "/bad")
    good.items, bad.status = ["talks"], 404
    web.page("/page", "<html><body>not a feed</body></html>")
    states = MemoryFeedStates()
    links = poll_once([bad.url, web.url("/page"), good.url], states, START, fetcher, every=EVERY)
    assert [link.url for link in links] == [web.url("/a/talks")]
    assert states.get(bad.url).failures == 1
    assert "not a feed or sitemap" in states.get(web.url("/page")).last_error


def test_a_restarted_watcher_resumes_from_the_saved_state(web, tmp_path):
    from diurna.store import Store

    feed = Feed(web)
    feed.items = ["talks"]
    db = tmp_path / "watch.db"
    with Store.open(db) as store, Fetcher(allow_private=True) as first:
        assert len(poll_once([feed.url], StoreFeedStates(store), START, first, every=EVERY)) == 1
        saved = store.feed_state(feed.url)
    assert saved.etag == feed.etag and saved.next_poll.replace(tzinfo=dt.timezone.utc) == START + dt.timedelta(seconds=EVERY)
    # a new process: new connections, the state read back from the database
    with Store.open(db) as store, Fetcher(allow_private=True) as second:
        later = START + dt.timedelta(seconds=EVERY)
        assert poll_once([feed.url], StoreFeedStates(store), later, second, every=EVERY) == []
    assert feed.polls()[-1].headers["if-none-match"] == feed.etag


def test_state_is_saved_only_after_ingest_takes_the_links(web, fetcher):
    feed = Feed(web)
    feed.items = ["talks"]
    states = MemoryFeedStates()

    def broken_ingest(links):
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        poll_once([feed.url], states, START, fetcher, every=EVERY, ingest=broken_ingest)
    assert states.get(feed.url) is None  # so the next poll asks again, unconditionally
    taken = []
    poll_once([feed.url], states, START, fetcher, every=EVERY, ingest=taken.extend)
    assert [link.url for link in taken] == [web.url("/a/talks")]


def test_a_sitemap_index_is_followed_when_polled(web, fetcher):
    index = (f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>'
             f'{web.url("/news.xml")}</loc></sitemap></sitemapindex>')
    news = (f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{web.url("/a/talks")}'
            f'</loc></url></urlset>')
    web.route("/index.xml", index, content_type="application/xml")
    web.route("/news.xml", news, content_type="application/xml")
    links = poll_once([web.url("/index.xml")], MemoryFeedStates(), START, fetcher, every=EVERY)
    assert [link.url for link in links] == [web.url("/a/talks")]


def test_the_loop_polls_ingests_and_sleeps_on_the_given_clock(web, fetcher):
    feed = Feed(web)
    feed.items = ["talks"]
    clock, ingested = Clock(), []

    def ingest(links):
        ingested.extend(links)
        feed.items = feed.items + [f"story{len(feed.items)}"]  # the site publishes between polls

    total = watch([feed.url], MemoryFeedStates(), fetcher, ingest, every=EVERY, clock=clock, sleep=clock.sleep,
                  rounds=3, known=lambda url: url in {link.url for link in ingested})
    assert total == len(ingested) == 3
    assert clock.slept == [EVERY, EVERY]
    assert [link.url for link in ingested] == [web.url("/a/talks"), web.url("/a/story1"), web.url("/a/story2")]


def test_the_loop_wakes_for_the_next_listing_due(web, fetcher):
    feed = Feed(web)
    feed.items = ["talks"]
    clock = Clock()
    states = MemoryFeedStates([FeedState(feed.url, next_poll=START + dt.timedelta(seconds=120))])
    watch([feed.url], states, fetcher, lambda links: None, every=EVERY, clock=clock, sleep=clock.sleep, rounds=2)
    assert clock.slept == [120.0]
    assert len(feed.polls()) == 1


def test_a_sources_file_lists_urls_with_comments(tmp_path):
    path = tmp_path / "sources.txt"
    path.write_text("# world news\nhttps://courier.example/rss\n\n  https://herald.example/sitemap.xml  # news\n"
                    "https://courier.example/rss\n", encoding="utf-8")
    assert read_sources_file(path) == ["https://courier.example/rss", "https://herald.example/sitemap.xml"]
    path.write_text("https://courier.example/rss\nftp://files.example/list\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"sources.txt:2: not an http\(s\) URL"):
        read_sources_file(path)


@pytest.mark.parametrize("text, seconds", [("15m", 900), ("90s", 90), ("1h30m", 5400), ("2d", 172800),
                                           ("600", 600), ("0.5h", 1800)])
def test_intervals_read_like_people_write_them(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "15x", "0m", "15m later"])
def test_bad_intervals_are_input_errors(text):
    with pytest.raises(InputError):
        parse_interval(text)


def test_feed_state_round_trips_through_a_row():
    state = FeedState("https://x.example/rss", '"e"', "Wed, 21 May 2025 09:00:00 GMT", START,
                      START + dt.timedelta(hours=1), 2, "HTTP 500")
    row = state.to_row()
    assert set(row) == {"url", "etag", "last_modified", "last_polled", "next_poll", "failures", "last_error"}
    assert FeedState.from_row(row) == state
    assert FeedState.from_row({**row, "next_poll": START.replace(tzinfo=None)}).next_poll == START


def test_public_api_is_what_it_should_be():
    assert set(watch_module.__all__) == {"FeedState", "FeedStates", "MemoryFeedStates", "StoreFeedStates",
                                         "poll_once", "watch", "read_sources_file", "parse_interval",
                                         "DEFAULT_EVERY", "MAX_BACKOFF"}
