"""Querying an event database: events, search, show, actors, dyads, export."""
from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import export
from .. import query as q
from ..store import Store
from .common import cli, db_option, usage_errors

# Piped output (a file, `less`) gets a wide table rather than rich's 80-column default.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
QUADS = {"1": 1, "2": 2, "3": 3, "4": 4, "verbal-cooperation": 1, "material-cooperation": 2,
         "verbal-conflict": 3, "material-conflict": 4}


def filter_options(command):
    """The filters `diurna events` and `diurna export` share."""
    options = [
        click.option("--country", help="Either side's country code (PAK)."),
        click.option("--actor", help="Actor code or name."),
        click.option("--recipient", help="Recipient code or name."),
        click.option("--sector", help="Either side's sector (GOV, MIL, ...)."),
        click.option("--type", "event_type", multiple=True, help="PLOVER event type; repeat for several."),
        click.option("--quad", multiple=True, type=click.Choice(sorted(QUADS)), help="Quad class."),
        click.option("--since", help="Events on or after YYYY-MM-DD."),
        click.option("--until", help="Events on or before YYYY-MM-DD."),
        click.option("--query", help="Full-text search over the events' articles."),
        click.option("--min-confidence", type=click.FloatRange(0, 1)),
        click.option("--include-nonfactual", is_flag=True, help="Also negated and hypothetical events."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filters(kwargs: dict) -> dict:
    kwargs["event_type"] = [t.upper() for t in kwargs["event_type"]] or None
    kwargs["quad"] = [QUADS[x] for x in kwargs["quad"]] or None
    return {k: v for k, v in kwargs.items() if v not in (None, False)}


def _table(columns: list[str], rows: list[list]) -> None:
    table = Table(header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # Text, not markup: article text and snippets may hold brackets rich would take for tags
        table.add_row(*(Text("" if v is None else str(v)) for v in row))
    out.print(table)


@cli.command("events")
@db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True)
@usage_errors
def events_cli(db, fmt, limit, **filters) -> None:
    """Events in the database, filtered (happened events only unless --include-nonfactual)."""
    with Store.open(db) as store:
        hits = q.events(store, limit=limit, **_filters(filters))
    events = [hit.event for hit in hits]
    if fmt == "jsonl":
        export.write_jsonl(events, sys.stdout)
    elif fmt == "csv":
        export.CsvWriter(sys.stdout).write(events)
    else:
        _table(["article", "date", "event", "actor", "recipient", "where", "cameo", "gold", "trigger"],
               [[hit.event.doc_id, *row] for hit, row in zip(hits, export.table_rows(events))])


@cli.command("search")
@click.argument("text")
@db_option
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@usage_errors
def search_cli(text, db, limit) -> None:
    """Articles whose title or text match TEXT, with snippets."""
    with Store.open(db) as store:
        hits = q.search(store, text, limit=limit)
    _table(["article", "published", "title", "snippet"],
           [[h.get("id"), h.get("published"), h.get("title"), h.get("snippet")] for h in hits])


@cli.command("show")
@click.argument("article_id")
@db_option
@usage_errors
def show_cli(article_id, db) -> None:
    """An article with its events and the sentences they came from."""
    with Store.open(db) as store:
        shown = q.show(store, article_id)
    if shown is None:
        raise click.UsageError(f"no article {article_id!r} in {db}")
    article = shown.article
    out.print(f"[bold]{article.title or article.id}[/bold]  {article.published or ''}  {article.url or ''}")
    for event, row in zip(shown.events, export.table_rows(shown.events)):
        out.print(f"\n{row[0]}  [bold]{row[1]}[/bold]  {row[2]} -> {row[3]}  {row[4]}  CAMEO {row[5]} ({row[6]})")
        out.print(f"  {event.event_text}")


@cli.command("actors")
@db_option
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@usage_errors
def actors_cli(db, limit) -> None:
    """Actors by number of events."""
    with Store.open(db) as store:
        rows = q.actors(store)[:limit]
    if rows:
        _table(list(rows[0]), [list(r.values()) for r in rows])


@cli.command("dyads")
@db_option
@click.option("--period", type=click.Choice(["day", "month", "year"]), default="month", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@usage_errors
def dyads_cli(db, period, fmt) -> None:
    """Event counts and net Goldstein score per actor-recipient pair and period."""
    with Store.open(db) as store:
        rows = q.dyads(store, period=period)
    if fmt == "jsonl":
        for row in rows:
            out.print(json.dumps(row, default=str))
    elif rows:
        _table(list(rows[0]), [list(r.values()) for r in rows])


@cli.command("export")
@db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["plover", "csv", "parquet", "gdelt"]), required=True)
@click.option("-o", "--output", required=True, help="File to write.")
@usage_errors
def export_cli(db, fmt, output, **filters) -> None:
    """Write events (all, or filtered) as PLOVER JSON lines, CSV, Parquet or a GDELT-like table."""
    with Store.open(db) as store:
        hits = q.events(store, **_filters(filters))
    count = export.write(hits, fmt, output)
    click.echo(f"{count} events written to {output}", err=True)
