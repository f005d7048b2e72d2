"""RavenDB's rules: client/server compatibility, the nodes of a cluster, and upgrade plans."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dbcompat import InvalidVersion, NoUpgradePath, ravendb
from dbcompat.ravendb import Version, check_compatibility, check_upgrade, plan_upgrade


def test_the_rules_refuse_non_strings_at_their_boundary():
    for value in (None, 5.4, b"5.4"):
        with pytest.raises(TypeError):
            check_compatibility(client=value, server="5.4")
        with pytest.raises(TypeError):
            plan_upgrade(server="5.4", target=value)


@pytest.mark.parametrize("nodes", ["5.4", b"5.4"])
def test_one_text_given_for_many_nodes_is_a_type_error_not_read_by_its_letters(nodes):
    # Read letter by letter, "5.4" would be the versions 5, ., 4.
    with pytest.raises(TypeError, match=r"nodes must be an iterable of RavenDB versions, not one"):
        ravendb.check_nodes(nodes)
    assert ravendb.check_nodes(iter(["5.4", "5.4.110"])).rule == "same-line-nodes"


# Every example of the seed's FAQ.
@pytest.mark.parametrize(
    ("client", "server", "compatible"),
    [
        ("3.0", "3.0", True),
        ("4.0", "4.1", True),
        ("4.1.7", "4.1.6", True),
        ("3.0", "4.0", False),
        ("4.5", "4.0", False),
        ("4.2", "4.2", True),
        ("4.2", "4.5", True),
        ("4.2", "5.2", True),
    ],
)
def test_seed_examples(client, server, compatible):
    assert check_compatibility(client=client, server=server).allowed is compatible


@pytest.mark.parametrize(
    ("client", "server", "rule"),
    [
        ("4.1", "4.1", "before-4.2-same-major"),
        ("4.1", "4.2", "before-4.2-same-major"),
        ("4.1", "5.0", "before-4.2-other-major"),
        ("4.1", "5.4", "before-4.2-other-major"),
        ("4.1.9", "4.0.8", "before-4.2-older-minor"),
        ("4.2", "4.1", "from-4.2-server-older"),
        ("4.2.118", "4.2.0", "from-4.2-server-not-older"),
        ("4.2", "5.0", "from-4.2-server-not-older"),
        ("4.2", "6.0", "from-4.2-server-not-older"),
        ("5.4", "5.2", "from-4.2-server-older"),
        ("3.5.3.5", "3.0.3800", "before-4.2-older-minor"),
    ],
)
def test_the_era_boundary(client, server, rule):
    verdict = check_compatibility(client=client, server=server)
    assert verdict.rule == rule
    assert verdict.allowed is rule.endswith(("same-major", "not-older"))
    era = "Before 4.2" if rule.startswith("before") else "From 4.2 on"
    assert verdict.reason.startswith(era)


def test_header_versions_and_suffixes_compare_by_major_minor_only():
    assert check_compatibility(client="4.1.9.41023", server="4.1.0-rc-41000")
    assert check_compatibility(client="5.0.0-nightly-20200507-0548", server="5.0.0.2")


def test_documented_breakage_is_noted():
    verdict = check_compatibility(client="7.0.1", server="5.4.114")
    assert not verdict and any("Gzip" in note for note in verdict.notes)
    assert check_compatibility(client="6.0", server="5.4").notes == ()
    assert check_compatibility(client="7.1", server="7.2").notes == ()


product_versions = st.tuples(st.integers(0, 12), st.integers(0, 12))
patch = st.none() | st.integers(0, 50_000)


@given(product_versions, patch, patch)
def test_equal_major_minor_is_always_compatible(line, client_patch, server_patch):
    client = Version(*line, client_patch)
    server = Version(*line, server_patch)
    assert check_compatibility(client, server)


@given(product_versions, product_versions)
def test_compatibility_matches_the_faq_rule(client_line, server_line):
    expected = (
        server_line[0] == client_line[0] and server_line[1] >= client_line[1]
        if client_line < (4, 2)
        else server_line >= client_line
    )
    assert check_compatibility(Version(*client_line), Version(*server_line)).allowed is expected


def test_plan_before_4_2_to_a_new_major_is_lockstep():
    plan = plan_upgrade("4.1.9", "5.4.110", {"orders": "4.1.7", "billing": "4.0.3"})
    assert plan.lockstep
    assert [s.component for s in plan] == ["server", "orders", "billing"]
    assert all(s.required for s in plan)
    assert [str(s.to_version) for s in plan] == ["5.4.110", "5.4", "5.4"]


def test_plan_from_4_2_on_recommends_client_upgrades():
    plan = plan_upgrade("4.2.118", "5.4.110", ["4.2.0", "5.4.105"])
    assert not plan.lockstep
    assert [(s.component, s.required) for s in plan] == [
        ("server", True),
        ("client 1", False),
        ("client 2", False),
    ]
    assert "still serves it" in plan[1].reason and plan[1].to_version == Version(5, 4)
    assert plan[2].from_version == plan[2].to_version and "nothing to do" in plan[2].reason


def test_plan_requires_clients_the_new_server_would_not_serve():
    plan = plan_upgrade("5.2.106", "6.0.100", [("api", "7.0.0"), ("web", "5.2.5")])
    steps = {s.component: s for s in plan}
    assert steps["api"].required and str(steps["api"].to_version) == "6.0"
    assert not steps["web"].required
    # Within a minor before 4.2, old clients keep working: recommended.
    plan = plan_upgrade("4.0.8", "4.1.9", ["4.0.1"])
    assert not plan.lockstep and [s.required for s in plan] == [True, False]


def test_plan_puts_the_server_first():
    plan = plan_upgrade("5.2.106", "6.0.100", ["5.2.5", "6.0.3"])
    assert plan.steps[0].component == "server"
    assert plan.as_dict()["steps"][0] == {
        "component": "server",
        "from_version": "5.2.106",
        "to_version": "6.0.100",
        "required": True,
        "rollback": False,
        "reason": "server first",
        "binaries": None,
    }


def test_plan_refuses_downgrades_and_bad_clients():
    with pytest.raises(NoUpgradePath, match="5.x"):
        plan_upgrade("6.0.4", "5.4.114")
    with pytest.raises(InvalidVersion):
        plan_upgrade("5.4", "6.0", ["bad"])
    with pytest.raises(TypeError):
        plan_upgrade("5.4", "6.0", "5.4")
    (step,) = plan_upgrade("6.0", "6.0", ["6.0.1"])
    assert step.from_version == step.to_version and not step.required and not step.rollback


@pytest.mark.parametrize(
    ("server", "to", "clients", "label", "downgrade"),
    [
        ("5.2.106", "6.0.100", {"api": "7.0.1"}, "api", ("7.0.1", "6.0")),
        ("6.0.105", "6.0.100", {}, "server", ("6.0.105", "6.0.100")),
        ("4.1.9", "5.4.110", {"batch": "6.0.3"}, "batch", ("6.0.3", "5.4")),
        ("5.4.110", "6.2.1", {"old": "7.1.2"}, "old", ("7.1.2", "6.2")),
    ],
)
def test_downgrades_are_called_downgrades_and_say_why(server, to, clients, label, downgrade):
    plan = plan_upgrade(server, to, clients, allow_downgrade=True)
    (step,) = [s for s in plan if s.component == label]
    assert (str(step.from_version), str(step.to_version)) == downgrade
    assert step.rollback and step.required
    assert step.reason and step.reason != "server first"
    assert step.as_dict()["rollback"] is True
    assert all(not s.rollback for s in plan if s.component != label)


def test_a_server_is_never_planned_down_a_line():
    with pytest.raises(NoUpgradePath, match="6.x servers cannot go back to 5.x"):
        plan_upgrade("6.0.100", "5.4.110", {"api": "5.4.1"})


@pytest.mark.parametrize("future", ["10.0", "7.3.1", "8.0"])
def test_an_unknown_future_version_is_judged_with_a_note(future):
    plan = plan_upgrade("6.0.100", future, {"api": "6.0.3"})
    assert plan.steps[0].to_version == ravendb.parse(future)
    assert any("newer than every RavenDB version" in note for note in plan.notes)
    verdict = check_compatibility(client="6.0", server=future)
    assert verdict.allowed and any("assumed to hold" in note for note in verdict.notes)
    assert check_compatibility(client="6.0", server="7.2").notes == ()


def test_clients_on_the_target_appear_with_nothing_to_do():
    plan = plan_upgrade("5.4.110", "6.0.100", [("web", "6.0.4"), ("api", "5.4.1")])
    steps = {s.component: s for s in plan}
    assert set(steps) == {"server", "web", "api"}
    assert steps["web"].from_version == steps["web"].to_version
    assert not steps["web"].required and "nothing to do" in steps["web"].reason
    assert str(steps["api"].to_version) == "6.0" and not steps["api"].required


@pytest.mark.parametrize(
    "clients",
    [
        [("api", "5.4"), ("api", "6.0")],
        [("", "5.4")],
        [("  ", "5.4")],
        [("web", "5.4"), ("web", "5.4")],
    ],
)
def test_duplicate_or_empty_labels_are_bad_input(clients):
    with pytest.raises(ValueError, match="label"):
        plan_upgrade("5.4.110", "6.0.100", clients)


@pytest.mark.parametrize("pair", [("api",), ("api", "5.4", "6.0"), ()])
def test_a_client_pair_of_other_than_two_items_is_bad_input_naming_the_client(pair):
    with pytest.raises(ValueError, match=r"^client 2 is .*: a \(label, version\) pair holds two"):
        plan_upgrade("5.4.110", "6.0.100", [("web", "5.4"), pair])


def test_a_server_moved_down_within_its_line_is_refused_as_ravendbs_operator_refuses_it():
    # ravendb/ravendb-operator api/v1/webhook_test.go: 7.1.3 -> 7.1.2 is "downgrade is not
    # allowed"; 6.2.9 -> 6.2.10 and 5.4.210 -> 6.0.0 pass, and the same version does.
    for current, target in (("7.1.3", "7.1.2"), ("6.2.9", "6.2.8"), ("6.2.9.62000", "6.2.8")):
        verdict = check_upgrade(current, target)
        assert verdict.rule == "server-patch-downgrade" and not verdict
        assert "operator" in verdict.reason and "allow_downgrade=True" in verdict.reason
        with pytest.raises(NoUpgradePath, match="operator refuses a downgrade"):
            plan_upgrade(current, target)
    for current, target in (("6.2.9", "6.2.10"), ("5.4.210", "6.0.0"), ("7.1.3", "7.1.3")):
        assert check_upgrade(current, target)
    allowed = check_upgrade("6.2.9", "6.2.8", allow_downgrade=True)
    assert allowed and allowed.rule == "server-same-line"
    assert any("operator" in note for note in allowed.notes)
    # The allowance is for a rollback within a line: down a line stays refused.
    assert check_upgrade("6.0.105", "5.4.110", allow_downgrade=True).rule == "server-downgrade"
