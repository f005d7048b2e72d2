"""``dbcompat explain RULE`` and ``dbcompat rules``: what each rule means, the documentation it
enforces, an allowed and a refused example, and what to do (in the manner of ``ruff rule``)."""

from __future__ import annotations

import argparse
import difflib
from importlib import import_module
from typing import Any

from .. import PRODUCTS
from ..answers import Example, Guide, Rule
from ..products import rules
from .arguments import Subcommands, add_command
from .output import Printed, printable

__all__ = ["register", "rule_documents"]


def _rules() -> dict[str, tuple[str, Rule, Guide]]:
    """Every product's rules by id, with the product's name and the rule's guide."""
    guides: dict[str, Guide] = {}
    for name in PRODUCTS:
        guides.update(import_module(f"dbcompat.{name}.guide").GUIDES)
    return {
        rule_id: (product, rule, guides[rule_id]) for rule_id, (product, rule) in rules().items()
    }


def register(groups: Subcommands) -> None:
    """Add ``explain`` and ``rules`` to the command groups."""
    explain = add_command(
        groups,
        "explain",
        "explain a rule: its meaning, its source, an allowed and a refused example, what to do",
        ["dbcompat explain skips-major", "dbcompat explain before-4.2-other-major --json"],
        _explain,
    )
    explain.add_argument("rule", metavar="RULE", help="a rule id, as verdicts name it")
    add_command(
        groups,
        "rules",
        "list every rule with its product, verdict and meaning",
        ["dbcompat rules", "dbcompat rules --json"],
        _list,
    )


def rule_documents(rule_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """The rules as JSON-ready documents, their examples computed now."""
    table = _rules()
    return [_document(rule_id, *table[rule_id]) for rule_id in rule_ids or table]


def _document(rule_id: str, product: str, rule: Rule, guide: Guide) -> dict[str, Any]:
    return {
        "id": rule_id,
        "product": product,
        "allowed": rule.allowed,
        "meaning": rule.meaning,
        "source": guide.source,
        "examples": {"allowed": _example(guide.allowed), "refused": _example(guide.refused)},
        "fix": guide.fix,
    }


def _example(example: Example) -> dict[str, Any]:
    verdict = example.verdict()
    return {"call": str(example), **verdict.as_dict()}


def _explain(args: argparse.Namespace) -> Printed:
    table = _rules()
    if args.rule not in table:
        near = difflib.get_close_matches(args.rule, table, n=1, cutoff=0.75)
        if near:
            raise LookupError(f"no rule {args.rule!r}; did you mean {near[0]}?")
        raise LookupError(
            f"no rule {args.rule!r}; dbcompat rules lists them (one of {', '.join(table)})"
        )
    (document,) = rule_documents([args.rule])
    verdict = "allows" if document["allowed"] else "refuses"
    lines = [
        f"{document['id']} ({document['product']}, {verdict}): {document['meaning']}",
        "",
        f"Source: {document['source']}",
    ]
    for kind in ("allowed", "refused"):
        example = document["examples"][kind]
        lines += ["", f"{kind.capitalize()}: {example['call']}"]
        lines.append(f"  -> {example['rule']}: {example['reason']}")
    lines += ["", f"What to do: {document['fix']}"]
    return Printed(_printable(lines), document={"kind": "rules", "rules": [document]})


def _list(args: argparse.Namespace) -> Printed:
    lines = []
    for rule_id, (product, rule, _) in _rules().items():
        verdict = "allowed" if rule.allowed else "refused"
        lines.append(f"{rule_id:<28} {product:<8} {verdict:<8} {rule.meaning}")
    return Printed(_printable(lines), document={"kind": "rules", "rules": rule_documents()})


def _printable(lines: list[str]) -> str:
    return "\n".join(map(printable, lines))
