"""Reading YDB version strings: the grammars ``grammar/ydb_version.lark`` (the documented BNF)
and ``grammar/ydb_release.lark`` (real-world spellings), each read by a transformer whose
methods are named after the grammar's rules and whose ``from_parts`` builds the
:class:`~dbcompat.ydb.version.Version` from the text of each rule, whoever matched it.
"""

from __future__ import annotations

import functools

from .._reader import Grammar, GrammarReader, Pairs, field, gather, gather_rule
from .._value import FromText
from ..errors import DevelopmentBuild
from .version import KEY, PRODUCT, RELEASE_TYPES, Version

__all__ = ["GRAMMARS", "TreeToRelease", "TreeToVersion", "as_version", "parse"]


class _VersionCore:
    """The rules of ``ydb_version.lark`` below ``valid_version``, which both grammars read: each
    gives the ``(rule, text)`` pairs beneath it."""

    year = field("year")
    major = field("major")
    minor = field("minor")
    patch = field("patch")
    version_type = field("version_type")
    version_core = gather_rule


class TreeToVersion(_VersionCore):
    """Transforms a tree of ``ydb_version.lark`` (the documented BNF) into a Version."""

    def valid_version(self, parts: list[Pairs]) -> Version:
        return self.from_parts(**dict(gather(parts)))

    from_parts = staticmethod(
        KEY.builder(
            Version,
            ("year", "major", "minor", "patch", "version_type"),
            year=FromText("year"),
            major=FromText("major"),
            minor=FromText("minor"),
            patch=FromText("patch"),
            hotfix=None,
            release_candidate=False,
            release_type=FromText("version_type", RELEASE_TYPES),
            enterprise=False,
        )
    )
    """Builds the Version of a valid_version straight from the text of its parts."""


class TreeToRelease(_VersionCore):
    """Transforms a tree of ``ydb_release.lark`` (every known spelling) into a Version, or None
    for a development build."""

    valid_version = candidate = enterprise = branch = hotfix = development = gather_rule

    def release(self, parts: list[object]) -> Version | None:
        return self.from_parts(**dict(gather(parts)))

    @staticmethod
    def from_parts(
        year: str | None = None,
        major: str | None = None,
        minor: str | None = None,
        patch: str | None = None,
        version_type: str | None = None,
        CANDIDATE: str | None = None,  # noqa: N803 (the grammar's terminals)
        ENTERPRISE: str | None = None,  # noqa: N803
        HOTFIX: str | None = None,  # noqa: N803
        HOTFIX_NUMBER: str | None = None,  # noqa: N803
        DEVELOPMENT: str | None = None,  # noqa: N803
    ) -> Version | None:
        """The Version a release spelling names; None for a development build (trunk)."""
        if DEVELOPMENT is not None or year is None or major is None:
            return None
        return Version._from_key(
            KEY.encode(
                int(year),
                int(major),
                None if minor is None else int(minor),
                None if patch is None else int(patch),
                None if HOTFIX is None else int(HOTFIX_NUMBER or 0),
                CANDIDATE is not None,
                RELEASE_TYPES[version_type],
                ENTERPRISE is not None,
            )
        )


GRAMMARS = (
    Grammar("ydb_version", "valid_version", TreeToVersion),
    Grammar("ydb_release", "release", TreeToRelease),
)
"""The grammars YDB versions are read with: the documented BNF, then every known spelling."""

_STRICT = GrammarReader[Version](GRAMMARS[0], PRODUCT)


@functools.cache
def _lenient() -> GrammarReader[Version | None]:
    # Built on first use: a program that reads only documented versions never compiles it.
    return GrammarReader[Version | None](GRAMMARS[1], PRODUCT)


def parse(text: str, *, strict: bool = True) -> Version:
    """The YDB version that *text* spells.

    Strict (the default) reads exactly the language of the documented BNF. With ``strict=False``
    it also reads the spellings of ``grammar/ydb_release.lark``: display prefixes, release
    candidates, enterprise builds, branch and tag names. ``trunk`` is recognised there and refused
    with :class:`~dbcompat.errors.DevelopmentBuild`, since a development build has no version.
    Repeated strings are answered from a bounded cache.

    >>> parse("24.3.14.2-lts")
    <Version('24.3.14.2-lts')>
    >>> parse("v.25.1.3.2", strict=False), parse("stable-23-1-1-hotfix-7", strict=False).hotfix
    (<Version('25.1.3.2')>, 7)
    >>> parse("24.3 ")
    Traceback (most recent call last):
    ...
    dbcompat.errors.InvalidVersion: invalid YDB version '24.3 ': at column 5, expected ...
    """
    if strict:
        return _STRICT.parse(text)
    version = _lenient().parse(text)
    if version is None:
        raise DevelopmentBuild(text, PRODUCT)
    return version


def as_version(value: Version | str) -> Version:
    """*value* itself if it is a Version, else the version it spells in any known spelling.

    The rules accept either, and convert here, at their boundary.

    >>> as_version("stable-24-3")
    <Version('24.3')>
    """
    if isinstance(value, Version):
        return value
    return parse(value, strict=False)
