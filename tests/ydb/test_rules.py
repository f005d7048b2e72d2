"""The YDB rules: verdicts, plans, clusters and the release catalog."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dbcompat import InvalidVersion, NoUpgradePath, Verdict, ydb
from dbcompat.errors import InvalidCatalog
from dbcompat.ydb import Catalog, check_cluster, check_upgrade, plan_upgrade
from dbcompat.ydb import catalog as catalog_module
from dbcompat.ydb.parser import as_versions
from dbcompat.ydb.strategies import versions as any_versions
from tests.helpers import DATA

# The frozen release history of tests/data, which every test also sees as Catalog.default().
DEFAULT = Catalog.from_file(DATA / "ydb_releases.txt")


def stops(current, target, **options):
    """The versions a plan installs, in order."""
    return list(plan_upgrade(current, target, **options).versions)


SEED = Catalog(["v.25.1.3.2", "v.25.1.5.5", "v.25.2.3.1", "v.25.1.4.1", "v.25.3.5.3"])


# The seed's four worked examples, spelled as in the seed.
@pytest.mark.parametrize(
    ("current", "target", "allowed", "rule", "named"),
    [
        ("v.25.1.3.2", "v.25.1.5.5", True, "same-major", None),
        ("v.25.1.5.5", "v.25.2.3.1", True, "next-major", None),
        ("v.25.1.4.1", "v.25.2.3.1", False, "not-last-minor", "25.1.5"),
        ("v.25.1.5.5", "v.25.3.5.3", False, "skips-major", "25.2"),
    ],
)
def test_seed_examples(current, target, allowed, rule, named):
    verdict = check_upgrade(current, target, releases=SEED)
    assert verdict.allowed is allowed and bool(verdict) is allowed
    assert verdict.rule == rule
    assert verdict.reason
    if named:
        assert named in verdict.reason


def test_within_a_major_any_minor_or_patch_either_way():
    assert check_upgrade("24.3.15.5", "24.3.11.13").rule == "same-major"
    assert check_upgrade("24.3.11.13", "24.3.15.5")
    assert check_upgrade("23.3.13", "23.3.17-lts")


def test_next_major_only_from_the_last_minor_of_the_catalog():
    refused = check_upgrade("24.3.11.14", "24.4.4.2")
    assert not refused and refused.rule == "not-last-minor"
    assert "24.3.15" in refused.reason and "24.3.15.5" in refused.reason
    assert check_upgrade("24.3.15.5", "24.4.4.2").rule == "next-major"
    # Patch and release type never matter: any patch of the last minor will do.
    assert check_upgrade("24.3.15.1-stable", "24.4.4.12-lts")


def test_the_year_boundary_is_one_step():
    assert check_upgrade("24.4.4.12", "25.1.4.7").rule == "next-major"
    assert check_upgrade("25.4.1.15", "26.1.1.20").rule == "next-major"
    assert check_upgrade("22.5.10", "23.1.26")


def test_majors_come_from_the_catalog_not_arithmetic():
    # 2022 had no public 22.3, but within a year majors go by their numbers, as YDB's own rule
    # and the docs' "X.Y -> X.Y+2 is not possible" say: 22.2 -> 22.4 skips 22.3.
    skip = check_upgrade("22.2.47", "22.4.21")
    assert skip.rule == "skips-major"
    assert "22.3 (a major no published release offers)" in skip.reason
    beside = check_cluster(["22.2.47", "22.4.44"])
    assert beside.rule == "non-adjacent-majors"
    assert "22.3 lies between them: a major no published release offers." in beside.notes
    assert check_upgrade("22.2.47", "22.3.21").rule == "next-major"  # the old docs' example
    with pytest.raises(NoUpgradePath, match="no path from 22.2.47 to 22.4.21: .*22.3"):
        plan_upgrade("22.2.47", "22.4.21")
    # A catalog that lists a 22.3 release plans through it.
    catalog = Catalog([*DEFAULT, "22.3.21"])
    assert [str(v) for v in plan_upgrade("22.2.47", "22.4.21", releases=catalog).versions] == [
        "22.3.21",
        "22.4.21",
    ]
    # Where a year ends is the catalog's to say: 24.4 is followed by 25.1.
    assert check_upgrade("24.4.4.12", "25.2.1.26").rule == "skips-major"
    assert "25.1" in check_upgrade("24.4.4.12", "25.2.1.26").reason


def test_legacy_three_part_versions():
    assert check_upgrade("24.1.18", "24.2.7").rule == "next-major"
    assert check_upgrade("24.2.7", "24.3.11.13").rule == "next-major"
    assert check_upgrade("23.3.13", "23.4.11").rule == "not-last-minor"


def test_rollbacks_one_major_at_a_time_to_any_minor():
    back = check_upgrade("25.1.4.18", "24.4.4.2")
    assert back.rule == "previous-major"
    assert any("back up" in note for note in back.notes)
    assert check_upgrade("25.1.4.18", "24.3.15.5").rule == "rollback-skips-major"
    assert "24.4" in check_upgrade("25.1.4.18", "24.3.15.5").reason
    back = check_upgrade("24.4.4.12", "24.3.11.13")
    assert back.rule == "previous-major" and back.allowed
    assert any("24.3.15.5" in note and "recommended" in note for note in back.notes)


def test_history_limits_rollbacks_to_two_majors_below_the_highest_installed():
    history = ["25.2.1.26"]
    assert check_upgrade("25.1.4.18", "24.4.4.12", history=history)
    refused = check_upgrade("24.4.4.12", "24.3.15.5", history=history)
    assert refused.rule == "rollback-limit"
    assert "25.2.1.26" in refused.reason
    # The same rollback without that history is fine.
    assert check_upgrade("24.4.4.12", "24.3.15.5")


def test_the_current_version_always_counts_as_installed():
    assert check_upgrade("25.1.4.18", "24.3.15.5").rule == "rollback-skips-major"
    with pytest.raises(NoUpgradePath, match="more than two majors below 25.1.4.18"):
        stops("25.1.4.18", "24.2.7")


def test_unknown_versions_and_majors_are_answered_honestly():
    unlisted = check_upgrade("25.1.4.99", "25.2.1.26")
    assert unlisted and any("not in the release catalog" in n for n in unlisted.notes)
    unknown = check_upgrade("26.2.1.14", "27.1.1.1")
    assert not unknown and unknown.rule == "unknown-major" and "27.1" in unknown.reason
    partial = check_upgrade("25.1", "25.2.1.26")
    assert not partial and partial.rule == "partial-version" and "25.1.4" in partial.reason
    assert check_upgrade("25.1", "25.1.4.18").rule == "same-major"


def test_release_candidates_are_not_the_last_minor():
    catalog = Catalog(["25.1.4.7", "25.1.5.1-rc", "25.2.1.26"])
    assert catalog.last_minor((25, 1)) == 4
    assert check_upgrade("25.1.4.7", "25.2.1.26", releases=catalog)
    rc = check_upgrade("26.2.1.14", "26.3.1.16-rc")
    assert rc and any("release candidate" in n for n in rc.notes)


def test_releases_accepts_iterables_catalogs_and_paths(tmp_path):
    versions = ["25.1.4.7", "25.2.1.26"]
    path = tmp_path / "releases.txt"
    path.write_text("\n".join(versions))
    for releases in (versions, Catalog(versions), path, (ydb.parse(v) for v in versions)):
        assert check_upgrade("25.1.4.7", "25.2.1.26", releases=releases)
    # A file's name is text, not a list of versions: refused with the way to name a file.
    with pytest.raises(TypeError, match=r"not one str \('releases.txt'\)") as error:
        check_upgrade("25.1.4.7", "25.2.1.26", releases="releases.txt")
    assert "Catalog.from_file(name)" in str(error.value)


def test_catalog_membership_ignores_the_release_type():
    assert "25.1.4.18-stable" in DEFAULT
    assert "25.1.4.18" in DEFAULT
    assert "25.1.4.19" not in DEFAULT
    assert DEFAULT.date(ydb.parse("25.1.4.18")) == "2026-05-12"
    assert len(DEFAULT) == 36


def test_catalog_file_format(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text(
        "# my releases\n\n25.1.4.7 2025-09-15\n25.2.1.26   # latest\n25.2.1.23 2025-12\n"
    )
    catalog = Catalog.from_file(path)
    assert [str(v) for v in catalog] == ["25.1.4.7", "25.2.1.23", "25.2.1.26"]
    assert catalog.date(ydb.parse("25.1.4.7")) == "2025-09-15"
    assert catalog.date(ydb.parse("25.2.1.26")) is None


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("25.1.4.7\n25.2.x\n", 2),
        ("25.1.4.7\n\n# fine\n25.2.1 yesterday\n", 4),
        ("25.1.4.7 2025-09-15 extra\n", 1),
        ("trunk\n", 1),
        ("25.1.4.7\n25.2.1.26\n\udcff25.3\n", 3),
        # A CSV field past the csv module's limit: bad input, not a traceback from csv.
        ("version,date,source\n25.1.4.7,2025-09-15,x\n25.2.1.26,," + "y" * 200_000 + "\n", 3),
    ],
)
def test_a_bad_catalog_line_fails_the_whole_load(tmp_path, content, line):
    path = tmp_path / "bad.txt"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    with pytest.raises(InvalidVersion) as caught:
        Catalog.from_file(path)
    assert f"bad.txt, line {line}" in str(caught.value)


def test_a_catalog_past_its_size_limit_is_refused_naming_the_file(tmp_path, monkeypatch):
    # The limit is what keeps --releases /dev/zero from reading forever.
    monkeypatch.setattr(catalog_module, "MAX_CATALOG", 100)
    path = tmp_path / "many.txt"
    path.write_text("25.1.4.7\n" * 20)
    with pytest.raises(InvalidCatalog, match=r"^many.txt is longer than 100 bytes"):
        Catalog.from_file(path)
    path.write_text("25.1.4.7\n" * 10)
    assert len(Catalog.from_file(path)) == 1


def test_plans_upward():
    plan = stops("24.3.11.13", "25.2.1.26")
    assert [str(v) for v in plan] == ["24.3.15.5", "24.4.4.12", "25.1.4.18", "25.2.1.26"]
    assert stops("24.3.15.5", "24.4.4.12") == [ydb.parse("24.4.4.12")]
    assert stops("24.3.11.13", "24.3.15.5") == [ydb.parse("24.3.15.5")]
    assert stops("25.1.4.18", "25.1.4.18") == []


def test_plans_downward():
    plan = stops("25.2.1.26", "24.4.4.2")
    assert [str(v) for v in plan] == ["25.1.4.18", "24.4.4.2"]
    plan = stops("24.4.4.12", "24.2.7")
    assert [str(v) for v in plan] == ["24.3.15.5", "24.2.7"]
    plan = stops("24.3.15.5", "24.2.7", history=["24.4.4.12"])
    assert [str(v) for v in plan] == ["24.2.7"]


def test_plans_to_a_partial_target_end_on_its_newest_release():
    assert stops("25.1.4.18", "25.2")[-1] == ydb.parse("25.2.1.26")
    assert stops("25.1", "25.2") == [ydb.parse("25.1.4.18"), ydb.parse("25.2.1.26")]


def test_plans_stop_on_release_candidates_only_when_asked():
    with pytest.raises(NoUpgradePath, match="no final release of 26.3"):
        stops("26.2.1.14", "26.3")
    assert stops("26.2.1.14", "26.3", candidates=True) == [ydb.parse("26.3.1.16-rc", strict=False)]
    catalog = Catalog(["25.1.4.7", "25.2.1.10-rc", "25.3.1.27"])
    with pytest.raises(NoUpgradePath):
        stops("25.1.4.7", "25.3.1.27", releases=catalog)
    plan = stops("25.1.4.7", "25.3.1.27", releases=catalog, candidates=True)
    assert [str(v) for v in plan] == ["25.2.1.10-rc", "25.3.1.27"]


def test_no_path_raises_with_the_reason():
    with pytest.raises(NoUpgradePath, match="27.1"):
        stops("26.2.1.14", "27.1.1.1")
    with pytest.raises(NoUpgradePath, match="more than two majors below 25.2.1.26"):
        stops("25.2.1.26", "24.3.15.5")


def test_clusters():
    assert check_cluster(["24.4.4.12", "25.1.4.18"]).rule == "adjacent-majors"
    assert check_cluster(["25.1.4.18"] * 5).rule == "one-major"
    assert check_cluster(["24.1.18", "25.1.4.18"]).rule == "non-adjacent-majors"
    assert check_cluster(["24.3.15.5", "24.4.4.12", "25.1.4.18"]).rule == "too-many-majors"
    assert check_cluster(["26.2.1.14", "27.1.1.1"]).rule == "unknown-major"
    # A state is judged by what runs: YDB runs 24.3.11.13 beside 24.4 (before issue 27:
    # refused as lower-major-not-last-minor); the documented path is a note.
    lagging = check_cluster(["24.3.11.13", "24.4.4.2"])
    assert lagging and lagging.rule == "binaries-allow"
    assert any("24.3.11.13" in note and "24.3.15.5" in note for note in lagging.notes)
    assert check_cluster(["stable-24-4", "v25.1.4.7"])
    with pytest.raises(ValueError):
        check_cluster([])


LONE_TEXT_CALLS = {
    "versions": lambda text: check_cluster(text),
    "nodes": lambda text: ydb.running_version(text),
    "history": lambda text: check_upgrade("24.4.4.12", "24.3.15.5", history=text),
    "history ": lambda text: plan_upgrade("24.4.4.12", "24.3.15.5", history=text),
    "values": lambda text: as_versions(text),
    "releases": lambda text: Catalog(text),
    "releases ": lambda text: check_upgrade("24.4.4.12", "24.3.15.5", releases=text),
    "notes": lambda text: Verdict(True, "A reason.", "one-major", text),
}


@pytest.mark.parametrize("text", ["25.1.4.18", b"25.1.4.18", "x" * 300])
@pytest.mark.parametrize("name", list(LONE_TEXT_CALLS))
def test_one_text_given_for_many_versions_is_a_type_error_not_read_by_its_letters(name, text):
    # Read letter by letter, "25.1.4.18" would be the versions 2, 5, ., ...: refused or judged
    # as nonsense, never what the caller meant.
    expected = rf"^{name.strip()} must be (an iterable of YDB versions|versions, a Catalog or a "
    expected += r"path|an iterable of sentences).*, not one (str|bytes) \('"
    with pytest.raises(TypeError, match=expected) as e:
        LONE_TEXT_CALLS[name](text)
    assert len(str(e.value)) < 200  # a hostile text is quoted short
    assert LONE_TEXT_CALLS[name](("25.1.4.18",)) is not None  # the same version, in a tuple


def test_verdicts_are_shared_values():
    verdict = check_upgrade("24.4.4.12", "25.1.4.7")
    assert isinstance(verdict, Verdict)
    assert verdict.as_dict()["allowed"] is True
    with pytest.raises(ValueError):
        Verdict(True, "", "x")


finals = [v for v in DEFAULT if v.is_final]
releases = st.sampled_from(finals)


@given(releases, releases, st.lists(releases, max_size=2))
def test_every_step_of_every_plan_is_allowed(current, target, history):
    try:
        plan = stops(current, target, history=history)
    except NoUpgradePath as error:
        if "no published release" in str(error):
            # A major no published release offers lies on the way: no stop to name.
            low, high = sorted((current.line, target.line))
            assert any(low < line < high for line in DEFAULT.unpublished)
            return
        # Otherwise only the rollback limit stands between two listed final releases: the
        # target, or the current version (and so the path up from it), lies more than two
        # majors below.
        lowest = min(DEFAULT.position(v.line) for v in (current, target))
        highest = max([current, *history])
        assert lowest < DEFAULT.position(highest.line) - 2
        return
    position, installed = current, [current, *history]
    for stop in plan:
        assert check_upgrade(position, stop, history=installed), (position, stop)
        installed.append(stop)
        position = stop
    if current != target:
        assert plan[-1] == target
    crossed = abs(DEFAULT.position(target.line) - DEFAULT.position(current.line))
    assert len(plan) <= crossed + 1


@given(releases, releases)
def test_a_direct_check_agrees_with_a_one_stop_plan(current, target):
    assume(current != target)
    verdict = check_upgrade(current, target)
    try:
        plan = stops(current, target)
    except NoUpgradePath:
        assert not verdict
        return
    if target > current:
        assert bool(verdict) == (plan == [target])
    else:
        # A rollback may land on any minor, but a plan lands on the last minor first.
        assert bool(verdict) == (plan[-1] == target and {v.line for v in plan} == {target.line})


@given(st.lists(any_versions(strict=False), max_size=6), st.lists(releases, max_size=3))
def test_a_survey_says_of_each_version_what_its_fields_say(versions, listed):
    catalog = Catalog([*listed, *versions[:1]])
    survey = catalog.survey(versions)
    assert set(survey.lines) == {version.line for version in versions}
    assert all(survey.lines[version.line].line == version.line for version in versions)
    assert all(version in versions for version in survey.lines.values())
    assert survey.unlisted == [v for v in versions if v.minor is not None and v not in catalog]
    assert survey.candidates == [v for v in versions if v.release_candidate]


def test_a_survey_finds_candidates_partial_versions_and_unlisted_minors():
    catalog = Catalog(["25.1.4.18"])
    versions = [ydb.parse(text, strict=False) for text in ("25.1.4.18", "25.1", "25.2.1.3-rc")]
    survey = catalog.survey(versions)
    assert set(survey.lines) == {(25, 1), (25, 2)}
    assert survey.unlisted == [versions[2]]  # 25.1 names no minor: nothing to look up
    assert survey.candidates == [versions[2]]


def test_a_catalog_with_an_absurd_gap_in_a_year_stays_small_and_refuses_the_skip():
    # Found by CI: a generated catalog listing 24.1 beside a major near a billion made the
    # catalog fill in every major between them, and ran out of memory.
    catalog = Catalog(["24.1.1", "24.999999999.1"])
    assert len(catalog.majors) == 2 + catalog_module.MAX_GAP
    assert check_upgrade("24.1.1", "24.999999999.1", releases=catalog).rule == "skips-major"
