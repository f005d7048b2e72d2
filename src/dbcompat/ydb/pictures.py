"""YDB's upgrade paths as pictures: the majors of the release catalog in order, the last minor
of each marked, majors with release candidates only dashed, a plan's stops highlighted and the
refused shortcut crossed (rendered by :mod:`dbcompat.pictures`).

>>> from dbcompat.pictures import to_mermaid
>>> releases = ["24.4.4.12", "25.1.4.18", "25.2.1.26"]
>>> graph = plan_graph("24.4.4.12", "25.2.1.26", releases=releases)
>>> print("\\n".join(line for line in to_mermaid(graph).splitlines() if "[" not in line[:9]))
flowchart LR
  m24_4 ==> m25_1
  m25_1 ==> m25_2
  m24_4 -.-x|"refused: skips-major"| m25_2
  classDef stop fill:#d7f5dd,stroke:#1a7f37,stroke-width:2px
  classDef candidate stroke-dasharray:5 5
"""

from __future__ import annotations

import itertools

from ..pictures import Edge, Graph, Node
from .catalog import Catalog, MajorLine, Releases, as_catalog, line_name
from .parser import as_version
from .rules import check_upgrade, plan_upgrade
from .version import Version

__all__ = ["plan_graph", "releases_graph"]


def _node_id(line: MajorLine) -> str:
    return f"m{line[0]:02d}_{line[1]}"


def _node(catalog: Catalog, line: MajorLine, stop: Version | None = None) -> Node:
    final = catalog.newest(line)  # the newest final release: on the last minor
    return Node(
        _node_id(line),
        line_name(line),
        last_minor=None if final is None else str(final),
        stop=None if stop is None else str(stop),
        candidates_only=final is None and line not in catalog.unpublished,
        unpublished=line in catalog.unpublished,
    )


def releases_graph(releases: Releases = None) -> Graph:
    """Every major of the catalog, in order, each to the next."""
    catalog = as_catalog(releases)
    lines = list(catalog.majors)
    nodes = [_node(catalog, line) for line in lines]
    edges = [
        Edge(_node_id(low), _node_id(high), "sequence") for low, high in itertools.pairwise(lines)
    ]
    return Graph(nodes, edges)


def plan_graph(
    current: Version | str,
    target: Version | str,
    *,
    releases: Releases = None,
    candidates: bool = False,
) -> Graph:
    """The majors from *current*'s to *target*'s, the plan's stops highlighted and linked, and
    the straight move crossed out when the rules refuse it. Raises NoUpgradePath as
    ``plan_upgrade`` does."""
    catalog = as_catalog(releases)
    start = as_version(current)
    plan = plan_upgrade(start, target, releases=catalog, candidates=candidates)
    stops = {version.line: version for version in plan.versions}
    goal = plan.versions[-1] if plan.versions else start
    low, high = sorted((start.line, goal.line))
    lines = [line for line in catalog.majors if low <= line <= high]
    if start.line not in lines:
        lines = sorted({*lines, start.line})
    nodes = [_node(catalog, line, stops.get(line)) for line in lines]
    path = [start.line] + [v.line for v in plan.versions if v.line != start.line]
    edges = [Edge(_node_id(a), _node_id(b), "step") for a, b in itertools.pairwise(path) if a != b]
    verdict = check_upgrade(start, goal, releases=catalog)
    if not verdict and start.line != goal.line:
        edges.append(
            Edge(_node_id(start.line), _node_id(goal.line), "refused", f"refused: {verdict.rule}")
        )
    return Graph(nodes, edges)
