"""dbcompat: can I go from this database version to that one, and if not, what must I do first?

Each product has its own subpackage (``dbcompat.ydb``); the exceptions and the grammar files are
shared.

>>> import dbcompat
>>> dbcompat.grammar_path("ydb_version").suffix
'.lark'
"""

from ._grammar import MAX_VERSION_LENGTH, GrammarRegex, grammar_names, grammar_path, grammar_regex
from .errors import DevelopmentBuild, InvalidVersion, NoUpgradePath
from .verdict import Verdict

__all__ = [
    "MAX_VERSION_LENGTH",
    "DevelopmentBuild",
    "GrammarRegex",
    "InvalidVersion",
    "NoUpgradePath",
    "Verdict",
    "grammar_names",
    "grammar_path",
    "grammar_regex",
]
__version__ = "0.1.0"
