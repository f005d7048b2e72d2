"""What both products' version types share: an immutable value held as one tuple, its key.

Equality, order and hash are the key's. A product's ``Version`` lays its fields out in the key
in the order versions compare, documents that layout once, and reads each public field back
with a plain property. Values of different classes are never equal and do not order: ``24.3``
of YDB is not ``24.3`` of RavenDB.

>>> class Pair(KeyedValue):
...     __slots__ = ()
...     _fields = ("major", "minor")
...     def __init__(self, major, minor):
...         set_key(self, (major, minor))
...     major = property(lambda self: self._key[0])
...     minor = property(lambda self: self._key[1])
...     def __str__(self):
...         return f"{self.major}.{self.minor}"
>>> Pair(5, 4) < Pair(6, 0), Pair(5, 4).as_dict()
(True, {'version': '5.4', 'major': 5, 'minor': 4})
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

__all__ = ["KeyedValue", "absent_or", "by_key", "check_number", "set_key", "with_key"]

V = TypeVar("V", bound="KeyedValue")


class KeyedValue:
    """An immutable value held as one tuple, ``_key``; a subclass names its public fields, in
    the order versions compare, in ``_fields``, each a keyword of its constructor.

    A value pickles as its fields by name, never as its key, so that a pickle outlives a change
    of layout.
    """

    __slots__ = ("_key",)
    _key: tuple[Any, ...]
    _fields: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({str(self)!r})>"

    def fields(self) -> dict[str, Any]:
        """Every public field, by name, in the order versions compare."""
        return {name: getattr(self, name) for name in self._fields}

    def as_dict(self) -> dict[str, Any]:
        """The canonical string and every field, as JSON-ready values (an enum by its value)."""
        fields = self.fields().items()
        return {"version": str(self), **{k: getattr(v, "value", v) for k, v in fields}}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.fields()))

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key == other._key

    def __lt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key < other._key

    def __le__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key <= other._key

    def __gt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key > other._key

    def __ge__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key >= other._key

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")


def _rebuild(cls: type[V], fields: dict[str, Any]) -> V:
    """A pickled value, from its fields by name."""
    return cls(**fields)


set_key: Callable[[KeyedValue, tuple[Any, ...]], None] = KeyedValue._key.__set__  # type: ignore[attr-defined,misc]
"""Sets a value's key past its immutability: for the constructors."""


by_key: Callable[[KeyedValue], tuple[Any, ...]] = operator.attrgetter("_key")
"""A sort key that orders values of one class as they order: ``sorted(versions, key=by_key)``
compares their keys in C, where each comparison of the values themselves is a call into Python
(a million versions sort ten times faster)."""


def with_key(cls: type[V], key: tuple[Any, ...]) -> V:
    """A *cls* whose key is *key*, unchecked: for the parsers' builders, which make only keys
    that the grammar makes valid."""
    value = object.__new__(cls)
    set_key(value, key)
    return value


def check_number(name: str, value: object) -> None:
    """TypeError or ValueError unless *value* is a non-negative int: what a constructor checks
    of each number it is given."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, not {value}")


def absent_or(item: int) -> int | None:
    """A number of a key, or None where it holds -1, the mark of a missing one."""
    return None if item < 0 else item
