"""What ``dbcompat explain`` says of each RavenDB rule: the documentation it enforces, an allowed
and a refused example (computed when shown, and tested to give the rule), and what to do.

The documentation is RavenDB's "FAQ: Backward Compatibility".
"""

from __future__ import annotations

from ..answers import Example, Guide
from .rules import check_compatibility, check_nodes, check_upgrade

__all__ = ["GUIDES"]

_UP_TO_41 = (
    '"RavenDB Clients of versions lower than 4.2 are compatible with Servers of the same Major '
    'version, and a Minor version the same as theirs or higher." (FAQ: Backward Compatibility, '
    "Compatibility Up to RavenDB 4.1)"
)
_FROM_42 = (
    '"Starting with version 4.2, RavenDB clients are compatible with any server of their own '
    'version and higher." (FAQ: Backward Compatibility, RavenDB 4.2 and Higher Compatibility)'
)
_ORDER = (
    '"We advise you to upgrade the server first, then the clients." (FAQ: Backward '
    "Compatibility, Upgrading Order)"
)
_OPERATOR = (
    "RavenDB's Kubernetes operator (ravendb/ravendb-operator, "
    'pkg/webhook/validator/image_validator.go): "downgrade is not allowed", a patch one '
    "included; its tests refuse 7.1.3 to 7.1.2."
)
_NODES = (
    f"{_FROM_42} Decided by dbcompat: nodes of one cluster serve the same clients only when "
    "they run one major.minor."
)


def _pair(client: str, server: str) -> Example:
    return Example("ravendb", check_compatibility, (client, server))


def _move(server: str, target: str) -> Example:
    return Example("ravendb", check_upgrade, (server, target))


def _nodes(*versions: str) -> Example:
    return Example("ravendb", check_nodes, (list(versions),))


GUIDES = {
    "before-4.2-same-major": Guide(
        _UP_TO_41,
        _pair("4.0", "4.1"),
        _pair("3.0", "4.0"),
        "Nothing to do.",
    ),
    "before-4.2-other-major": Guide(
        _UP_TO_41,
        _pair("3.0", "3.0"),
        _pair("3.0", "4.0"),
        "Before 4.2, move the server and every client to a new major together (lockstep).",
    ),
    "before-4.2-older-minor": Guide(
        _UP_TO_41,
        _pair("4.1.7", "4.1.6"),
        _pair("4.1", "4.0"),
        "Upgrade the server to the client's minor or higher.",
    ),
    "from-4.2-server-not-older": Guide(
        _FROM_42,
        _pair("4.2", "5.2"),
        _pair("5.4", "5.2"),
        "Nothing to do; moving the client up to the server is advised, not needed.",
    ),
    "from-4.2-server-older": Guide(
        _FROM_42,
        _pair("4.2", "4.5"),
        _pair("5.4", "5.2"),
        "Upgrade the server to the client's version or higher first.",
    ),
    "server-same-line": Guide(
        f"{_FROM_42} Decided by dbcompat: compatibility compares major.minor only.",
        _move("5.4.110", "5.4.116"),
        _move("6.0.105", "5.4.110"),
        "Nothing to plan for the clients.",
    ),
    "server-patch-downgrade": Guide(
        _OPERATOR,
        _move("6.2.8", "6.2.9"),
        _move("6.2.9", "6.2.8"),
        "Stay on the version; for an emergency rollback, allow it (--allow-downgrade) and bypass "
        "the operator's webhook too.",
    ),
    "server-upgrade": Guide(
        _ORDER,
        _move("5.4.110", "6.0.105"),
        _move("6.0.105", "5.4.110"),
        "Upgrade the server, then the clients where the plan says (dbcompat ravendb plan).",
    ),
    "server-downgrade": Guide(
        f"{_ORDER} Decided by dbcompat: the FAQ documents no downgrade to a lower major.minor.",
        _move("5.4.110", "6.0.105"),
        _move("6.0.105", "5.4.110"),
        "Stay on the current line, or restore a backup taken on the lower one.",
    ),
    "same-line-nodes": Guide(
        _NODES,
        _nodes("5.4.110", "5.4.116"),
        _nodes("5.4.110", "6.0.105"),
        "Nothing to do.",
    ),
    "mixed-line-nodes": Guide(
        _NODES,
        _nodes("6.0.105", "6.0.106"),
        _nodes("5.4.110", "6.0.105"),
        "Upgrade every node to the newest line.",
    ),
}
"""The guide of every RavenDB rule, by id."""
