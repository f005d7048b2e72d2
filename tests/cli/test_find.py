"""ydb find and ravendb find: versions found in logs, named by file, line and column."""

from __future__ import annotations

import io
import json
import sys

from dbcompat.cli import inputs
from tests.helpers import DATA, run

MIXED_LOG = DATA / "mixed.log"


def test_ydb_find_prints_file_line_and_column(capsys):
    status, out, _ = run(capsys, "ydb", "find", str(MIXED_LOG), "--lenient")
    lines = out.splitlines()
    assert status == 0 and len(lines) == 9
    assert lines[0] == f"{MIXED_LOG}:12:56: 25.1.4.18 (25.1.4.18)"
    assert lines[4].endswith(": 25.1.4.18 (v.25.1.4.18)")
    status, out, _ = run(capsys, "ydb", "find", str(MIXED_LOG), "--json")
    document = json.loads(out)
    assert document["count"] == 4 and document["found"][3]["version"] == "24.4.4.12"
    text = MIXED_LOG.read_text().splitlines()[document["found"][3]["line"] - 1]
    column = document["found"][3]["column"]
    assert text[column - 1 : column - 1 + len("24.4.4.12")] == "24.4.4.12"


def test_ravendb_find_skips_addresses_dates_and_other_builds(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(MIXED_LOG.read_text()))
    status, out, _ = run(capsys, "ravendb", "find", "--json")
    document = json.loads(out)
    assert status == 0 and [f["version"] for f in document["found"]] == ["6.0.105", "6.0.105.60071"]
    assert document["found"][0]["file"] == "standard input"


def test_find_refuses_a_line_past_max_line_so_a_stream_without_line_ends_stops(
    capsys, tmp_path, monkeypatch
):
    monkeypatch.setattr(inputs, "MAX_LINE", 50)
    log = tmp_path / "app.log"
    log.write_text("node 24.4.4.12\n" + "x" * 49 + "\n" + "x" * 80 + " 25.1.4.18\n")
    status, out, err = run(capsys, "ydb", "find", str(log))
    assert status == 2 and out.startswith(f"{log}:1:6: 24.4.4.12")
    assert err == f"dbcompat: error: {log}, line 3: longer than 50 characters: not a line of text\n"


def test_find_with_nothing_found_exits_1(capsys, tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_text("no versions here, only 10.2.3.4 and 31.12.2025\n")
    assert run(capsys, "ydb", "find", str(empty))[0] == 1
    assert run(capsys, "ravendb", "find", str(empty))[0] == 1
