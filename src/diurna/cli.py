"""The command line: thin commands over library calls. Exit codes: 0 all good, 1 some documents
failed, 2 usage error."""
from __future__ import annotations

import datetime as dt
import logging
import sys

import click
from rich.console import Console
from rich.table import Table

from . import __version__, export
from .dictionary import load_user_dictionary
from .errors import DiurnaError
from .pipeline import Pipeline
from .sources import read_sources


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("expected YYYY-MM-DD") from None


@click.group()
@click.version_option(__version__, prog_name="diurna")
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """diurna: read the news, write down what happened."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


@cli.command("code")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write events here (default: stdout).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "table"]), default="jsonl", show_default=True)
@click.option("--published", callback=_date, help="Publication date (YYYY-MM-DD) where the input gives none with a year.")
@click.option("--actors", "actors_file", type=click.Path(dir_okay=False), help="User actor dictionary (YAML or CSV).")
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1, 1024))
def code_cli(inputs, output, fmt, published, actors_file, batch_size) -> None:
    """Code INPUTS (text, HTML or JSONL files, directories, or - for stdin) into PLOVER events."""
    err = Console(stderr=True)
    try:
        user = load_user_dictionary(actors_file) if actors_file else None
        pipeline = Pipeline(published=published, user_actors=user, batch_size=batch_size)
    except DiurnaError as exc:
        raise click.UsageError(str(exc)) from exc
    writer = export.CsvWriter(output) if fmt == "csv" else None
    table_rows: list[tuple] = []
    articles = events = failures = 0
    for result in pipeline.run(read_sources(inputs, stdin=sys.stdin)):
        if result.failure is not None:
            failures += 1
            f = result.failure
            err.print(f"[red]error[/red]: document {f.doc_id!r} ({f.origin or 'input'}): {f.stage}: {f.reason}",
                      highlight=False, markup=True, soft_wrap=True)
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
    err.print(f"{articles} articles coded, {events} events, {failures} failed", highlight=False)
    sys.exit(1 if failures else 0)


def _print_table(rows, output) -> None:
    table = Table(show_lines=False, header_style="bold")
    for column in ("doc", "date", "event", "actor", "recipient", "where", "cameo", "gold", "trigger"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    Console(file=output, width=160 if not output.isatty() else None).print(table)


def main() -> None:
    cli(prog_name="diurna")


if __name__ == "__main__":
    main()
