"""Which version a version moved from: moves are matched by what runs, not by what it is called.

Within one workload, a product's containers are matched by product: by name only to tell
several of one product apart. A container renamed, reordered, split in two or replaced still
moves from the version its product ran there before, so a new name cannot hide a move.

>>> before = {("ydb", "ydb"): "24.1.18"}
>>> after = {("ydb", "ydb2"): "25.2.1.26"}
>>> list(moved_from(before, after, group=lambda key: key[0]))
[(('ydb', 'ydb2'), ['24.1.18'], '25.2.1.26')]
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import TypeVar

__all__ = ["moved_from"]

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


def moved_from(
    before: Mapping[Key, Value],
    after: Mapping[Key, Value],
    *,
    group: Callable[[Key], Hashable],
) -> Iterator[tuple[Key, list[Value], Value]]:
    """Each key of *after*, the values of *before* it moved from, and its value now. A key
    *before* has too moved from that key's value. Otherwise it moved from its group's values
    (the same product in the same workload, as *group* says) that *after* no longer names; where
    every one is still named (a container added beside the others), from all of its group's. A
    key whose group *before* does not have is new: it moved from nothing (an empty list).

    >>> before = {"a": 1, "b": 2}
    >>> [(key, was) for key, was, _ in moved_from(before, {"a": 1, "c": 3}, group=lambda k: 0)]
    [('a', [1]), ('c', [2])]
    """
    gone: dict[Hashable, list[Value]] = {}
    everyone: dict[Hashable, list[Value]] = {}
    for key, value in before.items():
        everyone.setdefault(group(key), []).append(value)
        if key not in after:
            gone.setdefault(group(key), []).append(value)
    for key, value in after.items():
        if key in before:
            yield key, [before[key]], value
        else:
            yield key, gone.get(group(key)) or everyone.get(group(key), []), value
