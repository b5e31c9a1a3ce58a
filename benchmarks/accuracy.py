"""Accuracy of the coder, in one table: the project's own gold fixtures always, the shared
development data when it is present beside the repository (scored by its own judge).

    python benchmarks/accuracy.py [--shared ../shared] [-v] [--coder offline|llm|hybrid]

`--coder llm|hybrid` codes with a model at DIURNA_LLM_BASE_URL (DIURNA_LLM_MODEL) and prints the
same table, so the coders can be compared on the same data.

Own fixtures (tests/fixtures/gold/): `articles.gold.jsonl` (articles with their events, in the
judge's gold format) and `sentences.tsv` (sentences with a marked actor and recipient). The floors
that CI holds the own-fixture figures to live in `benchmarks/floors.toml`.
"""
from __future__ import annotations

import argparse
import collections
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "gold"
def _judge_module():
    from diurna.train import gold
    return gold


_coders: dict = {}


def coded(docs: list, coder: str) -> list:
    """Results for documents, coded by `--coder` (offline: the library's shared pipeline)."""
    from diurna.pipeline import Pipeline
    if coder == "offline":
        # every event, whatever its confidence: the reliability table needs them all, and the
        # default threshold is applied when scoring
        if "offline" not in _coders:
            _coders["offline"] = (Pipeline(min_confidence=0.0), None)
        return list(_coders["offline"][0].run(docs))
    from diurna.llm import make_coder
    if coder not in _coders:
        model_coder = make_coder(coder)
        _coders[coder] = (Pipeline(coder=model_coder), model_coder)
    results = list(_coders[coder][0].run(docs))
    for result in results:
        if result.failure is not None:
            print(f"FAILED {result.failure.doc_id}: {result.failure.reason}", file=sys.stderr)
    return results


def score_articles(path: Path, verbose: bool = False, coder: str = "offline") -> dict:
    """F1 at the coder's default `--min-confidence`, and the reliability of every event's confidence."""
    from diurna import Document, confidence

    judge = _judge_module()
    threshold = confidence.default_threshold() if coder == "offline" else 0.0
    tp = fp = fn = 0
    buckets: dict[int, list[int]] = collections.defaultdict(lambda: [0, 0])  # decile -> [right, all]
    place_right = place_all = mode_right = mode_all = 0
    docs = judge.read_articles(path)
    results = coded([Document(id=d["id"], text=d["text"], published=d["published"]) for d in docs], coder)
    for doc, result in zip(docs, results):
        everything = result.events
        for event, label in zip(everything, judge.judge(doc["events"], everything).labels):
            if label is not None:
                bucket = buckets[min(int(event.confidence * 10), 9)]
                bucket[0] += label
                bucket[1] += 1
        events = [e for e in everything if e.confidence >= threshold]
        verdict = judge.judge(doc["events"], events)
        tp, fp, fn = tp + verdict.tp, fp + verdict.fp, fn + verdict.fn
        for i, gold in verdict.hits.items():
            if gold.get("place_country"):
                place_all += 1
                place_right += bool(events[i].place and events[i].place.country_code == gold["place_country"])
            if gold.get("mode_any"):
                mode_all += 1
                mode_right += bool(set(gold["mode_any"]) & set(events[i].mode))
        if verbose:
            for gold in verdict.missed:
                print(f"MISS {doc['id']}: {gold['event']} {gold.get('actor')}->{gold.get('recipient')} "
                      f":: {gold['evidence']}")
            for event, label in zip(events, verdict.labels):
                if label is False:
                    print(f"EXTRA {doc['id']}: {event.event_type} {sorted(judge.codes(event.actor))}->"
                          f"{sorted(judge.codes(event.recipient))} {event.date} :: {event.event_text[:90]}")
    precision, recall, f1 = judge.f1(tp, fp, fn)
    return {"precision": precision, "recall": recall, "f1": f1,
            "place_country": place_right / place_all if place_all else 0.0,
            "mode": mode_right / mode_all if mode_all else 0.0,
            "reliability": {k / 10: (right, total) for k, (right, total) in sorted(buckets.items())}}


def macro_f1(pairs: list[tuple[str, str]], classes: list[str]) -> float:
    scores = []
    for c in classes:
        tp = sum(g == c and p == c for g, p in pairs)
        fp = sum(g != c and p == c for g, p in pairs)
        fn = sum(g == c and p != c for g, p in pairs)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def score_sentences(path: Path, verbose: bool = False, coder: str = "offline") -> dict:
    """Given the actor and recipient: the type. Modality: the sentences that carry one."""
    from diurna import Document

    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    docs = [Document(id=r["id"], text=r["sentence"], published="2025-06-01", dyad=(r["source"], r["target"]))
            for r in rows]
    pairs, modal_right, modal_all = [], 0, 0
    for row, result in zip(rows, coded(docs, coder)):
        event = result.events[0] if result.events else None
        predicted = event.event_type if event else "NONE"
        gold = row["type"]
        if row["mode"] in ("negation", "hypothetical", "future"):
            modal_all += 1
            modal_right += bool(event and row["mode"] in event.mode)
            if row["mode"] == "future" and predicted == "AGREE":
                predicted = gold  # PLOVER codes a promised act as AGREE; the future mode carries it
        pairs.append((gold, predicted))
        if verbose and gold != predicted:
            print(f"TYPE {row['id']}: {gold} -> {predicted} :: {row['sentence'][:100]}")
    classes = sorted({g for g, _ in pairs})
    return {"accuracy": sum(g == p for g, p in pairs) / len(pairs), "macro_f1": macro_f1(pairs, classes),
            "modality": modal_right / modal_all if modal_all else 0.0}


def run_judge(shared: Path, verbose: bool, coder: str = "offline") -> list[tuple[str, str]]:
    """The development data, coded by the `diurna code` CLI and scored by the shared judge."""
    judge, dev = shared / "eval" / "score.py", shared / "data" / "dev"
    if not judge.exists() or not dev.exists():
        return [("development data", f"not present at {shared}: skipped")]
    out = []
    runs = [("seed page", ["articles", dev / "seed_article.gold.jsonl"], []),
            ("PLV given dyad", ["plv", dev / "plv_train.tsv"], ["--given-dyad"]),
            ("PLV no dyad", ["plv", dev / "plv_train.tsv"], []),
            ("wikinews (15)", ["articles", dev / "wikinews_dev.gold.jsonl"], [])]
    with tempfile.TemporaryDirectory() as tmp:
        for name, (kind, gold), flags in runs:
            made = Path(tmp) / "in.jsonl"
            pred = Path(tmp) / "out.jsonl"
            made.write_text(subprocess.run([sys.executable, str(judge), "make-input", kind, str(gold), *flags],
                                           capture_output=True, text=True, check=True).stdout)
            subprocess.run([sys.executable, "-m", "diurna.cli", "code", str(made), "-o", str(pred), "--coder", coder],
                           capture_output=True, text=True)
            scored = subprocess.run([sys.executable, str(judge), kind, str(gold), str(pred), *flags]
                                    + (["-v"] if verbose else []), capture_output=True, text=True)
            if verbose:
                print(scored.stdout)
            out.append((name, scored.stdout.strip().splitlines()[-1] if scored.stdout.strip() else scored.stderr))
    return out


def own_figures(verbose: bool = False, coder: str = "offline") -> dict[str, float]:
    articles = score_articles(GOLD / "articles.gold.jsonl", verbose, coder)
    fitting = score_articles(GOLD / "articles2.gold.jsonl", verbose, coder)
    held_out = score_articles(GOLD / "articles3.gold.jsonl", verbose, coder)  # never tuned on, no floor
    sentences = score_sentences(GOLD / "sentences.tsv", verbose, coder)
    return {"articles_f1": articles["f1"], "articles_precision": articles["precision"],
            "articles_recall": articles["recall"], "articles_place_country": articles["place_country"],
            "sentences_macro_f1": sentences["macro_f1"], "sentences_accuracy": sentences["accuracy"],
            "sentences_modality": sentences["modality"], "articles2_f1": fitting["f1"],
            "articles2_precision": fitting["precision"], "articles2_recall": fitting["recall"],
            "articles3_f1": held_out["f1"], "articles3_precision": held_out["precision"],
            "articles3_recall": held_out["recall"],
            "_reliability": articles["reliability"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--coder", choices=["offline", "llm", "hybrid"], default="offline",
                        help="llm, hybrid: a model at DIURNA_LLM_BASE_URL codes (or checks) the events")
    args = parser.parse_args()
    if args.coder != "offline":
        from diurna.llm import LLMConfigError, make_coder
        try:
            make_coder(args.coder, cache=False)
        except LLMConfigError as exc:
            parser.error(str(exc))
    print(f"coder: {args.coder}")
    figures = own_figures(args.verbose, args.coder)
    reliability = figures.pop("_reliability")
    print("own fixtures")
    for name, value in figures.items():
        print(f"  {name:<26} {value:.3f}")
    if args.coder == "offline":
        from diurna import confidence
        print(f"  (articles at the default --min-confidence {confidence.default_threshold():.2f}; articles2 is the "
              "confidence model's fitting set; articles3 is held out from everything)")
    print("reliability (own articles, every event, held out from the confidence fit): "
          "confidence bucket -> observed precision")
    for bucket, (right, total) in reliability.items():
        if total:
            print(f"  {bucket:.1f}-{bucket + 0.1:.1f}  {right:>3}/{total:<3} = {right / total:.2f}")
    print("development data (../shared, scored by its judge)")
    for name, line in run_judge(args.shared, args.verbose, args.coder):
        print(f"  {name:<16} {line}")
    for _, model_coder in _coders.values():
        if model_coder is not None:
            print(model_coder.summary())


if __name__ == "__main__":
    main()
