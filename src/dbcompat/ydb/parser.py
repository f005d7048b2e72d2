"""Reading YDB version strings: the grammar in ``grammar/ydb_version.lark`` and a Lark
``Transformer`` that turns what it matches into a :class:`~dbcompat.ydb.version.Version`.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from .._grammar import GrammarParser, check_text, number_field
from ..errors import DevelopmentBuild
from .version import ReleaseType, Version

__all__ = ["ReleaseBuilder", "VersionBuilder", "as_version", "parse"]

Field = tuple[str, Any]


class VersionBuilder(Transformer[Token, Any]):
    """Builds a :class:`Version` from ``valid_version``; a method for each rule, named after it.

    The leaf rules give ``(field, value)`` pairs, the rules above them gather those into the
    keyword arguments of the Version.
    """

    year = number_field("year")
    major = number_field("major")
    minor = number_field("minor")
    patch = number_field("patch")

    def version_type(self, tokens: list[Token]) -> Field:
        return ("release_type", ReleaseType(tokens[0].value))

    def version_core(self, fields: list[Field]) -> dict[str, Any]:
        return dict(fields)

    def valid_version(self, parts: list[Any]) -> Version:
        core, *release_type = parts
        return Version._create(**core, **dict(release_type))


class ReleaseBuilder(VersionBuilder):
    """Builds a :class:`Version` from ``release``: the real-world spellings of ydb_release.lark."""

    def release(self, parts: list[Any]) -> Version | None:
        # A display prefix, when present, comes first and says nothing.
        result: Version | None = parts[-1]
        return result

    def candidate(self, parts: list[dict[str, Any]]) -> Version:
        return Version._create(**parts[0], release_candidate=True)

    def enterprise(self, fields: list[Field]) -> Version:
        return Version._create(**dict(fields), enterprise=True)

    def branch(self, parts: list[Any]) -> Version:
        # The branch kind (stable-, prestable-) is a Token; every other part is a field.
        return Version._create(**dict(part for part in parts if not isinstance(part, Token)))

    def hotfix(self, tokens: list[Token]) -> Field:
        return ("hotfix", int(tokens[0]) if tokens else 0)

    def development(self, _: list[Token]) -> None:
        return None


_BNF = GrammarParser[Version]("ydb_version", "valid_version", VersionBuilder, "YDB")
_RELEASE = GrammarParser[Version | None]("ydb_release", "release", ReleaseBuilder, "YDB")


def parse(text: str, *, strict: bool = True) -> Version:
    """The YDB version that *text* spells.

    Strict (the default) reads exactly the language of the documented BNF. With ``strict=False``
    it also reads the spellings of ``grammar/ydb_release.lark``: display prefixes, release
    candidates, enterprise builds, branch and tag names. ``trunk`` is recognised there and refused
    with :class:`~dbcompat.errors.DevelopmentBuild`, since a development build has no version.

    >>> parse("24.3.14.2-lts")
    Version('24.3.14.2-lts')
    >>> parse("v.25.1.3.2", strict=False), parse("stable-23-1-1-hotfix-7", strict=False).hotfix
    (Version('25.1.3.2'), 7)
    >>> parse("24.3 ")
    Traceback (most recent call last):
    ...
    dbcompat.errors.InvalidVersion: invalid YDB version '24.3 ': at column 5, expected ...
    """
    check_text(text, "YDB")
    if strict:
        return _BNF.parse(text)
    version = _RELEASE.parse(text)
    if version is None:
        raise DevelopmentBuild(text, "YDB")
    return version


def as_version(value: Version | str) -> Version:
    """*value* itself if it is a Version, else the version it spells in any known spelling.

    The rules accept either, and convert here, at their boundary.

    >>> as_version("stable-24-3")
    Version('24.3')
    """
    if isinstance(value, Version):
        return value
    return parse(value, strict=False)
