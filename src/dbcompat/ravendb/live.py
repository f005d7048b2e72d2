"""Asking RavenDB servers which version they run: ``/build/version``, the ``Raven-Server-Version``
header, and every node of the cluster from ``/cluster/topology``.

>>> probe("http://127.0.0.1:9", timeout=0.5)
Traceback (most recent call last):
...
dbcompat.errors.ServerError: http://127.0.0.1:9 refused the connection: is the server running there?
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from .._http import DEFAULT_PORTS, get_json, tls_context
from ..errors import InvalidVersion, ServerError, check_many
from .parser import parse
from .version import Version

__all__ = ["MAX_CONCURRENT", "Node", "ServerProbe", "Unprobed", "probe", "probe_all"]

MAX_CONCURRENT = 8
"""How many servers, and how many nodes of each, are probed at once, at most."""


class Node(NamedTuple):
    """One node of a RavenDB cluster: its tag, its URL, the version it runs and its commit."""

    tag: str
    url: str
    version: Version
    commit: str | None


class Unprobed(NamedTuple):
    """A node the cluster's topology names whose version is not known: not asked, and why."""

    tag: str
    url: str
    why: str


class ServerProbe(NamedTuple):
    """What a RavenDB server says it runs (with its build and commit), what its
    ``Raven-Server-Version`` header says, each node of its cluster whose version is known, and
    the nodes left unprobed (the answer on the cluster is incomplete while there are any)."""

    url: str
    version: Version
    header: Version | None
    commit: str | None
    nodes: tuple[Node, ...]
    unprobed: tuple[Unprobed, ...] = ()


def probe(
    url: str,
    *,
    cert: str | None = None,
    key: str | None = None,
    ca: str | None = None,
    pfx: str | None = None,
    pfx_password: str | None = None,
    insecure: bool = False,
    timeout: float = 5.0,
    follow_topology: bool = False,
) -> ServerProbe:
    """The versions the RavenDB server at *url* and the nodes of its cluster run.

    *cert* and *key* are a PEM client certificate for a secured server (or *pfx*, a PKCS#12
    bundle, with *pfx_password*: ``dbcompat[pfx]``), *ca* a CA file for a self-signed one;
    *insecure* skips verification, only when asked. Every request has *timeout* seconds in all,
    one deadline for the whole probe.

    Requests go only to *url*: a node whose topology entry has no build, at another address,
    is listed in ``unprobed``, unless *follow_topology* asks for it at the URL the topology
    names (of *url*'s scheme only; a few at a time; never offered the client certificate, which
    is for the server given). Raises ServerError, with one sentence naming the server, when a
    server cannot be reached or read, or reports a version that does not parse.
    """
    tls = {"ca": ca, "cert": cert, "key": key, "pfx": pfx, "pfx_password": pfx_password}
    (found,) = probe_all(
        [url], **tls, insecure=insecure, timeout=timeout, follow_topology=follow_topology
    )
    return found


def probe_all(
    urls: Sequence[str],
    *,
    cert: str | None = None,
    key: str | None = None,
    ca: str | None = None,
    pfx: str | None = None,
    pfx_password: str | None = None,
    insecure: bool = False,
    timeout: float = 5.0,
    follow_topology: bool = False,
) -> tuple[ServerProbe, ...]:
    """Each server of *urls* probed as :func:`probe` does, a few at a time, all within *timeout*
    seconds; in the order given. The first server's fault, in that order, is raised.

    >>> probe_all([])
    ()
    """
    if not check_many(urls, "urls", "a sequence of server URLs"):
        return ()
    deadline = time.monotonic() + timeout
    tls = {"ca": ca, "cert": cert, "key": key, "pfx": pfx, "pfx_password": pfx_password}
    secure = any(_address(url)[0] == "https" for url in urls)
    contexts = (
        (tls_context(**tls, insecure=insecure), tls_context(ca=ca, insecure=insecure))
        if secure
        else None
    )

    given = frozenset(_address(url) for url in urls)
    following = None if not follow_topology else contexts[1] if contexts else None

    def one(url: str) -> ServerProbe:
        context = contexts[0] if contexts and _address(url)[0] == "https" else None
        return _probe(url, context, following, given, follow_topology, timeout, deadline)

    if len(urls) == 1:
        return (one(urls[0]),)
    with ThreadPoolExecutor(max_workers=min(MAX_CONCURRENT, len(urls))) as pool:
        return tuple(pool.map(one, urls))


def _address(url: str) -> tuple[str, str, int | None]:
    """Where *url* leads: its scheme (which has no case: ``HTTPS://``), host and port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def _probe(
    url: str,
    context: ssl.SSLContext | None,
    following: ssl.SSLContext | None,
    given: frozenset[tuple[str, str, int | None]],
    follow: bool,
    timeout: float,
    deadline: float,
) -> ServerProbe:
    """One server: *context* for the addresses *given* (the client certificate's), *following*
    for the nodes its topology names elsewhere, asked only when *follow*."""

    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ServerError(url, f"and its nodes did not all answer within {timeout:g} s")
        return remaining

    reply = get_json(url, "/build/version", timeout=left(), context=context)
    version, commit = _build_info(reply.body, url, "/build/version")
    header = _header(reply.headers.get("raven-server-version"), url)
    topology = get_json(url, "/cluster/topology", timeout=left(), context=context).body
    if not isinstance(topology, dict) or not isinstance(topology.get("Topology"), dict):
        raise ServerError(url, "answered /cluster/topology with JSON of another shape")
    members = topology["Topology"].get("AllNodes") or {}
    details = topology.get("NodeLicenseDetails") or {}
    if not isinstance(members, dict) or not all(
        isinstance(tag, str) and isinstance(node_url, str) for tag, node_url in members.items()
    ):
        raise ServerError(url, "answered /cluster/topology with nodes of another shape")
    nodes: list[Node] = []
    unknown: list[tuple[str, str, ssl.SSLContext | None]] = []
    unprobed: list[Unprobed] = []
    server, path = _address(url), _path(url)
    for tag, node_url in sorted(members.items()):
        detail = details.get(tag) if isinstance(details, dict) else None
        info = detail.get("BuildInfo") if isinstance(detail, dict) else None
        where = _address(node_url)
        if info:
            nodes.append(Node(tag, node_url, *_build_info(info, url, f"node {tag}")))
        elif where == server and _path(node_url) == path:
            nodes.append(Node(tag, node_url, version, commit))
        elif where in given:
            unknown.append((tag, node_url, context))
        elif not follow:
            why = "not asked: the topology names a server not given (--follow-topology asks it)"
            unprobed.append(Unprobed(tag, node_url, why))
        elif where[0] != server[0]:
            why = f"not asked: its scheme is not {server[0]}, the server's"
            unprobed.append(Unprobed(tag, node_url, why))
        else:
            unknown.append((tag, node_url, following))

    def ask(node: tuple[str, str, ssl.SSLContext | None]) -> Node:
        tag, node_url, tls = node
        answer = get_json(node_url, "/build/version", timeout=left(), context=tls)
        return Node(tag, node_url, *_build_info(answer.body, node_url, f"node {tag}"))

    if unknown:
        with ThreadPoolExecutor(max_workers=min(MAX_CONCURRENT, len(unknown))) as pool:
            nodes += pool.map(ask, unknown)
    return ServerProbe(url, version, header, commit, tuple(sorted(nodes)), tuple(unprobed))


def _path(url: str) -> str:
    return urlsplit(url.strip()).path.rstrip("/")


def _build_info(info: Any, url: str, where: str) -> tuple[Version, str | None]:
    """The exact version (with its build) and commit of a ``BuildInfo`` object."""
    if not isinstance(info, dict) or not isinstance(info.get("FullVersion"), str):
        raise ServerError(url, f"answered {where} without a FullVersion")
    try:
        version = parse(info["FullVersion"])
    except InvalidVersion as error:
        raise ServerError(
            url, f"reported a version that does not parse at {where}: {error}"
        ) from None
    build = info.get("BuildVersion")
    if isinstance(build, int) and not isinstance(build, bool) and build >= 0:
        fields = version.fields()
        if fields["patch"] is not None and fields["build"] is None:
            version = Version(**{**fields, "build": build})
    commit = info.get("CommitHash")
    return version, commit if isinstance(commit, str) else None


def _header(text: str | None, url: str) -> Version | None:
    if text is None:
        return None
    try:
        return parse(text.strip())
    except InvalidVersion:
        raise ServerError(
            url, f"sent a Raven-Server-Version header that does not parse: {text!r}"
        ) from None
