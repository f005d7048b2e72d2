"""The reading of a version string that every parse goes through first: one function that makes
the closure a reader answers with (``GrammarReader``'s cache, dotted numbers, then regexes).

It imports nothing of dbcompat, so that the same source compiles, unchanged, into the optional
accelerator (``fast/``, the ``fast`` extra), a module of its own that mypyc makes. Where that is
installed and was built from this very file, readers use it; otherwise this file runs as it is.
The tests run both on the same inputs.

>>> class Pair:
...     __slots__ = ("key",)
>>> # Two numbers, the first of two digits, no suffix, no prefix:
>>> dotted = (Pair, {2: {None: ()}}, {2: ()}, frozenset({2}), {})
>>> read = fast_path(repr, {}, 0, str, 256, [(lambda text: None, tuple)], dotted,
...                  {"1": 1, "24": 24}, Pair.key.__set__)
>>> read("24.1").key, read("24.x")
((24, 1), "'24.x'")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

COMPILED: Final = not __file__.endswith(".py")
"""Whether this is the compiled accelerator: mypyc makes a comprehension over a dict a loop in C,
where CPython makes it a call; ``map`` is the faster of the two in Python. Both give the same key,
so a wrong guess (a frozen program's odd ``__file__``) costs speed, never an answer."""

Builder = Callable[[tuple[Any, ...]], Any]
Branch = tuple[Callable[[str], Any], Builder]
"""A regex's fullmatch and what builds a value from the groups it captured."""

Dotted = tuple[
    type, dict[int, dict[Any, tuple[Any, ...]]], dict[int, tuple[Any, ...]], frozenset[int],
    dict[str, list[tuple[str, str]]],
]  # fmt: skip
"""How to read dotted numbers: the class built, each count's tail by suffix, each count's tail
without one, the first number's widths, the prefixes by their first letter (``_DottedReading``)."""


def fast_path(
    slow: Callable[[str], Any],
    cache: dict[str, Any],
    size: int,
    checked: Callable[[Any], str],
    limit: int,
    branches: list[Branch],
    dotted: Dotted,
    numbers: dict[str, int],
    set_key: Callable[[Any, tuple[Any, ...]], None],
    lenient: Callable[[], Callable[[str], Any]] | None = None,
    none_is_slow: bool = False,
) -> Callable[..., Any]:
    """What reads a text as *cache*, *dotted* and *branches* do, and hands the rest to *slow*:
    a cache of *size* entries (0 for none, which it then leaves alone), *checked* for what is not
    exactly a str or is longer than *limit* (it raises, or gives the text to read), *numbers* to
    read digits, *set_key* to write a built value's key. With ``strict=False``, the call goes to
    what *lenient* makes, on first use (to *slow* without it). Where a branch builds None, the
    answer is None, or *slow*'s with *none_is_slow*.
    """
    # A closure over locals, each check one operation: on this path an attribute lookup costs
    # as much as an int().
    first_match, first_build = branches[0]
    others = branches[1:]  # most grammars have only the one alternative, tried without a loop
    cls, shapes, plain, widths, prefixes = dotted
    number, new = numbers.__getitem__, object.__new__
    otherwise: Callable[[str], Any] | None = None  # made on first use

    def parse(text: Any, *, strict: Any = True) -> Any:
        # Named as the public parse names them; strict counts by its truth, whatever it is.
        if not strict:
            nonlocal otherwise
            if otherwise is None:
                otherwise = slow if lenient is None else lenient()
            return otherwise(text)
        # A str subclass is read as the text it holds, never through its own methods.
        string: str = text if text.__class__ is str else str.__str__(checked(text))
        result = cache.get(string)
        if result is not None:
            return result
        if len(string) > limit:
            checked(string)
        parts = string.split(".")
        if prefixes and string[:1] in prefixes:
            for prefix, separator in prefixes[string[:1]]:
                if string.startswith(prefix):
                    parts = string[len(prefix) :].split(separator)
                    break
        built: Any
        tail: tuple[Any, ...] | None = plain.get(len(parts))
        if tail is not None and len(parts[0]) in widths:
            if "-" in parts[-1]:  # a suffix, or what the regex reads
                parts[-1], _, suffix = parts[-1].partition("-")
                tail = shapes[len(parts)].get(suffix)
            if tail is not None:
                try:
                    if COMPILED:
                        key = (*[numbers[part] for part in parts], *tail)
                    else:
                        key = (*map(number, parts), *tail)
                except KeyError:  # a part not of ASCII digits: the regex reads it
                    pass
                else:
                    built = new(cls)
                    set_key(built, key)
                    # Once full, the cache keeps what it holds: on a stream of unique strings,
                    # storing each would cost more than the cache saves.
                    if len(cache) < size:
                        cache[string] = built
                    return built
        match = first_match(string)
        if match is not None:
            built = first_build(match.groups())
        else:
            for fullmatch, from_groups in others:
                match = fullmatch(string)
                if match is not None:
                    built = from_groups(match.groups())
                    break
            else:
                return slow(string)
        if built is None:  # the builder gave None: a value of the grammars that can
            return slow(string) if none_is_slow else None
        if len(cache) < size:
            cache[string] = built
        return built

    return parse
