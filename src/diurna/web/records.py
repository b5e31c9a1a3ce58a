"""Events as the API and the pages show them: the PLOVER record, its article, its spans and any
correction a person made (kept apart: `correction` beside the coder's fields, never over them)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..export import CSV_COLUMNS, csv_row
from ..models import Event
from ..query import StoredEvent
from ..store import Store
from ..store import corrections as store_corrections

CORRECTION_COLUMNS = ["corrected", "correction_status", "correction_event_type", "correction_actor",
                      "correction_recipient", "correction_date", "correction_place", "correction_note"]


def jsonable(value: Any) -> Any:
    """A store row or aggregate as JSON: dates as ISO strings, keys as strings."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def corrections_for(store: Store, events: Iterable[Event]) -> dict[str, dict[str, Any]]:
    with store.read() as conn:
        return store_corrections.for_events(conn, events)


def event_record(item: StoredEvent | Event, correction: dict[str, Any] | None = None) -> dict[str, Any]:
    """The event's PLOVER record plus `factual`, entity offsets, its article and its correction."""
    event = item.event if isinstance(item, StoredEvent) else item
    record = event.to_record()
    record["factual"] = event.factual
    record["spans"] = {role: [{"code": e.code, "start": e.start, "end": e.end} for e in getattr(event, role)
                              if e.start >= 0] for role in ("actor", "recipient")}
    if isinstance(item, StoredEvent):
        record["article"] = {"id": event.doc_id, "title": item.title, "url": item.url,
                             "published": item.published.isoformat() if item.published else None}
    record["corrected"] = correction is not None
    record["correction"] = correction
    return record


def records(store: Store, items: list[StoredEvent]) -> list[dict[str, Any]]:
    found = corrections_for(store, [i.event for i in items])
    return [event_record(i, found.get(i.event.id)) for i in items]


def jsonl_lines(store: Store, items: list[StoredEvent]) -> Iterator[str]:
    for record in records(store, items):
        yield json.dumps(record, ensure_ascii=False) + "\n"


def csv_lines(store: Store, items: list[StoredEvent]) -> Iterator[str]:
    """CSV as `diurna export --format csv` writes it, with the correction columns after."""
    found = corrections_for(store, [i.event for i in items])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS + CORRECTION_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for n, item in enumerate(items, 1):
        row = csv_row(item.event)
        row.update(_correction_columns(found.get(item.event.id)))
        writer.writerow({k: _safe_cell(v) for k, v in row.items()})
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _correction_columns(correction: dict[str, Any] | None) -> dict[str, Any]:
    if correction is None:
        return {"corrected": "false"}
    row = {"corrected": "true", "correction_status": correction.get("status", "")}
    for name in ("event_type", "actor", "recipient", "date", "place", "note"):
        row[f"correction_{name}"] = correction.get(name, "")
    return row


def _safe_cell(value: Any) -> Any:
    """Spreadsheet formula injection: a text cell starting with = + - @ gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "@", "\t", "\r") and not _number(value):
        return "'" + value
    if isinstance(value, str) and value[:1] == "-" and not _number(value):
        return "'" + value
    return value


def _number(value: str) -> bool:
    try:
        float(value)
        return True
    except ValueError:
        return False
