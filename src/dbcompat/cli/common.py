"""What every product's commands share: exit statuses, JSON output, and how answers are shown."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, TypeAlias

from ..answers import Plan, Verdict

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_NO",
    "EXIT_YES",
    "Command",
    "Subcommands",
    "add_parse",
    "add_product",
    "json_ready",
    "print_fields",
    "print_json",
    "report_no_path",
    "report_plan",
    "report_verdict",
]

EXIT_YES = 0
EXIT_NO = 1
EXIT_BAD_INPUT = 2

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""What ``add_subparsers`` returns: where a command group registers its commands."""

Command: TypeAlias = "Callable[[argparse.Namespace], int]"
"""What a command runs: it reads the parsed arguments and returns the exit status."""


def add_product(groups: Subcommands, name: str, help: str) -> Subcommands:
    """Add the command group of the product *name*; its commands go in what this returns."""
    product = groups.add_parser(name, help=help)
    return product.add_subparsers(dest=f"{name}_command", required=True, metavar="COMMAND")


def add_parse(commands: Subcommands, product: str, run: Command) -> argparse.ArgumentParser:
    """Add ``parse VERSION`` to a product's commands, running *run*."""
    parse = commands.add_parser("parse", help=f"show the components of a {product} version")
    parse.add_argument("version", metavar="VERSION")
    parse.set_defaults(command=run)
    return parse


def print_json(data: Any) -> None:
    """Print *data* as indented JSON on stdout."""
    print(json.dumps(data, indent=2))


def print_fields(fields: dict[str, Any], as_json: bool) -> int:
    """Print a version's components, one ``name: value`` a line or as JSON; exit status yes."""
    if as_json:
        print_json(fields)
    else:
        for name, value in fields.items():
            print(f"{name}: {'-' if value is None else value}")
    return EXIT_YES


def json_ready(value: object) -> Any:
    """*value* as JSON holds it: a version (or any value) as its string, a list item by item."""
    if isinstance(value, (list, tuple)):
        return [json_ready(item) for item in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def report_verdict(verdict: Verdict, as_json: bool, subject: str, inputs: dict[str, Any]) -> int:
    """Print *verdict* about *subject* (with the *inputs* it judged, in JSON) and return the exit
    status."""
    if as_json:
        print_json(
            {**{name: json_ready(value) for name, value in inputs.items()}, **verdict.as_dict()}
        )
    else:
        print(f"{subject}: {'allowed' if verdict else 'refused'} ({verdict.rule})")
        print(f"  {verdict.reason}")
        for note in verdict.notes:
            print(f"  note: {note}")
    return EXIT_YES if verdict else EXIT_NO


def report_no_path(refusal: Exception, as_json: bool, context: dict[str, Any]) -> int:
    """Print why no plan exists (with *context* in JSON) and return the exit status no."""
    if as_json:
        print_json({**context, "error": str(refusal)})
    else:
        print(refusal)
    return EXIT_NO


def report_plan(plan: Plan, as_json: bool, subject: str, context: dict[str, Any]) -> int:
    """Print *plan* from one version to another, named by *subject* (with *context* in JSON)."""
    if as_json:
        print_json({**context, **plan.as_dict()})
        return EXIT_YES
    if not plan.steps:
        print(f"{subject}: nothing to do.")
    else:
        print(f"{subject}, in order:")
    if plan.lockstep:
        print("  Lockstep: the server and all clients move to the new major together.")
    for number, step in enumerate(plan, start=1):
        need = "required" if step.required else "recommended"
        print(
            f"  {number}. {step.component}: {step.from_version} -> {step.to_version} "
            f"({need}; {step.reason})"
        )
    for note in plan.notes:
        print(f"  note: {note}")
    return EXIT_YES
