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

import bisect
import itertools
import operator
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from .._value import by_key
from ..answers import Verdict, combine
from ..errors import InvalidVersion
from ..inventory import Block, blocks_of
from .catalog import Catalog, MajorLine, Releases, as_catalog, line_name
from .parser import as_version, as_versions, distinct, parse_quietly
from .rules import check_upgrade, judge_cluster
from .version import PRODUCT, Version

__all__ = ["Changes", "Fleet", "NodeLabels", "Skipped", "check_changes", "check_fleet"]

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
    labels: Mapping[Version, list[Any]]
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
    """Judge every node of *entries* together: ``(label, version)`` pairs, inventory entries
    (``label``, ``text``, ``where``), or a mapping of labels to versions. The entries are read
    as they come, in blocks, each distinct version once. A bad entry raises InvalidVersion
    naming where it came from, unless *skip_invalid*, which judges the rest and lists it in
    ``skipped``.
    """
    catalog = as_catalog(releases)
    nodes = _Nodes()
    skipped: list[Skipped] = []
    assumed: dict[str, None] = {}
    for block in blocks_of(entries):
        nodes.add(block)
        if block.notes is not None:
            assumed.update(dict.fromkeys(filter(None, block.notes)))
        for index, error in nodes.refused_in(block):
            if not skip_invalid:
                raise _located(error, block, index) from None
            skipped.append(Skipped(block.where(index), block.labels[index], error.reason))
    nodes.read_all()
    if not nodes.versions:
        raise ValueError("a cluster needs at least one node with a version")
    ordered = nodes.versions
    verdict = judge_cluster(ordered, catalog)
    if assumed:
        verdict = Verdict(verdict.allowed, verdict.reason, verdict.rule, (*verdict.notes, *assumed))
    counts = nodes.counts()
    versions = tuple(zip(ordered, counts, strict=True))
    majors = _majors(ordered, counts)
    blamed, why = _offenders(verdict.rule, ordered, majors, catalog)
    labels = NodeLabels(nodes)
    found = labels.of(blamed)
    offenders = [(label, version) for version in blamed for label in found[version._key]]
    total = sum(counts)
    summary = (
        f"cluster of {total:,} node{'' if total == 1 else 's'}: "
        f"{'allowed' if verdict else 'refused'} ({verdict.rule})"
    )
    if offenders:
        shown = ", ".join(f"{label} on {version}" for label, version in offenders[:SHOWN])
        more = f" and {len(offenders) - SHOWN:,} more" if len(offenders) > SHOWN else ""
        how_many = f"{len(offenders):,} node{'' if len(offenders) == 1 else 's'}"
        verb = "runs" if len(offenders) == 1 else "run"
        summary += f": {how_many} ({shown}{more}) {verb} {why}"
    return Fleet(verdict, total, versions, labels, majors, offenders, skipped, summary)


REFUSED = -1
"""The group of a node whose version could not be read."""


class _Nodes:
    """Every node read so far, in columns: each distinct text read, a group, and for each block
    its labels and each node's group; once all are read, the distinct versions in order, each
    the groups of the texts that spell it.

    A million labels kept as strings would take three times the file they came from: a
    block's are kept joined in one string when none holds a newline."""

    def __init__(self) -> None:
        self.read: list[Version] = []
        self.group_of_text: dict[Any, int] = {}
        self.refused: dict[Any, InvalidVersion] = {}
        self.columns: list[tuple[str | Sequence[Any], tuple[int, ...]]] = []
        self.versions: list[Version] = []
        self.keys: list[Any] = []
        self.groups: list[int] = []
        self.starts: Sequence[int] = ()

    def add(self, block: Block) -> None:
        """Read the versions of *block* not seen before, then note each node's group."""
        try:  # a fleet repeats a few versions: most blocks bring none not seen before
            groups = _looked_up(self.group_of_text, block.texts)
        except (KeyError, TypeError):
            groups = self._read_new(block.texts)
        self.columns.append((_kept(block.labels), groups))

    def _read_new(self, texts: list[Any]) -> tuple[int, ...]:
        known = self.group_of_text
        new = [text for text in distinct(texts) if text not in known]
        try:  # a block of good texts is read in one call each; one bad text sends it below
            self._group(new, as_versions(new))
        except InvalidVersion:
            for text in new:
                try:
                    version = _read(text, explain=len(self.refused) < EXPLAINED)
                except InvalidVersion as invalid:
                    self.refused[text] = invalid
                    known[text] = REFUSED
                else:
                    self._group((text,), (version,))
        return _looked_up(known, texts)

    def _group(self, texts: Iterable[Any], versions: Sequence[Version]) -> None:
        """A group for each of *texts*, read as *versions*: texts that spell one version are
        found together once all are read, by sorting, not by hashing each key as it comes."""
        first = len(self.read)
        self.read.extend(versions)
        self.group_of_text.update(zip(texts, range(first, len(self.read)), strict=True))

    def refused_in(self, block: Block) -> list[tuple[int, InvalidVersion]]:
        """The index in *block* and the error of each node whose version could not be read."""
        refused = self.refused
        if not refused or refused.keys().isdisjoint(block.texts):
            return []
        return [(index, refused[text]) for index, text in enumerate(block.texts) if text in refused]

    def read_all(self) -> None:
        """Once every block is read: the distinct versions in order, and where the groups of
        each begin in ``groups`` (``starts``); each text's group is forgotten, since a million
        distinct texts would stay alive through the judgement, which needs only the versions."""
        self.group_of_text = {}
        self.refused = {}
        read = self.read
        keys = list(map(by_key, read))
        self.groups = sorted(range(len(read)), key=keys.__getitem__)
        ordered = list(map(keys.__getitem__, self.groups))
        # Where the key changes, a version begins: each step one C call over them all.
        changes = map(operator.ne, itertools.islice(ordered, 1, None), ordered)
        begins = list(itertools.compress(range(1, len(ordered)), changes))
        if len(begins) >= len(ordered) - 1:  # every text spells a version of its own (or none)
            self.starts = range(len(ordered) + 1)
            self.keys = ordered
        else:
            self.starts = [0, *begins, len(ordered)]
            self.keys = list(map(ordered.__getitem__, self.starts[:-1]))
        self.versions = list(map(read.__getitem__, map(self.groups.__getitem__, self.starts[:-1])))
        self.read = []

    def counts(self) -> list[int]:
        """How many nodes run each version, in order."""
        counted: Counter[int] = Counter()
        for _, groups in self.columns:
            counted.update(groups)
        by_group = list(map(counted.__getitem__, self.groups))
        if len(by_group) == len(self.versions):
            return by_group
        return [sum(by_group[start:end]) for start, end in itertools.pairwise(self.starts)]

    def index(self, version: Version) -> int | None:
        """Where *version* stands among the versions, or None if no node runs it."""
        if not isinstance(version, Version):
            return None
        key = version._key
        index = bisect.bisect_left(self.keys, key)
        return index if index < len(self.keys) and self.keys[index] == key else None

    def owners(self, wanted: Iterable[int]) -> dict[int, int]:
        """The version (by index) of each group whose version is among *wanted*."""
        groups, starts = self.groups, self.starts
        return {
            group: index for index in wanted for group in groups[starts[index] : starts[index + 1]]
        }


def _looked_up(table: dict[Any, int], keys: list[Any]) -> tuple[int, ...]:
    """``table[key]`` for each of *keys*, in one C call: a tuple of small ints is made twice as
    fast as an array of them, for four more bytes a node."""
    if len(keys) < 2:  # itemgetter gives one key's value alone, and takes no fewer keys
        return tuple(map(table.__getitem__, keys))
    return operator.itemgetter(*keys)(table)  # type: ignore[no-any-return]


def _kept(labels: Sequence[Any]) -> str | Sequence[Any]:
    """*labels* joined in one string if they are strings without a newline, made for this
    fleet (a reader's), else as they are: a view of the caller's pairs costs less than either."""
    if not isinstance(labels, list):
        return labels
    try:
        joined = "\n".join(labels)
    except TypeError:
        return labels
    return joined if joined.count("\n") == len(labels) - 1 else labels


class NodeLabels(Mapping[Version, list[Any]]):
    """The labels of each version's nodes, in the order read, as a mapping from the versions of
    a fleet, in their order; made into lists when first asked for, not before.

    >>> fleet = check_fleet([("a", "25.1.4.18"), ("b", "24.4.4.12"), ("c", "v.25.1.4.18")])
    >>> fleet.labels[as_version("25.1.4.18")]
    ['a', 'c']
    """

    def __init__(self, nodes: _Nodes) -> None:
        self._nodes = nodes
        self._lists: list[list[Any]] | None = None

    def __getitem__(self, version: Version) -> list[Any]:
        index = self._nodes.index(version)
        if index is None:
            raise KeyError(version)
        if self._lists is None:
            self._lists = self._gather(range(len(self._nodes.versions)))
        return self._lists[index]

    def __iter__(self) -> Iterator[Version]:
        return iter(self._nodes.versions)

    def __len__(self) -> int:
        return len(self._nodes.versions)

    def of(self, versions: Iterable[Version]) -> dict[Any, list[Any]]:
        """The labels of the nodes that run *versions*, by the versions' keys, in one pass."""
        found = map(self._nodes.index, versions)
        wanted = {index for index in found if index is not None}
        if not wanted:
            return {}
        lists = self._gather(wanted)
        return {self._nodes.keys[index]: lists[index] for index in sorted(wanted)}

    def _gather(self, wanted: Iterable[int]) -> list[list[Any]]:
        owner = self._nodes.owners(wanted).get
        lists: list[list[Any]] = [[] for _ in self._nodes.versions]
        for labels, groups in self._nodes.columns:
            shown = labels.split("\n") if isinstance(labels, str) else labels
            for label, group in zip(shown, groups, strict=True):
                index = owner(group)
                if index is not None:
                    lists[index].append(label)
        return lists


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


def _majors(ordered: list[Version], counts: list[int]) -> dict[MajorLine, int]:
    """How many nodes run each major, from the versions in order and their counts: each major's
    versions stand together, so a bisection a major finds where they end, and a million
    distinct versions are not each asked their major."""
    majors: dict[MajorLine, int] = {}
    start = 0
    while start < len(ordered):
        year, major = line = ordered[start].line
        # A key begins with its line: every key of a later major is at least (year, major + 1).
        end = bisect.bisect_left(ordered, (year, major + 1), lo=start, key=by_key)
        majors[line] = sum(counts[start:end])
        start = end
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
    """Judge every node that both *old* and *new* name (``(label, version)`` pairs, inventory
    entries or mappings of labels to versions, matched by label) as a move from its old version
    to its new one, the way an admission webhook judges a change. A bad version raises
    InvalidVersion naming where it came from.

    >>> changes = check_changes([("storage", "24.4.4.12")], [("storage", "25.2.1.26")])
    >>> changes.verdict.rule, changes.verdict.allowed
    ('skips-major', False)
    """
    catalog = as_catalog(releases)
    before, after = _by_label(old), _by_label(new)
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


def _by_label(entries: Iterable[Any]) -> dict[Any, Version]:
    """The version of each entry by its label, read as ``check_fleet`` reads entries: a bad
    version raises naming where it came from."""
    versions: dict[Any, Version] = {}
    for block in blocks_of(entries):
        for index, (label, text) in enumerate(zip(block.labels, block.texts, strict=True)):
            try:
                versions[label] = as_version(text)
            except InvalidVersion as error:
                raise _located(error, block, index) from None
    return versions


def _located(error: InvalidVersion, block: Block, index: int) -> InvalidVersion:
    """*error*, saying which entry of *block* it came from: where and its label."""
    label, where = block.labels[index], block.where(index)
    return error.located(f"{where} ({label})" if where else str(label))
