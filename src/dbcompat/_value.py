"""The base both products' version types share: immutable, ordered and hashed by one key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

__all__ = ["ABSENT", "KeyedValue", "check_number", "key_number", "present", "set_key"]

V = TypeVar("V", bound="KeyedValue")

ABSENT = -1
"""A missing number in a key: it sorts before every present one."""


def present(number: int) -> int | None:
    """A key's number as a field: None where it is ABSENT."""
    return None if number == ABSENT else number


def key_number(text: str | None) -> int:
    """A number's text as a key's number: ABSENT where there is none."""
    return ABSENT if text is None else int(text)


class KeyedValue:
    """An immutable value held as one tuple of ints, its key: equality, order and hash are the
    key's, and a subclass decodes its public fields from it with properties.

    One slot makes a value cheap to build, which is most of the cost of reading a version. Values
    of different classes are never equal and do not order: ``24.3`` of YDB is not ``24.3`` of
    RavenDB.
    """

    __slots__ = ("_key",)
    _key: tuple[int, ...]

    @classmethod
    def _from_key(cls: type[V], key: tuple[int, ...]) -> V:
        """The value whose key is *key*, unchecked: for builders that have checked already."""
        value = object.__new__(cls)
        set_key(value, key)
        return value

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self)._from_key, (self._key,))

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


set_key: Callable[[KeyedValue, tuple[int, ...]], None] = KeyedValue._key.__set__  # type: ignore[attr-defined,misc]
"""Sets a value's key past its immutability: for constructors and builders, which call it on
their hot path instead of going through _from_key."""


def check_number(name: str, value: object, optional: bool) -> None:
    """TypeError or ValueError unless *value* is a non-negative int (or None, if *optional*)."""
    if value is None and optional:
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, not {value}")
