"""Plain inventories: a version, or a label and a version, a line, read as the lines come, so
that a list of a million nodes is never held as text.

>>> from dbcompat.ydb.images import IMAGES
>>> entries = read_entries(["# storage", "storage-1 24.4.4.12", "db-2=25.1.4.18", "25.1.4.18"],
...                        name="nodes.txt", images=IMAGES)
>>> [(e.label, e.text) for e in entries]
[('storage-1', '24.4.4.12'), ('db-2', '25.1.4.18'), ('line 4', '25.1.4.18')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO

from ..entries import MAX_LINE, Entry, InvalidEntry
from ..errors import check_many
from ..images import Images
from .references import version_text

__all__ = ["MAX_LINE", "read_entries", "read_lines"]


def read_lines(head: str, stream: TextIO, *, name: str, images: Images) -> Iterator[Entry]:
    """The entries of the plain lines of *head*, then of *stream*, read as they come."""
    return _entries_of_lines(_lines(head, stream), f"{name}, line ", images)


def _lines(head: str, stream: TextIO) -> Iterator[str]:
    """The lines of *head* and then of *stream*, each read no further than ``MAX_LINE``."""
    lines = head.split("\n")
    partial = lines.pop()  # the start of the line the head cuts
    yield from lines
    while True:
        line = partial + stream.readline(MAX_LINE + 1 - len(partial))
        partial = ""
        if not line:
            return
        if len(line) > MAX_LINE:
            raise _LineTooLong
        yield line


class _LineTooLong(Exception):
    """A line of a plain inventory past ``MAX_LINE``: its reader says which line."""


def read_entries(lines: Iterable[str], *, name: str, images: Images) -> Iterator[Entry]:
    """The entries of plain lines, read as they come: ``VERSION``, ``LABEL VERSION``,
    ``LABEL=VERSION`` or an image reference, optionally after a label; blank lines and ``#``
    comments are skipped; an entry without a label is labelled by its line number."""
    lines = check_many(lines, "lines", "an iterable of lines (read_text reads one text)")
    return _entries_of_lines(lines, f"{name}, line ", images)


def _entries_of_lines(lines: Iterable[str], at_line: str, images: Images) -> Iterator[Entry]:
    number = 0
    try:
        for number, raw in enumerate(lines, start=1):
            entry = _line_entry(raw, number, at_line, images)
            if entry is not None:
                yield entry
    except _LineTooLong:
        reason = f"longer than {MAX_LINE:,} characters: not a line of an inventory"
        raise InvalidEntry(reason, f"{at_line}{number + 1}") from None


def _line_entry(raw: str, number: int, at_line: str, images: Images) -> Entry | None:
    """The entry of the line *raw*, the *number*-th; None for a blank line or a comment."""
    where = f"{at_line}{number}"
    if "#" in raw:
        raw = raw[: raw.index("#")]
    if "=" in raw:
        label, _, value = raw.rpartition("=")
        label, value = label.strip(), value.strip()
    else:
        fields = raw.split()
        if not fields:
            return None
        if len(fields) > 2:
            raise InvalidEntry("expected VERSION, LABEL VERSION or LABEL=VERSION", where)
        label, value = fields if len(fields) == 2 else ("", fields[0])
    label = label or f"line {number}"
    return Entry(label, version_text(value, images), where)
