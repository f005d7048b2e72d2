"""What the commands read besides their arguments: entries from ``--from`` files and standard
input, the lines of files to search, and the passwords a probe needs.

>>> labelled(["api=5.4", "6.0"], "client")
[('api', '5.4'), ('client 2', '6.0')]
"""

from __future__ import annotations

import argparse
import codecs
import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, BinaryIO, TextIO

from ..entries import MAX_LINE, Entry, InvalidEntry
from ..errors import without_password
from .contract import UsageError

if TYPE_CHECKING:
    from ..images import Images

__all__ = [
    "entries",
    "first_bad_utf8",
    "given_and_read",
    "inventory",
    "is_url",
    "labelled",
    "lines_of",
    "not_utf8",
    "pfx_password",
    "progress",
    "sources",
]


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
    from ..inventory import IMAGES  # here: only the commands that read inventories need it

    images = IMAGES[product]
    positionals = _positionals(args)
    names = list(args.sources)
    if "-" in (getattr(args, "versions", None) or []):
        names.insert(0, "-")
    yield from (Entry(label, text, "arguments") for label, text in labelled(positionals, noun))
    only = args.namespace
    for name in names:
        for entry in _source(name, images):
            if only is None or entry.namespace in (None, only):
                yield entry
    if not positionals and not names:
        command = f"dbcompat {product} {getattr(args, f'{product}_command', '')}".rstrip()
        raise UsageError(
            f"no {noun}s: name them as arguments, or with --from FILE ('-': standard input) "
            f"(see: {command} --help)"
        )


def inventory(name: str, product: str) -> list[Entry]:
    """Every entry of the inventory file *name* (``-``: standard input), read whole."""
    from ..inventory import IMAGES

    return list(_source(name, IMAGES[product]))


def _source(name: str, images: Images) -> Iterator[Entry]:
    """The entries of the file *name* (``-``: standard input), as they are read."""
    from ..inventory import read_stream

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


def pfx_password(args: argparse.Namespace) -> str | None:
    """The PFX bundle's password: from --pfx-password-file, else $DBCOMPAT_PFX_PASSWORD; never
    from the command line, where other users of the machine could read it."""
    if args.pfx_password_file is None:
        return os.environ.get("DBCOMPAT_PFX_PASSWORD")
    with open(args.pfx_password_file, encoding="utf-8") as stream:
        return stream.read().rstrip("\r\n")


def lines_of(files: list[str]) -> Iterator[tuple[str, int, str]]:
    """Each line of *files* (standard input for none or ``-``), with its file and number, as
    the files are read."""
    for label, stream in _texts(files):
        for number, line in enumerate(_lines(stream, label), start=1):
            yield label, number, line


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
    return text is not None and text.lower().startswith(("http://", "https://"))


def given_and_read(given: str, read: object) -> dict[str, str]:
    """An input as the user gave it (a URL without its password) and as dbcompat read it."""
    return {"given": without_password(given), "read": str(read)}
