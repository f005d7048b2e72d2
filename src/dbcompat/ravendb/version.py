"""The RavenDB version: an immutable value with an exact numeric order.

This module knows nothing of text: ``dbcompat.ravendb.parser`` reads strings and builds these.
"""

from __future__ import annotations

import enum
from typing import final

from .._value import KeyedValue, KeyField, KeyLayout, Slot, set_key

__all__ = ["KEY", "PRODUCT", "Stage", "Version"]

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


def _nightly_number(stamp: str) -> int:
    return int(stamp.replace("-", ""))


def _nightly_stamp(number: int) -> str:
    return f"{number // 10000:08d}-{number % 10000:04d}"


# As in SemVer and NuGet, which publish these packages, a suffix marks a build before the final
# release of the same numbers; the final release (no stage) ranks last.
KEY = KeyLayout(
    Slot("major", "the major version"),
    Slot("minor", "the minor version"),
    Slot("patch", "the patch number, or None", optional=True),
    Slot("build", "a server header's build number, or None", optional=True),
    Slot("stage", "the suffix, or None (final)", ranks=(*Stage, None)),
    Slot("stage_number", "the number written on the stage (rc2), or None", optional=True),
    Slot("stage_build", "the build after the stage (-rc-41000), or None", optional=True),
    Slot(
        "nightly",
        "a nightly build's time stamp YYYYMMDD-HHMM, or None",
        encode=_nightly_number,
        decode=_nightly_stamp,
    ),
)
"""The fields of a RavenDB version, in the order versions compare; a missing number sorts first.

>>> print(KEY)
  major         the major version
  minor         the minor version
  patch         the patch number, or None
  build         a server header's build number, or None
  stage         the suffix, or None (final): nightly < alpha < beta < rc < patch < Hotfix < none
  stage_number  the number written on the stage (rc2), or None
  stage_build   the build after the stage (-rc-41000), or None
  nightly       a nightly build's time stamp YYYYMMDD-HHMM, or None
"""


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
    >>> (v.major, v.minor, v.patch, v.build), v.line
    ((4, 1, 9, 41023), (4, 1))
    >>> ravendb.parse("4.1.0-rc-41000") < ravendb.parse("4.1.0") < ravendb.parse("4.1.10")
    True
    """

    __slots__ = ()
    _layout = KEY

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
        KEY.check_numbers(major=major, minor=minor, patch=patch, build=build)
        KEY.check_numbers(stage_number=stage_number, stage_build=stage_build)
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
        set_key(
            self,
            KEY.encode(major, minor, patch, build, stage, stage_number, stage_build, nightly),
        )

    major: KeyField[int] = KEY.field("major")
    minor: KeyField[int] = KEY.field("minor")
    patch: KeyField[int | None] = KEY.field("patch")
    build: KeyField[int | None] = KEY.field("build")
    stage: KeyField[Stage | None] = KEY.field("stage")
    stage_number: KeyField[int | None] = KEY.field("stage_number")
    stage_build: KeyField[int | None] = KEY.field("stage_build")
    nightly: KeyField[str | None] = KEY.field("nightly")

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
