"""The YDB upgrade and rollback rules, reasoning only about Version objects and a Catalog.

From YDB's documentation ("YDB Versioning", "Version Compatibility"):

- all minor versions within one major are compatible, in both directions;
- majors go one at a time, and only from the last available minor of the current major;
- never roll back more than two majors below a version that was ever installed.

Decided here where the documentation is silent (and documented in the README):

- a rollback of one major is the mirror of an upgrade: it must land on the last minor of the
  lower major, the only minor known to run beside the higher one;
- a version the catalog does not list is judged by its year.major.minor, and the verdict says
  so; a major the catalog does not list cannot be placed in the sequence, so it is refused;
- a partial version (``25.1``) that does not say its minor cannot be on the last minor: an upgrade
  to the next major from it is refused; as a target it means the newest release matching it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import NoUpgradePath
from ..verdict import Verdict
from .catalog import Catalog, MajorLine, Releases, as_catalog, line_name
from .parser import as_version
from .version import Version

__all__ = ["check_cluster", "check_upgrade", "plan_upgrade"]

ROLLBACK_WARNING = (
    "Rolling back can still fail once features of the newer major have been used: back up first."
)


def check_upgrade(
    current: Version | str,
    target: Version | str,
    *,
    releases: Releases = None,
    history: Iterable[Version | str] = (),
) -> Verdict:
    """May a node running *current* move straight to *target*?

    *history* lists versions installed at least once (*current* always counts): no move may go
    more than two majors below the highest of them.

    >>> check_upgrade("24.3.11.13", "24.4.4.12").reason
    '24.3.11.13 is not on the last minor of 24.3: update to 24.3.15.* (newest 24.3.15.5) first.'
    >>> bool(check_upgrade("24.3.15.5", "24.4.4.2"))
    True
    """
    current_version = as_version(current)
    installed = [current_version, *map(as_version, history)]
    return _judge(current_version, as_version(target), as_catalog(releases), installed)


def plan_upgrade(
    current: Version | str,
    target: Version | str,
    *,
    releases: Releases = None,
    history: Iterable[Version | str] = (),
    candidates: bool = False,
) -> list[Version]:
    """The versions to install, in order, to go from *current* to *target* (which ends the list).

    The fewest stops the rules require: the newest final release of each major on the way, and of
    the current major when *current* is not on its last minor. Works downward too, one major a
    step. Release candidates are stops only when *candidates* is true. A partial *target*
    (``25.2``) means the newest release matching it. Raises NoUpgradePath when no path exists.

    >>> [str(v) for v in plan_upgrade("24.3.11.13", "25.2.1.26")]
    ['24.3.15.5', '24.4.4.12', '25.1.4.18', '25.2.1.26']
    """
    catalog = as_catalog(releases)
    position = as_version(current)
    installed = [position, *map(as_version, history)]
    goal = _resolve(as_version(target), catalog, candidates)
    stops = [] if goal == position else [*_stops_before(position, goal, catalog, candidates), goal]
    for stop in stops:
        verdict = _judge(position, stop, catalog, installed, candidates)
        if not verdict:
            raise NoUpgradePath(f"no path from {current} to {target}: {verdict.reason}")
        installed.append(stop)
        position = stop
    return stops


def check_cluster(versions: Iterable[Version | str], *, releases: Releases = None) -> Verdict:
    """May nodes running these versions run together, as during a rolling upgrade?

    At most two majors, adjacent in the catalog's sequence (``24.4`` with ``25.1`` is fine).

    >>> bool(check_cluster(["24.4.4.12", "25.1.4.18", "25.1.4.18"]))
    True
    >>> check_cluster(["24.1.18", "25.1.4.18"]).rule
    'non-adjacent-majors'
    """
    # Fleets repeat a handful of versions: read each distinct one once.
    nodes = sorted({as_version(version) for version in set(versions)})
    if not nodes:
        raise ValueError("a cluster needs at least one version")
    catalog = as_catalog(releases)
    lines = sorted({node.major_line for node in nodes})
    names = ", ".join(map(line_name, lines))
    if len(lines) == 1:
        return Verdict(True, f"Every node runs {names}: one major.", "one-major")
    unknown = _unknown_major(catalog, *lines)
    if unknown is not None:
        return unknown
    if len(lines) > 2:
        return Verdict(
            False,
            f"The nodes run {len(lines)} majors ({names}); a cluster runs at most two adjacent "
            "majors, during a rolling upgrade.",
            "too-many-majors",
        )
    lower, upper = lines
    if _distance(catalog, lower, upper) != 1:
        return Verdict(
            False,
            f"{line_name(lower)} and {line_name(upper)} are not adjacent majors; a cluster runs "
            "two majors only during a rolling upgrade from one major to the next.",
            "non-adjacent-majors",
        )
    last = catalog.last_minor(lower)
    lagging = sorted(
        str(node)
        for node in nodes
        if node.major_line == lower and last is not None and (node.minor or 0) < last
    )
    notes: tuple[str, ...] = ()
    if lagging:
        notes = (
            f"Nodes on {', '.join(lagging)} are not on the last minor of {line_name(lower)} "
            f"({line_name(lower)}.{last}), from which the upgrade to {line_name(upper)} starts.",
        )
    return Verdict(
        True,
        f"{line_name(lower)} and {line_name(upper)} are adjacent majors, as during a rolling "
        "upgrade.",
        "adjacent-majors",
        notes,
    )


def _judge(
    current: Version,
    target: Version,
    catalog: Catalog,
    installed: list[Version],
    candidates: bool = False,
) -> Verdict:
    notes = _unlisted_notes(catalog, current, target)
    here, there = current.major_line, target.major_line
    if here == there:
        return Verdict(
            True,
            f"{current} and {target} are both {line_name(here)}: minor versions within one major "
            "are interchangeable.",
            "same-major",
            notes,
        )
    highest = max(installed)
    unknown = _unknown_major(catalog, here, there, highest.major_line)
    if unknown is not None:
        return unknown
    if _distance(catalog, there, highest.major_line) > 2:
        return Verdict(
            False,
            f"{target} is more than two majors below {highest}, which was installed before: a "
            f"version that old may not read the data {highest} wrote.",
            "rollback-limit",
            notes,
        )
    step = _distance(catalog, here, there)
    if step > 1:
        return _refuse_skip(catalog, current, target, +1, "skips-major", notes)
    if step < -1:
        return _refuse_skip(catalog, current, target, -1, "rollback-skips-major", notes)
    # Either way, the step runs between the last minor of the lower major and the higher major.
    lower = current if step == 1 else target
    last = catalog.last_minor(lower.major_line, candidates=candidates)
    if last is None:
        return Verdict(
            False,
            f"The catalog lists no final release of {line_name(lower.major_line)}, so its last "
            "minor is unknown.",
            "no-final-release",
            notes,
        )
    newest = catalog.newest(lower.major_line, candidates=candidates)
    if step == 1:
        return _judge_next_major(current, target, last, newest, notes)
    return _judge_previous_major(current, target, last, newest, notes)


def _judge_next_major(
    current: Version,
    target: Version,
    last: int,
    newest: Version | None,
    notes: tuple[str, ...],
) -> Verdict:
    here, there = line_name(current.major_line), line_name(target.major_line)
    if current.minor is None:
        return Verdict(
            False,
            f"{current} does not say its minor; only the last minor of {here}, {here}.{last}, may "
            f"update to {there}.",
            "partial-version",
            notes,
        )
    if current.minor < last:
        return Verdict(
            False,
            f"{current} is not on the last minor of {here}: update to {here}.{last}.* "
            f"(newest {newest}) first.",
            "not-last-minor",
            notes,
        )
    where = "on" if current.minor == last else f"past {here}.{last},"
    return Verdict(
        True,
        f"{current} is {where} the last minor of {here}, and {there} is the next major.",
        "next-major",
        notes,
    )


def _judge_previous_major(
    current: Version,
    target: Version,
    last: int,
    newest: Version | None,
    notes: tuple[str, ...],
) -> Verdict:
    here, there = line_name(current.major_line), line_name(target.major_line)
    if target.minor is None or target.minor < last:
        return Verdict(
            False,
            f"A rollback from {here} lands only on the last minor of {there}: roll back to "
            f"{there}.{last}.* (newest {newest}), then move within {there}.",
            "rollback-not-last-minor",
            notes,
        )
    return Verdict(
        True,
        f"{target} is on the last minor of {there}, the major before {here}, and within two "
        "majors of every version installed so far.",
        "previous-major",
        (*notes, ROLLBACK_WARNING),
    )


def _refuse_skip(
    catalog: Catalog,
    current: Version,
    target: Version,
    direction: int,
    rule: str,
    notes: tuple[str, ...],
) -> Verdict:
    position = catalog.position(current.major_line)
    assert position is not None  # _unknown_major has ruled this out
    through = line_name(catalog.majors[position + direction])
    verb = "update" if direction > 0 else "roll back"
    return Verdict(
        False,
        f"Majors go one at a time, and {target} is not next to {current}: {verb} to {through} "
        "first.",
        rule,
        notes,
    )


def _stops_before(
    current: Version, goal: Version, catalog: Catalog, candidates: bool
) -> list[Version]:
    """The stops before *goal* that the rules require; unchecked, for _judge to confirm."""
    here, there = catalog.position(current.major_line), catalog.position(goal.major_line)
    if here is None or there is None or here == there:
        return []
    lines: list[MajorLine] = []
    if there > here:
        last = catalog.last_minor(current.major_line, candidates=candidates)
        if current.minor is None or (last is not None and current.minor < last):
            lines.append(current.major_line)
        lines += catalog.majors[here + 1 : there]
    else:
        lines += reversed(catalog.majors[there + 1 : here])
        last = catalog.last_minor(goal.major_line, candidates=candidates)
        if last is not None and goal.minor is not None and goal.minor < last:
            lines.append(goal.major_line)
    return [_newest(catalog, line, candidates) for line in lines]


def _newest(catalog: Catalog, line: MajorLine, candidates: bool) -> Version:
    newest = catalog.newest(line, candidates=candidates)
    if newest is None:
        raise NoUpgradePath(
            f"the catalog lists no final release of {line_name(line)} to stop on"
            + ("" if candidates else "; allow release candidates to stop on one")
        )
    return newest


def _resolve(target: Version, catalog: Catalog, candidates: bool) -> Version:
    """*target* itself, or for a partial one (``25.2``) the newest release matching it."""
    if target.minor is not None and target.patch is not None:
        return target
    matching = [
        release
        for release in catalog.releases_of(target.major_line, candidates=candidates)
        if target.minor in (None, release.minor)
    ]
    if matching:
        return matching[-1]
    if target.minor is not None or catalog.position(target.major_line) is None:
        return target  # for _judge to name what is unknown about it
    hint = "" if candidates else " final"
    raise NoUpgradePath(f"the catalog lists no{hint} release of {target} to install")


def _distance(catalog: Catalog, lower: MajorLine, upper: MajorLine) -> int:
    """How many majors *upper* stands above *lower* in the catalog's sequence."""
    low, high = catalog.position(lower), catalog.position(upper)
    assert low is not None and high is not None  # _unknown_major has ruled this out
    return high - low


def _unknown_major(catalog: Catalog, *lines: MajorLine) -> Verdict | None:
    for line in lines:
        if catalog.position(line) is None:
            return Verdict(
                False,
                f"The release catalog lists no {line_name(line)} release, so where it stands in "
                "the sequence of majors is unknown; pass a catalog that lists it.",
                "unknown-major",
            )
    return None


def _unlisted_notes(catalog: Catalog, *versions: Version) -> tuple[str, ...]:
    return tuple(
        f"{version} is not in the release catalog; it was judged by its year.major.minor."
        for version in dict.fromkeys(versions)
        if version.minor is not None and version not in catalog
    ) + tuple(
        f"{version} is a release candidate, not a final release."
        for version in dict.fromkeys(versions)
        if version.release_candidate
    )
