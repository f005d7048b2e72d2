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

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple, TextIO

__all__ = [
    "IMAGES",
    "OBJECT_KINDS",
    "OPERATOR_DEFAULT_TAG",
    "POD_KINDS",
    "YDB_OPERATOR_KINDS",
    "Entry",
    "Images",
    "InvalidEntry",
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
    complete, _, partial = head.rpartition("\n")
    lines = itertools.chain(
        complete.removeprefix("\ufeff").split("\n"), [partial + stream.readline()], stream
    )
    return read_entries(lines, name=name, images=images)


_HEAD = 65536


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
    # One operation fewer a line counts: an inventory may hold a million.
    at_line = f"{name}, line "
    for number, raw in enumerate(lines, start=1):
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
        yield new_entry(Entry, (label, value, at_line + str(number), None))


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
    ``Database``, a ``RavenDBCluster``, Pods and their controllers, Lists of them.

    >>> pod = {"kind": "Pod", "metadata": {"name": "db-0"},
    ...        "spec": {"containers": [{"name": "ydb", "image": "ydb:24.4.4.12"}]}}
    >>> [(e.label, e.text) for e in read_objects([pod], name="review", images=IMAGES["ydb"])]
    [('Pod/db-0/ydb', '24.4.4.12')]
    """
    return _structured(documents, name, images)


def _structured(documents: Iterable[Any], name: str, images: Images) -> Iterator[Entry]:
    for number, document in enumerate(documents, start=1):
        where = name if number == 1 else f"{name}, document {number}"
        yield from _objects(document, where, images)


def _objects(document: Any, where: str, images: Images) -> Iterator[Entry]:
    if isinstance(document, list):
        for item in document:
            yield from _objects(item, where, images)
        return
    if not isinstance(document, dict):
        raise InvalidEntry("expected Kubernetes objects (a mapping with a kind)", where)
    kind = document.get("kind")
    if kind == "List" or kind == "PodList" or (kind is None and "items" in document):
        yield from _objects(document.get("items") or [], where, images)
        return
    metadata = document.get("metadata") or {}
    label = f"{kind}/{metadata.get('name', '?')}"
    spec = document.get("spec") or {}
    if kind in YDB_OPERATOR_KINDS and "ydb" in images.repositories:
        yield _ydb_operator_object(label, spec, where, images)
    elif kind == "RavenDBCluster" and "ravendb" in images.repositories:
        image = spec.get("image")
        if not isinstance(image, str) or not image:
            raise InvalidEntry(
                "a RavenDBCluster names its version in spec.image", f"{where}: {label}"
            )
        yield Entry(label, _version_text(image, images, f"{where}: {label}"), where)
    elif kind in POD_KINDS:
        pod_spec = spec if kind == "Pod" else (spec.get("template") or {}).get("spec") or {}
        for container in pod_spec.get("containers") or []:
            image = container.get("image") or ""
            if _is_product_image(image, images):
                each = f"{label}/{container.get('name', '?')}"
                yield Entry(each, _version_text(image, images, f"{where}: {each}"), where)


def _ydb_operator_object(label: str, spec: dict[str, Any], where: str, images: Images) -> Entry:
    image = (spec.get("image") or {}).get("name") if isinstance(spec.get("image"), dict) else None
    if image:
        return Entry(label, _version_text(image, images, f"{where}: {label}"), where)
    version = spec.get("version")
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


def _csv(text: str, name: str, images: Images) -> Iterator[Entry]:
    import csv

    rows = csv.reader(text.splitlines())
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
