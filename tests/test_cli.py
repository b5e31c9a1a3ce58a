"""The command line, run as a user runs it."""
import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "cli"


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "diurna.cli", *args], input=stdin, capture_output=True, text=True,
                          env={**__import__("os").environ, "DIURNA_TODAY": "2025-06-01"})


def test_code_writes_plover_json_lines(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a1", "text": "Egypt hosted talks between Israel and Hamas in Cairo on Monday.",
                               "published": "2025-05-21"}) + "\n")
    out = tmp_path / "out.jsonl"
    result = run("code", str(src), "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert records and all(r["doc_id"] == "a1" for r in records)
    assert {"id", "date", "event", "actor", "recipient", "event_text", "text_info", "cameo", "goldstein",
            "quad_code", "confidence", "coder"} <= set(records[0])


def test_a_given_dyad_gets_exactly_one_record(tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [{"id": "d1", "text": "Ghana condemned Togo for closing the border.",
              "dyad": {"actor": "Ghana", "recipient": "Togo"}},
             {"id": "d2", "text": "The weather was mild in Accra.", "dyad": {"actor": "weather", "recipient": "Accra"}}]
    src.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = run("code", str(src))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["doc_id"] for r in records] == ["d1", "d2"]
    assert records[0]["event"] == ["ACCUSE"]


def test_a_bad_document_is_reported_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Peru recalled its ambassador from Mexico on Tuesday.")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00")
    result = run("code", str(good), str(bad))
    assert result.returncode == 1
    assert "bad" in result.stderr
    assert [json.loads(line)["doc_id"] for line in result.stdout.splitlines()][:1] == ["good"]


def test_usage_errors_exit_2():
    assert run("code").returncode == 2
    assert run("code", "x.txt", "--published", "yesterday").returncode == 2


def test_csv_has_one_header_row(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Japan sent aid to Vietnam. Vietnam thanked Japan for the aid.")
    result = run("code", str(src), "--format", "csv", "--published", "2025-05-01")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("id,doc_id,date") and sum(line.startswith("id,") for line in lines) == 1


def test_stdin_is_read_with_a_dash():
    result = run("code", "-", "--published", "2025-05-01", stdin="Chile and Peru signed a trade agreement.")
    assert result.returncode == 0 and result.stdout.strip()
