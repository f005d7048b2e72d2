"""Lark, where dbcompat needs it: the only module that imports Lark at run time.

Reading a valid version never comes here (the generated regex answers); this module reads what the
regex refused, to explain where and why the grammar says no, and builds the parsers that tests and
hypothesis strategies generate strings from.
"""

from __future__ import annotations

import _thread
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .errors import InvalidVersion
from .grammars import grammar_path

if TYPE_CHECKING:
    from lark import Lark
    from lark.exceptions import UnexpectedInput

__all__ = ["LarkReader", "load_lark"]


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
        grammar does not accept it."""
        from lark.exceptions import UnexpectedInput

        lark = self.lark()
        try:
            tree = lark.parse(text)
        except UnexpectedInput as error:
            raise self._explain(lark, error, text) from None
        return self._transform(tree)

    def _explain(self, lark: Lark, error: UnexpectedInput, text: str) -> InvalidVersion:
        from lark.exceptions import UnexpectedCharacters, UnexpectedToken

        position = len(text)
        found = "end of input"
        lark_expected: Iterable[str] = getattr(error, "expected", ())
        if isinstance(error, UnexpectedCharacters):
            position = error.pos_in_stream or 0
            found = repr(text[position])
            lark_expected = error.allowed
        elif isinstance(error, UnexpectedToken) and error.token.type != "$END":
            position = error.token.start_pos or 0
            found = repr(error.token.value)
        # Lark's own sets miss what is accepted after a reduction (end of input, often); the
        # parser, fed the text before the error, knows all of it.
        expected = _accepted_after(lark, text[:position]) or lark_expected
        return InvalidVersion(
            text,
            f"expected {_describe_all(lark, expected)}, found {found}",
            product=self.product,
            column=position + 1,
        )


def _accepted_after(lark: Lark, prefix: str) -> set[str]:
    """Every terminal the parser accepts after *prefix*, end of input included.

    Lark's ``InteractiveParser.accepts`` does the same but skips terminals whose names are not
    all capitals, which imported ones (``ydb_version__YEAR``) are not.
    """
    from lark import Token
    from lark.exceptions import UnexpectedInput

    interactive = lark.parse_interactive(prefix)
    try:
        interactive.exhaust_lexer()
    except UnexpectedInput:
        return set()
    terminals = {terminal.name for terminal in lark.terminals} | {"$END"}
    accepted = set()
    choices: dict[str, object] = interactive.choices()  # type: ignore[no-untyped-call]
    for name in choices.keys() & terminals:
        trial = interactive.copy()  # type: ignore[no-untyped-call]
        try:
            trial.feed_token(Token(name, ""))
        except UnexpectedInput:
            continue
        accepted.add(name)
    return accepted


def _describe_all(lark: Lark, terminal_names: Iterable[str]) -> str:
    descriptions = sorted({_describe(lark, name) for name in terminal_names})
    if len(descriptions) == 1:
        return descriptions[0]
    return "one of " + ", ".join(descriptions)


def _describe(lark: Lark, terminal_name: str) -> str:
    """A terminal as a person reads it: a literal quoted, a pattern by its name in the grammar."""
    from lark.lexer import PatternStr

    if terminal_name == "$END":
        return "end of input"
    pattern = lark.get_terminal(terminal_name).pattern
    if isinstance(pattern, PatternStr):
        return repr(pattern.value)
    words = _literal_alternatives(pattern.value)
    if words:
        return ", ".join(map(repr, sorted(words)))
    # Imported terminals carry their grammar's name as a prefix: ydb_version__DIGITS.
    return terminal_name.rpartition("__")[2].lower().strip("_").replace("_", " ")


def _literal_alternatives(regex: str) -> list[str]:
    """The words a pattern of plain alternatives spells (``(?:v\\.|v)``: ``v.``, ``v``); none
    where it is more than words, as ``[0-9]+`` is."""
    import re

    body = regex[3:-1] if regex.startswith("(?:") and regex.endswith(")") else regex
    words = []
    for alternative in body.split("|"):
        # A case-insensitive literal comes as (?i:word).
        alternative = re.sub(r"^\(\?i:(.*)\)$", r"\1", alternative)
        if not re.fullmatch(r"(?:[^\\\[\](){}*+?^$.|]|\\.)+", alternative):
            return []
        words.append(re.sub(r"\\(.)", r"\1", alternative))
    return words
