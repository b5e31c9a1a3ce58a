"""Driver-level statements for the hot path of `link_article` (a handful an article).

SQLAlchemy Core is the rule in diurna; linking is the exception because it runs inside every
`Store.add`, and Core's per-statement and per-row work (compiling expanding IN lists, processing
each parameter and each result value) cost more than SQLite's own work there (see
`benchmarks/stories.py`). These helpers write plain SQL in the driver's parameter style and run
it on the driver's own cursor, inside the Core transaction (`run`: a driver error is raised as
Core would raise it, so `Store.write` and `Store.add` handle it the same way; Core's statement
events do not see these statements). IN lists are padded (`padded`) so that a statement has one
of a few shapes and the driver's statement cache prepares each once: preparing the candidate
look-up cost more than running it. They do, by hand, the conversions Core would: a DATE is ISO
text on SQLite and a DATETIME "YYYY-MM-DD HH:MM:SS.ffffff" (as Core stores them), and a DATE
comes back as text there; a BOOLEAN comes back from SQLite as 0 or 1. PostgreSQL's driver
(psycopg) adapts dates and booleans itself.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Table
from sqlalchemy.exc import DBAPIError


def marks(conn: Connection, count: int) -> str:
    """`count` positional parameters in the driver's style (sqlite3 "?", psycopg "%s")."""
    return ", ".join(("?" if conn.dialect.name == "sqlite" else "%s",) * count)


def padded(values: Sequence[Any]) -> list[Any]:
    """`values` (not empty) padded to a fixed length (4, 8, 16, ...) by repeating the last, for an
    IN list: a statement then has one of a few shapes, each prepared once (the driver's statement
    cache), and a repeated value finds nothing more."""
    size = max(4, 1 << (len(values) - 1).bit_length())
    return [*values, *(values[-1:] * (size - len(values)))]


def param(conn: Connection, value: Any) -> Any:
    """One parameter as the driver should get it (an ISO date on SQLite)."""
    return value.isoformat() if conn.dialect.name == "sqlite" and type(value) is dt.date else value


def insert(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]], *,
           ignore_conflicts: bool = False) -> None:
    """INSERT rows of values in `columns` order (executemany); with `ignore_conflicts`, rows whose key is
    stored are skipped (SQLite's OR IGNORE, PostgreSQL's ON CONFLICT DO NOTHING)."""
    names = ", ".join(f'"{c}"' for c in columns)
    if conn.dialect.name == "sqlite":
        sql = f"INSERT{' OR IGNORE' if ignore_conflicts else ''} INTO {table.name} ({names}) VALUES ({marks(conn, len(columns))})"
    else:
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks(conn, len(columns))})" + \
            (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")
    executemany(conn, table, columns, sql, rows)


def update(conn: Connection, table: Table, columns: Sequence[str], key: str, rows: Iterable[Sequence[Any]]) -> None:
    """UPDATE `columns` of the rows whose `key` is the last value of each row (executemany)."""
    mark = marks(conn, 1)
    assignments = ", ".join(f'"{c}" = {mark}' for c in columns)
    sql = f"UPDATE {table.name} SET {assignments} WHERE {key} = {mark}"
    executemany(conn, table, [*columns, key], sql, rows)


def executemany(conn: Connection, table: Table, columns: Sequence[str], sql: str, rows: Iterable[Sequence[Any]]) -> None:
    rows = list(rows)
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        dates, _, times = _typed(table, tuple(columns))
        if dates or times:
            rows = [list(row) for row in rows]
            for row in rows:
                for i in dates:
                    if row[i] is not None:
                        row[i] = row[i].isoformat()
                for i in times:
                    if row[i] is not None:
                        row[i] = row[i].strftime("%Y-%m-%d %H:%M:%S.%f")
    run(conn, sql, [tuple(row) for row in rows], many=True)


def rows(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """The rows of one query, as the driver gives them (tuples), run on the driver's cursor."""
    return run(conn, sql, params, fetch=True)


def run(conn: Connection, sql: str, params: Any = (), *, many: bool = False, fetch: bool = False) -> list[tuple]:
    """Execute `sql` (`many`: once for each parameter tuple) on the driver's cursor, inside `conn`'s
    transaction, without Core's per-statement work; a driver error comes out as Core's (IntegrityError...)."""
    dbapi = conn.dialect.loaded_dbapi
    cursor = conn.connection.driver_connection.cursor()
    try:
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, tuple(params))
        return cursor.fetchall() if fetch else []
    except dbapi.Error as exc:
        raise DBAPIError.instance(sql, params, exc, dbapi.Error,
                                  dialect=conn.dialect, ismulti=many) from exc
    finally:
        cursor.close()


def reader(conn: Connection, table: Table, columns: Sequence[str]):
    """A function turning one result row of `columns` of `table` into Python values (dates, booleans)
    as SQLAlchemy would give them; a plain copy on PostgreSQL."""
    if conn.dialect.name != "sqlite":
        return list
    dates, flags, _ = _typed(table, tuple(columns))

    def read(row: Sequence[Any]) -> list:
        values = list(row)
        for i in dates:
            if values[i] is not None:
                values[i] = dt.date.fromisoformat(values[i])
        for i in flags:
            if values[i] is not None:
                values[i] = bool(values[i])
        return values

    return read


@lru_cache(maxsize=64)
def _typed(table: Table, columns: tuple[str, ...]) -> tuple[list[int], list[int], list[int]]:
    """Positions of the DATE, the BOOLEAN and the DATETIME columns among `columns` (names that are no
    column of `table`, as in a WHERE clause's own parameters, are none of them)."""
    types = [table.c[c].type if c in table.c else None for c in columns]
    return ([i for i, t in enumerate(types) if isinstance(t, Date) and not isinstance(t, DateTime)],
            [i for i, t in enumerate(types) if isinstance(t, Boolean)],
            [i for i, t in enumerate(types) if isinstance(t, DateTime)])
