"""`diurna ingest` and `diurna recode`: code into an event database."""
from __future__ import annotations

import sys

import click
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .. import ingest as ingesting
from ..sources import read_sources
from .common import as_date, cli, db_option, err, min_confidence_option, report_failure, usage_errors


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=None),
                    TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal)


@cli.command("ingest")
@click.argument("sources", nargs=-1, required=True)
@db_option
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Coding processes (each loads the model once).")
@click.option("--published", callback=as_date, help="Publication date where a source gives none with a year.")
@click.option("--actors", "actors_file", type=click.Path(dir_okay=False), help="User actor dictionary.")
@click.option("--allow-private", is_flag=True, help="Fetch URLs on private, loopback and link-local addresses.")
@click.option("--ignore-robots", is_flag=True, help="Fetch pages robots.txt disallows.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: worker processes here; ray: Ray Data on a Ray cluster (pip install 'diurna[ray]').")
@click.option("--ray-address", help="The Ray cluster to join (auto, ray://head:10001); default: "
                                    "$RAY_ADDRESS, else Ray started on this machine.")
@click.option("--out", help="With --engine ray: write Parquet to parquet://DIR instead of --db "
                            "(then `diurna load DIR`).")
@usage_errors
@min_confidence_option
def ingest_cli(sources, db, workers, published, actors_file, allow_private, ignore_robots, engine, ray_address,
               out, min_confidence) -> None:
    """Code SOURCES (files, directories, JSONL, URLs, feeds, sitemaps, WARC files) into the database.
    Articles already stored are skipped, so a rerun finishes an interrupted run."""
    settings = ingesting.Settings(store=db, published=published, actors=actors_file, min_confidence=min_confidence)
    if engine == "local" and (ray_address or out):
        raise click.UsageError("--ray-address and --out need --engine ray")
    items = read_sources(sources, stdin=sys.stdin, allow_private=allow_private, respect_robots=not ignore_robots)
    with _progress() as progress:
        task = progress.add_task("ingesting", total=None)

        def show(summary: ingesting.Summary) -> None:
            progress.update(task, description=f"{summary.articles} stored, {summary.events} events, "
                                              f"{summary.duplicates} already stored, {summary.failures} failed")
        if engine == "ray":
            from .. import scale

            given = click.get_current_context().get_parameter_source("workers").name != "DEFAULT"
            summary = scale.ingest(sources, settings, address=ray_address, out=out, workers=workers if given else None,
                                   stdin=sys.stdin, allow_private=allow_private, respect_robots=not ignore_robots,
                                   on_result=show)
        else:
            summary = ingesting.ingest(items, settings, workers=workers, on_result=show)
    for failure in summary.failed:
        report_failure(failure)
    err.print(summary.line())
    sys.exit(1 if summary.failures else 0)


@cli.command("recode")
@db_option
@click.option("--all", "everything", is_flag=True, help="Re-code every article, not only those coded by "
                                                         "another coder version.")
@click.option("--actors", "actors_file", type=click.Path(dir_okay=False), help="User actor dictionary.")
@usage_errors
@min_confidence_option
def recode_cli(db, everything, actors_file, min_confidence) -> None:
    """Re-code stored articles with the current coder; event ids stay stable."""
    summary = ingesting.recode(db, everything=everything, actors=actors_file, min_confidence=min_confidence)
    err.print(f"{summary.articles} articles re-coded, {summary.events} events, {summary.failures} failed")
    sys.exit(1 if summary.failures else 0)


@cli.command("watch")
@click.argument("sources_file", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--every", default="15m", show_default=True, help="How often to poll (30s, 15m, 1h).")
@click.option("--once", is_flag=True, help="Poll every source once and exit.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--allow-private", is_flag=True, help="Fetch URLs on private, loopback and link-local addresses.")
@click.option("--ignore-robots", is_flag=True, help="Fetch pages robots.txt disallows.")
@usage_errors
def watch_cli(sources_file, db, every, once, workers, allow_private, ignore_robots) -> None:
    """Keep the database current: poll the feeds and sitemaps SOURCES_FILE lists (one URL a line)
    with conditional requests, ingest what is new, back off from failing sites. Its state lives in
    the database, so a restarted watcher picks up where it left off."""
    from ..fetch import Fetcher
    from ..sources import read_links
    from ..store import Store
    from ..watch import StoreFeedStates, parse_interval, read_sources_file, watch

    sources = read_sources_file(sources_file)
    settings = ingesting.Settings(store=db)
    with Store.open(db) as store, Fetcher(allow_private=allow_private, respect_robots=not ignore_robots) as fetcher:
        def ingest_links(links) -> None:
            summary = ingesting.ingest(read_links(links, fetcher), settings, workers=workers)
            err.print(summary.line())

        watch(sources, StoreFeedStates(store), fetcher, ingest_links, every=parse_interval(every),
              known=lambda url: store.has(url=url), rounds=1 if once else None)
