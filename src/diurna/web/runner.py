"""Where a read endpoint runs: on the event loop when the same request was cheap last time,
otherwise in FastAPI's thread pool.

A handler in a thread costs the server about as much CPU again as the handler itself (a filtered
events page: 9.5 ms against 5.3 ms on the loop, benchmarks/api.py, one worker, 8 requests in
flight): the thread wakes the loop when it is done and the GIL passes back and forth. On the loop,
though, a costly handler (a filter no index serves, a deep page, a total not yet counted) holds up
every other request of its worker, where in a thread its SQLite work runs beside them with the GIL
released. So a request runs on the loop only when the same request (path and query string) cost
under CHEAP_S of CPU at least once in its last two runs; the first of its kind, and any that was
costly twice running, runs in a thread. (Once is not enough: a cheap page is costly now and then,
when a total it keeps must be counted again, and sending its next requests all to threads at once
made the pool open connections whose kept totals were empty, which were costly in turn.)
"""
from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool

CHEAP_S = 0.015  # CPU seconds: a few requests queued behind one on the loop wait no more than this each
REMEMBERED = 4096  # requests whose last cost is kept, per worker process

_cost: OrderedDict[str, tuple[float, ...]] = OrderedDict()  # a request's last two CPU costs
_lock = threading.Lock()  # costs are written from the loop and from the pool's threads


def adaptive(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Make a plain (blocking) endpoint `handler` run on the loop or in a thread, as above.

    `handler` must take the `request`; FastAPI reads its parameters through the wrapper.
    """
    @functools.wraps(handler)
    async def endpoint(**kwargs: Any) -> Any:
        request = kwargs["request"]
        key = f"{request.url.path}?{request.url.query}"
        if min(_cost.get(key, (CHEAP_S,))) < CHEAP_S:
            return _measured(key, handler, kwargs)
        return await run_in_threadpool(_measured, key, handler, kwargs)

    return endpoint


def _measured(key: str, handler: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    # the thread's own CPU time: waiting for the GIL or for a turn does not count, so a request
    # measured on a busy server is not mistaken for a costly one
    started = time.thread_time()
    try:
        return handler(**kwargs)
    finally:
        cost = time.thread_time() - started
        with _lock:
            _cost[key] = (*_cost.get(key, ())[-1:], cost)  # the last two
            _cost.move_to_end(key)
            if len(_cost) > REMEMBERED:
                _cost.popitem(last=False)
