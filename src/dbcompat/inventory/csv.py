"""CSV inventories: a header that names a ``version`` column, and a label column where one is
called ``label``, ``name``, ``node`` or ``host``.

>>> from dbcompat.ydb.images import IMAGES
>>> [tuple(e) for e in read_csv("host,version\\nstorage-1,24.4.4.12\\n", "i.csv", IMAGES)]
[('storage-1', '24.4.4.12', 'i.csv, line 2', None, None)]
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from ..entries import Entry, InvalidEntry
from ..images import Images
from .references import version_text

__all__ = ["is_csv", "read_csv"]


def is_csv(text: str) -> bool:
    """Whether *text* opens with a CSV header that names a ``version`` column."""
    first = text.split("\n", 1)[0]
    return "," in first and "version" in {cell.strip().lower() for cell in first.split(",")}


def read_csv(text: str, name: str, images: Images) -> Iterator[Entry]:
    """The entries of the CSV *text*, read from the file *name*."""
    rows = csv.reader(text.splitlines())
    try:
        header = [cell.strip().lower() for cell in next(rows)]
        column = header.index("version")
        labels = [header.index(key) for key in ("label", "name", "node", "host") if key in header]
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            where = f"{name}, line {number}"
            if len(row) <= column:
                raise InvalidEntry("the row has no version column", where)
            label = row[labels[0]].strip() if labels and len(row) > labels[0] else f"line {number}"
            value = row[column].strip()
            yield Entry(label, version_text(value, images), where)
    except csv.Error as error:  # a field past the csv module's limit, a NUL: not a traceback
        raise InvalidEntry(f"not a CSV row: {error}", f"{name}, line {rows.line_num}") from None
