"""The project's gold articles and how coded events are judged against them.

The rules are the shared judge's (`../shared/eval/score.py articles`), applied to `Event`
objects: an event matches a gold event when its type is one the gold accepts, its factuality
agrees, its sentence holds most of the gold evidence, its countries fit each side (or the
swapped sides of a symmetric event) and its date falls in the gold range. Used by the confidence
model's training (`train.confidence`) and by `benchmarks/accuracy.py`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Event

STOP = {"the", "a", "an", "of", "and", "to", "in", "on", "for", "its", "their", "his", "her", "s"}


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", str(text).lower()) if w not in STOP}


def codes(entities) -> set[str]:
    return {str(e.code)[:3] for e in entities if e.code}


def side_ok(wanted: list[str] | None, got: set[str]) -> bool:
    return not wanted or "*" in wanted or bool(set(wanted) & got)


def matches(gold: dict, event: Event) -> bool:
    """Type, factuality, evidence in the event's sentence, parties and date all fit."""
    if event.event_type not in gold["event"]:
        return False
    if (not event.factual) != bool(gold.get("non_factual")):
        return False
    wanted = words(gold.get("evidence", ""))
    if wanted and len(wanted & words(event.event_text)) / len(wanted) < 0.6:
        return False
    actor, recipient = codes(event.actor), codes(event.recipient)
    direct = side_ok(gold.get("actor"), actor) and side_ok(gold.get("recipient"), recipient)
    swapped = gold.get("symmetric") and side_ok(gold.get("actor"), recipient) and side_ok(gold.get("recipient"), actor)
    if not (direct or swapped):
        return False
    if gold.get("date"):
        low, high = gold["date"]
        if not (low <= (event.date.isoformat() if event.date else "") <= high):
            return False
    return True


def _key(event: Event) -> tuple:
    return event.event_type, frozenset(codes(event.actor)), frozenset(codes(event.recipient)), event.date


@dataclass(slots=True)
class Judgement:
    """One article's events judged: `labels[i]` is True (matched a gold event), False (a false
    positive) or None (not counted: non-factual, or a repeat of a matched event)."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    labels: list[bool | None] = field(default_factory=list)
    hits: dict[int, dict] = field(default_factory=dict)  # event index -> the gold event it matched
    missed: list[dict] = field(default_factory=list)


def judge(golds: list[dict], events: list[Event]) -> Judgement:
    out = Judgement(labels=[None] * len(events))
    for gold in sorted(golds, key=lambda g: bool(g.get("optional"))):  # required events first
        hit = next((i for i, e in enumerate(events) if i not in out.hits and matches(gold, e)), None)
        if hit is None:
            if not gold.get("optional"):
                out.fn += 1
                out.missed.append(gold)
            continue
        out.hits[hit] = gold
        out.tp += not gold.get("optional")
    matched = {_key(events[i]) for i in out.hits}
    for i, event in enumerate(events):
        if i in out.hits:
            out.labels[i] = True
        elif event.factual and _key(event) not in matched:
            out.labels[i] = False
            out.fp += 1
    return out


def read_articles(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)
