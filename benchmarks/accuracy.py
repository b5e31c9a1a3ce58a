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
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "gold"
NON_FACTUAL = {"negation", "hypothetical"}
STOP = {"the", "a", "an", "of", "and", "to", "in", "on", "for", "its", "their", "his", "her", "s"}


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", str(text).lower()) if w not in STOP}


def codes(entities) -> set[str]:
    return {str(e.code)[:3] for e in entities if e.code}


def side_ok(wanted: list[str], got: set[str]) -> bool:
    return not wanted or "*" in wanted or bool(set(wanted) & got)


def matches(gold: dict, event) -> bool:
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


_coders: dict = {}


def coded(docs: list, coder: str) -> list:
    """Results for documents, coded by `--coder` (offline: the library's shared pipeline)."""
    from diurna import code_documents
    if coder == "offline":
        return list(code_documents(docs))
    from diurna.llm import make_coder
    from diurna.pipeline import Pipeline
    if coder not in _coders:
        model_coder = make_coder(coder)
        _coders[coder] = (Pipeline(coder=model_coder), model_coder)
    results = list(_coders[coder][0].run(docs))
    for result in results:
        if result.failure is not None:
            print(f"FAILED {result.failure.doc_id}: {result.failure.reason}", file=sys.stderr)
    return results


def score_articles(path: Path, verbose: bool = False, coder: str = "offline") -> dict:
    import diurna

    tp = fp = fn = 0
    buckets: dict[int, list[int]] = collections.defaultdict(lambda: [0, 0])  # decile -> [right, all]
    place_right = place_all = mode_right = mode_all = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if coder == "offline":
            events = diurna.code_text(doc["text"], published=doc["published"], doc_id=doc["id"])
        else:
            events = coded([diurna.Document(id=doc["id"], text=doc["text"], published=doc["published"])],
                           coder)[0].events
        used: set[int] = set()
        for gold in sorted(doc["events"], key=lambda g: bool(g.get("optional"))):
            hit = next((i for i, e in enumerate(events) if i not in used and matches(gold, e)), None)
            if hit is None:
                fn += not gold.get("optional")
                if verbose and not gold.get("optional"):
                    print(f"MISS {doc['id']}: {gold['event']} {gold.get('actor')}->{gold.get('recipient')} "
                          f":: {gold['evidence']}")
                continue
            used.add(hit)
            tp += not gold.get("optional")
            if gold.get("place_country"):
                place_all += 1
                place_right += bool(events[hit].place and events[hit].place.country_code == gold["place_country"])
            if gold.get("mode_any"):
                mode_all += 1
                mode_right += bool(set(gold["mode_any"]) & set(events[hit].mode))
        matched = {(events[i].event_type, frozenset(codes(events[i].actor)), frozenset(codes(events[i].recipient)),
                    events[i].date) for i in used}
        for i, event in enumerate(events):
            bucket = buckets[min(int(event.confidence * 10), 9)]
            bucket[1] += 1
            if i in used:
                bucket[0] += 1
                continue
            key = (event.event_type, frozenset(codes(event.actor)), frozenset(codes(event.recipient)), event.date)
            if not event.factual or key in matched:
                bucket[1] -= 1  # neither right nor wrong: not counted
                continue
            fp += 1
            if verbose:
                print(f"EXTRA {doc['id']}: {event.event_type} {sorted(codes(event.actor))}->"
                      f"{sorted(codes(event.recipient))} {event.date} :: {event.event_text[:90]}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
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
    sentences = score_sentences(GOLD / "sentences.tsv", verbose, coder)
    return {"articles_f1": articles["f1"], "articles_precision": articles["precision"],
            "articles_recall": articles["recall"], "articles_place_country": articles["place_country"],
            "sentences_macro_f1": sentences["macro_f1"], "sentences_accuracy": sentences["accuracy"],
            "sentences_modality": sentences["modality"], "_reliability": articles["reliability"]}


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
    print("reliability (own articles): confidence bucket -> observed precision")
    for bucket, (right, total) in reliability.items():
        if total:
            print(f"  {bucket:.1f}-{bucket + 0.1:.1f}  {right:>3}/{total:<3} = {right / total:.2f}")
    print("development data (../shared, scored by its judge)")
    for name, line in run_judge(args.shared, args.verbose, args.coder):
        print(f"  {name:<16} {line}")
    for _, model_coder in _coders.values():
        print(model_coder.summary())


if __name__ == "__main__":
    main()
