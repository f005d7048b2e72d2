"""The YDB server version: an immutable value with an exact numeric order.

This module knows nothing of text: ``dbcompat.ydb.parser`` reads strings and builds these objects.
"""

from __future__ import annotations

import enum
from typing import final

from .._value import KeyedValue, absent_or, check_number, set_key

__all__ = ["PRODUCT", "ReleaseType", "Version"]


class ReleaseType(enum.Enum):
    """The release type that may end a version, as in ``24.3.14.2-lts``: testing < stable < lts."""

    TESTING = "testing"
    STABLE = "stable"
    LTS = "lts"

    @property
    def rank(self) -> int:
        """1, 2, 3 for testing, stable, lts; a version without a type ranks 0."""
        return RELEASE_TYPES.index(self)


PRODUCT = "YDB"
"""The product's name, as messages and errors spell it."""

RELEASE_TYPES: tuple[ReleaseType | None, ...] = (None, *ReleaseType)
"""Every release type in the order versions compare: none < testing < stable < lts."""

PLAIN = (-1, 1, 0, 0, -1, "", "", "")
"""The rest of the key of a version with no suffix: see :class:`Version`."""


@final
class Version(KeyedValue):
    """A YDB server version such as ``24.3.14.2-lts``.

    The fields of the documented grammar are ``year``, ``major``, ``minor`` and ``patch`` (None
    when absent) and ``release_type``. Spellings read with ``parse(text, strict=False)`` may add
    what they say beyond it: ``release_candidate`` (``25.1.2.7-rc``), ``enterprise``
    (``25.3.1.ent.3``) and ``hotfix`` (``stable-23-1-1-hotfix-7``; as YDB reads its tags, the
    word alone is hotfix 1).

    Versions order by year, major, minor, patch, hotfix, then release candidate before final, then
    release type (none < testing < stable < lts), then open source before enterprise. A missing
    component sorts before any present one. The rebuild letter, the hotfix branch and the commit
    only tell apart builds of the same version, which no rule looks at.

    The key that equality, order and hash use is laid out in that order, a missing number as
    -1, which sorts first::

        (year, major, minor, patch, rest)
        rest = (hotfix, 0 for a release candidate else 1, rank of the release type,
                1 for enterprise else 0, the candidate's number, rebuild, hotfix branch, commit)

    ``rest`` holds what most versions leave unset, each missing text as "": versions without
    a suffix share the one tuple ``PLAIN``.

    >>> Version(24, 3, 14, 2)._key
    (24, 3, 14, 2, (-1, 1, 0, 0, -1, '', '', ''))

    >>> from dbcompat import ydb
    >>> v = ydb.parse("24.3.14.2-lts")
    >>> (v.year, v.major, v.minor, v.patch, v.release_type)
    (24, 3, 14, 2, <ReleaseType.LTS: 'lts'>)
    >>> ydb.parse("24.3") < ydb.parse("24.3.0") < ydb.parse("24.10")
    True
    >>> str(ydb.parse("24.03.014"))
    '24.3.14'
    """

    __slots__ = ()
    _key: tuple[int, int, int, int, tuple[int, int, int, int, int, str, str, str]]
    _fields = (
        "year",
        "major",
        "minor",
        "patch",
        "hotfix",
        "release_candidate",
        "release_type",
        "enterprise",
        "candidate_number",
        "rebuild",
        "hotfix_branch",
        "commit",
    )

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
        candidate_number: int | None = None,
        rebuild: str | None = None,
        hotfix_branch: str | None = None,
        commit: str | None = None,
    ) -> None:
        check_number("year", year)
        check_number("major", major)
        for name, number in (
            ("minor", minor),
            ("patch", patch),
            ("hotfix", hotfix),
            ("candidate_number", candidate_number),
        ):
            if number is not None:
                check_number(name, number)
        if candidate_number is not None and not release_candidate:
            raise ValueError("only a release candidate carries a candidate number")
        if commit is not None and not (
            isinstance(commit, str)
            and 7 <= len(commit) <= 40
            and commit.isascii()
            and all(char in "0123456789abcdef" for char in commit)
        ):
            raise ValueError(f"a commit is 7 to 40 lower-case hex digits, not {commit!r}")
        if commit is not None and release_type is not None:
            raise ValueError("a build with a commit has no release type")
        if commit is not None and release_candidate and (patch is None or enterprise):
            raise ValueError("a release candidate's build has four numbers (24.3.1.10rc1.08bebbe)")
        if rebuild is not None and not (
            isinstance(rebuild, str) and len(rebuild) == 1 and "a" <= rebuild <= "z"
        ):
            raise ValueError(f"a rebuild is one lower-case letter, not {rebuild!r}")
        if hotfix_branch is not None and not (
            isinstance(hotfix_branch, str)
            and hotfix_branch.isascii()
            and hotfix_branch[:1].isalpha()
            and all(char.islower() or char.isdigit() for char in hotfix_branch)
        ):
            raise ValueError(
                f"a hotfix branch is a lower-case letter, then letters and digits, "
                f"not {hotfix_branch!r}"
            )
        if (rebuild is not None or hotfix_branch is not None) and patch is None:
            raise ValueError("a rebuild or a hotfix branch is a node build: four numbers")
        if rebuild is not None and (release_candidate or enterprise or hotfix is not None):
            raise ValueError("a rebuild has no other suffix")
        if hotfix_branch is not None and hotfix is None:
            raise ValueError("a hotfix branch names a hotfix: give its number")
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
        rest = (
            -1 if hotfix is None else hotfix,
            0 if release_candidate else 1,
            RELEASE_TYPES.index(release_type),
            1 if enterprise else 0,
            -1 if candidate_number is None else candidate_number,
            rebuild or "",
            hotfix_branch or "",
            commit or "",
        )
        set_key(
            self,
            (
                year,
                major,
                -1 if minor is None else minor,
                -1 if patch is None else patch,
                PLAIN if rest == PLAIN else rest,
            ),
        )

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
        return absent_or(self._key[2])

    @property
    def patch(self) -> int | None:
        """The patch number within the minor, or None."""
        return absent_or(self._key[3])

    @property
    def hotfix(self) -> int | None:
        """A hotfix build's number (as YDB reads its tags, the word alone is 1), or None."""
        return absent_or(self._key[4][0])

    @property
    def release_candidate(self) -> bool:
        """Whether a release candidate (``-rc``)."""
        return self._key[4][1] == 0

    @property
    def release_type(self) -> ReleaseType | None:
        """The release type (``-lts``), or None."""
        return RELEASE_TYPES[self._key[4][2]]

    @property
    def enterprise(self) -> bool:
        """Whether an enterprise build (``25.3.1.ent.3``)."""
        return self._key[4][3] == 1

    @property
    def candidate_number(self) -> int | None:
        """A release candidate's own number (``-rc2``), or None."""
        return absent_or(self._key[4][4])

    @property
    def rebuild(self) -> str | None:
        """A node build's letter after the patch (``24.3.1.10a.08bebbe``), or None."""
        return self._key[4][5] or None

    @property
    def hotfix_branch(self) -> str | None:
        """A node build's hotfix branch (``-hotfixblobstorage-1.08bebbe``), or None."""
        return self._key[4][6] or None

    @property
    def commit(self) -> str | None:
        """The commit a node's build was made from (``08bebbe``), or None."""
        return self._key[4][7] or None

    @property
    def line(self) -> tuple[int, int]:
        """(year, major): the major release a version belongs to, ``24.3`` for every ``24.3.*``.

        >>> Version(24, 3, 14, 2).line
        (24, 3)
        """
        return (self._key[0], self._key[1])

    @property
    def release(self) -> tuple[int, int, int | None, int | None]:
        """The numbers that identify a release: year, major, minor, patch; no type, no suffix.

        >>> Version(25, 1, 4, 18, "stable").release
        (25, 1, 4, 18)
        """
        year, major, minor, patch, _ = self._key
        return (year, major, None if minor < 0 else minor, None if patch < 0 else patch)

    @property
    def is_final(self) -> bool:
        """False for release candidates, which are not final releases."""
        return not self.release_candidate

    def __str__(self) -> str:
        """The canonical spelling, one per version, which reads back (leniently where the BNF
        has no spelling for it) as an equal version: dotted numbers without leading zeros and
        without the prefixes of tags and images; a hotfix in YDB's own tag form."""
        numbers = [f"{self.year:02d}", str(self.major)]
        numbers += [str(n) for n in (self.minor, self.patch) if n is not None]
        built = "" if self.commit is None else f".{self.commit}"
        node_build = self._node_build_suffix(built)
        if node_build is not None:
            return ".".join(numbers) + node_build + built
        if self.hotfix is not None or (built and self.patch is None):
            # As YDB prints its tags: hotfix 1 is the word alone.
            suffix = "" if self.hotfix is None else "-hotfix"
            suffix += f"-{self.hotfix}" if self.hotfix not in (None, 1) else ""
            return "stable-" + "-".join(numbers) + suffix + built
        if self.enterprise:
            return f"{'.'.join(numbers[:3])}.ent.{self.patch}{built}"
        if built:
            return ".".join(numbers) + built
        text = ".".join(numbers)
        if self.release_candidate:
            return (
                text + "-rc" + ("" if self.candidate_number is None else str(self.candidate_number))
            )
        if self.release_type is not None:
            return f"{text}-{self.release_type.value}"
        return text

    def _node_build_suffix(self, built: str) -> str | None:
        """What a node build writes after its patch (and before its commit, *built*), or None
        for the forms that releases and branches spell too."""
        if self.patch is None:
            return None
        if self.rebuild is not None:
            return self.rebuild
        if self.hotfix_branch is not None:
            return f"-hotfix{self.hotfix_branch}-{self.hotfix}"
        if self.release_candidate and built:  # without a commit, a candidate's own spelling
            return "rc" + ("" if self.candidate_number is None else str(self.candidate_number))
        return None
