"""A whole YDB fleet judged at once: counts per version and per major, and the nodes to blame.

>>> fleet = check_fleet([("storage-1", "24.4.4.12"), ("storage-2", "25.1.4.18"),
...                      ("storage-17", "24.1.18")])
>>> fleet.verdict.rule, [label for label, _ in fleet.offenders]
('too-many-majors', ['storage-17'])
>>> print(fleet.summary)
cluster of 3 nodes: refused (too-many-majors): 1 node (storage-17 on 24.1.18) runs a major \
outside the adjacent pair the rest run (24.4, 25.1)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from .._value import by_key
from ..answers import Verdict, combine
from ..entries import Entry, as_entries
from ..errors import DevelopmentBuild, InvalidVersion
from ..floating import FLOATING, Floating, FloatingPolicy, check_policy, judge_floating
from ..words import counted, refused_of
from .catalog import Catalog, MajorLine, Releases, as_catalog, line_name
from .cluster import check_pinned, judge_cluster
from .parser import as_version, is_development, parse_quietly
from .rules import check_upgrade
from .version import PRODUCT, Version

__all__ = ["Changes", "Fleet", "Skipped", "check_changes", "check_fleet"]

SHOWN = 5
"""How many offending nodes a one-line summary names before it counts the rest."""


class Skipped(NamedTuple):
    """An entry left out of the judgement with ``skip_invalid``: where, which, and why."""

    where: str
    label: str
    reason: str


class Fleet(NamedTuple):
    """The judgement of a fleet: the cluster verdict, each version run and by how many nodes (in
    version order), the labels of each version's nodes, how many nodes run each major, the nodes
    that make the state invalid (each with its version, or the development build it runs), what
    was skipped, and the labels of the nodes on each development build."""

    verdict: Verdict
    nodes: int
    versions: tuple[tuple[Version, int], ...]
    labels: Mapping[Version, list[Any]]
    majors: dict[MajorLine, int]
    offenders: list[tuple[str, Version | str]]
    skipped: list[Skipped]
    summary: str
    development: Mapping[str, list[Any]] = MappingProxyType({})

    def as_dict(self) -> dict[str, Any]:
        """The fleet's judgement as JSON-ready values: the verdict's, then the counts, in order."""
        return {
            **self.verdict.as_dict(),
            "summary": self.summary,
            "nodes": self.nodes,
            "versions": [
                {"version": str(version), "count": count, "labels": self.labels[version]}
                for version, count in self.versions
            ],
            "majors": [
                {"major": line_name(line), "count": count} for line, count in self.majors.items()
            ],
            "offenders": [{"label": label, "version": str(v)} for label, v in self.offenders],
            "skipped": [skipped._asdict() for skipped in self.skipped],
            "development": [
                {"build": build, "count": len(labels), "labels": labels}
                for build, labels in self.development.items()
            ],
        }


def check_fleet(
    entries: Iterable[Any],
    *,
    releases: Releases = None,
    skip_invalid: bool = False,
    floating: FloatingPolicy = "refuse",
) -> Fleet:
    """Judge every node of *entries* together: ``(label, version)`` pairs, inventory entries
    (``label``, ``text``, ``where``), or a mapping of labels to versions. The entries are read
    as they come, each distinct version text once. A bad entry raises InvalidVersion naming
    where it came from, unless *skip_invalid*, which judges the rest and lists it in
    ``skipped``. A node whose image names no version (a ``Floating`` entry: ``latest``, a
    digest only) is judged by the *floating* policy (``dbcompat.floating``).
    """
    check_policy(floating)
    catalog = as_catalog(releases)
    read: dict[Any, Version | InvalidVersion] = {}  # each distinct text once
    refused = 0
    labels: dict[Version, list[Any]] = {}
    development: dict[str, list[Any]] = {}
    skipped: list[Skipped] = []
    assumed: dict[str, None] = {}
    unpinned: list[tuple[Any, Floating]] = []
    for entry in as_entries(entries):
        if entry.note:
            assumed[entry.note] = None
        if isinstance(entry.text, Floating):
            unpinned.append((entry.label, entry.text))
            continue
        version = read.get(entry.text) if _hashable(entry.text) else None
        if version is None:
            version = _read(entry.text, explain=refused < EXPLAINED)
            read[entry.text] = version
            refused += isinstance(version, InvalidVersion)
        if isinstance(version, DevelopmentBuild):  # a node, though it has no version
            development.setdefault(version.text, []).append(entry.label)
            continue
        if isinstance(version, InvalidVersion):
            if not skip_invalid:
                raise _located(version, entry) from None
            skipped.append(Skipped(entry.where, entry.label, version.reason))
            continue
        labels.setdefault(version, []).append(entry.label)
    if floating == "ignore":
        unpinned = []
    if not labels and not development and not unpinned:
        raise ValueError("a cluster needs at least one node with a version")
    ordered = sorted(labels, key=by_key)
    verdict = judge_cluster(ordered, catalog, list(development)) if labels or development else None
    verdict = _with_unpinned(verdict, unpinned, floating)
    if assumed:
        verdict = verdict.replace(notes=(*verdict.notes, *assumed))
    versions = tuple((version, len(labels[version])) for version in ordered)
    majors = _majors(versions)
    offenders: list[tuple[Any, Version | str]]
    if verdict.rule == "development-beside-release":
        offenders, why = _development_offenders(labels, development)
    elif verdict.rule == FLOATING.id:
        offenders = [(label, str(floats)) for label, floats in unpinned]
        why = "an image that names no version"
    else:
        blamed, why = _offenders(verdict.rule, ordered, majors, catalog)
        offenders = [(label, version) for version in blamed for label in labels[version]]
    total = sum(majors.values()) + sum(map(len, development.values())) + len(unpinned)
    summary = (
        f"cluster of {counted(total, 'node')}: "
        f"{'allowed' if verdict else 'refused'} ({verdict.rule})"
    )
    if offenders:
        shown = ", ".join(f"{label} on {version}" for label, version in offenders[:SHOWN])
        more = f" and {len(offenders) - SHOWN:,} more" if len(offenders) > SHOWN else ""
        how_many = counted(len(offenders), "node")
        verb = "runs" if len(offenders) == 1 else "run"
        summary += f": {how_many} ({shown}{more}) {verb} {why}"
    in_order = {version: labels[version] for version in ordered}
    return Fleet(
        verdict, total, versions, in_order, majors, offenders, skipped, summary, development
    )


def _with_unpinned(
    verdict: Verdict | None, unpinned: list[tuple[Any, Floating]], policy: FloatingPolicy
) -> Verdict:
    """The fleet's verdict, with the nodes whose image names no version judged by *policy*:
    refused if nothing else is, else a note."""
    if not unpinned:
        assert verdict is not None  # the caller raised where no node has a version
        return verdict
    shown = ", ".join(f"{label} on {floats}" for label, floats in unpinned[:SHOWN])
    more = f" and {len(unpinned) - SHOWN:,} more" if len(unpinned) > SHOWN else ""
    count = counted(len(unpinned), "node")
    said = judge_floating(None, unpinned[0][1], policy)
    assert said is not None  # ignored nodes were dropped
    reason = f"{count} ({shown}{more}) pin no version. {said.reason}"
    if verdict is None or (verdict.allowed and not said.allowed):
        notes = () if verdict is None else (f"The nodes with versions: {verdict.reason}",)
        return Verdict(said.allowed, reason, said.rule, (*notes, *(verdict or said).notes))
    return verdict.replace(notes=(*verdict.notes, reason))


def _development_offenders(
    labels: dict[Version, list[Any]], development: dict[str, list[Any]]
) -> tuple[list[tuple[Any, Version | str]], str]:
    """The nodes to blame where development builds run beside releases: the fewer side's."""
    builds: list[tuple[Any, Version | str]] = [
        (label, build) for build, names in development.items() for label in names
    ]
    releases: list[tuple[Any, Version | str]] = [
        (label, version) for version, names in labels.items() for label in names
    ]
    if len(builds) <= len(releases):
        return builds, "a development build beside releases"
    return releases, "a release beside development builds"


def _hashable(text: Any) -> bool:
    return isinstance(text, (str, Version))


EXPLAINED = 100
"""How many distinct bad texts a fleet that skips them explains in full (where and what the
grammar expected): past them, one sentence without asking the grammar, which costs ten times a
reading: a file of bad tags stays fast."""


def _read(text: Any, *, explain: bool) -> Version | InvalidVersion:
    """The version *text* spells, or the error that says why it spells none."""
    if explain or not isinstance(text, str):
        try:
            return as_version(text)
        except InvalidVersion as error:
            return error
    version = parse_quietly(text)
    if version is None and is_development(text):
        return DevelopmentBuild(text, PRODUCT)
    if version is None:
        reason = f"not a {PRODUCT} version (only the first {EXPLAINED} bad texts say why)"
        return InvalidVersion(text, reason, product=PRODUCT)
    return version


def _majors(versions: tuple[tuple[Version, int], ...]) -> dict[MajorLine, int]:
    """How many nodes run each major, from each version in order and its count."""
    majors: dict[MajorLine, int] = {}
    for version, count in versions:
        majors[version.line] = majors.get(version.line, 0) + count
    return majors


def _offenders(
    rule: str, versions: list[Version], majors: dict[MajorLine, int], catalog: Catalog
) -> tuple[list[Version], str]:
    """The versions that make the state invalid under *rule*, and what is wrong with them."""
    if rule == "unknown-major":
        unknown = {line for line in majors if catalog.position(line) is None}
        return [v for v in versions if v.line in unknown], "a major the catalog does not list"
    if rule == "lower-major-not-last-minor":
        lower = min(majors)
        lagging = [v for v in versions if v.line == lower and catalog.is_last_minor(v) is False]
        return lagging, f"{line_name(lower)} below its last minor"
    if rule in ("too-many-majors", "non-adjacent-majors"):
        largest = _largest_adjacent_groups(majors, catalog)
        if len(largest) > 1:  # a tie: no side is the majority, so every side is named
            kept = set.intersection(*map(set, largest))
            sides = " or ".join(" with ".join(map(line_name, group)) for group in largest)
            return (
                [v for v in versions if v.line not in kept],
                f"majors that split the cluster evenly ({sides}, as many nodes each): no side "
                "is the majority",
            )
        (group,) = largest
        names = ", ".join(map(line_name, group))
        what = "the adjacent pair" if len(group) == 2 else "the major"
        return (
            [v for v in versions if v.line not in group],
            f"a major outside {what} the rest run ({names})",
        )
    return [], ""


def _largest_adjacent_groups(
    majors: dict[MajorLine, int], catalog: Catalog
) -> list[tuple[MajorLine, ...]]:
    """The one major, or two adjacent ones, that most nodes run; several where they tie."""
    ordered = sorted(majors, key=lambda line: catalog.position(line) or 0)
    groups: list[tuple[MajorLine, ...]] = [(line,) for line in ordered]
    groups += [
        (low, high) for low, high in itertools.pairwise(ordered) if catalog.distance(low, high) == 1
    ]

    def size(group: tuple[MajorLine, ...]) -> tuple[int, int]:
        return sum(majors[line] for line in group), len(group)

    most = max(map(size, groups))
    return [group for group in groups if size(group) == most]


class Changes(NamedTuple):
    """The judgement of a change of manifests: every labelled node's move, the combined verdict,
    and the labels only one side has."""

    verdict: Verdict
    moves: list[tuple[str, Verdict]]
    added: list[str]
    removed: list[str]


def check_changes(
    old: Iterable[Any],
    new: Iterable[Any],
    *,
    releases: Releases = None,
    floating: FloatingPolicy = "refuse",
) -> Changes:
    """Judge every node that both *old* and *new* name (``(label, version)`` pairs, inventory
    entries or mappings of labels to versions, matched by label) as a move from its old version
    to its new one, the way an admission webhook judges a change. A node whose image names no
    version on the new side (a ``Floating`` entry), new or not, and a development build, are
    judged as :func:`check_pinned` judges them, by the *floating* policy. A bad version raises
    InvalidVersion naming where it came from.

    >>> changes = check_changes([("storage", "24.4.4.12")], [("storage", "25.2.1.26")])
    >>> changes.verdict.rule, changes.verdict.allowed
    ('skips-major', False)
    """
    check_policy(floating)
    catalog = as_catalog(releases)
    before, after = _by_label(old), _by_label(new)
    moves = []
    for label, version in after.items():
        was = before.get(label)
        if isinstance(version, Floating) or isinstance(was, Floating):
            if isinstance(was, Floating) and isinstance(version, Floating):
                continue  # floating before too: no version moved
            judged = check_pinned(was, version, floating)
            if judged is not None:
                moves.append((label, judged))
        elif was is not None:
            moves.append((label, check_upgrade(was, version, releases=catalog)))
    added = [label for label in after if label not in before]
    removed = [label for label in before if label not in after]
    if not moves:
        if not set(before) & set(after):
            raise ValueError("the two sides name no node in common: nothing moves")
        raise ValueError("no version moves that the floating policy does not ignore")
    verdict = combine(
        moves,
        f"Every move is allowed ({counted(len(moves), 'node')}).",
        refused_of("move"),
    )
    notes = [f"{label} is new: it has no old version to move from." for label in added]
    notes += [f"{label} is gone from the new side." for label in removed]
    if notes:
        verdict = verdict.replace(notes=(*verdict.notes, *notes))
    return Changes(verdict, moves, added, removed)


def _by_label(entries: Iterable[Any]) -> dict[Any, Version | Floating]:
    """The version of each entry by its label, read as ``check_fleet`` reads entries (what
    floats, or a development build, as a ``Floating``): a bad version raises naming where it
    came from."""
    versions: dict[Any, Version | Floating] = {}
    for entry in as_entries(entries):
        text = entry.text
        try:
            versions[entry.label] = text if isinstance(text, Floating) else as_version(text)
        except DevelopmentBuild:
            versions[entry.label] = Floating.development_build(str(text))
        except InvalidVersion as error:
            raise _located(error, entry) from None
    return versions


def _located(error: InvalidVersion, entry: Entry) -> InvalidVersion:
    """*error*, saying which entry it came from: where and its label."""
    return error.located(f"{entry.where} ({entry.label})" if entry.where else str(entry.label))
