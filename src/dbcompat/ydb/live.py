"""Asking a YDB cluster which versions its nodes run, through the viewer's HTTP API: every node
(``/viewer/json/nodes``, paged), or only how many nodes run each version, in one request where
the viewer can say so.

>>> probe("http://127.0.0.1:9", timeout=0.5)
Traceback (most recent call last):
...
dbcompat.errors.ServerError: http://127.0.0.1:9 refused the connection: is the server running there?
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from .._http import get_json, tls_context
from ..errors import DevelopmentBuild, InvalidVersion, ServerError
from .parser import parse
from .version import Version

__all__ = [
    "GROUPS_SINCE",
    "PAGE",
    "ClusterProbe",
    "VersionGroup",
    "VersionSpread",
    "YdbNode",
    "probe",
    "spread",
]

PAGE = 1000
"""How many nodes one request of the viewer asks for."""

GROUPS_SINCE = 6
"""The first API level of ``/viewer/nodes`` (in ``/viewer/capabilities``) that groups nodes by
version (``group=Version``)."""


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
    return _list_nodes(_Viewer(url, token, ca, insecure, timeout))


def _token(token: str) -> str:
    """*token* without the white space around it (a file or ``$(cat file)`` leaves a line
    break); ValueError, in a sentence that names no token and none of its characters, where a
    control character is left, or a character outside ASCII, which no header carries as is."""
    token = token.strip()
    if not token or not token.isascii() or not token.isprintable():
        raise ValueError(
            "the token is empty, or holds a control character (a line break, a tab) or a "
            "character outside ASCII inside it; give the token alone"
        )
    return token


class _Viewer:
    """One viewer's connection settings and the one deadline every request of a probe shares."""

    def __init__(
        self, url: str, token: str | None, ca: str | None, insecure: bool, timeout: float
    ) -> None:
        self.url, self.timeout = url, timeout
        secure = urlsplit(url).scheme == "https"  # HTTPS:// too: the scheme has no case
        self.context = tls_context(ca=ca, insecure=insecure) if secure else None
        self.headers = {} if token is None else {"Authorization": f"OAuth {_token(token)}"}
        self.deadline = time.monotonic() + timeout

    def get(self, path: str, doing: str) -> Any:
        """The JSON at *path*, in what is left of the deadline; *doing* names the work in the
        sentence of a server that runs out of it."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise ServerError(self.url, f"did not {doing} within {self.timeout:g} s")
        reply = get_json(
            self.url, path, timeout=remaining, context=self.context, headers=self.headers
        )
        return reply.body


def _list_nodes(viewer: _Viewer) -> ClusterProbe:
    url = viewer.url
    nodes: dict[int, YdbNode] = {}
    offset = 0
    while True:
        path = f"/viewer/json/nodes?offset={offset}&limit={PAGE}"
        page = viewer.get(path, "list every node")
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


class VersionGroup(NamedTuple):
    """The nodes that report one version string: the string, that version read (None for a
    development build), and how many nodes."""

    reported: str
    version: Version | None
    nodes: int


class VersionSpread(NamedTuple):
    """How many nodes of the cluster behind *url* run each version, and the endpoint that said."""

    url: str
    groups: tuple[VersionGroup, ...]
    source: str


def spread(
    url: str,
    *,
    token: str | None = None,
    ca: str | None = None,
    insecure: bool = False,
    timeout: float = 5.0,
) -> VersionSpread:
    """How many nodes of the YDB cluster whose viewer is at *url* run each version, in as few
    requests as the viewer allows, within *timeout* seconds in all.

    A viewer whose ``/viewer/capabilities`` gives ``/viewer/nodes`` level 6 or more groups its
    nodes by version in one reply; else ``/viewer/json/cluster`` may carry ``MapVersions`` (its
    body version 2 and later); else every node is listed, page by page, and counted. Faults and
    the token are as for :func:`probe`.

    >>> spread("http://127.0.0.1:9", timeout=0.5)
    Traceback (most recent call last):
    ...
    dbcompat.errors.ServerError: http://127.0.0.1:9 refused the connection: ...?
    """
    viewer = _Viewer(url, token, ca, insecure, timeout)

    def get(path: str) -> Any:
        return viewer.get(path, "tell its nodes' versions")

    try:
        capabilities = get("/viewer/capabilities")
    except ServerError as error:
        if error.status not in (401, 403, 404):
            raise
        capabilities = None  # a viewer older than its capabilities, or one that hides them
    if _nodes_level(capabilities) >= GROUPS_SINCE:
        path = "/viewer/json/nodes?group=Version"
        body = get(path)
        groups = body.get("NodeGroups") if isinstance(body, dict) else None
        pairs = [_group_pair(item, url, path) for item in _listed(groups, url, path)]
        return VersionSpread(url, _groups(pairs, url), path)
    path = "/viewer/json/cluster"
    cluster = get(path)
    counts = cluster.get("MapVersions") if isinstance(cluster, dict) else None
    if isinstance(counts, dict) and counts:
        pairs = [(reported, _count(nodes, url)) for reported, nodes in counts.items()]
        return VersionSpread(url, _groups(pairs, url), path)
    tally: dict[str, int] = {}
    for node in _list_nodes(viewer).nodes:  # the same connection settings and deadline
        tally[node.reported] = tally.get(node.reported, 0) + 1
    return VersionSpread(url, _groups(list(tally.items()), url), "/viewer/json/nodes")


def _nodes_level(capabilities: Any) -> int:
    table = capabilities.get("Capabilities") if isinstance(capabilities, dict) else None
    level = table.get("/viewer/nodes") if isinstance(table, dict) else None
    return level if isinstance(level, int) and not isinstance(level, bool) else 0


def _listed(items: Any, url: str, path: str) -> list[Any]:
    if not isinstance(items, list):
        raise ServerError(url, f"answered {path} with JSON of another shape")
    return items


def _group_pair(item: Any, url: str, path: str) -> tuple[Any, int | None]:
    if not isinstance(item, dict):
        raise ServerError(url, f"answered {path} with JSON of another shape")
    return item.get("GroupName"), _count(item.get("NodeCount"), url)


def _groups(pairs: list[tuple[Any, int | None]], url: str) -> tuple[VersionGroup, ...]:
    groups = []
    for reported, nodes in pairs:
        if not isinstance(reported, str) or nodes is None:
            raise ServerError(url, "reported a version group without its version or node count")
        groups.append(VersionGroup(reported, _read(reported, url, "a node"), nodes))
    if not groups:
        raise ServerError(url, "reports no nodes")
    return tuple(groups)


def _read(reported: str, url: str, who: str) -> Version | None:
    """The version a node reports; None for a development build; ServerError naming *who*
    when it does not parse."""
    try:
        return parse(reported, strict=False)
    except DevelopmentBuild:
        return None
    except InvalidVersion as error:
        raise ServerError(url, f"{who} reports a version that does not parse: {error}") from None


def _count(value: Any, url: str) -> int | None:
    # The viewer sends its 64-bit numbers as strings.
    if value is None:
        return None
    try:
        if isinstance(value, (bool, float)) and not float(value).is_integer():
            raise ValueError("not a whole number")
        count = int(value)
    except (TypeError, ValueError, OverflowError):
        count = -1
    if count < 0 or isinstance(value, bool):
        shown = repr(value)[:40]
        raise ServerError(url, f"reported a count that is not a whole number: {shown}") from None
    return count


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
    version = _read(reported, url, f"node {node_id} ({host or 'no host'})")
    return YdbNode(node_id, host, roles, reported, version)
