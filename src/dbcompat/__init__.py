"""dbcompat: can I go from this database version to that one, and if not, what must I do first?

Each product has its own subpackage, listed in ``PRODUCTS`` (``dbcompat.ydb``,
``dbcompat.ravendb``), with the same face: ``PRODUCT``, ``Version``, ``parse``, ``as_version`` and
``RULES``. The answer types, the exceptions and the grammar files are shared.

>>> import dbcompat
>>> dbcompat.grammar_path("ydb_version").suffix
'.lark'
>>> dbcompat.PRODUCTS
('ydb', 'ravendb')
"""

from typing import TYPE_CHECKING

from ._lazy import lazy_exports
from .errors import (
    DevelopmentBuild,
    InvalidCatalog,
    InvalidVersion,
    NoUpgradePath,
    ServerError,
)
from .reading.grammars import GrammarRegex, grammar_names, grammar_path, grammar_regex
from .reading.reader import MAX_VERSION_LENGTH

if TYPE_CHECKING:
    from .answers import Plan, Rule, Step, Verdict

__all__ = [
    "MAX_VERSION_LENGTH",
    "PRODUCTS",
    "DevelopmentBuild",
    "GrammarRegex",
    "InvalidCatalog",
    "InvalidVersion",
    "NoUpgradePath",
    "Plan",
    "Rule",
    "ServerError",
    "Step",
    "Verdict",
    "grammar_names",
    "grammar_path",
    "grammar_regex",
]
__version__ = "0.1.0"

# Reading a version needs no answer type: they load with the rules, or on first use.
__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {"Plan": "answers", "Rule": "answers", "Step": "answers", "Verdict": "answers"},
)

PRODUCTS = ("ydb", "ravendb")
"""The product subpackages, by module name: the one list the command line and the contract tests
are built from."""
