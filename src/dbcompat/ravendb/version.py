"""The RavenDB version: an immutable value with an exact numeric order.

This module knows nothing of text: ``dbcompat.ravendb.parser`` reads strings and builds these.
"""

from __future__ import annotations

import enum
from typing import final

from .._value import ABSENT, KeyedValue, check_number, present, set_key

__all__ = ["Stage", "Version"]


class Stage(enum.Enum):
    """The kind of suffix a package version carries: ``4.1.0-rc-41000``, ``3.0.30172-Hotfix``."""

    NIGHTLY = "nightly"
    ALPHA = "alpha"
    BETA = "beta"
    RC = "rc"
    PATCH = "patch"
    HOTFIX = "Hotfix"


# As in SemVer and NuGet, which publish these packages, a suffix marks a build before the final
# release of the same numbers; the final release ranks last.
STAGES: tuple[Stage | None, ...] = (*Stage, None)
"""The stages by rank."""

STAGE_RANKS = {None if s is None else s.value.lower(): rank for rank, s in enumerate(STAGES)}
"""The rank of each stage's word (lower case), and of None for a final release."""

_PRERELEASES = (Stage.ALPHA, Stage.BETA, Stage.RC)


@final
class Version(KeyedValue):
    """A RavenDB version: ``5.4``, ``5.4.110``, a server header's ``4.1.9.41023``, or a package's
    ``4.1.0-rc-41000``.

    ``major`` and ``minor`` make the product version; ``patch`` and ``build`` (the fourth number
    of ``Raven-Server-Version`` headers) are None when absent. A suffix sets ``stage`` and, where
    written, ``stage_number`` (``rc2``), ``stage_build`` (``-rc-41000``, ``-patch-41005``) or
    ``nightly`` (``20200507-0548``).

    Versions order by the numbers (a missing one before any present one), then a suffixed build
    before the final release: nightly < alpha < beta < rc < patch < Hotfix < final.

    >>> from dbcompat import ravendb
    >>> v = ravendb.parse("4.1.9.41023")
    >>> (v.major, v.minor, v.patch, v.build), v.product_version
    ((4, 1, 9, 41023), (4, 1))
    >>> ravendb.parse("4.1.0-rc-41000") < ravendb.parse("4.1.0") < ravendb.parse("4.1.10")
    True
    """

    # The key: major, minor, patch, build, the stage's rank, stage number, stage build, and the
    # nightly time stamp as the number YYYYMMDDHHMM (ABSENT where missing).
    __slots__ = ()

    def __init__(
        self,
        major: int,
        minor: int,
        patch: int | None = None,
        build: int | None = None,
        *,
        stage: Stage | str | None = None,
        stage_number: int | None = None,
        stage_build: int | None = None,
        nightly: str | None = None,
    ) -> None:
        for name, value, optional in (
            ("major", major, False),
            ("minor", minor, False),
            ("patch", patch, True),
            ("build", build, True),
            ("stage_number", stage_number, True),
            ("stage_build", stage_build, True),
        ):
            check_number(name, value, optional)
        if build is not None and patch is None:
            raise ValueError("a version with a build needs a patch")
        if stage is not None:
            stage = Stage(stage)
        if stage_number is not None and stage not in _PRERELEASES:
            raise ValueError("only alpha, beta and rc stages carry a number of their own")
        if stage_build is not None and stage not in (*_PRERELEASES, Stage.PATCH):
            raise ValueError("only alpha, beta, rc and patch stages carry a build")
        if stage is Stage.PATCH and stage_build is None:
            raise ValueError("a patch stage needs its build: -patch-41005")
        if (stage is Stage.NIGHTLY) != (nightly is not None):
            raise ValueError("a nightly stage needs its time stamp, as '20200507-0548'")
        if nightly is not None and not (
            len(nightly) == 13 and nightly[8] == "-" and (nightly[:8] + nightly[9:]).isdigit()
        ):
            raise ValueError(f"a nightly time stamp is 'YYYYMMDD-HHMM', not {nightly!r}")
        set_key(
            self,
            (
                major,
                minor,
                ABSENT if patch is None else patch,
                ABSENT if build is None else build,
                STAGES.index(stage),
                ABSENT if stage_number is None else stage_number,
                ABSENT if stage_build is None else stage_build,
                ABSENT if nightly is None else int(nightly.replace("-", "")),
            ),
        )

    @classmethod
    def parse(cls, text: str) -> Version:
        """The version *text* names; the same as ``dbcompat.ravendb.parse``.

        >>> Version.parse("5.4.110")
        Version('5.4.110')
        """
        # The parser builds Versions, so it can only be imported once this module is loaded.
        from .parser import parse

        return parse(text)

    @property
    def major(self) -> int:
        """The major version: 5 of 5.4.110."""
        return self._key[0]

    @property
    def minor(self) -> int:
        """The minor version: 4 of 5.4.110."""
        return self._key[1]

    @property
    def patch(self) -> int | None:
        """The patch number, or None: 110 of 5.4.110."""
        return present(self._key[2])

    @property
    def build(self) -> int | None:
        """The build number of a server header, or None: 41023 of 4.1.9.41023."""
        return present(self._key[3])

    @property
    def stage(self) -> Stage | None:
        """The kind of suffix, or None for a final release."""
        return STAGES[self._key[4]]

    @property
    def stage_number(self) -> int | None:
        """The number written on the stage, or None: 2 of 4.0.0-rc2."""
        return present(self._key[5])

    @property
    def stage_build(self) -> int | None:
        """The build after the stage, or None: 41000 of 4.1.0-rc-41000."""
        return present(self._key[6])

    @property
    def nightly(self) -> str | None:
        """A nightly build's time stamp, or None: '20200507-0548'."""
        stamp = self._key[7]
        return None if stamp == ABSENT else f"{stamp // 10000:08d}-{stamp % 10000:04d}"

    @property
    def product_version(self) -> tuple[int, int]:
        """(major, minor): all that RavenDB's compatibility rules compare."""
        return (self._key[0], self._key[1])

    @property
    def is_final(self) -> bool:
        """False for a suffixed build (alpha, beta, rc, nightly, patch, Hotfix)."""
        return self.stage is None

    def __str__(self) -> str:
        numbers = (self.major, self.minor, self.patch, self.build)
        text = ".".join(str(n) for n in numbers if n is not None)
        if self.stage is None:
            return text
        text += f"-{self.stage.value}"
        if self.stage_number is not None:
            text += str(self.stage_number)
        if self.stage_build is not None:
            text += f"-{self.stage_build}"
        if self.nightly is not None:
            text += f"-{self.nightly}"
        return text
