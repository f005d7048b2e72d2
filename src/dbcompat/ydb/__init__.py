"""YDB server versions: the documented grammar, exact version objects, and the upgrade rules.

>>> from dbcompat import ydb
>>> ydb.parse("24.3.14.2-lts").line
(24, 3)
>>> ydb.check_upgrade("v.25.1.4.18", "25.2.1.26").rule
'next-major'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports
from .parser import as_version, parse
from .version import PRODUCT, ReleaseType, Version

if TYPE_CHECKING:
    from .catalog import Catalog, line_name
    from .cluster import check_cluster, check_pinned, running_version
    from .fleet import Changes, Fleet, check_changes, check_fleet
    from .live import ClusterProbe, VersionGroup, VersionSpread, YdbNode, probe, spread
    from .rules import RULES, check_upgrade, plan_upgrade
    from .search import Found, find_all
    from .targets import resolve_target

__all__ = [
    "PRODUCT",
    "RULES",
    "Catalog",
    "Changes",
    "ClusterProbe",
    "Fleet",
    "Found",
    "ReleaseType",
    "Version",
    "VersionGroup",
    "VersionSpread",
    "YdbNode",
    "as_version",
    "check_changes",
    "check_cluster",
    "check_fleet",
    "check_pinned",
    "check_upgrade",
    "find_all",
    "line_name",
    "parse",
    "plan_upgrade",
    "probe",
    "resolve_target",
    "running_version",
    "spread",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        "Catalog": "catalog",
        "line_name": "catalog",
        "Changes": "fleet",
        "Fleet": "fleet",
        "check_changes": "fleet",
        "check_fleet": "fleet",
        "RULES": "rules",
        "check_cluster": "cluster",
        "check_pinned": "cluster",
        "check_upgrade": "rules",
        "plan_upgrade": "rules",
        "resolve_target": "targets",
        "running_version": "cluster",
        "ClusterProbe": "live",
        "VersionGroup": "live",
        "VersionSpread": "live",
        "YdbNode": "live",
        "probe": "live",
        "spread": "live",
        "Found": "search",
        "find_all": "search",
    },
)
