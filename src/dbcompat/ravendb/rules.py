"""RavenDB client/server compatibility and upgrade order, reasoning only about Version objects.

From RavenDB's FAQ "Backward Compatibility":

- a client older than 4.2 works with a server of the same major and an equal or higher minor;
- a client of 4.2 or later works with any server of its own version or higher;
- upgrade the server first, then the clients; before 4.2, a move to a higher major takes the
  server and all clients in lockstep.

Only major.minor is compared: patch and build numbers never matter. Decided here where the FAQ is
silent: a client newer than its server is refused, since the rule promises nothing there; a plan
never moves the server to a lower major.minor (RavenDB documents no downgrade, and 6.x servers
cannot go back to 5.x), and names every step down a downgrade; a client step targets the new
server's major.minor; a version newer than any RavenDB release dbcompat knows is judged by the
FAQ's rules, which are worded for any higher version, with a note saying so.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

from .._value import by_key
from ..answers import Plan, Rule, Step, Verdict, rule_table
from ..errors import NoUpgradePath, check_many
from .parser import as_version
from .version import PRODUCT, Version

__all__ = [
    "PLANNABLE",
    "RULES",
    "check_compatibility",
    "check_nodes",
    "check_upgrade",
    "plan_upgrade",
]

RULES = rule_table(
    Rule("before-4.2-same-major", True, "Before 4.2, the client's major and a minor no lower."),
    Rule("before-4.2-other-major", False, "Before 4.2, a client needs a server of its own major."),
    Rule("before-4.2-older-minor", False, "Before 4.2, the server's minor must not be lower."),
    Rule("from-4.2-server-not-older", True, "From 4.2 on, a server of the client's line or up."),
    Rule("from-4.2-server-older", False, "From 4.2 on, no promise for a server older than it."),
    Rule("server-same-line", True, "Within one major.minor, a server moves up, or stays."),
    Rule(
        "server-patch-downgrade",
        False,
        "RavenDB's own operator refuses a server moved down, a patch downgrade included.",
    ),
    Rule("server-upgrade", True, "A server moves up first; its clients follow where needed."),
    Rule("server-downgrade", False, "RavenDB documents no server downgrade to a lower line."),
    Rule("same-line-nodes", True, "Every node of the cluster serves the same clients."),
    Rule("mixed-line-nodes", False, "Nodes of several major.minor lines serve different clients."),
)
"""Every rule a RavenDB verdict can come from, by id, with what it means."""

PLANNABLE = frozenset({"server-upgrade"})
"""The verdicts that a plan answers: the order in which the server and its clients move."""

NEWEST_KNOWN = (7, 2)
"""The newest RavenDB product version dbcompat knows of, from RavenDB's published packages."""

MODERN = (4, 2)
"""From this product version on, a client works with any server of its version or higher."""

Clients: TypeAlias = (
    "Mapping[str, Version | str] | Iterable[Version | str | tuple[str, Version | str]]"
)


def check_compatibility(client: Version | str, server: Version | str) -> Verdict:
    """May a client of version *client* talk to a server of version *server*?

    >>> check_compatibility(client="4.1.7", server="4.1.6").rule
    'before-4.2-same-major'
    >>> verdict = check_compatibility(client="4.2", server="5.2")
    >>> bool(verdict), verdict.rule
    (True, 'from-4.2-server-not-older')
    """
    client_version, server_version = as_version(client), as_version(server)
    client_line, server_line = client_version.line, server_version.line
    notes = _documented_breakage(client_version, server_version)
    notes += _unknown_notes(client_version, server_version)
    c, s = _name(client_line), _name(server_line)
    if client_line < MODERN:
        rule = "Before 4.2, a client needs a server of its own major and an equal or higher minor"
        if server_line[0] != client_line[0]:
            refusal = f"server {s} is of another major than client {c}."
            return RULES["before-4.2-other-major"].verdict(f"{rule}: {refusal}", notes)
        if server_line < client_line:
            refusal = f"server {s} is of a lower minor than client {c}; upgrade the server."
            return RULES["before-4.2-older-minor"].verdict(f"{rule}: {refusal}", notes)
        approval = f"server {s} has client {c}'s major and a minor no lower."
        return RULES["before-4.2-same-major"].verdict(f"{rule}: {approval}", notes)
    rule = "From 4.2 on, a client works with any server of its own version or higher"
    if server_line < client_line:
        refusal = (
            f"server {s} is older than client {c}, and nothing is promised there; upgrade the "
            f"server to {c} or higher first."
        )
        return RULES["from-4.2-server-older"].verdict(f"{rule}: {refusal}", notes)
    approval = f"server {s} is not older than client {c}."
    return RULES["from-4.2-server-not-older"].verdict(f"{rule}: {approval}", notes)


def check_upgrade(
    server: Version | str, target: Version | str, *, allow_downgrade: bool = False
) -> Verdict:
    """May a server running *server* move to *target*? What its clients must then do is
    :func:`plan_upgrade`'s answer.

    A move down within a line (6.2.9 to 6.2.8) is refused, as RavenDB's own Kubernetes operator
    refuses it; *allow_downgrade* allows it, for an emergency rollback, with a note that the
    operator must be told too.

    >>> check_upgrade("5.4.110", "6.0.105").rule, check_upgrade("6.0.105", "5.4.110").rule
    ('server-upgrade', 'server-downgrade')
    >>> check_upgrade("6.2.9", "6.2.8").rule
    'server-patch-downgrade'
    >>> bool(check_upgrade("6.2.9", "6.2.8", allow_downgrade=True))
    True
    >>> print(check_upgrade("4.1.9", "5.4.110").notes[0])
    Before 4.2, a move to a higher major takes the server and every client in lockstep.
    """
    current, goal = as_version(server), as_version(target)
    notes = _unknown_notes(current, goal)
    if goal.line == current.line and _numbers(goal) < _numbers(current):
        if not allow_downgrade:
            return RULES["server-patch-downgrade"].verdict(
                f"{current} to {goal} moves the server down within {_name(goal.line)}, which "
                "RavenDB's own Kubernetes operator refuses (downgrade is not allowed); allow it "
                "for an emergency rollback (allow_downgrade=True).",
                notes,
            )
        notes = (
            f"{current} to {goal} is a downgrade, allowed (allow_downgrade=True); RavenDB's own "
            "operator refuses it, and must be bypassed too.",
            *notes,
        )
    if goal.line == current.line:
        return RULES["server-same-line"].verdict(
            f"{current} and {goal} are both {_name(goal.line)}: compatibility compares "
            "major.minor only, so every client keeps working.",
            notes,
        )
    if goal.line < current.line:
        return RULES["server-downgrade"].verdict(
            f"{current} to {goal} is a downgrade from {_name(current.line)} to "
            f"{_name(goal.line)}, which RavenDB does not document (6.x servers cannot go back to "
            f"5.x); stay on {_name(current.line)} or restore a backup taken on {_name(goal.line)}.",
            notes,
        )
    if current.line < MODERN and goal.major > current.major:
        notes = (
            "Before 4.2, a move to a higher major takes the server and every client in lockstep.",
            *notes,
        )
    return RULES["server-upgrade"].verdict(
        f"{current} to {goal} moves the server up, which comes first; then its clients.",
        notes,
    )


def check_nodes(nodes: Iterable[Version | str]) -> Verdict:
    """May these servers run as nodes of one cluster? Only major.minor counts: nodes of one line
    serve the same clients; nodes of several lines do not (a client of the newest line is
    served by none of the older nodes).

    >>> check_nodes(["5.4.110", "5.4.116"]).rule, check_nodes(["5.4.110", "6.0.105"]).rule
    ('same-line-nodes', 'mixed-line-nodes')
    """
    read = map(as_version, check_many(nodes, "nodes", f"an iterable of {PRODUCT} versions"))
    versions = sorted(set(read), key=by_key)
    if not versions:
        raise ValueError("a cluster needs at least one node")
    lines = sorted({version.line for version in versions})
    names = ", ".join(map(_name, lines))
    if len(lines) == 1:
        return RULES["same-line-nodes"].verdict(
            f"Every node runs {names}: they serve the same clients."
        )
    return RULES["mixed-line-nodes"].verdict(
        f"The nodes run {names}: a client of {_name(lines[-1])} is served only by the nodes of "
        f"{_name(lines[-1])}; upgrade every node to {_name(lines[-1])}."
    )


def plan_upgrade(
    server: Version | str,
    target: Version | str,
    clients: Clients = (),
    *,
    allow_downgrade: bool = False,
) -> Plan:
    """The steps to move a server from *server* to *target*, and what its clients must do.

    *clients* are versions (labelled ``client 1``, ``client 2``, ...), ``(label, version)`` pairs,
    or a mapping of labels to versions; labels must be unique and not empty. The server moves
    first; ``lockstep`` is true when the server and every client must move together (a server
    older than 4.2 moving to a higher major). Every client appears in the plan, one already on
    the target as a step with nothing to do; a step to a lower version is a downgrade
    (``rollback``), and says why it is needed. A server moved down within its line needs
    *allow_downgrade*, as :func:`check_upgrade` does.

    >>> plan = plan_upgrade("4.1.9", "5.4.110", {"orders": "4.1.7"})
    >>> plan.lockstep, [(s.component, str(s.to_version), s.required) for s in plan]
    (True, [('server', '5.4.110', True), ('orders', '5.4', True)])
    """
    current, goal = as_version(server), as_version(target)
    labelled = _label(clients)
    if goal.line < current.line:
        raise NoUpgradePath(
            f"a plan moves the server up, not from {current} down to {goal}: RavenDB documents no "
            "downgrade to a lower version (6.x servers cannot go back to 5.x)"
        )
    if goal.line == current.line and _numbers(goal) < _numbers(current) and not allow_downgrade:
        raise NoUpgradePath(
            f"a plan moves the server up, not from {current} down to {goal}: RavenDB's own "
            "operator refuses a downgrade, a patch one included; allow it (allow_downgrade=True)"
        )
    lockstep = current.line < MODERN and goal.major > current.major
    steps = []
    if goal != current:
        why = "server first"
        if goal < current:
            why = (
                f"downgrade within {_name(goal.line)}: compatibility compares major.minor only, "
                "so every client keeps working"
            )
        steps.append(Step("server", current, goal, True, goal < current, why))
    client_target = Version(goal.major, goal.minor)
    for label, client in labelled:
        steps.append(_client_step(label, client, goal, client_target, lockstep))
    return Plan(steps, lockstep, _unknown_notes(current, goal, *(c for _, c in labelled)))


def _client_step(
    label: str, client: Version, server: Version, target: Version, lockstep: bool
) -> Step:
    """What a client must do once the server runs *server*: move to *target*, or nothing."""
    line = _name(server.line)
    if client.line == server.line:
        return Step(label, client, client, False, False, f"already on {line}: nothing to do")
    downgrade = client.line > server.line
    if lockstep:
        why = "lockstep: before 4.2, a new major moves the server and every client together"
        return Step(label, client, target, True, downgrade, why)
    if downgrade:
        why = (
            f"client {_name(client.line)} is newer than server {line}, and a client is promised "
            "only servers of its own version or higher"
        )
        return Step(label, client, target, True, True, why)
    if not check_compatibility(client, server):
        return Step(label, client, target, True, False, f"server {line} would not serve it")
    why = f"server {line} still serves it; moving is advised, not needed"
    return Step(label, client, target, False, False, why)


def _label(clients: Clients) -> list[tuple[str, Version]]:
    items: Iterable[Any] = clients.items() if isinstance(clients, Mapping) else clients
    check_many(items, "clients", "versions, (label, version) pairs or a mapping")
    labelled: dict[str, Version] = {}
    for number, item in enumerate(items, start=1):
        if isinstance(item, tuple) and len(item) != 2:
            raise ValueError(
                f"client {number} is {reprlib.repr(item)}: a (label, version) pair holds two items"
            )
        label, version = item if isinstance(item, tuple) else (f"client {number}", item)
        label = str(label)
        if not label.strip():
            raise ValueError(f"client {number} has an empty label")
        if label in labelled:
            raise ValueError(f"the client label {label!r} is given twice")
        labelled[label] = as_version(version)
    return list(labelled.items())


def _numbers(version: Version) -> tuple[int, int, int]:
    """What RavenDB's operator compares of a version: major, minor and patch (0 if left out)."""
    return (version.major, version.minor, version.patch or 0)


def _unknown_notes(*versions: Version) -> tuple[str, ...]:
    newer = sorted({v for v in versions if v.line > NEWEST_KNOWN})
    if not newer:
        return ()
    names = ", ".join(map(str, newer))
    return (
        f"{names} {'is' if len(newer) == 1 else 'are'} newer than every RavenDB version dbcompat "
        f"knows ({_name(NEWEST_KNOWN)}); the FAQ's rules are assumed to hold for "
        f"{'it' if len(newer) == 1 else 'them'}.",
    )


def _documented_breakage(client: Version, server: Version) -> tuple[str, ...]:
    if client.major >= 7 and server.line <= (5, 4):
        return (
            f"A {client.major}.x client compresses with Zstd by default: switch it to Gzip to talk "
            "to a server of 5.4 or older.",
        )
    return ()


def _name(line: tuple[int, int]) -> str:
    return f"{line[0]}.{line[1]}"
