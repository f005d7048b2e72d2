"""How a product reads a version string, in one path: the text is checked, looked up in a bounded
cache, matched whole by the regular expression generated from the grammar, and built by the
product's own function from the parts the regular expression named. Only a text that the regular
expression refuses goes on to Lark (:mod:`dbcompat.reading.explain`), which says why: reading a
valid version never imports Lark.

A product lists its grammars as :class:`Grammar` entries in its ``parser`` module: the grammar
file, the rule to start at, the function that builds a value from named parts, and the Lark
transformer (named, so that only a refused text imports it) that reaches the same function
from a parse tree.

>>> def build(year, major):
...     return (int(year), int(major))
>>> reader = Reader(Grammar("ydb_version", "valid_version", build, ""), "YDB")
>>> reader.regex.pattern[:22]
'(?P<year>[0-9][0-9])\\\\.'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ..errors import InvalidVersion
from ._patterns import PATTERNS
from .grammars import Grammar

__all__ = [
    "CACHE_SIZE",
    "MAX_VERSION_LENGTH",
    "MISSING",
    "Missing",
    "Reader",
    "captured",
    "check_text",
]

T = TypeVar("T")

MAX_VERSION_LENGTH = 256
"""Longer inputs are refused before parsing, as node-semver does: hostile input costs nothing."""

CACHE_SIZE = 4096
"""How many distinct strings each reader remembers; fleets run a handful of versions. When full,
it keeps what it holds: on a stream of unique strings, storing or evicting each costs more than
the cache saves."""


class Missing:
    """The type of MISSING."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()
"""What :meth:`Reader.read` gives for a text the grammar refuses, without asking Lark why."""


def check_text(text: object, product: str) -> str:
    """*text* as a plain str if it is a string short enough to parse (a subclass of str is read
    as the text it holds, never through its own methods); TypeError or InvalidVersion if not.

    >>> check_text(24.3, "YDB")
    Traceback (most recent call last):
    ...
    TypeError: a YDB version must be a str, not float
    """
    if not isinstance(text, str):
        raise TypeError(f"a {product} version must be a str, not {type(text).__name__}")
    if len(text) > MAX_VERSION_LENGTH:
        raise InvalidVersion(
            text,
            f"longer than the {MAX_VERSION_LENGTH}-character limit ({len(text)} characters)",
            product=product,
        )
    return str.__str__(text)


def captured(build: Callable[..., Any]) -> tuple[str, ...]:
    """The names of the parts *build* takes: what the generated regular expression captures."""
    # From the function's code, not inspect, which costs a command more to import than it
    # spends reading its versions.
    code = build.__code__
    return code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]


class Reader(Generic[T]):
    """Reads one grammar of one product into values of *T*.

    ``parse(text)`` answers from the cache, else from the regular expression and the product's
    builder, else raises the InvalidVersion that Lark's reading of the grammar explains.
    """

    def __init__(
        self,
        grammar: Grammar,
        product: str,
        *,
        first: Reader[Any] | None = None,
        plain: bool = False,
    ) -> None:
        self.grammar = grammar
        self.product = product
        self.first = first
        """A stricter reader whose grammar this one's takes in: what it reads, it reads faster."""
        self.plain = plain
        """Whether a text this grammar refuses is read again without its surrounding white space
        and in lower case, as people write versions; an error then points into the text given."""
        _, pattern, rules = PATTERNS[(grammar.grammar, grammar.start)]
        self.regex = re.compile(pattern)
        """The grammar's regular expression, each captured rule a named group."""
        # A rule that stands in several alternatives is captured once in each (year, year__2):
        # at most one of its groups holds text, and it is handed on by the rule's own name.
        self._rules = rules
        self._build = grammar.build
        # Where the rules captured are the builder's first parameters, in order, the groups are
        # handed on as they stand: a call by keyword costs as much as the rest of the reading.
        self._in_order = rules == captured(grammar.build)[: len(rules)]
        self._cache: dict[str, T] = {}

    def parse(self, text: str) -> T:
        """The value *text* spells; InvalidVersion, pointing at the input, where the grammar
        says no; TypeError for what is not a str."""
        if type(text) is not str or len(text) > MAX_VERSION_LENGTH:
            text = check_text(text, self.product)
        value = self.find(text)
        if value is not MISSING:
            return value  # type: ignore[return-value]
        if not self.plain:
            return self._explained(text)
        plain = text.strip().translate(_ASCII_LOWER)
        value = self.find(plain)
        if value is not MISSING:
            return value  # type: ignore[return-value]
        try:
            return self._explained(plain)
        except InvalidVersion as error:  # where the plain text goes wrong, in the text given
            offset = len(text) - len(text.lstrip())
            column = None if error.column is None else error.column + offset
            raise InvalidVersion(text, error.reason, product=self.product, column=column) from None

    def read(self, text: str) -> T | Missing:
        """The value *text* spells, from the cache or the regular expression (as it stands, then
        plainly where the reader reads so); MISSING where the grammar says no, without asking
        Lark why, which costs ten times a reading."""
        if type(text) is not str or len(text) > MAX_VERSION_LENGTH:
            text = check_text(text, self.product)
        value = self.find(text)
        if value is MISSING and self.plain:
            value = self.find(text.strip().translate(_ASCII_LOWER))
        return value

    def find(self, text: str) -> T | Missing:
        """What the exact str *text*, of a length to read, spells, from the cache or the regular
        expressions (the stricter reader's first); MISSING where they refuse it."""
        if self.first is not None:
            stricter = self.first.find(text)
            if stricter is not MISSING:
                return stricter
        cache = self._cache
        cached = cache.get(text)
        if cached is not None:
            return cached
        match = self.regex.fullmatch(text)
        if match is None:
            return MISSING
        if self._in_order:
            value: T = self._build(*match.groups())
        else:
            value = self._build(**self._parts_of(match))
        if len(cache) < CACHE_SIZE:
            cache[text] = value
        return value

    def parts(self, text: str) -> dict[str, str] | None:
        """The text of each rule the regular expression captured in *text*, by name, as the
        builder takes them; None where it does not match.

        >>> from dbcompat.ydb.parser import GRAMMARS
        >>> Reader(GRAMMARS[0], "YDB").parts("24.3-lts")
        {'year': '24', 'major': '3', 'version_type': 'lts'}
        """
        match = self.regex.fullmatch(text)
        return None if match is None else self._parts_of(match)

    def _parts_of(self, match: re.Match[str]) -> dict[str, str]:
        groups = zip(self._rules, match.groups(), strict=True)
        return {rule: part for rule, part in groups if part is not None}

    def _build_from(self, match: re.Match[str]) -> T:
        if self._in_order:
            built: T = self._build(*match.groups())
        else:
            built = self._build(**self._parts_of(match))
        return built

    def match(self, text: str) -> T | None:
        """What *text* spells, read by the regular expression alone, without the cache or Lark;
        None where it does not match. The tests prove it answers as Lark does."""
        match = self.regex.fullmatch(text)
        return None if match is None else self._build_from(match)

    def parse_with_lark(self, text: str) -> T:
        """What *text* spells, read by Lark with the grammar's transformer: InvalidVersion
        pointing at the input where the grammar refuses it."""
        return self._explained(check_text(text, self.product))

    def _explained(self, text: str) -> T:
        from .explain import parse_with_lark

        value: T = parse_with_lark(self.grammar, text, self.product)
        return value


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
"""Lower case in ASCII only: the grammars' words are ASCII, and Unicode's folding is not."""
