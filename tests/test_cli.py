"""The ``dbcompat`` command line: output and exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dbcompat.cli import main


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_ydb_parse_prints_components(capsys):
    status, out, err = run(capsys, "ydb", "parse", "24.3.14.2-lts")
    assert status == 0
    assert "year: 24" in out and "release_type: lts" in out and "minor: 14" in out
    assert err == ""


def test_ydb_parse_json(capsys):
    status, out, _ = run(capsys, "ydb", "parse", "24.03.14", "--json")
    assert status == 0
    assert json.loads(out) == {
        "version": "24.3.14",
        "year": 24,
        "major": 3,
        "minor": 14,
        "patch": None,
        "release_type": None,
    }


@pytest.mark.parametrize("bad", ["24.3-LTS", "", "x" * 1000, " 24.3"])
def test_ydb_parse_refuses_bad_input_with_one_line(capsys, bad):
    status, out, err = run(capsys, "ydb", "parse", bad)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "invalid YDB version" in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["ydb"])
    assert caught.value.code == 2


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "dbcompat", "ydb", "parse", "24.3-bad"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "column 6" in result.stderr
