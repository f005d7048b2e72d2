"""Versions where operators keep them: lists of nodes, container images, Kubernetes manifests,
``kubectl get pods -o json``, CSV inventories. Each becomes a stream of :class:`Entry`: a label,
the version's text, and where it came from.

The reader recognises the format by content. Plain lines are read as they stream, so a list of a
million nodes is never held as text; the structured formats are read whole. YAML needs PyYAML
(``pip install 'dbcompat[yaml]'``).

>>> entries = read_entries(["# storage", "storage-1 24.4.4.12", "db-2=25.1.4.18", "25.1.4.18"],
...                        name="nodes.txt", images=IMAGES["ydb"])
>>> [(e.label, e.text) for e in entries]
[('storage-1', '24.4.4.12'), ('db-2', '25.1.4.18'), ('line 4', '25.1.4.18')]
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple, TextIO

from .errors import check_many

__all__ = [
    "IMAGES",
    "MAX_LINE",
    "OBJECT_KINDS",
    "OPERATOR_DEFAULT_TAG",
    "POD_KINDS",
    "YDB_OPERATOR_KINDS",
    "Entry",
    "Images",
    "InvalidEntry",
    "as_entries",
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


def as_entries(entries: Iterable[Any]) -> Iterator[Entry]:
    """*entries* as inventory entries, read as they come: entries as they are, ``(label,
    version)`` pairs (anything with a label at index 0 and a version at 1, and maybe ``where``
    and ``note``), or a mapping of labels to versions. A text is never read as a pair of its
    letters.

    >>> list(as_entries([("storage-1", "24.4.4.12")]))
    [Entry(label='storage-1', text='24.4.4.12', where='', note=None)]
    """
    if isinstance(entries, Mapping):  # labels to versions, as RavenDB's clients may be given
        items: Iterable[Any] = entries.items()
    else:
        items = check_many(entries, "the entries", "(label, version) pairs")
    for number, item in enumerate(items, start=1):
        if isinstance(item, Entry):
            yield item
            continue
        check_many(item, f"entry {number}", "a (label, version) pair")
        try:
            label, text = item[0], item[1]
        except IndexError:
            reason = f"{reprlib.repr(item)} is not a (label, version) pair: it holds fewer"
            raise InvalidEntry(reason, f"entry {number}") from None
        except (KeyError, TypeError):
            kind = type(item).__name__
            raise TypeError(f"entry {number} ({kind}) is not a (label, version) pair") from None
        yield Entry(label, text, getattr(item, "where", ""), getattr(item, "note", None))


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
    head = stream.read(_HEAD).removeprefix("\ufeff")
    if len(head) < _HEAD or _structured_format(head):
        return read_text(head + stream.read(), name=name, images=images)
    return _entries_of_lines(_lines(head, stream), f"{name}, line ", images)


_HEAD = 65536
"""How much of a stream tells its format."""

MAX_LINE = 2**20
"""The longest line a plain inventory may hold, in characters: a label and a version, or a
comment, are never a mebibyte long; a stream with no line end (``/dev/zero``) stops there."""


def _lines(head: str, stream: TextIO) -> Iterator[str]:
    """The lines of *head* and then of *stream*, each read no further than ``MAX_LINE``."""
    lines = head.split("\n")
    partial = lines.pop()  # the start of the line the head cuts
    yield from lines
    while True:
        line = partial + stream.readline(MAX_LINE + 1 - len(partial))
        partial = ""
        if not line:
            return
        if len(line) > MAX_LINE:
            raise _LineTooLong
        yield line


class _LineTooLong(Exception):
    """A line of a plain inventory past ``MAX_LINE``: its reader says which line."""


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
    return _entries_of_lines(lines, f"{name}, line ", images)


def _entries_of_lines(lines: Iterable[str], at_line: str, images: Images) -> Iterator[Entry]:
    number = 0
    try:
        for number, raw in enumerate(lines, start=1):
            entry = _line_entry(raw, number, at_line, images)
            if entry is not None:
                yield entry
    except _LineTooLong:
        reason = f"longer than {MAX_LINE:,} characters: not a line of an inventory"
        raise InvalidEntry(reason, f"{at_line}{number + 1}") from None


def _line_entry(raw: str, number: int, at_line: str, images: Images) -> Entry | None:
    """The entry of the line *raw*, the *number*-th; None for a blank line or a comment."""
    where = f"{at_line}{number}"
    if "#" in raw:
        raw = raw[: raw.index("#")]
    if "=" in raw:
        label, _, value = raw.rpartition("=")
        label, value = label.strip(), value.strip()
    else:
        fields = raw.split()
        if not fields:
            return None
        if len(fields) > 2:
            raise InvalidEntry("expected VERSION, LABEL VERSION or LABEL=VERSION", where)
        label, value = fields if len(fields) == 2 else ("", fields[0])
    label = label or f"line {number}"
    value = _version_text(value, images, f"{where} ({label})")
    return Entry(label, value, where)


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
