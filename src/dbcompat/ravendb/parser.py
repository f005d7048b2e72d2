"""Reading RavenDB version strings: the grammar ``grammar/ravendb_version.lark`` and a class whose
methods are named after its rules; Lark uses it as its ``Transformer``, and its ``from_parts`` makes
the :class:`~dbcompat.ravendb.version.Version` from the text of each rule, whoever matched it.
"""

from __future__ import annotations

from .._grammar import GrammarParser, Pairs, field, gather
from .._value import ABSENT, key_number, set_key
from .version import STAGE_RANKS, Version

__all__ = ["VersionRules", "as_version", "parse"]

new = object.__new__


class VersionRules:
    """The rules of ``ravendb_version.lark``: each gives the ``(rule, text)`` pairs beneath it,
    and ``version`` builds the Version."""

    major = field("major")
    minor = field("minor")
    patch = field("patch")
    build = field("build")
    stage_number = field("stage_number")
    stage_build = field("stage_build")

    def prerelease(self, parts: list[object]) -> Pairs:
        stage, *numbers = parts
        return [("PRERELEASE_STAGE", str(stage)), *gather(numbers)]

    def patch_build(self, parts: list[Pairs]) -> Pairs:
        return [("patch_build", "patch"), *gather(parts)]

    def hotfix(self, _: list[str]) -> Pairs:
        return [("hotfix", "Hotfix")]

    def nightly(self, tokens: list[str]) -> Pairs:
        date, time = tokens
        return [("NIGHTLY_DATE", str(date)), ("NIGHTLY_TIME", str(time))]

    def version(self, parts: list[Pairs]) -> Version:
        return self.from_parts(**dict(gather(parts)))

    @staticmethod
    def from_parts(
        major: str,
        minor: str,
        patch: str | None = None,
        build: str | None = None,
        PRERELEASE_STAGE: str | None = None,  # noqa: N803 (the grammar's terminal)
        stage_number: str | None = None,
        stage_build: str | None = None,
        patch_build: str | None = None,
        hotfix: str | None = None,
        NIGHTLY_DATE: str | None = None,  # noqa: N803
        NIGHTLY_TIME: str | None = None,  # noqa: N803
    ) -> Version:
        """The Version of a version, from the text of its parts."""
        if PRERELEASE_STAGE is not None:
            stage: str | None = PRERELEASE_STAGE.lower()
        elif patch_build is not None:
            stage = "patch"
        elif hotfix is not None:
            stage = "hotfix"
        elif NIGHTLY_DATE is not None:
            stage = "nightly"
        else:
            stage = None
        version = new(Version)
        set_key(
            version,
            (
                int(major),
                int(minor),
                key_number(patch),
                key_number(build),
                STAGE_RANKS[stage],
                key_number(stage_number),
                key_number(stage_build),
                ABSENT if NIGHTLY_DATE is None else int(f"{NIGHTLY_DATE}{NIGHTLY_TIME}"),
            ),
        )
        return version


_GRAMMAR = GrammarParser[Version]("ravendb_version", "version", VersionRules, "RavenDB")


def parse(text: str) -> Version:
    """The RavenDB version that *text* spells. Repeated strings come from a bounded cache.

    >>> parse("4.1.3-patch-41005")
    Version('4.1.3-patch-41005')
    >>> parse("5.2.0b1")
    Traceback (most recent call last):
    ...
    dbcompat.errors.InvalidVersion: invalid RavenDB version '5.2.0b1': at column 6, expected ...
    """
    return _GRAMMAR.parse(text)


def as_version(value: Version | str) -> Version:
    """*value* itself if it is a Version, else the version it spells.

    >>> as_version("6.0")
    Version('6.0')
    """
    if isinstance(value, Version):
        return value
    return parse(value)
