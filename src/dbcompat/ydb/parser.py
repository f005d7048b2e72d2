"""Reading YDB version strings: the grammars ``grammar/ydb_version.lark`` (the documented BNF)
and ``grammar/ydb_release.lark`` (real-world spellings), whose parts :func:`from_parts` builds
into a :class:`~dbcompat.ydb.version.Version`, whether the generated regular expression or Lark
(``dbcompat.ydb.transformers``) read them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

from .._value import set_key
from ..errors import DevelopmentBuild, InvalidVersion, check_many
from ..reading.grammars import Grammar
from ..reading.reader import MAX_VERSION_LENGTH, MISSING, Reader, check_text
from .version import PLAIN, PRODUCT, ReleaseType, Version

__all__ = [
    "GRAMMARS",
    "as_version",
    "as_versions",
    "distinct",
    "from_parts",
    "from_version_parts",
    "is_development",
    "parse",
    "parse_quietly",
]

_RANKS: dict[str | None, int] = {None: 0, **{kind.value: kind.rank for kind in ReleaseType}}
"""The rank of the release type each suffix names (``lts``), and 0 for none."""

_TAILS = {word: (*PLAIN[:2], rank, *PLAIN[3:]) if word else PLAIN for word, rank in _RANKS.items()}
"""The rest of the key of a version with nothing but a release type: shared, made once."""


def from_version_parts(
    year: str,
    major: str,
    minor: str | None = None,
    patch: str | None = None,
    version_type: str | None = None,
) -> Version:
    """The Version of a ``valid_version`` of the documented BNF, from the text of its parts, by
    the names of their rules. The grammar has checked them: numbers are ASCII digits.

    >>> from_version_parts("24", "03", "14", version_type="lts")
    <Version('24.3.14-lts')>
    """
    version = object.__new__(Version)  # the grammar checked the parts: no constructor's checks
    set_key(
        version,
        (
            int(year),
            int(major),
            -1 if minor is None else int(minor),
            -1 if patch is None else int(patch),
            _TAILS[version_type],
        ),
    )
    return version


def from_parts(
    year: str | None = None,
    major: str | None = None,
    minor: str | None = None,
    patch: str | None = None,
    version_type: str | None = None,
    CANDIDATE: str | None = None,  # noqa: N803 (the grammars' terminals)
    CANDIDATE_NUMBER: str | None = None,  # noqa: N803
    ENTERPRISE: str | None = None,  # noqa: N803
    HOTFIX: str | None = None,  # noqa: N803
    HOTFIX_NUMBER: str | None = None,  # noqa: N803
    HOTFIX_BRANCH: str | None = None,  # noqa: N803
    REBUILD: str | None = None,  # noqa: N803
    DEVELOPMENT: str | None = None,  # noqa: N803
    COMMIT: str | None = None,  # noqa: N803
) -> Version | None:
    """The Version of a ``release`` of every known spelling, from the text of its parts, named
    as the grammar names its rules and terminals; None for a development build (``trunk``),
    which has no version. The grammar has checked every part: numbers are ASCII digits, words
    are the grammar's own.

    >>> from_parts("24", "03", "14", version_type="lts")
    <Version('24.3.14-lts')>
    >>> from_parts("23", "1", "1", HOTFIX="hotfix", HOTFIX_NUMBER="7").hotfix
    7
    """
    if DEVELOPMENT is not None or year is None or major is None:
        return None  # a development build (trunk) has no version
    if CANDIDATE is None and ENTERPRISE is None and HOTFIX is None and HOTFIX_BRANCH is None:
        if REBUILD is None and COMMIT is None:  # what the documented BNF spells too
            return from_version_parts(year, major, minor, patch, version_type)
        rest: tuple[int, int, int, int, int, str, str, str] = (
            -1,
            1,
            0,
            0,
            -1,
            REBUILD or "",
            "",
            COMMIT or "",
        )
    else:
        hotfix = HOTFIX is not None or HOTFIX_BRANCH is not None
        rest = (
            int(HOTFIX_NUMBER or 1) if hotfix else -1,  # as YDB reads it: the word alone is 1
            0 if CANDIDATE is not None else 1,
            _RANKS[version_type],
            0 if ENTERPRISE is None else 1,
            -1 if CANDIDATE_NUMBER is None else int(CANDIDATE_NUMBER),
            REBUILD or "",
            "" if HOTFIX_BRANCH is None else HOTFIX_BRANCH[len("-hotfix") :],
            COMMIT or "",
        )
    key = (
        int(year),
        int(major),
        -1 if minor is None else int(minor),
        -1 if patch is None else int(patch),
        rest,
    )
    version = object.__new__(Version)  # the grammar checked the parts: no constructor's checks
    set_key(version, key)
    return version


GRAMMARS = (
    Grammar(
        "ydb_version",
        "valid_version",
        from_version_parts,
        "dbcompat.ydb.transformers.TreeToVersion",
    ),
    Grammar("ydb_release", "release", from_parts, "dbcompat.ydb.transformers.TreeToRelease"),
)
"""The grammars YDB versions are read with: the documented BNF, then every known spelling."""

_STRICT: Reader[Version] = Reader(GRAMMARS[0], PRODUCT)
_LENIENT: Reader[Version | None] = Reader(GRAMMARS[1], PRODUCT, first=_STRICT, plain=True)


def parse(text: str, *, strict: bool = True) -> Version:
    """The YDB version that *text* spells.

    Strict (the default) reads exactly the language of the documented BNF. With ``strict=False``
    it also reads the spellings of ``grammar/ydb_release.lark``: display prefixes, release
    candidates, enterprise builds, branch and tag names, in any case of ASCII letters and with
    surrounding white space. ``trunk`` is recognised there and refused with
    :class:`~dbcompat.errors.DevelopmentBuild`, since a development build has no version.
    Repeated strings are answered from a bounded cache. A strict error says when lenient reading
    would accept the text.

    >>> parse("24.3.14.2-lts")
    <Version('24.3.14.2-lts')>
    >>> parse("v.25.1.3.2", strict=False), parse("stable-23-1-1-hotfix-7", strict=False).hotfix
    (<Version('25.1.3.2')>, 7)
    >>> parse(" V24.3.3\\n", strict=False), parse("25.1.2.7-RC", strict=False)
    (<Version('24.3.3')>, <Version('25.1.2.7-rc')>)
    >>> parse("24.3 ")
    Traceback (most recent call last):
    ...
    dbcompat.errors.InvalidVersion: invalid YDB version '24.3 ': at column 5, expected ...
    """
    if strict:
        try:
            return _STRICT.parse(text)
        except InvalidVersion as error:
            raise _hinted(error, strict=True) from None
    try:
        version = _LENIENT.parse(text)
    except InvalidVersion as error:
        raise _hinted(error, strict=False) from None
    if version is None:
        raise DevelopmentBuild(text, PRODUCT)
    return version


def parse_quietly(text: str) -> Version | None:
    """The version *text* spells as ``parse(text, strict=False)`` reads it, or None where that
    would raise: without asking the grammar why, which costs ten times a reading.

    >>> parse_quietly(" V24.3.3"), parse_quietly("x24"), parse_quietly("trunk")
    (<Version('24.3.3')>, None, None)
    """
    try:
        version = _LENIENT.read(text)
    except (InvalidVersion, TypeError):  # too long, or not a str
        return None
    return None if version is MISSING else version  # type: ignore[return-value]


def is_development(text: object) -> bool:
    """Whether *text* names a development build (``trunk``, ``main.b7cfb36``): one that
    ``parse(text, strict=False)`` refuses with DevelopmentBuild, for it has no version.

    >>> is_development("main.b7cfb36"), is_development("24.4.4.12"), is_development("x24")
    (True, False, False)
    """
    if not isinstance(text, str):
        return False
    try:
        return _LENIENT.read(text) is None
    except (InvalidVersion, TypeError):  # too long
        return False


_FOUR_DIGIT_YEAR = re.compile(r"\s*[vV]?\.?(?:19|20)[0-9]{2}[.-]")


def _hinted(error: InvalidVersion, *, strict: bool) -> InvalidVersion:
    """*error*, saying what the user most likely meant, where that is known."""
    hints = []
    if error.text.lstrip().lower().startswith(("nbs/", "releases/nbs/")):
        hints.append("nbs/ names another application, YDB's network block store, not YDB")
    if _FOUR_DIGIT_YEAR.match(error.text):
        hints.append("the year has two digits (24, not 2024)")
    # The lenient regex alone can tell: no need to ask the lenient grammar why.
    if strict and len(error.text) <= MAX_VERSION_LENGTH:
        lenient = _LENIENT.read(error.text)
        if lenient is not None and lenient is not MISSING:
            hints.append("this real-world spelling is read leniently (strict=False)")
    if not hints:
        return error
    reason = f"{error.reason}; {'; '.join(hints)}"
    return InvalidVersion(error.text, reason, product=PRODUCT, column=error.column)


def as_version(value: Version | str) -> Version:
    """*value* itself if it is a Version, else the version it spells in any known spelling.

    The rules accept either, and convert here, at their boundary.

    >>> as_version("stable-24-3")
    <Version('24.3')>
    """
    if isinstance(value, Version):
        return value
    return parse(value, strict=False)


def as_versions(values: Iterable[Version | str]) -> list[Version]:
    """``as_version`` of each of *values*, in order; one str is refused, never read a letter at
    a time.

    >>> as_versions(["24.3.14.2", "v.25.1.3.2", Version(24, 4)])
    [<Version('24.3.14.2')>, <Version('25.1.3.2')>, <Version('24.4')>]
    """
    values = check_many(values, "values", "an iterable of YDB versions")
    return [v if isinstance(v, Version) else parse(v, strict=False) for v in values]


def distinct(values: Iterable[Any]) -> dict[Any, None]:
    """*values* once each, in their order: what a rule reads of many, each distinct text once.
    A value that cannot be hashed (a list) gets the TypeError any value that is neither a str
    nor a Version gets, naming its type, not the hash's complaint.

    >>> list(distinct(["24.4.4.12", "25.1.4.18", "24.4.4.12"]))
    ['24.4.4.12', '25.1.4.18']
    >>> distinct(["24.4.4.12", ["25.1"]])
    Traceback (most recent call last):
    ...
    TypeError: a YDB version must be a str, not list
    """
    values = values if isinstance(values, Collection) else list(values)
    try:
        return dict.fromkeys(values)
    except TypeError:
        for value in values:
            if not isinstance(value, Version):
                check_text(value, PRODUCT)
        raise
