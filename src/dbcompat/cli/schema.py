"""``dbcompat schema [NAME]``: the JSON Schemas of what ``--json`` prints."""

from __future__ import annotations

import argparse

from .common import EXIT_YES, Subcommands, add_named, report_names

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


def _schema(args: argparse.Namespace) -> int:
    if args.name is None:
        return report_names("schemas", SCHEMAS, args.json)
    print(schema_text(args.name), end="")
    return EXIT_YES
