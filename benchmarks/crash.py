"""Crash trials: `diurna ingest` killed with SIGKILL again and again, restarted, and compared with a clean run.

    python benchmarks/crash.py [--kills 20] [--articles 40] [--seed 7]

Writes a corpus of news-like articles (generated sentences the coder codes, two sample articles from
samples/articles, a repeated text under a second id and a French article stored uncoded), ingests it
once into a clean database, then ingests it into a second database, killing the run with SIGKILL
`--kills` times and restarting it each time, and finally lets one run finish. Prints the trials and
the rows lost (in the clean database, not in the killed one) and doubled (the other way round),
table by table; both must be 0, and SQLite's and diurna's integrity checks must pass.

Kill points are chosen by a seeded RNG, never by a clock, in two alternating ways:
- statement: the run kills itself with SIGKILL just before the n-th SQL statement or commit counted
  from its first article insert (n drawn from the RNG), which lands inside write transactions
  (between the article, its sentences, events, actors and story links) and between them; a drawn
  n <= 0 kills at statement n + START_UP from the run's start instead (opening, migrations);
- progress: this process watches the database and sends SIGKILL once the run has stored k more
  articles (k drawn from the RNG; a bounded poll), which lands wherever the run happens to be.

Each run is `diurna ingest CORPUS --db DB` through the CLI's own entry point, in a process forked
from this one after the spaCy model is loaded, so a restart costs milliseconds, not a model load.
Failures are a log (one row per failed attempt), so they are compared as a set of distinct rows;
timestamps (ingested_at, created_at, at) are left out of the comparison.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import random
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "articles"
TODAY = "2025-06-01"
VOLATILE = {"ingested_at", "created_at", "at", "applied_at"}  # when a row was written, not what it says
LOGS = {"failures"}  # one row per attempt: compared as a set
SKIPPED_TABLES = ("sqlite_", "articles_fts", "schema_version")  # engine tables; the FTS index is checked apart
START_UP = 6  # a drawn statement n <= 0 kills at statement n + START_UP of the run (opening, migrations)
STATEMENTS_PER_ARTICLE = 10  # about, as SQLAlchemy sees them (the hot story statements go to the driver unseen)
RUN_DEADLINE_S = 300  # bound on any one run (a stuck run is a failure, not a hang)

LEADERS = [
    ("Indian", "India", "Prime Minister Arjun Mehta", "New Delhi"),
    ("Pakistani", "Pakistan", "Foreign Minister Bilal Qureshi", "Islamabad"),
    ("Chinese", "China", "Foreign Minister Wang Lei", "Beijing"),
    ("Russian", "Russia", "Defence Minister Oleg Sorokin", "Moscow"),
    ("Ukrainian", "Ukraine", "President Olena Kovalenko", "Kyiv"),
    ("French", "France", "Foreign Minister Claire Dubois", "Paris"),
    ("German", "Germany", "Chancellor Markus Weber", "Berlin"),
    ("Iranian", "Iran", "Foreign Minister Reza Tavakoli", "Tehran"),
    ("Turkish", "Turkey", "President Kemal Aydin", "Ankara"),
    ("Egyptian", "Egypt", "Foreign Minister Samir Hassan", "Cairo"),
    ("Nigerian", "Nigeria", "President Musa Bello", "Abuja"),
    ("Brazilian", "Brazil", "President Lucas Ferreira", "Brasilia"),
]
ACTS = [
    "{a_adj} {a_who} met {b_adj} {b_who} in {place} on {day} to discuss trade and border security.",
    "{a_name} accused {b_name} of violating the ceasefire along their shared border on {day}.",
    "The {a_adj} government sharply criticised {b_name} for detaining two of its diplomats on {day}.",
    "{a_name} and {b_name} signed an agreement on energy cooperation in {place} on {day}.",
    "{a_adj} troops fired on {b_adj} positions near the frontier on {day}, killing three soldiers.",
    "{a_adj} {a_who} praised {b_name} for its help after the floods, speaking in {place} on {day}.",
    "{a_name} threatened to impose new sanctions on {b_name} if the talks failed.",
    "{a_name} expelled the {b_adj} ambassador on {day} after a row over espionage.",
    "{a_adj} police arrested dozens of protesters outside the {b_adj} embassy in {place} on {day}.",
    "{a_name} sent humanitarian aid to {b_name} on {day}, officials in {place} said.",
    "{a_adj} {a_who} rejected a {b_adj} proposal for a new round of negotiations.",
    "{a_name} demanded that {b_name} release the detained fishermen immediately.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FRENCH = ("Le ministre des Affaires étrangères a rencontré son homologue allemand à Paris lundi pour discuter "
          "de la sécurité en Europe. Les deux gouvernements ont signé un accord sur l'énergie et promis de se "
          "revoir au printemps, selon un communiqué publié mardi.")


def make_corpus(path: Path, articles: int, seed: int = 7) -> int:
    """Write a JSONL corpus of `articles` documents (plus 4 special ones); returns how many lines."""
    rng = random.Random(seed)
    lines = []
    for n in range(articles):
        sentences = []
        for _ in range(rng.randint(3, 5)):
            (a_adj, a_name, a_who, _), (b_adj, b_name, b_who, place) = rng.sample(LEADERS, 2)
            sentences.append(rng.choice(ACTS).format(a_adj=a_adj, a_name=a_name, a_who=a_who, b_adj=b_adj,
                                                     b_name=b_name, b_who=b_who, place=place,
                                                     day=rng.choice(DAYS)))
        title = sentences[0].split(" on ")[0].rstrip(".")
        lines.append({"id": f"wire-{n}", "title": title, "text": f"{title}\n\n" + " ".join(sentences),
                      "published": f"2025-05-{1 + n % 28:02d}", "url": f"https://wire.example/{seed}/{n}"})
    for name in ("torkham_talks.txt", "border_ceasefire.txt"):
        lines.append({"id": f"sample-{name}", "text": (SAMPLES / name).read_text(encoding="utf-8"),
                      "published": "2025-05-21", "url": f"https://samples.example/{name}"})
    lines.append({**lines[0], "id": "wire-0-again", "url": None})  # the same text, no url: stored once
    lines.append({"id": "depeche-fr", "text": FRENCH, "published": "2025-05-20",
                  "url": "https://depeches.example/1"})  # stored, not coded
    rng.shuffle(lines)
    again = next(i for i, line in enumerate(lines) if line["id"] == "wire-0-again")
    lines.append(lines.pop(again))  # after its original: the stored copy is always wire-0
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps({k: v for k, v in line.items() if v is not None}) + "\n")
    return len(lines)


def warm() -> None:
    """Load what every run needs once, in this process, so forked runs start at once."""
    os.environ.setdefault("DIURNA_TODAY", TODAY)
    from diurna import nlp
    from diurna.cli import cli  # noqa: F401 - imports every command's modules
    from diurna.pipeline import Pipeline

    nlp.load()
    Pipeline(batch_size=1)


def _ingest_child(corpus: Path, db: Path, kill_at_statement: int | None) -> None:
    """In a forked child: run `diurna ingest`, optionally SIGKILLing itself before statement n. Never returns."""
    code = 3
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        if kill_at_statement is not None:
            from sqlalchemy import event
            from sqlalchemy.engine import Engine

            seen, writing = 0, kill_at_statement <= 0  # <= 0: count from the start (start-up kills)
            target = kill_at_statement + START_UP if writing else kill_at_statement

            def maybe_die(_conn, _cursor=None, statement: str = "", *_args) -> None:
                nonlocal seen, writing
                writing = writing or statement.startswith("INSERT INTO articles")
                seen += writing
                if writing and seen >= target:
                    os.kill(os.getpid(), signal.SIGKILL)

            event.listen(Engine, "before_cursor_execute", maybe_die)
            event.listen(Engine, "commit", maybe_die)
        from diurna.cli import cli

        try:
            cli.main(args=["ingest", str(corpus), "--db", str(db)], prog_name="diurna", standalone_mode=True)
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        os._exit(code)


def stored_articles(db: Path) -> int:
    """Articles in the database now (0 before the schema exists); read-only, never blocks the run."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("select count(*) from articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@dataclass(slots=True)
class Run:
    mode: str  # clean | statement | progress
    killed: bool
    exit_code: int | None
    articles_before: int
    articles_after: int


def run_once(corpus: Path, db: Path, mode: str = "clean", n: int = 0) -> Run:
    """One `diurna ingest` run: to the end (clean), or killed at statement n / after n more articles."""
    before = stored_articles(db)
    pid = os.fork()
    if pid == 0:
        _ingest_child(corpus, db, n if mode == "statement" else None)
    deadline = time.monotonic() + RUN_DEADLINE_S
    status = None
    while status is None:
        done, status_ = os.waitpid(pid, os.WNOHANG)
        if done:
            status = status_
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise RuntimeError(f"a {mode} run took over {RUN_DEADLINE_S}s")
        if mode == "progress" and stored_articles(db) >= before + n:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            break
        time.sleep(0.01)  # poll interval of a bounded wait on progress, not a timer the result depends on
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return Run(mode, killed, None if killed else os.waitstatus_to_exitcode(status), before, stored_articles(db))


def snapshot(db: Path) -> dict[str, collections.Counter]:
    """Every table's rows (timestamps left out) as a multiset; logs as a set."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' order by name")
                 if not r[0].startswith(SKIPPED_TABLES)]
        tables = {}
        for name in names:
            columns = [r[1] for r in conn.execute(f'pragma table_info("{name}")')
                       if r[1] not in VOLATILE and not (name in LOGS and r[1] == "id")]
            rows = conn.execute(f'select {", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)} from "{name}"')
            counted = collections.Counter(tuple(row) for row in rows)
            tables[name] = collections.Counter(set(counted)) if name in LOGS else counted
        return tables
    finally:
        conn.close()


def compare(clean: dict[str, collections.Counter], other: dict[str, collections.Counter]) -> dict[str, tuple[int, int]]:
    """Per table: (rows lost, rows doubled or extra) in `other` against `clean`."""
    return {name: (sum((clean.get(name, collections.Counter()) - other.get(name, collections.Counter())).values()),
                   sum((other.get(name, collections.Counter()) - clean.get(name, collections.Counter())).values()))
            for name in sorted(set(clean) | set(other))}


def integrity(db: Path) -> list[str]:
    from diurna.store import Store

    with Store.open(db) as store:
        return store.integrity_check()


@dataclass(slots=True)
class Trial:
    runs: list[Run] = field(default_factory=list)
    differences: dict[str, tuple[int, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    clean_counts: dict[str, int] = field(default_factory=dict)

    @property
    def kills(self) -> int:
        return sum(r.killed for r in self.runs)

    @property
    def lost(self) -> int:
        return sum(lost for lost, _ in self.differences.values())

    @property
    def doubled(self) -> int:
        return sum(doubled for _, doubled in self.differences.values())


def trial(folder: Path, kills: int = 20, articles: int = 40, seed: int = 7, log=None) -> Trial:
    """Clean run, then `kills` killed runs and a last run to the end; the comparison of the two databases."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus, clean, killed = folder / "corpus.jsonl", folder / "clean.db", folder / "killed.db"
    for path in folder.glob("*.db*"):
        path.unlink()
    make_corpus(corpus, articles, seed)
    warm()
    result = Trial()
    first = run_once(corpus, clean)
    if first.exit_code != 0:
        raise RuntimeError(f"the clean run exited {first.exit_code}")
    clean_rows = snapshot(clean)
    result.clean_counts = {name: sum(rows.values()) for name, rows in clean_rows.items()}
    rng = random.Random(seed)
    while result.kills < kills:
        mode = "statement" if len(result.runs) % 2 == 0 else "progress"
        n = rng.randint(1 - START_UP, 2 * STATEMENTS_PER_ARTICLE) if mode == "statement" else 1
        run = run_once(corpus, killed, mode, n)
        result.runs.append(run)
        if log:
            log(f"run {len(result.runs):3d} {mode:9} n={n:<4d} {'killed' if run.killed else 'finished':8} "
                f"articles {run.articles_before} -> {run.articles_after}")
        if not run.killed:
            if run.exit_code != 0:
                raise RuntimeError(f"a restarted run exited {run.exit_code}")
            if run.articles_after >= result.clean_counts.get("articles", 0):
                raise RuntimeError(f"the corpus ran out after {result.kills} kills: use more articles")
    last = run_once(corpus, killed)
    result.runs.append(last)
    if last.exit_code != 0:
        raise RuntimeError(f"the last run exited {last.exit_code}")
    result.differences = compare(clean_rows, snapshot(killed))
    result.problems = integrity(killed)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--articles", type=int, default=40, help="generated articles (4 more are added)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", default="/tmp/diurna-crash")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every run")
    args = parser.parse_args()
    started = time.perf_counter()
    result = trial(Path(args.dir), args.kills, args.articles, args.seed,
                   log=(lambda line: print(line, file=sys.stderr)) if args.verbose else None)
    modes = collections.Counter(r.mode for r in result.runs if r.killed)
    print(f"corpus: {args.articles + 4} documents; clean run: "
          + ", ".join(f"{n} {t}" for t, n in result.clean_counts.items() if n))
    print(f"trials: {len(result.runs)} runs, {result.kills} killed with SIGKILL "
          f"({modes['statement']} at a drawn SQL statement, {modes['progress']} after drawn progress), "
          f"{len(result.runs) - result.kills} ran to the end")
    print(f"{'table':22} {'clean rows':>10} {'lost':>6} {'doubled':>8}")
    for name, (lost, doubled) in result.differences.items():
        print(f"{name:22} {result.clean_counts.get(name, 0):10d} {lost:6d} {doubled:8d}")
    print(f"rows lost: {result.lost}  rows doubled: {result.doubled}  "
          f"integrity: {'ok' if not result.problems else '; '.join(result.problems)}  "
          f"({time.perf_counter() - started:.0f}s)")
    sys.exit(0 if result.lost == result.doubled == 0 and not result.problems else 1)


if __name__ == "__main__":
    main()
