"""The ``dbcompat`` command: ``dbcompat PRODUCT COMMAND ...``.

Exit status: 0 when the answer is yes (or the command just reports), 1 when it is no, 2 on bad
input, with one line on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from .. import __version__
from .._grammar import grammar_names, grammar_path, grammar_regex
from . import ravendb as ravendb_commands
from . import ydb as ydb_commands
from .common import EXIT_BAD_INPUT, EXIT_YES

__all__ = ["main"]

Command = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the whole command, one subcommand group per product."""
    parser = argparse.ArgumentParser(
        prog="dbcompat",
        description="Can I go from this database version to that one, and if not, what first?",
    )
    parser.add_argument("--version", action="version", version=f"dbcompat {__version__}")
    products = parser.add_subparsers(dest="product", required=True, metavar="PRODUCT")
    ydb_commands.register(products)
    ravendb_commands.register(products)
    grammar = products.add_parser("grammar", help="print a grammar file, its path, or its regex")
    grammar.add_argument("name", metavar="NAME", choices=grammar_names())
    show = grammar.add_mutually_exclusive_group()
    show.add_argument("--path", action="store_true", help="print the file's path")
    show.add_argument("--regex", action="store_true", help="print the anchored regular expression")
    grammar.set_defaults(command=_grammar)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line *argv* (``sys.argv[1:]`` when None) and return its exit status."""
    args = build_parser().parse_args(argv)
    command: Command = args.command
    try:
        return command(args)
    except (ValueError, LookupError, OSError) as error:
        print(f"dbcompat: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _grammar(args: argparse.Namespace) -> int:
    if args.path:
        print(grammar_path(args.name))
    elif args.regex:
        print(grammar_regex(args.name).anchored)
    else:
        print(grammar_path(args.name).read_text(encoding="utf-8"), end="")
    return EXIT_YES
