"""What finding versions in free text shares across products: the searcher built from a grammar,
and the shapes that only look like versions (dates, addresses, the end of a longer number)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Generic, NamedTuple, TypeVar

from .errors import InvalidVersion
from .grammars import grammar_regex

__all__ = ["DOTTED_FOUR", "Found", "looks_like_something_else", "search", "searcher"]

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
    ("24.3.x", "24.3-LTS"); a full stop ending a sentence is fine."""
    return re.compile(rf"(?<![\w.])(?:{grammar_regex(grammar).pattern})(?!\w|[.-]\w)")


# Day, month and year: DD.MM.YY, DD.MM.YYYY, and D.M.YYYY with a year of this century or the last.
_DATE = re.compile(
    r"(?:0[1-9]|[12][0-9]|3[01])\.(?:0[1-9]|1[0-2])\.(?:[0-9]{2}|[0-9]{4})"
    r"|(?:0?[1-9]|[12][0-9]|3[01])\.(?:0?[1-9]|1[0-2])\.(?:19|20)[0-9]{2}"
)
DOTTED_FOUR = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")
_ADDRESS_AFTER = re.compile(r"[:/][0-9]")
_NUMBER_BEFORE = re.compile(r"[0-9][-:/]")


def looks_like_something_else(text: str, match: re.Match[str]) -> bool:
    """Whether a version-shaped *match* in *text* is a date (``27.07.26``), a host with a port or
    a network with its prefix (``10.2.3.4:2135``, ``10.0.0.0/8``), a URL's host, or the end of a
    longer number (the seconds of ``09:20:11.0042``, the ``05-12`` of ``2026-05-12``)."""
    start, end = match.span()
    if start > 1 and _NUMBER_BEFORE.fullmatch(text, start - 2, start):
        return True
    found = match.group()
    # Counting dots is cheaper than a regex, and most versions found have no date's or an
    # address's shape at all.
    dots = found.count(".")
    if dots == 2:
        return _DATE.fullmatch(found) is not None
    if dots == 3 and DOTTED_FOUR.fullmatch(found):
        return bool(_ADDRESS_AFTER.match(text, end)) or text[max(start - 2, 0) : start] == "//"
    return False


def search(
    text: str,
    pattern: re.Pattern[str],
    read: Callable[[str], V],
    keep: Callable[[re.Match[str], V], bool],
) -> Iterator[Found[V]]:
    """Each match of *pattern* in *text* that *read* reads and *keep* keeps, with its place."""
    if not isinstance(text, str):
        raise TypeError(f"a search needs a str, not {type(text).__name__}")
    for match in pattern.finditer(text):
        try:
            version = read(match.group())
        except InvalidVersion:  # too long to be a version, or a development build
            continue
        if keep(match, version):
            start, end = match.span()
            yield Found(version, start, end)
