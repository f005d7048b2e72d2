"""The base both products' version types share: immutable, ordered and hashed by one key."""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["KeyedValue"]


class KeyedValue:
    """An immutable value whose equality, order and hash are those of its ``_key`` tuple.

    Values of different classes are never equal and do not order: ``24.3`` of YDB is not ``24.3``
    of RavenDB.
    """

    __slots__ = ("_key",)
    _key: tuple[int, ...]

    def _set_key(self, key: tuple[int, ...]) -> None:
        object.__setattr__(self, "_key", key)

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
