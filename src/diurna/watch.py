"""Watching: keep a store current from a list of feeds and sitemaps (`diurna watch SOURCES --every 15m`).

    sources = read_sources_file("sources.txt")          # one feed or sitemap URL a line, # comments
    links = poll_once(sources, states, now, fetcher)    # the new article links; states updated
    watch(sources, states, fetcher, ingest, every=900)  # poll, ingest, sleep, forever

Each poll asks every listing that is due with a conditional request (the ETag and Last-Modified
saved from its last answer): a 304 costs nothing and yields nothing. A changed listing yields the
article links that `known(url)` does not know yet (the store's "have I got this URL?"). A site
that fails is asked again after `every * 2**failures` (at most `max_backoff`, and no sooner than
its Retry-After), so a broken site is not hammered; one good answer resets it.

State lives behind `FeedStates` (`get(url)`, `save(state)`): `MemoryFeedStates` for tests,
`StoreFeedStates` over the store's `feeds` table. A listing's state is saved only after `ingest`
has taken its new links, so a watcher killed at any point and started again asks again for
anything it had not stored: nothing is lost. Times are aware UTC datetimes; no function here
reads the real clock or sleeps unless given `clock`/`sleep` that do.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Protocol

from .errors import DiurnaError, InputError
from .feeds import FeedError, Link, parse_listing
from .fetch import FetchError, Fetches, HTTPStatusError

__all__ = ["FeedState", "FeedStates", "MemoryFeedStates", "StoreFeedStates", "poll_once", "watch",
           "read_sources_file", "parse_interval", "DEFAULT_EVERY", "MAX_BACKOFF"]

log = logging.getLogger(__name__)

DEFAULT_EVERY = 15 * 60.0  # seconds: GDELT's cadence
MAX_BACKOFF = 24 * 3600.0  # a failing site is still asked once a day
MAX_CHILD_SITEMAPS = 50  # sitemaps read from one sitemap index per poll (news indexes list a few)
_MIN_SLEEP = 1.0


@dataclass(slots=True)
class FeedState:
    """What the watcher remembers of one listing; the fields are the store's `feeds` columns."""

    url: str
    etag: str | None = None
    last_modified: str | None = None  # the server's Last-Modified header, as it sent it
    last_polled: dt.datetime | None = None
    next_poll: dt.datetime | None = None
    failures: int = 0  # failures in a row; 0 after a good answer
    last_error: str | None = None

    def to_row(self) -> dict[str, Any]:
        """The state as column values (times as ISO 8601 text)."""
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in ("last_polled", "next_poll"):
            row[name] = row[name].isoformat() if row[name] is not None else None
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, Any] | Any) -> FeedState:
        """A state from a row: a mapping or an object with the column names; times as text or datetime."""
        get = row.get if isinstance(row, Mapping) else (lambda name, default=None: getattr(row, name, default))
        return cls(url=get("url"), etag=get("etag"), last_modified=get("last_modified"),
                   last_polled=_as_time(get("last_polled")), next_poll=_as_time(get("next_poll")),
                   failures=int(get("failures") or 0), last_error=get("last_error"))


class FeedStates(Protocol):
    """Where the watcher keeps its state (the store's `feeds` table, or memory)."""

    def get(self, url: str) -> FeedState | None: ...

    def save(self, state: FeedState) -> None: ...


class MemoryFeedStates:
    """FeedStates in a dict (tests, and runs without a store)."""

    def __init__(self, states: Iterable[FeedState] = ()):
        self.states: dict[str, FeedState] = {s.url: s for s in states}

    def get(self, url: str) -> FeedState | None:
        state = self.states.get(url)
        return FeedState.from_row(state.to_row()) if state else None  # a copy, as a database gives

    def save(self, state: FeedState) -> None:
        self.states[state.url] = FeedState.from_row(state.to_row())


class StoreFeedStates:
    """FeedStates kept in the event database's `feeds` table (diurna.store)."""

    def __init__(self, store: Any):
        self.store = store

    def get(self, url: str) -> FeedState | None:
        row = self.store.feed_state(url)
        return FeedState.from_row(row) if row is not None else None

    def save(self, state: FeedState) -> None:
        from .store.feeds import FeedState as StoredFeed

        self.store.save_feed_state(StoredFeed(
            url=state.url, etag=state.etag, last_modified=state.last_modified, last_polled=state.last_polled,
            next_poll=state.next_poll, failures=state.failures, last_error=state.last_error))


def poll_once(sources: Iterable[str], state: FeedStates, now: dt.datetime, fetcher: Fetches, *,
              every: float = DEFAULT_EVERY, known: Callable[[str], bool] | None = None,
              ingest: Callable[[list[Link]], object] | None = None,
              max_backoff: float = MAX_BACKOFF) -> list[Link]:
    """Poll every listing that is due at `now`; return the new article links, in listing order.

    `known(url)` says whether an article is already stored (new = not known, and not already
    returned by this poll). `ingest(links)`, when given, is called with each listing's new links
    before that listing's state is saved; if it raises, the state is not saved and the error
    propagates, so the next poll asks again.
    """
    now = _aware(now)
    new: list[Link] = []
    returned: set[str] = set()
    for url in sources:
        current = state.get(url) or FeedState(url=url)
        if current.next_poll is not None and now < current.next_poll:
            continue
        try:
            links, result = _poll(url, current, fetcher)
        except (FetchError, FeedError, InputError) as exc:
            _failed(current, exc, now, every, max_backoff)
            log.warning("watch: %s failed (%d in a row, next poll %s): %s", url, current.failures,
                        current.next_poll.isoformat() if current.next_poll else "?", exc)
            state.save(current)
            continue
        fresh = []
        for link in links:
            if link.url in returned or (known is not None and known(link.url)):
                continue
            returned.add(link.url)
            fresh.append(link)
        if fresh and ingest is not None:
            ingest(fresh)
        new.extend(fresh)
        if result is not None and not result.not_modified:
            current.etag, current.last_modified = result.etag, result.last_modified
        current.last_polled = now
        current.next_poll = now + dt.timedelta(seconds=every)
        current.failures, current.last_error = 0, None
        state.save(current)
    return new


def watch(sources: Iterable[str], state: FeedStates, fetcher: Fetches,
          ingest: Callable[[list[Link]], object], *, every: float = DEFAULT_EVERY,
          known: Callable[[str], bool] | None = None,
          clock: Callable[[], dt.datetime] | None = None, sleep: Callable[[float], object] = time.sleep,
          rounds: int | None = None, max_backoff: float = MAX_BACKOFF) -> int:
    """Poll, hand new links to `ingest`, sleep until the next listing is due; `rounds` times, or forever.

    Returns the number of links handed to `ingest`. `clock()` gives the time (aware UTC; default the
    real clock) and `sleep(seconds)` waits (tests pass ones that only move a fake clock).
    """
    sources = list(sources)
    clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
    total, done = 0, 0
    while rounds is None or done < rounds:
        total += len(poll_once(sources, state, clock(), fetcher, every=every, known=known, ingest=ingest,
                               max_backoff=max_backoff))
        done += 1
        if rounds is not None and done >= rounds:
            break
        now = _aware(clock())
        due = [s.next_poll for s in (state.get(url) for url in sources) if s and s.next_poll]
        wake = min(due, default=now + dt.timedelta(seconds=every))
        sleep(max(_MIN_SLEEP, min((wake - now).total_seconds(), every)))
    return total


def read_sources_file(path: str | Path) -> list[str]:
    """The listing URLs of a sources file: one a line; blank lines and # comments skipped.

    Raises InputError for a line that is not an http(s) URL, naming the line.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text") from exc
    urls: list[str] = []
    for number, line in enumerate(lines, start=1):
        line = re.split(r"\s+#", line, maxsplit=1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if not re.match(r"(?i)^https?://[^\s/]+", line) or " " in line:
            raise InputError(f"{path}:{number}: not an http(s) URL: {line!r}")
        if line not in urls:
            urls.append(line)
    return urls


def parse_interval(text: str) -> float:
    """Seconds in "15m", "90s", "1h30m", "2d", or a plain number of seconds; InputError otherwise."""
    value = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        seconds = float(value)
    else:
        parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", value)
        if not parts or re.sub(r"(\d+(?:\.\d+)?)\s*([smhd])|\s", "", value):
            raise InputError(f"not an interval: {text!r} (use e.g. 90s, 15m, 1h, 1d)")
        unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        seconds = sum(float(n) * unit[u] for n, u in parts)
    if seconds <= 0:
        raise InputError(f"the interval must be more than zero: {text!r}")
    return seconds


# --------------------------------------------------------------------------------------------


def _poll(url: str, current: FeedState, fetcher: Fetches):
    """The links a listing gives now ([] when unchanged), and the fetch result."""
    result = fetcher.fetch(url, etag=current.etag, last_modified=current.last_modified)
    if result.not_modified:
        return [], result
    listing = parse_listing(result.content, result.final_url, result.content_type)
    if listing is None:
        raise FeedError(f"not a feed or sitemap ({result.content_type or 'no content type'})")
    links = list(listing.links)
    errors: list[str] = []
    for child in listing.sitemaps[:MAX_CHILD_SITEMAPS]:
        try:
            sub = parse_listing(fetcher.fetch(child.url).content, child.url, None)
        except (FetchError, FeedError, InputError) as exc:
            errors.append(f"{child.url}: {exc}")
            continue
        if sub is None:
            errors.append(f"{child.url}: not a sitemap")
            continue
        links.extend(sub.links)
    if listing.sitemaps and len(errors) == min(len(listing.sitemaps), MAX_CHILD_SITEMAPS):
        raise FeedError(f"no sitemap of the index could be read ({errors[0]})")
    for error in errors:
        log.warning("watch: %s", error)
    return links, result


def _failed(current: FeedState, exc: DiurnaError, now: dt.datetime, every: float, max_backoff: float) -> None:
    current.failures += 1
    current.last_error = str(exc)
    current.last_polled = now
    delay = min(every * 2 ** current.failures, max_backoff)
    if isinstance(exc, HTTPStatusError) and exc.retry_after:
        delay = max(delay, min(exc.retry_after, max_backoff))
    current.next_poll = now + dt.timedelta(seconds=delay)


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)


def _as_time(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return _aware(value)
    try:
        return _aware(dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except ValueError:
        log.warning("watch: cannot read the time %r; treating the listing as due", value)
        return None
