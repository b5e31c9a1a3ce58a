"""Extraction quality of diurna's extract stage next to trafilatura alone, in one table.

    python benchmarks/extraction.py DIR [--judge PATH] [--workers N] [--keep PRED_DIR]

DIR is laid out like ../shared/data/dev/extraction: html/NNNN.html.gz, and ground-truth/NNNN.json
of which only the page's `url` is read (the gold answers are the judge's business). Both
extractors run over the same pages; their predictions are written in the judge's format
({"id", "title", "published", "byline", "text"} per line) and scored by the judge,
score_extract.py (default ../shared/eval/score_extract.py next to the repository), whose summary
figures are printed side by side. Without a judge the predictions are written and nothing scored.

diurna predicts a date only when the page carries one (published_source "page"): the fallbacks
(`--published`, today) are not the page's date, and a wrong date costs more than none.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("body_f1", "title_exact", "date_exact", "date_precision", "author_found")


def pages(folder: Path) -> list[tuple[str, Path, str | None]]:
    out = []
    for path in sorted((folder / "html").glob("*.html.gz")):
        page_id = path.name.split(".")[0]
        meta = folder / "ground-truth" / f"{page_id}.json"
        url = json.loads(meta.read_text(encoding="utf-8")).get("url") if meta.exists() else None
        out.append((page_id, path, url))
    return out


def _html(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8", "replace")


def diurna_prediction(job: tuple[str, Path, str | None]) -> dict:
    from diurna.errors import ExtractError
    from diurna.extract import extract
    from diurna.models import Document

    page_id, path, url = job
    try:
        article = extract(Document(id=page_id, html=_html(path), url=url))
    except ExtractError:
        return {"id": page_id, "title": "", "published": None, "byline": "", "text": ""}
    published = article.published.isoformat() if article.published and article.published_source == "page" else None
    return {"id": page_id, "title": article.title, "published": published, "byline": article.byline,
            "text": article.text, "language": article.language, "site": article.site}


def trafilatura_prediction(job: tuple[str, Path, str | None]) -> dict:
    import trafilatura

    page_id, path, url = job
    try:
        result = trafilatura.bare_extraction(_html(path), url=url, with_metadata=True)
    except Exception:  # trafilatura's own failures count as an empty prediction
        result = None
    if result is None:
        return {"id": page_id, "title": "", "published": None, "byline": "", "text": ""}
    return {"id": page_id, "title": result.title or "", "published": result.date, "byline": result.author or "",
            "text": result.text or ""}


def run(name: str, function, jobs: list, workers: int, out: Path) -> tuple[Path, float]:
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        predictions = list(pool.map(function, jobs, chunksize=8))
    seconds = time.perf_counter() - start
    path = out / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for record in predictions:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path, seconds


def judge(judge_path: Path, folder: Path, predictions: Path, verbose: bool) -> dict[str, float]:
    command = [sys.executable, str(judge_path), "score", str(folder), str(predictions)] + (["-v"] if verbose else [])
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    if verbose:
        print(done.stdout.rstrip("\n").rsplit("\n", 1)[0] if "\n" in done.stdout.strip() else "")
    summary = done.stdout.strip().splitlines()[-1]
    return {key: float(value) for key, value in re.findall(r"(\w+)=([0-9.]+)", summary)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--judge", type=Path, default=ROOT.parent / "shared" / "eval" / "score_extract.py")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, help="write the prediction files here instead of a temporary folder")
    parser.add_argument("--only-diurna", action="store_true", help="skip trafilatura alone")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the judge's per-page misses for diurna")
    args = parser.parse_args()

    jobs = pages(args.folder)
    if not jobs:
        raise SystemExit(f"no html/*.html.gz pages under {args.folder}")
    with tempfile.TemporaryDirectory() as temp:
        out = args.keep or Path(temp)
        out.mkdir(parents=True, exist_ok=True)
        runs = {"diurna extract": run("diurna", diurna_prediction, jobs, args.workers, out)}
        if not args.only_diurna:
            runs["trafilatura alone"] = run("trafilatura", trafilatura_prediction, jobs, args.workers, out)
        if not args.judge.exists():
            print(f"no judge at {args.judge}: predictions in {out}" if args.keep else f"no judge at {args.judge}")
            return
        scores = {name: judge(args.judge, args.folder, path, args.verbose and name == "diurna extract")
                  for name, (path, _) in runs.items()}
    print(f"{len(jobs)} pages in {args.folder}")
    print(f"{'extractor':<20}" + "".join(f"{f:>16}" for f in FIGURES) + f"{'pages/s':>10}")
    for name, (_, seconds) in runs.items():
        row = "".join(f"{scores[name].get(f, 0.0):>16.3f}" for f in FIGURES)
        print(f"{name:<20}{row}{len(jobs) / seconds:>10.1f}")


if __name__ == "__main__":
    main()
