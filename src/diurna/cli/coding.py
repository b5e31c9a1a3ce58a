"""`diurna code`: inputs in, coded events out, no database."""
from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from .. import export
from ..dictionary import load_user_dictionary
from ..errors import DiurnaError
from ..pipeline import Pipeline
from ..sources import read_sources
from .common import as_date, cli, err, min_confidence_option, report_failure


@cli.command("code")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write events here (default: stdout).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]), default="jsonl", show_default=True)
@click.option("--published", callback=as_date, help="Publication date (YYYY-MM-DD) where the input gives none with a year.")
@click.option("--actors", "actors_file", type=click.Path(dir_okay=False), help="User actor dictionary (YAML or CSV).")
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1, 1024))
@click.option("--allow-private", is_flag=True, help="Fetch URLs on private, loopback and link-local addresses.")
@click.option("--ignore-robots", is_flag=True, help="Fetch pages robots.txt disallows.")
@click.option("--coder", "coder_kind", type=click.Choice(["offline", "llm", "hybrid"]), default="offline",
              show_default=True, help="llm, hybrid: a model at DIURNA_LLM_BASE_URL codes (or checks) the events.")
@min_confidence_option
def code_cli(inputs, output, fmt, published, actors_file, batch_size, allow_private, ignore_robots,
             coder_kind, min_confidence) -> None:
    """Code INPUTS (text, HTML or JSONL files, directories, or - for stdin) into PLOVER events."""
    try:
        user = load_user_dictionary(actors_file) if actors_file else None
        coder = None
        if coder_kind != "offline":
            from ..llm import make_coder  # optional: never imported by an offline run
            coder = make_coder(coder_kind)
        pipeline = Pipeline(published=published, user_actors=user, batch_size=batch_size, coder=coder,
                            min_confidence=min_confidence)
    except DiurnaError as exc:
        raise click.UsageError(str(exc)) from exc
    writer = export.CsvWriter(output) if fmt == "csv" else None
    table_rows: list[tuple] = []
    articles = events = failures = 0
    for result in pipeline.run(read_sources(inputs, stdin=sys.stdin, allow_private=allow_private,
                                            respect_robots=not ignore_robots)):
        if result.failure is not None:
            failures += 1
            report_failure(result.failure)
            continue
        articles += 1
        events += len(result.events)
        if fmt == "jsonl":
            export.write_jsonl(result.events, output)
        elif fmt == "csv":
            writer.write(result.events)
        else:
            table_rows += [(result.article.id, *row) for row in export.table_rows(result.events)]
    if fmt == "table":
        _print_table(table_rows, output)
    output.flush()
    err.print(f"{articles} articles coded, {events} events, {failures} failed")
    if coder is not None:
        err.print(coder.summary())
    sys.exit(1 if failures else 0)


def _print_table(rows, output) -> None:
    table = Table(show_lines=False, header_style="bold")
    for column in ("doc", "date", "event", "actor", "recipient", "where", "cameo", "gold", "trigger"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    Console(file=output, width=160 if not output.isatty() else None).print(table)


@cli.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write the extracted articles here as JSON lines (default: stdout).")
@click.option("--published", callback=as_date, help="Publication date where the input gives none with a year.")
def extract_cli(inputs, output, published) -> None:
    """Extract INPUTS into articles (id, url, title, byline, published, site, language, text)."""
    import json

    from ..extract import extract, extract_record
    from ..models import Failure

    done = failed = 0
    for item in read_sources(inputs, stdin=sys.stdin):
        if not isinstance(item, Failure):
            try:
                record = extract_record(extract(item, published))
            except DiurnaError as exc:
                item = Failure(item.id, "extract", str(exc), item.origin)
            else:
                output.write(json.dumps(record, ensure_ascii=False) + "\n")
                done += 1
                continue
        failed += 1
        report_failure(item)
    output.flush()
    err.print(f"{done} articles extracted, {failed} failed")
    sys.exit(1 if failed else 0)
