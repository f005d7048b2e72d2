"""The ``dbcompat`` command line: output and exit statuses."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys

import pytest

import dbcompat
from tests.helpers import ROOT, run


def test_ydb_parse_prints_components(capsys):
    status, out, err = run(capsys, "ydb", "parse", "24.3.14.2-lts")
    assert status == 0
    assert "year: 24" in out and "release_type: lts" in out and "minor: 14" in out
    assert err == ""


def test_ydb_parse_json(capsys):
    status, out, _ = run(capsys, "ydb", "parse", "24.03.14", "--json")
    assert status == 0
    assert json.loads(out) == {
        "kind": "version",
        "product": "YDB",
        "input": "24.03.14",
        "version": "24.3.14",
        "year": 24,
        "major": 3,
        "minor": 14,
        "patch": None,
        "release_type": None,
        "release_candidate": False,
        "enterprise": False,
        "hotfix": None,
        "candidate_number": None,
        "rebuild": None,
        "hotfix_branch": None,
        "commit": None,
    }


@pytest.mark.parametrize("bad", ["24.3-LTS", "", "x" * 1000, " 24.3"])
def test_ydb_parse_refuses_bad_input_with_one_line(capsys, bad):
    status, out, err = run(capsys, "ydb", "parse", bad)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "invalid YDB version" in err


@pytest.mark.parametrize(
    "argv",
    [["ydb"], ["ydb", "check", "24.3"], ["ravendb", "plan", "5.4"], ["nope"], ["ydb", "--frob"]],
)
def test_usage_errors_exit_2_with_one_line(capsys, argv):
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("dbcompat: error: ") and "--help" in err


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


def test_ydb_parse_lenient(capsys):
    status, out, _ = run(capsys, "ydb", "parse", "stable-23-1-1-hotfix-7", "--lenient", "--json")
    assert status == 0 and json.loads(out)["hotfix"] == 7
    status, _, err = run(capsys, "ydb", "parse", "stable-23-1-1-hotfix-7")
    assert status == 2 and "column 1" in err


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["ydb", "check", "24.3.15.5", "24.4.4.12"], 0),
        (["ydb", "check", "24.3.11.13", "24.4.4.12"], 1),
        (["ydb", "check", "25.1.4.18", "24.3.15.5", "--history", "25.2.1.26"], 1),
        (["ydb", "check", "24.3.x", "24.4"], 2),
        (["ydb", "check", "trunk", "24.4"], 2),
        (["ydb", "plan", "24.3.11.13", "25.2.1.26"], 0),
        (["ydb", "plan", "25.2.1.26", "24.3.11.13"], 1),
        (["ydb", "cluster", "24.4.4.12", "25.1.4.18"], 0),
        (["ydb", "cluster", "24.1.18", "25.1.4.18"], 1),
        (["ydb", "cluster", "24.1.18", "bad"], 2),
        (["ydb", "releases"], 0),
    ],
)
def test_ydb_rule_commands_exit_statuses(capsys, argv, status):
    got, out, err = run(capsys, *argv)
    assert got == status
    if status == 2:
        assert out == "" and err.count("\n") == 1
    else:
        assert out and err == ""


def test_ydb_check_and_plan_json(capsys):
    _, out, _ = run(capsys, "ydb", "check", "v.25.1.4.1", "25.2.1.26", "--json")
    verdict = json.loads(out)
    assert verdict["allowed"] is True and verdict["rule"] == "next-major"
    assert verdict["inputs"]["current"] == {"given": "v.25.1.4.1", "read": "25.1.4.1"}
    assert verdict["notes"]
    _, out, _ = run(capsys, "ydb", "plan", "24.3.11.13", "25.2.1.26", "--json")
    steps = json.loads(out)["steps"]
    assert [step["to_version"] for step in steps] == [
        "24.3.15.5",
        "24.4.4.12",
        "25.1.4.18",
        "25.2.1.26",
    ]
    assert steps[0]["from_version"] == "24.3.11.13" and steps[0]["required"] is True


def test_ydb_releases_file(capsys, tmp_path):
    good = tmp_path / "releases.txt"
    good.write_text("25.1.4.7 2025-09-15\n25.2.1.26\n")
    status, out, _ = run(capsys, "ydb", "check", "25.1.4.7", "25.2.1.26", "--releases", str(good))
    assert status == 0
    status, out, _ = run(capsys, "ydb", "releases", "--releases-only", str(good), "--json")
    assert json.loads(out)["releases"] == [
        {
            "version": "25.1.4.7",
            "date": "2025-09-15",
            "source": None,
            "release_candidate": False,
            "last_final_minor": True,
            "newest_of_major": True,
        },
        {
            "version": "25.2.1.26",
            "date": None,
            "source": None,
            "release_candidate": False,
            "last_final_minor": True,
            "newest_of_major": True,
        },
    ]
    bad = tmp_path / "bad.txt"
    bad.write_text("25.1.4.7\nnope\n")
    status, _, err = run(capsys, "ydb", "plan", "25.1.4.7", "25.2.1.26", "--releases", str(bad))
    assert status == 2 and "bad.txt, line 2" in err
    status, _, err = run(capsys, "ydb", "releases", "--releases", str(tmp_path / "missing.txt"))
    assert status == 2 and "missing.txt" in err


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["ravendb", "check", "--client", "4.1.7", "--server", "4.1.6"], 0),
        (["ravendb", "check", "--client", "4.5", "--server", "4.0"], 1),
        (["ravendb", "check", "--client", "5.2.0b1", "--server", "5.4"], 2),
        (["ravendb", "plan", "4.1.9", "5.4.110", "--client", "api=4.1.7"], 0),
        (["ravendb", "plan", "6.0", "5.4"], 1),
        (["ravendb", "plan", "6.0", "x"], 2),
        (["ravendb", "parse", "4.1.9.41023"], 0),
    ],
)
def test_ravendb_commands_exit_statuses(capsys, argv, status):
    got, out, err = run(capsys, *argv)
    assert got == status
    if status == 2:
        assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    else:
        assert out and err == ""


def test_ravendb_json(capsys):
    _, out, _ = run(capsys, "ravendb", "check", "--client", "7.0", "--server", "5.4", "--json")
    verdict = json.loads(out)
    assert verdict["allowed"] is False and verdict["notes"]
    argv = ["ravendb", "plan", "4.1.9", "5.4.110", "--client", "api=4.1.7"]
    _, out, _ = run(capsys, *argv, "--json")
    plan = json.loads(out)
    assert plan["lockstep"] is True
    assert plan["steps"][1] == {
        "component": "api",
        "from_version": "4.1.7",
        "to_version": "5.4",
        "required": True,
        "rollback": False,
        "reason": "lockstep: before 4.2, a new major moves the server and every client together",
        "binaries": None,
    }


def test_grammar_command(capsys):
    status, out, _ = run(capsys, "grammar", "ydb_version")
    assert status == 0 and "valid_version:" in out
    status, out, _ = run(capsys, "grammar", "ydb_version", "--path")
    assert status == 0 and out.strip().endswith("ydb_version.lark")
    status, out, _ = run(capsys, "grammar", "ravendb_version", "--regex")
    assert status == 0 and out.startswith("^(?:") and out.strip().endswith(")$")
    status, out, err = run(capsys, "grammar", "nope")
    assert status == 2 and "ydb_version" in err
    status, out, _ = run(capsys, "grammar")
    assert status == 0 and out.split() == dbcompat.grammar_names()


@pytest.mark.parametrize(
    "argv",
    [
        ["ydb", "parse", "24.3\x1b[31m"],
        ["ydb", "check", "24.3.15.5", "24.4\n4.12"],
        ["ravendb", "parse", "5.4\u202e"],
        ["ydb", "releases", "--releases", "a\x1b[31mred.txt"],
    ],
)
def test_errors_escape_control_characters(capsys, argv):
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "\x1b" not in err and "\u202e" not in err and "\n" not in err[:-1]


def test_results_escape_control_characters(capsys, tmp_path):
    status, out, _ = run(
        capsys, "ravendb", "plan", "5.4.110", "6.0.100",
        "--client", "web\x1b[31m=5.4.1", "--client", "api\u202e=6.0.3",
    )  # fmt: skip
    assert status == 0
    assert "\x1b" not in out and "\u202e" not in out
    assert "web\\x1b[31m" in out and "api\\u202e" in out
    bad = tmp_path / "bad\x1b[2J.txt"
    bad.write_text("25.1.4.7\nnope\n")
    status, out, err = run(capsys, "ydb", "releases", "--releases", str(bad))
    assert status == 2 and "\x1b" not in err and "bad\\x1b[2J.txt, line 2" in err
    status, out, _ = run(
        capsys, "ravendb", "plan", "5.4.110", "6.0.100",
        "--client", "web\x1b[31m=5.4.1", "--json",
    )  # fmt: skip
    assert "\x1b" not in out and json.loads(out)["steps"][1]["component"] == "web\x1b[31m"


def test_a_downgrade_is_labelled_in_text(capsys):
    argv = ["ravendb", "plan", "5.2.106", "6.0.100", "--client", "api=7.0.1"]
    status, out, _ = run(capsys, *argv)
    assert status == 0 and "api: 7.0.1 -> 6.0 (required downgrade;" in out


def test_duplicate_client_labels_exit_2(capsys):
    argv = ["ravendb", "plan", "5.4", "6.0", "--client", "a=5.4", "--client"]
    status, out, err = run(capsys, *argv, "a=6.0")
    assert status == 2 and "label" in err and out == ""


@pytest.mark.parametrize(
    ("argv", "status", "rule"),
    [
        (["ydb", "check", "24.3.15.5", "24.3.15.5"], 0, "already-installed"),
        (
            ["ydb", "check", "24.3.15.5", "24.4.4.12", "--history", "26.2.1.14"],
            1,
            "history-conflict",
        ),
        (["ydb", "check", "25.2.1.26", "25.1.4.7"], 0, "previous-major"),
        # Issue 27: a state is judged by what runs, and YDB runs these together.
        (["ydb", "cluster", "24.3.11.13", "24.4.4.12"], 0, "binaries-allow"),
    ],
)
def test_changed_verdicts_exit_as_a_gate_expects(capsys, argv, status, rule):
    got, out, _ = run(capsys, *argv, "--json")
    assert got == status and json.loads(out)["rule"] == rule


def test_a_parse_on_the_command_line_loads_no_scan_webhook_report_or_lark():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from dbcompat.cli import main\n"
        "main(['ydb', 'parse', '24.3.1'])\n"
        "heavy = [m for m in ('lark', 'yaml', 'dbcompat.scan', 'dbcompat.scan.reports',\n"
        "         'dbcompat.webhook', 'dbcompat.ydb.rules', 'xml.etree') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=60)


def test_a_command_line_builds_only_the_group_it_runs():
    from dbcompat.cli import COMMAND_GROUPS, build_parser

    def groups(parser):
        (action,) = [a for a in parser._actions if a.dest == "product"]
        return set(action.choices)

    assert groups(build_parser("ydb")) == {"ydb"}
    assert groups(build_parser("rules")) == {"explain", "rules"}
    assert groups(build_parser("--version")) >= set(COMMAND_GROUPS)
    assert groups(build_parser(None)) >= set(COMMAND_GROUPS) | {"rules"}


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path):
    import subprocess
    import sys

    log = tmp_path / "big.log"
    log.write_text("node runs 24.3.11.13 now\n" * 20_000)  # far more than a pipe holds
    code = (
        f"import sys; from dbcompat.cli import main; sys.exit(main(['ydb', 'find', {str(log)!r}]))"
    )
    shell = f'{sys.executable} -c "{code}" | head -1'
    done = subprocess.run(
        shell, shell=True, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.count("\n") == 1 and "Traceback" not in done.stderr
    assert "error" not in done.stderr


@pytest.mark.parametrize(
    ("current", "target", "flags"),
    [
        ("24.3.11.13", "24.4.4.12", []),
        ("24.4.4.12", "25.2.1.26", ["--releases", "tests/data/ydb_releases.txt"]),
        ("24.3.11.13", "25.1.4.18", ["--history", "24.4.4.12", "--history", "24.3.15.5"]),
        ("24.4.4.12", "25.2", ["--releases-only", "tests/data/ydb_releases.txt"]),
    ],
)
def test_a_suggested_plan_carries_the_users_flags_and_runs_as_printed(
    capsys, monkeypatch, current, target, flags
):
    monkeypatch.chdir(ROOT)
    status, out, _ = run(capsys, "ydb", "check", current, target, *flags)
    assert status == 1
    (suggested,) = re.findall(r"\((dbcompat ydb plan [^)]*)\)\.$", out.strip().splitlines()[1])
    words = shlex.split(suggested)
    assert words[5:] == flags  # the user's own flags, which the plan needs to be the same plan
    status, planned, _ = run(capsys, *words[1:])
    assert status == 0 and "in order:" in planned


def test_the_library_names_its_parameters_and_the_command_line_its_flags(capsys):
    from dbcompat import NoUpgradePath, ydb

    releases = ydb.Catalog(["24.4.4.12", "25.1.2.7-rc", "25.2.1.26"])
    with pytest.raises(NoUpgradePath, match=r"\(candidates=True\)"):
        ydb.plan_upgrade("24.4.4.12", "25.2.1.26", releases=releases)
    assert "(releases=...)" in ydb.check_upgrade("26.2.1.14", "27.1.1.1").reason
    _, out, _ = run(capsys, "ydb", "check", "26.2.1.14", "27.1.1.1")
    assert "(--releases FILE: one version a line" in out and "releases=" not in out
    _, out, err = run(capsys, "ydb", "parse", "24.3-LTS")
    assert "(--lenient)" in err and "strict=False" not in err
    _, out, _ = run(capsys, "ydb", "plan", "24.4.4.12", "25.2.1.26", "--json")
    assert "candidates=" not in out


def test_every_parameter_a_library_reason_names_has_a_flag():
    # Each "(name=...)" the library's reasons and errors may say, the command line translates.
    from dbcompat.hints import FLAGS

    source = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "src" / "dbcompat").rglob("*.py")
        if "cli" not in path.parts
    )
    named = set(
        re.findall(
            r"\((?:candidates|releases|history|strict|allow_downgrade)=(?:True|False|\.\.\.)\)",
            source,
        )
    )
    assert named and named <= set(FLAGS), named - set(FLAGS)


def test_ravendb_plan_moves_a_server_down_its_line_only_when_allowed(capsys):
    status, out, _ = run(capsys, "ravendb", "plan", "6.2.9", "6.2.8")
    assert status == 1 and "operator" in out and "(--allow-downgrade)" in out
    status, out, _ = run(capsys, "ravendb", "plan", "6.2.9", "6.2.8", "--allow-downgrade")
    assert status == 0 and "downgrade" in out


def test_ravendb_check_and_plan_read_the_tags_operators_copy_from_manifests(capsys):
    status, out, _ = run(
        capsys, "ravendb", "check", "--client", "6.0", "--server", "7.1.3-ubuntu.22.04-x64"
    )
    assert status == 0 and "7.1.3" in out
    status, out, _ = run(capsys, "ravendb", "plan", "6.0-ubuntu-latest", "v7.1.3", "--json")
    assert status == 0 and '"read": "6.0"' in out and '"read": "7.1.3"' in out
