"""Crash safety of `diurna ingest`: killed with SIGKILL twenty times at drawn points and restarted, a
database holds exactly what one clean run holds, table by table, and passes the integrity checks.

The trial itself is benchmarks/crash.py (`python benchmarks/crash.py --kills 20` prints the same
figures for the docs); here it runs on a small corpus."""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
import crash  # noqa: E402


@pytest.mark.slow
def test_twenty_sigkills_at_drawn_points_lose_and_double_nothing(tmp_path):
    result = crash.trial(tmp_path, kills=20, articles=30, seed=11)
    assert result.kills >= 20
    killed = [r for r in result.runs if r.killed]
    assert {r.mode for r in killed} == {"statement", "progress"}
    assert any(r.articles_after > r.articles_before for r in killed)  # kills came between stored articles
    assert result.runs[-1].exit_code == 0 and not result.runs[-1].killed
    assert result.differences and all(d == (0, 0) for d in result.differences.values()), result.differences
    assert result.clean_counts["articles"] == 33 and result.clean_counts["events"] > 50
    assert result.clean_counts["stories"] and result.clean_counts["unique_events"]
    assert result.problems == []
    with sqlite3.connect(tmp_path / "killed.db") as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        statuses = dict(conn.execute("select status, count(*) from articles group by status").fetchall())
    assert statuses == {"coded": 32, "skipped": 1}  # the French article is kept, not coded


def test_the_comparison_counts_a_lost_and_a_doubled_row():
    from collections import Counter

    clean = {"events": Counter({("e1",): 1, ("e2",): 1})}
    other = {"events": Counter({("e1",): 2})}
    assert crash.compare(clean, other) == {"events": (1, 1)}
