"""Reading YDB version strings: the grammars ``grammar/ydb_version.lark`` (the documented BNF)
and ``grammar/ydb_release.lark`` (real-world spellings), each read by a transformer whose
methods are named after the grammar's rules and whose ``from_parts`` builds the
:class:`~dbcompat.ydb.version.Version` from the text of each rule, whoever matched it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Iterable
from typing import Any

from .._reader import (
    MAX_VERSION_LENGTH,
    Dotted,
    Grammar,
    GrammarReader,
    Missing,
    Pairs,
    check_text,
    field,
    gather,
    gather_rule,
)
from .._value import FromText
from ..errors import DevelopmentBuild, InvalidVersion, check_many
from .version import KEY, PRODUCT, RELEASE_TYPES, Version

__all__ = [
    "GRAMMARS",
    "TreeToRelease",
    "TreeToVersion",
    "as_version",
    "as_versions",
    "distinct",
    "parse",
    "parse_quietly",
]


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
            candidate_number=None,
            rebuild=None,
            hotfix_branch=None,
            commit=None,
        )
    )
    """Builds the Version of a valid_version straight from the text of its parts."""

    dotted = Dotted(
        2,
        4,
        first_digits=2,
        suffixes={word: {"version_type": word} for word in RELEASE_TYPES if word is not None},
    )
    """Two to four dotted numbers (``24.3.14.2``), the year two digits, and a release type
    (``-lts``): most of what is read, and read without a regex."""


class TreeToRelease(_VersionCore):
    """Transforms a tree of ``ydb_release.lark`` (every known spelling) into a Version, or None
    for a development build."""

    valid_version = candidate = enterprise = built = build_core = node_build = gather_rule
    branch = hotfix = development = gather_rule
    # Dotted numbers read the same in both grammars (the tests prove it), and most text is them;
    # so do a bare release candidate, a display prefix and a branch's dashed numbers.
    dotted = TreeToVersion.dotted._replace(
        suffixes={**TreeToVersion.dotted.suffixes, "rc": {"CANDIDATE": "rc"}},
        # The display prefixes and the branch kinds: v24.3.1, stable-24-3-1.
        prefixes={"v.": ".", "v": ".", "stable-": "-", "prestable-": "-", "ydb-stable-": "-"},
    )

    def release(self, parts: list[object]) -> Version | None:
        return self.from_parts(**dict(gather(parts)))

    from_parts = staticmethod(
        KEY.builder(
            Version,
            # The grammar's rules and terminals that the regex captures.
            (
                "year",
                "major",
                "minor",
                "patch",
                "version_type",
                "CANDIDATE",
                "CANDIDATE_NUMBER",
                "ENTERPRISE",
                "HOTFIX",
                "HOTFIX_NUMBER",
                "HOTFIX_BRANCH",
                "REBUILD",
                "DEVELOPMENT",
                "COMMIT",
            ),
            none_if=("DEVELOPMENT",),  # a development build has no version
            year=FromText("year"),
            major=FromText("major"),
            minor=FromText("minor"),
            patch=FromText("patch"),
            hotfix=FromText("HOTFIX_NUMBER", when=("HOTFIX", "HOTFIX_BRANCH"), default="0"),
            release_candidate=FromText("CANDIDATE", {None: False, "rc": True}),
            release_type=FromText("version_type", RELEASE_TYPES),
            enterprise=FromText("ENTERPRISE", {None: False, "ent": True}),
            candidate_number=FromText("CANDIDATE_NUMBER"),
            rebuild=FromText("REBUILD", convert=str),
            hotfix_branch=FromText("HOTFIX_BRANCH", convert=lambda text: text[len("-hotfix") :]),
            commit=FromText("COMMIT", convert=str),
        )
    )
    """The Version a release spelling names, built straight from the text of its parts; None
    for a development build (trunk, main.b7cfb36)."""


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


@_STRICT.front(lenient=_lenient)
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
            return _STRICT.parse_with_lark(text)
        except InvalidVersion as error:
            raise _hinted(error, strict=True) from None
    # The decorator has read the text as it stands: what reaches here needs its white space and
    # case undone, is refused, or is a development build.
    version = _read_plainly(_lenient(), check_text(text, PRODUCT))
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
        reader = _lenient()
        version = reader.quick(text)
        if isinstance(version, Missing):
            version = reader.quick(text.strip().translate(_ASCII_LOWER))
    except (InvalidVersion, TypeError, AttributeError):  # too long, or not a str
        return None
    return None if isinstance(version, Missing) else version


def _read_plainly(reader: GrammarReader[Version | None], text: str) -> Version | None:
    """*text* read without its surrounding white space and in lower case, as lenient reading
    does; an error points at the column of *text* itself."""
    stripped = text.strip()
    offset = len(text) - len(text.lstrip())
    plain = stripped.translate(_ASCII_LOWER)
    version = reader.quick(plain)
    if not isinstance(version, Missing):
        return version
    try:
        return reader.parse(plain)
    except InvalidVersion as error:
        column = None if error.column is None else error.column + offset
        moved = InvalidVersion(text, error.reason, product=PRODUCT, column=column)
        raise _hinted(moved, strict=False) from None


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_FOUR_DIGIT_YEAR = re.compile(r"\s*[vV]?\.?(?:19|20)[0-9]{2}[.-]")


def _hinted(error: InvalidVersion, *, strict: bool) -> InvalidVersion:
    """*error*, saying what the user most likely meant, where that is known."""
    hints = []
    if _FOUR_DIGIT_YEAR.match(error.text):
        hints.append("the year has two digits (24, not 2024)")
    # The lenient regex alone can tell: no need to ask the lenient grammar why.
    if strict and len(error.text) <= MAX_VERSION_LENGTH:
        lenient = _lenient().quick(error.text.strip().translate(_ASCII_LOWER))
        if lenient is not None and not isinstance(lenient, Missing):
            hints.append("this real-world spelling is read leniently (strict=False, --lenient)")
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
    """``as_version`` of each of *values*, in order: for a million at once, one call each, not
    the three that ``as_version`` and ``parse(text, strict=False)`` take between them.

    >>> as_versions(["24.3.14.2", "v.25.1.3.2", Version(24, 4)])
    [<Version('24.3.14.2')>, <Version('25.1.3.2')>, <Version('24.4')>]
    """
    values = check_many(values, "values", "an iterable of YDB versions")
    values = values if isinstance(values, Collection) else list(values)
    try:
        return list(map(_read_leniently(), values))
    except TypeError:  # a Version among them, which only as_version lets through
        return list(map(as_version, values))


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


@functools.cache
def _read_leniently() -> Callable[[str], Version]:
    # What parse(text, strict=False) answers, made as parse's own lenient side is: a development
    # build, and every text the regexes refuse, goes on to parse, to be refused with its reason.
    return _lenient().reading(functools.partial(parse, strict=False))  # type: ignore[return-value]
