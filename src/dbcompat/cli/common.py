"""What every product's commands share: exit statuses, JSON output, and how answers are shown."""

from __future__ import annotations

import argparse
import json
import sys
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
    "complain",
    "json_ready",
    "print_fields",
    "print_json",
    "printable",
    "report_no_path",
    "report_plan",
    "report_verdict",
    "say",
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


def printable(text: str) -> str:
    """*text* with every character a terminal would act on escaped as Python writes it: a
    control character (``\\x1b``, ``\\n``), a format character (``\\u202e``), a separator.

    >>> printable("a\\x1b[31mred.txt")
    'a\\\\x1b[31mred.txt'
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def say(text: str) -> None:
    """Print one line of a result on stdout, whatever came from the input escaped."""
    print(printable(text))


def complain(text: str) -> None:
    """Print one line of an error on stderr, whatever came from the input escaped."""
    print(printable(text), file=sys.stderr)


def print_json(data: Any) -> None:
    """Print *data* as indented JSON on stdout."""
    print(json.dumps(data, indent=2))  # ensure_ascii: JSON escapes every control character


def print_fields(fields: dict[str, Any], as_json: bool) -> int:
    """Print a version's components, one ``name: value`` a line or as JSON; exit status yes."""
    if as_json:
        print_json(fields)
    else:
        for name, value in fields.items():
            say(f"{name}: {'-' if value is None else value}")
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
        say(f"{subject}: {'allowed' if verdict else 'refused'} ({verdict.rule})")
        say(f"  {verdict.reason}")
        for note in verdict.notes:
            say(f"  note: {note}")
    return EXIT_YES if verdict else EXIT_NO


def report_no_path(refusal: Exception, as_json: bool, context: dict[str, Any]) -> int:
    """Print why no plan exists (with *context* in JSON) and return the exit status no."""
    if as_json:
        print_json({**context, "error": str(refusal)})
    else:
        say(str(refusal))
    return EXIT_NO


def report_plan(plan: Plan, as_json: bool, subject: str, context: dict[str, Any]) -> int:
    """Print *plan* from one version to another, named by *subject* (with *context* in JSON)."""
    if as_json:
        print_json({**context, **plan.as_dict()})
        return EXIT_YES
    if not plan.steps:
        say(f"{subject}: nothing to do.")
    else:
        say(f"{subject}, in order:")
    if plan.lockstep:
        say("  Lockstep: the server and all clients move to the new major together.")
    for number, step in enumerate(plan, start=1):
        move = f"{step.from_version} -> {step.to_version}"
        if step.from_version == step.to_version:
            say(f"  {number}. {step.component}: {step.from_version} ({step.reason})")
            continue
        kind = ("required" if step.required else "recommended") + (
            " downgrade" if step.rollback else ""
        )
        say(f"  {number}. {step.component}: {move} ({kind}; {step.reason})")
    for note in plan.notes:
        say(f"  note: {note}")
    return EXIT_YES
