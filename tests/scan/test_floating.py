"""Places that pin what runs but name no version: ``latest``, ``nightly``, ``edge``, a digest
only, no tag, a development build, a tag that follows a line. One policy (refuse, warn, ignore)
in every door; a version in free text or a comment is not a pinned place."""

from __future__ import annotations

import json

import pytest

from dbcompat import scan
from dbcompat.floating import Floating, check_policy, judge_floating
from dbcompat.scan import scan_text
from tests.helpers import run, scanned
from tests.scan.test_gate import commit, git, repository  # noqa: F401 (a fixture)

COMPOSE = """\
services:
  db:
    image: {image}
"""


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("FROM ydbplatform/local-ydb:{}", "Dockerfile"),
        ("FROM --platform=linux/amd64 cr.yandex/crptqonuodf51kdj7a7d/ydb:{} AS db", "Dockerfile"),
        (COMPOSE.format(image="ydbplatform/local-ydb:{}"), "compose.yaml"),
        (COMPOSE.format(image="ravendb/ravendb:{}"), "compose.yaml"),
    ],
)
@pytest.mark.parametrize("tag", ["latest", "nightly", "edge"])
def test_a_pinned_place_that_moves_to_a_floating_tag_is_a_refused_move(text, path, tag):
    pinned = "6.0.105-ubuntu.22.04-x64" if "ravendb" in text else "24.4.4.12"
    before, after = scanned(text.format(pinned), path), scanned(text.format(tag), path)
    (move,) = scan.judge_changes(before, after)
    assert move.verdict.rule == "floating-version" and not move.verdict
    assert f"'{tag}' names no version" in move.verdict.reason
    (warned,) = scan.judge_changes(before, after, floating="warn")
    assert warned.verdict.rule == "floating-version-warned" and warned.verdict
    assert scan.judge_changes(before, after, floating="ignore") == ()


@pytest.mark.parametrize(
    ("image", "why"),
    [
        ("ydbplatform/local-ydb", "has no tag"),
        ("ydbplatform/local-ydb@sha256:0f0e", "is named by its digest only"),
    ],
)
def test_a_pinned_image_without_a_tag_floats(image, why):
    before = scanned(COMPOSE.format(image="ydbplatform/local-ydb:24.4.4.12"), "compose.yaml")
    (move,) = scan.judge_changes(before, scanned(COMPOSE.format(image=image), "compose.yaml"))
    assert move.verdict.rule == "floating-version" and why in move.verdict.reason
    assert move.finding.place == before.findings[0].place


def test_a_floating_place_with_no_history_is_judged_alike_without_a_move():
    found = scanned("FROM ydbplatform/local-ydb:nightly")
    assert [m.verdict.rule for m in scan.judge_floating_places(found)] == ["floating-version"]
    target = scan.judge_target(found, {"ydb": "25.1.4.18"})
    assert [m.verdict.rule for m in target] == ["floating-version"]
    new = scan.judge_changes(scanned(""), found)
    assert [m.verdict.rule for m in new] == ["floating-version"]
    # Floating before too: nothing moved.
    assert scan.judge_changes(scanned("FROM ydbplatform/local-ydb:latest"), found) == ()


def test_a_version_in_free_text_is_not_a_pinned_place():
    found, problems = scan_text("docker run ydb:nightly; see ydb:latest and ydb:edge\n", "a.md")
    assert found == [] and problems == []
    dockerfile_comment = scanned("# FROM ydb:latest was the old base\nFROM ydb:24.4.4.12\n")
    assert [str(f.version) for f in dockerfile_comment.findings] == ["24.4.4.12"]


def test_a_development_build_is_judged_by_the_products_rule_first():
    before, after = scanned("FROM ydb:24.4.4.12"), scanned("FROM ydb:trunk")
    for policy in ("refuse", "warn", "ignore"):  # the policy never lifts YDB's own refusal
        (move,) = scan.judge_changes(before, after, floating=policy)
        assert move.verdict.rule == "development-beside-release"
    (back,) = scan.judge_changes(after, before, floating="ignore")
    assert back.verdict.rule == "development-beside-release"
    assert scan.judge_changes(after, scanned("FROM ydb:main.b7cfb36")) == ()


def test_the_policy_is_checked():
    with pytest.raises(ValueError, match="refuse, warn, ignore"):
        check_policy("allow")
    with pytest.raises(TypeError):
        check_policy(None)
    latest = Floating("latest", "the tag 'latest' names no version")
    assert judge_floating(None, latest, "ignore") is None


def test_the_scan_command_refuses_warns_or_ignores(repository, capsys):  # noqa: F811
    dockerfile = repository.parent / "Dockerfile"
    dockerfile.write_text("FROM ydbplatform/local-ydb:24.4.4.12\n")
    git(repository.parent.parent, "add", ".")
    git(repository.parent.parent, "commit", "-q", "-m", "a base image")
    dockerfile.write_text("FROM ydbplatform/local-ydb:latest\n")
    status, out, _ = run(capsys, "scan", "--against", "HEAD", "--json")
    document = json.loads(out)
    assert status == 1 and [m["rule"] for m in document["moves"]] == ["floating-version"]
    assert "(--floating warn)" in document["moves"][0]["reason"]
    status, out, _ = run(capsys, "scan", "--against", "HEAD", "--floating", "warn", "--json")
    assert status == 0 and json.loads(out)["moves"][0]["rule"] == "floating-version-warned"
    status, out, _ = run(capsys, "scan", "--against", "HEAD", "--floating", "ignore", "--json")
    assert status == 0 and json.loads(out)["moves"] == []
    # Without --against, the place has no history, and is judged the same.
    status, out, _ = run(capsys, "scan", "--json")
    assert status == 1 and json.loads(out)["moves"][0]["rule"] == "floating-version"
    status, out, _ = run(capsys, "scan", "--format", "sarif")
    assert status == 1 and "floating-version" in out


def test_a_fleet_judges_a_node_that_pins_no_version_by_the_policy(capsys, tmp_path):
    nodes = tmp_path / "nodes.txt"
    nodes.write_text("a 24.4.4.12\nb 24.4.4.12\nc ydbplatform/local-ydb:latest\n")
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(nodes), "--json")
    document = json.loads(out)
    assert status == 1 and document["rule"] == "floating-version" and document["nodes"] == 3
    assert document["offenders"] == [{"label": "c", "version": "latest"}]
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(nodes), "--floating", "warn")
    assert status == 0 and "allowed (one-major)" in out and "pin no version" in out
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(nodes), "--floating", "ignore")
    assert status == 0 and "cluster of 2 nodes" in out


def test_check_from_to_judges_a_vanished_version_as_the_other_doors_do(capsys, tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("a 24.4.4.12\nb 24.4.4.12\n")
    new.write_text("a 25.1.4.18\nb ydbplatform/local-ydb@sha256:0f0e\n")
    status, out, _ = run(capsys, "ydb", "check", "--from", str(old), "--to", str(new), "--json")
    document = json.loads(out)
    assert status == 1 and document["rule"] == "floating-version"
    assert [check["rule"] for check in document["checks"]] == ["next-major", "floating-version"]
    arguments = ["--from", str(old), "--to", str(new), "--floating", "ignore", "--json"]
    status, out, _ = run(capsys, "ydb", "check", *arguments)
    assert status == 0 and [c["label"] for c in json.loads(out)["checks"]] == ["a"]
    new.write_text("a 25.1.4.18\nb trunk\n")
    status, out, _ = run(capsys, "ydb", "check", "--from", str(old), "--to", str(new), "--json")
    assert status == 1 and json.loads(out)["rule"] == "development-beside-release"


def test_a_tag_that_follows_a_line_is_judged_to_the_line_then_by_the_policy():
    compose = COMPOSE.format(image="ravendb/ravendb:{}")
    before = scanned(compose.format("5.4.110-ubuntu.22.04-x64"), "compose.yaml")
    up = scanned(compose.format("6.0-ubuntu-latest"), "compose.yaml")
    (refused,) = scan.judge_changes(before, up)
    assert refused.verdict.rule == "floating-version" and "newest 6.0" in refused.verdict.reason
    (warned,) = scan.judge_changes(before, up, floating="warn")
    assert warned.verdict.rule == "floating-version-warned"
    newer = scanned(compose.format("6.0.105-ubuntu.22.04-x64"), "compose.yaml")
    down = scanned(compose.format("5.4-ubuntu-latest"), "compose.yaml")
    for policy in ("refuse", "warn", "ignore"):  # RavenDB's own refusal is never lifted
        (move,) = scan.judge_changes(newer, down, floating=policy)
        assert move.verdict.rule == "server-downgrade"
