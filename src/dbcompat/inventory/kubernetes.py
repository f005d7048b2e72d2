"""Kubernetes objects and the versions they run, read by one walker that serves the inventory
(documents read from JSON or YAML) and the scanner (YAML nodes, which keep their place in the
file): it looks into a document through a :class:`Tree`, so that both read every kind alike.

The kinds: Pods and the controllers whose pod template names the images, and each product's
operator objects (``dbcompat.products.operator_kinds``).

>>> pod = {"kind": "Pod", "metadata": {"name": "db-0"},
...        "spec": {"containers": [{"name": "ydb", "image": "ydb:24.4.4.12"}]}}
>>> [(pin.label, pin.text, pin.image) for pin in pins(pod, PLAIN)]
[('Pod/db-0/ydb', 'ydb:24.4.4.12', True)]
>>> from dbcompat.ydb.images import IMAGES
>>> [(e.label, e.text) for e in read_objects([pod], name="review", images=IMAGES)]
[('Pod/db-0/ydb', '24.4.4.12')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from ..entries import Entry, InvalidEntry
from ..errors import check_many
from ..images import Images, OperatorKind, image_parts
from ..products import operator_kinds, package, product_of_repository
from .references import version_text
from .trees import PLAIN, YAML_NODES, Tree

__all__ = [
    "POD_KINDS",
    "BadObject",
    "Pin",
    "cluster_of",
    "is_list",
    "namespace_of",
    "pins",
    "read_json",
    "read_objects",
    "read_yaml",
]

POD_KINDS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job")
"""Pods and the controllers whose pod template names the images."""


class Pin(NamedTuple):
    """A place where an object names the version it runs: the product, the object's label
    (``Kind/name``, ``Kind/name/container``), the fields from the object to the place
    (``spec.image.name``; a container by its name, ``[ydb]``), the node there (the object itself
    where the operator's default applies), the text (an image reference where *image*, else a
    version), and what was assumed, if anything."""

    product: str
    label: str
    fields: tuple[str, ...]
    node: Any
    text: str
    image: bool
    note: str | None = None


class BadObject(ValueError):
    """An object whose fields are not what its kind holds: the object's label (empty where its
    metadata cannot give one) and the field."""

    def __init__(self, message: str, label: str) -> None:
        super().__init__(message)
        self.label = label


def is_list(document: Any, tree: Tree) -> bool:
    """Whether *document* is a List of objects (``kubectl get -o json``), read by its items."""
    kind = tree.get(document, "kind")
    if kind is None:
        return tree.get(document, "items") is not None
    return tree.text(kind) in ("List", "PodList")


def pins(obj: Any, tree: Tree) -> Iterator[Pin]:
    """Each place where the object *obj* names a version that one of the products runs;
    BadObject where a field it reads is not what the kind holds."""
    kind_node = tree.get(obj, "kind")
    kind = "" if kind_node is None else tree.text(kind_node)
    metadata = _field(obj, "metadata", "dict", tree, "", "metadata")  # no label without it
    name = tree.get(metadata, "name")
    label = f"{kind}/{'?' if name is None else tree.text(name)}"
    namespace = namespace_of(obj, tree)
    if namespace:  # kubectl's namespace/name: two storage-0 pods of two clusters differ
        label = f"{namespace}/{label}"
    spec = _field(obj, "spec", "dict", tree, label, "spec")
    operated = operator_kinds().get(kind)
    if operated is not None and _in_group(obj, tree, operated[1].api_group):
        yield from _operator_pins(obj, spec, operated[0], operated[1], tree, label)
    elif kind in POD_KINDS:
        yield from _container_pins(spec, kind, tree, label)


def namespace_of(obj: Any, tree: Tree) -> str:
    """The namespace of the object *obj*, or "" where it names none."""
    metadata = tree.get(obj, "metadata")
    namespace = None if metadata is None else tree.get(metadata, "namespace")
    return "" if namespace is None or tree.kind(namespace) != "str" else tree.text(namespace)


def cluster_of(obj: Any, tree: Tree) -> tuple[str, str, str] | None:
    """The cluster an operator's object runs in: the kind, namespace and name of the object at
    its root (a YDB ``Database``'s ``Storage``, which its ``storageClusterRef`` names in its own
    namespace), or its own; None for any other object.

    >>> database = {"kind": "Database", "metadata": {"name": "db", "namespace": "ydb"},
    ...             "spec": {"storageClusterRef": {"name": "storage"}}}
    >>> cluster_of(database, PLAIN)
    ('Storage', 'ydb', 'storage')
    """
    kind_node = tree.get(obj, "kind")
    operated = operator_kinds().get("" if kind_node is None else tree.text(kind_node))
    if operated is None or not _in_group(obj, tree, operated[1].api_group):
        return None
    kind, namespace_text = operated[1], namespace_of(obj, tree)
    name = tree.get(tree.get(obj, "metadata"), "name")
    root = obj
    for field in kind.cluster:
        root = tree.get(root, field) if tree.kind(root) == "dict" else None
    if kind.cluster_kind is not None and root is not None and tree.kind(root) == "str":
        return (kind.cluster_kind, namespace_text, tree.text(root))
    return (kind.kind, namespace_text, "" if name is None else tree.text(name))


def _in_group(obj: Any, tree: Tree, group: str) -> bool:
    api = tree.get(obj, "apiVersion")
    return api is None or tree.text(api).startswith(f"{group}/")


def _operator_pins(
    obj: Any, spec: Any, product: str, kind: OperatorKind, tree: Tree, label: str
) -> Iterator[Pin]:
    image = _operator_image(spec, kind, tree, label)
    if image is not None:
        yield Pin(product, label, kind.image, image, tree.text(image), image=True)
        return
    if kind.default_tag is None:
        raise BadObject(f"a {kind.kind} names its version in {'.'.join(kind.image)}", label)
    version = tree.get(spec, kind.version[-1]) if kind.version else None
    if version is not None and not tree.empty(version):
        if tree.kind(version) in ("dict", "list", "bool"):
            path = ".".join(kind.version)
            raise BadObject(f"{path} must be a version, not {tree.kind(version)}", label)
        yield Pin(product, label, kind.version, version, tree.text(version), image=False)
        return
    names = " nor ".join(".".join(fields) for fields in (kind.image, kind.version) if fields)
    note = (
        f"{label} names neither {names}: the {package(product).PRODUCT} operator runs its "
        f"default tag {kind.default_tag}"
    )
    yield Pin(product, label, kind.version, obj, kind.default_tag, image=False, note=note)


def _operator_image(spec: Any, kind: OperatorKind, tree: Tree, label: str) -> Any:
    """The node of the image reference an operator's object names, or None."""
    *within, last = kind.image[1:]  # the fields below spec
    holder = spec
    for field in within:  # spec.image, for spec.image.name: any other shape there is not its
        holder = tree.get(holder, field)
    if within:
        if tree.kind(holder) != "dict":
            return None
        return _field(holder, last, "str", tree, label, ".".join(kind.image))
    image = tree.get(holder, last)
    if image is None or tree.kind(image) != "str" or tree.empty(image):
        return None
    return image


def _container_pins(spec: Any, kind: str, tree: Tree, label: str) -> Iterator[Pin]:
    trail: tuple[str, ...] = ("spec",)
    if kind != "Pod":
        template = _field(spec, "template", "dict", tree, label, "spec.template")
        spec = _field(template, "spec", "dict", tree, label, "spec.template.spec")
        trail = ("spec", "template", "spec")
    # Init and ephemeral containers run the product's image too: a move there is a move.
    for group in CONTAINER_LISTS:
        listed = _field(spec, group, "list", tree, label, f"spec.{group}")
        for index, container in enumerate(() if listed is None else tree.items(listed)):
            if tree.kind(container) != "dict":
                kind = tree.kind(container)
                raise BadObject(f"a container must be a mapping, not {kind}", label)
            image = _field(container, "image", "str", tree, label, "a container's image")
            if tree.empty(image):
                continue
            product = product_of_repository(image_parts(tree.text(image)).repository)
            if product is None:
                continue
            name_node = tree.get(container, "name")
            name = "?" if name_node is None else tree.text(name_node)
            place = f"[{name}]" if name_node is not None else f"[{index}]"
            fields = (*trail, group, place, "image")
            yield Pin(product, f"{label}/{name}", fields, image, tree.text(image), image=True)


CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
"""The lists of a pod's spec whose containers run an image."""


_EXPECTED = {"dict": "a mapping", "list": "a list", "str": "a string"}


def _field(node: Any, key: str, kind: str, tree: Tree, label: str, path: str) -> Any:
    """*node*'s *key* if it is a *kind* (None where it is missing or empty); else BadObject
    naming the field's *path*: a manifest written by hand may hold anything."""
    value = tree.get(node, key)
    if value is None or tree.empty(value):
        return None
    if tree.kind(value) != kind:
        raise BadObject(f"{path} must be {_EXPECTED[kind]}, not {tree.kind(value)}", label)
    return value


def read_objects(documents: Iterable[Any], *, name: str, images: Images) -> Iterator[Entry]:
    """The entries of the product of *images* in Kubernetes objects already read (from JSON or
    YAML): its operator's objects, Pods and their controllers, Lists of them. Within a document,
    each object is read once, however often a YAML alias names it again. An image's entry is the
    version its tag names, or what floats there (``dbcompat.floating``) where it names none."""
    if isinstance(documents, Mapping):  # one document, whose keys would be read as documents
        kind = type(documents).__name__
        raise TypeError(f"documents must be an iterable of documents, not one {kind}")
    documents = check_many(documents, "documents", "an iterable of documents")
    return _guarded(_entries(documents, PLAIN, name, images), name)


def read_json(text: str, name: str, images: Images) -> Iterator[Entry]:
    """The entries of the product of *images* in a JSON document of Kubernetes objects."""
    import json  # here: a command that reads no JSON starts without it

    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidEntry(
            f"not valid JSON ({error.msg})", f"{name}, line {error.lineno}"
        ) from None
    except RecursionError:
        raise InvalidEntry(_TOO_DEEP, name) from None
    except ValueError as error:  # a number of more digits than int() reads
        raise InvalidEntry(f"not valid JSON ({_reason(error)})", name) from None
    return _guarded(_entries([document], PLAIN, name, images), name)


def read_yaml(text: str, name: str, images: Images) -> Iterator[Entry]:
    """The entries of the product of *images* in YAML documents of Kubernetes objects, read as
    composed nodes: a version keeps the text it is written with."""
    try:
        import yaml
    except ImportError:
        raise InvalidEntry(
            "reading YAML needs PyYAML: pip install 'dbcompat[yaml]'", name
        ) from None
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where there
        documents = [doc for doc in yaml.compose_all(text, Loader=loader) if doc is not None]
    except RecursionError:
        raise InvalidEntry(_TOO_DEEP, name) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{name}, line {mark.line + 1}" if mark is not None else name
        raise InvalidEntry(f"not valid YAML ({getattr(error, 'problem', error)})", where) from None
    return _guarded(_entries(documents, YAML_NODES, name, images), name)


_TOO_DEEP = "nested too deeply to be an inventory"


def _reason(error: ValueError) -> str:
    """*error*'s own sentence, without the advice to programmers that int() appends."""
    return str(error).split(";")[0]


def _guarded(entries: Iterator[Entry], name: str) -> Iterator[Entry]:
    # Reading objects recurses into their lists: a hostile file must end in one sentence.
    try:
        yield from entries
    except RecursionError:
        raise InvalidEntry(_TOO_DEEP, name) from None


def _entries(documents: Iterable[Any], tree: Tree, name: str, images: Images) -> Iterator[Entry]:
    for number, document in enumerate(documents, start=1):
        where = name if number == 1 else f"{name}, document {number}"
        # Each list and object once: a YAML alias names the same one again, and a few nested
        # aliases would otherwise name billions (an alias bomb). Anchors never cross documents.
        yield from _objects(document, tree, where, images, set())


def _objects(
    document: Any, tree: Tree, where: str, images: Images, seen: set[int]
) -> Iterator[Entry]:
    kind = tree.kind(document)
    if kind in ("list", "dict"):
        if id(document) in seen:  # alive in the document being read: its id is its own
            return
        seen.add(id(document))
    if kind == "list":
        for item in tree.items(document):
            yield from _objects(item, tree, where, images, seen)
        return
    if kind != "dict":
        raise InvalidEntry("expected Kubernetes objects (a mapping with a kind)", where)
    if is_list(document, tree):
        items = tree.get(document, "items")
        if items is not None and not tree.empty(items):
            yield from _objects(items, tree, where, images, seen)
        return
    try:
        for pin in pins(document, tree):
            if pin.product == images.product:
                text = version_text(pin.text, images) if pin.image else pin.text
                namespace = namespace_of(document, tree) or None
                yield Entry(pin.label, text, where, pin.note, namespace)
    except BadObject as error:
        raise InvalidEntry(
            str(error), f"{where}: {error.label}" if error.label else where
        ) from None
