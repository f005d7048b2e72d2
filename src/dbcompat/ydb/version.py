"""The YDB server version: an immutable value with an exact numeric order.

This module knows nothing of text: ``dbcompat.ydb.parser`` reads strings and builds these objects.
"""

from __future__ import annotations

import enum
from typing import final

from .._value import KeyedValue, KeyField, KeyLayout, Slot, set_key

__all__ = ["KEY", "PRODUCT", "ReleaseType", "Version"]


class ReleaseType(enum.Enum):
    """The release type that may end a version, as in ``24.3.14.2-lts``: testing < stable < lts."""

    TESTING = "testing"
    STABLE = "stable"
    LTS = "lts"

    @property
    def rank(self) -> int:
        """1, 2, 3 for testing, stable, lts; a version without a type ranks 0."""
        return list(RELEASE_TYPES.values()).index(self)


RELEASE_TYPES: dict[str | None, ReleaseType | None] = {None: None}
RELEASE_TYPES.update((release_type.value, release_type) for release_type in ReleaseType)
"""The release type each suffix names, and None for none."""

PRODUCT = "YDB"
"""The product's name, as messages and errors spell it."""

KEY = KeyLayout(
    Slot("year", "the last two digits of the release year"),
    Slot("major", "the major version number within the year"),
    Slot("minor", "the minor version number within the major, or None", optional=True),
    Slot("patch", "the patch number within the minor, or None", optional=True),
    Slot("hotfix", "a hotfix build's number (0 when unnumbered), or None", optional=True),
    Slot("release_candidate", "whether a release candidate (-rc)", ranks=(True, False)),
    Slot("release_type", "the release type, or None", ranks=tuple(RELEASE_TYPES.values())),
    Slot("enterprise", "whether an enterprise build (25.3.1.ent.3)", ranks=(False, True)),
    Slot("candidate_number", "a release candidate's own number (-rc2), or None", optional=True),
    Slot(
        "rebuild",
        "a node build's letter after the patch (24.3.1.10a.08bebbe), or None",
        encode=ord,
        decode=chr,
    ),
    Slot(
        "hotfix_branch",
        "a node build's hotfix branch (-hotfixblobstorage-1.08bebbe), or None",
        encode=lambda name: int.from_bytes(name.encode("ascii"), "big"),
        decode=lambda number: number.to_bytes((number.bit_length() + 7) // 8, "big").decode(),
    ),
    Slot(
        "commit",
        "the commit a node's build was made from (08bebbe), or None",
        encode=lambda commit: int("1" + commit, 16),  # the leading 1 keeps the leading zeros
        decode=lambda number: f"{number:x}"[1:],
    ),
    packed=4,  # the fields of candidates and node builds, which most versions leave unset
)
"""The fields of a YDB version, in the order versions compare; a missing number sorts first.

>>> print(KEY)
  year               the last two digits of the release year
  major              the major version number within the year
  minor              the minor version number within the major, or None
  patch              the patch number within the minor, or None
  hotfix             a hotfix build's number (0 when unnumbered), or None
  release_candidate  whether a release candidate (-rc): True < False
  release_type       the release type, or None: none < testing < stable < lts
  enterprise         whether an enterprise build (25.3.1.ent.3): False < True
  candidate_number   a release candidate's own number (-rc2), or None
  rebuild            a node build's letter after the patch (24.3.1.10a.08bebbe), or None
  hotfix_branch      a node build's hotfix branch (-hotfixblobstorage-1.08bebbe), or None
  commit             the commit a node's build was made from (08bebbe), or None

The fields added since 0.1.0 come last: the candidate's number orders candidates of the same
numbers (rc < rc1 < rc2); the rebuild letter (10 < 10a < 10b), the hotfix branch and the commit
only tell apart builds of the same version, which no rule looks at.
"""


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

    __slots__ = ()
    _layout = KEY

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
        KEY.check_numbers(year=year, major=major, minor=minor, patch=patch, hotfix=hotfix)
        KEY.check_numbers(candidate_number=candidate_number)
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
        if (rebuild is not None or hotfix_branch is not None) and (commit is None or patch is None):
            raise ValueError("a rebuild or a hotfix branch is a node build: four numbers, a commit")
        if rebuild is not None and (release_candidate or enterprise or hotfix is not None):
            raise ValueError("a rebuild has no other suffix")
        if hotfix_branch is not None and hotfix is None:
            raise ValueError("a hotfix branch names a hotfix: give its number (0 when unnumbered)")
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
            KEY.encode(
                year,
                major,
                minor,
                patch,
                hotfix,
                bool(release_candidate),
                release_type,
                bool(enterprise),
                candidate_number,
                rebuild,
                hotfix_branch,
                commit,
            ),
        )

    year: KeyField[int] = KEY.field("year")
    major: KeyField[int] = KEY.field("major")
    minor: KeyField[int | None] = KEY.field("minor")
    patch: KeyField[int | None] = KEY.field("patch")
    hotfix: KeyField[int | None] = KEY.field("hotfix")
    release_candidate: KeyField[bool] = KEY.field("release_candidate")
    release_type: KeyField[ReleaseType | None] = KEY.field("release_type")
    enterprise: KeyField[bool] = KEY.field("enterprise")
    candidate_number: KeyField[int | None] = KEY.field("candidate_number")
    rebuild: KeyField[str | None] = KEY.field("rebuild")
    hotfix_branch: KeyField[str | None] = KEY.field("hotfix_branch")
    commit: KeyField[str | None] = KEY.field("commit")

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
        return (self.year, self.major, self.minor, self.patch)

    @property
    def is_final(self) -> bool:
        """False for release candidates, which are not final releases."""
        return not self.release_candidate

    def __str__(self) -> str:
        numbers = [f"{self.year:02d}", str(self.major)]
        numbers += [str(n) for n in (self.minor, self.patch) if n is not None]
        built = "" if self.commit is None else f".{self.commit}"
        if built and self.patch is not None:
            node_build = self._node_build_suffix()
            if node_build is not None:
                return ".".join(numbers) + node_build + built
        if self.hotfix is not None or (built and self.patch is None):
            suffix = (
                ""
                if self.hotfix is None
                else "-hotfix" + (f"-{self.hotfix}" if self.hotfix else "")
            )
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

    def _node_build_suffix(self) -> str | None:
        """What a node build writes between its patch and its commit, or None for the forms
        that releases and branches spell too."""
        if self.rebuild is not None:
            return self.rebuild
        if self.release_candidate:
            return "rc" + ("" if self.candidate_number is None else str(self.candidate_number))
        if self.hotfix_branch is not None:
            return f"-hotfix{self.hotfix_branch}" + (f"-{self.hotfix}" if self.hotfix else "")
        return None
