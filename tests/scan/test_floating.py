"""Places that pin what runs but name no version: ``latest``, ``nightly``, ``edge``, a digest
only, no tag, a development build. One policy (refuse, warn, ignore) in every way a scan judges;
a version in free text is not a pinned place."""

from __future__ import annotations

import json

import pytest

from dbcompat import scan
from dbcompat.floating import Floating, check_policy, judge_floating
from dbcompat.scan import Scan, scan_text
from tests.helpers import run
from tests.scan.test_gate import commit, git, repository  # noqa: F401 (a fixture)

COMPOSE = """\
services:
  db:
    image: {image}
"""


def one(text, path="Dockerfile"):
    return Scan(*scan_text(text, path), (path,))


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
    before, after = one(text.format(pinned), path), one(text.format(tag), path)
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
    before = one(COMPOSE.format(image="ydbplatform/local-ydb:24.4.4.12"), "compose.yaml")
    (move,) = scan.judge_changes(before, one(COMPOSE.format(image=image), "compose.yaml"))
    assert move.verdict.rule == "floating-version" and why in move.verdict.reason
    assert move.finding.place == before.findings[0].place


def test_a_floating_place_with_no_history_is_judged_alike_without_a_move():
    found = one("FROM ydbplatform/local-ydb:nightly")
    assert [m.verdict.rule for m in scan.judge_floating_places(found)] == ["floating-version"]
    target = scan.judge_target(found, {"ydb": "25.1.4.18"})
    assert [m.verdict.rule for m in target] == ["floating-version"]
    new = scan.judge_changes(one(""), found)
    assert [m.verdict.rule for m in new] == ["floating-version"]
    # Floating before too: nothing moved.
    assert scan.judge_changes(one("FROM ydbplatform/local-ydb:latest"), found) == ()


def test_a_version_in_free_text_is_not_a_pinned_place():
    found, problems = scan_text("docker run ydb:nightly; see ydb:latest and ydb:edge\n", "a.md")
    assert found == [] and problems == []
    dockerfile_comment = one("# FROM ydb:latest was the old base\nFROM ydb:24.4.4.12\n")
    assert [str(f.version) for f in dockerfile_comment.findings] == ["24.4.4.12"]


def test_a_development_build_is_judged_by_the_products_rule_first():
    before, after = one("FROM ydb:24.4.4.12"), one("FROM ydb:trunk")
    for policy in ("refuse", "warn", "ignore"):  # the policy never lifts YDB's own refusal
        (move,) = scan.judge_changes(before, after, floating=policy)
        assert move.verdict.rule == "development-beside-release"
    (back,) = scan.judge_changes(after, before, floating="ignore")
    assert back.verdict.rule == "development-beside-release"
    assert scan.judge_changes(after, one("FROM ydb:main.b7cfb36")) == ()


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


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: storage}}
spec:
  template:
    spec:
      containers:
{containers}
"""


def containers(*pairs):
    return "\n".join(
        f"        - name: {name}\n          image: cr.yandex/crptqonuodf51kdj7a7d/ydb:{tag}"
        for name, tag in pairs
    )


@pytest.mark.parametrize(
    "after",
    [
        [("ydb2", "25.2.1.26")],  # renamed
        [("ydb", "24.1.18"), ("ydb-b", "25.2.1.26")],  # split
        [("sidecar", "25.2.1.26")],  # replaced
    ],
)
def test_a_scan_matches_moves_by_product_within_the_object_not_by_name(after):
    # Before issue 28 a renamed container was a new place, and no move was judged.
    old = one(DEPLOYMENT.format(containers=containers(("ydb", "24.1.18"))), "d.yaml")
    new = one(DEPLOYMENT.format(containers=containers(*after)), "d.yaml")
    moves = scan.judge_changes(old, new)
    assert [(str(m.before), m.verdict.rule) for m in moves] == [("24.1.18", "skips-major")]


def test_a_new_mention_in_free_text_moves_nothing():
    old = one("Runs ydb:24.4.4.12.\n", "README.md")
    new = one("Runs ydb:24.4.4.12. The first release was ydb:22.2.22.\n", "README.md")
    assert scan.judge_changes(old, new) == ()
    dockerfile = scan.judge_changes(one("FROM ydb:24.1.18"), one("FROM local-ydb:25.2.1.26"))
    assert [m.verdict.rule for m in dockerfile] == ["skips-major"]


def test_a_mirrored_image_is_named_once_and_read_by_every_door(capsys, tmp_path):
    from dbcompat.products import forget_mirrors, name_mirror
    from dbcompat.webhook import Policy, review
    from tests.webhook.reviews import request, stateful_set

    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM registry.example/db/ydb-server:24.4.4.12\n")
    status, out, _ = run(capsys, "scan", str(tmp_path), "--json")
    assert status == 0 and json.loads(out)["findings"] == []  # not known as YDB's
    arguments = ["--image", "ydb=registry.example/db/ydb-server", "--target", "25.2.1.26"]
    status, out, _ = run(capsys, "scan", str(tmp_path), *arguments, "--json")
    assert status == 1 and json.loads(out)["moves"][0]["rule"] == "skips-major"
    status, out, _ = run(capsys, "scan", str(tmp_path), "--image", "ydb", "--json")
    assert status == 2 and "PRODUCT=REPOSITORY" in json.loads(out)["error"]["message"]
    nodes = tmp_path / "nodes.txt"
    nodes.write_text("a registry.example/db/ydb-server:24.4.4.12\nb 24.4.4.12\n")
    mirror = ["--image", "ydb=registry.example/db/ydb-server"]
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(nodes), *mirror)
    assert status == 0 and "one-major" in out
    old, new = stateful_set("24.4.4.12"), stateful_set("25.2.1.26")
    for obj in (old, new):
        container = obj["spec"]["template"]["spec"]["containers"][0]
        container["image"] = container["image"].replace(
            "cr.yandex/crptqonuodf51kdj7a7d/ydb", "registry.example/db/ydb-server"
        )
    name_mirror("ydb", "registry.example/db/ydb-server")
    try:
        response = review({"request": request(new, old)["request"]}, Policy())["response"]
    finally:
        forget_mirrors()
    assert response["allowed"] is False and response["status"]["reason"] == "skips-major"
    with pytest.raises(ValueError, match="already holds"):
        name_mirror("ravendb", "mirror/ydb")


STORAGE = """\
apiVersion: ydb.tech/v1alpha1
kind: Storage
metadata: {{name: storage-sample, namespace: {namespace}}}
spec:
  image: {{name: cr.yandex/crptqonuodf51kdj7a7d/ydb:{version}}}
"""

DATABASE = """\
apiVersion: ydb.tech/v1alpha1
kind: Database
metadata: {{name: database-sample, namespace: {namespace}}}
spec:
  image: {{name: cr.yandex/crptqonuodf51kdj7a7d/ydb:{version}}}
  storageClusterRef: {{name: storage-sample}}
"""


def test_a_database_is_judged_with_the_storage_it_names(capsys, tmp_path):
    # As the YDB operator's quickstart once paired them: a Database on 23.3, a Storage on 24.2.
    # Before issue 28 the scan judged each object alone, and passed.
    (tmp_path / "storage.yaml").write_text(STORAGE.format(namespace="ydb", version="24.2.7"))
    (tmp_path / "database.yaml").write_text(DATABASE.format(namespace="ydb", version="23.3.17"))
    status, out, _ = run(capsys, "scan", str(tmp_path), "--json")
    document = json.loads(out)
    (cluster,) = document["clusters"]
    assert status == 1 and cluster["rule"] == "non-adjacent-majors" and not document["allowed"]
    assert cluster["what"] == "Database/database-sample with Storage/storage-sample"
    # In another namespace the Database names another Storage: nothing to judge together.
    (tmp_path / "database.yaml").write_text(DATABASE.format(namespace="other", version="23.3.17"))
    status, out, _ = run(capsys, "scan", str(tmp_path), "--json")
    assert status == 0 and json.loads(out)["clusters"] == []
    # Adjacent majors run together.
    (tmp_path / "database.yaml").write_text(DATABASE.format(namespace="ydb", version="24.3.15.5"))
    status, out, _ = run(capsys, "scan", str(tmp_path))
    assert status == 0 and "allowed (adjacent-majors)" in out


def test_the_services_of_a_compose_file_are_one_cluster():
    compose = """\
services:
  a: {image: ravendb/ravendb:6.0.105-ubuntu.22.04-x64}
  b: {image: ravendb/ravendb:5.4.110-ubuntu.22.04-x64}
  web: {image: nginx:1.27}
"""
    (together,) = scan.judge_clusters(one(compose, "compose.yaml"))
    assert (
        together.what == "service a with service b" and together.verdict.rule == "mixed-line-nodes"
    )


def test_a_base_and_its_overlay_are_not_one_cluster(tmp_path):
    base, overlay = tmp_path / "base", tmp_path / "overlays" / "prod"
    overlay.mkdir(parents=True)
    base.mkdir()
    (base / "storage.yaml").write_text(STORAGE.format(namespace="ydb", version="24.2.7"))
    (overlay / "storage.yaml").write_text(STORAGE.format(namespace="ydb", version="25.1.4.18"))
    assert scan.judge_clusters(scan.scan([tmp_path])) == ()


def test_the_scan_honours_the_same_recorded_override_as_the_webhook():
    storage = """\
apiVersion: ydb.tech/v1alpha1
kind: Storage
metadata:
  name: storage
  annotations:
    dbcompat.io/override: "skips-major 24.4.4.12 -> 25.2.1.26: restored from backup, INC-42"
spec:
  image: {{name: cr.yandex/crptqonuodf51kdj7a7d/ydb:{}}}
"""
    before = one(storage.format("24.4.4.12"), "s.yaml")
    (move,) = scan.judge_changes(before, one(storage.format("25.2.1.26"), "s.yaml"))
    assert move.verdict.rule == "overridden" and move.verdict.allowed
    assert "skips-major" in move.verdict.reason and "INC-42" in move.verdict.reason
    (other,) = scan.judge_changes(before, one(storage.format("25.3.1.27"), "s.yaml"))
    assert other.verdict.rule == "skips-major"
    bare = storage.replace(": restored from backup, INC-42", "")
    (unreasoned,) = scan.judge_changes(before, one(bare.format("25.2.1.26"), "s.yaml"))
    assert unreasoned.verdict.rule == "skips-major"
    assert any("overrides nothing" in note for note in unreasoned.verdict.notes)


def test_an_overridden_move_reads_in_every_report_format(repository, capsys):  # noqa: F811
    text = repository.read_text().replace(
        "metadata:\n",
        'metadata:\n  annotations:\n    dbcompat.io/override: "skips-major '
        '24.4.4.12 -> 25.2.1.26: INC-42"\n',
        1,
    )
    repository.write_text(text.replace("ydb:24.4.4.12", "ydb:25.2.1.26"))
    for output in ("json", "sarif", "junit", "markdown", "text"):
        status, out, _ = run(capsys, "scan", "--against", "HEAD", "--format", output)
        assert status == 0 and "overridden" in out.lower(), output


def test_images_the_products_publish_under_other_names_are_read():
    found, _ = scan_text(
        "FROM cr.yandex/yc/yandex-docker-local-ydb:22.5\n"
        "FROM ravendb/ravendb-nightly:7.1-ubuntu-latest\n",
        "Dockerfile",
    )
    assert [(f.product, str(f.version)) for f in found] == [
        ("ydb", "22.5"),
        ("ravendb", "7.1-ubuntu-latest"),  # it follows the newest 7.1 nightly: it floats
    ]
    assert found[1].version.line == "7.1"


def test_versions_pinned_outside_images_are_found_and_judged():
    ansible = one("ydb_version: 24.4.4.12\nravendb_version: 7.1.1\nother: '{{ ydb_version }}'\n",
                  "group_vars/all.yml")  # fmt: skip
    assert [(f.product, str(f.version), f.line) for f in ansible.findings] == [
        ("ydb", "24.4.4.12", 1),
        ("ravendb", "7.1.1", 2),
    ]
    workflow = """\
jobs:
  test:
    strategy:
      matrix:
        ydb-version: [24.4, "{version}"]
    services:
      ydb:
        image: ydbplatform/local-ydb:${{{{ matrix.ydb-version }}}}
"""
    before = one(workflow.format(version="25.1"), ".github/workflows/ci.yml")
    assert [str(f.version) for f in before.findings] == ["24.4", "25.1"]  # the template: none
    (move,) = scan.judge_changes(
        before, one(workflow.format(version="latest"), ".github/workflows/ci.yml")
    )
    assert move.verdict.rule == "floating-version" and move.finding.place.endswith("[1]")
    kustomize = """\
images:
  - name: ravendb/ravendb
    newTag: {tag}
"""
    (bump,) = scan.judge_changes(
        one(kustomize.format(tag="5.4.110-ubuntu.22.04-x64"), "kustomization.yaml"),
        one(kustomize.format(tag="6.0.105-ubuntu.22.04-x64"), "kustomization.yaml"),
    )
    assert bump.verdict.rule == "server-upgrade"


def test_a_tag_that_follows_a_line_is_judged_to_the_line_then_by_the_policy():
    compose = COMPOSE.format(image="ravendb/ravendb:{}")
    before = one(compose.format("5.4.110-ubuntu.22.04-x64"), "compose.yaml")
    up = one(compose.format("6.0-ubuntu-latest"), "compose.yaml")
    (refused,) = scan.judge_changes(before, up)
    assert refused.verdict.rule == "floating-version" and "newest 6.0" in refused.verdict.reason
    (warned,) = scan.judge_changes(before, up, floating="warn")
    assert warned.verdict.rule == "floating-version-warned"
    newer = one(compose.format("6.0.105-ubuntu.22.04-x64"), "compose.yaml")
    down = one(compose.format("5.4-ubuntu-latest"), "compose.yaml")
    for policy in ("refuse", "warn", "ignore"):  # RavenDB's own refusal is never lifted
        (move,) = scan.judge_changes(newer, down, floating=policy)
        assert move.verdict.rule == "server-downgrade"
