"""YDB server versions: the documented grammar, exact version objects, and the upgrade rules.

>>> from dbcompat import ydb
>>> ydb.parse("24.3.14.2-lts").major_line
(24, 3)
"""

from .parser import parse
from .version import ReleaseType, Version

__all__ = ["ReleaseType", "Version", "parse"]
