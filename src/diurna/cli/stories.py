"""Stories: `diurna stories` lists them, `stories show ID` shows one, `stories link` links a database
stored before stories existed."""
from __future__ import annotations

import json
import sys

import click

from .. import stories as story_stage
from ..store import Store
from .common import as_date, cli, db_option, usage_errors
from .query import _table, out


@cli.group("stories", invoke_without_command=True)
@db_option
@click.option("--since", callback=as_date, help="Stories still running on or after YYYY-MM-DD.")
@click.option("--until", callback=as_date, help="Stories begun on or before YYYY-MM-DD.")
@click.option("--query", "q", help="Words in the story's title.")
@click.option("--country", help="A unique event's actor, recipient or place (PAK).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@click.pass_context
@usage_errors
def stories_cli(ctx, db, since, until, q, country, fmt, limit) -> None:
    """Stories (articles about one happening), latest first; see `show` and `link`."""
    if ctx.invoked_subcommand is not None:
        return
    with Store.open(db) as store:
        found = story_stage.stories(store, since=since, until=until, q=q, country=country, limit=limit)
    if fmt == "jsonl":
        for row in found:
            sys.stdout.write(json.dumps(row, default=str, ensure_ascii=False) + "\n")
        return
    _table(["story", "from", "to", "articles", "events", "title"],
           [[s["id"], s["first_date"], s["last_date"], s["articles"], s["events"], s["title"]] for s in found])


@stories_cli.command("show")
@click.argument("story_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@usage_errors
def show_cli(story_id, db, fmt) -> None:
    """One story: its articles, and its unique events by date with their mention counts."""
    with Store.open(db) as store:
        found = story_stage.story(store, story_id)
    if found is None:
        raise click.UsageError(f"no story {story_id!r}")
    if fmt == "json":
        sys.stdout.write(json.dumps(found, default=str, ensure_ascii=False, indent=1) + "\n")
        return
    story = found["story"]
    out.print(f"{story['title']}  ({story['first_date'] or '?'} to {story['last_date'] or '?'}, "
              f"{story['articles']} articles, {len(found['events'])} unique events)", markup=False)
    _table(["published", "article", "site", "copy of", "title"],
           [[a["published"], a["id"], a["site"], "" if not a["duplicate"] else a["canonical_id"], a["title"]]
            for a in found["articles"]])

    def codes(side: list[dict]) -> str:
        return ",".join(e.get("code") or "?" for e in side)

    _table(["date", "event", "actor", "recipient", "mentions", "articles", "sources", "confidence", "sentence"],
           [[e["date"], e["event"][0], codes(e["actor"]), codes(e["recipient"]), e["mentions"], e["articles"],
             e["sources"], e["confidence"], e["event_text"]] for e in found["events"]])


@stories_cli.command("link")
@db_option
@usage_errors
def link_cli(db) -> None:
    """Link the articles stored before stories existed (near-duplicates, stories, unique events)."""
    with Store.open(db) as store:
        linked = story_stage.link_missing(store)
    click.echo(f"linked {linked} articles")
