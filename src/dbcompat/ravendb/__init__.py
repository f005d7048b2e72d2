"""RavenDB versions: the grammar, exact version objects, client/server compatibility and the
upgrade order.

>>> from dbcompat import ravendb
>>> ravendb.check_compatibility(client="4.2", server="5.2").allowed
True
"""

from .parser import as_version, parse
from .rules import UpgradePlan, UpgradeStep, check_compatibility, plan_upgrade
from .version import Stage, Version

__all__ = [
    "Stage",
    "UpgradePlan",
    "UpgradeStep",
    "Version",
    "as_version",
    "check_compatibility",
    "parse",
    "plan_upgrade",
]
