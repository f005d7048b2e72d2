"""Judging a YDB cluster's state: may nodes running these versions run together?

YDB's own binaries decide what runs (:mod:`dbcompat.ydb.binaries`); the documentation says at
most two majors, adjacent in the sequence, and the nodes of the lower one on its last minor, the
path a documented upgrade takes. Where the binaries' rule is known it decides, and a documented
path not followed is a note (:mod:`dbcompat.ydb.agreement`). A cluster's state is judged here; a
move from one version to another by :mod:`dbcompat.ydb.rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .._value import by_key
from ..answers import Verdict
from ..errors import DevelopmentBuild, check_many
from ..floating import Floating, FloatingPolicy, judge_floating
from .agreement import judge_state
from .binaries import check_together
from .catalog import Catalog, Releases, Survey, as_catalog, line_name
from .parser import as_version, as_versions, distinct, is_development
from .rules import (
    MANY,
    RULES,
    first_few,
    landing_of,
    last_minor_clause,
    unknown_major,
    unlisted_notes,
)
from .version import Version

__all__ = ["check_cluster", "check_pinned", "judge_cluster", "running_version"]


def check_cluster(versions: Iterable[Version | str], *, releases: Releases = None) -> Verdict:
    """May nodes running these versions run together, as during a rolling upgrade?

    YDB's own binaries decide where dbcompat knows their rule: two majors of one year at most
    one apart, or across a year as a branch declares (``24.4`` with ``25.1`` is fine). The
    documentation adds its path (the nodes of the lower major on its last minor) as a note, and
    decides where the binaries' rule is unknown.

    A development build (``trunk``, ``main.b7cfb36``) has no version, but runs as a node: YDB
    runs development builds together, and never beside a release.

    >>> bool(check_cluster(["24.4.4.12", "25.1.4.18", "25.1.4.18"]))
    True
    >>> check_cluster(["24.1.18", "25.1.4.18"]).rule
    'non-adjacent-majors'
    >>> check_cluster(["main.b7cfb36", "24.4.4.12"]).rule
    'development-beside-release'
    """
    # Fleets repeat a handful of versions: read each distinct text once, then keep each
    # distinct version once (two spellings may name one), found by its key, which hashes in C.
    texts = distinct(check_many(versions, "versions", MANY))
    development: dict[object, None] = {}
    try:
        readings = as_versions(texts)
    except DevelopmentBuild:  # rare: only then is each text asked whether it is one
        development = {text: None for text in texts if is_development(text)}
        readings = as_versions(text for text in texts if text not in development)
    nodes = list(dict(zip(map(by_key, readings), readings, strict=True)).values())
    return judge_cluster(nodes, as_catalog(releases), [str(text) for text in development])


def running_version(
    nodes: Iterable[Version | str], *, releases: Releases = None
) -> Version | Verdict:
    """The version a cluster runs, for a move from it: the lowest of its nodes, which gates every
    upgrade; a refusal (``nodes-disagree``) when they run more than one major.

    >>> running_version(["25.1.4.18", "25.1.4.7"])
    <Version('25.1.4.7')>
    >>> running_version(["24.4.4.12", "25.1.4.18"]).rule
    'nodes-disagree'
    """
    read = map(as_version, check_many(nodes, "nodes", MANY))
    versions = sorted(set(read), key=by_key)
    cluster = judge_cluster(versions, as_catalog(releases))
    if cluster.rule == "one-major":
        return versions[0]
    return RULES["nodes-disagree"].verdict(
        f"The nodes do not agree on a major, so there is no one version to move from: "
        f"{cluster.reason} Finish moving every node to one major first.",
        cluster.notes,
    )


def judge_cluster(
    nodes: list[Version], catalog: Catalog, development: Sequence[str] = ()
) -> Verdict:
    """``check_cluster`` of distinct versions already read, in any order, and the development
    builds beside them: for callers such as ``check_fleet`` that hold them so, and need not pay
    for reading them again."""
    if development:
        return _judge_development(nodes, development)
    if not nodes:
        raise ValueError("a cluster needs at least one version")
    survey = catalog.survey(nodes)
    answer = check_together(nodes, majors=survey.lines)
    return judge_state(_documented(nodes, catalog, survey), answer)


def _judge_development(nodes: list[Version], development: Sequence[str]) -> Verdict:
    """Development builds, alone or beside releases: YDB's binaries decide, for the
    documentation speaks of releases only."""
    answer = check_together([*nodes, None])._replace(followed=True)
    builds = ", ".join(sorted(development)[:5]) + (" and more" if len(development) > 5 else "")
    if not nodes:
        return RULES["development-builds"].verdict(
            f"Every node runs a development build ({builds}): {answer.reason}",
            binaries=answer,
        )
    lines = ", ".join(map(line_name, sorted({node.line for node in nodes})))
    return RULES["development-beside-release"].verdict(
        f"Development builds ({builds}) run beside releases of {lines}: {answer.reason} Run "
        "every node on releases, or every node on development builds.",
        binaries=answer,
    )


def _documented(nodes: list[Version], catalog: Catalog, survey: Survey) -> Verdict:
    """What the documentation says of nodes running *nodes* together (*survey* of them)."""
    notes = unlisted_notes(survey, in_order=False)
    lines = sorted(survey.lines)
    names = ", ".join(map(line_name, lines))
    if len(lines) == 1:
        return RULES["one-major"].verdict(f"Every node runs {names}: one major.", notes)
    unknown = unknown_major(catalog, *lines)
    if unknown is not None:
        return unknown
    if len(lines) > 2:
        return RULES["too-many-majors"].verdict(
            f"The nodes run {len(lines)} majors ({names}); a cluster runs at most two adjacent "
            "majors, during a rolling upgrade.",
            notes,
        )
    lower, upper = lines
    if catalog.distance(lower, upper) != 1:
        between = [line for line in catalog.majors if lower < line < upper]
        if between and catalog.unpublished.issuperset(between):
            names = ", ".join(map(line_name, between))
            notes = (f"{names} lies between them: a major no published release offers.", *notes)
        return RULES["non-adjacent-majors"].verdict(
            f"{line_name(lower)} and {line_name(upper)} are not adjacent majors; a cluster runs "
            "two majors only during a rolling upgrade from one major to the next.",
            notes,
        )
    below = [node for node in nodes if node.line == lower]
    lagging = [node for node in below if catalog.is_last_minor(node) is False]
    unsure = [node for node in below if catalog.is_last_minor(node) is None]
    if unsure:
        notes += (
            f"Nodes on {first_few(unsure, in_order=False)} do not say which minor of "
            f"{line_name(lower)} they run: "
            f"whether they are on its last minor{last_minor_clause(catalog, lower)} is unknown.",
        )
    if lagging:
        return RULES["lower-major-not-last-minor"].verdict(
            f"Nodes on {first_few(lagging, in_order=False)} run {line_name(lower)} below its last "
            f"minor beside {line_name(upper)}: the documented upgrade passes through "
            f"{landing_of(catalog, lower)} first.",
            notes,
        )
    return RULES["adjacent-majors"].verdict(
        f"{line_name(lower)} and {line_name(upper)} are adjacent majors, as during a rolling "
        "upgrade.",
        notes,
    )


def check_pinned(
    before: Version | Floating | None, after: Version | Floating, policy: FloatingPolicy = "refuse"
) -> Verdict | None:
    """A place that named *before* (None: no history) and names *after*, where either floats
    (:mod:`dbcompat.floating`): a development build judged first by YDB's own rule (both run
    during the move, as nodes of one cluster), then the *policy*, which may add a refusal; None
    where nothing is refused or warned of.

    >>> trunk = Floating.development_build("trunk")
    >>> check_pinned(Version(24, 4, 4, 12), trunk, "ignore").rule
    'development-beside-release'
    """
    development = any(isinstance(v, Floating) and v.development for v in (before, after))
    if before is not None and development:
        together = check_cluster([str(before), str(after)])
        if not together:
            return together
    if not isinstance(after, Floating):
        return None  # from a development build to a version YDB's rule allows
    return judge_floating(before, after, policy)
