"""Writing events out: PLOVER JSON lines, CSV, Parquet, a GDELT-like table, and a readable table.

`write(events, format, path)` takes `Event`s (from the pipeline) or stored events (from
`diurna.query`, which also carry the article's url and when it was stored) and writes one format:

- **plover**: JSON lines, one `Event.to_record()` a line (the record DESIGN.md draws).
- **csv**: `CSV_COLUMNS`, with a header row; compound actors joined with ";".
- **parquet**: one row per event (`ARROW_SCHEMA`), actors as list columns (`actor_code`,
  `actor_sector`, ...), so DuckDB, Polars and pandas read it as it is.
- **gdelt**: a GDELT-2.0-like event table, tab-separated, with a header row of GDELT's column names
  (GDELT's own files have none; the names make the file self-describing). Mapping:

  | GDELT column            | diurna                                                          |
  |-------------------------|-----------------------------------------------------------------|
  | GlobalEventID           | the event id's first 15 hex digits as an integer (fits int64)   |
  | SQLDATE, MonthYear, Year| the event date: YYYYMMDD, YYYYMM, YYYY                           |
  | FractionDate            | GDELT's formula: Year + (Month * 30 + Day) / 365, 4 decimals     |
  | Actor1Code              | first actor entity: country/group code + sector ("PAKGOV")      |
  | Actor1Name              | its resolved name, else the text that names it                  |
  | Actor1CountryCode       | its code when that is a country (ISO 3166 alpha-3, as CAMEO's)   |
  | Actor1KnownGroupCode    | its code when that is not a country (IGO, UNO, NGO, ...)          |
  | Actor1Type1Code         | its PLOVER sector (GOV, MIL, REB, CVL, ...)                     |
  | Actor2...               | the same for the first recipient entity                         |
  | IsRootEvent             | 1 when the evidence is one of the first three sentences (lead)  |
  | EventCode, EventBaseCode, EventRootCode | the CAMEO code, its first three and two digits  |
  | QuadClass               | quad_code (the same 1-4 classes, following the PLOVER type)      |
  | GoldsteinScale          | goldstein                                                       |
  | NumMentions, NumSources, NumArticles | the unique event's mentions, distinct sites and articles (diurna.stories); 1 for a bare Event |
  | AvgTone                 | empty: diurna does not score tone                                |
  | ActionGeo_Type          | 1 country, 2/5 US state/other first-order region, 3/4 US/world city |
  | ActionGeo_FullName      | "place, country name"                                           |
  | ActionGeo_CountryCode   | ISO alpha-3 (GDELT uses FIPS 10-4 two-letter codes here)         |
  | ActionGeo_Lat, _Long    | the place's coordinates                                         |
  | DATEADDED               | when the store took the article, YYYYMMDDHHMMSS UTC (empty if not stored) |
  | SOURCEURL               | the article url (empty if not known)                            |

  then diurna's own: PloverType, Modes (";"-joined), Confidence, Coder, EventText (tabs and line
  breaks as spaces), DiurnaEventID. Only the first entity of each side fits GDELT's one actor a side.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from .errors import DiurnaError
from .models import Entity, Event

FORMATS = ("plover", "csv", "parquet", "gdelt")

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


# --- write(): every format, from events or stored events ----------------------------------------

def write(events: Iterable[Any], format: str, path: str | os.PathLike | TextIO = "-") -> int:
    """Write events in `format` (plover | csv | parquet | gdelt) to `path` ("-": stdout); return the count.

    `events` holds `Event`s or stored events (anything with `.event` and optional `.url`,
    `.ingested_at`), so an export straight from `diurna.query.events(...)` keeps each article's url.
    """
    fmt = "plover" if format == "jsonl" else format
    if fmt not in FORMATS:
        raise DiurnaError(f"unknown export format {format!r}; use one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = arrow_table(events)
        if path == "-":
            raise DiurnaError("parquet is binary: give a file path, not stdout")
        pq.write_table(table, path if not isinstance(path, (str, os.PathLike)) else os.fspath(path))
        return table.num_rows
    with _text_out(path) as out:
        if fmt == "plover":
            return write_jsonl((_unwrap(item)[0] for item in events), out)
        if fmt == "csv":
            return CsvWriter(out).write(_unwrap(item)[0] for item in events)
        return write_gdelt(events, out)


@contextmanager
def _text_out(path: str | os.PathLike | TextIO) -> Iterator[TextIO]:
    if path == "-":
        yield sys.stdout
    elif isinstance(path, (str, os.PathLike)):
        with open(path, "w", encoding="utf-8", newline="") as out:
            yield out
    else:
        yield path


def _unwrap(item: Any) -> tuple[Event, dict[str, Any]]:
    """(the Event, the article facts a stored event carries: url, title, published, ingested_at)."""
    if isinstance(item, Event):
        return item, {}
    extra = {name: getattr(item, name, None) for name in ("url", "title", "published", "ingested_at")}
    return item.event, extra


# --- flat rows: Parquet, Arrow, pandas -----------------------------------------------------------

def flat_record(item: Any) -> dict[str, Any]:
    """One event as one flat row: scalars, plus list columns for modes, contexts and each entity field."""
    event, extra = _unwrap(item)
    place = event.place
    row: dict[str, Any] = {
        "id": event.id, "doc_id": event.doc_id, "date": event.date, "enddate": event.enddate,
        "date_source": event.date_source, "date_precision": event.date_precision, "event_type": event.event_type,
        "modes": list(event.mode), "contexts": list(event.context), "factual": event.factual,
    }
    for side, entities in (("actor", event.actor), ("recipient", event.recipient)):
        row[f"{side}_code"] = [e.code for e in entities]
        row[f"{side}_sector"] = [e.sector for e in entities]
        row[f"{side}_text"] = [e.text for e in entities]
        row[f"{side}_name"] = [e.name or e.text for e in entities]
    row.update({
        "place_text": place.text if place else None, "place_name": (place.name or place.text) if place else None,
        "place_country": place.country_code if place else None,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "quad_code": event.quad_code, "cameo": event.cameo, "goldstein": event.goldstein,
        "confidence": event.confidence, "sentence": event.sentence, "start": event.start, "end": event.end,
        "trigger": event.trigger, "event_text": event.event_text, "coder": event.coder,
        "url": extra.get("url"), "title": extra.get("title"), "published": extra.get("published"),
    })
    return row


def arrow_schema():
    import pyarrow as pa

    strings = pa.list_(pa.string())
    fields = [("id", pa.string()), ("doc_id", pa.string()), ("date", pa.date32()), ("enddate", pa.date32()),
              ("date_source", pa.string()), ("date_precision", pa.string()), ("event_type", pa.string()),
              ("modes", strings), ("contexts", strings), ("factual", pa.bool_())]
    for side in ("actor", "recipient"):
        fields += [(f"{side}_{part}", strings) for part in ("code", "sector", "text", "name")]
    fields += [("place_text", pa.string()), ("place_name", pa.string()), ("place_country", pa.string()),
               ("lat", pa.float64()), ("lon", pa.float64()), ("quad_code", pa.int8()), ("cameo", pa.string()),
               ("goldstein", pa.float64()), ("confidence", pa.float64()), ("sentence", pa.int32()),
               ("start", pa.int64()), ("end", pa.int64()), ("trigger", pa.string()), ("event_text", pa.string()),
               ("coder", pa.string()), ("url", pa.string()), ("title", pa.string()), ("published", pa.date32())]
    return pa.schema(fields)


def arrow_table(events: Iterable[Any]):
    """The events as a `pyarrow.Table` with `arrow_schema()` (the Parquet export's rows)."""
    import pyarrow as pa

    return pa.Table.from_pylist([flat_record(item) for item in events], schema=arrow_schema())


# --- GDELT-like ------------------------------------------------------------------------------------

GDELT_COLUMNS = [
    "GlobalEventID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2Type1Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat", "ActionGeo_Long",
    "DATEADDED", "SOURCEURL",
    "PloverType", "Modes", "Confidence", "Coder", "EventText", "DiurnaEventID",
]
LEAD_SENTENCES = 3  # IsRootEvent: GDELT marks events from the lead paragraph; ours is its first sentences


def gdelt_row(item: Any) -> dict[str, Any]:
    """One event as a GDELT-2.0-like row (see the module docstring for the mapping)."""
    event, extra = _unwrap(item)
    day = event.date
    row: dict[str, Any] = {
        "GlobalEventID": int(event.id[:15], 16),
        "SQLDATE": day.strftime("%Y%m%d") if day else "", "MonthYear": day.strftime("%Y%m") if day else "",
        "Year": day.year if day else "",
        "FractionDate": f"{day.year + (day.month * 30 + day.day) / 365:.4f}" if day else "",
    }
    for n, entities in ((1, event.actor), (2, event.recipient)):
        row.update(_gdelt_actor(n, entities[0] if entities else None))
    cameo = event.cameo or ""
    place = event.place
    added = extra.get("ingested_at")
    row.update({
        "IsRootEvent": int(event.sentence < LEAD_SENTENCES), "EventCode": cameo, "EventBaseCode": cameo[:3],
        "EventRootCode": cameo[:2], "QuadClass": event.quad_code, "GoldsteinScale": event.goldstein,
        "NumMentions": getattr(item, "num_mentions", 1), "NumSources": getattr(item, "num_sources", 1),
        "NumArticles": getattr(item, "num_articles", 1), "AvgTone": "",
        "ActionGeo_Type": _geo_type(place) if place else "",
        "ActionGeo_FullName": _geo_name(place) if place else "",
        "ActionGeo_CountryCode": place.country_code if place else "",
        "ActionGeo_Lat": "" if not place or place.lat is None else round(place.lat, 4),
        "ActionGeo_Long": "" if not place or place.lon is None else round(place.lon, 4),
        "DATEADDED": added.strftime("%Y%m%d%H%M%S") if isinstance(added, dt.datetime) else "",
        "SOURCEURL": extra.get("url") or "",
        "PloverType": event.event_type, "Modes": ";".join(event.mode), "Confidence": round(event.confidence, 3),
        "Coder": event.coder, "EventText": event.event_text, "DiurnaEventID": event.id,
    })
    return row


def write_gdelt(events: Iterable[Any], out: TextIO) -> int:
    """Tab-separated, a header row of GDELT_COLUMNS, then one line an event."""
    out.write("\t".join(GDELT_COLUMNS) + "\n")
    count = 0
    for item in events:
        row = gdelt_row(item)
        out.write("\t".join(_tsv(row[name]) for name in GDELT_COLUMNS) + "\n")
        count += 1
    return count


def _tsv(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def _gdelt_actor(n: int, entity: Entity | None) -> dict[str, Any]:
    from .geo import country_name

    prefix = f"Actor{n}"
    if entity is None:
        return {f"{prefix}{k}": "" for k in ("Code", "Name", "CountryCode", "KnownGroupCode", "Type1Code")}
    code = entity.code or ""
    is_country = bool(code) and bool(country_name(code))
    return {
        f"{prefix}Code": code + (entity.sector or ""), f"{prefix}Name": entity.name or entity.text,
        f"{prefix}CountryCode": code if is_country else "", f"{prefix}KnownGroupCode": "" if is_country else code,
        f"{prefix}Type1Code": entity.sector or "",
    }


def _geo_type(place) -> int:
    us = place.country_code == "USA"
    if place.feature == "country" or place.resolution <= 1:
        return 1
    if place.feature in ("admin1", "admin2", "region") or place.resolution <= 3:
        return 2 if us else 5
    return 3 if us else 4


def _geo_name(place) -> str:
    from .geo import country_name

    country = country_name(place.country_code) or place.country_code
    name = place.name or place.text
    if place.feature == "country" or not name or name == country:
        return country or name
    return f"{name}, {country}" if country else name
