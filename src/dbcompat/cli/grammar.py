"""``dbcompat grammar [NAME]``: the grammar files, their paths and their generated regexes."""

from __future__ import annotations

import argparse

from ..grammars import grammar_names, grammar_path, grammar_regex
from .common import EXIT_YES, Subcommands, add_command, print_json, say

__all__ = ["register"]


def register(groups: Subcommands) -> None:
    """Add ``grammar`` to the command groups."""
    grammar = add_command(
        groups,
        "grammar",
        "print a grammar file, its path or its regular expression, or list the grammars",
        ["dbcompat grammar", "dbcompat grammar ydb_version --regex"],
        _grammar,
    )
    grammar.add_argument(
        "name", metavar="NAME", nargs="?", choices=grammar_names(), help="which grammar"
    )
    show = grammar.add_mutually_exclusive_group()
    show.add_argument("--path", action="store_true", help="print the file's path")
    show.add_argument("--regex", action="store_true", help="print the anchored regular expression")


def _grammar(args: argparse.Namespace) -> int:
    if args.name is None:
        if args.json:
            print_json({"kind": "names", "of": "grammars", "names": grammar_names()})
        else:
            for name in grammar_names():
                say(name)
    elif args.path:
        print(grammar_path(args.name))
    elif args.regex:
        print(grammar_regex(args.name).anchored)
    else:
        print(grammar_path(args.name).read_text(encoding="utf-8"), end="")
    return EXIT_YES
