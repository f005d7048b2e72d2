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
from collections.abc import Iterable
from typing import Any, NamedTuple

from .._value import by_key
from ..answers import Verdict, combine
from ..errors import InvalidVersion
from ..inventory import Entry
from .catalog import Catalog, MajorLine, Releases, as_catalog, line_name
from .parser import as_version, parse_quietly
from .rules import check_upgrade, judge_cluster
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
    that make the state invalid, and what was skipped."""

    verdict: Verdict
    nodes: int
    versions: tuple[tuple[Version, int], ...]
    labels: dict[Version, list[str]]
    majors: dict[MajorLine, int]
    offenders: list[tuple[str, Version]]
    skipped: list[Skipped]
    summary: str

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
        }


def check_fleet(
    entries: Iterable[Any],
    *,
    releases: Releases = None,
    skip_invalid: bool = False,
) -> Fleet:
    """Judge every node of *entries* together: ``(label, version)`` pairs, or inventory entries
    (``label``, ``text``, ``where``). The entries are read as they come, each distinct version
    once. A bad entry raises InvalidVersion naming where it came from, unless *skip_invalid*,
    which judges the rest and lists it in ``skipped``.
    """
    catalog = as_catalog(releases)
    # Labels gather by the text first: a str keeps its hash, and a fleet repeats few texts. Two
    # tables, not one of pairs: a million distinct versions would make a million more objects
    # for the cyclic collector to walk.
    version_of: dict[Any, Version] = {}
    labels_of: dict[Any, list[str]] = {}
    refused: dict[Any, InvalidVersion] = {}
    skipped: list[Skipped] = []
    assumed: dict[str, None] = {}
    for entry in entries:
        label, text = entry[0], entry[1]
        # An inventory's Entry holds its note in place; only another kind is asked for one.
        note = entry.note if entry.__class__ is Entry else getattr(entry, "note", None)
        if note:
            assumed[note] = None
        known = labels_of.get(text)
        if known is not None:
            known.append(label)
            continue
        error = refused.get(text)
        if error is None:
            try:
                version_of[text] = _read(text, explain=len(refused) < EXPLAINED)
                labels_of[text] = [label]
                continue
            except InvalidVersion as invalid:
                error = refused[text] = invalid
        where = getattr(entry, "where", "")
        if not skip_invalid:
            raise error.located(f"{where} ({label})" if where else label) from None
        skipped.append(Skipped(where, label, error.reason))
    labels: dict[Version, list[str]] = {}
    for text, version in version_of.items():
        group = labels_of[text]
        same = labels.setdefault(version, group)
        if same is not group:
            same += group  # another spelling of the same version
    if not labels:
        raise ValueError("a cluster needs at least one node with a version")
    # A fleet of distinct versions pays for every hash of a Version: sort and count once.
    ordered = sorted(labels, key=by_key)
    verdict = judge_cluster(ordered, catalog)
    if assumed:
        verdict = Verdict(verdict.allowed, verdict.reason, verdict.rule, (*verdict.notes, *assumed))
    versions = tuple((version, len(labels[version])) for version in ordered)
    majors: dict[MajorLine, int] = {}
    for version, count in versions:
        majors[version.line] = majors.get(version.line, 0) + count
    blamed, why = _offenders(verdict.rule, [v for v, _ in versions], majors, catalog)
    offenders = [(label, version) for version in blamed for label in labels[version]]
    nodes = sum(count for _, count in versions)
    summary = (
        f"cluster of {nodes:,} node{'' if nodes == 1 else 's'}: "
        f"{'allowed' if verdict else 'refused'} ({verdict.rule})"
    )
    if offenders:
        shown = ", ".join(f"{label} on {version}" for label, version in offenders[:SHOWN])
        more = f" and {len(offenders) - SHOWN:,} more" if len(offenders) > SHOWN else ""
        how_many = f"{len(offenders):,} node{'' if len(offenders) == 1 else 's'}"
        verb = "runs" if len(offenders) == 1 else "run"
        summary += f": {how_many} ({shown}{more}) {verb} {why}"
    return Fleet(verdict, nodes, versions, labels, majors, offenders, skipped, summary)


EXPLAINED = 100
"""How many distinct bad texts a fleet explains in full (where and what the grammar expected):
past them, one sentence without asking the grammar, which costs ten times a reading:
a file of bad tags stays fast."""


def _read(text: Any, *, explain: bool) -> Version:
    if explain or not isinstance(text, str):
        return as_version(text)
    version = parse_quietly(text)
    if version is None:
        reason = f"not a {PRODUCT} version (only the first {EXPLAINED} bad texts say why)"
        raise InvalidVersion(text, reason, product=PRODUCT)
    return version


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
        kept = _largest_adjacent_group(majors, catalog)
        names = ", ".join(map(line_name, kept))
        what = "the adjacent pair" if len(kept) == 2 else "the major"
        return (
            [v for v in versions if v.line not in kept],
            f"a major outside {what} the rest run ({names})",
        )
    return [], ""


def _largest_adjacent_group(
    majors: dict[MajorLine, int], catalog: Catalog
) -> tuple[MajorLine, ...]:
    """The one major, or two adjacent ones, that most nodes run."""
    ordered = sorted(majors, key=lambda line: catalog.position(line) or 0)
    groups: list[tuple[MajorLine, ...]] = [(line,) for line in ordered]
    groups += [
        (low, high) for low, high in itertools.pairwise(ordered) if catalog.distance(low, high) == 1
    ]
    return max(groups, key=lambda group: (sum(majors[line] for line in group), len(group)))


class Changes(NamedTuple):
    """The judgement of a change of manifests: every labelled node's move, the combined verdict,
    and the labels only one side has."""

    verdict: Verdict
    moves: list[tuple[str, Verdict]]
    added: list[str]
    removed: list[str]


def check_changes(old: Iterable[Any], new: Iterable[Any], *, releases: Releases = None) -> Changes:
    """Judge every node that both *old* and *new* name (``(label, version)`` pairs or inventory
    entries, matched by label) as a move from its old version to its new one, the way an
    admission webhook judges a change.

    >>> changes = check_changes([("storage", "24.4.4.12")], [("storage", "25.2.1.26")])
    >>> changes.verdict.rule, changes.verdict.allowed
    ('skips-major', False)
    """
    catalog = as_catalog(releases)
    before = {entry[0]: as_version(entry[1]) for entry in old}
    after = {entry[0]: as_version(entry[1]) for entry in new}
    moves = [
        (label, check_upgrade(before[label], version, releases=catalog))
        for label, version in after.items()
        if label in before
    ]
    added = [label for label in after if label not in before]
    removed = [label for label in before if label not in after]
    if not moves:
        raise ValueError("the two sides name no node in common: nothing moves")
    verdict = combine(
        moves,
        f"Every move is allowed ({len(moves)} node{'' if len(moves) == 1 else 's'}).",
        "{count} of {total} moves are refused ({labels})",
    )
    notes = [f"{label} is new: it has no old version to move from." for label in added]
    notes += [f"{label} is gone from the new side." for label in removed]
    if notes:
        verdict = Verdict(verdict.allowed, verdict.reason, verdict.rule, (*verdict.notes, *notes))
    return Changes(verdict, moves, added, removed)
