"""The RavenDB version: an immutable value with an exact numeric order.

This module knows nothing of text: ``dbcompat.ravendb.parser`` reads strings and builds these.
"""

from __future__ import annotations

import enum
from typing import final

from .._value import KeyedValue, absent_or, check_number, set_key

__all__ = ["PRODUCT", "Stage", "Version"]

PRODUCT = "RavenDB"
"""The product's name, as messages and errors spell it."""


class Stage(enum.Enum):
    """The kind of suffix a package version carries: ``4.1.0-rc-41000``, ``3.0.30172-Hotfix``."""

    NIGHTLY = "nightly"
    ALPHA = "alpha"
    BETA = "beta"
    RC = "rc"
    PATCH = "patch"
    HOTFIX = "Hotfix"


PRERELEASES = {stage.value: stage for stage in (Stage.ALPHA, Stage.BETA, Stage.RC)}
"""The stages that carry a number and a build of their own, by their lower-case word."""


# As in SemVer and NuGet, which publish these packages, a suffix marks a build before the final
# release of the same numbers; the final release (no stage) ranks last.
STAGES: tuple[Stage | None, ...] = (*Stage, None)
"""Every stage in the order versions compare: nightly < alpha < beta < rc < patch < Hotfix <
none (a final release)."""

FINAL = (len(Stage), -1, -1, "")
"""The rest of the key of a final release: see :class:`Version`."""


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

    The key that equality, order and hash use is laid out in that order, a missing number as
    -1, which sorts first::

        (major, minor, patch, build, rest)
        rest = (rank of the stage in STAGES, stage number, stage build, nightly stamp or "")

    Final releases share the one ``rest``, ``FINAL``.

    >>> Version(4, 1, 9, 41023)._key
    (4, 1, 9, 41023, (6, -1, -1, ''))

    >>> from dbcompat import ravendb
    >>> v = ravendb.parse("4.1.9.41023")
    >>> (v.major, v.minor, v.patch, v.build), v.line
    ((4, 1, 9, 41023), (4, 1))
    >>> ravendb.parse("4.1.0-rc-41000") < ravendb.parse("4.1.0") < ravendb.parse("4.1.10")
    True
    """

    __slots__ = ()
    _key: tuple[int, int, int, int, tuple[int, int, int, str]]
    _fields = (
        "major",
        "minor",
        "patch",
        "build",
        "stage",
        "stage_number",
        "stage_build",
        "nightly",
    )

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
        check_number("major", major)
        check_number("minor", minor)
        for name, number in (
            ("patch", patch),
            ("build", build),
            ("stage_number", stage_number),
            ("stage_build", stage_build),
        ):
            if number is not None:
                check_number(name, number)
        if build is not None and patch is None:
            raise ValueError("a version with a build needs a patch")
        if stage is not None:
            stage = Stage(stage)
        if stage_number is not None and stage not in PRERELEASES.values():
            raise ValueError("only alpha, beta and rc stages carry a number of their own")
        if stage_build is not None and stage not in (*PRERELEASES.values(), Stage.PATCH):
            raise ValueError("only alpha, beta, rc and patch stages carry a build")
        if stage is Stage.PATCH and stage_build is None:
            raise ValueError("a patch stage needs its build: -patch-41005")
        if (stage is Stage.NIGHTLY) != (nightly is not None):
            raise ValueError("a nightly stage needs its time stamp, as '20200507-0548'")
        if nightly is not None and not (
            len(nightly) == 13
            and nightly[8] == "-"
            and (nightly[:8] + nightly[9:]).isascii()
            and (nightly[:8] + nightly[9:]).isdigit()
        ):
            raise ValueError(f"a nightly time stamp is 'YYYYMMDD-HHMM', not {nightly!r}")
        rest = (
            STAGES.index(stage),
            -1 if stage_number is None else stage_number,
            -1 if stage_build is None else stage_build,
            nightly or "",
        )
        key = (major, minor, -1 if patch is None else patch, -1 if build is None else build)
        set_key(self, (*key, FINAL if rest == FINAL else rest))

    @property
    def major(self) -> int:
        """The major version."""
        return self._key[0]

    @property
    def minor(self) -> int:
        """The minor version."""
        return self._key[1]

    @property
    def patch(self) -> int | None:
        """The patch number, or None."""
        return absent_or(self._key[2])

    @property
    def build(self) -> int | None:
        """A server header's build number, or None."""
        return absent_or(self._key[3])

    @property
    def stage(self) -> Stage | None:
        """The suffix, or None for a final release."""
        return STAGES[self._key[4][0]]

    @property
    def stage_number(self) -> int | None:
        """The number written on the stage (``rc2``), or None."""
        return absent_or(self._key[4][1])

    @property
    def stage_build(self) -> int | None:
        """The build after the stage (``-rc-41000``), or None."""
        return absent_or(self._key[4][2])

    @property
    def nightly(self) -> str | None:
        """A nightly build's time stamp ``YYYYMMDD-HHMM``, or None."""
        return self._key[4][3] or None

    @property
    def line(self) -> tuple[int, int]:
        """(major, minor): the product version, all that RavenDB's compatibility rules compare.

        >>> Version(5, 4, 110).line
        (5, 4)
        """
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
