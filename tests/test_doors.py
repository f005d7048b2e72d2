"""Same object, same answer: every case of a change that a gate must stop, run through each door
that can express it (``scan --against``, ``ydb check --from/--to``, the webhook), which must
agree on whether it is allowed and by which rule. A door that cannot express a case says why."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from dbcompat.webhook import Policy, review
from tests.helpers import run
from tests.scan.test_gate import git
from tests.webhook.reviews import database, raven_cluster, request, stateful_set, storage


def deployment(*containers):
    image = "cr.yandex/crptqonuodf51kdj7a7d/ydb"
    specs = [{"name": name, "image": f"{image}:{tag}"} for name, tag in containers]
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "storage", "namespace": "ydb"},
            "spec": {"template": {"spec": {"containers": specs}}}}  # fmt: skip


def overridden(obj, text):
    obj = copy.deepcopy(obj)
    obj["metadata"].setdefault("annotations", {})["dbcompat.io/override"] = text
    return obj


def digest(obj):
    obj = copy.deepcopy(obj)
    obj["spec"]["image"]["name"] = "cr.yandex/crptqonuodf51kdj7a7d/ydb@sha256:0f0e"
    return obj


NO_CLIENTS = "ydb check --from/--to reads YDB nodes only"
NO_ANNOTATIONS = "an inventory's entries carry no annotations"

# (name, old object, new object, (allowed, rule), {door: why it cannot express the case})
CASES = [
    ("next major", storage("24.4.4.12"), storage("25.1.4.18"), (True, "next-major"), {}),
    ("skips a major", storage("24.4.4.12"), storage("25.2.1.26"), (False, "skips-major"), {}),
    ("to latest", storage("24.4.4.12"), storage("latest"), (False, "floating-version"), {}),
    ("to nightly", stateful_set("24.4.4.12"), stateful_set("nightly"),
     (False, "floating-version"), {}),
    ("to a digest", storage("24.4.4.12"), digest(storage("24.4.4.12")),
     (False, "floating-version"), {}),
    ("to trunk", storage("24.4.4.12"), storage("trunk"), (False, "development-beside-release"), {}),
    ("a renamed container", deployment(("ydb", "24.1.18")), deployment(("ydb2", "25.2.1.26")),
     (False, "skips-major"), {"check": "nodes are matched by their label: a renamed node is new"}),
    ("RavenDB to latest", raven_cluster("6.0.105"), raven_cluster("latest"),
     (False, "floating-version"), {"check": NO_CLIENTS}),
    ("RavenDB down a patch", raven_cluster("6.2.9"), raven_cluster("6.2.8"),
     (False, "server-patch-downgrade"), {"check": NO_CLIENTS}),
    ("an override on record",
     storage("24.4.4.12"),
     overridden(storage("25.2.1.26"), "skips-major 24.4.4.12 -> 25.2.1.26: restored, INC-42"),
     (True, "overridden"), {"check": NO_ANNOTATIONS}),
    ("a Database moved beside its Storage", database("24.4.4.12"), database("25.1.4.18"),
     (True, "next-major"), {}),
]  # fmt: skip


def through_webhook(old, new):
    response = review(request(new, old), Policy())["response"]
    return response["allowed"], response["status"]["reason"]


def through_scan(capsys, folder, old, new):
    manifest = folder / "deploy.yaml"
    manifest.write_text(yaml.safe_dump(old))
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "before")
    manifest.write_text(yaml.safe_dump(new))
    status, out, _ = run(capsys, "scan", str(folder), "--against", "HEAD", "--json")
    refused = [move for move in json.loads(out)["moves"] if not move["allowed"]]
    judged = refused or json.loads(out)["moves"]
    return status == 0, judged[0]["rule"]


def through_check(capsys, folder, old, new):
    (folder / "old.yaml").write_text(yaml.safe_dump(old))
    (folder / "new.yaml").write_text(yaml.safe_dump(new))
    arguments = ["--from", str(folder / "old.yaml"), "--to", str(folder / "new.yaml"), "--json"]
    status, out, _ = run(capsys, "ydb", "check", *arguments)
    return status == 0, json.loads(out)["rule"]


@pytest.mark.parametrize(
    ("name", "old", "new", "expected", "cannot"), CASES, ids=[case[0] for case in CASES]
)
def test_every_door_that_can_express_a_case_gives_it_the_same_answer(
    capsys, tmp_path, name, old, new, expected, cannot
):
    answers = {"webhook": through_webhook(old, new)}
    (tmp_path / "scan").mkdir()
    answers["scan"] = through_scan(capsys, tmp_path / "scan", old, new)
    if "check" not in cannot:
        answers["check"] = through_check(capsys, tmp_path, old, new)
    assert answers == dict.fromkeys(answers, expected), name


def test_what_a_door_cannot_express_says_why():
    for name, *_, cannot in CASES:
        assert set(cannot) <= {"scan", "check", "webhook"}, name
        assert all(len(why) > 10 for why in cannot.values()), name
