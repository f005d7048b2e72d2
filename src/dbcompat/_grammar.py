"""The grammar files shipped with dbcompat, and the parser both products use to read them.

A :class:`GrammarParser` answers from a bounded cache, then from a regular expression that
``dbcompat.regex_compiler`` generated from the grammar (``_patterns.py``), and only when that
fails asks Lark, whose error points at the input. Lark is imported only then, or when a user asks
for the grammar itself: reading a valid version never loads it.
"""

from __future__ import annotations

import _thread
import os
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from ._patterns import PATTERNS
from .errors import InvalidVersion

if TYPE_CHECKING:
    from pathlib import Path

    from lark import Lark
    from lark.exceptions import UnexpectedInput

__all__ = [
    "CACHE_SIZE",
    "MAX_VERSION_LENGTH",
    "GrammarParser",
    "GrammarRegex",
    "Pairs",
    "check_text",
    "field",
    "gather",
    "grammar_names",
    "grammar_path",
    "grammar_regex",
]

MAX_VERSION_LENGTH = 256
"""Longer inputs are refused before parsing, as node-semver does: hostile input costs nothing."""

CACHE_SIZE = 4096
"""How many distinct strings each parser remembers; fleets run a handful of versions. When full,
the cache starts again empty: evicting one entry at a time from a dict costs more than it saves
on a stream of unique strings."""

# A wheel carries the grammars inside the package; a checkout (editable install) keeps them at the
# top of the repository, where other tools reuse them. Plain os.path: pathlib is slow to import.
_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_GRAMMAR_FOLDERS = (
    os.path.join(_PACKAGE, "grammar"),
    os.path.join(os.path.dirname(os.path.dirname(_PACKAGE)), "grammar"),
)

# The rule each shipped grammar starts at.
_STARTS = {grammar: start for grammar, start in PATTERNS}

T = TypeVar("T")
Pairs = list[tuple[str, str]]


def grammar_names() -> list[str]:
    """The names of the grammars shipped with dbcompat, sorted.

    >>> "ydb_version" in grammar_names()
    True
    """
    return sorted(
        {
            name.removesuffix(".lark")
            for folder in _GRAMMAR_FOLDERS
            if os.path.isdir(folder)
            for name in os.listdir(folder)
            if name.endswith(".lark")
        }
    )


def grammar_path(name: str) -> Path:
    """The path of the installed grammar file called *name* (without ``.lark``).

    >>> grammar_path("ydb_version").name
    'ydb_version.lark'
    """
    from pathlib import Path

    names = grammar_names()
    if name not in names:
        raise LookupError(f"no grammar named {name!r}; dbcompat ships {', '.join(names)}")
    for folder in _GRAMMAR_FOLDERS:
        candidate = Path(folder, f"{name}.lark")
        if candidate.is_file():
            return candidate
    raise AssertionError("unreachable: grammar_names() listed a file that is gone")


class GrammarRegex(NamedTuple):
    """A grammar as a regular expression, for tools that have no Lark: ``pattern`` matches a
    version when matched whole (Python's ``re.fullmatch``), ``anchored`` is ``^(?:pattern)$``,
    ready for a JSON Schema ``pattern`` or a JavaScript ``RegExp``. Neither has named groups or
    Python-only syntax."""

    pattern: str
    anchored: str


def grammar_regex(name: str) -> GrammarRegex:
    """The regular expression generated from the grammar *name*, from its documented start rule.

    >>> import re
    >>> bool(re.fullmatch(grammar_regex("ydb_version").pattern, "24.3.14.2-lts"))
    True
    """
    if name not in _STARTS:
        raise LookupError(f"no grammar named {name!r}; dbcompat ships {', '.join(sorted(_STARTS))}")
    pattern = PATTERNS[(name, _STARTS[name])][0]
    return GrammarRegex(pattern, f"^(?:{pattern})$")


def load_lark(name: str, start: str, transformer: Any = None) -> Lark:
    """A LALR parser for the grammar *name*, starting at the rule *start*."""
    from lark import Lark

    path = grammar_path(name)
    return Lark(
        path.read_text(encoding="utf-8"),
        start=start,
        parser="lalr",
        transformer=transformer,
        import_paths=[str(path.parent)],
        source_path=str(path),
    )


def check_text(text: object, product: str) -> str:
    """*text* itself if it is a string short enough to parse; TypeError or InvalidVersion if not."""
    if not isinstance(text, str):
        raise TypeError(f"a {product} version must be a str, not {type(text).__name__}")
    if len(text) > MAX_VERSION_LENGTH:
        raise InvalidVersion(
            text,
            f"longer than the {MAX_VERSION_LENGTH}-character limit ({len(text)} characters)",
            product=product,
        )
    return text


def field(name: str) -> Callable[[object, list[str]], Pairs]:
    """A Transformer method for a rule that holds one token: it gives ``[(name, text)]``."""

    def method(_: object, tokens: list[str]) -> Pairs:
        return [(name, str(tokens[0]))]

    method.__name__ = name
    return method


def gather(parts: Iterable[object]) -> Pairs:
    """The ``(name, text)`` pairs of the rules below, leaving out tokens no builder reads."""
    return [pair for part in parts if isinstance(part, list) for pair in part]


class GrammarParser(Generic[T]):
    """Reads one grammar from one start rule into a *T*, built by ``rules.from_parts``.

    *rules* is a class whose methods are named after the grammar's rules: Lark uses it as its
    ``Transformer``, and its ``from_parts`` takes the text of each rule and terminal the generated
    pattern captures, by name.
    """

    def __init__(self, grammar: str, start: str, rules: type[Any], product: str) -> None:
        self.grammar = grammar
        self.start = start
        self.product = product
        self._rules = rules
        self._build: Callable[..., T] = rules.from_parts
        _, self._pattern, group_rules = PATTERNS[(grammar, start)]
        self._compiled: re.Pattern[str] | None = None
        self._group_rules = group_rules
        # Where every group names a different rule, the groups are from_parts's arguments in order.
        self._positional = len(set(group_rules)) == len(group_rules)
        self._cache: dict[str, T] = {}
        self._lock = _thread.allocate_lock()
        self._lark: Lark | None = None

    def parse(self, text: str) -> T:
        """What *text* spells; InvalidVersion (from Lark's reading) where the grammar says no.

        Answered from the cache, else by the generated pattern, else by Lark.
        """
        # The first call builds the hot path and puts it in this method's place.
        self.parse = self._hot_path()  # type: ignore[method-assign,assignment]
        return self.parse(text)

    def _hot_path(self) -> Callable[[str], T]:
        # A closure over locals: on this path an attribute lookup costs as much as an int().
        cache, build, product, positional = self._cache, self._build, self.product, self._positional
        fullmatch, from_groups, slow = (
            self._regex().fullmatch,
            self._from_groups,
            self.parse_with_lark,
        )

        def parse(text: str) -> T:
            if text.__class__ is str:
                result = cache.get(text)
                if result is not None:
                    return result
                if len(text) > MAX_VERSION_LENGTH:
                    check_text(text, product)
            else:
                check_text(text, product)
            match = fullmatch(text)
            if match is None:
                return slow(text)
            result = build(*match.groups()) if positional else from_groups(match.groups())
            if result is not None:
                if len(cache) >= CACHE_SIZE:
                    cache.clear()
                cache[text] = result
            return result

        parse.__doc__ = GrammarParser.parse.__doc__
        return parse

    def match(self, text: str) -> T | None:
        """What *text* spells, read by the generated pattern alone; None where it does not match.

        The tests prove it answers as Lark does; ``parse`` asks Lark only where this says None.
        """
        match = self._regex().fullmatch(text)
        return None if match is None else self._from_groups(match.groups())

    def _from_groups(self, groups: tuple[str | None, ...]) -> T:
        if self._positional:
            return self._build(*groups)
        texts: dict[str, str] = {}
        for rule, value in zip(self._group_rules, groups, strict=True):
            if value is not None:
                texts.setdefault(rule, value)
        return self._build(**texts)

    def _regex(self) -> re.Pattern[str]:
        # Compiled on first use, so that importing a product costs no regex compilation.
        if self._compiled is None:
            self._compiled = re.compile(self._pattern)
        return self._compiled

    def lark(self) -> Lark:
        """The Lark parser of the grammar, with the rules class as its Transformer; built once."""
        from lark import Transformer

        with self._lock:
            if self._lark is None:
                transformer = type(self._rules.__name__, (self._rules, Transformer), {})()
                self._lark = load_lark(self.grammar, self.start, transformer)
            return self._lark

    def parse_with_lark(self, text: str) -> T:
        """What *text* spells, read by Lark alone; InvalidVersion pointing at the input if not."""
        from lark.exceptions import UnexpectedInput

        check_text(text, self.product)
        lark = self.lark()
        try:
            result: T = lark.parse(text)  # type: ignore[assignment]
        except UnexpectedInput as error:
            raise self._explain(lark, error, text) from None
        return result

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
    # Imported terminals carry their grammar's name as a prefix: ydb_version__DIGITS.
    return terminal_name.rpartition("__")[2].lower().replace("_", " ")
