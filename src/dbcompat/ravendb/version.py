"""The RavenDB version: an immutable value with an exact numeric order.

This module knows nothing of text: ``dbcompat.ravendb.parser`` reads strings and builds these.
"""

from __future__ import annotations

import enum
from typing import final

from .._value import KeyedValue, check_number

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
# release of the same numbers.
_STAGE_RANKS = {stage: rank for rank, stage in enumerate(Stage)}
_FINAL_RANK = len(Stage)


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

    # The fields in the order of the constructor, which _from_fields and pickling rely on.
    __slots__ = (  # noqa: RUF023
        "major",
        "minor",
        "patch",
        "build",
        "stage",
        "stage_number",
        "stage_build",
        "nightly",
    )

    major: int
    minor: int
    patch: int | None
    build: int | None
    stage: Stage | None
    stage_number: int | None
    stage_build: int | None
    nightly: str | None

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
        prerelease = stage in (Stage.ALPHA, Stage.BETA, Stage.RC)
        if stage_number is not None and not prerelease:
            raise ValueError("only alpha, beta and rc stages carry a number of their own")
        if stage_build is not None and not (prerelease or stage is Stage.PATCH):
            raise ValueError("only alpha, beta, rc and patch stages carry a build")
        if stage is Stage.PATCH and stage_build is None:
            raise ValueError("a patch stage needs its build: -patch-41005")
        if (stage is Stage.NIGHTLY) != (nightly is not None):
            raise ValueError("a nightly stage needs its time stamp, as '20200507-0548'")
        if nightly is not None and not (
            len(nightly) == 13 and nightly[8] == "-" and (nightly[:8] + nightly[9:]).isdigit()
        ):
            raise ValueError(f"a nightly time stamp is 'YYYYMMDD-HHMM', not {nightly!r}")
        self._assign((major, minor, patch, build, stage, stage_number, stage_build, nightly))

    @classmethod
    def _create(
        cls,
        major: int,
        minor: int,
        patch: int | None = None,
        build: int | None = None,
        stage: Stage | None = None,
        stage_number: int | None = None,
        stage_build: int | None = None,
        nightly: str | None = None,
    ) -> Version:
        """Build without checking: for the parser, whose grammar has checked already."""
        return cls._from_fields(
            (major, minor, patch, build, stage, stage_number, stage_build, nightly)
        )

    def _compute_key(self) -> tuple[int, ...]:
        return (
            self.major,
            self.minor,
            -1 if self.patch is None else self.patch,
            -1 if self.build is None else self.build,
            _FINAL_RANK if self.stage is None else _STAGE_RANKS[self.stage],
            -1 if self.stage_number is None else self.stage_number,
            -1 if self.stage_build is None else self.stage_build,
            -1 if self.nightly is None else int(self.nightly.replace("-", "")),
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
    def product_version(self) -> tuple[int, int]:
        """(major, minor): all that RavenDB's compatibility rules compare."""
        return (self.major, self.minor)

    @property
    def is_final(self) -> bool:
        """False for a suffixed build (alpha, beta, rc, nightly, patch, Hotfix)."""
        return self.stage is None

    def __str__(self) -> str:
        text = ".".join(
            str(n) for n in (self.major, self.minor, self.patch, self.build) if n is not None
        )
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
