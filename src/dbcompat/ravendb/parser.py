"""Reading RavenDB version strings: the grammar ``grammar/ravendb_version.lark``, read by a
transformer whose methods are named after its rules and whose ``from_parts`` builds the
:class:`~dbcompat.ravendb.version.Version` from the text of each rule, whoever matched it.
"""

from __future__ import annotations

import re

from .._reader import Dotted, Grammar, GrammarReader, Pairs, check_text, field, gather, gather_rule
from .._value import set_key
from ..errors import InvalidVersion
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
    dotted = Dotted(2, 4)
    """Two to four dotted numbers (``6.0.105``), most of what is read, read without a regex."""

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


@_READER.front()
def parse(text: str, *, strict: bool = True) -> Version:
    """The RavenDB version that *text* spells. Repeated strings come from a bounded cache.

    With ``strict=False`` the version may also stand in text as servers and tools print it:
    surrounding spaces, a leading ``RavenDB``, a trailing build in parentheses
    (``RavenDB 6.0.105 (60071)``).

    >>> parse("4.1.3-patch-41005")
    <Version('4.1.3-patch-41005')>
    >>> parse(" RavenDB 6.0.105 (60071)\\n", strict=False)
    <Version('6.0.105')>
    >>> parse("5.2.0b1")
    Traceback (most recent call last):
    ...
    dbcompat.errors.InvalidVersion: invalid RavenDB version '5.2.0b1': at column 6, expected ...
    """
    if strict:
        return _READER.parse_with_lark(text)
    check_text(text, PRODUCT)
    match = _IN_TEXT.fullmatch(text)
    start, end = match.span("version") if match else (0, len(text))
    try:
        return _READER.parse(text[start:end])
    except InvalidVersion as error:
        column = None if error.column is None else error.column + start
        raise InvalidVersion(text, error.reason, product=PRODUCT, column=column) from None


# Text around a version as servers print it: spaces, "RavenDB", a build in parentheses.
_IN_TEXT = re.compile(r"\s*(?:[Rr]aven[Dd][Bb]\s+)?(?P<version>.*?)(?:\s*\([0-9]+\))?\s*")


def as_version(value: Version | str) -> Version:
    """*value* itself if it is a Version, else the version it spells.

    >>> as_version("6.0")
    <Version('6.0')>
    """
    if isinstance(value, Version):
        return value
    return parse(value)
