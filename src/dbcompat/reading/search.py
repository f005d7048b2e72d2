"""What finding versions in free text shares across products: the searcher built from a grammar,
and the shapes that only look like versions (dates, addresses, the end of a longer number)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Generic, NamedTuple, TypeVar

from ..errors import InvalidVersion
from .grammars import grammar_regex

__all__ = [
    "DOTTED_FOUR",
    "MEMO_SIZE",
    "TWO_NUMBERS",
    "Found",
    "is_address",
    "is_date",
    "is_measure",
    "search",
    "searcher",
]

V = TypeVar("V")


class Found(NamedTuple, Generic[V]):
    """A version found in a text, and where: ``text[start:end]`` spells it."""

    version: V
    start: int
    end: int


@functools.cache
def searcher(grammar: str) -> re.Pattern[str]:
    """The grammar's regex, for a search: a version must not be glued to a letter, digit or dot
    before it, nor to a letter or digit after it, nor to a "." or "-" that goes on with one
    ("24.3.x", "24.3-LTS"); a full stop ending a sentence is fine. Nor may it end a longer
    number: the seconds of ``09:20:11.0042``, the ``05-12`` of ``2026-05-12``."""
    return re.compile(
        rf"(?<![\w.])(?<![0-9][-:/])(?:{grammar_regex(grammar).pattern})(?!\w|[.-]\w)"
    )


# Day, month and year: DD.MM.YY, DD.MM.YYYY, and D.M.YYYY with a year of this century or the last.
_DATE = re.compile(
    r"(?:0[1-9]|[12][0-9]|3[01])\.(?:0[1-9]|1[0-2])\.(?:[0-9]{2}|[0-9]{4})"
    r"|(?:0?[1-9]|[12][0-9]|3[01])\.(?:0?[1-9]|1[0-2])\.(?:19|20)[0-9]{2}"
)
DOTTED_FOUR = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")
TWO_NUMBERS = re.compile(r"[0-9]+\.[0-9]+")
"""Two bare numbers (``24.3``, ``12.345``): a version's shape, and a measure's."""
# A measure's unit after two numbers: a duration, a share, a size, a rate, a factor.
_UNIT = re.compile(
    r"\s*(?:%|(?:ms|s|sec|secs|seconds?|us|µs|ns|min|minutes?|h|hours?|x|[KMGTP]i?B|B|bytes"
    r"|rps|qps|ops|req/s|/s)(?![\w/]))",
    re.IGNORECASE,
)

# A NamedTuple's own constructor is a Python function: a log may hold millions of finds.
new_found = tuple.__new__
_AFTER_ADDRESS = frozenset(":/")  # what follows a host before its port, a network before its prefix

MEMO_SIZE = 65536
"""How many distinct texts a search remembers its decision for: a log names few versions often."""


def is_date(found: str) -> bool:
    """Whether a version-shaped text is a date (``27.07.26``, ``25.12.2025``)."""
    # Counting dots is cheaper than a regex, and most versions found have no date's shape.
    return found.count(".") == 2 and _DATE.fullmatch(found) is not None


def is_address(text: str, start: int, end: int) -> bool:
    """Whether four dotted numbers at ``text[start:end]`` are a host with a port or a network
    with its prefix (``10.2.3.4:2135``, ``10.0.0.0/8``), or a URL's host."""
    # Slices, not a regex: most four-part YDB versions pass through here.
    after = text[end : end + 2]
    if after[:1] in (":", "/") and "0" <= after[1:] <= "9":
        return True
    return start >= 2 and text[start - 2 : start] == "//"


def is_measure(text: str, end: int) -> bool:
    """Whether two bare numbers ending at *end* in *text* are a measure: a unit follows them
    (``12.345 ms``, ``22.5%``, ``24.1 GiB``, ``25.2 rps``).

    >>> line = "took 23.4 ms; YDB 24.3 (see 25.1)"
    >>> [is_measure(line, at + 4) for at in (5, 18, 28)]
    [True, False, False]
    """
    return _UNIT.match(text, end) is not None


def search(
    text: str,
    pattern: re.Pattern[str],
    read: Callable[[str], V],
    keep: Callable[[str, V], bool],
) -> Iterator[Found[V]]:
    """Each match of *pattern* in *text* that *read* reads and *keep* keeps (given the matched
    text and its version), with its place; four dotted numbers before a port or a prefix length,
    or after ``//``, are addresses, and two bare numbers before a unit are a measure: both are
    skipped.

    What a text reads as and whether it is kept is decided once per distinct text: in a log,
    the same few versions come back on line after line.
    """
    if not isinstance(text, str):
        raise TypeError(f"a search needs a str, not {type(text).__name__}")
    # A decision: the version to yield, whether its shape could be an address, whether it is two
    # bare numbers (a measure's shape too), or None.
    memo: dict[str, tuple[V, bool, bool] | None] = {}
    for match in pattern.finditer(text):
        found = match.group()
        try:
            decision = memo[found]
        except KeyError:
            decision = _decide(found, read, keep)
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[found] = decision
        if decision is None:
            continue
        version, address_shaped, bare = decision
        start, end = match.span()
        if bare and is_measure(text, end):
            continue
        # is_address, its first question asked here: most four-part versions stand before
        # neither a port nor a prefix length, and a call costs as much as the question.
        if (
            address_shaped
            and (text[end : end + 1] in _AFTER_ADDRESS or text[start - 2 : start] == "//")
            and is_address(text, start, end)
        ):
            continue
        yield new_found(Found, (version, start, end))


def _decide(
    found: str, read: Callable[[str], V], keep: Callable[[str, V], bool]
) -> tuple[V, bool, bool] | None:
    try:
        version = read(found)
    except InvalidVersion:  # too long to be a version, or a development build
        return None
    if is_date(found) or not keep(found, version):
        return None
    address_shaped = found.count(".") == 3 and DOTTED_FOUR.fullmatch(found) is not None
    return version, address_shaped, TWO_NUMBERS.fullmatch(found) is not None
