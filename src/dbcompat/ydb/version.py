"""The YDB server version: an immutable value with an exact numeric order.

This module knows nothing of text: ``dbcompat.ydb.parser`` reads strings and builds these objects.
"""

from __future__ import annotations

import enum
from typing import final

from .._value import ABSENT, KeyedValue, check_number, present, set_key

__all__ = ["ReleaseType", "Version"]


class ReleaseType(enum.Enum):
    """The release type that may end a version, as in ``24.3.14.2-lts``: testing < stable < lts."""

    TESTING = "testing"
    STABLE = "stable"
    LTS = "lts"

    @property
    def rank(self) -> int:
        """1, 2, 3 for testing, stable, lts; a version without a type ranks 0."""
        return RELEASE_TYPES.index(self)


RELEASE_TYPES: tuple[ReleaseType | None, ...] = (None, *ReleaseType)
"""The release types by rank: none first."""

RELEASE_TYPE_RANKS = {None if t is None else t.value: rank for rank, t in enumerate(RELEASE_TYPES)}
"""The rank of each release type's text, and of None."""


@final
class Version(KeyedValue):
    """A YDB server version such as ``24.3.14.2-lts``.

    The fields of the documented grammar are ``year``, ``major``, ``minor`` and ``patch`` (None
    when absent) and ``release_type``. Spellings read with ``parse(text, strict=False)`` may add
    what they say beyond it: ``release_candidate`` (``25.1.2.7-rc``), ``enterprise``
    (``25.3.1.ent.3``) and ``hotfix`` (``stable-23-1-1-hotfix-7``; 0 for an unnumbered hotfix).

    Versions order by year, major, minor, patch, hotfix, then release candidate before final, then
    release type (none < testing < stable < lts), then open source before enterprise. A missing
    component sorts before any present one.

    >>> from dbcompat import ydb
    >>> v = ydb.parse("24.3.14.2-lts")
    >>> (v.year, v.major, v.minor, v.patch, v.release_type)
    (24, 3, 14, 2, <ReleaseType.LTS: 'lts'>)
    >>> ydb.parse("24.3") < ydb.parse("24.3.0") < ydb.parse("24.10")
    True
    >>> str(ydb.parse("24.03.014"))
    '24.3.14'
    """

    # The key: year, major, minor, patch, hotfix (ABSENT when missing), 0 for a release
    # candidate or 1 for a final release, the release type's rank, 1 for an enterprise build.
    __slots__ = ()

    def __init__(
        self,
        year: int,
        major: int,
        minor: int | None = None,
        patch: int | None = None,
        release_type: ReleaseType | str | None = None,
        *,
        release_candidate: bool = False,
        enterprise: bool = False,
        hotfix: int | None = None,
    ) -> None:
        for name, value, optional in (
            ("year", year, False),
            ("major", major, False),
            ("minor", minor, True),
            ("patch", patch, True),
            ("hotfix", hotfix, True),
        ):
            check_number(name, value, optional)
        if year > 99:
            raise ValueError(f"year must be two digits (0 to 99), not {year}")
        if patch is not None and minor is None:
            raise ValueError("a version with a patch needs a minor")
        if release_type is not None:
            release_type = ReleaseType(release_type)
        if release_candidate and release_type is not None:
            raise ValueError("a release candidate has no release type")
        if enterprise and (patch is None or release_type is not None or release_candidate):
            raise ValueError("an enterprise build has four numbers and no suffix")
        if hotfix is not None and (
            minor is None or release_type or release_candidate or enterprise
        ):
            raise ValueError("a hotfix build has a minor and no other suffix")
        set_key(
            self,
            (
                year,
                major,
                ABSENT if minor is None else minor,
                ABSENT if patch is None else patch,
                ABSENT if hotfix is None else hotfix,
                0 if release_candidate else 1,
                RELEASE_TYPES.index(release_type),
                1 if enterprise else 0,
            ),
        )

    @classmethod
    def parse(cls, text: str, *, strict: bool = True) -> Version:
        """The version *text* names; the same as ``dbcompat.ydb.parse``.

        >>> Version.parse("25.1.4.18")
        Version('25.1.4.18')
        """
        # The parser builds Versions, so it can only be imported once this module is loaded.
        from .parser import parse

        return parse(text, strict=strict)

    @property
    def year(self) -> int:
        """The last two digits of the release year."""
        return self._key[0]

    @property
    def major(self) -> int:
        """The major version number within the year."""
        return self._key[1]

    @property
    def minor(self) -> int | None:
        """The minor version number within the major, or None."""
        return present(self._key[2])

    @property
    def patch(self) -> int | None:
        """The patch number within the minor, or None."""
        return present(self._key[3])

    @property
    def hotfix(self) -> int | None:
        """The hotfix number of a hotfix build (0 when unnumbered), or None."""
        return present(self._key[4])

    @property
    def release_candidate(self) -> bool:
        """Whether this is a release candidate (``-rc``), which is not a final release."""
        return self._key[5] == 0

    @property
    def release_type(self) -> ReleaseType | None:
        """The release type (testing, stable, lts), or None."""
        return RELEASE_TYPES[self._key[6]]

    @property
    def enterprise(self) -> bool:
        """Whether this is an enterprise build (``25.3.1.ent.3``)."""
        return self._key[7] == 1

    @property
    def major_line(self) -> tuple[int, int]:
        """(year, major): what names a major release, ``24.3`` for every ``24.3.*``.

        >>> Version(24, 3, 14, 2).major_line
        (24, 3)
        """
        return (self._key[0], self._key[1])

    @property
    def release(self) -> tuple[int, int, int | None, int | None]:
        """The numbers that identify a release: year, major, minor, patch; no type, no suffix.

        >>> Version.parse("25.1.4.18-stable").release
        (25, 1, 4, 18)
        """
        return (self.year, self.major, self.minor, self.patch)

    @property
    def is_final(self) -> bool:
        """False for release candidates, which are not final releases."""
        return not self.release_candidate

    def __str__(self) -> str:
        numbers = [f"{self.year:02d}", str(self.major)]
        numbers += [str(n) for n in (self.minor, self.patch) if n is not None]
        if self.hotfix is not None:
            suffix = "-hotfix" + (f"-{self.hotfix}" if self.hotfix else "")
            return "stable-" + "-".join(numbers) + suffix
        if self.enterprise:
            return f"{'.'.join(numbers[:3])}.ent.{self.patch}"
        text = ".".join(numbers)
        if self.release_candidate:
            return text + "-rc"
        if self.release_type is not None:
            return f"{text}-{self.release_type.value}"
        return text
