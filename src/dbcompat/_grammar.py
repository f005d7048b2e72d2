"""The grammar files shipped with dbcompat: where they are, how Lark loads them, and how a Lark
error becomes an InvalidVersion that points at the input.

Lark is imported only inside the functions here, so that reading a valid version never loads it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from .errors import InvalidVersion

if TYPE_CHECKING:
    from lark import Lark, Transformer
    from lark.exceptions import UnexpectedInput

__all__ = [
    "MAX_VERSION_LENGTH",
    "GrammarParser",
    "check_text",
    "grammar_names",
    "grammar_path",
    "number_field",
]

MAX_VERSION_LENGTH = 256
"""Longer inputs are refused before parsing, as node-semver does: hostile input costs nothing."""

# A wheel carries the grammars inside the package; a checkout (editable install) keeps them at the
# top of the repository, where other tools reuse them.
_GRAMMAR_FOLDERS = (
    Path(__file__).resolve().parent / "grammar",
    Path(__file__).resolve().parents[2] / "grammar",
)

T = TypeVar("T")


def grammar_names() -> list[str]:
    """The names of the grammars shipped with dbcompat, sorted.

    >>> "ydb_version" in grammar_names()
    True
    """
    return sorted({path.stem for folder in _GRAMMAR_FOLDERS for path in folder.glob("*.lark")})


def grammar_path(name: str) -> Path:
    """The path of the installed grammar file called *name* (without ``.lark``).

    >>> grammar_path("ydb_version").name
    'ydb_version.lark'
    """
    if name not in grammar_names():
        raise LookupError(f"no grammar named {name!r}; dbcompat ships {', '.join(grammar_names())}")
    for folder in _GRAMMAR_FOLDERS:
        candidate = folder / f"{name}.lark"
        if candidate.is_file():
            return candidate
    raise AssertionError("unreachable: grammar_names() listed a file that is gone")


def load_lark(
    name: str, start: str, transformer: Transformer[object, object] | None = None
) -> Lark:
    """A LALR parser for the grammar *name*, starting at the rule *start*."""
    from lark import Lark

    return Lark(
        grammar_path(name).read_text(encoding="utf-8"),
        start=start,
        parser="lalr",
        transformer=transformer,
        import_paths=[str(grammar_path(name).parent)],
        source_path=str(grammar_path(name)),
    )


def number_field(name: str) -> Callable[[object, list[str]], tuple[str, int]]:
    """A Transformer method for a rule that holds one number: it gives ``(name, value)``.

    The grammar has already checked that the token is ASCII digits, no longer than
    MAX_VERSION_LENGTH, so int() cannot fail on it.
    """

    def field(_: object, tokens: list[str]) -> tuple[str, int]:
        return (name, int(tokens[0]))

    field.__name__ = name
    return field


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


class GrammarParser(Generic[T]):
    """A Lark parser built on first use, whose transformer turns the text straight into a *T*."""

    def __init__(
        self, grammar: str, start: str, transformer: Callable[[], object], product: str
    ) -> None:
        self.grammar = grammar
        self.start = start
        self.product = product
        self._transformer = transformer
        self._lark: Lark | None = None
        self._lock = threading.Lock()

    def lark(self) -> Lark:
        """The Lark parser, built once."""
        with self._lock:
            if self._lark is None:
                self._lark = load_lark(self.grammar, self.start, self._transformer())  # type: ignore[arg-type]
            return self._lark

    def parse(self, text: str) -> T:
        """What the transformer builds from *text*; InvalidVersion where the grammar says no."""
        from lark.exceptions import UnexpectedInput

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
        column = position + 1
        return InvalidVersion(
            text,
            f"expected {_describe_all(lark, expected)}, found {found}",
            product=self.product,
            column=column,
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
