"""Objects that run as one cluster, judged together by their product's cluster rule: a YDB
``Database`` with the ``Storage`` its ``storageClusterRef`` names (in its namespace, in any file
of the scan), and the services of one product in one compose file. Each object alone may look
fine; together they may not run.

>>> from dbcompat.scan import Scan, scan_text
>>> storage = "kind: Storage\\nmetadata: {name: s}\\nspec: {version: 24.2.7}\\n"
>>> database = ("kind: Database\\nmetadata: {name: db}\\n"
...             "spec: {version: 23.3.17, storageClusterRef: {name: s}}\\n")
>>> found = Scan(*scan_text(f"{storage}---\\n{database}", "k8s.yaml"), ("k8s.yaml",))
>>> [(together.what, together.verdict.rule) for together in judge_clusters(found)]
[('Storage/s with Database/db', 'non-adjacent-majors')]
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import NamedTuple

from .. import ravendb, ydb
from ..answers import Verdict
from ..floating import Floating
from ..ydb.catalog import Releases
from .findings import Finding, Scan

__all__ = ["Together", "judge_clusters"]


class Together(NamedTuple):
    """Versions that run as one cluster: the product, the findings of its members, what they
    are (``Storage/s with Database/db``), and the product's cluster rule's verdict."""

    product: str
    findings: tuple[Finding, ...]
    what: str
    verdict: Verdict


def judge_clusters(found: Scan, *, releases: Releases = None) -> tuple[Together, ...]:
    """Each cluster of two or more pinned versions in *found*, judged by its product's cluster
    rule (``ydb.check_cluster``, ``ravendb.check_nodes``): the state the files describe."""
    groups: dict[tuple[Hashable, str], list[Finding]] = {}
    for finding in found.findings:
        if finding.cluster is not None and not isinstance(finding.version, Floating):
            groups.setdefault((finding.cluster, finding.product), []).append(finding)
    judged = []
    for (_, product), members in groups.items():
        if len(members) < 2:
            continue
        versions = [member.version for member in members]
        if product == "ydb":
            verdict = ydb.check_cluster(versions, releases=releases)
        else:
            verdict = ravendb.check_nodes(versions)
        what = " with ".join(dict.fromkeys(_member(finding) for finding in members))
        judged.append(Together(product, tuple(members), what, verdict))
    return tuple(judged)


def _member(finding: Finding) -> str:
    """The object or service a finding is in, as a person names it."""
    document = finding.place.partition(" ")[0]
    if document == "document":  # a compose file's service: services.<name>.image
        parts = finding.place.split(" ", 2)[-1].split(".")
        return f"service {parts[1]}" if len(parts) > 1 and parts[0] == "services" else document
    return document
