"""The command line's contract: one JSON document per command, one command shape."""

from __future__ import annotations

import json
import shlex
from xml.etree import ElementTree

import pytest

from dbcompat.cli import main
from dbcompat.cli.schema import SCHEMAS
from tests.helpers import DATA, VALIDATED, assert_valid_json, run

# One call of every command, with JSON: each must print exactly one valid document.
EVERY_COMMAND = [
    "ydb parse 24.3.14.2-lts",
    "ydb check 24.3.15.5 24.4.4.12",
    "ydb plan 24.3.11.13 25.2.1.26",
    "ydb cluster 24.4.4.12 25.1.4.18",
    "ydb releases",
    "ravendb parse 4.1.9.41023",
    "ravendb check --client 4.1.7 --server 4.1.6",
    "ravendb plan 4.1.9 5.4.110 --client api=4.1.7",
    "grammar",
    "schema",
    "rules",
    "explain next-major",
    f"ydb find {DATA / 'mixed.log'}",
    f"ravendb find {DATA / 'mixed.log'}",
    f"scan {DATA / 'fleet' / 'ydb_operator.json'}",
]


@pytest.mark.parametrize("line", EVERY_COMMAND)
@pytest.mark.parametrize("where", ["end", "start", "middle"])
def test_json_anywhere_on_the_line(capsys, line, where):
    words = shlex.split(line)
    at = {"end": len(words), "start": 0, "middle": 1}[where]
    argv = [*words[:at], "--json", *words[at:]]
    status, out, err = run(capsys, *argv)
    assert status == 0 and err == ""
    assert json.loads(out)


# Bad input for every command: one JSON error document, exit 2, nothing on stderr.
BAD_INPUT = [
    ("ydb parse 24.3-bad", "invalid-version", 6),
    ("ydb check 24.3.x 24.4", "invalid-version", 6),
    ("ydb check 24.3.15.5 24.4.4.12 --history 24.x", "invalid-version", 4),
    ("ydb plan 24.3.11.13 nope", "invalid-version", 1),
    ("ydb cluster 24.4.4.12 bad", "invalid-version", 1),
    ("ydb releases --releases-only /no/such/file.txt", "unreadable-file", None),
    ("ravendb parse 5.2.0b1", "invalid-version", 6),
    ("ravendb check --client 5.4 --server x", "invalid-version", 1),
    ("ravendb plan 6.0 5.4.x", "invalid-version", 5),
    ("ravendb check --client a=5.4 --client a=6.0 --server 6.0", "invalid-input", None),
    ("ravendb check --client 5.4 --server 6.0 --server 6.2", "usage", None),
    ("ydb check 24.3.15.5", "usage", None),
    ("grammar nope", "usage", None),
    ("schema nope", "usage", None),
    ("scan /no/such/folder", "unreadable-file", None),
    ("explain no-such-rule", "invalid-input", None),
    ("scan . --target ydb=24.x", "invalid-version", 4),
    ("scan . --target mysql=8.0", "usage", None),
]


@pytest.mark.parametrize(("line", "kind", "column"), BAD_INPUT)
def test_bad_input_is_one_json_document(capsys, line, kind, column):
    status, out, err = run(capsys, *shlex.split(line), "--json")
    assert status == 2 and err == ""
    error = json.loads(out)["error"]
    assert error["kind"] == kind and error["column"] == column and error["message"]


@pytest.mark.parametrize(("line", "kind", "column"), BAD_INPUT)
def test_bad_input_is_one_line_without_json(capsys, line, kind, column):
    status, out, err = run(capsys, *shlex.split(line))
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("dbcompat: error: ")
    assert "Traceback" not in err


REFUSALS = [
    "ydb check 24.3.11.13 24.4.4.12",
    "ydb plan 25.2.1.26 24.3.11.13",
    "ydb cluster 24.1.18 25.1.4.18",
    "ravendb check --client 4.5 --server 4.0",
    "ravendb plan 6.0 5.4",
    f"scan {DATA / 'fleet'} --target ydb=25.1.4.18 --target ravendb=6.0",
]


@pytest.mark.parametrize("line", REFUSALS)
def test_a_refusal_is_one_json_document(capsys, line):
    status, out, _ = run(capsys, *shlex.split(line), "--json")
    document = json.loads(out)
    assert status == 1 and document["allowed"] is False and document["reason"]


def test_every_schema_is_exercised(capsys):
    for line in EVERY_COMMAND + [line for line, *_ in BAD_INPUT] + REFUSALS:
        main([*shlex.split(line), "--json"])
        assert_valid_json(capsys.readouterr().out)
    assert set(SCHEMAS) <= VALIDATED


def test_cluster_versions_are_sorted_as_versions_with_their_labels(capsys):
    _, out, _ = run(
        capsys, "ydb", "cluster", "b=v.25.1.4.18", "a=24.4.4.12", "c=24.4.4.2", "--json"
    )
    document = json.loads(out)
    assert [v["version"] for v in document["versions"]] == ["24.4.4.2", "24.4.4.12", "25.1.4.18"]
    assert document["versions"][2] == {"version": "25.1.4.18", "count": 1, "labels": ["b"]}
    assert document["inputs"] == {"from": ["arguments"]}


def test_check_inputs_are_given_and_read(capsys):
    _, out, _ = run(capsys, "ydb", "check", "v.25.1.4.1", "latest", "--json")
    inputs = json.loads(out)["inputs"]
    assert inputs["current"] == {"given": "v.25.1.4.1", "read": "25.1.4.1"}
    assert inputs["target"] == {"given": "latest", "read": "26.2.1.14"}


def test_several_clients_accumulate_in_check(capsys):
    argv = ["ravendb", "check", "--client", "5.4", "--client", "w=6.2", "--server", "6.0"]
    status, out, _ = run(capsys, *argv, "--json")
    document = json.loads(out)
    assert status == 1 and document["allowed"] is False
    assert [check["label"] for check in document["checks"]] == ["client 1", "w"]
    assert [check["allowed"] for check in document["checks"]] == [True, False]
    assert "w" in document["reason"]
    status, out, _ = run(capsys, *argv)
    assert status == 1 and "client 1: allowed" in out and "w: refused" in out


def test_ravendb_plan_takes_current_and_target_like_ydb(capsys):
    status, out, _ = run(capsys, "ravendb", "plan", "5.4.110", "6.0.100", "--json")
    plan = json.loads(out)
    assert status == 0 and plan["inputs"]["current"]["read"] == "5.4.110"
    assert plan["steps"][0]["to_version"] == "6.0.100"


@pytest.mark.parametrize(
    "argv",
    [
        ["ydb", "plan", "25.1.4.18", "25.1.4.18"],
        ["ravendb", "plan", "6.0.1", "6.0.1", "--client", "6.0.3"],
    ],
)
def test_the_same_empty_plan_wording(capsys, argv):
    status, out, _ = run(capsys, *argv)
    assert status == 0 and out.splitlines()[0].endswith(": nothing to do.")


def test_history_takes_comma_lists_and_files_and_leaves_the_positionals(capsys, tmp_path):
    history = tmp_path / "history.txt"
    history.write_text("# installed before\n25.2.1.26\n\n24.4.4.12\n")
    for option in (
        ["--history", "25.2.1.26"],
        ["--history", "24.4.4.12,25.2.1.26"],
        ["--history", str(history)],
        ["--history", f"@{history}"],
        ["--history", "24.4.4.12", "--history", "25.2.1.26"],
    ):
        status, out, _ = run(capsys, "ydb", "check", *option, "24.4.4.12", "24.3.15.5", "--json")
        document = json.loads(out)
        assert status == 1 and document["rule"] == "rollback-limit", option
        assert "25.2.1.26" in [entry["read"] for entry in document["inputs"]["history"]]


def test_a_history_file_that_is_not_utf8_is_named_with_its_line_and_byte(capsys, tmp_path):
    history = tmp_path / "history.txt"
    history.write_bytes(b"25.2.1.26\n24.4.4.12\xff\n")
    status, _, err = run(
        capsys, "ydb", "check", "--history", f"@{history}", "24.4.4.12", "25.1.4.18"
    )
    expected = "history.txt, line 2: not UTF-8 text (byte 20: invalid start byte)"
    assert status == 2 and err == f"dbcompat: error: {expected}\n"


@pytest.mark.parametrize(
    ("target", "read"),
    [("latest", "26.2.1.14"), ("25", "25.4.1.15"), ("LATEST", "26.2.1.14")],
)
def test_targets_may_be_latest_or_a_bare_year(capsys, target, read):
    status, out, _ = run(capsys, "ydb", "check", "26.1.1.22", target, "--json")
    assert json.loads(out)["inputs"]["target"] == {"given": target, "read": read}
    status, out, _ = run(capsys, "ydb", "plan", "25.3.1.27", target, "--json")
    assert status == 0 and json.loads(out)["steps"]


def test_an_unknown_year_target_is_a_refusal_that_says_how_to_teach_the_catalog(capsys):
    status, out, _ = run(capsys, "ydb", "check", "26.1.1.22", "29")
    assert status == 1 and "--releases" in out


@pytest.mark.parametrize(
    "line",
    [
        "ydb parse",
        "ydb check",
        "ydb plan",
        "ydb cluster",
        "ydb releases",
        "ravendb parse",
        "ravendb check",
        "ravendb plan",
        "grammar",
        "schema",
    ],
)
def test_help_has_a_description_arguments_two_examples_and_exit_codes(capsys, line):
    with pytest.raises(SystemExit) as caught:
        main([*line.split(), "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    examples = out.split("examples:")[1].split("exit status:")[0]
    assert examples.count("dbcompat ") == 2
    assert "0  allowed" in out and "1  refused" in out and "2  bad input" in out
    description = out.split("\n\n")[1]
    assert description.strip().endswith((".", "?"))
    for block in out.split("\n\n"):
        if block.startswith(("positional arguments", "options")):
            for option in block.splitlines()[1:]:
                assert len(option.split()) > 1 or option.startswith("    "), option


def test_version_names_the_catalogs_newest_release(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("dbcompat ") and "releases up to" in out


def test_strict_errors_say_that_lenient_reads_real_world_spellings(capsys):
    for spelling in ("25.2.1.10-rc", "v.25.1.3.2"):
        status, _, err = run(capsys, "ydb", "parse", spelling)
        assert status == 2 and "--lenient" in err
        status, _, _ = run(capsys, "ydb", "parse", spelling, "--lenient")
        assert status == 0
    status, _, err = run(capsys, "ydb", "parse", "2024.3.11.13")
    assert status == 2 and "two digits" in err
    for nonsense in ("bogus", "trunk-1", "9" * 300):
        status, _, err = run(capsys, "ydb", "parse", nonsense)
        assert status == 2 and "--lenient" not in err
    status, _, err = run(capsys, "ydb", "parse", "stable-24.3", "--lenient")
    assert "branch kind" not in err and "display prefix" not in err


@pytest.mark.parametrize(
    ("product", "text", "read"),
    [
        ("ydb", " 24.3.3\n", "24.3.3"),
        ("ydb", "\u00a024.3.3", "24.3.3"),
        ("ydb", "V24.3.3", "24.3.3"),
        ("ydb", "25.1.2.7-RC", "25.1.2.7-rc"),
        ("ydb", "24.3.14.2-LTS", "24.3.14.2-lts"),
        ("ravendb", "RavenDB 6.0.105", "6.0.105"),
        ("ravendb", "6.0.105 (60071)", "6.0.105"),
        ("ravendb", " 5.4.110\n", "5.4.110"),
    ],
)
def test_lenient_parse_reads_what_people_paste(capsys, product, text, read):
    status, out, _ = run(capsys, product, "parse", text, "--lenient", "--json")
    assert status == 0 and json.loads(out)["version"] == read
    status, _, _ = run(capsys, product, "parse", text, "--strict")
    assert status == 2


def test_a_missing_file_is_one_plain_sentence(capsys):
    status, _, err = run(capsys, "ydb", "releases", "--releases", "missing.txt")
    assert status == 2
    assert err == "dbcompat: error: cannot read missing.txt: no such file or directory\n"


def test_releases_reads_the_projects_csv_with_a_bom_and_adds_to_the_embedded(capsys, tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_bytes(
        b"\xef\xbb\xbfversion,date,source\n26.2.1.15,2026-10-02,our build\n27.1.1.1,2027-01-05,\n"
    )
    status, out, _ = run(capsys, "ydb", "releases", "--releases", str(mine), "--json")
    releases = {row["version"]: row for row in json.loads(out)["releases"]}
    assert status == 0 and "24.3.15.5" in releases and "27.1.1.1" in releases
    assert releases["26.2.1.15"]["source"] == "our build"
    assert releases["26.2.1.15"]["last_final_minor"]
    assert not releases["24.3.11.13"]["last_final_minor"]
    status, out, _ = run(capsys, "ydb", "check", "26.2.1.15", "27.1.1.1", "--releases", str(mine))
    assert status == 1 and "not-last-minor" not in out
    status, out, _ = run(capsys, "ydb", "releases", "--releases-only", str(mine), "--json")
    assert [row["version"] for row in json.loads(out)["releases"]] == ["26.2.1.15", "27.1.1.1"]


def test_conflicting_dates_are_refused_with_both_lines(capsys, tmp_path):
    mine = tmp_path / "mine.txt"
    mine.write_text("25.1.4.18 2026-05-13\n")
    status, _, err = run(capsys, "ydb", "releases", "--releases", str(mine))
    assert status == 2 and "2026-05-12" in err and "2026-05-13" in err
    assert "releases.txt, line 13" in err and "mine.txt, line 1" in err
    twice = tmp_path / "twice.txt"
    twice.write_text("25.1.4.18 2026-05-13\n# again\n25.1.4.18 2026-05-14\n")
    status, _, err = run(capsys, "ydb", "releases", "--releases-only", str(twice))
    assert status == 2 and "twice.txt, line 1" in err and "twice.txt, line 3" in err


def test_releases_marks_last_minors_and_candidates_and_warns_when_stale(
    capsys, tmp_path, monkeypatch
):
    import datetime

    from dbcompat.cli import ydb_releases

    # The frozen catalog's newest release is of 2026-09: told on a day within a year of it.
    monkeypatch.setattr(ydb_releases, "_today", lambda: datetime.date(2027, 3, 1))
    status, out, err = run(capsys, "ydb", "releases")
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert lines["24.3.15.5"].endswith("last minor 24.3.15, newest of 24.3: plans stop here")
    assert "last minor" not in lines["24.3.11.13"]
    # Builds of one last minor each name it; only the newest is where plans stop.
    assert lines["24.4.4.2"].endswith("last minor 24.4.4")
    assert lines["24.4.4.12"].endswith("last minor 24.4.4, newest of 24.4: plans stop here")
    assert lines["26.3.1.16-rc"].endswith("release candidate") and err == ""
    old = tmp_path / "old.txt"
    old.write_text("22.2.47 2022-07-07\n22.4.44 2022-11-28\n")
    status, out, err = run(capsys, "ydb", "releases", "--releases-only", str(old))
    assert status == 0 and "over a year ago" in err and err.count("\n") == 1
    status, out, _ = run(capsys, "ydb", "releases", "--releases-only", str(old), "--json")
    assert json.loads(out)["stale"] is True


@pytest.mark.parametrize("columns", [None, "", "50", "200", "0", "-3", "wide"])
def test_help_is_as_wide_as_argparse_would_make_it(monkeypatch, columns):
    # The formatters measure the terminal without shutil, which argparse imports to do it.
    import argparse
    import shutil

    from dbcompat.cli.arguments import HelpFormatter, RawDescriptionFormatter

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    expected = argparse.HelpFormatter("dbcompat")._width
    assert expected == shutil.get_terminal_size().columns - 2
    assert HelpFormatter("dbcompat")._width == expected
    assert RawDescriptionFormatter("dbcompat")._width == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["ydb", "check", "24.x", "25.1"],  # a bad version
        ["ydb", "check", "24.4", "--no-such-option"],  # the parser itself fails
        ["ravendb", "probe", "http://127.0.0.1:1", "--timeout", "1"],  # a server not there
    ],
)
def test_every_format_gets_an_error_document_of_its_own_kind(capsys, argv):
    from tests.scan.test_gate import sarif_validator

    for output in ("json", "sarif", "junit", "markdown"):
        status, out, err = run(capsys, *argv, "--format", output)
        assert status in (2, 3) and out, (argv, output)
        if output == "json":
            assert json.loads(out)["error"]["message"] and err == ""
            continue
        assert err.startswith("dbcompat: error:")  # the log of a CI step says it too
        message = err.removeprefix("dbcompat: error: ").strip()
        if output == "sarif":
            log = json.loads(out)
            sarif_validator().validate(log)
            (invocation,) = log["runs"][0]["invocations"]
            assert invocation["executionSuccessful"] is False
            assert invocation["exitCode"] == status
            assert invocation["toolExecutionNotifications"][0]["message"]["text"] == message
        elif output == "junit":
            error = ElementTree.fromstring(out.encode()).find("./testsuite/testcase/error")
            assert error is not None and error.get("message") == message
        else:
            assert out.startswith("### dbcompat: error") and f"exit status {status}" in out


@pytest.mark.parametrize(
    ("target", "heading"),
    [
        ("latest", "From 24.4.4.12 to 26.2.1.14 (latest), in order:"),
        ("26", "From 24.4.4.12 to 26.2.1.14 (26), in order:"),
        ("25.2", "From 24.4.4.12 to 25.2.1.26 (25.2), in order:"),
        ("25.2.1.26", "From 24.4.4.12 to 25.2.1.26, in order:"),
    ],
)
def test_a_plan_says_the_version_it_lands_on(capsys, target, heading):
    status, out, _ = run(capsys, "ydb", "plan", "24.4.4.12", target)
    assert status == 0 and out.splitlines()[0] == heading


def test_latest_is_the_newest_final_release_even_with_candidates(capsys):
    # --candidates lets the stops be release candidates; the target named by a word is final.
    status, out, _ = run(capsys, "ydb", "plan", "24.4.4.12", "latest", "--candidates", "--json")
    plan = json.loads(out)
    assert status == 0 and plan["inputs"]["target"]["read"] == "26.2.1.14"
    assert plan["steps"][-1]["to_version"] == "26.2.1.14"
