"""Where read endpoints run: a request that was cheap last time on the event loop, the rest in a thread."""
from __future__ import annotations

import threading

import pytest
from fastapi import FastAPI, Query, Request
from fastapi.testclient import TestClient

from diurna.web import runner


@pytest.fixture
def app(monkeypatch):
    monkeypatch.setattr(runner, "_cost", runner.OrderedDict())
    costs = {"cheap": 0.001, "costly": 1.0}  # CPU seconds each request reports, through a stand-in clock
    clock = [0.0]
    monkeypatch.setattr(runner.time, "thread_time", lambda: clock[0])
    app = FastAPI()

    @app.get("/where")
    @runner.adaptive
    def where(request: Request, kind: str = Query("cheap")) -> dict:
        clock[0] += costs[kind]
        return {"thread": threading.get_ident()}

    @app.get("/loop")
    async def loop() -> dict:
        return {"thread": threading.get_ident()}

    return TestClient(app)


def test_a_cheap_request_moves_to_the_loop_and_a_costly_one_stays_in_a_thread(app):
    with app:
        on_loop = app.get("/loop").json()["thread"]
        first, second = (app.get("/where?kind=cheap").json()["thread"] for _ in range(2))
        assert first != on_loop and second == on_loop  # the first of its kind is not known to be cheap
        assert all(app.get("/where?kind=costly").json()["thread"] != on_loop for _ in range(3))


def test_a_cheap_request_that_is_costly_once_stays_on_the_loop(app):
    with app:
        on_loop = app.get("/loop").json()["thread"]
        app.get("/where?kind=cheap")
        runner._cost["/where?kind=cheap"] += (1.0,)  # a total counted again, say
        assert app.get("/where?kind=cheap").json()["thread"] == on_loop


def test_the_parameters_are_read_through_the_wrapper(app):
    with app:
        assert app.get("/where?kind=costly").status_code == 200
        schema = app.get("/openapi.json").json()
        assert [p["name"] for p in schema["paths"]["/where"]["get"]["parameters"]] == ["kind"]


def test_costs_are_remembered_for_a_bounded_number_of_requests(app, monkeypatch):
    monkeypatch.setattr(runner, "REMEMBERED", 3)
    with app:
        for n in range(5):
            app.get(f"/where?kind=cheap&n={n}")
    assert list(runner._cost) == [f"/where?kind=cheap&n={n}" for n in (2, 3, 4)]
