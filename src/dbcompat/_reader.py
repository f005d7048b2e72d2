"""How both products read a version string: a bounded cache, then the dotted numbers that the
transformer declares (``Dotted``), read with string operations, then the regular expression
generated from the grammar (``_patterns.py``), and only where that says no, the grammar's LALR
tables (``_lalr``), to explain why. The first three are one closure, which ``_fast.fast_path``
makes: the compiled accelerator's (``FAST``) where it is installed, else the same code as Python.

A product declares its grammars in a ``GRAMMARS`` table of :class:`Grammar` entries in its
``parser`` module: which grammar, from which start rule, read by which transformer. A transformer
is a class whose methods are named after the grammar's rules, as in Lark's own examples, with a
static ``from_parts`` that builds the value from the text of each rule and terminal, by name. The
regex path calls ``from_parts`` with the groups it captured; the Lark path reaches it through the
transformer's methods: both hand it the same values (the tests prove it).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar, cast

from . import _fast
from ._patterns import BRANCHES, PATTERNS
from ._value import NUMBERS, Key, set_key
from .errors import InvalidVersion

if TYPE_CHECKING:
    from ._lark import LarkReader

__all__ = [
    "CACHE_SIZE",
    "FAST",
    "MAX_VERSION_LENGTH",
    "MISSING",
    "Dotted",
    "Grammar",
    "GrammarReader",
    "Missing",
    "Pairs",
    "check_text",
    "field",
    "gather",
    "gather_rule",
    "source_digest",
]


def source_digest() -> int | None:
    """The CRC-32 of ``_fast.py`` as shipped, which ``fast/setup.py`` records in what it builds
    as ``BUILT_FROM``; None where the source cannot be read (a zip, a frozen program)."""
    import binascii  # not hashlib, whose OpenSSL takes longer to load than reading a version

    try:
        with open(_fast.__file__, "rb") as source:
            return binascii.crc32(source.read())
    except OSError:
        return None


def _accelerator() -> ModuleType:
    """The compiled reading (``pip install ./fast``, the ``fast`` extra) where it is installed
    and was built from this very ``_fast.py``, unless ``DBCOMPAT_NO_EXTENSIONS`` is set (as
    aiohttp's and msgpack's own variables do); else ``_fast`` itself, the same code as Python."""
    if os.environ.get("DBCOMPAT_NO_EXTENSIONS"):
        return _fast
    try:
        import dbcompat_fast  # type: ignore[import-not-found]
    except ImportError:
        return _fast
    digest = source_digest()
    if digest is None or getattr(dbcompat_fast, "BUILT_FROM", None) != digest:
        import warnings

        warnings.warn(
            "dbcompat-fast is not used: it is not known to be built from this dbcompat's own "
            "source; reinstall it (pip install ./fast) to read versions at its speed",
            RuntimeWarning,
            stacklevel=2,
        )
        return _fast
    accelerated: ModuleType = dbcompat_fast
    return accelerated


FAST = _accelerator()
"""Where readers' fast paths come from: the compiled accelerator, or ``_fast`` as Python."""

MAX_VERSION_LENGTH = 256
"""Longer inputs are refused before parsing, as node-semver does: hostile input costs nothing."""

CACHE_SIZE = 4096
"""How many distinct strings each reader remembers; fleets run a handful of versions. When full,
it keeps what it holds: on a stream of unique strings, storing or evicting each costs more than
the cache saves, and a string it does not hold is read in a microsecond."""

T = TypeVar("T")
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])


class Missing:
    """The type of MISSING."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()
"""What ``GrammarReader.quick`` gives where the cache and the regex do not read the text."""


def _collapser(rules: tuple[str, ...], build: Callable[..., T]) -> Callable[[tuple[Any, ...]], T]:
    """What hands the regex's groups to *build*: the groups themselves where they are its first
    parameters in order, else a function, generated, that gives each rule by name the one of its
    groups that holds text (a rule captured twice stands in alternatives of which one matches)."""
    code = build.__code__  # not inspect, which costs more to import than reading a version
    parameters = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount][: len(rules)]
    if rules == parameters:
        return lambda groups: build(*groups)
    places: dict[str, list[int]] = {}
    for index, rule in enumerate(rules):
        places.setdefault(rule, []).append(index)
    arguments = ", ".join(
        f"{rule}={' or '.join(f'groups[{index}]' for index in indices)}"
        for rule, indices in places.items()
    )
    namespace: dict[str, Any] = {"build": build}
    exec(f"def collapse(groups):\n    return build({arguments})\n", namespace)  # names, ints
    collapse: Callable[[tuple[Any, ...]], T] = namespace["collapse"]
    return collapse


def _missing(_: str) -> Missing:
    return MISSING


def _none(_: str) -> None:
    return None


class Dotted(NamedTuple):
    """A shape of a grammar that string operations read faster than any regex, declared by its
    transformer as ``dotted``: *least* to *most* numbers of ASCII digits joined by dots, the
    first of exactly *first_digits* digits where given, optionally one of the words of
    *suffixes* after a ``-``, which gives ``from_parts`` the keyword arguments it maps to, and
    optionally after one of the *prefixes*.

    Every such text must be in the grammar's language (the tests prove it), the numbers must be
    the first parameters of ``from_parts``, in order, and the first items of the key it builds.
    """

    least: int
    most: int
    first_digits: int | None = None
    suffixes: Mapping[str, Mapping[str, str]] = {}
    prefixes: Mapping[str, str] = {}
    """Words the numbers may follow, which ``from_parts`` does not see, each with what joins the
    numbers after it (``{"v": ".", "stable-": "-"}``); a suffix follows dotted numbers only."""


class _DottedReading(NamedTuple):
    """What a reader needs to read a transformer's Dotted shape, worked out once: the class
    built, each count's tail by suffix (None for none), each count's tail without one, the
    widths the first number may have, and the prefixes by their first letter, longest first."""

    cls: type[Any]
    shapes: dict[int, dict[str | None, Key]]
    plain: dict[int, Key]
    widths: frozenset[int]
    prefixes: dict[str, list[tuple[str, str]]]


def _dotted_reading(dotted: Dotted, build: Callable[..., Any]) -> _DottedReading:
    """How to read *dotted* texts, from *build* itself: for each count of numbers and each suffix,
    the rest of the key after the numbers, so that the two cannot differ. A transformer whose
    key does not start with its numbers is refused at once.
    """
    cls: type[Any] = object  # for a grammar without the shape, never built
    shapes: dict[int, dict[str | None, Key]] = {}
    for count in range(dotted.least, dotted.most + 1):
        words: dict[str | None, Mapping[str, str]] = {None: {}}
        words.update(dotted.suffixes)
        for word, arguments in words.items():
            tails = set()
            for first in (1, 50):
                numbers = tuple(range(first, first + count))
                value = build(*map(str, numbers), **arguments)
                if value._key[:count] != numbers:
                    raise ValueError(f"{build.__qualname__} keys do not start with the numbers")
                cls = type(value)
                tails.add(value._key[count:])
            if len(tails) != 1:
                raise ValueError(f"{build.__qualname__} keys depend on the numbers' values")
            shapes.setdefault(count, {})[word] = tails.pop()
    digits = dotted.first_digits
    widths = frozenset(range(1, MAX_VERSION_LENGTH + 1) if digits is None else (digits,))
    # Longest first, so that "v." is tried before "v".
    prefixes: dict[str, list[tuple[str, str]]] = {}
    for prefix, separator in sorted(dotted.prefixes.items(), key=lambda item: -len(item[0])):
        prefixes.setdefault(prefix[:1], []).append((prefix, separator))
    plain = {count: tails[None] for count, tails in shapes.items()}
    return _DottedReading(cls, shapes, plain, widths, prefixes)


Pairs = list[tuple[str, str]]
"""What a transformer method gives for the rules beneath it: (rule or terminal name, its text)."""


class Grammar(NamedTuple):
    """One entry of a product's ``GRAMMARS`` table: read *grammar* from *start* with
    *transformer*, whose ``from_parts`` parameters are what the generated regex captures."""

    grammar: str
    start: str
    transformer: type[Any]


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
    """A transformer method for a rule that holds one token: it gives ``[(name, text)]``."""

    def method(_: object, tokens: list[str]) -> Pairs:
        return [(name, str(tokens[0]))]

    method.__name__ = name
    return method


def gather(parts: Iterable[object]) -> Pairs:
    """The ``(name, text)`` pairs of the rules below and of the named terminals among them (a
    Lark token is a ``str`` with a ``type``); anonymous literals are not in the tree."""
    pairs: Pairs = []
    for part in parts:
        if isinstance(part, list):
            pairs += part
        elif isinstance(part, str):
            pairs.append((getattr(part, "type", ""), str(part)))
    return pairs


def gather_rule(_: object, parts: list[object]) -> Pairs:
    """A transformer method for a rule whose pairs are those of its parts, as ``gather`` finds."""
    return gather(parts)


class GrammarReader(Generic[T]):
    """Reads one product grammar into a *T*: ``parse(text)`` answers from the cache, else from
    the dotted reading, else from the generated regex, else from the grammar's LALR tables, which
    raise InvalidVersion pointing at the input."""

    def __init__(self, grammar: Grammar, product: str) -> None:
        self.grammar = grammar
        self.product = product
        self._build: Callable[..., T] = grammar.transformer.from_parts
        # A grammar added since _patterns.py was generated has no pattern yet: one that never
        # matches sends every text to Lark, slow but right, until the regex compiler runs.
        _, self._groups_pattern, self._group_rules = PATTERNS.get(
            (grammar.grammar, grammar.start), ("", "(?!)", ())
        )
        # Where the one pattern captures a rule in several alternatives, each alternative on its
        # own: tried in order, each with its few groups, they read faster than all at once.
        branches = BRANCHES.get((grammar.grammar, grammar.start), ())
        if not branches:
            branches = ((self._groups_pattern, self._group_rules),)
        self._branches = [
            (re.compile(pattern).fullmatch, rules, _collapser(rules, self._build))
            for pattern, rules in branches
        ]
        # A transformer may declare a shape of its grammar that plain string operations read
        # faster than any regex (dotted numbers): the reader builds those values itself.
        dotted = getattr(grammar.transformer, "dotted", None) or Dotted(0, -1)
        self._dotted = _dotted_reading(dotted, self._build)
        self._cache: dict[str, T] = {}
        self.parse: Callable[[str], T] = self._fast_path(self.parse_with_lark, CACHE_SIZE)
        """What *text* spells; InvalidVersion where the grammar says no."""
        self.quick: Callable[[str], T | Missing] = self._fast_path(_missing, CACHE_SIZE)
        """What *text* spells as the cache, the dotted reading and the regex read it; MISSING where
        they do not, so that a caller may try another spelling before it asks the grammar why."""
        self._uncached: Callable[[str], T | None] = self._fast_path(_none, 0)

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        """The one pattern of the grammar, with its named groups; compiled on first use, since
        a reader of several alternatives reads with those."""
        return re.compile(self._groups_pattern)

    def front(
        self,
        *,
        lenient: Callable[[], GrammarReader[Any]] | None = None,
        reading: ModuleType | None = None,
    ) -> Callable[[F], F]:
        """A decorator of a product's public ``parse(text, *, strict=True)``, which reads
        everything itself: what the cache, the dotted shape or the regexes read is answered at
        once, within the same call, and only the rest reaches the function. Strict reading is
        this reader's; *lenient*, where given, makes (on first use) the reader of ``strict=False``.
        *reading* is the module of ``fast_path`` (``FAST`` unless given, as the tests do).

        One call instead of two or three is a tenth of the time of reading a version.
        """

        def decorate(parse: F) -> F:
            strictly, leniently = (functools.partial(parse, strict=flag) for flag in (True, False))

            def lenient_front() -> Callable[[str], Any]:
                if lenient is None:
                    return leniently
                return lenient().reading(leniently, reading=reading)

            front = self._fast_path(strictly, CACHE_SIZE, lenient_front, reading=reading)
            return cast(F, functools.update_wrapper(front, parse))

        return decorate

    def reading(
        self, slow: Callable[[str], R], *, reading: ModuleType | None = None
    ) -> Callable[[str], T | R]:
        """One call that reads a text as this reader's cache, dotted shape and regexes do, and
        hands the rest to *slow*, as it does a value the regexes build as None (a development
        build, which *slow* refuses): what a front's lenient side is made of.
        """
        return self._fast_path(slow, CACHE_SIZE, none_is_slow=True, reading=reading)

    def _fast_path(
        self,
        slow: Callable[[str], R],
        size: int,
        lenient: Callable[[], Callable[[str], R]] | None = None,
        *,
        none_is_slow: bool = False,
        reading: ModuleType | None = None,
    ) -> Callable[..., T | R]:
        """``fast_path`` of *reading* (the accelerator where installed, else ``_fast``) over this
        reader's cache (a private one of *size* 0 for none), regexes and dotted shape."""
        product = self.product
        read: Callable[..., T | R] = (reading or FAST).fast_path(
            slow,
            self._cache if size else {},
            size,
            lambda text: check_text(text, product),
            MAX_VERSION_LENGTH,
            [(match, build) for match, _, build in self._branches],
            self._dotted,
            NUMBERS,
            set_key,
            lenient,
            none_is_slow,
        )
        return read

    def _first_match(self, text: str) -> tuple[re.Match[str], tuple[str, ...], Any] | None:
        for fullmatch, rules, build in self._branches:
            match = fullmatch(text)
            if match is not None:
                return match, rules, build
        return None

    def match(self, text: str) -> T | None:
        """What *text* spells, read as ``parse`` reads it but without its cache or Lark: by the
        dotted numbers' reading and the generated regexes; None where they do not match.

        The tests prove it answers as Lark does; ``parse`` asks the grammar's tables why only
        where this says None.
        """
        return self._uncached(text)

    def groups(self, text: str) -> dict[str, str] | None:
        """The text of each rule the regexes captured in *text*, by name, as ``from_parts`` gets
        it; None where they do not match."""
        found = self._first_match(text)
        if found is None:
            return None
        match, rules, _ = found
        # A rule captured twice stands in alternatives of which one matches: at most one of its
        # groups holds text.
        pairs = zip(rules, match.groups(), strict=True)
        return {rule: value for rule, value in pairs if value is not None}

    @functools.cached_property
    def lark(self) -> LarkReader:
        """Lark's reader of the same grammar, with the same transformer; made on first use."""
        from ._lark import LarkReader

        grammar = self.grammar
        return LarkReader(grammar.grammar, grammar.start, grammar.transformer, self.product)

    def parse_with_lark(self, text: str) -> T:
        """What *text* spells, read by the grammar rather than the regex: InvalidVersion
        pointing at the input where its LALR tables refuse it, else what Lark's parser builds."""
        check_text(text, self.product)
        result: T = self.lark.parse(text)
        return result
