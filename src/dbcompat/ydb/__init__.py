"""YDB server versions: the documented grammar, exact version objects, and the upgrade rules.

>>> from dbcompat import ydb
>>> ydb.parse("24.3.14.2-lts").major_line
(24, 3)
>>> ydb.check_upgrade("v.25.1.4.18", "25.2.1.26").rule
'next-major'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .parser import as_version, parse
from .version import ReleaseType, Version

if TYPE_CHECKING:
    from .catalog import Catalog, line_name
    from .rules import check_cluster, check_upgrade, plan_upgrade
    from .search import Found, find_all

__all__ = [
    "Catalog",
    "Found",
    "ReleaseType",
    "Version",
    "as_version",
    "check_cluster",
    "check_upgrade",
    "find_all",
    "line_name",
    "parse",
    "plan_upgrade",
]

# The rules, the catalog and the search load on first use: reading a version need not pay for them.
_LAZY = {
    "Catalog": "catalog",
    "line_name": "catalog",
    "check_cluster": "rules",
    "check_upgrade": "rules",
    "plan_upgrade": "rules",
    "Found": "search",
    "find_all": "search",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
