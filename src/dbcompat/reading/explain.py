"""Lark, where dbcompat needs it: the one module that imports Lark at run time, which the reader
reaches only for a text its regular expression refuses.

Lark, loaded from the grammar's serialized LALR tables (``_lark_tables.py``, generated), says
where the text goes wrong and what the grammar would take there; the product's transformer
builds the value of the rare text Lark takes. Tests and hypothesis strategies build their
parsers here too.

>>> refusal(load_lark("ydb_version", "valid_version"), "24.3 ")
Refusal(column=5, found="' '", expected="one of '-', '.', end of input")
"""

from __future__ import annotations

import functools
import re
from importlib import import_module
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import InvalidVersion
from .grammars import grammar_path

if TYPE_CHECKING:
    from lark import Lark, Transformer

    from .grammars import Grammar

__all__ = [
    "Refusal",
    "build_lark",
    "load_lark",
    "parse_with_lark",
    "refusal",
    "serialized",
]

END = "$END"


class Refusal(NamedTuple):
    """Where and why a grammar refuses a text: the 1-based column, what stands there (quoted,
    or ``end of input``), and what the grammar expected there, as a person reads it."""

    column: int
    found: str
    expected: str


def parse_with_lark(grammar: Grammar, text: str, product: str) -> Any:
    """What *grammar*'s transformer builds from *text*; InvalidVersion naming *product*, the
    column and what the grammar expected there, where the grammar refuses it."""
    from lark.exceptions import UnexpectedInput

    lark = load_lark(grammar.grammar, grammar.start)
    try:
        tree = lark.parse(text)
    except UnexpectedInput as error:
        why = _refusal(lark, text, error)
        raise InvalidVersion(
            text, f"expected {why.expected}, found {why.found}", product=product, column=why.column
        ) from None
    return transformer(grammar.transformer).transform(tree)


@functools.cache
def transformer(path: str) -> Transformer[Any, Any]:
    """An instance of the transformer at the dotted *path*
    (``dbcompat.ydb.transformers.TreeToVersion``)."""
    module, _, name = path.rpartition(".")
    made: Transformer[Any, Any] = getattr(import_module(module), name)()
    return made


def refusal(lark: Lark, text: str) -> Refusal | None:
    """Where and why *lark* refuses *text*; None where it takes it."""
    from lark.exceptions import UnexpectedInput

    try:
        lark.parse(text)
    except UnexpectedInput as error:
        return _refusal(lark, text, error)
    return None


def _refusal(lark: Lark, text: str, error: Exception) -> Refusal:
    """Where and why *lark* refuses *text*, given the *error* its parse raised."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    position: int = len(text)
    found = "end of input"
    expected: set[str] = set(getattr(error, "expected", ()) or ())
    if isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream or 0
        found = repr(text[position])
        expected = set(error.allowed or ())
    elif isinstance(error, UnexpectedToken) and error.token.type != END:
        position, found = error.token.start_pos or 0, repr(error.token.value)
    # Lark's own sets miss what is taken after a reduction (the end of input, often): the parser,
    # fed the text before the error, knows all of it.
    accepted = _accepted_after(lark, text[:position]) or expected
    return Refusal(position + 1, found, _describe(lark, accepted))


def _accepted_after(lark: Lark, prefix: str) -> set[str]:
    """Every terminal (and the end of input) the parser takes after reading *prefix*."""
    from lark import Token
    from lark.exceptions import UnexpectedInput

    interactive = lark.parse_interactive(prefix)
    try:
        interactive.exhaust_lexer()
    except UnexpectedInput:
        return set()
    accepted = set()
    terminals = {terminal.name for terminal in lark.terminals} | {END}
    for name in interactive.choices().keys() & terminals:  # type: ignore[no-untyped-call]
        trial = interactive.copy()  # type: ignore[no-untyped-call]
        try:
            trial.feed_token(Token(name, ""))
        except UnexpectedInput:
            continue
        accepted.add(name)
    return accepted


def _describe(lark: Lark, names: set[str]) -> str:
    """Terminals as a person reads them: ``one of '-', '.', end of input``."""
    descriptions = sorted({words for name in names for words in _terminal_words(lark, name)})
    if len(descriptions) == 1:
        return descriptions[0]
    return "one of " + ", ".join(descriptions)


def _terminal_words(lark: Lark, name: str) -> list[str]:
    """A terminal as a person reads it: a literal quoted, a pattern of plain words each of its
    words, another pattern its name in the grammar."""
    from lark.lexer import PatternStr

    if name == END:
        return ["end of input"]
    pattern = lark.get_terminal(name).pattern
    if isinstance(pattern, PatternStr):
        return [repr(pattern.value)]
    words = _literal_alternatives(pattern.value)
    if words:
        return [repr(word) for word in words]
    # Imported terminals carry their grammar's name as a prefix: ydb_version__DIGITS.
    return [name.rpartition("__")[2].lower().strip("_").replace("_", " ")]


def _literal_alternatives(regex: str) -> list[str]:
    """The words a pattern of plain alternatives spells (``(?:v\\.|v)``: ``v.``, ``v``); none
    where it is more than words, as ``[0-9]+`` is."""
    body = regex[3:-1] if regex.startswith("(?:") and regex.endswith(")") else regex
    words = []
    for alternative in body.split("|"):
        # A case-insensitive literal comes as (?i:word).
        alternative = re.sub(r"^\(\?i:(.*)\)$", r"\1", alternative)
        if not re.fullmatch(r"(?:[^\\\[\](){}*+?^$.|]|\\.)+", alternative):
            return []
        words.append(re.sub(r"\\(.)", r"\1", alternative))
    return words


@functools.cache
def load_lark(name: str, start: str) -> Lark:
    """A LALR parser for the shipped grammar *name* from the rule *start*: loaded from the
    tables generated at development time (``tools/lark_tables.py``; a test fails when they are
    not made from the grammar files as they are), or built where this Lark is not the one that
    made them."""
    from lark import Lark, __version__

    from . import _lark_tables

    table = _lark_tables.TABLES.get((name, start))
    if table is not None and __version__ == _lark_tables.LARK_VERSION:
        return Lark.load(table)
    return build_lark(name, start)


def build_lark(name: str, start: str) -> Lark:
    """A LALR parser for the shipped grammar *name*, built from the grammar file now.

    Case-insensitive literals match in ASCII only: Python's Unicode case folding would let the
    dotless and the dotted I (U+0131, U+0130) stand for ``i`` in ``Hotfix``, which no product
    writes, and which the generated regular expression, spelled in ASCII classes, refuses.
    """
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


def serialized(name: str, start: str) -> dict[str, Any]:
    """The parser of the grammar *name* from *start* as the data ``Lark.load`` takes, built now."""
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = build_lark(name, start).memo_serialize([TerminalDef, Rule])
    return {"data": data, "memo": memo}
