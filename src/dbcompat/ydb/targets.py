"""The version a target names: itself; for a partial one (``25.2``) the newest release matching
it; for ``latest`` the newest final release of all, and for a bare year (``25``) the newest
final release of its newest major. The words name final releases whatever the plan's stops may
be: a release candidate is a target only when named.
"""

from __future__ import annotations

from ..errors import NoUpgradePath
from .catalog import Catalog, MajorLine, Releases, as_catalog, line_name
from .parser import as_version
from .version import Version

__all__ = ["newest_release", "read_target", "resolve", "resolve_target"]

TEACH = "add its releases to the catalog (releases=...)"
"""What to do about a release the catalog does not list."""


def resolve_target(target: Version | str, *, releases: Releases = None) -> Version:
    """The version a target names: itself, or for ``latest`` and a bare year (``25``) the final
    release the catalog says; NoUpgradePath when the catalog cannot name it.

    >>> resolve_target("latest", releases=["25.4.1.15", "26.1.1.22", "26.2.1.1-rc"])
    <Version('26.1.1.22')>
    >>> resolve_target("26", releases=["25.4.1.15", "26.1.1.22", "26.2.1.1-rc"])
    <Version('26.1.1.22')>
    """
    return read_target(target, as_catalog(releases))


def read_target(target: Version | str, catalog: Catalog) -> Version:
    """*target* as a version; the words ``latest`` and a bare year (``25``) are read from the
    catalog as final releases, and NoUpgradePath says when it cannot name them."""
    if isinstance(target, str):
        word = target.strip()
        if word.lower() == "latest":
            latest = catalog.latest()  # final releases only
            if latest is None:
                raise NoUpgradePath("the release catalog lists no final release to call latest")
            return latest
        if len(word) == 2 and word.isascii() and word.isdigit():
            line = catalog.newest_line(int(word))
            if line is None:
                raise NoUpgradePath(
                    f"the release catalog lists no final release of 20{word}; {TEACH}"
                )
            return newest_release(catalog, line, candidates=False)
    return as_version(target)


def newest_release(catalog: Catalog, line: MajorLine, candidates: bool) -> Version:
    newest = catalog.newest(line, candidates=candidates)
    if newest is None and line in catalog.unpublished:
        raise NoUpgradePath(
            f"majors go one at a time, and {line_name(line)} lies on the way: a major no "
            f"published release offers; {TEACH}"
        )
    if newest is None:
        raise NoUpgradePath(
            f"the catalog lists no final release of {line_name(line)} to stop on"
            + ("" if candidates else "; allow release candidates (candidates=True) to stop on one")
        )
    return newest


def resolve(target: Version, catalog: Catalog, candidates: bool) -> Version:
    """*target* itself, or for a partial one (``25.2``) the newest release matching it."""
    if target.minor is not None and target.patch is not None:
        return target
    matching = catalog.newest_matching(target, candidates=candidates)
    if matching is not None:
        return matching
    if target.minor is not None or catalog.position(target.line) is None:
        return target  # for _judge to name what is unknown about it
    if candidates:
        raise NoUpgradePath(f"the catalog lists no release of {target} to install")
    raise NoUpgradePath(
        f"the catalog lists no final release of {target} to install; allow release candidates "
        "(candidates=True) to install one"
    )
