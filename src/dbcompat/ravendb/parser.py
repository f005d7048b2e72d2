"""Reading RavenDB version strings: the grammar ``grammar/ravendb_version.lark``, whose parts
:func:`from_parts` builds into a :class:`~dbcompat.ravendb.version.Version`, whether the
generated regular expression or Lark (``dbcompat.ravendb.transformers``) read them.
"""

from __future__ import annotations

import functools
import re

from .._value import with_key
from ..errors import InvalidVersion
from ..reading.grammars import Grammar
from ..reading.reader import Reader, check_text
from .version import FINAL, PRERELEASES, PRODUCT, STAGES, Stage, Version

__all__ = ["GRAMMARS", "as_version", "from_parts", "parse"]


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
    """The Version whose parts read as these texts, named as the grammar names its rules and
    terminals. The grammar has checked every part: numbers are ASCII digits.

    >>> from_parts("4", "1", "0", PRERELEASE_STAGE="RC", stage_build="41000")
    <Version('4.1.0-rc-41000')>
    """
    numbers = (
        int(major),
        int(minor),
        -1 if patch is None else int(patch),
        -1 if build is None else int(build),
    )
    if PRERELEASE_STAGE is not None:
        stage: Stage | None = PRERELEASES[PRERELEASE_STAGE.lower()]
    elif PATCH_STAGE is not None:
        stage = Stage.PATCH
    elif HOTFIX_STAGE is not None:
        stage = Stage.HOTFIX
    elif NIGHTLY_DATE is not None:
        stage = Stage.NIGHTLY
    else:
        return with_key(Version, (*numbers, FINAL))
    rest = (
        STAGES.index(stage),
        -1 if stage_number is None else int(stage_number),
        -1 if stage_build is None else int(stage_build),
        "" if NIGHTLY_DATE is None else f"{NIGHTLY_DATE}-{NIGHTLY_TIME}",
    )
    return with_key(Version, (*numbers, rest))


GRAMMARS = (
    Grammar(
        "ravendb_version", "version", from_parts, "dbcompat.ravendb.transformers.TreeToVersion"
    ),
)
"""The grammar RavenDB versions are read with."""

_READER: Reader[Version] = Reader(GRAMMARS[0], PRODUCT)


def parse(text: str, *, strict: bool = True) -> Version:
    """The RavenDB version that *text* spells. Repeated strings come from a bounded cache.

    With ``strict=False`` the version may also stand in text as servers, tools and image tags
    write it: surrounding spaces, a leading ``RavenDB`` or ``v``, a trailing build in parentheses
    (``RavenDB 6.0.105 (60071)``), and the platform of a published image
    (``7.1.3-ubuntu.22.04-x64``, ``6.0-ubuntu-latest``: the line 6.0).

    >>> parse("4.1.3-patch-41005")
    <Version('4.1.3-patch-41005')>
    >>> parse(" RavenDB 6.0.105 (60071)\\n", strict=False), parse("v5.4.110", strict=False)
    (<Version('6.0.105')>, <Version('5.4.110')>)
    >>> parse("7.1.3-ubuntu.22.04-x64", strict=False), parse("6.0-ubuntu-latest", strict=False)
    (<Version('7.1.3')>, <Version('6.0')>)
    >>> parse("5.2.0b1")
    Traceback (most recent call last):
    ...
    dbcompat.errors.InvalidVersion: invalid RavenDB version '5.2.0b1': at column 6, expected ...
    """
    if strict:
        return _READER.parse(text)
    check_text(text, PRODUCT)
    match = _IN_TEXT.fullmatch(text)
    start, end = match.span("version") if match else (0, len(text))
    published = _published().fullmatch(text, start, end)
    if published is not None:  # a version, then the platform of an image: 6.0-ubuntu-latest
        end = published.end("version")
    try:
        return _READER.parse(text[start:end])
    except InvalidVersion as error:
        column = None if error.column is None else error.column + start
        raise InvalidVersion(text, error.reason, product=PRODUCT, column=column) from None


# Text around a version as servers print it: spaces, "RavenDB" or "v", a build in parentheses.
_IN_TEXT = re.compile(
    r"\s*(?:[Rr]aven[Dd][Bb]\s+|[vV](?=[0-9]))?(?P<version>.*?)(?:\s*\([0-9]+\))?\s*"
)


@functools.cache
def _published() -> re.Pattern[str]:
    """A published image's tag: a version, then its platform (``-ubuntu.22.04-x64``,
    ``-windows-ltsc2022``, ``-ubuntu-latest``); the version as the grammar's own regular
    expression reads it, so that no suffix of the version is taken for a platform."""
    return re.compile(rf"(?P<version>{_READER.regex.pattern})(?:-[A-Za-z].*)?", re.ASCII)


def version_of_tag(tag: str) -> str | None:
    """The version a published image's tag names, as written; None for a tag that names none
    (``latest``, ``ubuntu-latest``).

    >>> version_of_tag("5.4.110-ubuntu.22.04-x64"), version_of_tag("latest")
    ('5.4.110', None)
    """
    match = _published().fullmatch(tag)
    return tag[: match.end("version")] if match else None


def as_version(value: Version | str) -> Version:
    """*value* itself if it is a Version, else the version it spells, read as the tags
    operators copy from manifests are (``parse(value, strict=False)``).

    >>> as_version("6.0"), as_version("7.1.3-ubuntu.22.04-x64")
    (<Version('6.0')>, <Version('7.1.3')>)
    """
    if isinstance(value, Version):
        return value
    return parse(value, strict=False)
