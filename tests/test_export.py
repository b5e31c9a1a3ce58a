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
