"""Versions where operators keep them: lists of nodes, container images, Kubernetes manifests,
``kubectl get pods -o json``, CSV inventories. Each becomes a stream of :class:`Entry`: a label,
the version's text, and where it came from.

The reader recognises the format by content. Plain lines are read as they stream, so a list of a
million nodes is never held as text; the structured formats are read whole. A consumer that
judges many entries at once takes them in blocks of columns (:func:`blocks_of`), which skips
making an Entry of each. YAML needs PyYAML
(``pip install 'dbcompat[yaml]'``).

>>> entries = read_entries(["# storage", "storage-1 24.4.4.12", "db-2=25.1.4.18", "25.1.4.18"],
...                        name="nodes.txt", images=IMAGES["ydb"])
>>> [(e.label, e.text) for e in entries]
[('storage-1', '24.4.4.12'), ('db-2', '25.1.4.18'), ('line 4', '25.1.4.18')]
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import reprlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple, TextIO, overload

from .errors import check_many

__all__ = [
    "IMAGES",
    "MAX_LINE",
    "OBJECT_KINDS",
    "OPERATOR_DEFAULT_TAG",
    "POD_KINDS",
    "YDB_OPERATOR_KINDS",
    "Block",
    "Entries",
    "Entry",
    "Images",
    "InvalidEntry",
    "blocks_of",
    "read_entries",
    "read_objects",
    "read_stream",
    "read_text",
]

OPERATOR_DEFAULT_TAG = "22.2.22"
"""The tag the YDB Kubernetes operator fills in when a Storage or Database names neither an
image nor a version."""


YDB_OPERATOR_KINDS = ("Storage", "Database")
"""The YDB operator's objects, which name their image in ``spec.image.name``."""

POD_KINDS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job")
"""Pods and the controllers whose pod template names the images."""

OBJECT_KINDS = frozenset({*YDB_OPERATOR_KINDS, "RavenDBCluster", *POD_KINDS})
"""Every kind of Kubernetes object whose versions the readers find."""


class InvalidEntry(ValueError):
    """An entry of an inventory that names no version: the source, line and label say which."""

    def __init__(self, message: str, where: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


class Entry(NamedTuple):
    """One node, client or object of an inventory: *text* is its version as written (the tag of
    an image), *where* says where it came from (``nodes.txt, line 3``), *note* what the reader
    assumed, if anything."""

    label: str
    text: str
    where: str
    note: str | None = None


new_entry = tuple.__new__
"""Makes an Entry from all its fields at once, without the NamedTuple's Python constructor."""


class Block(NamedTuple):
    """Consecutive entries as columns: their labels, their versions' texts, where the entry at
    an index came from, and each one's note (``None``: none of them has one).

    >>> block = Block(["storage-1", "db-2"], ["24.4.4.12", "25.1.4.18"], "line {}".format)
    >>> list(block.entries())[1]
    Entry(label='db-2', text='25.1.4.18', where='line 1', note=None)
    """

    labels: Sequence[Any]
    texts: list[Any]
    where: Callable[[int], str]
    notes: Sequence[str | None] | None = None

    def entries(self) -> Iterator[Entry]:
        """The block's entries, one by one."""
        wheres = map(self.where, range(len(self.labels)))
        notes = itertools.repeat(None, len(self.labels)) if self.notes is None else self.notes
        columns = zip(self.labels, self.texts, wheres, notes, strict=True)
        return map(new_entry, itertools.repeat(Entry), columns)


class Entries(Iterator[Entry]):
    """The entries of an inventory, read as they come and once, like a generator's; or, taken
    before any entry, as the blocks they are read in (``blocks``)."""

    def __init__(self, blocks: Iterator[Block]) -> None:
        self._blocks = blocks
        self._entries: Iterator[Entry] | None = None

    def __next__(self) -> Entry:
        if self._entries is None:
            self._entries = itertools.chain.from_iterable(map(Block.entries, self._blocks))
        return next(self._entries)

    def blocks(self) -> Iterator[Block]:
        """The entries not read yet, as blocks: those of the reader, if none was read."""
        if self._entries is None:
            return self._blocks
        return _batched(self._entries)


def blocks_of(entries: Iterable[Any]) -> Iterator[Block]:
    """*entries* (inventory entries, ``(label, version)`` pairs, anything with a label at index
    0, a version at 1, and maybe ``where`` and ``note``, or a mapping of labels to versions) as
    blocks, read as they come. A text is never read as a pair of its letters.

    >>> [block.texts for block in blocks_of([("storage-1", "24.4.4.12")])]
    [['24.4.4.12']]
    """
    if isinstance(entries, Entries):
        return entries.blocks()
    if isinstance(entries, Mapping):  # labels to versions, as RavenDB's clients may be given
        return _batched(iter(entries.items()))
    return _batched(iter(check_many(entries, "the entries", "(label, version) pairs")))


BLOCK = 4096
"""How many entries of another kind than plain lines a block holds."""


def _batched(entries: Iterator[Any]) -> Iterator[Block]:
    for first in itertools.count(0, BLOCK):
        batch: list[Any] = []
        try:
            batch.extend(itertools.islice(entries, BLOCK))
        except BaseException:
            # What was read before a failing entry is judged first, as it would be one by one.
            if batch:
                yield _columns(batch, first)
            raise
        if not batch:
            return
        yield _columns(batch, first)


def _columns(batch: list[Any], first: int = 0) -> Block:
    """*batch*, whose first entry is the *first* of all, as a block of columns."""
    kinds = set(map(type, batch))
    if any(issubclass(kind, (str, bytes)) for kind in kinds):  # never read a text by its letters
        _refuse_entries(batch, first)
    try:
        texts = list(map(_second, batch))
        if kinds == {tuple}:
            return Block(_Labels(batch), texts, _nowhere)
        labels = list(map(_first, batch))
    except (IndexError, KeyError, TypeError):
        _refuse_entries(batch, first)
        raise
    notes = [getattr(entry, "note", None) for entry in batch]
    # Where an entry came from is asked only of a bad one.
    return Block(
        labels,
        texts,
        lambda index: getattr(batch[index], "where", ""),
        notes if any(notes) else None,
    )


class _Labels(Sequence[Any]):
    """The labels of a batch of ``(label, version)`` pairs, read from the pairs when asked: a
    list of a million pairs needs no second list of their labels."""

    __slots__ = ("_pairs",)

    def __init__(self, pairs: list[tuple[Any, ...]]) -> None:
        self._pairs = pairs

    def __len__(self) -> int:
        return len(self._pairs)

    def __iter__(self) -> Iterator[Any]:
        return map(_first, self._pairs)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return list(map(_first, self._pairs[index]))
        return self._pairs[index][0]


def _refuse_entries(batch: list[Any], first: int) -> None:
    """Raise for the first entry of *batch* that is not a label and a version: TypeError for a
    text or anything without items, InvalidEntry (a ValueError) for a sequence of fewer than two."""
    for number, entry in enumerate(batch, first + 1):
        check_many(entry, f"entry {number}", "a (label, version) pair")
        try:
            entry[0], entry[1]
        except IndexError:
            reason = f"{reprlib.repr(entry)} is not a (label, version) pair: it holds fewer"
            raise InvalidEntry(reason, f"entry {number}") from None
        except (KeyError, TypeError):
            kind = type(entry).__name__
            raise TypeError(f"entry {number} ({kind}) is not a (label, version) pair") from None


_first = operator.itemgetter(0)
_second = operator.itemgetter(1)


def _nowhere(index: int) -> str:
    return ""


class Images(NamedTuple):
    """How a product's container images look: the last path segments of their repositories, and
    how a tag names a version."""

    repositories: frozenset[str]
    version_of_tag: Callable[[str], str | None]


def _plain_tag(tag: str) -> str | None:
    return None if tag in ("latest", "") else tag


# A RavenDB tag is a version, then the platform: 6.0-ubuntu-latest, 5.4.110-ubuntu.22.04-x64.
_RAVENDB_TAG = re.compile(
    r"(?P<version>[0-9]+(?:\.[0-9]+){1,3}(?:-(?:alpha|beta|rc|patch|hotfix|nightly)[-.0-9a-z]*)?)"
    r"(?:-[a-z].*)?",
    re.IGNORECASE | re.ASCII,
)


def _ravendb_tag(tag: str) -> str | None:
    match = _RAVENDB_TAG.fullmatch(tag)
    return match.group("version") if match else None


IMAGES = {
    "ydb": Images(frozenset({"ydb", "local-ydb"}), _plain_tag),
    "ravendb": Images(frozenset({"ravendb"}), _ravendb_tag),
}
"""Each product's images, by the product's module name."""


def read_stream(stream: TextIO, *, name: str, images: Images) -> Iterator[Entry]:
    """The entries of an open text file or standard input: plain lines are read as they come,
    a structured inventory (JSON, YAML, CSV) whole."""
    head = stream.read(_HEAD)
    if len(head) < _HEAD:
        return read_text(head, name=name, images=images)
    if _structured_format(head.removeprefix("\ufeff")):
        return read_text(head + stream.read(), name=name, images=images)
    chunks = _chunks(head.removeprefix("\ufeff"), stream)
    return Entries(_plain_blocks(chunks, f"{name}, line ", images))


_HEAD = 65536
_CHUNK = _HEAD  # a block of 64 KiB stays in the cache and keeps a million labels' peak low


MAX_LINE = 2**20
"""The longest line a plain inventory may hold, in characters: a label and a version, or a
comment, are never a mebibyte long; a stream with no line end (``/dev/zero``) stops there."""


class _LineTooLong(Exception):
    """A line of a plain inventory past ``MAX_LINE``: its reader says which line."""


def _chunks(head: str, stream: TextIO) -> Iterator[str]:
    """The text of *head* and then of *stream*, in pieces that end where a line does."""
    # What was read since the last line end, in pieces: a line longer than many reads is joined
    # once, where it ends, not copied again at every read (a hostile file of one line).
    cut = head.rfind("\n") + 1
    if cut:
        yield head[:cut]
    pending = [head[cut:]]  # never a line end in it: at most MAX_LINE / _CHUNK + 2 pieces
    while more := stream.read(_CHUNK):
        pending.append(more)
        if "\n" not in more:
            if sum(map(len, pending)) > MAX_LINE:
                raise _LineTooLong
            continue
        text = "".join(pending)
        cut = text.rfind("\n") + 1
        pending = [text[cut:]]
        text = text[:cut]  # the pieces and the whole text are let go before the lines are read
        yield text
    text = "".join(pending)
    pending.clear()
    if text:
        yield text


def _plain_blocks(chunks: Iterable[str], at_line: str, images: Images) -> Iterator[Block]:
    first = 1
    try:
        for chunk in chunks:
            regular = _regular_block(chunk, at_line, first)
            if regular is None:
                lines = chunk.split("\n")
                if chunk.endswith("\n"):
                    lines.pop()
                yield from _line_blocks(lines, at_line, images, first)
                first += len(lines)
            else:
                yield regular
                first += len(regular.texts)
    except _LineTooLong:
        reason = f"longer than {MAX_LINE:,} characters: not a line of an inventory"
        raise InvalidEntry(reason, f"{at_line}{first}") from None


# What a regular line's fields may hold: any ASCII but whitespace, which str.split() splits at,
# and the characters a line's reading looks for (comments, LABEL=VERSION, images).
_IN_A_FIELD = bytes(
    byte for byte in range(128) if not chr(byte).isspace() and chr(byte) not in "#=/@:"
)


def _regular_block(chunk: str, at_line: str, first: int) -> Block | None:
    """The entries of *chunk*, its lines numbered from *first*, read in one ``split``, if
    every line is ``LABEL VERSION`` with one space between and nothing a line's reading treats
    apart; else None."""
    body = chunk if chunk.endswith("\n") else chunk + "\n"
    if not body.isascii():
        return None
    fields = body.split()
    lines = len(fields) // 2
    # With the fields' own characters taken out, what is left must be one space and one
    # newline a line, and split() must find two fields a line: so no field is empty, no line
    # holds a third, and nothing else (a tab, a comment) is in the chunk.
    if (
        len(fields) != 2 * lines
        or body.encode("ascii").translate(None, _IN_A_FIELD) != b" \n" * lines
    ):
        return None
    return Block(fields[0::2], fields[1::2], functools.partial(_line_where, at_line, first))


def _line_where(at_line: str, first: int, index: int) -> str:
    return f"{at_line}{first + index}"


def _structured_format(text: str) -> str | None:
    head = text.lstrip()[:1]
    if head in ("{", "["):
        return "json"
    if re.search(r"^(?:apiVersion|kind)\s*:", text, re.MULTILINE):
        return "yaml"
    first = text.split("\n", 1)[0]
    if "," in first and "version" in {cell.strip().lower() for cell in first.split(",")}:
        return "csv"
    return None


def read_text(text: str, *, name: str, images: Images) -> Iterator[Entry]:
    """The entries of an inventory held as one text, its format recognised by content."""
    text = text.removeprefix("\ufeff")
    kind = _structured_format(text)
    if kind == "json":
        import json  # here: a command that reads no JSON starts without it

        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            where = f"{name}, line {error.lineno}"
            raise InvalidEntry(f"not valid JSON ({error.msg})", where) from None
        except RecursionError:
            raise InvalidEntry(_TOO_DEEP, name) from None
        except ValueError as error:  # a number of more digits than int() reads
            raise InvalidEntry(f"not valid JSON ({_reason(error)})", name) from None
        return _guarded(_structured([document], name, images), name)
    if kind == "yaml":
        return _guarded(_structured(_yaml_documents(text, name), name, images), name)
    if kind == "csv":
        return _csv(text, name, images)
    return read_entries(text.splitlines(), name=name, images=images)


_TOO_DEEP = "nested too deeply to be an inventory"


def _guarded(entries: Iterator[Entry], name: str) -> Iterator[Entry]:
    # Reading objects recurses into their lists: a hostile file must end in one sentence.
    try:
        yield from entries
    except RecursionError:
        raise InvalidEntry(_TOO_DEEP, name) from None


def read_entries(lines: Iterable[str], *, name: str, images: Images) -> Iterator[Entry]:
    """The entries of plain lines, read as they come: ``VERSION``, ``LABEL VERSION``,
    ``LABEL=VERSION`` or an image reference, optionally after a label; blank lines and ``#``
    comments are skipped; an entry without a label is labelled by its line number."""
    lines = check_many(lines, "lines", "an iterable of lines (read_text reads one text)")
    return Entries(_line_blocks(lines, f"{name}, line ", images, 1))


def _line_blocks(lines: Iterable[str], at_line: str, images: Images, first: int) -> Iterator[Block]:
    """The entries of *lines*, the first numbered *first*, a line at a time, in blocks."""
    labels: list[str] = []
    texts: list[str] = []
    numbers: list[int] = []
    try:
        for number, raw in enumerate(lines, start=first):
            if "#" in raw:
                raw = raw[: raw.index("#")]
            if "=" in raw:
                label, _, value = raw.rpartition("=")
                label, value = label.strip(), value.strip()
            else:
                fields = raw.split()
                if len(fields) == 2:
                    label, value = fields
                elif len(fields) == 1:
                    label, value = "", fields[0]
                elif not fields:
                    continue
                else:
                    where = at_line + str(number)
                    raise InvalidEntry("expected VERSION, LABEL VERSION or LABEL=VERSION", where)
            label = label or f"line {number}"
            if "/" in value or "@" in value or ":" in value:
                value = _version_text(value, images, f"{at_line}{number} ({label})")
            labels.append(label)
            texts.append(value)
            numbers.append(number)
            if len(labels) == BLOCK:
                yield _numbered(labels, texts, numbers, at_line)
                labels, texts, numbers = [], [], []
    except InvalidEntry:
        # The entries before a bad line are judged first, as they would be one by one.
        if labels:
            yield _numbered(labels, texts, numbers, at_line)
        raise
    if labels:
        yield _numbered(labels, texts, numbers, at_line)


def _numbered(labels: list[str], texts: list[str], numbers: list[int], at_line: str) -> Block:
    return Block(labels, texts, lambda index: at_line + str(numbers[index]))


def _version_text(value: str, images: Images, where: str) -> str:
    """The version an entry's value names: itself, or the tag of an image reference."""
    if "/" not in value and "@" not in value and ":" not in value:
        return value  # a version as it is: most entries, so the first question
    reference = value.split("@", 1)
    if len(reference) == 2 and ":" not in reference[0].rsplit("/", 1)[-1]:
        raise InvalidEntry(
            f"the image {value!r} is named by its digest only, which says no version; "
            "name it by its tag",
            where,
        )
    name, _, tag = reference[0].rpartition(":")
    if "/" in tag:  # a registry port, not a tag: registry:5000/ydb
        raise InvalidEntry(f"the image {value!r} has no tag to read a version from", where)
    version = images.version_of_tag(tag)
    if version is None:
        raise InvalidEntry(f"the tag {tag!r} of the image {name!r} names no version", where)
    return version


def _is_product_image(reference: str, images: Images) -> bool:
    without_digest = reference.split("@", 1)[0]
    path, _, tag = without_digest.rpartition(":")
    if not path or "/" in tag:  # no tag, or the port of a registry
        path = without_digest
    return path.rsplit("/", 1)[-1] in images.repositories


def read_objects(documents: Iterable[Any], *, name: str, images: Images) -> Iterator[Entry]:
    """The entries of Kubernetes objects already read (from JSON or YAML): a YDB ``Storage`` or
    ``Database``, a ``RavenDBCluster``, Pods and their controllers, Lists of them. Within a
    document, each object is read once, however often a YAML alias names it again.

    >>> pod = {"kind": "Pod", "metadata": {"name": "db-0"},
    ...        "spec": {"containers": [{"name": "ydb", "image": "ydb:24.4.4.12"}]}}
    >>> [(e.label, e.text) for e in read_objects([pod], name="review", images=IMAGES["ydb"])]
    [('Pod/db-0/ydb', '24.4.4.12')]
    """
    if isinstance(documents, Mapping):  # one document, whose keys would be read as documents
        kind = type(documents).__name__
        raise TypeError(f"documents must be an iterable of documents, not one {kind}")
    return _structured(check_many(documents, "documents", "an iterable of documents"), name, images)


def _structured(documents: Iterable[Any], name: str, images: Images) -> Iterator[Entry]:
    for number, document in enumerate(documents, start=1):
        where = name if number == 1 else f"{name}, document {number}"
        # Each list and object once: a YAML alias names the same one again, and a few nested
        # aliases would otherwise name billions (an alias bomb). Anchors never cross documents.
        yield from _objects(document, where, images, set())


def _objects(document: Any, where: str, images: Images, seen: set[int]) -> Iterator[Entry]:
    if isinstance(document, (list, dict)):
        if id(document) in seen:  # alive in the document being read: its id is its own
            return
        seen.add(id(document))
    if isinstance(document, list):
        for item in document:
            yield from _objects(item, where, images, seen)
        return
    if not isinstance(document, dict):
        raise InvalidEntry("expected Kubernetes objects (a mapping with a kind)", where)
    kind = document.get("kind")
    if kind == "List" or kind == "PodList" or (kind is None and "items" in document):
        yield from _objects(document.get("items") or [], where, images, seen)
        return
    metadata = _field(document, "metadata", dict, where, "metadata")
    label = f"{kind}/{metadata.get('name', '?')}"
    at = f"{where}: {label}"
    spec = _field(document, "spec", dict, at, "spec")
    if kind in YDB_OPERATOR_KINDS and "ydb" in images.repositories:
        yield _ydb_operator_object(label, spec, where, images)
    elif kind == "RavenDBCluster" and "ravendb" in images.repositories:
        image = spec.get("image")
        if not isinstance(image, str) or not image:
            raise InvalidEntry("a RavenDBCluster names its version in spec.image", at)
        yield Entry(label, _version_text(image, images, at), where)
    elif kind in POD_KINDS:
        if kind != "Pod":
            template = _field(spec, "template", dict, at, "spec.template")
            spec = _field(template, "spec", dict, at, "spec.template.spec")
        for container in _field(spec, "containers", list, at, "spec.containers"):
            if not isinstance(container, dict):
                raise InvalidEntry(
                    f"a container must be a mapping, not {type(container).__name__}", at
                )
            image = _field(container, "image", str, at, "a container's image")
            if _is_product_image(image, images):
                each = f"{label}/{container.get('name', '?')}"
                yield Entry(each, _version_text(image, images, f"{where}: {each}"), where)


def _field(mapping: dict[str, Any], key: str, kind: type, where: str, path: str) -> Any:
    """*mapping*'s *key* if it is a *kind*, or an empty one if it is missing or empty; else
    InvalidEntry naming the field's *path*: a manifest written by hand may hold anything."""
    value = mapping.get(key)
    if not value:
        return kind()
    if not isinstance(value, kind):
        expected = _EXPECTED[kind]
        raise InvalidEntry(f"{path} must be {expected}, not {type(value).__name__}", where)
    return value


_EXPECTED: dict[type, str] = {dict: "a mapping", list: "a list", str: "a string"}


def _ydb_operator_object(label: str, spec: dict[str, Any], where: str, images: Images) -> Entry:
    at = f"{where}: {label}"
    image = spec.get("image")
    # The operator reads spec.image.name; an image given another way is not its, and is left.
    name = _field(image, "name", str, at, "spec.image.name") if isinstance(image, dict) else None
    if name:
        return Entry(label, _version_text(name, images, at), where)
    version = spec.get("version")
    if isinstance(version, (dict, list, bool)):
        kind = type(version).__name__
        raise InvalidEntry(f"spec.version must be a version, not {kind}", at)
    if version:
        return Entry(label, str(version), where)
    note = (
        f"{label} names neither spec.image.name nor spec.version: the YDB operator runs its "
        f"default tag {OPERATOR_DEFAULT_TAG}"
    )
    return Entry(label, OPERATOR_DEFAULT_TAG, where, note)


def _yaml_documents(text: str, name: str) -> list[Any]:
    try:
        import yaml
    except ImportError:
        raise InvalidEntry(
            "reading YAML needs PyYAML: pip install 'dbcompat[yaml]'", name
        ) from None
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where there
        return [doc for doc in yaml.load_all(text, Loader=loader) if doc is not None]
    except RecursionError:
        raise InvalidEntry(_TOO_DEEP, name) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{name}, line {mark.line + 1}" if mark is not None else name
        raise InvalidEntry(f"not valid YAML ({getattr(error, 'problem', error)})", where) from None
    except ValueError as error:  # a value its tag cannot hold: a date 2024-13-45, a huge number
        raise InvalidEntry(f"not valid YAML ({_reason(error)})", name) from None


def _reason(error: ValueError) -> str:
    """*error*'s own sentence, without the advice to programmers that int() appends."""
    return str(error).split(";")[0]


def _csv(text: str, name: str, images: Images) -> Iterator[Entry]:
    import csv

    rows = csv.reader(text.splitlines())
    try:
        header = [cell.strip().lower() for cell in next(rows)]
        column = header.index("version")
        labels = [header.index(key) for key in ("label", "name", "node", "host") if key in header]
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            where = f"{name}, line {number}"
            if len(row) <= column:
                raise InvalidEntry("the row has no version column", where)
            label = row[labels[0]].strip() if labels and len(row) > labels[0] else f"line {number}"
            value = row[column].strip()
            yield Entry(label, _version_text(value, images, f"{where} ({label})"), where)
    except csv.Error as error:  # a field past the csv module's limit, a NUL: not a traceback
        raise InvalidEntry(f"not a CSV row: {error}", f"{name}, line {rows.line_num}") from None
