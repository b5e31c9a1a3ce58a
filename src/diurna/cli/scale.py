"""`diurna load`: Parquet results of a Ray run (`diurna ingest --engine ray --out parquet://DIR`) into
an event database."""
from __future__ import annotations

import click

from .. import scale
from .common import cli, db_option, err, usage_errors


@cli.command("load")
@click.argument("directory")
@db_option
@usage_errors
def load_cli(directory, db) -> None:
    """Read DIRECTORY (DIR or parquet://DIR: articles/, events/, failures/ as `diurna ingest --engine
    ray --out` writes them) into the database. Articles already stored are skipped, so loading twice
    adds nothing. The run's failures are recorded too (they were reported when it ran)."""
    summary = scale.load(directory, db)
    err.print(summary.line())
