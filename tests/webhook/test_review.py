"""The webhook's decisions on review bodies: each object kind judged by the rules, the policy
(fail open, dry run, candidates, skipped namespaces), and bodies it cannot read answered, with
their uid, and never changed."""

from __future__ import annotations

import copy

import pytest

from dbcompat.webhook import Policy, review
from dbcompat.webhook.review import NotAReview, failed
from tests.webhook.reviews import database, raven_cluster, request, stateful_set, storage

DEFAULT_POLICY = Policy()


def answer(body, policy=DEFAULT_POLICY):
    result = review(body, policy)
    assert result["apiVersion"] == "admission.k8s.io/v1" and result["kind"] == "AdmissionReview"
    assert result["response"]["uid"] == body["request"]["uid"]
    return result["response"]


@pytest.mark.parametrize(
    ("new", "old", "allowed", "reason"),
    [
        (storage("25.2.1.26"), storage("24.4.4.12"), False, "skips-major"),
        (storage("25.1.4.18"), storage("24.4.4.12"), True, None),
        (database("24.4.4.12"), database("24.3.11.13"), False, "not-last-minor"),
        (storage(version="23.1.26"), storage(), False, "skips-major"),  # from the default 22.2.22
        (stateful_set("25.2.1.26"), stateful_set("24.4.4.12"), False, "skips-major"),
        (raven_cluster("6.0.105-ubuntu.22.04-x64"), raven_cluster("5.4.110"), True, None),
        (raven_cluster("5.4.110"), raven_cluster("6.0.105"), False, "server-downgrade"),
        (raven_cluster("5.4.110", "api=6.0"), raven_cluster("5.4.110"), False,
         "from-4.2-server-older"),
    ],
)  # fmt: skip
def test_each_object_kind_is_judged_by_the_rules(new, old, allowed, reason):
    response = answer(request(new, old))
    assert response["allowed"] is allowed
    assert response["status"]["message"].startswith("dbcompat: ")
    assert response["status"]["code"] == (200 if allowed else 403)
    if not allowed:
        assert response["status"]["reason"] == reason


def test_the_operators_default_is_a_warning_on_create():
    response = answer(request(storage()))
    assert response["allowed"] is True
    assert any("default tag 22.2.22" in warning for warning in response["warnings"])


def test_the_rollback_limit_reads_the_installed_versions_annotation():
    history = {"dbcompat.io/installed-versions": "24.4.4.12,25.1.4.18,25.2.1.26"}
    old = storage("24.4.4.12", annotations=history)
    response = answer(request(storage("24.3.15.5"), old))
    assert response["allowed"] is False and response["status"]["reason"] == "rollback-limit"
    assert answer(request(storage("24.3.15.5"), storage("24.4.4.12")))["allowed"] is True


@pytest.mark.parametrize(
    ("body", "policy", "allowed", "rule_or_warning"),
    [
        # an UPDATE without its oldObject cannot be judged: closed by default, open if asked
        ({"operation": "UPDATE"}, Policy(), False, "unreadable"),
        ({"operation": "UPDATE"}, Policy(fail_open=True), True, "fail open"),
        # a review of another kind, or a DELETE, is allowed untouched
        ({"kind": {"kind": "ConfigMap"}}, Policy(), True, None),
        ({"operation": "DELETE"}, Policy(), True, None),
        # a namespace skipped, a dry run
        ({"namespace": "dev"}, Policy(skip_namespaces=frozenset({"dev"})), True, None),
    ],
)
def test_policy_and_faults_always_answer_with_the_uid(body, policy, allowed, rule_or_warning):
    base = request(storage("25.2.1.26"), storage("24.4.4.12"))
    base["request"].update(body)
    if body.get("operation") == "UPDATE":
        del base["request"]["oldObject"]
    response = answer(base, policy)
    assert response["allowed"] is allowed
    if rule_or_warning == "unreadable":
        assert response["status"]["reason"] == "unreadable"
    elif rule_or_warning:
        assert rule_or_warning in " ".join(response["warnings"])


def test_a_dry_run_allows_and_says_what_it_would_refuse():
    response = answer(request(storage("25.2.1.26"), storage("24.4.4.12")), Policy(dry_run=True))
    assert response["allowed"] is True and "would refuse (skips-major)" in response["warnings"][0]


def test_a_tag_that_looks_like_a_version_and_is_none_is_unreadable():
    response = answer(request(storage("24.4.x"), storage("24.4.4.12")))
    assert response["allowed"] is False and response["status"]["reason"] == "unreadable"


@pytest.mark.parametrize(
    "new",
    [
        storage("latest"),
        storage("latest-and-greatest"),  # before issue 28: refused as unreadable
        storage("nightly"),
        stateful_set("edge"),
        raven_cluster("latest"),
    ],
)
def test_a_pinned_version_that_vanishes_is_refused_warned_or_ignored_by_the_policy(new):
    old = raven_cluster("6.0.105") if new["kind"] == "RavenDBCluster" else storage("24.4.4.12")
    if new["kind"] == "StatefulSet":
        old = stateful_set("24.4.4.12")
    refused = answer(request(new, old))
    assert refused["allowed"] is False and refused["status"]["reason"] == "floating-version"
    assert "(--floating warn)" in refused["status"]["message"]
    warned = answer(request(new, old), Policy(floating="warn"))
    assert warned["allowed"] is True and any("names no version" in w for w in warned["warnings"])
    ignored = answer(request(new, old), Policy(floating="ignore"))
    assert ignored["allowed"] is True and "warnings" not in ignored


def test_a_new_object_that_floats_is_judged_by_the_same_policy():
    for image in ("latest", "nightly"):
        response = answer(request(storage(image)))
        assert response["allowed"] is False and response["status"]["reason"] == "floating-version"
    digest = storage()
    digest["spec"]["image"] = {"name": "cr.yandex/crptqonuodf51kdj7a7d/ydb@sha256:0f0e"}
    response = answer(request(digest))
    assert response["status"]["reason"] == "floating-version"
    assert "digest only" in response["status"]["message"]
    assert answer(request(storage("latest")), Policy(floating="ignore"))["allowed"] is True


def test_a_development_build_beside_a_release_is_refused_whatever_the_policy():
    for policy in ("refuse", "warn", "ignore"):
        response = answer(request(storage("trunk"), storage("24.4.4.12")), Policy(floating=policy))
        assert response["allowed"] is False
        assert response["status"]["reason"] == "development-beside-release"


@pytest.mark.parametrize("spec", ["bad", {"image": {"name": ["ydb:25.1.4.18"]}}])
def test_an_object_whose_spec_has_the_wrong_shape_is_unreadable_not_a_crash(spec):
    body = request({"kind": "Storage", "metadata": {"name": "storage"}, "spec": spec})
    response = answer(body)
    assert response["allowed"] is False and response["status"]["reason"] == "unreadable"
    assert "Storage/storage: spec" in response["status"]["message"]


def test_release_candidates_need_the_policy():
    body = request(storage("25.2.1.10-rc"), storage("25.1.4.18"))
    assert answer(body)["status"]["reason"] == "release-candidate"
    assert answer(body, Policy(candidates=True))["allowed"] is True


def test_a_review_without_a_uid_is_refused_as_input():
    body = {"apiVersion": "admission.k8s.io/v1", "request": {"operation": "CREATE"}}
    with pytest.raises(NotAReview, match="no request with a uid"):
        review(body, Policy())


@pytest.mark.parametrize("version", ["admission.k8s.io/v1", "admission.k8s.io/v1beta1"])
def test_a_review_is_answered_in_its_own_api_version(version):
    body = {**request(storage("25.2.1.26"), storage("24.4.4.12")), "apiVersion": version}
    answered = review(body, Policy())
    assert answered["apiVersion"] == version and answered["response"]["allowed"] is False


@pytest.mark.parametrize("version", [None, "admission.k8s.io/v2", ["admission.k8s.io/v1"], 1])
def test_a_review_of_another_api_version_is_refused_as_input(version):
    body = {**request(storage("25.2.1.26")), "apiVersion": version}
    with pytest.raises(NotAReview, match="not an AdmissionReview of admission.k8s.io/v1"):
        review(body, Policy())


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", {"kind": ["Storage"]}), ("kind", ["Storage"]), ("namespace", {"a": 1}),
     ("namespace", ["ydb"]), ("operation", {"UPDATE": 1}), ("object", [1]), ("name", {})],
)  # fmt: skip
def test_a_request_of_any_shape_is_judged_without_raising(field, value):
    body = request(storage("25.1.4.18"), storage("24.4.4.12"))
    body["request"][field] = value
    assert review(body, Policy(skip_namespaces=frozenset({"ydb"})))["response"]["uid"]


@pytest.mark.parametrize("fail_open", [True, False])
def test_a_fault_while_judging_follows_the_failure_policy(fail_open):
    judgement = failed(Policy(fail_open=fail_open), KeyError("secret text of the object"))
    assert judgement.allowed is fail_open and judgement.rule == "unreadable"
    assert "KeyError" in judgement.reason and "secret text" not in repr(judgement)


def test_warnings_are_short_enough_for_kubectl():
    body = request(raven_cluster("7.2.0", "old=4.2"), raven_cluster("7.1.0", "old=4.2"))
    for warning in answer(body).get("warnings", []):
        assert len(warning) <= 256


def test_deep_copies_of_reviews_are_not_changed():
    body = request(storage("25.2.1.26"), storage("24.4.4.12"))
    kept = copy.deepcopy(body)
    answer(body)
    assert body == kept


def test_an_object_nested_too_deeply_is_unreadable_not_a_crash():
    nested = []
    body = request({"kind": "List", "metadata": {"name": "x"}, "items": [nested]})
    body["request"]["kind"] = {"kind": "Pod"}
    for _ in range(3000):
        nested.append([])
        nested = nested[0]
    response = answer(body)
    assert response["allowed"] is False and response["status"]["reason"] == "unreadable"


def test_a_ravendb_server_down_within_its_line_is_refused_unless_the_policy_allows_it():
    body = request(raven_cluster("6.2.8-ubuntu.22.04-x64"), raven_cluster("6.2.9-ubuntu.22.04-x64"))
    refused = answer(body)
    assert not refused["allowed"] and refused["status"]["reason"] == "server-patch-downgrade"
    assert "(--allow-downgrade)" in refused["status"]["message"]
    allowed = answer(body, Policy(allow_downgrade=True))
    assert allowed["allowed"] and any("operator" in w for w in allowed.get("warnings", []))


def test_the_binaries_answer_rides_in_the_audit_annotations():
    import json

    response = answer(request(storage("25.1.4.18"), storage("24.4.4.12")))
    binaries = json.loads(response["auditAnnotations"]["binaries"])
    assert binaries["compatible"] is True and "25.1 declaration" in binaries["reason"]
    assert binaries["source"] and binaries["followed"] is False
    # A move the documentation refuses while YDB would run both: refused, with a warning.
    refused = answer(request(database("24.4.4.12"), database("24.3.11.13")))
    assert refused["allowed"] is False and refused["status"]["reason"] == "not-last-minor"
    assert json.loads(refused["auditAnnotations"]["binaries"])["compatible"] is True
    assert any("a move follows the documented path" in w for w in refused["warnings"])
    # RavenDB's rules already follow its operator: no second answer.
    ravendb = answer(request(raven_cluster("6.0.105"), raven_cluster("5.4.110")))
    assert "auditAnnotations" not in ravendb


def deployment(*containers, init=()):
    def spec(name, tag):
        return {"name": name, "image": f"cr.yandex/crptqonuodf51kdj7a7d/ydb:{tag}"}

    template = {"containers": [spec(*each) for each in containers]}
    if init:
        template["initContainers"] = [spec(*each) for each in init]
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "storage", "namespace": "ydb"},
            "spec": {"template": {"spec": template}}}  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (deployment(("ydb", "24.1.18")), deployment(("ydb2", "25.2.1.26"))),  # renamed
        (deployment(("ydb", "24.1.18")), deployment(("ydb", "24.1.18"), ("b", "25.2.1.26"))),
        (deployment(("a", "24.1.18"), ("b", "24.1.18")), deployment(("b", "25.2.1.26"))),
        (deployment(("ydb", "24.1.18")), deployment(("ydb", "24.1.18"), init=[("i", "25.2.1.26")])),
    ],
)
def test_a_move_cannot_hide_behind_a_new_container_name(old, new):
    # Before issue 28 a renamed container was a new one: "no-move", allowed.
    response = answer(request(new, old))
    assert response["allowed"] is False and response["status"]["reason"] == "skips-major"


def test_a_pod_gaining_an_ephemeral_container_is_judged():
    pod = stateful_set("24.4.4.12")["spec"]["template"]
    old = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "ydb"},
           "spec": pod["spec"]}  # fmt: skip
    new = copy.deepcopy(old)
    image = "cr.yandex/crptqonuodf51kdj7a7d/ydb:25.2.1.26"
    new["spec"]["ephemeralContainers"] = [{"name": "debug", "image": image}]
    response = answer(request(new, old))
    assert response["allowed"] is False and response["status"]["reason"] == "skips-major"


def test_a_database_says_its_storage_was_not_judged_beside_it():
    response = answer(request(database("24.4.4.12"), database("24.3.15.5")))
    assert response["allowed"] is True
    assert any("beside Storage/storage" in warning for warning in response["warnings"])


def test_a_recorded_override_allows_that_move_only_and_says_so():
    override = {"dbcompat.io/override": "skips-major 24.4.4.12 -> 25.2.1.26: restored, INC-42"}
    new = storage("25.2.1.26", annotations=override)
    response = answer(request(new, storage("24.4.4.12")))
    assert response["allowed"] is True and response["status"]["reason"] == "overridden"
    assert any("Overridden (skips-major)" in w and "INC-42" in w for w in response["warnings"])
    # Another move, or the same rule on another move, is not overridden.
    other = answer(request(storage("25.3.1.27", annotations=override), storage("24.4.4.12")))
    assert other["allowed"] is False and other["status"]["reason"] == "skips-major"
    # Once the object has moved on, the left-over annotation overrides nothing.
    later = answer(request(storage("25.3.1.27", annotations=override), new))
    assert later["allowed"] is True and later["status"]["reason"] != "overridden"
    # An override without its reason is none, and says so.
    bare = storage("25.2.1.26", annotations={"dbcompat.io/override": "skips-major 24.4.4.12"})
    refused = answer(request(bare, storage("24.4.4.12")))
    assert refused["allowed"] is False and any(
        "overrides nothing" in w for w in refused["warnings"]
    )


def test_an_annotation_listing_too_much_is_unreadable_and_the_history_keeps_its_highest():
    from dbcompat.webhook.review import MAX_ANNOTATED

    def move(history):
        noted = {"dbcompat.io/installed-versions": history}
        return request(storage("25.1.4.18", annotations=noted), storage("24.4.4.12", None, noted))

    assert answer(move(",".join(["24.4.4.12"] * (MAX_ANNOTATED + 1))))["allowed"] is False
    assert answer(move(",".join(["24.4.4.12"] * (MAX_ANNOTATED + 1))))["status"]["reason"] == (
        "unreadable"
    )
    # Only the highest version installed counts: a long history judges as its highest alone.
    assert answer(move("24.4.4.12,26.1.1.22,25.1.4.18")) == answer(move("26.1.1.22"))
