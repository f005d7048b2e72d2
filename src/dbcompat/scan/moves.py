"""Judging the moves a change makes to the versions a scan found: each version that differs from
the one at the same place before, or from a planned target, by its product's rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .. import ravendb, ydb
from ..answers import Verdict
from ..products import package
from ..ydb.catalog import Releases
from .findings import Finding, Scan

__all__ = ["Move", "judge_changes", "judge_target"]


class Move(NamedTuple):
    """A version that changes: the finding as it is now, the version it was (or the version
    planned, for a target), and the rules' verdict on that move."""

    finding: Finding
    before: Any
    after: Any
    verdict: Verdict


def judge_changes(
    before: Scan, after: Scan, *, releases: Releases = None, allow_downgrade: bool = False
) -> tuple[Move, ...]:
    """Each version of *after* that differs from the version at the same place of *before*,
    judged by its product's rules as a move from the old version to the new one;
    *allow_downgrade* allows a RavenDB server down within its line.

    >>> from dbcompat.scan import scan_text
    >>> def one(text):
    ...     return Scan(*scan_text(text, "Dockerfile"), ("Dockerfile",))
    >>> (move,) = judge_changes(one("FROM ydb:24.4.4.12"), one("FROM ydb:25.2.1.26"))
    >>> move.finding.line, move.verdict.rule
    (1, 'skips-major')
    """
    old = {(f.path, f.product, f.place): f.version for f in before.findings}
    moves = []
    for finding in after.findings:
        was = old.get((finding.path, finding.product, finding.place))
        if was is not None and was != finding.version:
            moves.append(_judged(finding, was, finding.version, releases, allow_downgrade))
    return tuple(moves)


def judge_target(
    after: Scan,
    targets: Mapping[str, Any],
    *,
    releases: Releases = None,
    allow_downgrade: bool = False,
) -> tuple[Move, ...]:
    """Each version of *after* judged as a move to the planned target of its product
    (``{"ydb": "25.1.4.18"}``: a Version or its text); a product without a target is left out.

    >>> from dbcompat.scan import scan_text
    >>> found = Scan(*scan_text("ravendb/ravendb:5.4.110 ydb:24.4.4.12", "a.txt"), ("a.txt",))
    >>> [(m.finding.product, m.verdict.rule) for m in judge_target(found, {"ydb": "25.1.4.18"})]
    [('ydb', 'next-major')]
    """
    goals = {product: package(product).as_version(target) for product, target in targets.items()}
    return tuple(
        _judged(finding, finding.version, goals[finding.product], releases, allow_downgrade)
        for finding in after.findings
        if finding.product in goals
    )


def _judged(
    finding: Finding, before: Any, after: Any, releases: Releases, allow_downgrade: bool
) -> Move:
    if finding.product == "ydb":
        verdict = ydb.check_upgrade(before, after, releases=releases)
    else:
        verdict = ravendb.check_upgrade(before, after, allow_downgrade=allow_downgrade)
    return Move(finding, before, after, verdict)
