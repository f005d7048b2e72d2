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

from ..answers import Plan, Rule, Step, Verdict, rule_table
from ..errors import NoUpgradePath
from .catalog import Catalog, MajorLine, Releases, as_catalog, line_name
from .parser import as_version
from .version import Version

__all__ = ["RULES", "check_cluster", "check_upgrade", "plan_upgrade"]

RULES = rule_table(
    Rule("same-major", True, "Minor versions within one major are interchangeable, both ways."),
    Rule("next-major", True, "From the last minor of a major, the next major may follow."),
    Rule("previous-major", True, "A rollback of one major lands on the last minor of the lower."),
    Rule("not-last-minor", False, "The next major starts only from the last minor of the current."),
    Rule("partial-version", False, "A version without its minor cannot be on the last minor."),
    Rule("skips-major", False, "Majors go one at a time: an upgrade may not skip one."),
    Rule("rollback-skips-major", False, "Majors go one at a time: a rollback may not skip one."),
    Rule("rollback-not-last-minor", False, "A rollback of one major lands on its last minor only."),
    Rule("rollback-limit", False, "Never more than two majors below a version ever installed."),
    Rule("unknown-major", False, "A major the catalog does not list cannot be placed in order."),
    Rule("no-final-release", False, "A major without a final release has no known last minor."),
    Rule("one-major", True, "Every node of the cluster runs the same major."),
    Rule("adjacent-majors", True, "Two adjacent majors run together during a rolling upgrade."),
    Rule("too-many-majors", False, "A cluster runs at most two majors, and only adjacent ones."),
    Rule("non-adjacent-majors", False, "Two majors run together only if adjacent in the catalog."),
)
"""Every rule a YDB verdict can come from, by id, with what it means."""

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
) -> Plan:
    """The versions to install, in order, to go from *current* to *target* (the last step).

    The fewest stops the rules require: the newest final release of each major on the way, and of
    the current major when *current* is not on its last minor. Works downward too, one major a
    step. Release candidates are stops only when *candidates* is true. A partial *target*
    (``25.2``) means the newest release matching it. Raises NoUpgradePath when no path exists.

    >>> [str(v) for v in plan_upgrade("24.3.11.13", "25.2.1.26").versions]
    ['24.3.15.5', '24.4.4.12', '25.1.4.18', '25.2.1.26']
    """
    catalog = as_catalog(releases)
    position = as_version(current)
    installed = [position, *map(as_version, history)]
    goal = _resolve(as_version(target), catalog, candidates)
    stops = [] if goal == position else [*_stops_before(position, goal, catalog, candidates)]
    if goal != position:
        stops.append((goal, "the target"))
    steps = []
    for stop, why in stops:
        verdict = _judge(position, stop, catalog, installed, candidates)
        if not verdict:
            raise NoUpgradePath(f"no path from {current} to {target}: {verdict.reason}")
        steps.append(Step("cluster", position, stop, True, stop < position, why))
        installed.append(stop)
        position = stop
    return Plan(steps)


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
    lines = sorted({node.line for node in nodes})
    names = ", ".join(map(line_name, lines))
    if len(lines) == 1:
        return RULES["one-major"].verdict(f"Every node runs {names}: one major.")
    unknown = _unknown_major(catalog, *lines)
    if unknown is not None:
        return unknown
    if len(lines) > 2:
        return RULES["too-many-majors"].verdict(
            f"The nodes run {len(lines)} majors ({names}); a cluster runs at most two adjacent "
            "majors, during a rolling upgrade."
        )
    lower, upper = lines
    if catalog.distance(lower, upper) != 1:
        return RULES["non-adjacent-majors"].verdict(
            f"{line_name(lower)} and {line_name(upper)} are not adjacent majors; a cluster runs "
            "two majors only during a rolling upgrade from one major to the next."
        )
    lagging = sorted(
        str(node) for node in nodes if node.line == lower and catalog.is_last_minor(node) is False
    )
    notes: tuple[str, ...] = ()
    if lagging:
        last = catalog.last_minor(lower)
        notes = (
            f"Nodes on {', '.join(lagging)} are not on the last minor of {line_name(lower)} "
            f"({line_name(lower)}.{last}), from which the upgrade to {line_name(upper)} starts.",
        )
    return RULES["adjacent-majors"].verdict(
        f"{line_name(lower)} and {line_name(upper)} are adjacent majors, as during a rolling "
        "upgrade.",
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
    here, there = current.line, target.line
    if here == there:
        return RULES["same-major"].verdict(
            f"{current} and {target} are both {line_name(here)}: minor versions within one major "
            "are interchangeable.",
            notes,
        )
    highest = max(installed)
    unknown = _unknown_major(catalog, here, there, highest.line)
    if unknown is not None:
        return unknown
    if catalog.distance(there, highest.line) > 2:
        return RULES["rollback-limit"].verdict(
            f"{target} is more than two majors below {highest}, which was installed before: a "
            f"version that old may not read the data {highest} wrote.",
            notes,
        )
    step = catalog.distance(here, there)
    if step > 1:
        return _refuse_skip(catalog, current, target, +1, "skips-major", notes)
    if step < -1:
        return _refuse_skip(catalog, current, target, -1, "rollback-skips-major", notes)
    return _judge_adjacent(catalog, current, target, candidates, notes)


def _judge_adjacent(
    catalog: Catalog,
    current: Version,
    target: Version,
    candidates: bool,
    notes: tuple[str, ...],
) -> Verdict:
    """A move to the next major or back to the previous one: either way, the step runs between
    the last minor of the lower major and the higher major."""
    upward = target.line > current.line
    lower = current if upward else target
    last = catalog.last_minor(lower.line, candidates=candidates)
    if last is None:
        return RULES["no-final-release"].verdict(
            f"The catalog lists no final release of {line_name(lower.line)}, so its last "
            "minor is unknown.",
            notes,
        )
    newest = catalog.newest(lower.line, candidates=candidates)
    here, there = line_name(current.line), line_name(target.line)
    if not upward:
        if target.minor is None or target.minor < last:
            return RULES["rollback-not-last-minor"].verdict(
                f"A rollback from {here} lands only on the last minor of {there}: roll back to "
                f"{there}.{last}.* (newest {newest}), then move within {there}.",
                notes,
            )
        return RULES["previous-major"].verdict(
            f"{target} is on the last minor of {there}, the major before {here}, and within two "
            "majors of every version installed so far.",
            (*notes, ROLLBACK_WARNING),
        )
    if current.minor is None:
        return RULES["partial-version"].verdict(
            f"{current} does not say its minor; only the last minor of {here}, {here}.{last}, may "
            f"update to {there}.",
            notes,
        )
    if current.minor < last:
        return RULES["not-last-minor"].verdict(
            f"{current} is not on the last minor of {here}: update to {here}.{last}.* "
            f"(newest {newest}) first.",
            notes,
        )
    where = "on" if current.minor == last else f"past {here}.{last},"
    return RULES["next-major"].verdict(
        f"{current} is {where} the last minor of {here}, and {there} is the next major.", notes
    )


def _refuse_skip(
    catalog: Catalog,
    current: Version,
    target: Version,
    direction: int,
    rule: str,
    notes: tuple[str, ...],
) -> Verdict:
    position = catalog.position(current.line)
    assert position is not None  # _unknown_major has ruled this out
    through = line_name(catalog.majors[position + direction])
    verb = "update" if direction > 0 else "roll back"
    return RULES[rule].verdict(
        f"Majors go one at a time, and {target} is not next to {current}: {verb} to {through} "
        "first.",
        notes,
    )


def _stops_before(
    current: Version, goal: Version, catalog: Catalog, candidates: bool
) -> list[tuple[Version, str]]:
    """The stops before *goal* that the rules require, each with why it is there; unchecked, for
    _judge to confirm."""
    here, there = catalog.position(current.line), catalog.position(goal.line)
    if here is None or there is None or here == there:
        return []
    lines: list[tuple[MajorLine, str]] = []
    if there > here:
        if current.minor is None or catalog.is_last_minor(current, candidates=candidates) is False:
            lines.append((current.line, f"the last minor of {line_name(current.line)}"))
        lines += [
            (catalog.majors[index], f"the major after {line_name(catalog.majors[index - 1])}")
            for index in range(here + 1, there)
        ]
    else:
        lines += [
            (catalog.majors[index], f"the major before {line_name(catalog.majors[index + 1])}")
            for index in range(here - 1, there, -1)
        ]
        if catalog.is_last_minor(goal, candidates=candidates) is False:
            lines.append((goal.line, f"the last minor of {line_name(goal.line)}"))
    return [(_newest(catalog, line, candidates), why) for line, why in lines]


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
    matching = catalog.newest_matching(target, candidates=candidates)
    if matching is not None:
        return matching
    if target.minor is not None or catalog.position(target.line) is None:
        return target  # for _judge to name what is unknown about it
    hint = "" if candidates else " final"
    raise NoUpgradePath(f"the catalog lists no{hint} release of {target} to install")


def _unknown_major(catalog: Catalog, *lines: MajorLine) -> Verdict | None:
    for line in lines:
        if catalog.position(line) is None:
            return RULES["unknown-major"].verdict(
                f"The release catalog lists no {line_name(line)} release, so where it stands in "
                "the sequence of majors is unknown; pass a catalog that lists it."
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
