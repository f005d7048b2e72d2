"""Reading YDB version strings: the grammar in ``grammar/ydb_version.lark`` and a Lark
``Transformer`` that turns what it matches into a :class:`~dbcompat.ydb.version.Version`.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from .._grammar import GrammarParser, check_text
from .version import ReleaseType, Version

__all__ = ["VersionBuilder", "parse"]

Field = tuple[str, Any]


class VersionBuilder(Transformer[Token, Any]):
    """Builds a :class:`Version` from ``valid_version``; a method for each rule, named after it.

    The leaf rules give ``(field, value)`` pairs, the rules above them gather those into the
    keyword arguments of the Version.
    """

    def year(self, tokens: list[Token]) -> Field:
        return ("year", int(tokens[0]))

    def major(self, tokens: list[Token]) -> Field:
        return ("major", int(tokens[0]))

    def minor(self, tokens: list[Token]) -> Field:
        return ("minor", int(tokens[0]))

    def patch(self, tokens: list[Token]) -> Field:
        return ("patch", int(tokens[0]))

    def version_type(self, tokens: list[Token]) -> Field:
        return ("release_type", ReleaseType(tokens[0].value))

    def version_core(self, fields: list[Field]) -> dict[str, Any]:
        return dict(fields)

    def valid_version(self, parts: list[Any]) -> Version:
        core, *release_type = parts
        return Version._create(**core, **dict(release_type))


_BNF = GrammarParser[Version]("ydb_version", "valid_version", VersionBuilder, "YDB")


def parse(text: str, *, strict: bool = True) -> Version:
    """The YDB version that *text* spells.

    Strict (the default) reads exactly the language of the documented BNF.

    >>> parse("24.3.14.2-lts")
    Version('24.3.14.2-lts')
    >>> parse("24.3 ")
    Traceback (most recent call last):
    ...
    dbcompat.errors.InvalidVersion: invalid YDB version '24.3 ': at column 5, expected ...
    """
    check_text(text, "YDB")
    return _BNF.parse(text)
