"""YDB fleets in the library: check_fleet counts and names each version and major as its nodes
say, skips what is asked, refuses what is no string; check_changes judges every node's move."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dbcompat import DevelopmentBuild, InvalidVersion, ydb
from dbcompat.inventory import IMAGES, read_text
from tests.helpers import manifest


def test_check_fleet_in_the_library():
    fleet = ydb.check_fleet([("a", "24.4.4.12"), ("b", "25.1.4.18"), ("c", "v.25.1.4.18")])
    assert fleet.verdict.rule == "adjacent-majors" and fleet.nodes == 3
    assert fleet.versions == ((ydb.parse("24.4.4.12"), 1), (ydb.parse("25.1.4.18"), 2))
    assert fleet.labels[ydb.parse("25.1.4.18")] == ["b", "c"]
    with pytest.raises(InvalidVersion, match="bad"):
        ydb.check_fleet([("a", "24.4.4.12"), ("bad", "x")])
    skipped = ydb.check_fleet([("a", "24.4.4.12"), ("bad", "x")], skip_invalid=True)
    assert [s.label for s in skipped.skipped] == ["bad"] and skipped.nodes == 1
    with pytest.raises(ValueError):
        ydb.check_fleet([])


@pytest.mark.parametrize("text", [None, 24.4, ["24.4.4.12"]])
def test_a_version_that_is_not_a_string_is_a_type_error_naming_its_type(text):
    # A list cannot be looked up as a dict's key: it still gets the sentence any non-string gets.
    with pytest.raises(TypeError, match=f"must be a str, not {type(text).__name__}"):
        ydb.check_fleet([("a", "24.4.4.12"), ("b", text)])
    # A Version is read as itself, wherever it stands: the error names the value that is not one.
    with pytest.raises(TypeError, match=f"must be a str, not {type(text).__name__}"):
        ydb.check_fleet([("a", ydb.Version(24, 4, 4, 12)), ("b", text)])
    for versions in ([ydb.Version(24, 4), text], iter(["24.4.4.12", text])):
        with pytest.raises(TypeError, match=f"must be a str, not {type(text).__name__}"):
            ydb.check_cluster(versions)


def test_nodes_added_or_removed_by_a_change_are_noted(capsys, tmp_path):
    old = manifest(tmp_path, "old.yaml", Storage_storage="24.4.4.12", Database_old="24.4.4.12")
    new = manifest(tmp_path, "new.yaml", Storage_storage="25.1.4.18", Database_new="25.1.4.18")
    changes = ydb.check_changes(
        [e for e in read_text(Path(old).read_text(), name="old", images=IMAGES["ydb"])],
        [e for e in read_text(Path(new).read_text(), name="new", images=IMAGES["ydb"])],
    )
    assert changes.verdict.allowed and changes.added == ["Database/new"]
    assert changes.removed == ["Database/old"]
    assert any("Database/new is new" in note for note in changes.verdict.notes)


def test_a_change_reads_its_sides_as_a_fleet_reads_its_entries():
    changes = ydb.check_changes({"s": "24.4.4.12"}, {"s": "25.1.4.18"})
    assert changes.verdict.rule == "next-major" and [label for label, _ in changes.moves] == ["s"]
    with pytest.raises(
        TypeError, match="^entry 1 must be a .label, version. pair, not one str"
    ):  # not label "2", version "4"
        ydb.check_changes(["24.4.4.12"], ["25.1.4.18"])
    with pytest.raises(InvalidVersion, match=r"'x' \(s\)"):
        ydb.check_changes([("s", "24.4.4.12")], [("s", "x")])


def test_spellings_of_one_version_count_as_one_and_every_bad_entry_is_listed():
    from dbcompat import ydb

    fleet = ydb.check_fleet(
        [("a", "24.4.4.12"), ("b", "v24.4.4.12"), ("bad-1", "x"), ("c", "24.4.4.12"),
         ("bad-2", "x")],
        skip_invalid=True,
    )  # fmt: skip
    assert [(str(v), n) for v, n in fleet.versions] == [("24.4.4.12", 3)]
    assert sorted(fleet.labels[ydb.parse("24.4.4.12")]) == ["a", "b", "c"]
    assert [s.label for s in fleet.skipped] == ["bad-1", "bad-2"]
    from dbcompat import InvalidVersion

    with pytest.raises(InvalidVersion, match="bad"):
        ydb.check_fleet([("a", "24.4.4.12"), ("bad", "x")])


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "v", "v."]),  # spellings of one version: counted as one
            st.sampled_from(["24.3", "24.4", "24.04", "24.10", "25.1", "26.1"]),
            st.sampled_from(["", ".1", ".4.12", ".04.12", ".10.3", "-lts", ".2.7-rc"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_a_fleet_counts_and_names_each_version_and_each_major_as_its_nodes_say(spellings):
    texts = ["".join(parts) for parts in spellings]
    fleet = ydb.check_fleet([(f"n{n}", text) for n, text in enumerate(texts)])
    read = [ydb.parse(text, strict=False) for text in texts]
    assert [version for version, _ in fleet.versions] == sorted(set(read))
    assert dict(fleet.versions) == {v: read.count(v) for v in read}
    assert list(fleet.labels) == sorted(set(read))
    for version in set(read):
        assert fleet.labels[version] == [f"n{n}" for n, v in enumerate(read) if v == version]
    majors = {line: sum(v.line == line for v in read) for line in sorted({v.line for v in read})}
    assert fleet.majors == majors and list(fleet.majors) == list(majors)
    assert fleet.nodes == len(texts)
    assert fleet.labels.get(ydb.Version(23, 1)) is None


def test_development_builds_are_judged_never_dropped_as_unreadable():
    # Issue 27: YDB's own check runs development builds together and never beside a release;
    # before, a fleet refused them as unreadable, or --skip-invalid dropped them.
    alone = ydb.check_fleet([("a", "trunk"), ("b", "main.b7cfb36")], skip_invalid=True)
    assert alone.verdict.rule == "development-builds" and alone.verdict
    assert alone.nodes == 2 and not alone.skipped and not alone.versions
    mixed = ydb.check_fleet(
        [("a", "24.4.4.12"), ("b", "24.4.4.12"), ("dev", "main.b7cfb36"), ("bad", "x")],
        skip_invalid=True,
    )
    assert not mixed.verdict and mixed.verdict.rule == "development-beside-release"
    assert "never runs a release beside a development build" in mixed.verdict.reason
    assert mixed.offenders == [("dev", "main.b7cfb36")] and mixed.nodes == 3
    assert [skipped.label for skipped in mixed.skipped] == ["bad"]
    assert mixed.as_dict()["development"] == [
        {"build": "main.b7cfb36", "count": 1, "labels": ["dev"]}
    ]
    assert mixed.verdict.binaries.compatible is False and mixed.verdict.binaries.followed


def test_past_the_explained_bad_texts_a_development_build_is_still_one():
    entries = [(f"bad-{n}", f"x{n}") for n in range(120)] + [("dev", "trunk"), ("a", "25.1.4.18")]
    fleet = ydb.check_fleet(entries, skip_invalid=True)
    assert fleet.verdict.rule == "development-beside-release" and len(fleet.skipped) == 120


def test_a_move_from_or_to_a_development_build_stays_an_error():
    with pytest.raises(DevelopmentBuild):
        ydb.check_upgrade("trunk", "24.4.4.12")
    with pytest.raises(DevelopmentBuild):
        ydb.plan_upgrade("24.4.4.12", "main.b7cfb36")
    with pytest.raises(DevelopmentBuild):
        ydb.parse("trunk", strict=False)


@pytest.mark.parametrize(
    ("nodes", "named"),
    [
        ({"a": "24.4.4.12", "b": "25.2.1.26"}, {"a", "b"}),
        ({"a": "24.4.4.12", "b": "24.4.4.12", "c": "25.2.1.26", "d": "25.2.1.26"},
         {"a", "b", "c", "d"}),
        ({"a": "24.4.4.12", "b": "25.1.4.18", "c": "25.2.1.26"}, {"a", "c"}),
    ],
)  # fmt: skip
def test_a_tie_names_every_side_not_one_at_random(nodes, named):
    fleet = ydb.check_fleet(nodes)
    assert {label for label, _ in fleet.offenders} == named
    assert "no side is the majority" in fleet.summary
    # The order the nodes are given in decides nothing.
    backwards = ydb.check_fleet(dict(reversed(list(nodes.items()))))
    assert {label for label, _ in backwards.offenders} == named


def test_a_majority_is_kept_and_the_rest_named():
    fleet = ydb.check_fleet({"a": "24.4.4.12", "b": "24.4.4.12", "c": "25.2.1.26"})
    assert [label for label, _ in fleet.offenders] == ["c"]
    assert "the major the rest run (24.4)" in fleet.summary
