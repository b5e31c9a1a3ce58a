"""Writing events out: PLOVER JSON lines, CSV, and a readable table."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from .models import Event

CSV_COLUMNS = [
    "id", "doc_id", "date", "enddate", "date_source", "event", "mode", "actor_code", "actor_sector", "actor_text",
    "recipient_code", "recipient_sector", "recipient_text", "place", "place_country", "quad_code", "cameo",
    "goldstein", "confidence", "sentence", "start", "end", "trigger", "event_text", "coder",
]


def write_jsonl(events: Iterable[Event], out: TextIO) -> int:
    count = 0
    for event in events:
        out.write(json.dumps(event.to_record(), ensure_ascii=False) + "\n")
        count += 1
    return count


def csv_row(event: Event) -> dict[str, object]:
    record = event.to_record()
    join = ";".join
    loc = record["event_loc"] or {}
    return {
        "id": record["id"], "doc_id": record["doc_id"], "date": record["date"], "enddate": record.get("enddate", ""),
        "date_source": record["date_source"], "event": event.event_type, "mode": join(event.mode),
        "actor_code": join(e.code for e in event.actor), "actor_sector": join(e.sector for e in event.actor),
        "actor_text": join(e.text for e in event.actor),
        "recipient_code": join(e.code for e in event.recipient),
        "recipient_sector": join(e.sector for e in event.recipient),
        "recipient_text": join(e.text for e in event.recipient),
        "place": loc.get("resolved_place", ""), "place_country": loc.get("country_code", ""),
        "quad_code": event.quad_code, "cameo": event.cameo, "goldstein": event.goldstein,
        "confidence": record["confidence"], "sentence": event.sentence, "start": event.start, "end": event.end,
        "trigger": event.trigger, "event_text": event.event_text, "coder": event.coder,
    }


class CsvWriter:
    """CSV with one header row, however many batches are written."""

    def __init__(self, out: TextIO):
        self.writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        self.writer.writeheader()

    def write(self, events: Iterable[Event]) -> int:
        count = 0
        for event in events:
            self.writer.writerow(csv_row(event))
            count += 1
        return count


def describe(entities) -> str:
    return "+".join(f"{e.code or '?'}{('/' + e.sector) if e.sector else ''}" for e in entities) or "-"


def table_rows(events: Iterable[Event]) -> list[tuple[str, ...]]:
    rows = []
    for event in events:
        modes = ",".join(m for m in event.mode if m in ("negation", "hypothetical", "future"))
        rows.append((
            event.date.isoformat() if event.date else "",
            event.event_type + (f" ({modes})" if modes else ""),
            describe(event.actor),
            describe(event.recipient),
            event.place.country_code if event.place else "",
            event.cameo,
            f"{event.goldstein:+.1f}",
            event.trigger,
        ))
    return rows
