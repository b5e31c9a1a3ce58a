"""Hostile inputs through the real ingest path: how each ended, how long it took, how much memory.

    python benchmarks/hostile.py [--scale 1.0]

The corpus is tests/hostile_corpus.py (billion laughs, external entities, gzip bombs over HTTP
and in a WARC record, a 200 MB page as a file and as an HTTP body, HTML nested 100,000 deep, a
binary file named .html, invalid and mixed encodings, NUL bytes, zero-width and right-to-left
characters, one 4.9 MB sentence, JSONL lines that are not objects), written to a temp folder and
served by a local HTTP server. Each input is ingested on its own (`diurna.ingest.ingest` over
`read_sources`) into a temp SQLite store, with the default settings (5 MB cap, 60 s per document).

Columns: the input; how it ended (the failure's stage and reason, or what was stored); wall-clock
seconds; peak memory, the rise of the process's resident set over its size before the input
(Linux VmHWM, reset before each input). The exit code is 1 when an input did not end as
tests/test_hostile.py expects it to (hostile_corpus.EXPECTED).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "web"))

import hostile_corpus  # noqa: E402
from localweb import LocalWeb  # noqa: E402

from diurna import ingest  # noqa: E402
from diurna.pipeline import Pipeline  # noqa: E402
from diurna.sources import read_sources  # noqa: E402


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> int:
    """Reset the resident-set high-water mark (Linux clear_refs 5); return the size now, in kB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _status_kb("VmRSS")


def _ended(summary: ingest.Summary) -> str:
    parts = []
    reasons = Counter(f"{f.stage}: {f.reason[:70]}" for f in summary.failed)
    for reason, n in reasons.items():
        parts.append(f"failure ({reason})" if n == 1 else f"{n} failures ({reason})")
    if summary.articles or summary.duplicates:
        parts.append(f"stored {summary.articles} article(s), {summary.events} event(s)")
    return "; ".join(parts) or "nothing read"


def _as_expected(name: str, summary: ingest.Summary) -> bool:
    stage = hostile_corpus.EXPECTED[name]
    if stage is None:
        return not summary.failed and summary.articles > 0
    return bool(summary.failed) and {f.stage for f in summary.failed} == {stage}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="Size of the large inputs (200 MB page, 1 GB gzip bombs) relative to the issue's.")
    args = parser.parse_args()

    Pipeline()  # warm up: the model loads once, before any input is measured
    rows, failed = [], []
    with tempfile.TemporaryDirectory() as tmp, LocalWeb() as web:
        started = time.perf_counter()
        paths = hostile_corpus.write_files(Path(tmp) / "corpus", scale=args.scale)
        urls = hostile_corpus.serve(web, scale=args.scale)
        made = time.perf_counter() - started
        inputs = {**{name: str(path) for name, path in paths.items()}, **urls}
        for name in hostile_corpus.EXPECTED:
            before = _reset_peak()
            started = time.perf_counter()
            items = read_sources([inputs[name]], allow_private=True, respect_robots=False)
            summary = ingest.ingest(items, ingest.Settings(store=str(Path(tmp) / f"{name}.db")))
            seconds = time.perf_counter() - started
            peak_mb = max(0, _status_kb("VmHWM") - before) / 1024
            rows.append((name, _ended(summary), seconds, peak_mb))
            if not _as_expected(name, summary):
                failed.append(name)

    width = max(len(r[0]) for r in rows)
    print(f"corpus made in {made:.1f} s (scale {args.scale:g})\n")
    print(f"| {'input':<{width}} | how it ended | seconds | peak MB |")
    print(f"|{'-' * (width + 2)}|---|---:|---:|")
    for name, ended, seconds, peak in rows:
        print(f"| {name:<{width}} | {ended} | {seconds:.2f} | {peak:.0f} |")
    print(f"\n{len(rows)} hostile inputs, {len(rows) - len(failed)} ended as expected"
          + (f"; NOT as expected: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
