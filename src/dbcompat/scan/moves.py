"""Judging the moves a change makes to the versions a scan found: each version that differs from
the one at the same place before, or from a planned target, by its product's rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .. import ravendb, ydb
from ..answers import Verdict
from ..floating import Floating, FloatingPolicy, check_policy
from ..matching import moved_from
from ..overrides import apply_override, read_override
from ..products import judge_pinned, read_target, version_reader
from ..ydb.catalog import Releases
from .findings import YAML_SUFFIXES, Finding, Scan, is_dockerfile

__all__ = ["Move", "judge_changes", "judge_floating_places", "judge_target"]


class Move(NamedTuple):
    """A version that changes: the finding as it is now, the version it was (or the version
    planned, for a target), and the rules' verdict on that move."""

    finding: Finding
    before: Any
    after: Any
    verdict: Verdict


def judge_changes(
    before: Scan,
    after: Scan,
    *,
    releases: Releases = None,
    allow_downgrade: bool = False,
    floating: FloatingPolicy = "refuse",
) -> tuple[Move, ...]:
    """Each version of *after* that differs from the version at the same place of *before*,
    judged by its product's rules as a move from the old version to the new one;
    *allow_downgrade* allows a RavenDB server down within its line. A place that floats now
    (``latest``, a digest only, no tag, ``trunk``) and did not before, or is new, is judged by
    the *floating* policy (``dbcompat.floating``).

    >>> from dbcompat.scan import scan_text
    >>> def one(text):
    ...     return Scan(*scan_text(text, "Dockerfile"), ("Dockerfile",))
    >>> (move,) = judge_changes(one("FROM ydb:24.4.4.12"), one("FROM ydb:25.2.1.26"))
    >>> move.finding.line, move.verdict.rule
    (1, 'skips-major')
    >>> [m.verdict.rule for m in judge_changes(one("FROM ydb:24.4.4.12"), one("FROM ydb:latest"))]
    ['floating-version']
    """
    check_policy(floating)
    old = {_key(f): f.version for f in before.findings}
    new = {_key(f): f for f in after.findings}
    now_named = {key: finding.version for key, finding in new.items()}
    moves = []
    # A container renamed, split or replaced moves from what its product ran in the workload.
    for key, froms, now in moved_from(old, now_named, group=_workload):
        finding = new[key]
        for was in dict.fromkeys(froms or [None]):
            if was == now or (isinstance(was, Floating) and isinstance(now, Floating)):
                continue  # unchanged, or floating before too: no version moved
            if isinstance(now, Floating) or _development(was):
                move = _floating(finding, was, now, floating)
                moves += [] if move is None else [move]
            elif was is not None and not isinstance(was, Floating):
                moves.append(_judged(finding, was, now, releases, allow_downgrade))
    return tuple(moves)


def _key(finding: Finding) -> tuple[str, str, str]:
    return (finding.path, finding.product, finding.place)


def _workload(key: tuple[str, str, str]) -> tuple[str, str, str]:
    """The workload a place is in, with its product: in a manifest, its object (``Kind/name``,
    or ``document N``); in a Dockerfile, the whole file; elsewhere (free text) the place alone,
    for a new mention of a version in a README moves nothing."""
    path, product, place = key
    if is_dockerfile(path):
        return (path, product, "")
    if not path.endswith((*YAML_SUFFIXES, ".json")):
        return key
    words = place.split(" ")
    return (path, product, " ".join(words[:2] if words[0] == "document" else words[:1]))


def judge_target(
    after: Scan,
    targets: Mapping[str, Any],
    *,
    releases: Releases = None,
    allow_downgrade: bool = False,
    floating: FloatingPolicy = "refuse",
) -> tuple[Move, ...]:
    """Each version of *after* judged as a move to the planned target of its product
    (``{"ydb": "25.1.4.18"}``: a Version or its text, read as ``check`` reads a target, so
    ``latest`` and a bare year too); a product without a target is left out.
    A place that floats has no version to move from: the *floating* policy judges it.

    >>> from dbcompat.scan import scan_text
    >>> found = Scan(*scan_text("ravendb/ravendb:5.4.110 ydb:24.4.4.12", "a.txt"), ("a.txt",))
    >>> [(m.finding.product, m.verdict.rule) for m in judge_target(found, {"ydb": "25.1.4.18"})]
    [('ydb', 'next-major')]
    """
    check_policy(floating)
    goals = {product: read_target(product, goal, releases) for product, goal in targets.items()}
    moves = []
    for finding in after.findings:
        if finding.product not in goals:
            continue
        if isinstance(finding.version, Floating):
            move = _floating(finding, None, finding.version, floating)
            moves += [] if move is None else [move]
        else:
            goal = goals[finding.product]
            moves.append(_judged(finding, finding.version, goal, releases, allow_downgrade))
    return tuple(moves)


def judge_floating_places(after: Scan, *, floating: FloatingPolicy = "refuse") -> tuple[Move, ...]:
    """Each place of *after* that floats, judged by the *floating* policy as a place with no
    history: what a scan that judges no move still reports.

    >>> from dbcompat.scan import scan_text
    >>> found = Scan(*scan_text("FROM ydb:nightly", "Dockerfile"), ("Dockerfile",))
    >>> [move.verdict.rule for move in judge_floating_places(found)]
    ['floating-version']
    """
    check_policy(floating)
    moves = (
        _floating(finding, None, finding.version, floating)
        for finding in after.findings
        if isinstance(finding.version, Floating)
    )
    return tuple(move for move in moves if move is not None)


def _development(version: Any) -> bool:
    return isinstance(version, Floating) and version.development


def _floating(finding: Finding, before: Any, after: Any, policy: FloatingPolicy) -> Move | None:
    verdict = judge_pinned(finding.product, before, after, policy)
    return None if verdict is None else _honoured(Move(finding, before, after, verdict))


def _honoured(move: Move) -> Move:
    """*move*, allowed where its object records an override of exactly it
    (``dbcompat.overrides``); an override that does not read is a note that it overrides
    nothing."""
    recorded = move.finding.override
    if recorded is None or move.verdict.allowed:
        return move
    try:
        override = read_override(recorded)
    except ValueError as error:
        return move._replace(
            verdict=move.verdict.replace(
                notes=(*move.verdict.notes, f"{error}: it overrides nothing")
            )
        )
    read = version_reader(move.finding.product)
    return move._replace(
        verdict=apply_override(move.verdict, move.before, move.after, override, read)
    )


def _judged(
    finding: Finding, before: Any, after: Any, releases: Releases, allow_downgrade: bool
) -> Move:
    if finding.product == "ydb":
        verdict = ydb.check_upgrade(before, after, releases=releases)
    else:
        verdict = ravendb.check_upgrade(before, after, allow_downgrade=allow_downgrade)
    return _honoured(Move(finding, before, after, verdict))
