"""Pictures of the path: Mermaid and Graphviz DOT, the DOT rendered by Graphviz itself."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from dbcompat import pictures, ydb
from dbcompat.ydb.pictures import plan_graph, releases_graph
from tests.helpers import run

needs_graphviz = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed (.ci/run installs it)"
)


def render(dot_text):
    done = subprocess.run(
        ["dot", "-Tsvg"], input=dot_text.encode(), capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    return done.stdout.decode()


def test_a_plan_highlights_its_stops_and_crosses_the_refused_shortcut():
    graph = plan_graph("24.3.11.13", "25.2.1.26")
    stops = [node.stop for node in graph.nodes if node.stop]
    assert stops == [str(v) for v in ydb.plan_upgrade("24.3.11.13", "25.2.1.26").versions]
    refused = [edge for edge in graph.edges if edge.kind == "refused"]
    assert [(e.source, e.target, e.label) for e in refused] == [
        ("m24_3", "m25_2", "refused: skips-major")
    ]
    assert all(node.last_minor for node in graph.nodes)


def test_an_allowed_move_has_no_crossed_shortcut():
    graph = plan_graph("24.3.15.5", "24.4.4.12")
    assert [edge.kind for edge in graph.edges] == ["step"]


def test_majors_with_candidates_only_are_dashed():
    graph = releases_graph(["25.1.4.7", "25.2.1.10-rc", "25.3.1.27"])
    assert [node.candidates_only for node in graph.nodes] == [False, True, False]
    assert 'style="rounded,dashed"' in pictures.to_dot(graph)
    assert ":::candidate" in pictures.to_mermaid(graph)


def test_a_major_no_release_offers_is_drawn_in_its_place_dashed():
    graph = releases_graph(["22.2.47", "22.4.44"])
    assert [node.name for node in graph.nodes] == ["22.2", "22.3", "22.4"]
    assert [node.unpublished for node in graph.nodes] == [False, True, False]
    assert not any(node.candidates_only for node in graph.nodes)
    assert "no published release" in pictures.to_mermaid(graph)
    assert 'style="rounded,dashed"' in pictures.to_dot(graph)


@needs_graphviz
@pytest.mark.parametrize(
    "argv",
    [
        ["ydb", "plan", "24.3.11.13", "25.2.1.26", "--format", "dot"],
        ["ydb", "plan", "25.2.1.26", "24.4.4.12", "--format", "dot"],
        ["ydb", "releases", "--format", "dot"],
    ],
)
def test_graphviz_renders_the_dot(capsys, argv):
    status, out, _ = run(capsys, *argv)
    svg = render(out)
    assert status == 0 and "<svg" in svg and "24.4" in svg


def test_the_mermaid_names_every_major_once(capsys):
    status, out, _ = run(capsys, "ydb", "plan", "24.3.11.13", "25.2.1.26", "--format", "mermaid")
    lines = out.splitlines()
    assert status == 0 and lines[0] == "flowchart LR"
    nodes = [line.split("[", 1)[0].strip() for line in lines if '["' in line]
    assert nodes == ["m24_3", "m24_4", "m25_1", "m25_2"]


@needs_graphviz
def test_hostile_labels_do_not_break_the_dot():
    graph = pictures.Graph(
        [pictures.Node('a"b', 'x"\\y'), pictures.Node("c", "d")],
        [pictures.Edge('a"b', "c", "refused", 'say "no"')],
    )
    render(pictures.to_dot(graph))
