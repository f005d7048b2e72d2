"""The base both products' version types share: immutable, ordered and hashed by one key."""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

__all__ = ["KeyedValue", "check_number"]

V = TypeVar("V", bound="KeyedValue")


class KeyedValue:
    """An immutable value whose equality, order and hash are those of its ``_key`` tuple.

    A subclass names its fields in ``__slots__`` and computes its key in ``_compute_key``. Values
    of different classes are never equal and do not order: ``24.3`` of YDB is not ``24.3`` of
    RavenDB.
    """

    __slots__ = ("_key",)
    _key: tuple[int, ...]

    @classmethod
    def _from_fields(cls: type[V], values: tuple[Any, ...]) -> V:
        """A value with these fields, in ``__slots__`` order, unchecked: for parsers and pickle."""
        value = object.__new__(cls)
        value._assign(values)
        return value

    def _assign(self, values: tuple[Any, ...]) -> None:
        for name, field in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, field)
        object.__setattr__(self, "_key", self._compute_key())

    def _compute_key(self) -> tuple[int, ...]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self)._from_fields, (tuple(getattr(self, n) for n in self.__slots__),))

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


def check_number(name: str, value: object, optional: bool) -> None:
    """TypeError or ValueError unless *value* is a non-negative int (or None, if *optional*)."""
    if value is None and optional:
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative, not {value}")
