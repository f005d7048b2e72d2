"""Moves matched by what runs, not by what it is called: a renamed, split or replaced
container moves from what its product ran in the object, and a mirror of a product's images
named once (``--image PRODUCT=REPOSITORY``) is read by every door."""

from __future__ import annotations

import json

import pytest

from dbcompat import scan
from tests.helpers import run, scanned

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
    old = scanned(DEPLOYMENT.format(containers=containers(("ydb", "24.1.18"))), "d.yaml")
    new = scanned(DEPLOYMENT.format(containers=containers(*after)), "d.yaml")
    moves = scan.judge_changes(old, new)
    assert [(str(m.before), m.verdict.rule) for m in moves] == [("24.1.18", "skips-major")]


def test_a_new_mention_in_free_text_moves_nothing():
    old = scanned("Runs ydb:24.4.4.12.\n", "README.md")
    new = scanned("Runs ydb:24.4.4.12. The first release was ydb:22.2.22.\n", "README.md")
    assert scan.judge_changes(old, new) == ()
    dockerfile = scan.judge_changes(
        scanned("FROM ydb:24.1.18"), scanned("FROM local-ydb:25.2.1.26")
    )
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
        response = review(request(new, old), Policy())["response"]
    finally:
        forget_mirrors()
    assert response["allowed"] is False and response["status"]["reason"] == "skips-major"
    with pytest.raises(ValueError, match="already holds"):
        name_mirror("ravendb", "mirror/ydb")
