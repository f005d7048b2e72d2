"""Lark, where dbcompat needs it: the only module that imports Lark at run time.

Reading a version never imports Lark: the generated regex reads a valid one, and the grammar's
LALR tables (``_lalr``) explain why an invalid one is refused. This module builds the parsers that
tests and hypothesis strategies generate strings from and compare with, and reads the rare text
that only Lark's transformer would build.
"""

from __future__ import annotations

import _thread
import functools
from typing import TYPE_CHECKING, Any

from ._lalr import Tables, tables
from .errors import InvalidVersion
from .grammars import grammar_path

if TYPE_CHECKING:
    from lark import Lark

__all__ = ["LarkReader", "build_lark", "grammar_tables", "load_lark", "serialized"]


def load_lark(name: str, start: str) -> Lark:
    """A LALR parser for the shipped grammar *name*, starting at the rule *start*: loaded from
    the tables generated at development time (``dbcompat.tools.lark_tables``; a test fails when
    they are not made from the grammar files as they are), or built where this Lark is not the
    one that made them."""
    from lark import Lark, __version__

    from . import _lark_tables

    table = _lark_tables.TABLES.get((name, start))
    if table is not None and __version__ == _lark_tables.LARK_VERSION:
        return Lark.load(table)
    return build_lark(name, start)


@functools.cache
def grammar_tables(name: str, start: str) -> Tables:
    """The LALR tables of the grammar *name* from *start*: the generated ones, or, for a grammar
    added since ``_lark_tables.py`` was generated, made by Lark once."""
    from . import _lark_tables

    if (name, start) in _lark_tables.TABLES:
        return tables(name, start)
    return Tables(serialized(name, start))


def serialized(name: str, start: str) -> dict[str, Any]:
    """The parser of the grammar *name* from *start* as the data ``Lark.load`` takes, built now."""
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = build_lark(name, start).memo_serialize([TerminalDef, Rule])
    return {"data": data, "memo": memo}


def build_lark(name: str, start: str) -> Lark:
    """A LALR parser for the shipped grammar *name*, built from the grammar file now.

    Case-insensitive literals match in ASCII only: Python's Unicode case folding would let the
    dotless and the dotted I (U+0131, U+0130) stand for ``i`` in ``Hotfix``, which no product
    writes, and which the generated regex, spelled in ASCII classes, refuses.
    """
    import re

    from lark import Lark

    path = grammar_path(name)
    return Lark(
        path.read_text(encoding="utf-8"),
        start=start,
        parser="lalr",
        import_paths=[str(path.parent)],
        source_path=str(path),
        g_regex_flags=re.ASCII,
    )


class LarkReader:
    """Lark's reading of one grammar from one start rule, with a product's transformer.

    *transformer* is a class whose methods are named after the grammar's rules; it is combined
    with Lark's ``Transformer`` only here, so that defining it costs no Lark import.
    """

    def __init__(self, grammar: str, start: str, transformer: type[Any], product: str) -> None:
        self.grammar = grammar
        self.start = start
        self.product = product
        self._transformer = transformer
        self._lock = _thread.allocate_lock()
        self._lark: Lark | None = None
        self._transform: Any = None

    def lark(self) -> Lark:
        """The Lark parser; loaded once, on first use."""
        from lark import Transformer

        with self._lock:
            if self._lark is None:
                name = self._transformer.__name__
                self._transform = type(name, (self._transformer, Transformer), {})().transform
                self._lark = load_lark(self.grammar, self.start)
            return self._lark

    def parse(self, text: str) -> Any:
        """What the transformer builds from *text*; InvalidVersion pointing at the input if the
        grammar does not accept it, which the LALR tables say without Lark."""
        refusal = grammar_tables(self.grammar, self.start).refusal(text)
        if refusal is not None:
            raise InvalidVersion(
                text,
                f"expected {refusal.expected}, found {refusal.found}",
                product=self.product,
                column=refusal.column,
            )
        tree = self.lark().parse(text)  # which makes self._transform
        return self._transform(tree)
