"""Reading RavenDB version strings: the grammar in ``grammar/ravendb_version.lark`` and a Lark
``Transformer`` that turns what it matches into a :class:`~dbcompat.ravendb.version.Version`.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from .._grammar import GrammarParser, check_text, number_field
from .version import Stage, Version

__all__ = ["VersionBuilder", "as_version", "parse"]

Field = tuple[str, Any]


class VersionBuilder(Transformer[Token, Any]):
    """Builds a :class:`Version` from ``version``; a method for each rule, named after it.

    The rules below ``version`` give ``(field, value)`` pairs, which it gathers into the Version.
    """

    major = number_field("major")
    minor = number_field("minor")
    patch = number_field("patch")
    build = number_field("build")
    stage_number = number_field("stage_number")
    stage_build = number_field("stage_build")

    def prerelease(self, parts: list[Any]) -> list[Field]:
        stage, *numbers = parts
        return [("stage", Stage(stage.lower())), *numbers]

    def patch_build(self, parts: list[Field]) -> list[Field]:
        return [("stage", Stage.PATCH), *parts]

    def hotfix(self, _: list[Token]) -> list[Field]:
        return [("stage", Stage.HOTFIX)]

    def nightly(self, tokens: list[Token]) -> list[Field]:
        date, time = tokens
        return [("stage", Stage.NIGHTLY), ("nightly", f"{date}-{time}")]

    def version(self, parts: list[Any]) -> Version:
        fields: dict[str, Any] = {}
        for part in parts:
            # A suffix gives a list of fields; a number, one.
            fields.update(part if isinstance(part, list) else [part])
        return Version._create(**fields)


_GRAMMAR = GrammarParser[Version]("ravendb_version", "version", VersionBuilder, "RavenDB")


def parse(text: str) -> Version:
    """The RavenDB version that *text* spells.

    >>> parse("4.1.3-patch-41005")
    Version('4.1.3-patch-41005')
    >>> parse("5.2.0b1")
    Traceback (most recent call last):
    ...
    dbcompat.errors.InvalidVersion: invalid RavenDB version '5.2.0b1': at column 6, expected ...
    """
    check_text(text, "RavenDB")
    return _GRAMMAR.parse(text)


def as_version(value: Version | str) -> Version:
    """*value* itself if it is a Version, else the version it spells.

    >>> as_version("6.0")
    Version('6.0')
    """
    if isinstance(value, Version):
        return value
    return parse(value)
