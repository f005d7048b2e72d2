"""What both products' version types share: one immutable key of ints, declared once as a table.

A version type declares its :class:`KeyLayout`: the fields in the order they compare, each a
number, an optional number, or a value ranked by its place in a tuple. The layout encodes fields
into the key (for the constructor and the parsers' builders alike), and decodes each public field
from it, so the order of the fields is written in one place only.

>>> layout = KeyLayout(
...     Slot("major", "the major number"),
...     Slot("patch", "the patch number, or None", optional=True),
...     Slot("final", "False for a pre-release, which sorts first", ranks=(False, True)),
... )
>>> layout.encode(5, None, True), layout.encode(5, 2, False)
((5, -1, 1), (5, 2, 0))
>>> layout.decode((5, -1, 1))
{'major': 5, 'patch': None, 'final': True}
>>> print(layout)
  major  the major number
  patch  the patch number, or None
  final  False for a pre-release, which sorts first: False < True
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, NamedTuple, NoReturn, TypeVar, overload

__all__ = [
    "ABSENT",
    "NUMBERS",
    "FromText",
    "Key",
    "KeyField",
    "KeyLayout",
    "KeyedValue",
    "Slot",
    "by_key",
    "set_key",
]

V = TypeVar("V", bound="KeyedValue")
F = TypeVar("F")
Key = tuple[Any, ...]  # ints, and a tuple of ints last where a layout packs its tail

ABSENT = -1
"""A missing number in a key: it sorts before every present one."""


class Slot(NamedTuple):
    """One field of a key layout.

    A plain number by default; ``optional`` numbers may be None, which sorts first; a field with
    ``ranks`` takes one of those values and sorts by its place among them. ``encode`` and
    ``decode`` convert a field the others do not describe (they get and give None too).
    """

    name: str
    doc: str
    optional: bool = False
    ranks: tuple[object, ...] = ()
    encode: Callable[[Any], int] | None = None
    decode: Callable[[int], Any] | None = None


class FromText(NamedTuple):
    """Where a generated builder takes a field from: the text of *parameter*, read as a number,
    or looked up in *table* (text to the field's value), or passed through *convert* to the
    slot's own encoder. With *when*, the field is absent unless one of those parameters holds
    text, and *default* stands for *parameter* where it holds none (a hotfix without its number
    is hotfix 0)."""

    parameter: str
    table: Mapping[Any, Any] | None = None
    convert: Callable[[str], Any] | None = None
    when: tuple[str, ...] = ()
    default: str | None = None


class _Numbers(dict[str, int]):
    """The number each text of ASCII digits spells; a KeyError for any other text.

    The texts of small numbers are read once: a lookup costs a third of an ``int()``, and most
    numbers in versions are small. Leading zeros and larger numbers go to ``int()``, which alone
    would also take signs, spaces, underscores and other scripts' digits.
    """

    def __missing__(self, text: str) -> int:
        if text.isascii() and text.isdigit():
            return int(text)
        raise KeyError(text)


NUMBERS = _Numbers((str(number), number) for number in range(1024))
"""``NUMBERS[text]``: the number that *text*, of ASCII digits only, spells.

>>> NUMBERS["14"], NUMBERS["007"], NUMBERS["123456"]
(14, 7, 123456)
>>> NUMBERS["+1"]
Traceback (most recent call last):
...
KeyError: '+1'
"""


class KeyLayout:
    """The fields of a version's key, in the order they compare.

    The last *packed* fields, which most versions leave at their defaults, are held together in
    one tuple at the end of the key: versions that leave them all so share that one tuple, and a
    key is shorter by all but one of them. It orders the same, tuples comparing item by item.

    >>> layout = KeyLayout(Slot("major", "major"), Slot("a", "a", optional=True),
    ...                    Slot("b", "b", optional=True), packed=2)
    >>> layout.encode(5, None, 7), layout.decode((5, (-1, 7)))
    ((5, (-1, 7)), {'major': 5, 'a': None, 'b': 7})
    >>> layout.encode(5, None, None)[1] is layout.encode(6, None, None)[1]
    True
    """

    def __init__(self, *slots: Slot, packed: int = 0) -> None:
        self.slots = slots
        self.names = tuple(slot.name for slot in slots)
        self.packed = packed
        self._decoders = [_decoder(slot) for slot in slots]
        self._flat_encode = _compile_encoder(slots)
        self._default_tail = tuple(self._flat_encode(*self.defaults())[len(slots) - packed :])
        self.encode: Callable[..., Key] = _compile_encoder(slots, packed, self._shared)
        """The key of the fields, given positionally in the layout's order."""

    def _place(self, index: int) -> tuple[int, int | None]:
        """Where the field at *index* stands in a key: its item, and its item inside the packed
        tail (None for a field outside it)."""
        first_packed = len(self.slots) - self.packed
        if self.packed and index >= first_packed:
            return first_packed, index - first_packed
        return index, None

    def item(self, name: str) -> int:
        """Where the field *name* stands in a key, for code that reads many keys at once without
        decoding them; a field of the packed tail has no item of its own (ValueError).

        >>> layout = KeyLayout(Slot("a", "a"), Slot("b", "b"), Slot("c", "c"), packed=2)
        >>> layout.item("a")
        0
        >>> layout.item("c")
        Traceback (most recent call last):
        ...
        ValueError: c is held in the packed tail of the key, not an item
        """
        item, inner = self._place(self.names.index(name))
        if inner is not None:
            raise ValueError(f"{name} is held in the packed tail of the key, not an item")
        return item

    def flat(self, key: Key) -> tuple[int, ...]:
        """Every field's number of *key*, in the layout's order, the packed tail unpacked."""
        if not self.packed:
            return key
        return (*key[:-1], *key[-1])

    def pack(self, numbers: Sequence[int]) -> Key:
        """The key of every field's number, in the layout's order: :meth:`flat` undone."""
        if not self.packed:
            return tuple(numbers)
        return (*numbers[: -self.packed], self._shared(tuple(numbers[-self.packed :])))

    def _shared(self, tail: tuple[int, ...]) -> tuple[int, ...]:
        return self._default_tail if tail == self._default_tail else tail

    def check_numbers(self, **values: object) -> None:
        """TypeError or ValueError unless each value is a non-negative int, or None where its
        slot is optional: what a constructor checks before it encodes."""
        for name, value in values.items():
            optional = self.slots[self.names.index(name)].optional
            if value is None and optional:
                continue
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{name} must be an int, not {type(value).__name__}")
            if value < 0:
                raise ValueError(f"{name} must not be negative, not {value}")

    def builder(
        self,
        cls: type[V],
        parameters: Sequence[str],
        none_if: Sequence[str] = (),
        **sources: object,
    ) -> Callable[..., V]:
        """A function of *parameters* (texts, None where absent) that builds a *cls* straight
        from them: each field comes from a :class:`FromText` or is the constant given. It gives
        None instead where a parameter of *none_if* holds text (a development build).

        Generated for the parsers' hot path, where one call that writes the key at once is
        most of the speed of reading a version.

        >>> layout = KeyLayout(Slot("major", "major"), Slot("patch", "patch", optional=True))
        >>> class V(KeyedValue):
        ...     _layout = layout
        ...     def __str__(self): return str(self._key)
        >>> build = layout.builder(V, ["MAJOR", "PATCH"], major=FromText("MAJOR"),
        ...                        patch=FromText("PATCH"))
        >>> str(build("05", None)), str(build("5", "2"))
        ('(5, -1)', '(5, 2)')
        """
        namespace: dict[str, Any] = {
            "new": object.__new__,
            "assign": set_key,
            "cls": cls,
            "ABSENT": ABSENT,
            "numbers": NUMBERS,
        }
        parts = []
        for index, slot in enumerate(self.slots):
            source = sources.pop(slot.name)
            if not isinstance(source, FromText):
                parts.append(repr(self.encode_field(slot.name, source)))
                continue
            name = source.parameter
            if source.default is not None:
                name = f"({name} or {source.default!r})"
            absent = " and ".join(f"{p} is None" for p in source.when) or f"{name} is None"
            if source.table is not None:
                namespace[f"table_{index}"] = {
                    text: self.encode_field(slot.name, value)
                    for text, value in source.table.items()
                }
                parts.append(f"table_{index}[{name}]")
                continue
            if source.convert is not None:
                namespace[f"convert_{index}"] = source.convert
                namespace[f"encode_{index}"] = slot.encode or (lambda value: value)
                value = f"encode_{index}(convert_{index}({name}))"
            else:
                value = f"numbers[{name}]"
            parts.append(f"ABSENT if {absent} else {value}" if slot.optional or slot.encode
                         or source.when else value)  # fmt: skip
        if sources:
            raise TypeError(f"no field named {', '.join(sources)}")
        if self.packed:
            # A tail of constants is one tuple, shared by every value built; any other is
            # packed by the generated encoder's rule.
            tail = parts[-self.packed :]
            packed = f"({', '.join(tail)},)"
            if all(part.lstrip("-").isdigit() for part in tail):
                namespace["TAIL"] = self._shared(tuple(int(part) for part in tail))
                packed = "TAIL"
            else:
                namespace["share"] = self._shared
                packed = f"share({packed})"
            parts = [*parts[: -self.packed], packed]
        signature = ", ".join(f"{name}=None" for name in parameters)
        nothing = " or ".join(f"{name} is not None" for name in none_if)
        source_code = (
            f"def from_parts({signature}):\n"
            + (f"    if {nothing}:\n        return None\n" if nothing else "")
            + "    value = new(cls)\n"
            f"    assign(value, ({', '.join(parts)},))\n"
            "    return value\n"
        )
        exec(source_code, namespace)  # the source holds only parameter names and ints
        build: Callable[..., V] = namespace["from_parts"]
        return build

    def defaults(self) -> list[object]:
        """A value for every field, in order: None where it may be absent, else the lowest."""
        return [
            slot.ranks[0] if slot.ranks else None if slot.optional or slot.encode else 0
            for slot in self.slots
        ]

    def encode_field(self, name: str, value: object) -> int:
        """The key's number for the field *name* holding *value*."""
        index = self.names.index(name)
        values = self.defaults()
        values[index] = value
        number: int = self._flat_encode(*values)[index]
        return number

    def decode(self, key: Key) -> dict[str, Any]:
        """Every field of *key*, by name."""
        return {
            name: decode(number)
            for name, decode, number in zip(self.names, self._decoders, self.flat(key), strict=True)
        }

    def field(self, name: str) -> KeyField[Any]:
        """A read-only attribute that decodes the field *name* from an instance's key."""
        index = self.names.index(name)
        item, inner = self._place(index)
        if inner is None:
            return KeyField(item, self._decoders[index], self.slots[index].doc)
        return _PackedKeyField(item, inner, self._decoders[index], self.slots[index].doc)

    def __str__(self) -> str:
        width = max(map(len, self.names))
        lines = []
        for slot in self.slots:
            order = ": " + " < ".join(map(_rank_name, slot.ranks)) if slot.ranks else ""
            lines.append(f"  {slot.name:<{width}}  {slot.doc}{order}")
        return "\n".join(lines)


def _rank_name(value: object) -> str:
    if value is None:
        return "none"
    return str(getattr(value, "value", value))


def _decoder(slot: Slot) -> Callable[[int], Any]:
    if slot.decode is not None:
        custom = slot.decode
        return lambda number: None if number == ABSENT else custom(number)
    if slot.ranks:
        return slot.ranks.__getitem__
    if slot.optional:
        return lambda number: None if number == ABSENT else number
    return int


def _compile_encoder(
    slots: tuple[Slot, ...],
    packed: int = 0,
    share: Callable[[tuple[int, ...]], tuple[int, ...]] | None = None,
) -> Callable[..., Key]:
    # Generated, as namedtuple does, because the parsers build a key for every version they read:
    # one call that writes the tuple at once is what keeps reading fast. *share* gives the one
    # tuple that every equal packed tail becomes.
    namespace: dict[str, Any] = {"ABSENT": ABSENT, "share": share}
    parts = []
    for index, slot in enumerate(slots):
        name = slot.name
        if slot.encode is not None:
            namespace[f"encode_{index}"] = slot.encode
            parts.append(f"ABSENT if {name} is None else encode_{index}({name})")
        elif slot.ranks:
            namespace[f"ranks_{index}"] = {value: rank for rank, value in enumerate(slot.ranks)}
            parts.append(f"ranks_{index}[{name}]")
        elif slot.optional:
            parts.append(f"ABSENT if {name} is None else {name}")
        else:
            parts.append(name)
    if packed:
        parts = [*parts[:-packed], f"share(({', '.join(parts[-packed:])},))"]
    source = f"def encode({', '.join(s.name for s in slots)}):\n    return ({', '.join(parts)},)\n"
    exec(source, namespace)
    encode: Callable[..., Key] = namespace["encode"]
    return encode


class KeyField(Generic[F]):
    """A version's public field, read from its key through the layout."""

    def __init__(self, index: int, decode: Callable[[int], F], doc: str) -> None:
        self._index = index
        self._decode = decode
        self.__doc__ = doc

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> KeyField[F]: ...

    @overload
    def __get__(self, instance: KeyedValue, owner: type[Any]) -> F: ...

    def __get__(self, instance: KeyedValue | None, owner: type[Any]) -> KeyField[F] | F:
        if instance is None:
            return self
        return self._decode(instance._key[self._index])


class _PackedKeyField(KeyField[F]):
    """A public field held in a key's packed tail."""

    def __init__(self, index: int, inner: int, decode: Callable[[int], F], doc: str) -> None:
        super().__init__(index, decode, doc)
        self._inner = inner

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> KeyField[F]: ...

    @overload
    def __get__(self, instance: KeyedValue, owner: type[Any]) -> F: ...

    def __get__(self, instance: KeyedValue | None, owner: type[Any]) -> KeyField[F] | F:
        if instance is None:
            return self
        return self._decode(instance._key[self._index][self._inner])


class KeyedValue:
    """An immutable value held as one tuple of ints, its key: equality, order and hash are the
    key's, and a subclass declares in ``_layout`` what the key's fields are.

    One slot makes a value cheap to build, which is most of the cost of reading a version. Values
    of different classes are never equal and do not order: ``24.3`` of YDB is not ``24.3`` of
    RavenDB. A value pickles as its fields by name, never as its key, so that a pickle outlives a
    change of layout.
    """

    __slots__ = ("_key",)
    _key: Key
    _layout: KeyLayout

    @classmethod
    def _from_key(cls: type[V], key: Key) -> V:
        """The value whose key is *key*, unchecked: what pickles of dbcompat 0.1.0 call, which
        held the key itself. Their keys are shorter when a layout has gained fields since,
        which always come last: the missing ones are absent."""
        layout = cls._layout
        missing = len(layout.slots) - len(key)
        if missing:
            defaults = layout.flat(layout.encode(*layout.defaults()))
            key = layout.pack((*key, *defaults[-missing:]))
        value = object.__new__(cls)
        set_key(value, key)
        return value

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({str(self)!r})>"

    def as_dict(self) -> dict[str, Any]:
        """The canonical string and every field, as JSON-ready values (an enum by its value)."""
        fields = self._layout.decode(self._key)
        return {"version": str(self), **{k: getattr(v, "value", v) for k, v in fields.items()}}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._layout.decode(self._key)))

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
    return cls(**fields)


by_key: Callable[[KeyedValue], Key] = operator.attrgetter("_key")
"""A sort key that orders values of one class as they order, but at the speed of tuples:
``sorted(versions, key=by_key)``."""

set_key: Callable[[KeyedValue, Key], None] = KeyedValue._key.__set__  # type: ignore[attr-defined,misc]
"""Sets a value's key past its immutability: for constructors and builders, which call it on
their hot path instead of going through _from_key."""
