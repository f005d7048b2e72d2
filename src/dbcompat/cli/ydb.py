"""``dbcompat ydb ...``: the YDB commands."""

from __future__ import annotations

import argparse
from typing import Any

from .. import ydb
from .common import EXIT_YES, print_json

__all__ = ["register"]


def register(products: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``ydb`` and its commands to the product subparsers."""
    product = products.add_parser("ydb", help="YDB server versions and upgrades")
    commands = product.add_subparsers(dest="ydb_command", required=True, metavar="COMMAND")

    parse = commands.add_parser("parse", help="show the components of a YDB version")
    parse.add_argument("version", metavar="VERSION")
    parse.add_argument("--json", action="store_true", help="print JSON")
    parse.set_defaults(command=_parse)


def version_fields(version: ydb.Version) -> dict[str, Any]:
    """The components of *version* as JSON-ready values."""
    return {
        "version": str(version),
        "year": version.year,
        "major": version.major,
        "minor": version.minor,
        "patch": version.patch,
        "release_type": None if version.release_type is None else version.release_type.value,
    }


def _parse(args: argparse.Namespace) -> int:
    version = ydb.parse(args.version)
    fields = version_fields(version)
    if args.json:
        print_json(fields)
    else:
        for name, value in fields.items():
            print(f"{name}: {'-' if value is None else value}")
    return EXIT_YES
