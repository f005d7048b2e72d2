"""``dbcompat schema [NAME]``: the JSON Schemas of what ``--json`` prints."""

from __future__ import annotations

import argparse

from .arguments import Subcommands, add_named
from .output import NamesShown, Printed

__all__ = ["SCHEMAS", "register", "schema_text"]

SCHEMAS = ("error", "found", "names", "plan", "releases", "rules", "scan", "verdict", "version")
"""The documents ``--json`` prints, each with a schema in ``dbcompat/schemas/NAME.json``."""


def schema_text(name: str) -> str:
    """The JSON Schema of the document *name*, as shipped in the package."""
    from importlib import resources  # slow to import: only for this command

    return resources.files("dbcompat").joinpath("schemas", f"{name}.json").read_text("utf-8")


def register(groups: Subcommands) -> None:
    """Add ``schema`` to the command groups."""
    summary = "print the JSON Schema of a document that --json prints, or list them"
    add_named(groups, "schema", summary, SCHEMAS, _schema)


def _schema(args: argparse.Namespace) -> NamesShown | Printed:
    if args.name is None:
        return NamesShown("schemas", SCHEMAS)
    return Printed(schema_text(args.name))
