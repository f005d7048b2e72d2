"""The shape of every command, in argparse: a group per product, commands whose help shows
examples and the exit statuses, and the options several commands share.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from .contract import EXIT_STATUS, UsageError

if TYPE_CHECKING:
    from .output import Shown

__all__ = [
    "FORMATS",
    "Command",
    "CommandParser",
    "HelpFormatter",
    "Once",
    "RawDescriptionFormatter",
    "Subcommands",
    "add_command",
    "add_connection_options",
    "add_find",
    "add_format",
    "add_inventory_options",
    "add_named",
    "add_parse",
    "add_product",
    "add_strictness",
]


Subcommands: TypeAlias = "argparse._SubParsersAction[CommandParser]"
"""What ``add_subparsers`` returns: where a command group registers its commands."""


Command: TypeAlias = "Callable[[argparse.Namespace], Shown]"
"""What a command runs: it reads the parsed arguments and returns what it found, to render."""


@functools.cache
def _help_width(columns: str | None) -> int:
    """The width argparse would format help to, from ``COLUMNS`` (*columns*) or the terminal, as
    ``shutil.get_terminal_size`` finds it, less the two columns argparse leaves."""
    try:
        width = int(columns or 0)
    except ValueError:
        width = 0
    if width <= 0 and sys.__stdout__ is not None:
        try:
            width = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):  # not a terminal, or no file at all
            width = 0
    return (width or 80) - 2


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help formatter, measuring the terminal without importing shutil."""

    # argparse makes a formatter for every argument a parser is given, and each one imports
    # shutil to measure the terminal: that import, with the compression modules it brings, is a
    # twentieth of a command's start. The width is measured once, as shutil measures it.
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24) -> None:
        width = _help_width(os.environ.get("COLUMNS"))
        super().__init__(prog, indent_increment, max_help_position, width)


class RawDescriptionFormatter(HelpFormatter, argparse.RawDescriptionHelpFormatter):
    """argparse's formatter of descriptions as written, measuring the terminal as HelpFormatter."""


class CommandParser(argparse.ArgumentParser):
    """An argument parser whose errors are exceptions, so that ``main`` reports them as it reports
    every bad input: one line, or one JSON document."""

    def __init__(self, *args: Any, **options: Any) -> None:
        options.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **options)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see: {self.prog} --help)")


class Once(argparse.Action):
    """An option that may be given once: a second value is refused, never silently dropped."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        if getattr(namespace, self.dest, None) not in (None, self.default):
            parser.error(f"{option_string} is given twice; give it once")
        setattr(namespace, self.dest, values)


def add_product(groups: Subcommands, name: str, help: str) -> Subcommands:
    """Add the command group of the product *name*; its commands go in what this returns."""
    product = groups.add_parser(name, help=help, description=help)
    return product.add_subparsers(dest=f"{name}_command", required=True, metavar="COMMAND")


def add_command(
    commands: Subcommands,
    name: str,
    summary: str,
    examples: Sequence[str],
    run: Command,
) -> CommandParser:
    """Add the command *name*: its help says what it does, shows *examples*, and the exit
    statuses."""
    command = commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ("" if summary.endswith("?") else "."),
        epilog="examples:\n"
        + "\n".join(f"  {example}" for example in examples)
        + "\n\n"
        + EXIT_STATUS,
        formatter_class=RawDescriptionFormatter,
    )
    command.set_defaults(command=run)
    return command


def add_inventory_options(command: argparse.ArgumentParser, what: str) -> None:
    """``--from FILE`` (``-`` for standard input) and ``--skip-invalid``."""
    command.add_argument(
        "--from",
        dest="sources",
        action="append",
        default=[],
        metavar="FILE",
        help=f"read {what} from FILE ('-': standard input): one [LABEL=]VERSION, LABEL VERSION or "
        "image reference a line, or kubectl get pods -o json, operator manifests (JSON or YAML), "
        "a CSV with a version column; repeat to add more",
    )
    command.add_argument(
        "--skip-invalid",
        action="store_true",
        help="judge the valid entries and list the invalid ones, instead of stopping at the first",
    )
    command.add_argument(
        "--namespace",
        metavar="NS",
        action=Once,
        help="of the Kubernetes objects read, only those of namespace NS (other entries stay)",
    )
    add_image(command)


def add_image(command: argparse.ArgumentParser) -> None:
    """Add ``--image PRODUCT=REPOSITORY`` to a command that reads image references."""
    command.add_argument(
        "--image",
        action="append",
        default=[],
        metavar="PRODUCT=REPOSITORY",
        help="a mirror of a product's images under another name (ydb=registry.example/db/"
        "ydb-server), read as the product's own; repeat for more",
    )


def add_named(
    groups: Subcommands, name: str, summary: str, names: Sequence[str], run: Command
) -> CommandParser:
    """Add the command *name* with an optional ``NAME`` among *names*; without one it lists
    them (``report_names``)."""
    examples = [f"dbcompat {name}", f"dbcompat {name} {names[0]}"]
    command = add_command(groups, name, summary, examples, run)
    command.add_argument("name", metavar="NAME", nargs="?", choices=names, help=f"which {name}")
    return command


def add_parse(
    commands: Subcommands, product: str, examples: Sequence[str], spellings: str, run: Command
) -> CommandParser:
    """Add ``parse VERSION [--lenient | --strict]`` to a product's commands, running *run*."""
    parse = add_command(
        commands, "parse", f"show the components of a {product} version", examples, run
    )
    parse.add_argument("version", metavar="VERSION", help=f"a {product} version")
    add_strictness(parse, spellings)
    return parse


def add_strictness(parse: argparse.ArgumentParser, spellings: str) -> None:
    """``--lenient`` and ``--strict`` for a product's ``parse``."""
    strictness = parse.add_mutually_exclusive_group()
    strictness.add_argument(
        "--lenient",
        dest="strict",
        action="store_false",
        help=f"also read real-world spellings ({spellings}, surrounding spaces)",
    )
    strictness.add_argument(
        "--strict",
        dest="strict",
        action="store_true",
        help="read the documented grammar only (the default)",
    )
    parse.set_defaults(strict=True)


def add_connection_options(command: argparse.ArgumentParser, *, certificates: bool) -> None:
    """How to reach a server given by its URL: TLS files, verification, the time allowed."""
    if certificates:
        command.add_argument("--cert", metavar="PEM", help="a client certificate (secured server)")
        command.add_argument("--key", metavar="PEM", help="the client certificate's key, if apart")
        command.add_argument(
            "--pfx",
            metavar="FILE",
            help="a client certificate and key as a PKCS#12 bundle (needs dbcompat[pfx]); its "
            "password from --pfx-password-file or $DBCOMPAT_PFX_PASSWORD",
        )
        command.add_argument(
            "--pfx-password-file", metavar="FILE", help="a file holding the PFX bundle's password"
        )
    command.add_argument("--ca", metavar="PEM", help="the CA that signed a self-signed server")
    command.add_argument(
        "--insecure", action="store_true", help="do not verify the server's certificate"
    )
    command.add_argument(
        "--timeout", type=float, default=5.0, metavar="S", help="seconds a server has to answer"
    )


def add_find(commands: Subcommands, product: str, run: Command) -> CommandParser:
    """Add ``find [FILE ...]`` to a product's commands, running *run*."""
    name = product.lower()
    find = add_command(
        commands,
        "find",
        f"print the {product} versions found in text, with file, line and column",
        [
            f"dbcompat {name} find server.log",
            f"kubectl describe pods | dbcompat {name} find --json",
        ],
        run,
    )
    find.add_argument(
        "files", nargs="*", metavar="FILE", help="files to search; none or '-': standard input"
    )
    return find


FORMATS = ("text", "json", "sarif", "junit", "markdown")
"""What ``--format`` may ask for: CI reads JSON, SARIF (code scanning), JUnit XML (test reports)
and Markdown (pull-request comments)."""


def add_format(command: argparse.ArgumentParser) -> None:
    """Add ``--format`` to a command that judges."""
    command.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        action=Once,
        help="text (default), json (as --json), sarif, junit or markdown",
    )


def add_floating(command: argparse.ArgumentParser) -> None:
    """Add ``--floating`` to a command that judges what pinned places name."""
    from ..floating import POLICIES

    command.add_argument(
        "--floating",
        choices=POLICIES,
        default="refuse",
        action=Once,
        help="a pinned place that names no version (latest, nightly, a digest only, no tag, "
        "trunk): refuse it (default), allow it with a warning, or ignore it",
    )


def add_allow_downgrade(command: argparse.ArgumentParser) -> None:
    """Add ``--allow-downgrade`` to a command that judges a RavenDB server's move."""
    command.add_argument(
        "--allow-downgrade",
        action="store_true",
        help="allow a RavenDB server moved down within its line (an emergency rollback), which "
        "RavenDB's own operator refuses",
    )
