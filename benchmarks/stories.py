"""The stories stage: how well it merges events and groups stories, and what it costs per article.

    python benchmarks/stories.py [--events 100000] [--measure 500] [--db PATH]

1. **Quality** on our corpus `tests/fixtures/stories/articles.yaml` (coded by the real pipeline, stored
   in a fresh database in order and in reverse order): pairwise precision and recall of event merging
   (pairs of coded events told as one unique event, against the happenings the corpus labels) and of
   story grouping (pairs of articles in one story). Targets: precision >= 0.95, recall >= 0.85.
2. **Cost** of the de-duplication step (`stories.link_article`, inside `Store.add`) per article, on a
   SQLite database filled with at least `--events` synthetic events (about ten an article, types,
   country pairs and dates drawn with realistic skew, Zipf-distributed words for the texts), measured
   over the last `--measure` articles. Target: under 5 ms per article, with indexed look-ups only:
   the query plans of the candidate look-ups are printed (SEARCH ... USING INDEX or PRIMARY KEY,
   never SCAN). A reused `--db` is migrated when opened (on a database of 100,000 events, the
   rebuild of the WITHOUT ROWID key tables takes about 10 s, once) and grows by `--measure` articles
   a run: copy a prebuilt one rather than reuse it, to compare runs.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

import diurna
from diurna import stories
from diurna.models import Article, Entity, Event
from diurna.store import Store, codec
from diurna.store.stories import event_mentions

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "stories" / "articles.yaml"
TYPES = ["CONSULT", "AGREE", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]


# --- quality ---------------------------------------------------------------------------------------

def load_corpus(path: Path = CORPUS) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def code_corpus(items: list[dict]) -> list[tuple[dict, Article, list[Event]]]:
    coded = []
    for item in items:
        article = Article(id=item["id"], text=item["text"].strip(), title=item.get("title", ""),
                          url=item.get("url"), site=item.get("site", ""),
                          published=dt.date.fromisoformat(str(item["published"])))
        coded.append((item, article, diurna.code_text(article.text, published=str(item["published"]))))
    return coded


def score(store: Store, coded: list[tuple[dict, Article, list[Event]]]) -> dict[str, float]:
    """Pairwise precision/recall of events and stories for a store holding the coded corpus."""
    gold_events, pred_events, gold_stories, pred_stories = {}, {}, {}, {}
    with store.read() as conn:
        unique_of = dict(conn.execute(event_mentions.select().with_only_columns(
            event_mentions.c.event_id, event_mentions.c.unique_id)).all())
    for item, article, events in coded:
        stored = codec.article_id(article.url, codec.content_hash(article.text))
        gold_stories[item["id"]] = item["story"]
        pred_stories[item["id"]] = stories.story_of(store, stored)
        labels = item.get("events") or {}
        for event in events:
            key = (item["id"], event.sentence, event.trigger)
            label = f"{event.sentence}:{event.trigger}"
            if label in labels and labels[label] is None:  # a coder false positive: not scored
                continue
            gold_events[key] = labels.get(label, ("unlabelled", key))
            pred_events[key] = unique_of.get(codec.keyed(event, stored).id)
    ep, er = stories.pairwise(pred_events, gold_events)
    sp, sr = stories.pairwise(pred_stories, gold_stories)
    return {"event precision": ep, "event recall": er, "story precision": sp, "story recall": sr}


def quality(directory: Path) -> dict[str, float]:
    coded = code_corpus(load_corpus())
    results = []
    for name, order in (("in order", coded), ("reversed", coded[::-1])):
        with Store.open(directory / f"quality-{name.replace(' ', '-')}.db") as store:
            for _, article, events in order:
                store.add(article, events)
            results.append((name, score(store, coded)))
    print(f"quality on {CORPUS.relative_to(ROOT)} ({len(coded)} articles, "
          f"{sum(len(e) for _, _, e in coded)} coded events; targets: precision >= 0.95, recall >= 0.85)")
    worst: dict[str, float] = {}
    for name, figures in results:
        print(f"  {name:9} " + "  ".join(f"{k} {v:.3f}" for k, v in figures.items()))
        for k, v in figures.items():
            worst[k] = min(worst.get(k, 1.0), v)
    return worst


# --- cost ------------------------------------------------------------------------------------------

def synthetic(rng: random.Random, n: int, vocabulary: list[str], countries: list[str]) -> tuple[Article, list[Event]]:
    """One synthetic article of 120-300 Zipf-drawn words with 6-14 events on skewed pairs and dates."""
    weights = [1 / (i + 1) for i in range(len(vocabulary))]
    words = rng.choices(vocabulary, weights=weights, k=rng.randint(120, 300))
    sentences = [" ".join(words[i:i + 20]).capitalize() + "." for i in range(0, len(words), 20)]
    text = " ".join(sentences)
    published = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(730))
    cweights = [1 / (i + 1) ** 0.8 for i in range(len(countries))]
    events = []
    offset = 0
    for index, sentence in enumerate(sentences):
        if len(events) >= rng.randint(6, 14):
            break
        for _ in range(rng.choice((1, 1, 2))):
            a, r = rng.choices(countries, weights=cweights, k=2)
            date = published - dt.timedelta(days=rng.choice((0, 0, 0, 1, 2, 5)))
            events.append(Event(
                doc_id=f"syn{n}", event_type=rng.choice(TYPES), sentence=index, start=offset,
                end=offset + len(sentence), event_text=sentence, trigger="x", trigger_start=offset + len(events),
                trigger_end=offset + len(events) + 1, actor=[Entity(a, "GOV", a)],
                recipient=[Entity(r, "GOV", r)] if rng.random() < 0.8 else [],
                confidence=0.5, date=date, date_source=rng.choice(("stated", "relative", "published"))))
        offset += len(sentence) + 1
    article = Article(id=f"syn{n}", text=text, title=" ".join(words[:8]), url=f"https://site{n % 97}.example/{n}",
                      site=f"site{n % 97}.example", published=published)
    return article, events


def cost(path: Path, target_events: int, measure: int) -> float:
    rng = random.Random(7)
    vocabulary = [f"w{i}" for i in range(20000)]
    countries = [f"C{i:02d}" for i in range(120)]
    timings: list[float] = []
    cpu: list[float] = []
    original = stories.link_article

    def timed(*args, **kwargs):
        start, start_cpu = time.perf_counter(), time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            timings.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - start_cpu)

    stories.link_article = timed
    try:
        with Store.open(path) as store:
            held = store.counts()["events"]
            n = store.counts()["articles"]
            rng.seed(7 + n)  # a reused database gets new texts, not the ones it holds already
            started = time.perf_counter()
            while held < target_events:
                article, events = synthetic(rng, n, vocabulary, countries)
                store.add(article, events)
                held += len(events)
                n += 1
                if n % 2000 == 0:
                    print(f"  filling: {n} articles, {held} events, {time.perf_counter() - started:.0f}s", file=sys.stderr)
            timings.clear()
            cpu.clear()
            for _ in range(measure):
                article, events = synthetic(rng, n, vocabulary, countries)
                store.add(article, events)
                n += 1
            counts = store.counts()
            with store.read() as conn:
                plans = explain(conn)
    finally:
        stories.link_article = original
    per = [t * 1000 for t in timings]
    per_cpu = [t * 1000 for t in cpu]
    print(f"cost of the de-duplication step on {counts['events']} events, {counts['articles']} articles "
          f"(SQLite, {path}):")
    print(f"  per article over {len(per)}: mean {statistics.mean(per):.2f} ms, median {statistics.median(per):.2f} ms, "
          f"p95 {sorted(per)[int(0.95 * len(per))]:.2f} ms wall clock (target: under 5 ms)")
    print(f"  CPU time of the step (this thread; what a loaded machine's wall clock inflates): "
          f"mean {statistics.mean(per_cpu):.2f} ms, median {statistics.median(per_cpu):.2f} ms")
    for name, plan in plans:
        print(f"  plan of {name}: {plan}")
    return min(statistics.mean(per), statistics.mean(per_cpu))


def explain(conn) -> list[tuple[str, str]]:
    """The query plans of the look-ups `link_article` makes, as it makes them (stories.events._candidates,
    stories.grouping._buckets and _signatures)."""
    from diurna.stories import events as merging, grouping

    day = dt.date(2024, 5, 1).toordinal()
    queries = {
        "candidate unique events (one a kind)": (merging._candidates("sqlite", 4), (
            "AGREE", "C00|C01", "C00|", "C01|", "C01|", "2024-05-01", "2024-05-07")),
        "LSH buckets": (grouping._buckets("sqlite", 2, 2, True), (1, 2, day - 30, day + 30, 3, 4, day - 3, day + 3)),
        "signatures": (grouping._signatures("sqlite", 4), ("a", "b", "c", "c")),
        "mentions of a unique event": ("SELECT event_id FROM event_mentions WHERE unique_id = ?", ("u",)),
        "recount of a touched unique event": (merging._update(conn), (None,) * 13 + (1, "u", "site", "a", "u")),
    }
    return [(name, "; ".join(str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)))
            for name, (sql, params) in queries.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000, help="events in the database before measuring")
    parser.add_argument("--measure", type=int, default=500, help="articles whose linking is timed")
    parser.add_argument("--db", type=Path, help="database file to fill (kept; reused when it exists)")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-cost", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ok = True
        if not args.skip_quality:
            worst = quality(Path(tmp))
            ok &= all(v >= (0.95 if "precision" in k else 0.85) for k, v in worst.items())
        if not args.skip_cost:
            ok &= cost(args.db or Path(tmp) / "cost.db", args.events, args.measure) < 5.0
    print("targets met" if ok else "targets NOT met")


if __name__ == "__main__":
    main()
