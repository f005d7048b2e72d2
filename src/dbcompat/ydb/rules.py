"""The YDB upgrade and rollback rules, reasoning only about Version objects and a Catalog.

From YDB's documentation ("YDB Versioning", "Version Compatibility"):

- all minor versions within one major are compatible, in both directions;
- majors go one at a time, and only from the last available minor of the current major;
- never roll back more than two majors below a version that was ever installed.

Decided here where the documentation is silent (and documented in the README):

- a rollback of one major may land on any minor of the lower major, as the documentation's
  wildcards say; the verdict recommends the last minor, the one known to run beside the higher
  major, and plans land there;
- a version the catalog does not list is judged by its year.major.minor, and the verdict says
  so; a major the catalog does not list cannot be placed in the sequence, so it is refused;
- a partial version (``25.1``) that does not say its minor cannot be on the last minor: an upgrade
  to the next major from it is refused; as a target it means the newest release matching it;
- a current version already more than two majors below a version of its history means the
  history and the node disagree: that is refused rather than judged.

Each verdict also carries what YDB's own binaries decide of the two builds (``binaries``), and a
move they refuse is refused (:mod:`dbcompat.ydb.agreement`).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from .._value import by_key
from ..answers import Plan, Rule, Step, Verdict, rule_table
from ..errors import NoUpgradePath, check_many
from ..words import go_on
from .agreement import AGREEMENT_RULES, judge_move
from .binaries import check_move
from .catalog import Catalog, MajorLine, Releases, Survey, as_catalog, line_name
from .parser import as_version
from .targets import TEACH, newest_release, read_target, resolve
from .version import PRODUCT, Version

__all__ = ["PLANNABLE", "RULES", "check_upgrade", "plan_upgrade"]

RULES = rule_table(
    Rule("already-installed", True, "The target is the version already installed."),
    Rule("same-major", True, "Minor versions within one major are interchangeable, both ways."),
    Rule("next-major", True, "From the last minor of a major, the next major may follow."),
    Rule("previous-major", True, "A rollback of one major may land on any minor of the lower."),
    Rule("not-last-minor", False, "The next major starts only from the last minor of the current."),
    Rule("partial-version", False, "A version without its minor cannot be on the last minor."),
    Rule("skips-major", False, "Majors go one at a time: an upgrade may not skip one."),
    Rule("rollback-skips-major", False, "Majors go one at a time: a rollback may not skip one."),
    Rule("rollback-limit", False, "Never more than two majors below a version ever installed."),
    Rule("history-conflict", False, "The node already runs below what its history allows."),
    Rule("unknown-major", False, "A major the catalog does not list cannot be placed in order."),
    Rule("no-final-release", False, "A major without a final release has no known last minor."),
    Rule("one-major", True, "Every node of the cluster runs the same major."),
    Rule("adjacent-majors", True, "Two adjacent majors run together during a rolling upgrade."),
    Rule("lower-major-not-last-minor", False, "The documented path passes the last minor first."),
    Rule("too-many-majors", False, "A cluster runs at most two majors, and only adjacent ones."),
    Rule("non-adjacent-majors", False, "Two majors run together only if adjacent in sequence."),
    Rule("nodes-disagree", False, "Nodes on several majors have no one version to move from."),
    Rule("development-builds", True, "YDB runs development builds together."),
    Rule("development-beside-release", False, "A development build never runs beside a release."),
    *AGREEMENT_RULES,
)
"""Every rule a YDB verdict can come from, by id, with what it means."""

ROLLBACK_WARNING = (
    "Rolling back can still fail once features of the newer major have been used: back up first."
)

MANY = f"an iterable of {PRODUCT} versions"

PLANNABLE = frozenset({"not-last-minor", "partial-version", "skips-major", "rollback-skips-major"})
"""The refusals that a path of allowed steps may get around: their verdicts name that path."""


def check_upgrade(
    current: Version | str,
    target: Version | str,
    *,
    releases: Releases = None,
    history: Iterable[Version | str] = (),
) -> Verdict:
    """May a node running *current* move straight to *target*?

    *history* lists versions installed at least once (*current* always counts): no move may go
    more than two majors below the highest of them. A refusal that a plan gets around names it.
    *target* may also be ``"latest"`` (the newest final release) or a bare year (``"25"``: its
    newest major).

    >>> print(check_upgrade("24.3.11.13", "24.4.4.12").reason)
    24.3.11.13 is not on the last minor of 24.3: update to 24.3.15.5 (the last minor of 24.3) \
first. The plan: 24.3.15.5 -> 24.4.4.12.
    >>> bool(check_upgrade("24.3.15.5", "24.4.4.2"))
    True
    """
    catalog = as_catalog(releases)
    current_version = as_version(current)
    installed = [current_version, *map(as_version, check_many(history, "history", MANY))]
    try:
        target_version = read_target(target, catalog)
    except NoUpgradePath as unknown:
        return RULES["unknown-major"].verdict(f"{unknown}.")
    verdict = _judge(current_version, target_version, catalog, installed)
    if verdict.rule not in PLANNABLE:
        return verdict
    try:
        plan = _plan(current_version, target_version, catalog, installed, candidates=False)
    except NoUpgradePath:
        return verdict
    path = " -> ".join(map(str, plan.versions))
    return verdict.replace(reason=f"{verdict.reason} The plan: {path}.")


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
    step, landing on the last minor of each. Release candidates are stops only when *candidates*
    is true. A partial *target* (``25.2``) means the newest release matching it, ``"latest"`` the
    newest final release of all, and a bare year (``"25"``) the newest final release of its
    newest major. Raises NoUpgradePath when
    no path exists.

    >>> [str(v) for v in plan_upgrade("24.3.11.13", "25.2.1.26").versions]
    ['24.3.15.5', '24.4.4.12', '25.1.4.18', '25.2.1.26']
    """
    catalog = as_catalog(releases)
    position = as_version(current)
    installed = [position, *map(as_version, check_many(history, "history", MANY))]
    return _plan(position, read_target(target, catalog), catalog, installed, candidates)


def _plan(
    position: Version,
    target: Version,
    catalog: Catalog,
    installed: list[Version],
    candidates: bool,
) -> Plan:
    start = position  # what was asked, which a refusal at a later stop names
    conflict = _history_conflict(catalog, position, max(installed))
    if conflict is not None:
        raise NoUpgradePath(f"no path from {start} to {target}: {go_on(conflict.reason)}")
    if _same_build(target, position):
        return Plan([])
    goal = resolve(target, catalog, candidates)
    if _same_build(goal, position):
        return Plan([])
    try:
        stops = [*_stops_before(position, goal, catalog, candidates), (goal, "the target")]
    except NoUpgradePath as error:
        raise NoUpgradePath(f"no path from {start} to {target}: {error}") from None
    steps = []
    for stop, why in stops:
        verdict = _judge(position, stop, catalog, installed, candidates)
        if not verdict:
            at = "" if position == start else f"at {position}, "
            raise NoUpgradePath(f"no path from {start} to {target}: {at}{go_on(verdict.reason)}")
        rollback = stop < position
        steps.append(Step("cluster", position, stop, True, rollback, why, verdict.binaries))
        installed = [*installed, stop]
        position = stop
    return Plan(steps)


def _judge(
    current: Version,
    target: Version,
    catalog: Catalog,
    installed: list[Version],
    candidates: bool = False,
) -> Verdict:
    documented = _documented(current, target, catalog, installed, candidates)
    return judge_move(documented, check_move(current, target))


def _documented(
    current: Version,
    target: Version,
    catalog: Catalog,
    installed: list[Version],
    candidates: bool,
) -> Verdict:
    notes = unlisted_notes(catalog.survey((current, target)))
    if _same_build(current, target):
        return RULES["already-installed"].verdict(
            f"{target} is already installed: nothing to do.", notes
        )
    highest = max(installed)
    conflict = _history_conflict(catalog, current, highest)
    if conflict is not None:
        return conflict
    here, there = current.line, target.line
    if here == there:
        return RULES["same-major"].verdict(
            f"{current} and {target} are both {line_name(here)}: minor versions within one major "
            "are interchangeable.",
            notes,
        )
    unknown = unknown_major(catalog, here, there, highest.line)
    if unknown is not None:
        return unknown
    if catalog.distance(there, highest.line) > 2:
        position = catalog.position(highest.line)
        assert position is not None  # _unknown_major has ruled this out
        lowest = catalog.majors[position - 2]
        which = "the version running" if highest == current else "which was installed before"
        return RULES["rollback-limit"].verdict(
            f"{target} is more than two majors below {highest}, {which}: a version that old may "
            f"not read the data {highest} wrote. The lowest it may go is "
            f"{landing_of(catalog, lowest)}.",
            notes,
        )
    step = catalog.distance(here, there)
    if abs(step) > 1:
        return _refuse_skip(catalog, current, target, step, notes)
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
        hint = "" if candidates else "; allow release candidates (candidates=True) to count them"
        if lower.line in catalog.unpublished:
            hint = f": no published release offers it; {TEACH}"
        return RULES["no-final-release"].verdict(
            f"The catalog lists no final release of {line_name(lower.line)}, so its last "
            f"minor is unknown{hint}.",
            notes,
        )
    here, there = line_name(current.line), line_name(target.line)
    landing = landing_of(catalog, lower.line, candidates)
    if not upward:
        if catalog.is_last_minor(target, candidates=candidates) is not True:
            notes += (
                f"{landing} is the recommended landing: the last minor of {there} is the one "
                f"known to run beside {here}.",
            )
        return RULES["previous-major"].verdict(
            f"{target} is on {there}, the major before {here}, and within two majors of every "
            "version installed so far.",
            (*notes, ROLLBACK_WARNING),
        )
    if current.minor is None:
        return RULES["partial-version"].verdict(
            f"{current} does not say its minor; only the last minor of {here} may update to "
            f"{there}: update to {landing} first.",
            notes,
        )
    if current.minor < last:
        return RULES["not-last-minor"].verdict(
            f"{current} is not on the last minor of {here}: update to {landing} first.", notes
        )
    where = "on" if current.minor == last else f"past {here}.{last},"
    return RULES["next-major"].verdict(
        f"{current} is {where} the last minor of {here}, and {there} is the next major.", notes
    )


def _refuse_skip(
    catalog: Catalog, current: Version, target: Version, step: int, notes: tuple[str, ...]
) -> Verdict:
    position = catalog.position(current.line)
    assert position is not None  # _unknown_major has ruled this out
    through = catalog.majors[position + (1 if step > 0 else -1)]
    rule, verb = ("skips-major", "update") if step > 0 else ("rollback-skips-major", "roll back")
    return RULES[rule].verdict(
        f"Majors go one at a time, and {target} is not next to {current}: {verb} to "
        f"{landing_of(catalog, through)} first.",
        notes,
    )


def _history_conflict(catalog: Catalog, current: Version, highest: Version) -> Verdict | None:
    """The refusal when *current* itself is more than two majors below *highest*, a version its
    history says was installed; None when they agree, or cannot be placed."""
    if catalog.position(current.line) is None or catalog.position(highest.line) is None:
        return None
    if catalog.distance(current.line, highest.line) <= 2:
        return None
    return RULES["history-conflict"].verdict(
        f"The history and the current version disagree: {current} is itself more than two majors "
        f"below {highest}, which the history says was installed. Check the history (history=...) "
        "and the version the node runs."
    )


def _same_build(a: Version, b: Version) -> bool:
    """Whether *a* and *b* are the same build: the release type never matters."""
    return a.release == b.release and (a.hotfix, a.release_candidate, a.enterprise) == (
        b.hotfix,
        b.release_candidate,
        b.enterprise,
    )


def landing_of(catalog: Catalog, line: MajorLine, candidates: bool = False) -> str:
    """Where a step into *line* lands, named concretely: ``24.4.4.12 (the last minor of 24.4)``."""
    newest = catalog.newest(line, candidates=candidates)
    name = line_name(line)
    if newest is not None:
        return f"{newest} (the last minor of {name})"
    if line in catalog.unpublished:
        return f"{name} (a major no published release offers)"
    return f"{name}'s last minor"


def last_minor_clause(catalog: Catalog, line: MajorLine) -> str:
    last = catalog.last_minor(line)
    return "" if last is None else f" ({line_name(line)}.{last})"


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
    return [(newest_release(catalog, line, candidates), why) for line, why in lines]


def unknown_major(catalog: Catalog, *lines: MajorLine) -> Verdict | None:
    for line in lines:
        if catalog.position(line) is None:
            return RULES["unknown-major"].verdict(
                f"The release catalog lists no {line_name(line)} release, so where it stands in "
                f"the sequence of majors is unknown; {TEACH}."
            )
    return None


def unlisted_notes(survey: Survey, *, in_order: bool = True) -> tuple[str, ...]:
    unlisted, candidates = survey.unlisted, survey.candidates
    notes = []
    if unlisted:
        are, they = ("is", "it was") if len(unlisted) == 1 else ("are", "they were")
        notes.append(
            f"{first_few(unlisted, in_order=in_order)} {are} not in the release catalog; {they} "
            "judged by year.major.minor."
        )
    if len(candidates) == 1:
        notes.append(f"{candidates[0]} is a release candidate, not a final release.")
    elif candidates:
        some = first_few(candidates, in_order=in_order)
        notes.append(f"{some} are release candidates, not final releases.")
    return tuple(notes)


def first_few(versions: list[Version], shown: int = 5, *, in_order: bool = True) -> str:
    """The first few of *versions* (the lowest, unless they come *in_order*), and how many more:
    a fleet may list thousands, and a million need not be sorted to name five."""
    first = versions[:shown] if in_order else heapq.nsmallest(shown, versions, key=by_key)
    names = ", ".join(map(str, first))
    rest = len(versions) - shown
    return names if rest <= 0 else f"{names} and {rest:,} more"
