"""Coverage-guided fuzzing (atheris) of the readers and extractors, for a fixed time.

    pip install -e '.[fuzz]'
    python benchmarks/fuzz.py --seconds 60 [--out DIR]

Each input is one byte string, fed to every target: file decoding (`decode_bytes`, `decode_web`),
one JSONL line, the feed/sitemap parser, the page-text cleaner, `extract` (as text and as HTML)
and `when.read_date`. A target may return a result or raise a `DiurnaError` (a clean, recorded
failure); any other exception is a bug: it is counted by target and exception, its first input is
kept under --out, and fuzzing goes on. Prints the inputs tried, their rate and the bugs found;
exit code 1 when there are any. The spaCy model is not loaded (nothing here parses sentences).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import time
from collections import Counter
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["diurna"]):
    from diurna import feeds, when
    from diurna.errors import DiurnaError
    from diurna.extract import clean_page_text, extract
    from diurna.models import Document
    from diurna.sources import _jsonl_document, decode_bytes, decode_web

BASE = dt.date(2025, 6, 1)


def _targets(data: bytes):
    text = data.decode("utf-8", "replace")
    yield "decode_bytes", lambda: decode_bytes(data, html=True)
    yield "decode_web", lambda: decode_web(data, None, html=True)
    yield "jsonl_line", lambda: _jsonl_document(text, "f:1", "f.jsonl:1")
    yield "parse_listing", lambda: feeds.parse_listing(data, "https://news.example/feed")
    yield "clean_page_text", lambda: clean_page_text(text)
    yield "extract_text", lambda: extract(Document(id="f", text=text)) if text.strip() else None
    yield "extract_html", lambda: extract(Document(id="f", html=text)) if text.strip() else None
    yield "read_date", lambda: when.read_date(text[:200], BASE)


class Run:
    def __init__(self, seconds: float, out: Path):
        self.deadline = time.monotonic() + seconds
        self.started = time.monotonic()
        self.out = out
        self.tried = 0
        self.clean_errors = 0
        self.bugs: Counter[str] = Counter()

    def one(self, data: bytes) -> None:
        if time.monotonic() >= self.deadline:
            self.report()
        self.tried += 1
        for name, target in _targets(data):
            try:
                target()
            except DiurnaError:
                self.clean_errors += 1
            except Exception as exc:  # noqa: BLE001 - what the fuzzer is looking for
                key = f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:100] if str(exc) else ''}"
                if key not in self.bugs:
                    self.out.mkdir(parents=True, exist_ok=True)
                    (self.out / f"{name}-{hashlib.sha1(data).hexdigest()[:12]}").write_bytes(data)
                self.bugs[key] += 1

    def report(self) -> None:
        seconds = time.monotonic() - self.started
        print(f"\nfuzzed {len(list(_targets(b'')))} targets for {seconds:.0f} s: {self.tried} inputs tried "
              f"({self.tried / seconds:.0f}/s), {self.clean_errors} clean DiurnaErrors, "
              f"{sum(self.bugs.values())} unexpected exceptions in {len(self.bugs)} kinds")
        for key, n in self.bugs.most_common():
            print(f"  {n:6d}  {key}")
        if self.bugs:
            print(f"first input of each kind kept in {self.out}")
        sys.stdout.flush()
        os._exit(1 if self.bugs else 0)  # libFuzzer's loop never returns; leave from here


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"), help="Where failing inputs are kept.")
    args, rest = parser.parse_known_args()
    run = Run(args.seconds, args.out)
    # libFuzzer's own options may follow (e.g. -seed=1); its time limit is a backstop to ours
    atheris.Setup([sys.argv[0], f"-max_total_time={int(args.seconds) + 30}", "-rss_limit_mb=4096", *rest],
                  run.one)
    atheris.Fuzz()
    run.report()


if __name__ == "__main__":
    main()
