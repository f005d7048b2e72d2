"""Finding YDB versions in free text: log lines, documents, command output."""

from __future__ import annotations

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


def find_all(text: str, *, strict: bool = True) -> Iterator[Found]:
    """Each valid YDB version in *text*, in order, with its position.

    With ``strict=False`` the real-world spellings count too (``v24.3.3``, ``stable-24-3``);
    ``trunk``, which has no version, does not.

    >>> line = "node 3 runs 24.3.11.13, node 4 25.1.4.18-lts."
    >>> [(str(found.version), found.start) for found in find_all(line)]
    [('24.3.11.13', 12), ('25.1.4.18-lts', 31)]
    >>> [str(f.version) for f in find_all("1.24.3.1 and 24.3x and v24.3")]
    []
    """
    if not isinstance(text, str):
        raise TypeError(f"find_all searches a str, not {type(text).__name__}")
    for match in _searcher(strict).finditer(text):
        try:
            version = parse(match.group(), strict=strict)
        except InvalidVersion:  # too long to be a version, or trunk
            continue
        yield Found(version, match.start(), match.end())
