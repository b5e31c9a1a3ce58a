"""Test helpers for anything that needs a store on both engines (the store's contract suite, ingest).

    @pytest.fixture(params=["sqlite", "postgresql"])
    def db_url(request, tmp_path):
        with testing.database(request.param, tmp_path) as url:
            yield url

PostgreSQL comes from `DIURNA_TEST_POSTGRES` (default postgresql://postgres@127.0.0.1:5432/test);
each use gets a fresh schema, dropped afterwards. When no server answers the test is skipped with
the reason, except under CI (`CI` set), where PostgreSQL must be there and the test fails instead.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get("DIURNA_TEST_POSTGRES") or DEFAULT_POSTGRES


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema (dropped on exit)."""
    import psycopg
    import pytest
    from sqlalchemy.engine import make_url

    url = postgres_url()
    try:
        admin = psycopg.connect(url, connect_timeout=3, autocommit=True)
    except psycopg.Error as exc:
        message = f"PostgreSQL not reachable at {url} (set DIURNA_TEST_POSTGRES): {exc}".strip()
        if os.environ.get("CI"):
            pytest.fail(message + " - CI must run the PostgreSQL contract suite")
        pytest.skip(message)
    name = f"diurna_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE SCHEMA "{name}"')
        try:
            scoped = make_url(url).update_query_dict({"options": f"-csearch_path={name}"})
            yield scoped.render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@contextlib.contextmanager
def database(engine: str, directory: Path) -> Iterator[str]:
    """A fresh database URL for `engine` ("sqlite" under `directory`, or "postgresql")."""
    if engine == "sqlite":
        yield str(Path(directory) / "diurna.db")
    elif engine == "postgresql":
        with postgres_schema() as url:
            yield url
    else:
        raise ValueError(f"unknown engine {engine!r}")
