"""What a fleet is made of: entries, each a label, the text of its version, and where it came
from. The inventory's readers make them from files; the rules take them, or plain ``(label,
version)`` pairs, or a mapping of labels to versions.

>>> list(as_entries({"storage-1": "24.4.4.12"}))
[Entry(label='storage-1', text='24.4.4.12', where='', note=None, namespace=None)]
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from .errors import check_many
from .floating import Floating

__all__ = ["MAX_LINE", "Entry", "InvalidEntry", "as_entries"]

MAX_LINE = 2**20
"""The longest line an inventory or a searched text may hold, in characters: a label and a
version, or a comment, are never a mebibyte long; a stream with no line end (``/dev/zero``)
stops there."""


class InvalidEntry(ValueError):
    """An entry of an inventory that names no version: the source, line and label say which."""

    def __init__(self, message: str, where: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


class Entry(NamedTuple):
    """One node, client or object of an inventory: *text* is its version as written (the tag of
    an image), or what floats where an image names none (``dbcompat.floating``); *where* says
    where it came from (``nodes.txt, line 3``), *note* what the reader assumed, if anything, and
    *namespace* the Kubernetes namespace of the object it was read from, if any: objects of
    different namespaces belong to different clusters."""

    label: str
    text: str | Floating
    where: str
    note: str | None = None
    namespace: str | None = None


def as_entries(entries: Iterable[Any]) -> Iterator[Entry]:
    """*entries* as inventory entries, read as they come: entries as they are, ``(label,
    version)`` pairs (anything with a label at index 0 and a version at 1, and maybe ``where``
    and ``note``), or a mapping of labels to versions. A text is never read as a pair of its
    letters.

    >>> list(as_entries([("storage-1", "24.4.4.12")]))
    [Entry(label='storage-1', text='24.4.4.12', where='', note=None, namespace=None)]
    """
    if isinstance(entries, Mapping):  # labels to versions, as RavenDB's clients may be given
        items: Iterable[Any] = entries.items()
    else:
        items = check_many(entries, "the entries", "(label, version) pairs")
    for number, item in enumerate(items, start=1):
        if isinstance(item, Entry):
            yield item
            continue
        check_many(item, f"entry {number}", "a (label, version) pair")
        try:
            label, text = item[0], item[1]
        except IndexError:
            reason = f"{reprlib.repr(item)} is not a (label, version) pair: it holds fewer"
            raise InvalidEntry(reason, f"entry {number}") from None
        except (KeyError, TypeError):
            kind = type(item).__name__
            raise TypeError(f"entry {number} ({kind}) is not a (label, version) pair") from None
        yield Entry(label, text, getattr(item, "where", ""), getattr(item, "note", None))
