"""dbcompat explain and dbcompat rules: every rule explained, its examples proven."""

from __future__ import annotations

import json
from importlib import import_module

import pytest

import dbcompat
from dbcompat.cli.explain import rule_documents
from tests.helpers import run


@pytest.mark.parametrize("name", dbcompat.PRODUCTS)
def test_every_rule_has_a_guide_whose_examples_give_it(name):
    rules = import_module(f"dbcompat.{name}").RULES
    guides = import_module(f"dbcompat.{name}.guide").GUIDES
    assert set(guides) == set(rules)
    for rule_id, guide in guides.items():
        allowed, refused = guide.allowed.verdict(), guide.refused.verdict()
        assert allowed.allowed and not refused.allowed, rule_id
        decided = allowed if rules[rule_id].allowed else refused
        assert decided.rule == rule_id, (rule_id, decided)
        assert guide.source and guide.fix.endswith(".")


def test_rules_lists_every_rule_once_as_json(capsys):
    status, out, _ = run(capsys, "rules", "--json")
    document = json.loads(out)
    ids = [rule["id"] for rule in document["rules"]]
    expected = [i for name in dbcompat.PRODUCTS for i in import_module(f"dbcompat.{name}").RULES]
    assert status == 0 and ids == expected


def test_explain_shows_the_source_the_examples_and_what_to_do(capsys):
    status, out, _ = run(capsys, "explain", "rollback-limit")
    assert status == 0
    assert "installed at least once" in out
    assert "Allowed: ydb.check_upgrade('24.4.4.12', '24.3.15.5', history=['25.1.4.18'])" in out
    assert "-> rollback-limit:" in out and out.rstrip().splitlines()[-1].startswith("What to do:")


def test_an_unknown_rule_is_bad_input(capsys):
    status, out, _ = run(capsys, "explain", "no-such-rule", "--json")
    assert status == 2 and "no rule 'no-such-rule'" in json.loads(out)["error"]["message"]


@pytest.mark.parametrize(
    ("given", "meant"), [("skip-major", "skips-major"), ("rolback-limit", "rollback-limit")]
)
def test_a_rule_id_spelt_nearly_right_gets_the_near_one(capsys, given, meant):
    status, _, err = run(capsys, "explain", given)
    assert status == 2 and f"did you mean {meant}?" in err


def test_every_verdict_document_carries_its_rules_help(capsys):
    status, out, _ = run(capsys, "ydb", "check", "24.4.4.12", "25.2.1.26", "--json")
    document = json.loads(out)
    assert status == 1 and document["help"].endswith("More: dbcompat explain skips-major")
    (rule,) = rule_documents(["skips-major"])
    assert document["help"].startswith(rule["meaning"])
