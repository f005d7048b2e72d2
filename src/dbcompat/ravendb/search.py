"""Finding RavenDB versions in free text: server logs, package lists, headers."""

from __future__ import annotations

from collections.abc import Iterator

from ..reading.search import TWO_NUMBERS, Found, search, searcher
from .parser import parse
from .rules import NEWEST_KNOWN
from .version import Version

__all__ = ["Found", "find_all"]

MAJORS_AHEAD = 3
"""How many majors past the newest known a found version may be: further is a number that is not
a RavenDB version (an IPv4 address, 10.2.3.4), not a release to come."""


def find_all(text: str) -> Iterator[Found[Version]]:
    """Each RavenDB version in *text*, in order, with its position. Skipped: dates, addresses,
    the ends of longer numbers, majors more than three past the newest known, and four numbers
    whose fourth is not a server build of the first two (a build starts with the major and minor:
    ``4.1.9.41023``, ``4.2.5.42``), which ``10.244.1.17`` is not; and two bare numbers before a
    unit (``took 5.4 ms``), which are a measure.

    >>> log = "RavenDB 6.0.105 (60071) on 10.2.3.9:8080, 10.244.1.17, 4.1.9.41023, 31.12.2025"
    >>> [str(found.version) for found in find_all(log)]
    ['6.0.105', '4.1.9.41023']
    """

    def keep(found: str, version: Version) -> bool:
        if version.major > NEWEST_KNOWN[0] + MAJORS_AHEAD:
            return False
        if version.major == 0 and TWO_NUMBERS.fullmatch(found):
            return False  # RavenDB began at 1.0: "load 0.75" is a measure
        return version.build is None or str(version.build).startswith(
            f"{version.major}{version.minor}"
        )

    return search(text, searcher("ravendb_version"), parse, keep)
