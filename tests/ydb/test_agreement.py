"""The two authorities in one verdict: YDB's documentation and YDB's own binaries. A move
follows the documented path and is refused if either refuses; a cluster's state follows the
binaries where their rule is known; every YDB verdict carries the binaries' answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dbcompat import NoUpgradePath, ydb
from dbcompat.ydb import Catalog, check_changes, check_cluster, check_fleet, check_upgrade
from dbcompat.ydb.binaries import Declarations, Declared, check_move, check_together

DEFAULT = Catalog.default()
releases = st.sampled_from([v for v in DEFAULT if v.is_final])


@given(releases, releases)
def test_a_move_either_authority_refuses_is_refused(current, target):
    verdict = check_upgrade(current, target)
    assert verdict.binaries is not None
    assert verdict.binaries == check_move(current, target)._replace(
        followed=verdict.binaries.followed
    )
    if verdict.binaries.compatible is False:
        assert not verdict
    assert verdict.binaries.followed == (verdict.rule == "binaries-refuse")


@given(st.lists(releases, min_size=1, max_size=4))
def test_a_state_follows_the_binaries_where_their_rule_is_known(nodes):
    verdict = check_cluster(nodes)
    answer = check_together(nodes)
    assert verdict.binaries.compatible == answer.compatible
    if answer.compatible is None:
        assert not verdict.binaries.followed
        assert any("The documentation decided." in note for note in verdict.notes)
    else:
        assert verdict.allowed == answer.compatible and verdict.binaries.followed


def test_a_state_does_not_turn_refused_when_the_catalog_lists_a_newer_minor():
    nodes = ["24.3.11.13", "24.4.4.12"]
    before = check_cluster(nodes, releases=["24.3.11.13", "24.4.4.12"])
    after = check_cluster(nodes, releases=DEFAULT)  # 24.3.15.5 came out since
    assert before.rule == "adjacent-majors" and after.rule == "binaries-allow"
    assert before and after


def test_plan_steps_fleets_and_changes_carry_the_binaries_answer():
    plan = ydb.plan_upgrade("24.3.11.13", "25.1.4.18")
    assert [step.binaries.compatible for step in plan] == [True, True, True]
    assert "25.1 declaration" in plan[-1].binaries.reason
    fleet = check_fleet([("a", "24.4.4.12"), ("b", "25.1.4.18")])
    assert fleet.verdict.binaries.compatible and fleet.as_dict()["binaries"]["followed"]
    changes = check_changes([("a", "24.4.4.12")], [("a", "25.1.4.18")])
    assert changes.verdict.binaries.compatible and changes.moves[0][1].binaries is not None


def test_a_rollback_reads_the_data_the_current_binary_wrote():
    # As YDB's unit test CurrentCanLoadFromIncompatible: the lower binary's CanLoadFrom does
    # not cover the writer, and nothing else permits it across the year.
    rules = [Declared((25, 1), "load", (24, 4), (25, 1), True, "the test")]
    known = Declarations.exactly(rules)
    current, target = ydb.parse("25.1.4.18"), ydb.parse("25.1.4.7")
    assert check_move(current, target, declarations=Declarations.exactly([])).compatible
    answer = check_move(current, target, declarations=known)
    assert answer.compatible is False and "forbids" in answer.reason


def test_a_year_boundary_no_declaration_covers_is_the_documentations_with_a_note():
    verdict = check_upgrade("23.4.11", "24.1.18")
    assert verdict.rule == "next-major" and verdict.binaries.compatible is None
    assert any("unknown to dbcompat" in note for note in verdict.notes)
    older = check_cluster(["22.5.10", "23.1.26"])
    assert older.binaries.compatible is None and "old format" in older.binaries.reason


def test_a_boundary_neither_branch_declares_is_refused_by_the_binaries():
    catalog = ["23.3.17", "24.2.7"]  # a catalog where 24.2 follows 23.3
    verdict = check_upgrade("23.3.17", "24.2.7", releases=catalog)
    assert not verdict and verdict.rule == "binaries-refuse" and verdict.binaries.followed
    assert any("documentation alone allows it" in note for note in verdict.notes)
    with pytest.raises(NoUpgradePath, match="refuses"):
        ydb.plan_upgrade("23.3.17", "24.2.7", releases=catalog)


def test_a_declaration_naming_minors_judges_every_build_not_one_per_major():
    # 24.4 forbidding 24.3 from its minor 15 on: one 24.3 build cannot answer for the others.
    forbid = Declared((24, 4), "connect", (24, 3, 15), (24, 3), True, "the test")
    known = Declarations.exactly([forbid])
    nodes = [ydb.parse(text) for text in ("24.3.11.13", "24.3.15.5", "24.4.4.12")]
    majors = DEFAULT.survey(nodes).lines
    for known_majors in (None, majors):
        answer = check_together(nodes, majors=known_majors, declarations=known)
        assert answer.compatible is False and "forbids" in answer.reason
    assert check_together(nodes[::2], declarations=known).compatible is True
