"""The command group and the options several commands share."""
from __future__ import annotations

import datetime as dt
import logging
from functools import wraps

import click
from rich.console import Console

from .. import __version__
from ..errors import DiurnaError

err = Console(stderr=True, highlight=False)


@click.group()
@click.version_option(__version__, prog_name="diurna")
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """diurna: read the news, write down what happened."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


min_confidence_option = click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=None,
    help="Drop article events below this confidence (a probability). Default: DIURNA_MIN_CONFIDENCE, else the "
         "threshold the offline coder's confidence model was tuned to; 0 keeps every event.")


def as_date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("expected YYYY-MM-DD") from None


def db_option(command):
    return click.option("--db", default="diurna.db", show_default=True, envvar="DIURNA_DB",
                        help="SQLite file or postgresql:// URL.")(command)


def usage_errors(command):
    """Domain errors (a bad dictionary, a bad query) are usage errors: a clean message, exit 2."""
    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DiurnaError as exc:
            raise click.UsageError(str(exc)) from exc
    return wrapper


def report_failure(failure) -> None:
    err.print(f"[red]error[/red]: document {failure.doc_id!r} ({failure.origin or 'input'}): "
              f"{failure.stage}: {failure.reason}", soft_wrap=True)
