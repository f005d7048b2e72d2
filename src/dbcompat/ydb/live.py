"""Asking a YDB cluster which versions its nodes run, through the viewer's HTTP API
(``/viewer/json/nodes``, paged).

>>> probe("http://127.0.0.1:9", timeout=0.5)
Traceback (most recent call last):
...
dbcompat.errors.ServerError: http://127.0.0.1:9 refused the connection: is the server running there?
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple

from .._http import get_json, tls_context
from ..errors import DevelopmentBuild, InvalidVersion, ServerError
from .parser import parse
from .version import Version

__all__ = ["PAGE", "ClusterProbe", "YdbNode", "probe"]

PAGE = 1000
"""How many nodes one request of the viewer asks for."""


class YdbNode(NamedTuple):
    """One node as the viewer reports it: id, host, roles, the version string it reports, and
    that version read (None for a development build such as ``main.b7cfb36``)."""

    node_id: int
    host: str | None
    roles: tuple[str, ...]
    reported: str
    version: Version | None


class ClusterProbe(NamedTuple):
    """Every node of the cluster behind *url*, in node id order."""

    url: str
    nodes: tuple[YdbNode, ...]


def probe(
    url: str,
    *,
    token: str | None = None,
    ca: str | None = None,
    insecure: bool = False,
    timeout: float = 5.0,
) -> ClusterProbe:
    """The nodes of the YDB cluster whose viewer (monitoring port) is at *url*, with their
    versions, within *timeout* seconds for every page in all. *token* goes in the
    ``Authorization`` header, never into an error. Raises
    ServerError, with one sentence naming the server, when it cannot be reached or read, or a
    node reports a version that does not parse."""
    context = tls_context(ca=ca, insecure=insecure) if url.startswith("https:") else None
    headers = {} if token is None else {"Authorization": f"OAuth {token}"}
    nodes: dict[int, YdbNode] = {}
    offset = 0
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ServerError(url, f"did not list every node within {timeout:g} s")
        page = get_json(
            url,
            f"/viewer/json/nodes?offset={offset}&limit={PAGE}",
            timeout=remaining,
            context=context,
            headers=headers,
        ).body
        if not isinstance(page, dict) or not isinstance(page.get("Nodes", []), list):
            raise ServerError(url, "answered /viewer/json/nodes with JSON of another shape")
        for item in page.get("Nodes") or []:
            node = _node(item, url)
            nodes[node.node_id] = node
        total = _count(page.get("TotalNodes", page.get("FoundNodes")), url)
        offset += PAGE
        if not page.get("Nodes") or total is None or len(nodes) >= total or offset >= total:
            break
    if not nodes:
        raise ServerError(url, "reports no nodes")
    return ClusterProbe(url, tuple(nodes[key] for key in sorted(nodes)))


def _count(value: Any, url: str) -> int | None:
    # The viewer sends its 64-bit numbers as strings.
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ServerError(url, f"reported a node count that is not a number: {value!r}") from None


def _node(item: Any, url: str) -> YdbNode:
    state = item.get("SystemState") if isinstance(item, dict) else None
    if not isinstance(state, dict):
        raise ServerError(url, "reported a node without its SystemState")
    node_id = _count(state.get("NodeId", item.get("NodeId")), url)
    reported = state.get("Version")
    if node_id is None or not isinstance(reported, str):
        raise ServerError(url, "reported a node without a NodeId or a Version")
    roles = tuple(role for role in state.get("Roles") or [] if isinstance(role, str))
    host = state.get("Host") if isinstance(state.get("Host"), str) else None
    try:
        version: Version | None = parse(reported, strict=False)
    except DevelopmentBuild:
        version = None
    except InvalidVersion as error:
        raise ServerError(
            url,
            f"node {node_id} ({host or 'no host'}) reports a version that does not parse: {error}",
        ) from None
    return YdbNode(node_id, host, roles, reported, version)
