"""Versions where operators keep them: lists of nodes, container images, Kubernetes manifests,
``kubectl get pods -o json``, CSV inventories. Each becomes a stream of
:class:`~dbcompat.entries.Entry`: a label, the version's text, and where it came from.

The reader recognises the format by content: plain lines (:mod:`.lines`), read as they stream;
Kubernetes objects in JSON or YAML (:mod:`.kubernetes`) and CSV (:mod:`.csv`), read whole.
YAML needs PyYAML (``pip install 'dbcompat[yaml]'``).

>>> entries = read_text("storage-1 24.4.4.12\\ndb-2=25.1.4.18\\n", name="nodes.txt",
...                     images=IMAGES["ydb"])
>>> [(e.label, e.text, e.where) for e in entries]
[('storage-1', '24.4.4.12', 'nodes.txt, line 1'), ('db-2', '25.1.4.18', 'nodes.txt, line 2')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO

from ..entries import Entry, InvalidEntry, as_entries
from ..images import Images
from ..products import images, operator_kinds
from .csv import is_csv, read_csv
from .kubernetes import POD_KINDS, read_json, read_objects, read_yaml
from .lines import MAX_LINE, read_entries, read_lines
from .references import version_text

__all__ = [
    "IMAGES",
    "MAX_LINE",
    "OBJECT_KINDS",
    "POD_KINDS",
    "Entry",
    "Images",
    "InvalidEntry",
    "as_entries",
    "read_entries",
    "read_objects",
    "read_stream",
    "read_text",
    "version_text",
]

IMAGES = images()
"""Each product's images, by the product's module name."""

OBJECT_KINDS = frozenset({*operator_kinds(), *POD_KINDS})
"""Every kind of Kubernetes object whose versions the readers find."""

_HEAD = 65536
"""How much of a stream tells its format."""


def read_stream(stream: TextIO, *, name: str, images: Images) -> Iterator[Entry]:
    """The entries of an open text file or standard input: plain lines are read as they come,
    a structured inventory (JSON, YAML, CSV) whole."""
    head = stream.read(_HEAD).removeprefix("\ufeff")
    if len(head) < _HEAD or _structured(head):
        return read_text(head + stream.read(), name=name, images=images)
    return read_lines(head, stream, name=name, images=images)


def read_text(text: str, *, name: str, images: Images) -> Iterator[Entry]:
    """The entries of an inventory held as one text, its format recognised by content."""
    text = text.removeprefix("\ufeff")
    head = text.lstrip()[:1]
    if head in ("{", "["):
        return read_json(text, name, images)
    if _is_yaml(text):
        return read_yaml(text, name, images)
    if is_csv(text):
        return read_csv(text, name, images)
    return read_entries(text.splitlines(), name=name, images=images)


def _is_yaml(text: str) -> bool:
    return re.search(r"^(?:apiVersion|kind)\s*:", text, re.MULTILINE) is not None


def _structured(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[") or _is_yaml(text) or is_csv(text)
