"""Every product's rule table: each verdict comes from it, each rule is reachable and documented
in the rule reference, which tools/rule_tables.py generates from the tables."""

from __future__ import annotations

import importlib.util
import itertools
from importlib import import_module
from pathlib import Path

import pytest

import dbcompat
from dbcompat import NoUpgradePath, ravendb, ydb
from dbcompat.ydb.binaries import Declarations

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = (ROOT / "docs" / "reference" / "rules.md").read_text(encoding="utf-8")


def rule_tables():
    """tools/rule_tables.py, the generator of the rule reference (a script, not a package)."""
    spec = importlib.util.spec_from_file_location("rule_tables", ROOT / "tools" / "rule_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ydb_rules_given():
    """The rule of every verdict the YDB rules give on the frozen history and its edge cases."""
    catalog = ydb.Catalog.default()
    versions = [*catalog, ydb.parse("25.1"), ydb.parse("25.1.4.99"), ydb.parse("27.1.1.1")]
    rules = set()
    for current, target in itertools.product(versions, repeat=2):
        rules.add(ydb.check_upgrade(current, target).rule)
        rules.add(ydb.check_upgrade(current, target, history=["26.2.1.14"]).rule)
        rules.add(ydb.check_cluster([current, target]).rule)
    rules.add(ydb.check_cluster(["24.3.15.5", "24.4.4.12", "25.1.4.18"]).rule)
    rules.add(ydb.running_version(["24.4.4.12", "25.1.4.18"]).rule)
    rules.add(ydb.check_cluster(["trunk", "main.b7cfb36"]).rule)
    rules.add(ydb.check_cluster(["trunk", "24.4.4.12"]).rule)
    no_final = ydb.Catalog(["25.1.4.7", "25.2.1.10-rc", "25.3.1.27"])
    rules.add(ydb.check_upgrade("25.2.1.10-rc", "25.3.1.27", releases=no_final).rule)
    # On the whole history every year boundary is one YDB declares or one whose rule dbcompat
    # does not know with no lagging minor beside it; a catalog of a few releases makes others.
    rules.add(ydb.check_upgrade("23.3.17", "24.2.7", releases=["23.3.17", "24.2.7"]).rule)
    subset = ["23.3.13", "23.3.17", "24.1.18"]
    rules.add(ydb.check_cluster(["23.3.13", "24.1.18"], releases=subset).rule)
    return rules


def ravendb_rules_given():
    lines = [f"{major}.{minor}" for major in range(3, 8) for minor in range(0, 6)]
    pairs = list(itertools.product(lines, repeat=2))
    return (
        {ravendb.check_compatibility(client, server).rule for client, server in pairs}
        | {ravendb.check_upgrade(server, target).rule for server, target in pairs}
        | {ravendb.check_nodes(nodes).rule for nodes in (["5.4.1", "5.4.2"], ["5.4", "6.0"])}
        | {ravendb.check_upgrade("6.2.9", "6.2.8").rule}
    )


GIVEN = {"ydb": ydb_rules_given, "ravendb": ravendb_rules_given}


def test_every_product_is_covered():
    assert set(GIVEN) == set(dbcompat.PRODUCTS)


@pytest.mark.parametrize("name", dbcompat.PRODUCTS)
def test_the_rules_give_exactly_the_ids_of_their_table(name):
    table = import_module(f"dbcompat.{name}").RULES
    assert GIVEN[name]() == set(table)


@pytest.mark.parametrize("name", dbcompat.PRODUCTS)
def test_every_rule_is_in_the_reference(name):
    for rule in import_module(f"dbcompat.{name}").RULES.values():
        verdict = "allowed" if rule.allowed else "refused"
        assert f"| `{rule.id}` | {verdict} | {rule.meaning} |" in REFERENCE, rule.id
        assert f"### `{rule.id}`" in REFERENCE, rule.id
        assert rule.meaning.endswith(".") and len(rule.meaning) <= 80


def test_the_rule_reference_is_what_its_generator_writes():
    assert rule_tables().render() == REFERENCE, "run: python tools/rule_tables.py --write"


@pytest.mark.parametrize("name", dbcompat.PRODUCTS)
def test_a_verdict_is_allowed_exactly_when_its_rule_allows(name):
    table = import_module(f"dbcompat.{name}").RULES
    assert any(rule.allowed for rule in table.values())
    assert not all(rule.allowed for rule in table.values())
    verdict = next(iter(table.values())).verdict("Because.")
    assert verdict.allowed is next(iter(table.values())).allowed


def test_answers_are_immutable_values():
    verdict = ydb.check_upgrade("24.3.15.5", "24.4.4.12")
    plan = ydb.plan_upgrade("24.3.11.13", "24.4.4.12")
    for value, fields in ((verdict, ("rule", "allowed", "notes")), (plan, ("steps", "lockstep"))):
        for field in fields:
            with pytest.raises(AttributeError):
                setattr(value, field, None)
            with pytest.raises(AttributeError):
                delattr(value, field)
    step = plan[0]
    with pytest.raises(AttributeError):
        del step.reason
    assert plan == ydb.plan_upgrade("24.3.11.13", "24.4.4.12")
    assert hash(plan) == hash(ydb.plan_upgrade("24.3.11.13", "24.4.4.12"))
    assert plan.as_dict()["steps"][0] == {
        "component": "cluster",
        "from_version": "24.3.11.13",
        "to_version": "24.3.15.5",
        "required": True,
        "rollback": False,
        "reason": "the last minor of 24.3",
        "binaries": {
            "compatible": True,
            "reason": "YDB's 24.3 declaration [24.2-24.3] permits it.",
            "source": Declarations.default().rules(ydb.parse("24.3"), "connect")[0].source,
            "followed": False,
        },
    }
    import pickle

    assert pickle.loads(pickle.dumps(plan)) == plan
    assert pickle.loads(pickle.dumps(verdict)) == verdict


def test_no_plan_is_no_path():
    with pytest.raises(NoUpgradePath):
        ydb.plan_upgrade("26.2.1.14", "27.1.1.1")
