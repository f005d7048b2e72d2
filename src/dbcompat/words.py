"""Sentences that count and sentences that go on: a count and its noun, the noun in the plural
unless the count is one; and a sentence that goes on after a colon, in lower case.

>>> counted(1, "version"), counted(3, "entry", "entries"), counted(1_200, "file")
('1 version', '3 entries', '1,200 files')
>>> go_on("Majors go one at a time."), go_on("YDB refuses it."), go_on("RavenDB 6.0 ...")
('majors go one at a time.', 'YDB refuses it.', 'RavenDB 6.0 ...')
>>> refused_of("move")(1, 3, "a"), refused_of("cluster")(2, 2, "a, b")
('1 of 3 moves is refused (a)', '2 of 2 clusters are refused (a, b)')
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["counted", "go_on", "refused_of"]


def counted(count: int, noun: str, many: str | None = None) -> str:
    """*count* (with thousands separators) and *noun*, or *many* (``noun + "s"`` unless given)
    when the count is not one."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def go_on(sentence: str) -> str:
    """*sentence* where it goes on after a colon: its first letter in lower case, unless its
    first word is a name (``YDB``, ``RavenDB``: a capital inside it)."""
    word = sentence.split(" ", 1)[0]
    if word[1:] != word[1:].lower():
        return sentence
    return sentence[:1].lower() + sentence[1:]


def refused_of(noun: str) -> Callable[[int, int, str], str]:
    """What ``answers.combine`` says of *count* refused among *total* things named *noun*, with
    the *labels* refused."""

    def said(count: int, total: int, labels: str) -> str:
        verb = "is" if count == 1 else "are"
        return f"{count:,} of {counted(total, noun)} {verb} refused ({labels})"

    return said
