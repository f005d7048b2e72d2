"""Real-world YDB spellings: grammar/ydb_release.lark and parse(strict=False)."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

import dbcompat
from dbcompat import DevelopmentBuild, InvalidVersion, ydb
from dbcompat.ydb import Version

RELEASE_GRAMMAR = Lark.open(str(dbcompat.grammar_path("ydb_release")), start="release")


@pytest.mark.parametrize(
    ("text", "numbers", "candidate", "enterprise", "hotfix"),
    [
        ("v24.3.3", (24, 3, 3, None), False, False, None),
        ("v25.1.1.3", (25, 1, 1, 3), False, False, None),
        ("v.25.1.3.2", (25, 1, 3, 2), False, False, None),
        ("v.24.4.4.20", (24, 4, 4, 20), False, False, None),
        ("25.1.2.7-rc", (25, 1, 2, 7), True, False, None),
        ("26.3.1.16-rc", (26, 3, 1, 16), True, False, None),
        ("25.3.1.ent.3", (25, 3, 1, 3), False, True, None),
        ("24.4.4.ent.20", (24, 4, 4, 20), False, True, None),
        ("stable-24-3", (24, 3, None, None), False, False, None),
        ("stable-25-1-2", (25, 1, 2, None), False, False, None),
        ("stable-24-1-1-2-hotfix", (24, 1, 1, 2), False, False, 1),
        ("stable-23-1-1-hotfix-7", (23, 1, 1, None), False, False, 7),
        ("prestable-26-1", (26, 1, None, None), False, False, None),
        ("25-1-3", (25, 1, 3, None), False, False, None),
        ("24.3.14.2-lts", (24, 3, 14, 2), False, False, None),
    ],
)
def test_real_world_spellings(text, numbers, candidate, enterprise, hotfix):
    version = ydb.parse(text, strict=False)
    assert version.release == numbers
    assert version.release_candidate is candidate
    assert version.enterprise is enterprise
    assert version.hotfix == hotfix
    assert ydb.parse(str(version), strict=False) == version


@pytest.mark.parametrize(
    "text", ["v24.3.3", "25.1.2.7-rc", "25.3.1.ent.3", "stable-24-3", "25-1-3", "trunk"]
)
def test_strict_parsing_refuses_spellings_outside_the_bnf(text):
    with pytest.raises(InvalidVersion):
        ydb.parse(text)


def test_trunk_is_recognised_as_a_development_build():
    with pytest.raises(DevelopmentBuild, match="development build") as caught:
        ydb.parse("trunk", strict=False)
    assert isinstance(caught.value, InvalidVersion)
    assert pickle.loads(pickle.dumps(caught.value)).text == "trunk"
    with pytest.raises(DevelopmentBuild):
        ydb.check_upgrade("trunk", "25.1.4.18")


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("v", 2),
        ("vv24.3", 2),
        ("stable-24", 10),
        ("stable-24-3-hotfix", 13),
        ("25.1.2.7-rc-lts", 12),
        ("24.3.ent.1", 6),
        ("stable-24.3", 10),
        ("trunk-1", 6),
        ("Trunk-1", 6),
        ("25.1.2.7-RC1-2", 13),
        ("25.1.2.7-rc.", 13),
        ("stable-24-1-1-hotfix-", 22),
    ],
)
def test_lenient_errors_still_point_at_the_column(text, column):
    with pytest.raises(InvalidVersion) as caught:
        ydb.parse(text, strict=False)
    assert caught.value.column == column


def test_extras_order_as_documented():
    ordered = [
        "25.1.2.7-rc",
        "25.1.2.7",
        "25.1.2.ent.7",
        "25.1.2.7-lts",
        "25.1.2.8",
        "stable-23-1-1-hotfix-7",
    ]
    versions = sorted(ydb.parse(text, strict=False) for text in ordered)
    assert [ydb.parse(text, strict=False) for text in ordered[:-1]] == versions[1:]
    assert ydb.parse("23.1.1") < ydb.parse("stable-23-1-1-hotfix", strict=False)
    # As YDB reads its tags, the word alone is hotfix 1.
    assert ydb.parse("stable-23-1-1-hotfix", strict=False) == ydb.parse(
        "stable-23-1-1-hotfix-1", strict=False
    )


def test_the_lenient_grammar_accepts_every_strict_version(ydb_release_strings):
    for text in ydb_release_strings:
        version = ydb.parse(text, strict=False)
        if not version.release_candidate:
            assert ydb.parse(text) == version


def test_constructor_refuses_impossible_combinations():
    with pytest.raises(ValueError):
        Version(25, 1, 2, 7, "lts", release_candidate=True)
    with pytest.raises(ValueError):
        Version(25, 1, 2, enterprise=True)
    with pytest.raises(ValueError):
        Version(24, 3, hotfix=1)


@given(from_lark(RELEASE_GRAMMAR, start="release"))
def test_every_spelling_the_grammar_generates_parses_or_is_trunk(text):
    try:
        version = ydb.parse(text, strict=False)
    except DevelopmentBuild:
        assert text.split(".")[0] in ("trunk", "main")
    else:
        assert ydb.parse(str(version), strict=False) == version


@pytest.mark.parametrize(
    ("text", "number", "canonical"),
    [
        ("25.1.2.7-rc2", 2, "25.1.2.7-rc2"),
        ("25.1.2.7-rc.1", 1, "25.1.2.7-rc1"),
        ("25.1.2.7-RC10", 10, "25.1.2.7-rc10"),
        ("v.25.1.2.7-rc.03", 3, "25.1.2.7-rc3"),
        ("25.1.2.7-rc", None, "25.1.2.7-rc"),
    ],
)
def test_release_candidates_may_carry_their_own_number(text, number, canonical):
    version = ydb.parse(text, strict=False)
    assert version.release_candidate and version.candidate_number == number
    assert str(version) == canonical and ydb.parse(canonical, strict=False) == version
    with pytest.raises(InvalidVersion):
        ydb.parse(text)


def test_numbered_candidates_order_before_their_final_release():
    texts = ["25.1.2.7-rc", "25.1.2.7-rc1", "25.1.2.7-rc2", "25.1.2.7-rc10", "25.1.2.7"]
    versions = [ydb.parse(text, strict=False) for text in texts]
    assert sorted(reversed(versions)) == versions
    with pytest.raises(ValueError, match="candidate number"):
        Version(25, 1, 2, 7, candidate_number=2)
    assert Version(25, 1, 2, 7, release_candidate=True, candidate_number=2) == versions[2]


@pytest.mark.parametrize(
    ("text", "numbers", "commit", "canonical"),
    [
        ("25.4.1.6.08bebbe", (25, 4, 1, 6), "08bebbe", "25.4.1.6.08bebbe"),
        ("25.4.1.ent.6.08bebbe", (25, 4, 1, 6), "08bebbe", "25.4.1.ent.6.08bebbe"),
        ("stable-19-2-18.bfa368f", (19, 2, 18, None), "bfa368f", "stable-19-2-18.bfa368f"),
        ("ydb-stable-24-1-14-hotfix-9", (24, 1, 14, None), None, "stable-24-1-14-hotfix-9"),
        ("ydb-stable-24-1", (24, 1, None, None), None, "24.1"),
    ],
)
def test_what_nodes_report_is_read_with_its_commit(text, numbers, commit, canonical):
    version = ydb.parse(text, strict=False)
    assert version.release == numbers and version.commit == commit
    assert str(version) == canonical and ydb.parse(canonical, strict=False) == version


def test_a_development_build_with_its_commit_has_no_version():
    with pytest.raises(DevelopmentBuild):
        ydb.parse("main.b7cfb36", strict=False)


def test_the_commit_is_ignored_by_the_rules():
    built, plain = ydb.parse("25.1.4.18.08bebbe", strict=False), ydb.parse("25.1.4.18")
    assert built != plain and built > plain
    assert ydb.check_upgrade(built, "25.1.4.18").rule == "already-installed"
    assert ydb.check_upgrade(built, "25.2.1.26").rule == "next-major"
    assert built in ydb.Catalog.default()
    with pytest.raises(ValueError, match="hex"):
        Version(25, 1, 4, 18, commit="XYZ1234")
    with pytest.raises(ValueError, match="no release type"):
        Version(25, 1, 4, 18, "lts", commit="08bebbe")


@pytest.mark.parametrize(
    ("text", "numbers", "fields", "canonical"),
    [
        ("24.3.1.10a.08bebbe", (24, 3, 1, 10), {"rebuild": "a"}, "24.3.1.10a.08bebbe"),
        (
            "24.3.1.10rc1.08bebbe",
            (24, 3, 1, 10),
            {"release_candidate": True, "candidate_number": 1},
            "24.3.1.10rc1.08bebbe",
        ),
        (
            "24.3.1.10RC.08BEBBE",
            (24, 3, 1, 10),
            {"release_candidate": True, "candidate_number": None},
            "24.3.1.10rc.08bebbe",
        ),
        (
            "25.3.1.25-hotfixblobstorage-1.08bebbe",
            (25, 3, 1, 25),
            {"hotfix": 1, "hotfix_branch": "blobstorage"},
            "25.3.1.25-hotfixblobstorage-1.08bebbe",
        ),
        (
            "25.3.1.25-hotfixkqp2.08bebbe",
            (25, 3, 1, 25),
            {"hotfix": 1, "hotfix_branch": "kqp2"},
            "25.3.1.25-hotfixkqp2-1.08bebbe",
        ),
    ],
)
def test_node_builds_keep_what_they_say_beyond_the_release(text, numbers, fields, canonical):
    version = ydb.parse(text, strict=False)
    assert version.release == numbers and version.commit == "08bebbe"
    for name, value in fields.items():
        assert getattr(version, name) == value
    assert str(version) == canonical and ydb.parse(canonical, strict=False) == version
    assert pickle.loads(pickle.dumps(version)) == version
    with pytest.raises(InvalidVersion):
        ydb.parse(text)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("24.3.1.10ab.08bebbe", 11),  # one rebuild letter, not two
        ("24.3.1.10ab", 11),
        ("25.3.1.25-hotfix1.08bebbe", 11),  # the branch name starts with a letter
        ("24.3.10a.08bebbe", 8),  # four numbers
    ],
)
def test_node_build_spellings_are_exact(text, column):
    with pytest.raises(InvalidVersion) as caught:
        ydb.parse(text, strict=False)
    assert caught.value.column == column


def test_node_builds_order_beside_their_release_and_the_rules_ignore_what_they_add():
    texts = [
        "24.3.1.10rc1.08bebbe",
        "24.3.1.10",
        "24.3.1.10.08bebbe",
        "24.3.1.10a.08bebbe",
        "24.3.1.10b.08bebbe",
        "24.3.1.10-hotfixblobstorage-1.08bebbe",
        "24.3.1.11",
    ]
    versions = [ydb.parse(text, strict=False) for text in texts]
    assert sorted(reversed(versions)) == versions
    assert all(version.line == (24, 3) for version in versions)
    assert ydb.check_upgrade("24.3.1.10a.08bebbe", "24.3.1.10").rule == "already-installed"
    node = ydb.parse("25.3.1.25-hotfixblobstorage-1.08bebbe", strict=False)
    assert ydb.check_upgrade(node, "25.4.1.6").allowed is not None


def test_the_constructor_refuses_node_builds_that_cannot_be_spelled():
    with pytest.raises(ValueError, match="one lower-case letter"):
        Version(24, 3, 1, 10, rebuild="ab", commit="08bebbe")
    with pytest.raises(ValueError, match="a node build: four numbers"):
        Version(24, 3, 1, rebuild="a")
    with pytest.raises(ValueError, match="no other suffix"):
        Version(24, 3, 1, 10, rebuild="a", release_candidate=True, commit="08bebbe")
    with pytest.raises(ValueError, match="give its number"):
        Version(24, 3, 1, 10, hotfix_branch="kqp", commit="08bebbe")
    with pytest.raises(ValueError, match="hotfix branch is"):
        Version(24, 3, 1, 10, hotfix=1, hotfix_branch="Kqp", commit="08bebbe")
    with pytest.raises(ValueError, match="four numbers"):
        Version(24, 3, 1, release_candidate=True, commit="08bebbe")


@given(
    from_lark(RELEASE_GRAMMAR, start="release")
    | st.text(alphabet="0123456789.-vVrRcCsStTaAbBlLeEiIhHoOfFxXnN \t", max_size=30)
)
def test_quiet_reading_reads_what_lenient_reading_reads(text):
    from dbcompat.ydb.parser import parse_quietly

    try:
        expected = ydb.parse(text, strict=False)
    except InvalidVersion:
        expected = None
    assert parse_quietly(text) == expected


def test_a_fleet_explains_its_first_bad_texts_and_names_the_rest(capsys):
    from dbcompat.ydb.fleet import EXPLAINED

    entries = [(f"n{n}", f"x{n}") for n in range(EXPLAINED + 5)] + [("ok", "24.4.4.12")]
    fleet = ydb.check_fleet(entries, skip_invalid=True)
    reasons = [skipped.reason for skipped in fleet.skipped]
    assert len(reasons) == EXPLAINED + 5 and "expected one of" in reasons[0]
    assert reasons[-1] == f"not a YDB version (only the first {EXPLAINED} bad texts say why)"


def _read_or_error(read, value):
    try:
        return read(value)
    except (InvalidVersion, TypeError) as error:
        return type(error), str(error)


@given(
    st.lists(
        from_lark(RELEASE_GRAMMAR, start="release")
        | st.text(alphabet="0123456789.-vVrRcCsStTaAbBlLeEiIhHoOfFxXnN \t", max_size=30)
        | st.sampled_from([Version(24, 4, 4, 12), Version(25, 1)]),
        max_size=5,
    )
)
def test_reading_many_reads_each_as_as_version_does(values):
    from dbcompat.ydb.parser import as_versions

    expected = [_read_or_error(ydb.as_version, value) for value in values]
    errors = [answer for answer in expected if not isinstance(answer, Version)]
    if errors:  # the first bad value's error, as a loop of as_version would raise it
        assert _read_or_error(as_versions, values) == errors[0]
    else:
        assert as_versions(values) == expected
        assert as_versions(iter(values)) == expected


@pytest.mark.parametrize(
    ("values", "error", "match"),
    [
        (["24.4.4.12", "trunk"], DevelopmentBuild, "trunk"),
        (["24.4.4.12", "24.x"], InvalidVersion, "'24.x': at column 4"),
        ([Version(24, 4), None], TypeError, "must be a str, not NoneType"),
        (["24.4", 24.4], TypeError, "must be a str, not float"),
    ],
)
def test_reading_many_refuses_what_as_version_refuses(values, error, match):
    from dbcompat.ydb.parser import as_versions

    with pytest.raises(error, match=match):
        as_versions(values)


# (YDB's own spelling, what YDB reads it as, where that is said)
YDB_TAGS = [
    # ParseVersionFromTag's comments, ydb/core/driver_lib/version/version.cpp
    ("stable-22-1", "22.1"),
    ("stable-22-1-testing", "22.1"),
    ("stable-23-1-1", "23.1.1"),
    ("stable-23-1-1-4", "23.1.1.4"),
    ("stable-23-1-1-hotfix", "stable-23-1-1-hotfix-1"),
    ("stable-23-1-1-hotfix-7", "stable-23-1-1-hotfix-7"),
    ("stable-23-1-1-fix-something-important-2", "stable-23-1-1-hotfix-2"),
    # GetTagString's prefixes, which it strips: one of where a tag came from, one of whose
    ("releases/ydb/stable-24-1-5", "24.1.5"),
    ("tags/releases/stable-24-3", "24.3"),
    ("tags/releases/experimental/stable-24-3", "24.3"),
    ("ydb/stable-25-3-1-2", "25.3.1.2"),
    ("releases/stable-24-3", "24.3"),
    # Node builds as YDB's UI reads them (ydb-embedded-ui, parseVersion.test.ts and
    # getVersionsColors.test.ts, columns.test.ts), without their commit
    ("24.3.1.10a", "24.3.1.10a"),
    ("24.3.1.10rc1", "24.3.1.10-rc1"),
    ("25.3.1.25-hotfixblobstorage-1", "25.3.1.25-hotfixblobstorage-1"),
    ("ydb-stable-25-3-1-25-hotfixblobstorage-1", "25.3.1.25-hotfixblobstorage-1"),
    ("25.4.1.ent.6", "25.4.1.ent.6"),
]


@pytest.mark.parametrize(("tag", "expected"), YDB_TAGS)
def test_ydbs_own_tags_read_as_ydb_reads_them(tag, expected):
    version = ydb.parse(tag, strict=False)
    assert version == ydb.parse(expected, strict=False)
    assert ydb.parse(str(version), strict=False) == version


@pytest.mark.parametrize("tag", ["nbs/stable-24-3", "releases/nbs/stable-24-3-1"])
def test_a_tag_of_another_application_is_refused_saying_so(tag):
    with pytest.raises(InvalidVersion, match="another application"):
        ydb.parse(tag, strict=False)
