"""RavenDB versions: the grammar, exact version objects, client/server compatibility and the
upgrade order.

>>> from dbcompat import ravendb
>>> ravendb.check_compatibility(client="4.2", server="5.2").allowed
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports
from .parser import as_version, parse
from .version import PRODUCT, Stage, Version

if TYPE_CHECKING:
    from .live import Node, ServerProbe, Unprobed, probe, probe_all
    from .rules import RULES, check_compatibility, check_nodes, check_upgrade, plan_upgrade
    from .search import Found, find_all

__all__ = [
    "PRODUCT",
    "RULES",
    "Found",
    "Node",
    "ServerProbe",
    "Stage",
    "Unprobed",
    "Version",
    "as_version",
    "check_compatibility",
    "check_nodes",
    "check_upgrade",
    "find_all",
    "parse",
    "plan_upgrade",
    "probe",
    "probe_all",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        "RULES": "rules",
        "check_compatibility": "rules",
        "check_nodes": "rules",
        "check_upgrade": "rules",
        "Node": "live",
        "ServerProbe": "live",
        "Unprobed": "live",
        "probe": "live",
        "probe_all": "live",
        "plan_upgrade": "rules",
        "Found": "search",
        "find_all": "search",
    },
)
