"""What ``dbcompat explain`` says of each YDB rule: the documentation it enforces, an allowed and
a refused example (computed when shown, and tested to give the rule), and what to do.

The documentation is YDB's "YDB Versioning", section "Version Compatibility".
"""

from __future__ import annotations

from ..answers import Example, Guide
from .cluster import check_cluster, running_version
from .rules import check_upgrade

__all__ = ["GUIDES"]

_MINORS = (
    '"All minor versions within one major version are compatible for updates." '
    "(YDB Versioning, Version Compatibility)"
)
_SEQUENTIAL = (
    '"Major versions are sequentially compatible. To update to the next major version, you '
    'should first update to the last available minor release of the current major version." '
    "(YDB Versioning, Version Compatibility)"
)
_NON_SEQUENTIAL = (
    '"X.Y.*.* -> X.Y+2.*.* - update is not possible, major versions are non-sequential." '
    "(YDB Versioning, Version Compatibility)"
)
_LIMIT = (
    '"You cannot roll back more than 2 major versions back from a version that was installed '
    'at least once." (YDB Versioning, Version Compatibility)'
)
_ROLLING = (
    "Decided by dbcompat from the same rules: during a rolling upgrade a cluster runs the major "
    "it leaves (on its last minor) beside the next one, and nothing else."
)


def _check(current: str, target: str, **options: object) -> Example:
    return Example("ydb", check_upgrade, (current, target), options)


def _cluster(*versions: str, **options: object) -> Example:
    return Example("ydb", check_cluster, (list(versions),), options)


_BINARIES = (
    "YDB's own compatibility check (CheckCompatibility in ydb/core/driver_lib/version/"
    "version.cpp): two releases of one year whose majors are at most one apart, or across a "
    "year as a branch declares (version_definition.cpp), run together; minors are not compared."
)


_DEVELOPMENT = (
    "YDB's own compatibility check (CheckDefaultRules in ydb/core/driver_lib/version/"
    "version.cpp): two builds without a version run together, and a build without a version "
    "never runs beside one with a version. The documentation speaks of releases only."
)

_NO_FINAL = ["25.1.4.7", "25.2.1.10-rc", "25.3.1.27"]

GUIDES = {
    "already-installed": Guide(
        _MINORS,
        _check("24.4.4.12", "24.4.4.12"),
        _check("24.4.4.12", "25.2.1.26"),
        "Nothing to do: the node already runs the target.",
    ),
    "same-major": Guide(
        _MINORS,
        _check("24.3.11.13", "24.3.15.5"),
        _check("24.3.11.13", "24.4.4.12"),
        "Move to any minor of the same major, up or down.",
    ),
    "next-major": Guide(
        _SEQUENTIAL,
        _check("24.3.15.5", "24.4.4.12"),
        _check("24.3.11.13", "24.4.4.12"),
        "Go ahead; back up first, as for every major upgrade.",
    ),
    "previous-major": Guide(
        _NON_SEQUENTIAL + " Decided by dbcompat: a rollback of one major is the sequence read "
        "backwards, and may land on any minor of the lower major.",
        _check("24.4.4.12", "24.3.11.13"),
        _check("25.1.4.18", "24.3.15.5"),
        "Roll back to the last minor of the lower major, the one known to run beside the higher.",
    ),
    "not-last-minor": Guide(
        _SEQUENTIAL,
        _check("24.3.15.5", "24.4.4.12"),
        _check("24.3.11.13", "24.4.4.12"),
        "Update to the last minor of the current major first (dbcompat ydb plan CURRENT TARGET).",
    ),
    "partial-version": Guide(
        _SEQUENTIAL + " Decided by dbcompat: a version without its minor cannot be known to be "
        "on the last one.",
        _check("24.3.15.5", "24.4.4.12"),
        _check("24.3", "24.4.4.12"),
        "Give the full version the node runs (dbcompat ydb probe URL reads it).",
    ),
    "skips-major": Guide(
        _NON_SEQUENTIAL,
        _check("24.4.4.12", "25.1.4.18"),
        _check("24.4.4.12", "25.2.1.26"),
        "Go one major at a time, each from its last minor (dbcompat ydb plan CURRENT TARGET).",
    ),
    "rollback-skips-major": Guide(
        '"X.Y.*.* -> X.Y-2.*.* - update is not possible, major versions are non-sequential." '
        "(YDB Versioning, Version Compatibility)",
        _check("25.1.4.18", "24.4.4.12"),
        _check("25.1.4.18", "24.3.15.5"),
        "Roll back one major at a time, through the last minor of each.",
    ),
    "rollback-limit": Guide(
        _LIMIT,
        _check("24.4.4.12", "24.3.15.5", history=["25.1.4.18"]),
        _check("24.4.4.12", "24.3.15.5", history=["25.2.1.26"]),
        "Stay within two majors of the highest version ever installed; restore a backup instead.",
    ),
    "history-conflict": Guide(
        _LIMIT + " Decided by dbcompat: a node already further below its history than that "
        "means the history or the node is wrong, and is not judged.",
        _check("24.3.15.5", "24.4.4.12", history=["25.1.4.18"]),
        _check("24.3.15.5", "24.4.4.12", history=["25.2.1.26"]),
        "Check the history (--history) and the version the node really runs.",
    ),
    "unknown-major": Guide(
        "Decided by dbcompat: within a year majors go by their numbers, and the release "
        "catalog says where a year ends, so a major it does not place has no place in the "
        "sequence.",
        _check("25.1.4.18", "25.2.1.26"),
        _check("25.1.4.18", "25.9.1.1"),
        "Check the version, or add the release to the catalog (--releases FILE).",
    ),
    "no-final-release": Guide(
        _SEQUENTIAL + " Decided by dbcompat: a major with only release candidates has no last "
        "minor to update from.",
        _check("25.1.4.7", "25.2.1.10-rc", releases=_NO_FINAL),
        _check("25.2.1.10-rc", "25.3.1.27", releases=_NO_FINAL),
        "Wait for the major's first final release, or move within the candidates (--candidates).",
    ),
    "one-major": Guide(
        _MINORS,
        _cluster("24.4.4.2", "24.4.4.12"),
        _cluster("24.3.15.5", "25.1.4.18"),
        "Nothing to do: the nodes may run any minors of one major.",
    ),
    "adjacent-majors": Guide(
        _ROLLING,
        _cluster("24.3.15.5", "24.4.4.12"),
        _cluster("24.2.7", "24.4.4.12"),
        "Finish the rolling upgrade: move the remaining nodes to the higher major.",
    ),
    "lower-major-not-last-minor": Guide(
        _ROLLING + " It refuses only where YDB's own rule for the two majors is unknown to "
        "dbcompat (binaries-allow says the rest).",
        _cluster("24.3.15.5", "24.4.4.12"),
        _cluster("23.3.13", "24.1.18", releases=["23.3.13", "23.3.17", "24.1.18"]),
        "Move the nodes of the lower major to its last minor.",
    ),
    "binaries-allow": Guide(
        _BINARIES + " Decided by dbcompat: a cluster's state is judged by what runs, and a "
        "documented path not followed is a note.",
        _cluster("24.3.11.13", "24.4.4.12"),
        _cluster("24.3.15.5", "25.1.4.18"),
        "Nothing must be done now; move the lagging nodes to the last minor of their major "
        "before the next upgrade.",
    ),
    "binaries-refuse": Guide(
        _BINARIES + " Decided by dbcompat: a move either authority refuses is refused.",
        _check("24.4.4.12", "25.1.4.18"),
        _check("23.3.17", "24.2.7", releases=["23.3.17", "24.2.7"]),
        "Take the path the binaries accept (dbcompat ydb plan CURRENT TARGET, with the whole "
        "release catalog).",
    ),
    "too-many-majors": Guide(
        _ROLLING,
        _cluster("24.4.4.12", "25.1.4.18"),
        _cluster("24.3.15.5", "24.4.4.12", "25.1.4.18"),
        "Bring every node to the two highest majors, one major at a time.",
    ),
    "non-adjacent-majors": Guide(
        _ROLLING,
        _cluster("24.4.4.12", "25.1.4.18"),
        _cluster("24.3.15.5", "25.1.4.18"),
        "Move the lower nodes up one major at a time, each from its last minor.",
    ),
    "development-builds": Guide(
        _DEVELOPMENT,
        _cluster("main.b7cfb36", "trunk"),
        _cluster("main.b7cfb36", "24.4.4.12"),
        "Nothing to do: development builds run together; they have no version to upgrade from.",
    ),
    "development-beside-release": Guide(
        _DEVELOPMENT,
        _cluster("main.b7cfb36", "trunk"),
        _cluster("main.b7cfb36", "24.4.4.12"),
        "Run every node on releases, or every node on development builds.",
    ),
    "nodes-disagree": Guide(
        "Decided by dbcompat: an upgrade starts from the version the cluster runs, which nodes "
        "on several majors do not have.",
        _cluster("24.4.4.12", "25.1.4.18"),
        Example("ydb", running_version, (["24.4.4.12", "25.1.4.18"],)),
        "Finish the rolling upgrade in progress first (dbcompat ydb cluster shows the nodes).",
    ),
}
"""The guide of every YDB rule, by id."""
