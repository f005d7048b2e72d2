"""The grammar files shipped with dbcompat: their names, their paths, and the regular expressions
generated from them, for tools that reuse the grammars with or without Lark.

>>> import re
>>> bool(re.fullmatch(grammar_regex("ydb_version").pattern, "24.3.14.2-lts"))
True
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from ._patterns import PATTERNS

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "Grammar",
    "GrammarRegex",
    "grammar_folder",
    "grammar_names",
    "grammar_path",
    "grammar_regex",
]

# A wheel carries the grammars inside the package; a checkout (editable install) keeps them at the
# top of the repository, where other tools reuse them. Plain os.path: pathlib is slow to import.
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_GRAMMAR_FOLDERS = (
    os.path.join(_PACKAGE, "grammar"),
    os.path.join(os.path.dirname(os.path.dirname(_PACKAGE)), "grammar"),
)

# The rule each shipped grammar starts at: the first one a product reads it from.
_STARTS = {grammar: start for grammar, start in reversed(list(PATTERNS))}


def grammar_folder() -> str:
    """The folder the grammar files are read from: pass it to Lark's ``import_paths``.

    >>> os.path.isfile(os.path.join(grammar_folder(), "ydb_version.lark"))
    True
    """
    for folder in _GRAMMAR_FOLDERS:
        if os.path.isdir(folder):
            return folder
    raise LookupError(f"dbcompat's grammar files are missing from {' and '.join(_GRAMMAR_FOLDERS)}")


def grammar_names() -> list[str]:
    """The names of the grammars shipped with dbcompat, sorted.

    >>> "ydb_version" in grammar_names()
    True
    """
    files = os.listdir(grammar_folder())
    return sorted(name.removesuffix(".lark") for name in files if name.endswith(".lark"))


def grammar_path(name: str) -> Path:
    """The path of the installed grammar file called *name* (without ``.lark``).

    >>> grammar_path("ydb_version").name
    'ydb_version.lark'
    """
    from pathlib import Path

    names = grammar_names()
    if name not in names:
        raise LookupError(f"no grammar named {name!r}; dbcompat ships {', '.join(names)}")
    return Path(grammar_folder(), f"{name}.lark")


class GrammarRegex(NamedTuple):
    """A grammar as a regular expression, for tools that have no Lark: ``pattern`` matches a
    version when matched whole (Python's ``re.fullmatch``), ``anchored`` is ``^(?:pattern)$``,
    ready for a JSON Schema ``pattern`` or a JavaScript ``RegExp``. Neither has named groups or
    Python-only syntax."""

    pattern: str
    anchored: str


def grammar_regex(name: str) -> GrammarRegex:
    """The regular expression generated from the grammar *name*, from its documented start rule.

    >>> grammar_regex("ydb_version").anchored.startswith("^(?:[0-9][0-9]")
    True
    """
    if name not in _STARTS:
        raise LookupError(f"no grammar named {name!r}; dbcompat ships {', '.join(sorted(_STARTS))}")
    pattern = PATTERNS[(name, _STARTS[name])][0]
    return GrammarRegex(pattern, f"^(?:{pattern})$")


class Grammar(NamedTuple):
    """One entry of a product's ``GRAMMARS`` table: read the file ``grammar/<grammar>.lark``
    from the rule *start*; *build* makes the value from the text of each rule and terminal the
    regular expression captures, by name (its parameters are what the regular expression
    captures); *transformer* is the dotted path of the Lark ``Transformer`` that builds the same
    value from a parse tree, through *build*."""

    grammar: str
    start: str
    build: Callable[..., Any]
    transformer: str
