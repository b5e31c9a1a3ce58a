"""The when/where gold standard: dates and places of events in our own news sentences stay at least
as right as they are now (tests/fixtures/when_where/, scored by benchmarks/when_where.py)."""
from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = tomllib.loads((ROOT / "benchmarks" / "floors.toml").read_text(encoding="utf-8"))["when_where"]

_spec = importlib.util.spec_from_file_location(
    "when_where_benchmark", ROOT / "benchmarks" / "when_where.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # dataclasses look their module up there
_spec.loader.exec_module(bench)


@pytest.fixture(scope="module")
def results():
    return bench.evaluate()


def test_the_fixtures_hold_enough_rows_of_each_kind():
    places, dates = bench.places_gold(), bench.dates_gold()
    assert len(places) >= 170 and len(dates) >= 170
    assert sum(1 for r in places if not r["mention"]) >= 20
    for row in places:
        assert row["trigger"] in row["sentence"] and row["mention"] in row["sentence"], row["id"]
        assert not row["mention"] or len(row["country"]) == 3, row["id"]


@pytest.mark.parametrize("kind", ["places", "dates"])
def test_accuracy_stays_above_the_pinned_floors(results, kind):
    figures, errors = results[kind]
    below = {name: round(figures[name], 3) for name, floor in FLOORS[kind].items() if figures[name] < floor}
    assert not below, f"{kind} below floor: {below}\n" + "\n".join(errors)
