"""Accuracy of event dates and places on our gold fixtures, and the gazetteer's cost.

    python benchmarks/when_where.py [--verbose]

The fixtures (`tests/fixtures/when_where/places.tsv` and `dates.tsv`) are invented news sentences,
each with the word that carries the event (`trigger`) and the true place or date of that event.

What is measured is what users get: every sentence is run through the whole pipeline
(`diurna.pipeline.Pipeline`, the same chain `diurna.code_text` runs: extract -> nlp -> actors ->
coding with when/where), and the coded event whose trigger is the gold trigger is scored. Where the
coder codes no event on that trigger (the lexicon lacks it, or no party was found), the row is
scored on what the coder *would* attach to an event there, by calling the same functions on the same
parsed article: `where.event_place` with the countries the actors stage put in play, then
`Coder.sentence_place`, and `when.event_date` with the trigger's modality. The share of rows the
coder coded itself is printed as "coded by the coder"; `--coded-only` scores only those.

Printed figures:

* places: country right, within 25 km, within 161 km (haversine, on rows whose gold has a place),
  no-place precision (rows whose gold has no event place that got none);
* dates: exact day, within one day, enddate right (all rows, and rows whose gold has an enddate),
  precision field right, source field right;
* gazetteer: load time and peak RSS of the first `geo.resolve_place` call in a fresh subprocess
  (with the SQLite index already built), and the mean time of 1,000 look-ups with the
  process-level memo cleared before each, so every one reads the index.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "when_where"


# ------------------------------------------------------------------------------------------ loading


def read_tsv(name: str) -> list[dict[str, str]]:
    with open(FIXTURES / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def places_gold() -> list[dict[str, str]]:
    return read_tsv("places.tsv")


def dates_gold() -> list[dict[str, str]]:
    return read_tsv("dates.tsv")


# ------------------------------------------------------------------------------------------ running


@dataclass(slots=True)
class Outcome:
    """What diurna gave for one gold row."""

    row: dict[str, str]
    coded: bool  # the coder itself coded an event on the gold trigger
    event_type: str = ""
    place: object = None  # diurna.models.Place | None
    date: dt.date | None = None
    enddate: dt.date | None = None
    precision: str = ""
    source: str = ""
    notes: list[str] = field(default_factory=list)


def run_rows(rows: list[dict[str, str]]) -> list[Outcome]:
    """Code every row's sentence with the full pipeline; one Outcome per row, in order."""
    from diurna import coding, nlp, when, where
    from diurna.extract import extract
    from diurna.models import Document
    from diurna.pipeline import Pipeline

    pipeline = Pipeline()
    # The pipeline's own stages, run here rather than through `Pipeline.run` only because `run`
    # drops each article's parse, which the fallback below needs.
    articles = [extract(Document(id=row["id"], text=row["sentence"], published=row["published"]))
                for row in rows]
    nlp.annotate(articles, pipeline.nlp, pipeline.batch_size)
    outcomes = []
    for row, article in zip(rows, articles):
        for _, stage in pipeline.stages:
            article = stage(article)
        token = next((t for t in article.doc if t.text == row["trigger"]), None)
        if token is None:
            outcomes.append(Outcome(row, False, notes=["trigger not found in the parsed text"]))
            continue
        event = next((e for e in article.events if e.trigger_start == token.idx), None) or next(
            (e for e in article.events if row["trigger"] in e.trigger.split()), None)
        if event is not None:
            outcomes.append(Outcome(row, True, event.event_type, event.place, event.date, event.enddate,
                                    event.date_precision, event.date_source))
            continue
        # No event on this trigger: what the coder's when/where would give an event there.
        coder = coding.Coder(article, pipeline.coder)
        sent = token.sent
        place = where.event_place(token, coder.in_play, frozenset()) or coder.sentence_place(sent, [])
        evdate = when.event_date(token, sent, article.published, future="future" in coding.modality(token))
        outcomes.append(Outcome(row, False, "", place, evdate.date, evdate.enddate, evdate.precision,
                                evdate.source))
    return outcomes


# ------------------------------------------------------------------------------------------ scoring


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def _share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def place_distance(outcome: Outcome) -> float | None:
    place, row = outcome.place, outcome.row
    if place is None or place.lat is None or place.lon is None or not row["lat"]:
        return None
    return haversine_km(float(row["lat"]), float(row["lon"]), place.lat, place.lon)


def score_places(outcomes: list[Outcome]) -> tuple[dict[str, float], list[str]]:
    """Figures (shares in 0..1) and one line per error."""
    with_place = [o for o in outcomes if o.row["mention"]]
    without = [o for o in outcomes if not o.row["mention"]]
    country = near25 = near161 = 0
    errors = []
    for o in with_place:
        row = o.row
        got = o.place.country_code if o.place else ""
        km = place_distance(o)
        country += got == row["country"]
        near25 += km is not None and km <= 25
        near161 += km is not None and km <= 161
        if got != row["country"] or km is None or km > 161:
            where = f"{o.place.text!r}->{o.place.name} {got} ({o.place.lat:.2f},{o.place.lon:.2f}) {km:.0f} km" \
                if o.place and o.place.lat is not None else (f"{o.place.text!r}->{got} no point" if o.place else "no place")
            errors.append(f"{row['id']} [{row['note']}] {row['sentence']!r} trigger={row['trigger']!r}: "
                          f"gold {row['mention']!r} {row['country']} -> got {where}"
                          f"{'' if o.coded else ' (trigger not coded)'}")
        elif km > 25:
            errors.append(f"{row['id']} [{row['note']}] (country right, {km:.0f} km off) {row['mention']!r} -> "
                          f"{o.place.name} ({o.place.lat:.2f},{o.place.lon:.2f})")
    none_right = 0
    for o in without:
        if o.place is None:
            none_right += 1
        else:
            errors.append(f"{o.row['id']} [{o.row['note']}] {o.row['sentence']!r}: gold no place -> got "
                          f"{o.place.text!r} {o.place.country_code}{'' if o.coded else ' (trigger not coded)'}")
    figures = {
        "place rows": len(with_place),
        "no-place rows": len(without),
        "coded by the coder": _share(sum(o.coded for o in outcomes), len(outcomes)),
        "country right": _share(country, len(with_place)),
        "within 25 km": _share(near25, len(with_place)),
        "within 161 km": _share(near161, len(with_place)),
        "no-place precision": _share(none_right, len(without)),
    }
    return figures, errors


def _gold_date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def score_dates(outcomes: list[Outcome]) -> tuple[dict[str, float], list[str]]:
    exact = near = end_all = end_gold = precision = source = 0
    with_end = [o for o in outcomes if o.row["enddate"]]
    errors = []
    for o in outcomes:
        row = o.row
        gold, gold_end = _gold_date(row["date"]), _gold_date(row["enddate"])
        got_end = o.enddate if o.enddate and o.enddate != o.date else None
        ok_day = o.date == gold
        ok_end = got_end == gold_end
        exact += ok_day
        near += o.date is not None and abs((o.date - gold).days) <= 1
        end_all += ok_end
        end_gold += bool(gold_end) and ok_end
        precision += o.precision == row["precision"]
        source += o.source == row["source"]
        if not (ok_day and ok_end and o.precision == row["precision"] and o.source == row["source"]):
            got = f"{o.date}{'..' + str(got_end) if got_end else ''} {o.precision} {o.source}"
            want = f"{gold}{'..' + str(gold_end) if gold_end else ''} {row['precision']} {row['source']}"
            errors.append(f"{row['id']} [{row['note']}] pub {row['published']} {row['sentence']!r} "
                          f"trigger={row['trigger']!r}: gold {want} -> got {got}"
                          f"{'' if o.coded else ' (trigger not coded)'}")
    figures = {
        "date rows": len(outcomes),
        "coded by the coder": _share(sum(o.coded for o in outcomes), len(outcomes)),
        "exact day": _share(exact, len(outcomes)),
        "within one day": _share(near, len(outcomes)),
        "enddate right (all rows)": _share(end_all, len(outcomes)),
        "enddate right (gold has one)": _share(end_gold, len(with_end)),
        "precision right": _share(precision, len(outcomes)),
        "source right": _share(source, len(outcomes)),
    }
    return figures, errors


# ------------------------------------------------------------------------------------------ gazetteer cost

_LOAD_PROBE = """
import json, time

def hwm_mb():  # this process's own peak RSS (ru_maxrss would include the parent's, inherited at fork)
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024

before = hwm_mb()
start = time.perf_counter()
from diurna import geo
geo.resolve_place("Peshawar", ["PAK"])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_rss_mb": hwm_mb(), "rss_before_mb": before}))
"""


def gazetteer_load() -> dict[str, float]:
    """Time and peak RSS of the first look-up in a fresh interpreter (index already built)."""
    from diurna import geo

    geo.load_index()  # build the cache here, so the probe measures loading, not building
    out = subprocess.run([sys.executable, "-c", _LOAD_PROBE], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def lookup_ms(names: list[str], n: int = 1000) -> float:
    """Mean milliseconds of a `geo.resolve_place` look-up that reads the index (memo cleared each time)."""
    from diurna import geo

    geo.resolve_place("Peshawar")  # open the index first
    total = 0.0
    for i in range(n):
        name = names[i % len(names)]
        geo._resolve_cached.cache_clear()
        start = time.perf_counter()
        geo.resolve_place(name, ("PAK",) if i % 2 else ())
        total += time.perf_counter() - start
    return 1000 * total / n


# ------------------------------------------------------------------------------------------ CLI


def evaluate(coded_only: bool = False) -> dict[str, tuple[dict[str, float], list[str]]]:
    """Run both gold sets; {"places": (figures, errors), "dates": (figures, errors)}."""
    places = run_rows(places_gold())
    dates = run_rows(dates_gold())
    if coded_only:
        places = [o for o in places if o.coded]
        dates = [o for o in dates if o.coded]
    return {"places": score_places(places), "dates": score_dates(dates)}


def _print(title: str, figures: dict[str, float]) -> None:
    print(title)
    for name, value in figures.items():
        shown = f"{value:d}" if isinstance(value, int) else f"{100 * value:5.1f}%"
        print(f"  {name:<30} {shown:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="list every error")
    parser.add_argument("--coded-only", action="store_true", help="score only rows the coder coded itself")
    parser.add_argument("--no-gazetteer", action="store_true", help="skip the load and look-up timings")
    args = parser.parse_args()
    start = time.perf_counter()
    results = evaluate(args.coded_only)
    elapsed = time.perf_counter() - start
    for name, (figures, errors) in results.items():
        _print(name, figures)
        if args.verbose:
            for line in errors:
                print("   ", line)
    print(f"  (scored in {elapsed:.1f} s)")
    if not args.no_gazetteer:
        load = gazetteer_load()
        names = list(dict.fromkeys(r["mention"] for r in places_gold() if r["mention"]))
        print("gazetteer")
        print(f"  {'first look-up, fresh process':<30} {load['seconds']:7.3f} s")
        print(f"  {'peak RSS of that process':<30} {load['peak_rss_mb']:7.1f} MB"
              f"  (bare interpreter {load['rss_before_mb']:.1f} MB)")
        print(f"  {'mean look-up (1,000, uncached)':<30} {lookup_ms(names):7.3f} ms")


if __name__ == "__main__":
    main()
