"""YDB's own compatibility check, as dbcompat models it: the cases of YDB's unit tests
(``ydb/core/driver_lib/version/ut/version_ut.cpp``, suites ``YdbVersion`` and ``OldFormat``),
the default rule on real releases, and the declarations read from YDB's branches."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dbcompat import ydb
from dbcompat.ydb.binaries import Declarations, Declared, check_data, check_nodes


def version(text):
    """A version as YDB's unit tests write them, Year.Major.Minor.Patch.Hotfix (hotfix 0 left
    out: YDB's tests give it, and it matches any)."""
    numbers = [int(part) for part in text.split(".")]
    year, major, minor, patch, *hotfix = (*numbers, None, None, None)[:5]
    hotfix = hotfix[0] if hotfix and hotfix[0] else None
    return ydb.Version(year, major, minor, patch, hotfix=hotfix)


def bound(text):
    return None if text is None else tuple(int(part) for part in text.split("."))


def rule(branch, check, lower, upper, forbidden=False):
    line = tuple(int(part) for part in branch.split(".")[:2])
    return Declared(line, check, bound(lower), bound(upper), forbidden, "the unit test")


def declared(*rules):
    return Declarations.exactly(rules)


# (YDB's test name, reader (current), writer (stored), the rules they declare, expected)
DATA_CASES = [
    ("DefaultSameVersion", "1.1.1.1", "1.1.1.1", [], True),
    ("DefaultPrevMajor", "1.2.1.1", "1.1.1.1.10", [], True),
    ("DefaultNextMajor", "1.1.8.1", "1.2.1.1", [], True),
    ("DefaultHotfix", "1.1.1.1.10", "1.1.1.1", [], True),
    ("DefaultCompatible", "1.2.1.9.10", "1.1.10.1", [], True),
    ("DefaultNextYear", "2.1.1.1", "1.1.1.1", [], False),
    ("DefaultPrevYear", "1.1.1.1", "2.1.1.1", [], False),
    ("DefaultNewMajor", "1.3.1.1", "1.1.3.1", [], False),
    ("DefaultOldMajor", "1.1.1.1", "1.3.1.1", [], False),
    ("LimitOld", "1.2.1.1", "1.1.2.1.1", [rule("1.2", "load", "1.1", "1.1.3", True)], False),
    ("LimitNew", "1.1.1.1.3", "1.2.2.4", [rule("1.2", "readable", "1.1", "1.2.1.4", True)], False),
    ("CurrentCanLoadFrom", "1.3.1.1", "1.1.3.1.1", [rule("1.3", "load", "1.1", "1.3.1.1")], True),
    (
        "CurrentCanLoadFromAllOlder",
        "2.4.1.1",
        "1.1.3.1.1",
        [rule("2.4", "load", None, "2.4.1.1")],
        True,
    ),
    (
        "CurrentCanLoadFromIncompatible",
        "1.3.1.1",
        "1.1.3.3.1",
        [rule("1.3", "load", "1.2", "1.3.1.1")],
        False,
    ),
    (
        "CurrentStoresReadableBy",
        "1.3.1.1",
        "1.1.3.1.1",
        [rule("1.3", "readable", "1.1", "1.3.1.1")],
        False,
    ),
    (
        "StoredReadableBy",
        "1.1.2.1",
        "1.3.3.1.1",
        [rule("1.3", "readable", "1.1", "1.3.3.1.1")],
        True,
    ),
    (
        "StoredReadableByIncompatible",
        "1.1.2.1",
        "1.3.3.1.1",
        [rule("1.3", "readable", "1.1.3.1.1", "1.3.3.1.1")],
        False,
    ),
    (
        "StoredWithRules",
        "1.4.1.1",
        "1.3.3.1.1",
        [rule("1.3", "readable", "1.1.3.1", "1.3.3.1.1")],
        True,
    ),
    (
        "StoredWithRulesIncompatible",
        "1.5.1.1",
        "1.3.3.1.1",
        [rule("1.3", "readable", "1.1.3.1", "1.3.3.1.1")],
        False,
    ),
    (
        "OneAcceptedVersion",
        "1.3.2.1",
        "1.1.3.1.2",
        [rule("1.3", "load", "1.1.3.1.2", "1.1.3.1.2")],
        True,
    ),
    (
        "ForbiddenMinor",
        "1.2.2.1",
        "1.1.3.1.1",
        [rule("1.2", "load", "1.1.3.1", "1.1.3.1", True)],
        False,
    ),
    (
        "DefaultRulesWithExtraForbidden",
        "1.2.2.1",
        "1.1.4.1",
        [rule("1.2", "load", "1.1.3.1", "1.1.3.1", True)],
        True,
    ),
    (
        "ExtraAndForbidden",
        "1.4.2.1",
        "1.2.3.1",
        [rule("1.4", "load", "1.1", "1.4.2.1"), rule("1.4", "load", "1.2.3.1", "1.2.3.1", True)],
        False,
    ),
    (
        "SomeRulesAndOtherForbidden",
        "1.4.2.1",
        "1.2.3.1",
        [rule("1.4", "load", "1.1", "1.4.2.1"), rule("1.4", "load", "1.2.4.1", "1.2.4.1", True)],
        True,
    ),
    ("WithPatchAndWithoutPatch", "25.1.1.1", "24.3.1.1", [], False),
]


@pytest.mark.parametrize(
    ("name", "reader", "writer", "rules", "expected"), DATA_CASES, ids=[c[0] for c in DATA_CASES]
)
def test_data_as_ydbs_unit_tests_decide(name, reader, writer, rules, expected):
    answer = check_data(version(reader), version(writer), declarations=declared(*rules))
    assert answer.compatible is expected, (name, answer.reason)


def test_development_builds_as_ydbs_unit_tests_decide():
    none = declared()
    # TrunkYDBAndNbs, TrunkAndStable, OldFormat.Trunk and OldFormat.UnexpectedTrunk.
    assert check_nodes(None, None, declarations=none).compatible is True
    assert check_data(None, version("24.3.1.1"), declarations=none).compatible is False
    assert check_nodes(version("22.4.1"), None, declarations=none).compatible is False


def test_the_old_format_cases_as_ydbs_unit_tests_decide():
    none = declared()
    # OldFormat.SameVersion, DefaultRules, TooOld, PrevYear.
    assert check_nodes(version("22.4.1"), ydb.parse("22.4"), declarations=none).compatible
    assert check_nodes(version("22.5.1"), ydb.parse("22.4"), declarations=none).compatible
    assert check_nodes(version("22.4.1"), ydb.parse("22.2"), declarations=none).compatible is False
    crossing = declared(rule("23.1", "connect", "22.5", "23.1.1"))
    assert check_nodes(version("23.1.1"), ydb.parse("22.5"), declarations=crossing).compatible


def test_a_rule_on_either_node_admits_the_other():
    newer_declares = declared(rule("26.1", "connect", "25.4", "26.1"))
    for a, b in (("26.1.1.22", "25.4.1.15"), ("25.4.1.15", "26.1.1.22")):
        answer = check_nodes(ydb.parse(a), ydb.parse(b), declarations=newer_declares)
        assert answer.compatible is True and answer.source == "the unit test"


def test_real_releases_of_one_year_follow_the_default_rule():
    assert check_nodes(ydb.parse("24.3.11.13"), ydb.parse("24.4.4.12")).compatible
    assert check_nodes(ydb.parse("22.2.47"), ydb.parse("22.4.21")).compatible is False
    assert check_nodes(ydb.parse("24.1.18"), ydb.parse("24.4.4.12")).compatible is False


def test_the_year_boundaries_dbcompat_has_read_and_those_it_has_not():
    # 25.1 declares [24.4, 25.1], 26.1 declares [25.4, 26.1]: read from YDB's branches.
    assert check_nodes(ydb.parse("24.4.4.12"), ydb.parse("25.1.4.18")).compatible is True
    assert check_data(ydb.parse("24.4.4.12"), ydb.parse("25.1.4.18")).compatible is True
    assert check_nodes(ydb.parse("25.4.1.15"), ydb.parse("26.1.1.22")).compatible is True
    # 24.3 and 25.2 both known, neither declares the other: refused by the default rule.
    assert check_nodes(ydb.parse("24.3.15.5"), ydb.parse("25.2.1.26")).compatible is False
    # 23.x to 24.1: what 24.1 declares was not read.
    answer = check_nodes(ydb.parse("23.4.11"), ydb.parse("24.1.18"))
    assert answer.compatible is None and "24.1" in answer.reason


def test_the_embedded_declarations_name_their_sources():
    known = Declarations.default()
    for line in ((24, 3), (25, 1), (26, 1)):
        rules = known.rules(ydb.Version(*line), "connect")
        assert rules and all(rule.source and not rule.forbidden for rule in rules)


@given(st.integers(20, 29), st.integers(1, 4), st.integers(20, 29), st.integers(1, 4))
def test_without_declarations_the_default_rule_is_symmetric_and_ignores_minors(ya, ma, yb, mb):
    none = declared()
    a, b = ydb.Version(ya, ma, 1, 1), ydb.Version(yb, mb, 9, 99)
    answer = check_nodes(a, b, declarations=none)
    assert answer == check_nodes(b, a, declarations=none)
    assert answer.compatible is (ya == yb and abs(ma - mb) <= 1)
    assert check_data(a, b, declarations=none).compatible is answer.compatible
