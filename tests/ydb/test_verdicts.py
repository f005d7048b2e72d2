"""YDB verdicts a CI gate can rely on: rollbacks, clusters, histories, same builds, advice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dbcompat import NoUpgradePath, ydb
from dbcompat.ydb import Catalog, check_cluster, check_upgrade, plan_upgrade

# The seed's own releases: 25.1.5.* is the last minor of 25.1.
SEED = Catalog(["v.25.1.3.2", "v.25.1.5.5", "v.25.2.3.1", "v.25.1.4.1", "v.25.3.5.3"])
CATALOG = Catalog.default()  # the frozen history of tests/data


@pytest.mark.parametrize(
    ("current", "target", "releases"),
    [
        ("25.2.3.1", "25.1.3.2", SEED),
        ("25.2.3.1", "25.1.4.1", SEED),
        ("25.2.3.1", "25.1", SEED),
        ("24.4.4.12", "24.3.11.14", CATALOG),
        ("24.4.4.2", "24.3.11.13-lts", CATALOG),
        ("26.1.1.20", "25.4", CATALOG),
    ],
)
def test_a_rollback_of_one_major_may_land_on_any_minor(current, target, releases):
    verdict = check_upgrade(current, target, releases=releases)
    assert verdict.allowed and verdict.rule == "previous-major"
    assert any("back up" in note for note in verdict.notes)
    lower = ydb.parse(target, strict=False).line
    newest = str(releases.newest(lower))
    recommendations = [note for note in verdict.notes if "recommended landing" in note]
    assert len(recommendations) == 1 and newest in recommendations[0]


def test_a_rollback_onto_the_last_minor_needs_no_recommendation():
    verdict = check_upgrade("25.2.3.1", "25.1.5.5", releases=SEED)
    assert verdict.rule == "previous-major"
    assert not any("recommended landing" in note for note in verdict.notes)
    assert any("back up" in note for note in verdict.notes)


def test_plans_that_roll_back_still_land_on_the_last_minor():
    plan = plan_upgrade("25.2.3.1", "25.1.3.2", releases=SEED)
    assert [str(v) for v in plan.versions] == ["25.1.5.5", "25.1.3.2"]
    assert all(step.rollback for step in plan)
    plan = plan_upgrade("25.1.4.18", "24.3.11.14")
    assert [str(v) for v in plan.versions] == ["24.4.4.12", "24.3.15.5", "24.3.11.14"]
    assert [step.reason for step in plan] == [
        "the major before 25.1",
        "the last minor of 24.3",
        "the target",
    ]


@pytest.mark.parametrize(
    ("nodes", "named", "reach"),
    [
        (["24.3.11.13", "24.4.4.12"], ["24.3.11.13"], "24.3.15.5"),
        (
            ["24.3.11.13", "24.3.11.14", "24.3.15.5", "24.4.4.2"],
            ["24.3.11.13", "24.3.11.14"],
            "24.3.15.5",
        ),
        (["25.1.2.7-rc", "25.2.1.26"], ["25.1.2.7-rc"], "25.1.4.18"),
        (["22.4.21", "22.5.10"], ["22.4.21"], "22.4.44"),
    ],
)
def test_lower_major_nodes_below_the_last_minor_run_and_the_broken_path_is_a_note(
    nodes, named, reach
):
    # Before issue 27 this state was refused (lower-major-not-last-minor). YDB's own binaries
    # run these nodes together (version.cpp's default rule: one year, majors one apart), and a
    # state is judged by what runs.
    verdict = check_cluster(nodes)
    assert verdict and verdict.rule == "binaries-allow"
    assert verdict.binaries.compatible and verdict.binaries.followed
    (note,) = [note for note in verdict.notes if note.startswith("The documented path")]
    for node in named:
        assert node in note
    assert reach in note
    upper_nodes = [n for n in nodes if n not in named]
    assert all(n not in note.split(":")[1] for n in upper_nodes if n != reach)


def test_many_lagging_nodes_are_counted_not_all_listed():
    nodes = [f"24.3.11.{n}" for n in range(40)] + ["24.4.4.12"]
    verdict = check_cluster(nodes)
    assert verdict.rule == "binaries-allow"
    assert any("and 35 more" in note for note in verdict.notes)


def test_where_the_binaries_rule_is_unknown_the_documented_path_still_refuses():
    # No declaration dbcompat has read covers 23.4 beside 24.1: the documentation decides.
    catalog = Catalog(["23.4.5", "23.4.11", "24.1.18"])
    verdict = check_cluster(["23.4.5", "24.1.18"], releases=catalog)
    assert not verdict and verdict.rule == "lower-major-not-last-minor"
    assert verdict.binaries.compatible is None and not verdict.binaries.followed
    assert any("unknown to dbcompat" in note and "decided" in note for note in verdict.notes)


@pytest.mark.parametrize("partial", ["stable-24-4", "24.4", "v24.4"])
def test_a_partial_lower_node_is_unknown_not_lagging(partial):
    verdict = check_cluster([partial, "25.1.4.18"])
    assert verdict.allowed and verdict.rule == "adjacent-majors"
    (note,) = [n for n in verdict.notes if "unknown" in n]
    assert "24.4" in note and "not on the last minor" not in note
    assert "below its last minor" not in verdict.reason


def test_release_candidate_and_unlisted_nodes_get_the_notes_check_gives():
    verdict = check_cluster(["26.2.1.14", "26.3.1.16-rc"])
    assert verdict.allowed
    assert any("26.3.1.16-rc is a release candidate" in note for note in verdict.notes)
    one = check_cluster(["25.1.4.99", "25.1.4.18"])
    assert one.rule == "one-major"
    assert any("25.1.4.99 is not in the release catalog" in note for note in one.notes)
    check = check_upgrade("26.2.1.14", "26.3.1.16-rc")
    assert set(check.notes) <= set(verdict.notes) | {n for n in check.notes if "catalog" in n}


@pytest.mark.parametrize(
    ("current", "target", "history"),
    [
        ("24.3.15.5", "24.4.4.12", ["26.2.1.14"]),
        ("25.1.4.18", "25.2.1.26", ["25.4.1.15"]),
        ("24.4.4.12", "24.4.4.2", ["25.3.1.27", "24.3.15.5"]),
    ],
)
def test_a_history_the_current_version_contradicts_is_named(current, target, history):
    verdict = check_upgrade(current, target, history=history)
    assert not verdict and verdict.rule == "history-conflict"
    assert "disagree" in verdict.reason and current in verdict.reason
    assert max(history, key=ydb.parse) in verdict.reason
    with pytest.raises(NoUpgradePath, match="disagree"):
        plan_upgrade(current, target, history=history)


def test_a_history_two_majors_up_is_consistent():
    assert check_upgrade("25.1.4.18", "25.2.1.26", history=["25.3.1.27"]).rule == "next-major"


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("24.3.15.5", "24.3.15.5"),
        ("24.3.15.5", "24.3.15.5-lts"),
        ("v.25.1.4.18", "25.1.4.18-stable"),
        ("stable-24-3", "24.3"),
    ],
)
def test_the_same_build_is_already_installed(current, target):
    verdict = check_upgrade(current, target)
    assert verdict.allowed and verdict.rule == "already-installed"
    assert "already installed" in verdict.reason
    assert len(plan_upgrade(current, target)) == 0


@pytest.mark.parametrize(
    ("current", "target"),
    [("25.1.2.7-rc", "25.1.2.7"), ("25.3.1.ent.3", "25.3.1.3"), ("24.3.15", "24.3.15.5")],
)
def test_different_builds_of_one_release_are_not_the_same(current, target):
    assert check_upgrade(current, target).rule == "same-major"


@pytest.mark.parametrize(
    ("current", "target", "rule", "advice"),
    [
        ("24.4.4.12", "25.2.1.26", "skips-major", "25.1.4.18 (the last minor of 25.1)"),
        (
            "25.2.1.26",
            "24.4.4.12",
            "rollback-skips-major",
            "25.1.4.18 (the last minor of 25.1)",
        ),
        ("24.3.11.13", "24.4.4.12", "not-last-minor", "24.3.15.5 (the last minor of 24.3)"),
        ("25.1", "25.2.1.26", "partial-version", "25.1.4.18 (the last minor of 25.1)"),
        ("22.2.22", "22.3.21", "not-last-minor", "22.2.47 (the last minor of 22.2)"),
    ],
)
def test_advice_names_concrete_versions_and_the_plan(current, target, rule, advice):
    verdict = check_upgrade(current, target)
    assert verdict.rule == rule and not verdict
    assert advice in verdict.reason
    plan = plan_upgrade(current, target)
    expected = " -> ".join(map(str, plan.versions))
    assert f"The plan: {expected}." in verdict.reason
    assert "dbcompat" not in verdict.reason  # the library names no command: the CLI adds it


def test_no_plan_is_named_where_none_exists():
    releases = Catalog(["24.4.4.12", "25.1.2.7-rc", "25.2.1.26"])
    verdict = check_upgrade("24.4.4.12", "25.2.1.26", releases=releases)
    assert verdict.rule == "skips-major" and "The plan" not in verdict.reason
    with pytest.raises(NoUpgradePath, match=r"\(candidates=True\)"):
        plan_upgrade("24.4.4.12", "25.2.1.26", releases=releases)


def test_the_rollback_limit_names_the_lowest_version_allowed():
    verdict = check_upgrade("24.4.4.12", "24.3.15.5", history=["25.2.1.26"])
    assert verdict.rule == "rollback-limit"
    assert "24.4.4.12 (the last minor of 24.4)" in verdict.reason


def test_no_path_names_what_was_asked_and_the_stop_that_failed():
    with pytest.raises(NoUpgradePath) as refused:
        plan_upgrade("25.1.4.18", "24.3", history=["25.2.1.26"])
    message = str(refused.value)
    assert message.startswith("no path from 25.1.4.18 to 24.3: at 24.4.4.12, 24.3.15.5 is ")
    assert "25.2.1.26, which was installed before" in message
    # The version running is not "installed before".
    verdict = check_upgrade("26.1.1.22", "24.4.4.12")
    assert "below 26.1.1.22, the version running:" in verdict.reason


def test_an_unknown_major_says_how_to_teach_the_catalog():
    verdict = check_upgrade("26.2.1.14", "27.1.1.1")
    assert verdict.rule == "unknown-major" and "(releases=...)" in verdict.reason
    assert "--" not in verdict.reason


finals = [v for v in CATALOG if v.is_final]


@given(st.sampled_from(finals), st.sampled_from(finals))
def test_every_rollback_of_one_major_is_allowed(current, target):
    distance = CATALOG.distance(target.line, current.line)
    if distance == 1:
        verdict = check_upgrade(current, target)
        assert verdict.allowed and verdict.rule == "previous-major"
