"""The evaluation gate: the coder may not fall below the pinned floors on our own fixtures."""
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import accuracy  # noqa: E402

FLOORS = tomllib.loads((ROOT / "benchmarks" / "floors.toml").read_text(encoding="utf-8"))["own"]


@pytest.fixture(scope="module")
def figures():
    return accuracy.own_figures()


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_coder_holds_its_floor(figures, name):
    assert figures[name] >= FLOORS[name], f"{name} fell to {figures[name]:.3f}, floor {FLOORS[name]}"
