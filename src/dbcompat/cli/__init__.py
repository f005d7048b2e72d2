"""The ``dbcompat`` command: ``dbcompat PRODUCT COMMAND ...`` and ``dbcompat grammar NAME``.

Exit status: 0 when the answer is yes (or the command just reports), 1 when it is no, 2 on bad
input, with one line on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from importlib import import_module

from .. import PRODUCTS, __version__
from .common import EXIT_BAD_INPUT, Command, complain

__all__ = ["main"]

# One module of commands per product, named as the product's subpackage, then the grammar files.
COMMAND_GROUPS = (*PRODUCTS, "grammar")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the whole command, one subcommand group per product."""
    parser = argparse.ArgumentParser(
        prog="dbcompat",
        description="Can I go from this database version to that one, and if not, what first?",
    )
    parser.add_argument("--version", action="version", version=f"dbcompat {__version__}")
    groups = parser.add_subparsers(dest="product", required=True, metavar="PRODUCT")
    for name in COMMAND_GROUPS:
        import_module(f".{name}", __name__).register(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line *argv* (``sys.argv[1:]`` when None) and return its exit status."""
    args = build_parser().parse_args(argv)
    command: Command = args.command
    try:
        return command(args)
    except (ValueError, LookupError, OSError) as error:
        complain(f"dbcompat: error: {error}")
        return EXIT_BAD_INPUT
