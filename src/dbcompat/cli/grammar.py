"""``dbcompat grammar [NAME]``: the grammar files, their paths and their generated regexes."""

from __future__ import annotations

import argparse

from ..reading.grammars import grammar_names, grammar_path, grammar_regex
from .arguments import Subcommands, add_named
from .output import NamesShown, Printed

__all__ = ["register"]


def register(groups: Subcommands) -> None:
    """Add ``grammar`` to the command groups."""
    summary = "print a grammar file, its path or its regular expression, or list the grammars"
    grammar = add_named(groups, "grammar", summary, grammar_names(), _grammar)
    show = grammar.add_mutually_exclusive_group()
    show.add_argument("--path", action="store_true", help="print the file's path")
    show.add_argument("--regex", action="store_true", help="print the anchored regular expression")


def _grammar(args: argparse.Namespace) -> NamesShown | Printed:
    if args.name is None:
        return NamesShown("grammars", grammar_names())
    if args.path:
        return Printed(str(grammar_path(args.name)))
    if args.regex:
        return Printed(grammar_regex(args.name).anchored)
    return Printed(grammar_path(args.name).read_text(encoding="utf-8"))
