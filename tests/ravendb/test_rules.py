"""RavenDB: the version grammar, client/server compatibility and upgrade plans (issue 4)."""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

import dbcompat
from dbcompat import InvalidVersion, NoUpgradePath, ravendb
from dbcompat.ravendb import Stage, Version, check_compatibility, plan_upgrade
from tests.helpers import DATA

SEEN = list(csv.DictReader((DATA / "ravendb_versions_seen.csv").open()))
PEP_440 = re.compile(r".*[0-9](a|b|rc|\.post|\.dev)[0-9]+$")
GRAMMAR = Lark.open(str(dbcompat.grammar_path("ravendb_version")), start="version")


@pytest.mark.parametrize("row", SEEN, ids=lambda row: f"{row['kind']}-{row['version']}")
def test_every_version_seen_in_the_wild_parses_and_prints_back(row):
    text = row["version"]
    if PEP_440.fullmatch(text):
        with pytest.raises(InvalidVersion):
            ravendb.parse(text)
        return
    version = ravendb.parse(text)
    assert str(version) == text
    assert (version.major, version.minor) == tuple(int(n) for n in text.split(".")[:2])


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("6.0", (6, 0, None, None, None, None, None, None)),
        ("5.4.110", (5, 4, 110, None, None, None, None, None)),
        ("4.1.9.41023", (4, 1, 9, 41023, None, None, None, None)),
        ("4.2.5.42", (4, 2, 5, 42, None, None, None, None)),
        ("4.1.0-rc-41000", (4, 1, 0, None, Stage.RC, None, 41000, None)),
        ("4.0.0-rc2", (4, 0, 0, None, Stage.RC, 2, None, None)),
        ("4.1.3-patch-41005", (4, 1, 3, None, Stage.PATCH, None, 41005, None)),
        ("4.0.0-alpha-40005", (4, 0, 0, None, Stage.ALPHA, None, 40005, None)),
        ("4.0.0-beta-40016", (4, 0, 0, None, Stage.BETA, None, 40016, None)),
        ("3.0.30172-Hotfix", (3, 0, 30172, None, Stage.HOTFIX, None, None, None)),
        (
            "5.0.0-nightly-20200507-0548",
            (5, 0, 0, None, Stage.NIGHTLY, None, None, "20200507-0548"),
        ),
    ],
)
def test_components(text, fields):
    v = ravendb.parse(text)
    assert (
        v.major,
        v.minor,
        v.patch,
        v.build,
        v.stage,
        v.stage_number,
        v.stage_build,
        v.nightly,
    ) == fields


def test_stage_words_are_case_insensitive_and_print_canonically():
    assert str(ravendb.parse("4.0.0-RC2")) == "4.0.0-rc2"
    assert ravendb.parse("3.0.30172-hotfix") == ravendb.parse("3.0.30172-Hotfix")
    assert str(ravendb.parse("5.04.0110")) == "5.4.110"


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("", 1),
        ("5", 2),
        ("5.", 3),
        ("5.4-", 5),
        ("5.4.1.2.3", 8),
        ("5.4-nightly-2020", 13),
        ("5.4-patch", 10),
        ("5.4-gamma", 5),
        ("v5.4", 1),
        (" 5.4", 1),
        ("5.4\n", 4),
        ("٥.٤", 1),
        ("5.2.0b1", 6),
        ("5.2.5.post1", 7),
    ],
)
def test_bad_input_names_the_column(text, column):
    with pytest.raises(InvalidVersion) as caught:
        ravendb.parse(text)
    assert caught.value.column == column
    assert "RavenDB" in str(caught.value) and repr(text) in str(caught.value)


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


def test_constructor_checks_what_the_grammar_would():
    assert Version(4, 1, 0, stage="rc", stage_build=41000) == ravendb.parse("4.1.0-rc-41000")
    with pytest.raises(ValueError):
        Version(4, 1, None, 5)
    with pytest.raises(ValueError):
        Version(4, 1, 0, stage="Hotfix", stage_number=1)


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


@given(from_lark(GRAMMAR, start="version"))
def test_every_string_of_the_grammar_parses_and_round_trips(text):
    version = ravendb.parse(text)
    assert ravendb.parse(str(version)) == version


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
    plan = plan_upgrade(server, to, clients)
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


@pytest.mark.parametrize(
    "text",
    [
        "3.0.30172-Hotf\u0131x",  # dotless i
        "3.0.30172-HOTF\u0130X",  # dotted capital I
        "5.0.0-n\u0131ghtly-20200507-0548",
        "4.1.3-PATCH-41005\u200b",
        "4.0.0-\u0280c2",  # small capital R
        "4.0.0-rc\uff12",  # fullwidth digit
        "5.0.0-nightly-2020050\u0667-0548",  # Arabic-Indic digit
    ],
)
def test_stage_words_and_numbers_are_ascii_only(text):
    with pytest.raises(InvalidVersion):
        ravendb.parse(text)
    from dbcompat.ravendb.parser import _READER

    with pytest.raises(InvalidVersion):
        _READER.parse_with_lark(text)


def test_ascii_case_still_folds():
    assert ravendb.parse("3.0.30172-HOTFIX") == ravendb.parse("3.0.30172-Hotfix")
    assert ravendb.parse("5.0.0-NiGhTlY-20200507-0548").stage is Stage.NIGHTLY
    with pytest.raises(ValueError):
        Version(5, 0, 0, stage="nightly", nightly="2020050\u0667-0548")
