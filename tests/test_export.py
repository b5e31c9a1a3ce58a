import csv
import io
import json

import diurna
from diurna import export


def events():
    return diurna.code_text("Ghana sent aid to Togo on May 3. Togo thanked Ghana.", published="2025-05-21")


def test_jsonl_is_one_plover_record_a_line():
    out = io.StringIO()
    assert export.write_jsonl(events(), out) == len(events())
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert records[0]["event"] and records[0]["actor"][0]["code"] == "GHA"


def test_csv_joins_compound_actors_and_keeps_the_evidence():
    out = io.StringIO()
    export.CsvWriter(out).write(events())
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["actor_code"] == "GHA" and rows[0]["event_text"].startswith("Ghana sent aid")


def test_table_rows_mark_modality():
    future = diurna.code_text("Ghana will send aid to Togo.", published="2025-05-21")
    assert any("future" in row[1] for row in export.table_rows(future))


# --- write(): every format, straight from the pipeline's events ---------------------------------

import pyarrow.parquet as pq  # noqa: E402
import pytest  # noqa: E402


def rich_events():
    text = ("Pakistan accused India on Monday of shelling villages along the Line of Control in Kashmir.\t"
            "Indian troops attacked a border post near Poonch on May 10, the Pakistani army said.")
    return diurna.code_text(text, published="2025-05-21")


def test_write_plover_is_the_event_records(tmp_path):
    evs = rich_events()
    assert export.write(evs, "plover", tmp_path / "e.jsonl") == len(evs)
    lines = (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [e.to_record() for e in evs]


def test_write_csv_has_one_header_row(tmp_path):
    export.write(rich_events(), "csv", tmp_path / "e.csv")
    rows = list(csv.reader((tmp_path / "e.csv").open(encoding="utf-8", newline="")))
    assert rows[0] == export.CSV_COLUMNS and len(rows) == len(rich_events()) + 1


def test_write_parquet_has_one_row_per_event_with_actor_lists(tmp_path):
    evs = rich_events()
    export.write(evs, "parquet", tmp_path / "e.parquet")
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == len(evs)
    assert table.column("actor_code").to_pylist() == [[a.code for a in e.actor] for e in evs]
    assert table.column("modes").to_pylist() == [list(e.mode) for e in evs]


def test_write_gdelt_uses_gdelt_column_names_and_codes(tmp_path):
    evs = rich_events()
    export.write(evs, "gdelt", tmp_path / "e.tsv")
    lines = (tmp_path / "e.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    assert header[:5] == ["GlobalEventID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    assert header[-6:] == ["PloverType", "Modes", "Confidence", "Coder", "EventText", "DiurnaEventID"]
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:]]
    assert len(rows) == len(evs) and all(len(line.split("\t")) == len(header) for line in lines[1:])
    accuse = next(r for r in rows if r["PloverType"] == "ACCUSE")
    assert accuse["Actor1CountryCode"] == "PAK" and accuse["Actor2CountryCode"] == "IND"
    assert accuse["EventRootCode"] == accuse["EventCode"][:2] and accuse["QuadClass"] == "3"
    assert accuse["SQLDATE"] == accuse["MonthYear"] + accuse["SQLDATE"][6:] and accuse["IsRootEvent"] == "1"
    assert int(accuse["GlobalEventID"]) == int(accuse["DiurnaEventID"][:15], 16)
    assert accuse["AvgTone"] == "" and accuse["SOURCEURL"] == ""


def test_write_refuses_an_unknown_format(tmp_path):
    with pytest.raises(diurna.DiurnaError):
        export.write(rich_events(), "xml", tmp_path / "e.xml")
