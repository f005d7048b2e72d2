"""Reading RavenDB version strings: the grammar ``grammar/ravendb_version.lark``, read by a
transformer whose methods are named after its rules and whose ``from_parts`` builds the
:class:`~dbcompat.ravendb.version.Version` from the text of each rule, whoever matched it.
"""

from __future__ import annotations

from .._reader import Grammar, GrammarReader, Pairs, field, gather, gather_rule
from .._value import set_key
from .version import KEY, PRERELEASES, PRODUCT, Stage, Version

__all__ = ["GRAMMARS", "TreeToVersion", "as_version", "parse"]

new = object.__new__


class TreeToVersion:
    """Transforms a tree of ``ravendb_version.lark`` into a Version: each method gives the
    ``(rule, text)`` pairs beneath it, and ``version`` builds."""

    major = field("major")
    minor = field("minor")
    patch = field("patch")
    build = field("build")
    stage_number = field("stage_number")
    stage_build = field("stage_build")
    prerelease = patch_build = hotfix = nightly = gather_rule

    def version(self, parts: list[Pairs]) -> Version:
        return self.from_parts(**dict(gather(parts)))

    @staticmethod
    def from_parts(
        major: str,
        minor: str,
        patch: str | None = None,
        build: str | None = None,
        PRERELEASE_STAGE: str | None = None,  # noqa: N803 (the grammar's terminals)
        stage_number: str | None = None,
        stage_build: str | None = None,
        PATCH_STAGE: str | None = None,  # noqa: N803
        HOTFIX_STAGE: str | None = None,  # noqa: N803
        NIGHTLY_DATE: str | None = None,  # noqa: N803
        NIGHTLY_TIME: str | None = None,  # noqa: N803
    ) -> Version:
        """The Version of a version, from the text of its parts."""
        nightly = None
        if PRERELEASE_STAGE is not None:
            stage: Stage | None = PRERELEASES[PRERELEASE_STAGE.lower()]
        elif PATCH_STAGE is not None:
            stage = Stage.PATCH
        elif HOTFIX_STAGE is not None:
            stage = Stage.HOTFIX
        elif NIGHTLY_DATE is not None:
            stage, nightly = Stage.NIGHTLY, f"{NIGHTLY_DATE}-{NIGHTLY_TIME}"
        else:
            stage = None
        version = new(Version)
        set_key(
            version,
            KEY.encode(
                int(major),
                int(minor),
                None if patch is None else int(patch),
                None if build is None else int(build),
                stage,
                None if stage_number is None else int(stage_number),
                None if stage_build is None else int(stage_build),
                nightly,
            ),
        )
        return version


GRAMMARS = (Grammar("ravendb_version", "version", TreeToVersion),)
"""The grammar RavenDB versions are read with."""

_READER = GrammarReader[Version](GRAMMARS[0], PRODUCT)


def parse(text: str) -> Version:
    """The RavenDB version that *text* spells. Repeated strings come from a bounded cache.

    >>> parse("4.1.3-patch-41005")
    <Version('4.1.3-patch-41005')>
    >>> parse("5.2.0b1")
    Traceback (most recent call last):
    ...
    dbcompat.errors.InvalidVersion: invalid RavenDB version '5.2.0b1': at column 6, expected ...
    """
    return _READER.parse(text)


def as_version(value: Version | str) -> Version:
    """*value* itself if it is a Version, else the version it spells.

    >>> as_version("6.0")
    <Version('6.0')>
    """
    if isinstance(value, Version):
        return value
    return parse(value)
