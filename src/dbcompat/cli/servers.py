"""Rendering what ``ravendb probe`` read: each server and the nodes of its cluster, the verdict
on the nodes together, and the nodes left unprobed, which make the answer incomplete.

>>> from dbcompat import ravendb
>>> node = ravendb.Node("A", "http://a:8080", ravendb.parse("6.0.105"), None)
>>> other = ravendb.Unprobed("B", "http://b:8080", "not asked")
>>> probe = ravendb.ServerProbe("http://a:8080", node.version, None, None, (node,), (other,))
>>> ServersShown([probe], ravendb.check_nodes([node.version]), {}).render("text")
http://a:8080: RavenDB 6.0.105
  node A at http://a:8080: 6.0.105
  node B at http://b:8080: not probed (not asked)
cluster: incomplete, 1 node not probed; the nodes probed: allowed (same-line-nodes)
  Every node runs 6.0: they serve the same clients.
4
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from ..answers import Verdict
from ..errors import without_password
from ..hints import verdict_for_people
from ..words import counted
from .contract import EXIT_INCOMPLETE, EXIT_NO, EXIT_YES
from .output import VerdictShown, print_json, say, say_reason, verdict_fields

__all__ = ["ServersShown"]


class ServersShown(NamedTuple):
    """Servers probed (``ravendb.ServerProbe``) and the verdict on their nodes together."""

    probes: Sequence[Any]
    verdict: Verdict
    document: dict[str, Any]

    def render(self, output: str) -> int:
        unprobed = [(node, probe) for probe in self.probes for node in probe.unprobed]
        notes = [f"node {node.tag} at {_shown(node.url)}: {node.why}" for node, _ in unprobed]
        said = verdict_for_people(self.verdict)
        verdict = said.replace(notes=(*said.notes, *notes))  # where no line says it
        status = EXIT_NO if not verdict else EXIT_INCOMPLETE if unprobed else EXIT_YES
        if output not in ("text", "json"):
            nodes = sum(len(each.nodes) for each in self.probes) or len(self.probes)
            VerdictShown(verdict, counted(nodes, "node"), self.document).render(output)
        elif output == "json":
            servers = [_server(each) for each in self.probes]
            print_json({"kind": "verdict", **self.document, **verdict_fields(verdict),
                        "servers": servers})  # fmt: skip
        else:
            for each in self.probes:
                commit = f" (commit {each.commit})" if each.commit else ""
                say(f"{_shown(each.url)}: RavenDB {each.version}{commit}")
                for node in each.nodes:
                    say(f"  node {node.tag} at {_shown(node.url)}: {node.version}")
                for left in each.unprobed:
                    say(f"  node {left.tag} at {_shown(left.url)}: not probed ({left.why})")
            answer = f"{'allowed' if verdict else 'refused'} ({verdict.rule})"
            if unprobed:
                count = counted(len(unprobed), "node")
                answer = f"incomplete, {count} not probed; the nodes probed: {answer}"
            say(f"cluster: {answer}")
            say_reason(verdict.reason, said.notes)
        return status


def _shown(url: str) -> str:
    return without_password(url)


def _server(probe: Any) -> dict[str, Any]:
    return {
        "url": _shown(probe.url),
        "version": str(probe.version),
        "header": None if probe.header is None else str(probe.header),
        "commit": probe.commit,
        "nodes": [
            {"tag": n.tag, "url": _shown(n.url), "version": str(n.version), "commit": n.commit}
            for n in probe.nodes
        ],
        "unprobed": [{"tag": n.tag, "url": _shown(n.url), "why": n.why} for n in probe.unprobed],
    }
