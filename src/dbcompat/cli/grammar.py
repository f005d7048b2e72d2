"""``dbcompat grammar [NAME]``: the grammar files, their paths and their generated regexes."""

from __future__ import annotations

import argparse

from ..reading.grammars import grammar_names, grammar_path, grammar_regex
from .common import EXIT_YES, Subcommands, add_named, report_names

__all__ = ["register"]


def register(groups: Subcommands) -> None:
    """Add ``grammar`` to the command groups."""
    summary = "print a grammar file, its path or its regular expression, or list the grammars"
    grammar = add_named(groups, "grammar", summary, grammar_names(), _grammar)
    show = grammar.add_mutually_exclusive_group()
    show.add_argument("--path", action="store_true", help="print the file's path")
    show.add_argument("--regex", action="store_true", help="print the anchored regular expression")


def _grammar(args: argparse.Namespace) -> int:
    if args.name is None:
        return report_names("grammars", grammar_names(), args.json)
    if args.path:
        print(grammar_path(args.name))
    elif args.regex:
        print(grammar_regex(args.name).anchored)
    else:
        print(grammar_path(args.name).read_text(encoding="utf-8"), end="")
    return EXIT_YES
