"""What every command group shares: exit statuses, the command shape, and the one JSON contract.

Every command prints text for people, or with ``--json`` exactly one JSON document on stdout,
on success, refusal and bad input alike. The documents' shapes are the JSON Schemas shipped in
``dbcompat/schemas`` (``dbcompat schema NAME``).
"""

from __future__ import annotations

import argparse
import codecs
import functools
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO, NoReturn, TextIO, TypeAlias

from ..answers import Plan, Verdict
from ..errors import InvalidCatalog, InvalidVersion, ServerError
from ..hints import for_people, verdict_for_people
from ..inventory import (
    IMAGES,
    MAX_LINE,
    Entry,
    Images,
    InvalidEntry,
    read_stream,
)

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_NO",
    "EXIT_UNREACHABLE",
    "EXIT_YES",
    "Command",
    "CommandParser",
    "HelpFormatter",
    "Once",
    "RawDescriptionFormatter",
    "Subcommands",
    "UsageError",
    "add_command",
    "add_connection_options",
    "add_find",
    "add_inventory_options",
    "add_named",
    "add_parse",
    "add_product",
    "add_strictness",
    "complain",
    "entries",
    "error_document",
    "first_bad_utf8",
    "given_and_read",
    "inventory",
    "is_url",
    "labelled",
    "not_utf8",
    "print_json",
    "printable",
    "progress",
    "report_found",
    "report_names",
    "report_no_path",
    "report_plan",
    "report_verdict",
    "report_version",
    "say",
    "sources",
]

EXIT_YES = 0
EXIT_NO = 1
EXIT_BAD_INPUT = 2
EXIT_UNREACHABLE = 3

EXIT_STATUS = """exit status:
  0  allowed (or a plan exists, or a report)
  1  refused (or no plan exists)
  2  bad input: a version, a file or an option (one line on stderr; with --json, a JSON error)
  3  a server could not be reached or read (probes only; reported as bad input is)"""

Subcommands: TypeAlias = "argparse._SubParsersAction[CommandParser]"
"""What ``add_subparsers`` returns: where a command group registers its commands."""

Command: TypeAlias = "Callable[[argparse.Namespace], int]"
"""What a command runs: it reads the parsed arguments and returns the exit status."""


class UsageError(Exception):
    """The command line itself is wrong: an unknown option, a missing argument."""


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


def sources(args: argparse.Namespace) -> list[str]:
    """Where the entries of a command come from: its arguments, files, standard input."""
    names = list(args.sources)
    if "-" in (getattr(args, "versions", None) or []):
        names.insert(0, "-")
    named = ["standard input" if name == "-" else name for name in names]
    return (["arguments"] if _positionals(args) else []) + named


def _positionals(args: argparse.Namespace) -> list[str]:
    values: list[str] = getattr(args, "versions", None) or getattr(args, "client", None) or []
    return [value for value in values if value != "-"]


def entries(args: argparse.Namespace, product: str, noun: str) -> Iterator[Entry]:
    """Every entry a command names: its arguments, then each ``--from`` source, as they come."""
    images = IMAGES[product]
    positionals = _positionals(args)
    names = list(args.sources)
    if "-" in (getattr(args, "versions", None) or []):
        names.insert(0, "-")
    yield from (Entry(label, text, "arguments") for label, text in labelled(positionals, noun))
    for name in names:
        yield from _source(name, images)
    if not positionals and not names:
        command = f"dbcompat {product} {getattr(args, f'{product}_command', '')}".rstrip()
        raise UsageError(
            f"no {noun}s: name them as arguments, or with --from FILE ('-': standard input) "
            f"(see: {command} --help)"
        )


def inventory(name: str, product: str) -> list[Entry]:
    """Every entry of the inventory file *name* (``-``: standard input), read whole."""
    return list(_source(name, IMAGES[product]))


def _source(name: str, images: Images) -> Iterator[Entry]:
    """The entries of the file *name* (``-``: standard input), as they are read."""
    try:
        if name == "-":
            yield from read_stream(sys.stdin, name="standard input", images=images)
        else:
            with open(name, encoding="utf-8-sig") as stream:
                yield from read_stream(stream, name=os.path.basename(name), images=images)
    except UnicodeDecodeError as error:
        raise not_utf8(name, error) from None


def not_utf8(name: str, error: UnicodeDecodeError) -> InvalidEntry:
    """The file *name* (``-``: standard input) is not UTF-8 text: where, found by reading a
    regular file again as bytes, since a text stream's error counts from the piece it decoded."""
    shown = "standard input" if name == "-" else os.path.basename(name)
    found = None
    if name != "-" and os.path.isfile(name):
        with open(name, "rb") as raw:
            found = first_bad_utf8(raw)
    if found is None:  # a pipe cannot be read again, and a file may have changed since
        return InvalidEntry(f"not UTF-8 text ({error.reason})", shown)
    line, byte, reason = found
    return InvalidEntry(f"not UTF-8 text (byte {byte}: {reason})", f"{shown}, line {line}")


def first_bad_utf8(raw: BinaryIO, block_size: int = 65536) -> tuple[int, int, str] | None:
    """The line, the byte (both from 1) and the reason of the first bytes of *raw* that are
    not UTF-8, read a block at a time; None if it is all UTF-8.

    >>> import io
    >>> first_bad_utf8(io.BytesIO(b"a 24.4.4.12\\nb \\xff\\n"))
    (2, 15, 'invalid start byte')
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, offset = 1, 0  # the line and the offset where the block starts
    while block := raw.read(block_size):
        held = decoder.getstate()[0]  # the start of a character the last block cut
        try:
            decoder.decode(block)
        except UnicodeDecodeError as bad:
            at = bad.start - len(held)  # negative: in the character the last block cut
            return line + block.count(b"\n", 0, max(at, 0)), offset + at + 1, bad.reason
        line += block.count(b"\n")
        offset += len(block)
    held = decoder.getstate()[0]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as bad:  # the end is inside a character
        return line, offset - len(held) + bad.start + 1, bad.reason
    return None


def progress(items: Iterator[Entry], quiet: bool) -> Iterator[Entry]:
    """*items*, with a count on the terminal while an input takes more than a second."""
    if quiet or not sys.stderr.isatty():
        return items
    return _counted(items)


def _counted(items: Iterator[Entry]) -> Iterator[Entry]:
    start = time.monotonic()
    shown = False
    count = 0
    for count, item in enumerate(items, start=1):
        if count % 4096 == 0 and time.monotonic() - start > 1:  # the clock, not every entry
            print(f"\rread {count:,} entries", end="", file=sys.stderr, flush=True)
            shown = True
        yield item
    if shown:
        print(f"\rread {count:,} entries", file=sys.stderr)


def add_named(
    groups: Subcommands, name: str, summary: str, names: Sequence[str], run: Command
) -> CommandParser:
    """Add the command *name* with an optional ``NAME`` among *names*; without one it lists
    them (``report_names``)."""
    examples = [f"dbcompat {name}", f"dbcompat {name} {names[0]}"]
    command = add_command(groups, name, summary, examples, run)
    command.add_argument("name", metavar="NAME", nargs="?", choices=names, help=f"which {name}")
    return command


def report_names(of: str, names: Sequence[str], as_json: bool) -> int:
    """List *names* (the grammars, the schemas), one a line or as JSON."""
    if as_json:
        print_json({"kind": "names", "of": of, "names": list(names)})
    else:
        for name in names:
            say(name)
    return EXIT_YES


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


def pfx_password(args: argparse.Namespace) -> str | None:
    """The PFX bundle's password: from --pfx-password-file, else $DBCOMPAT_PFX_PASSWORD; never
    from the command line, where other users of the machine could read it."""
    if args.pfx_password_file is None:
        return os.environ.get("DBCOMPAT_PFX_PASSWORD")
    with open(args.pfx_password_file, encoding="utf-8") as stream:
        return stream.read().rstrip("\r\n")


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


def report_found(
    product: str,
    files: list[str],
    as_json: bool,
    find: Callable[[str], Iterable[Any]],
) -> int:
    """Search *files* (standard input for none or ``-``) line by line with *find*; print what it
    finds, and return yes when it found something."""
    found: list[dict[str, Any]] = []
    count = 0
    for label, stream in _texts(files):
        for number, line in enumerate(_lines(stream, label), start=1):
            for each in find(line):
                count += 1
                text = line[each.start : each.end]
                if as_json:
                    found.append(
                        {
                            "file": label,
                            "line": number,
                            "column": each.start + 1,
                            "text": text,
                            "version": str(each.version),
                        }
                    )
                else:
                    say(f"{label}:{number}:{each.start + 1}: {each.version} ({text})")
    if as_json:
        print_json({"kind": "found", "product": product, "count": count, "found": found})
    return EXIT_YES if count else EXIT_NO


def _texts(files: list[str]) -> Iterator[tuple[str, TextIO]]:
    for name in files or ["-"]:
        if name == "-":
            yield "standard input", sys.stdin
        else:
            with open(name, encoding="utf-8", errors="replace") as stream:
                yield name, stream


def _lines(stream: TextIO, label: str) -> Iterator[str]:
    """The lines of *stream*; one past ``MAX_LINE`` characters is bad input, so that a stream
    that never ends a line (``/dev/zero``) stops there rather than fill memory."""
    number = 0
    while line := stream.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE and not line.endswith("\n"):
            reason = f"longer than {MAX_LINE:,} characters: not a line of text"
            raise InvalidEntry(reason, f"{label}, line {number}")
        yield line


def labelled(entries: Iterable[str], name: str) -> list[tuple[str, str]]:
    """``[LABEL=]VERSION`` entries as (label, version text); unlabelled ones are numbered."""
    pairs = []
    for number, entry in enumerate(entries, start=1):
        label, sign, version = entry.rpartition("=")
        pairs.append((label if sign else f"{name} {number}", version))
    return pairs


def is_url(text: str | None) -> bool:
    """Whether a command-line value names a server rather than a version."""
    return text is not None and text.startswith(("http://", "https://"))


def given_and_read(given: str, read: object) -> dict[str, str]:
    """An input as the user gave it and as dbcompat read it."""
    return {"given": given, "read": str(read)}


def printable(text: str) -> str:
    """*text* with every character a terminal would act on escaped as Python writes it: a
    control character (``\\x1b``, ``\\n``), a format character (``\\u202e``), a separator.

    >>> printable("a\\x1b[31mred.txt")
    'a\\\\x1b[31mred.txt'
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def say(text: str) -> None:
    """Print one line of a result on stdout, whatever came from the input escaped."""
    print(printable(text))


def complain(text: str) -> None:
    """Print one line of an error on stderr, whatever came from the input escaped."""
    print(printable(text), file=sys.stderr)


def print_json(data: Any) -> None:
    """Print *data* as one indented JSON document on stdout."""
    import json  # here: a command without --json starts without it

    print(json.dumps(data, indent=2))  # ensure_ascii: JSON escapes every control character


def error_document(error: BaseException) -> dict[str, Any]:
    """The JSON document of a bad input: what kind, which input, where, and the message."""
    kind, given, column = "invalid-input", None, None
    message = for_people(str(error))
    if isinstance(error, InvalidVersion):
        kind, given, column = "invalid-version", error.text, error.column
    elif isinstance(error, InvalidCatalog):
        kind = "invalid-catalog"
    elif isinstance(error, UsageError):
        kind = "usage"
    elif isinstance(error, InvalidEntry):
        kind = "invalid-entry"
    elif isinstance(error, ServerError):
        kind, given = "unreachable-server", error.url
    elif isinstance(error, OSError):
        kind, given, message = "unreadable-file", str(error.filename), describe_os_error(error)
    return {"error": {"kind": kind, "input": given, "column": column, "message": message}}


def describe_os_error(error: OSError) -> str:
    """A file that cannot be read, in one plain sentence."""
    name = os.path.basename(str(error.filename)) if error.filename else "a file"
    reason = (error.strerror or "it cannot be read").lower()
    return f"cannot read {name}: {reason}"


def report_version(product: str, given: str, version: Any, as_json: bool) -> int:
    """Print a version read from *given*: its canonical string and every field."""
    fields = version.as_dict()
    if as_json:
        print_json({"kind": "version", "product": product, "input": given, **fields})
    else:
        for name, value in fields.items():
            say(f"{name}: {'-' if value is None else value}")
    return EXIT_YES


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


def print_report(
    output: str, items: Sequence[Any], problems: Sequence[Any] = (), name: str = "dbcompat"
) -> None:
    """Print *items* (``dbcompat.scan.reports.Item``) as SARIF, JUnit XML or Markdown."""
    from ..scan import reports  # only for these formats: it loads both products' rules

    if output == "sarif":
        import json

        print(json.dumps(reports.sarif(items, problems), indent=2, ensure_ascii=False))
    elif output == "junit":
        sys.stdout.write(reports.junit(items, problems, name))
    else:
        sys.stdout.write(reports.markdown(items, problems))


def rule_help(rule_id: str) -> str:
    """What the rule *rule_id* means, and where to read more: the help every verdict carries."""
    from ..products import rules

    known = rules().get(rule_id)
    meaning = "" if known is None else f"{known[1].meaning} "
    return f"{meaning}More: dbcompat explain {rule_id}"


def verdict_fields(verdict: Verdict) -> dict[str, Any]:
    """A verdict as its JSON document shows it: its fields and its rule's help."""
    return {**verdict.as_dict(), "help": rule_help(verdict.rule)}


def report_verdict(
    verdict: Verdict,
    output: bool | str,
    subject: str,
    document: dict[str, Any],
    checks: Sequence[tuple[str, Verdict]] = (),
    command: str | None = None,
) -> int:
    """Print *verdict* about *subject* and return its exit status. *document* holds what JSON
    shows beside the verdict (the product, the command, the inputs); *checks* are the verdicts a
    combined one stands for, by label. *output* is a format of ``--format``, or True for JSON.
    The verdicts are told in a person's words, *command* (the one to run next) after the
    reason."""
    verdict = verdict_for_people(verdict, command)
    checks = [(label, verdict_for_people(each)) for label, each in checks]
    if output not in (True, False, "text", "json"):
        from ..scan.reports import verdict_items

        print_report(str(output), verdict_items(subject, verdict, checks))
    elif output in (True, "json"):
        body = {"kind": "verdict", **document, **verdict_fields(verdict)}
        if checks:
            body["checks"] = [{"label": label, **each.as_dict()} for label, each in checks]
        print_json(body)
    else:
        say(f"{subject}: {'allowed' if verdict else 'refused'} ({verdict.rule})")
        say(f"  {verdict.reason}")
        for note in verdict.notes:
            say(f"  note: {note}")
        for label, each in checks:
            say(f"  {label}: {'allowed' if each else 'refused'} ({each.rule}): {each.reason}")
    return EXIT_YES if verdict else EXIT_NO


def report_no_path(refusal: Exception, as_json: bool, document: dict[str, Any]) -> int:
    """Print why no plan exists and return the exit status no."""
    if as_json:
        print_json(
            {
                "kind": "plan",
                **document,
                "allowed": False,
                "reason": for_people(str(refusal)),
                "lockstep": False,
                "steps": [],
                "notes": [],
            }
        )
    else:
        say(f"No plan: {for_people(str(refusal)).rstrip('.')}.")
    return EXIT_NO


def report_plan(plan: Plan, as_json: bool, subject: str, document: dict[str, Any]) -> int:
    """Print *plan*, named by *subject*, and return the exit status yes."""
    if as_json:
        print_json({"kind": "plan", **document, "allowed": True, "reason": None, **plan.as_dict()})
        return EXIT_YES
    moves = [step for step in plan if step.from_version != step.to_version]
    say(f"{subject}: nothing to do." if not moves else f"{subject}, in order:")
    if plan.lockstep:
        say("  Lockstep: the server and all clients move to the new major together.")
    for number, step in enumerate(plan, start=1):
        if step.from_version == step.to_version:
            say(f"  {number}. {step.component}: {step.from_version} ({step.reason})")
            continue
        kind = ("required" if step.required else "recommended") + (
            " downgrade" if step.rollback else ""
        )
        move = f"{step.from_version} -> {step.to_version}"
        say(f"  {number}. {step.component}: {move} ({kind}; {step.reason})")
    for note in plan.notes:
        say(f"  note: {note}")
    return EXIT_YES
