"""YDB server versions: the documented grammar, exact version objects, and the upgrade rules.

>>> from dbcompat import ydb
>>> ydb.parse("24.3.14.2-lts").major_line
(24, 3)
>>> ydb.check_upgrade("v.25.1.4.18", "25.2.1.26").rule
'next-major'
"""

from .catalog import Catalog, line_name
from .parser import as_version, parse
from .rules import check_cluster, check_upgrade, plan_upgrade
from .version import ReleaseType, Version

__all__ = [
    "Catalog",
    "ReleaseType",
    "Version",
    "as_version",
    "check_cluster",
    "check_upgrade",
    "line_name",
    "parse",
    "plan_upgrade",
]
