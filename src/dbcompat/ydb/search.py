"""Finding YDB versions in free text: log lines, documents, command output."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator

from ..reading.search import DOTTED_FOUR, TWO_NUMBERS, Found, search, searcher
from .parser import parse
from .version import Version

__all__ = ["FIRST_YEAR", "FOUR_NUMBERS_SINCE", "Found", "find_all"]

FIRST_YEAR = 22
"""The year of YDB's first public release: two bare numbers of an earlier year (``12.345``,
``0.75``) are a measure, a ratio or a load in a log, not a YDB version."""

FOUR_NUMBERS_SINCE = 24
"""The first year whose releases carry a fourth number (24.3.11.13): four dotted numbers of an
earlier year are not a YDB release, whatever else they are (an IPv4 address, 10.2.3.4)."""


def find_all(
    text: str, *, strict: bool = True, latest_year: int | None = None
) -> Iterator[Found[Version]]:
    """Each valid YDB version in *text*, in order, with its position.

    With ``strict=False`` the real-world spellings count too (``v24.3.3``, ``stable-24-3``);
    ``trunk``, which has no version, does not. What only looks like a version is skipped: a date
    (``27.07.26``, ``25.12.2025``), four dotted numbers of a year before 24, when YDB releases got
    their fourth number (an IPv4 address such as ``10.2.3.4``), four dotted numbers followed by a
    port or a prefix length (``25.1.3.2:2135``, ``25.1.3.2/24``) or after ``//``, the end of a
    longer number (the seconds of ``09:20:11.0042``, the ``05-12`` of ``2026-05-12``), anything
    named after a year past *latest_year* (the last two digits; by default, next year's), and two
    bare numbers that are a measure: of a year before YDB's first release (``took 12.345``,
    ``load 0.75``) or before a unit (``23.4 ms``, ``22.5%``, ``24.1 GiB``).

    >>> line = "node 3 runs 24.3.11.13, node 4 25.1.4.18-lts."
    >>> [(str(found.version), found.start) for found in find_all(line)]
    [('24.3.11.13', 12), ('25.1.4.18-lts', 31)]
    >>> [str(f.version) for f in find_all("1.24.3.1 and 24.3x and v24.3")]
    []
    >>> log = "| v.26.1.1.22 | 27.07.26 | 10.2.3.4:2135 |"
    >>> [str(f.version) for f in find_all(log, strict=False)]
    ['26.1.1.22']
    >>> [str(f.version) for f in find_all("query took 12.345 ms on YDB 24.3")]
    ['24.3']
    """
    if latest_year is None:
        latest_year = (datetime.date.today().year + 1) % 100
    year_limit = latest_year

    def keep(found: str, version: Version) -> bool:
        if version.year > year_limit:
            return False
        if version.year < FIRST_YEAR and TWO_NUMBERS.fullmatch(found):
            return False
        return version.year >= FOUR_NUMBERS_SINCE or not DOTTED_FOUR.fullmatch(found)

    pattern = searcher("ydb_version" if strict else "ydb_release")
    # A search skips what does not read, so the strict reader serves it without parse's hints.
    read = functools.partial(parse, strict=bool(strict))
    return search(text, pattern, read, keep)
