"""The ``dbcompat`` command: ``dbcompat PRODUCT COMMAND ...``, ``dbcompat grammar`` and
``dbcompat schema``.

Exit status: 0 when the answer is yes (or the command just reports), 1 when it is no, 2 on bad
input, with one line on stderr (or with ``--json``, one JSON document on stdout) and never a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import import_module

from .. import PRODUCTS, __version__
from ..errors import ServerError
from .arguments import CommandParser
from .contract import EXIT_BAD_INPUT, EXIT_UNREACHABLE, UsageError, error_document
from .output import complain, print_json

__all__ = ["main"]

# One module of commands per product, named as the product's subpackage, then the shared ones.
COMMAND_GROUPS = (*PRODUCTS, "scan", "explain", "webhook", "grammar", "schema")


# Where a command's word is not its module's name.
_MODULE_OF = {"rules": "explain"}


def build_parser(first: str | None = None) -> CommandParser:
    """The argument parser of the whole command, one subcommand group per product; only the
    group that *first* (the command line's first word) names, where it names one: a command
    line needs no other, and building them all is a third of starting."""
    parser = CommandParser(
        prog="dbcompat",
        description="Can I go from this database version to that one, and if not, what first?",
    )
    parser.add_argument(
        "--version",
        action=_ShowVersion,
        help="print dbcompat's version and the newest release of its embedded catalog",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print exactly one JSON document on stdout (accepted anywhere on the line)",
    )
    groups = parser.add_subparsers(dest="product", required=True, metavar="PRODUCT")
    module = _MODULE_OF.get(first or "", first)
    for name in (module,) if module in COMMAND_GROUPS else COMMAND_GROUPS:
        import_module(f".{name}", __name__).register(groups)
    return parser


class _ShowVersion(argparse.Action):
    # Reads the catalog only when asked: every other command starts without it.
    def __init__(self, option_strings: list[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from ..ydb import Catalog

        catalog = Catalog.default()
        newest = catalog.latest(candidates=True)
        about = ""
        if newest is not None:
            about = f" (embedded YDB releases up to {newest}, {catalog.date(newest) or 'undated'})"
        print(f"dbcompat {__version__}{about}")
        parser.exit()


def _with_mirrors(args: argparse.Namespace) -> int:
    """Run the command, with the mirrors its ``--image PRODUCT=REPOSITORY`` names."""
    mirrors = getattr(args, "image", None) or []
    if not mirrors:
        status: int = args.command(args).render(args.output)
        return status
    from ..products import forget_mirrors, name_mirror

    try:
        for given in mirrors:
            product, sign, repository = given.partition("=")
            if not sign or not repository:
                raise UsageError(f"--image {given}: expected PRODUCT=REPOSITORY")
            name_mirror(product.strip(), repository.strip())
        status = args.command(args).render(args.output)
        return status
    finally:
        forget_mirrors()  # a process that runs commands in turn (the tests) starts afresh


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line *argv* (``sys.argv[1:]`` when None) and return its exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in words
    words = [word for word in words if word != "--json"]
    try:
        args = build_parser(words[0] if words else None).parse_args(words)
        output = getattr(args, "format", None)
        args.json = as_json or output == "json"
        args.output = output or ("json" if args.json else "text")
        status: int = _with_mirrors(args)
    except BrokenPipeError:
        # The reader went away (| head): nothing is wrong with the input; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (UsageError, ValueError, LookupError, OSError, ServerError) as error:
        document = error_document(error)
        status = EXIT_UNREACHABLE if isinstance(error, ServerError) else EXIT_BAD_INPUT
        output = "json" if as_json else _format_asked(words)
        if output == "json":
            print_json(document)
            return status
        if output in ("sarif", "junit", "markdown"):
            from ..scan.failures import failure

            details = document["error"]
            sys.stdout.write(failure(output, details["kind"], details["message"], status))
        complain(f"dbcompat: error: {document['error']['message']}")
        return status
    return status


def _format_asked(words: Sequence[str]) -> str:
    """The ``--format`` of *words*, read apart from the parser, which may be what failed."""
    for at, word in enumerate(words):
        if word == "--format" and at + 1 < len(words):
            return words[at + 1]
        if word.startswith("--format="):
            return word.partition("=")[2]
    return "text"
