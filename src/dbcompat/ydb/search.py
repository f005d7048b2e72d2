"""Finding YDB versions in free text: log lines, documents, command output."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from ..errors import InvalidVersion
from ..grammars import grammar_regex
from .parser import parse
from .version import Version

__all__ = ["Found", "find_all"]


class Found(NamedTuple):
    """A version found in a text, and where: ``text[start:end]`` spells it."""

    version: Version
    start: int
    end: int


@functools.cache
def _searcher(strict: bool) -> re.Pattern[str]:
    pattern = grammar_regex("ydb_version" if strict else "ydb_release").pattern
    # A version must not be glued to a letter, digit or dot before it, nor to a letter or digit
    # after it, nor to a "." or "-" that goes on with one ("24.3.x", "24.3-LTS"); a full stop
    # ending a sentence is fine.
    return re.compile(rf"(?<![\w.])(?:{pattern})(?!\w|[.-]\w)")


# Day, month and year: DD.MM.YY, DD.MM.YYYY, and D.M.YYYY with a year of this century or the last.
_DATE = re.compile(
    r"(?:0[1-9]|[12][0-9]|3[01])\.(?:0[1-9]|1[0-2])\.(?:[0-9]{2}|[0-9]{4})"
    r"|(?:0?[1-9]|[12][0-9]|3[01])\.(?:0?[1-9]|1[0-2])\.(?:19|20)[0-9]{2}"
)
_DOTTED_FOUR = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")
_ADDRESS_AFTER = re.compile(r"[:/][0-9]")
_NUMBER_BEFORE = re.compile(r"[0-9][-:/]")
FOUR_NUMBERS_SINCE = 24
"""The first year whose releases carry a fourth number (24.3.11.13): four dotted numbers of an
earlier year are not a YDB release, whatever else they are (an IPv4 address, 10.2.3.4)."""


def _not_a_version(text: str, match: re.Match[str], version: Version, latest_year: int) -> bool:
    """Whether the versions-shaped *match* is something else: a date, an address, a number."""
    found = match.group()
    if version.year > latest_year:  # no release is named after a year to come
        return True
    if _DATE.fullmatch(found):
        return True
    start, end = match.span()
    if _NUMBER_BEFORE.fullmatch(text, max(start - 2, 0), start):
        return True  # the end of a longer number: 09:20:11.0042, 2026-05-12, 1/25.1

    if _DOTTED_FOUR.fullmatch(found):
        if version.year < FOUR_NUMBERS_SINCE:
            return True
        if _ADDRESS_AFTER.match(text, end) or text[max(start - 2, 0) : start] == "//":
            return True  # a host with a port, a network with its prefix length, a URL's host
    return False


def find_all(text: str, *, strict: bool = True, latest_year: int | None = None) -> Iterator[Found]:
    """Each valid YDB version in *text*, in order, with its position.

    With ``strict=False`` the real-world spellings count too (``v24.3.3``, ``stable-24-3``);
    ``trunk``, which has no version, does not. What only looks like a version is skipped: a date
    (``27.07.26``, ``25.12.2025``), four dotted numbers of a year before 24, when YDB releases got
    their fourth number (an IPv4 address such as ``10.2.3.4``), four dotted numbers followed by a
    port or a prefix length (``25.1.3.2:2135``, ``25.1.3.2/24``) or after ``//``, the end of a
    longer number (the seconds of ``09:20:11.0042``, the ``05-12`` of ``2026-05-12``), and anything
    named after a year past *latest_year* (the last two digits; by default, next year's).

    >>> line = "node 3 runs 24.3.11.13, node 4 25.1.4.18-lts."
    >>> [(str(found.version), found.start) for found in find_all(line)]
    [('24.3.11.13', 12), ('25.1.4.18-lts', 31)]
    >>> [str(f.version) for f in find_all("1.24.3.1 and 24.3x and v24.3")]
    []
    >>> log = "| v.26.1.1.22 | 27.07.26 | 10.2.3.4:2135 |"
    >>> [str(f.version) for f in find_all(log, strict=False)]
    ['26.1.1.22']
    """
    if not isinstance(text, str):
        raise TypeError(f"find_all searches a str, not {type(text).__name__}")
    if latest_year is None:
        latest_year = (datetime.date.today().year + 1) % 100
    for match in _searcher(strict).finditer(text):
        try:
            version = parse(match.group(), strict=strict)
        except InvalidVersion:  # too long to be a version, or trunk
            continue
        if not _not_a_version(text, match, version, latest_year):
            yield Found(version, match.start(), match.end())
