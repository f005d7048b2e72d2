"""What dbcompat scan finds in files and text, at its line and column: operator objects and
their anchors, Helm values, images in text files; and what it does not read (binary, huge,
pipes and devices, what it may not look at) or cannot read, named as a problem while the scan
goes on."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from dbcompat import scan, ydb
from tests.helpers import run

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


@pytest.mark.parametrize("target", ["latest", "26", "25.2", "ydb=latest", "ydb=26", "LATEST"])
def test_a_scan_takes_the_targets_check_takes(tmp_path, capsys, target):
    (tmp_path / "a.txt").write_text("ydb:25.1.4.18\n")
    status, out, _ = run(capsys, "scan", str(tmp_path), "--target", target, "--json")
    (move,) = json.loads(out)["moves"]
    word = target.rpartition("=")[2]
    checked, plain, _ = run(capsys, "ydb", "check", "25.1.4.18", word, "--json")
    assert (status, move["rule"]) == (checked, json.loads(plain)["rule"])


def test_binary_and_huge_files_are_skipped(tmp_path):
    (tmp_path / "blob.bin").write_bytes(b"\0ydb:24.3.11.13")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        out.truncate(scan.MAX_FILE_SIZE + 1)
    result = scan.scan([tmp_path])
    assert result.findings == ()
    assert [Path(p.path).name for p in result.problems] == ["huge.txt"]


def test_pipes_and_devices_are_not_read_so_a_scan_never_blocks(tmp_path):
    # A pipe blocks whoever opens it until a writer comes; /dev/zero never ends.
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "storage.yaml").write_text("image: cr.yandex/ydb:24.4.4.12\n")
    walked = scan.scan([tmp_path])
    assert [finding.version for finding in walked.findings] == [ydb.parse("24.4.4.12")]
    assert walked.problems == ()
    named = scan.scan([tmp_path / "pipe.yaml", tmp_path / "zero.yaml", Path("/dev/zero")])
    assert [problem.message for problem in named.problems] == [
        "not a regular file: not read",
        "a symbolic link: not followed",
        "not a regular file: not read",
    ]


def test_a_symbolic_link_is_never_followed_out_of_the_repository(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("image: cr.yandex/ydb:22.2.22  # a secret: s3cret\n")
    repository = tmp_path / "repo"
    repository.mkdir()
    (repository / "storage.yaml").write_text("image: cr.yandex/ydb:24.4.4.12\n")
    (repository / "leak.yaml").symlink_to(outside)
    (repository / "again.yaml").symlink_to(repository / "storage.yaml")  # inside: read once
    (repository / "etc").symlink_to("/etc", target_is_directory=True)
    walked = scan.scan([repository])
    storage = (repository / "storage.yaml").as_posix()
    assert [finding.path for finding in walked.findings] == [storage]
    assert walked.files == (storage,)
    assert "s3cret" not in repr(walked) and "22.2.22" not in repr(walked)


def test_the_cap_holds_for_what_is_read_not_what_the_file_system_claims(monkeypatch):
    # /proc files claim a size of 0 and hold more.
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("no /proc here")
    assert status.stat().st_size == 0
    monkeypatch.setattr(scan.files, "MAX_FILE_SIZE", 16)
    (problem,) = scan.scan([status]).problems
    assert problem.message.startswith("over ") and problem.message.endswith("not read")


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
    # Read letter by letter, "deploy" would be the folders d, e, p, ... and "/srv" the whole disk.
    with pytest.raises(TypeError, match=r"^paths must be an iterable of paths, not one"):
        scan.scan(paths)


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
