"""Checking and counting: is the database sound, and how much does it hold."""
from __future__ import annotations

from sqlalchemy import Connection, func, select, text

from .schema import articles, event_actors, events, failures, feeds, sentences


def integrity_check(conn: Connection) -> list[str]:
    """Problems found, [] when the database is sound.

    Engine checks (SQLite's integrity_check, foreign_key_check and the FTS5 index's own check),
    then diurna's: no orphan rows, and the full-text index covers every article.
    """
    problems: list[str] = []
    if conn.dialect.name == "sqlite":
        problems += [f"sqlite: {r[0]}" for r in conn.exec_driver_sql("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in conn.exec_driver_sql("PRAGMA foreign_key_check")]
        try:
            conn.exec_driver_sql("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        except Exception as exc:  # noqa: BLE001 - the check reports corruption as an error
            problems.append(f"full-text index: {exc}")
        indexed = conn.exec_driver_sql("SELECT count(*) FROM articles_fts").scalar()
    else:
        indexed = conn.execute(text("SELECT count(*) FROM articles WHERE search IS NOT NULL")).scalar()
    stored = conn.execute(select(func.count()).select_from(articles)).scalar()
    if indexed != stored:
        problems.append(f"full-text index holds {indexed} articles, the articles table {stored}")
    orphans = {
        "events without an article": select(func.count()).select_from(events).where(
            ~events.c.article_id.in_(select(articles.c.id))),
        "actors without an event": select(func.count()).select_from(event_actors).where(
            ~event_actors.c.event_id.in_(select(events.c.id))),
        "sentences without an article": select(func.count()).select_from(sentences).where(
            ~sentences.c.article_id.in_(select(articles.c.id))),
    }
    for name, query in orphans.items():
        count = conn.execute(query).scalar()
        if count:
            problems.append(f"{count} {name}")
    return problems


def counts(conn: Connection) -> dict[str, int]:
    """Rows per table, and articles per status."""
    result = {table.name: conn.execute(select(func.count()).select_from(table)).scalar()
              for table in (articles, sentences, events, event_actors, failures, feeds)}
    for status, count in conn.execute(select(articles.c.status, func.count()).group_by(articles.c.status)):
        result[f"articles_{status}"] = count
    result["events_factual"] = conn.execute(
        select(func.count()).select_from(events).where(events.c.factual.is_(True))).scalar()
    return result
