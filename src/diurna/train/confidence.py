"""Fit the confidence model (`diurna.confidence`) on the project's own gold articles.

    python -m diurna.train --confidence [--gold tests/fixtures/gold/articles2.gold.jsonl]

Codes each gold article with the offline coder (no threshold), labels each event right or wrong
by the judge's rules (`train.gold`), fits an L2-regularised logistic regression on the events'
features (the penalty chosen by 5-fold cross-validation over articles), picks the threshold with the
best F2 on those articles scored out of fold (the lowest of those within noise of the best:
recall first), and writes
`data/confidence.json`. The fitting articles are held out from the accuracy gate
(`articles.gold.jsonl`), so the gate's reliability table measures the model on unseen articles.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .. import coding, confidence
from ..models import Document
from ..pipeline import Pipeline
from . import gold as judge

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_GOLD = ROOT / "tests" / "fixtures" / "gold" / "articles2.gold.jsonl"
OUT = Path(__file__).resolve().parents[1] / "data" / "confidence.json"
PENALTIES = (0.3, 1.0, 3.0, 10.0, 30.0)  # L2 on the weights (not the bias), chosen by cross-validation
FOLDS = 5  # by article: events of one article never sit on both sides
THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 15)]
# The default threshold maximises F2 on the fitting articles: recall weighs twice precision, because
# an event dropped at coding time is lost to every later query, while one kept can still be left out
# by `--min-confidence` at query time (the store keeps every event's confidence).
BETA = 2.0
# About two gold events' worth of F2 on the fitting articles (some 220 events): smaller differences
# between neighbouring thresholds come and go with any change to the coder.
NOISE = 0.01


def coded_with_features(docs: list[dict]) -> list[tuple[dict, list, list[list[float]]]]:
    """(gold article, its events, their feature vectors), coded with no confidence threshold."""
    pipeline = Pipeline(min_confidence=0.0)
    kept: dict[str, dict[int, list[float]]] = {}

    def code(article):
        coder = coding.Coder(article, pipeline.coder)
        article.events = coder.run()
        kept[article.id] = coder.features
        return article

    pipeline.stages = [(name, code if name == "coding" else stage) for name, stage in pipeline.stages]
    documents = [Document(id=d["id"], text=d["text"], published=d["published"]) for d in docs]
    out = []
    for doc, result in zip(docs, pipeline.run(documents)):
        if result.failure is not None:
            raise RuntimeError(f"{doc['id']}: {result.failure.reason}")
        events = result.events
        out.append((doc, events, [kept[doc["id"]][id(e)] for e in events]))
    return out


def fit(x: np.ndarray, y: np.ndarray, penalty: float = 1.0, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method; the bias (column 0) is not penalised."""
    w = np.zeros(x.shape[1])
    ridge = np.full(x.shape[1], penalty)
    ridge[0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + ridge * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(ridge + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def cross_validated_loss(x: np.ndarray, y: np.ndarray, groups: np.ndarray, penalty: float) -> float:
    """Mean log loss on held-out articles (folds by article index)."""
    losses = []
    for fold in range(FOLDS):
        test = groups % FOLDS == fold
        w = fit(x[~test], y[~test], penalty)
        p = np.clip(1 / (1 + np.exp(-np.clip(x[test] @ w, -30, 30))), 1e-6, 1 - 1e-6)
        losses += list(-(y[test] * np.log(p) + (1 - y[test]) * np.log(1 - p)))
    return float(np.mean(losses))


def f_beta(precision: float, recall: float, beta: float = BETA) -> float:
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall) if precision + recall else 0.0


def scores_at(coded: list, weights: list[tuple[float, ...]], threshold: float) -> tuple[float, float, float]:
    """(precision, recall, f1) with the events at or above `threshold`; `weights[n]` scores article n."""
    tp = fp = fn = 0
    for number, (doc, events, features) in enumerate(coded):
        kept = [e for e, f in zip(events, features) if confidence.probability(f, weights[number]) >= threshold]
        verdict = judge.judge(doc["events"], kept)
        tp, fp, fn = tp + verdict.tp, fp + verdict.fp, fn + verdict.fn
    return judge.f1(tp, fp, fn)


def run(gold_path: Path = DEFAULT_GOLD, out: Path = OUT) -> dict:
    coded = coded_with_features(judge.read_articles(gold_path))
    rows, labels, groups = [], [], []
    for number, (doc, events, features) in enumerate(coded):
        verdict = judge.judge(doc["events"], events)
        for label, vector in zip(verdict.labels, features):
            if label is not None:
                rows.append(vector)
                labels.append(float(label))
                groups.append(number)
    x, y = np.array(rows), np.array(labels)
    losses = {penalty: cross_validated_loss(x, y, np.array(groups), penalty) for penalty in PENALTIES}
    penalty = min(losses, key=losses.get)
    weights = tuple(round(float(w), 4) for w in fit(x, y, penalty))
    # The threshold is chosen on held-out probabilities: each article scored by the model fitted
    # without its fold, as the shipped model will score articles it never saw. (On the fitting
    # articles themselves the choice swings between neighbouring thresholds with the fit.)
    groups_array = np.array(groups)
    folds = [tuple(fit(x[groups_array % FOLDS != f], y[groups_array % FOLDS != f], penalty)) for f in range(FOLDS)]
    table = {t: scores_at(coded, [folds[n % FOLDS] for n in range(len(coded))], t) for t in THRESHOLDS}
    # Thresholds whose F2 is within NOISE of the best are as good as it on this many articles; the
    # lowest of them keeps the most events (recall first).
    best = max(f_beta(*table[t][:2]) for t in THRESHOLDS)
    threshold = min(t for t in THRESHOLDS if f_beta(*table[t][:2]) >= best - NOISE)
    model = {"version": confidence.VERSION, "features": list(confidence.FEATURES), "weights": list(weights),
             "threshold": threshold, "fitted_on": str(gold_path.relative_to(ROOT)) if gold_path.is_relative_to(ROOT)
             else gold_path.name, "events": len(rows), "right": int(y.sum()), "penalty": penalty}
    out.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    confidence.model.cache_clear()
    return {"events": len(rows), "right": int(y.sum()), "weights": dict(zip(confidence.FEATURES, weights)),
            "penalty": penalty, "losses": losses,
            "threshold": threshold, "table": table, "out": out}
