"""Pictures of upgrade paths, as Mermaid (which GitHub renders in Markdown) and Graphviz DOT: a
small graph type that a product fills in, and the two renderers.

>>> graph = Graph(
...     [Node("a", "24.3", last_minor="24.3.15.5", stop="24.3.15.5"), Node("b", "24.4")],
...     [Edge("a", "b", "step")],
... )
>>> print(to_mermaid(graph))
flowchart LR
  a["24.3<br/>last minor 24.3.15.5<br/>install 24.3.15.5"]:::stop
  b["24.4"]
  a ==> b
  classDef stop fill:#d7f5dd,stroke:#1a7f37,stroke-width:2px
  classDef candidate stroke-dasharray:5 5
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["Edge", "Graph", "Node", "to_dot", "to_mermaid"]


class Node(NamedTuple):
    """A major release: its id in the picture, its name, its last minor (marked), the version a
    plan installs there (highlighted), and whether it has release candidates only, or no
    published release at all (either dashed)."""

    id: str
    name: str
    last_minor: str | None = None
    stop: str | None = None
    candidates_only: bool = False
    unpublished: bool = False

    def lines(self) -> list[str]:
        lines = [self.name]
        if self.last_minor is not None:
            lines.append(f"last minor {self.last_minor}")
        if self.candidates_only:
            lines.append("release candidates only")
        if self.unpublished:
            lines.append("no published release")
        if self.stop is not None:
            lines.append(f"install {self.stop}")
        return lines


class Edge(NamedTuple):
    """A move between majors: ``sequence`` (the next major), ``step`` (a step of the plan) or
    ``refused`` (the shortcut the rules refuse, with their rule as the label)."""

    source: str
    target: str
    kind: str
    label: str | None = None


class Graph(NamedTuple):
    """Majors in order, and the moves between them."""

    nodes: Sequence[Node]
    edges: Sequence[Edge]


_MERMAID_ARROWS = {"sequence": "-->", "step": "==>", "refused": "-.-x"}


def _quoted(text: str) -> str:
    return text.replace('"', "#quot;")


def to_mermaid(graph: Graph) -> str:
    """The graph as a Mermaid flowchart, left to right."""
    lines = ["flowchart LR"]
    for node in graph.nodes:
        dashed = node.candidates_only or node.unpublished
        classes = ":::stop" if node.stop else ":::candidate" if dashed else ""
        label = "<br/>".join(map(_quoted, node.lines()))
        lines.append(f'  {node.id}["{label}"]{classes}')
    for edge in graph.edges:
        arrow = _MERMAID_ARROWS[edge.kind]
        label = f'|"{_quoted(edge.label)}"|' if edge.label else ""
        lines.append(f"  {edge.source} {arrow}{label} {edge.target}")
    lines.append("  classDef stop fill:#d7f5dd,stroke:#1a7f37,stroke-width:2px")
    lines.append("  classDef candidate stroke-dasharray:5 5")
    return "\n".join(lines)


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_DOT_EDGES = {
    "sequence": 'color="#57606a"',
    "step": 'color="#1a7f37", penwidth=2.5',
    "refused": 'color="#cf222e", style=dashed, arrowhead=tee, fontcolor="#cf222e"',
}


def to_dot(graph: Graph, name: str = "upgrade") -> str:
    """The graph as Graphviz DOT, left to right."""
    lines = [
        f"digraph {_dot_string(name)} {{",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for node in graph.nodes:
        style = ['style="rounded,filled"', 'fillcolor="#d7f5dd"', 'color="#1a7f37"', "penwidth=2"]
        if not node.stop:
            dashed = node.candidates_only or node.unpublished
            style = ['style="rounded,dashed"'] if dashed else []
        label = "\\n".join(text.replace("\\", "\\\\").replace('"', '\\"') for text in node.lines())
        attributes = ", ".join([f'label="{label}"', *style])
        lines.append(f"  {_dot_string(node.id)} [{attributes}];")
    for edge in graph.edges:
        attributes = _DOT_EDGES[edge.kind]
        if edge.label:
            attributes += f", label={_dot_string(edge.label)}"
        lines.append(f"  {_dot_string(edge.source)} -> {_dot_string(edge.target)} [{attributes}];")
    lines.append("}")
    return "\n".join(lines)
