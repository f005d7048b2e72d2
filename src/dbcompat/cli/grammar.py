"""``dbcompat grammar NAME``: the grammar files, their paths and their generated regexes."""

from __future__ import annotations

import argparse

from ..grammars import grammar_names, grammar_path, grammar_regex
from .common import EXIT_YES, Subcommands

__all__ = ["register"]


def register(groups: Subcommands) -> None:
    """Add ``grammar`` to the command groups."""
    grammar = groups.add_parser("grammar", help="print a grammar file, its path, or its regex")
    grammar.add_argument("name", metavar="NAME", choices=grammar_names())
    show = grammar.add_mutually_exclusive_group()
    show.add_argument("--path", action="store_true", help="print the file's path")
    show.add_argument("--regex", action="store_true", help="print the anchored regular expression")
    grammar.set_defaults(command=_grammar)


def _grammar(args: argparse.Namespace) -> int:
    if args.path:
        print(grammar_path(args.name))
    elif args.regex:
        print(grammar_regex(args.name).anchored)
    else:
        print(grammar_path(args.name).read_text(encoding="utf-8"), end="")
    return EXIT_YES
