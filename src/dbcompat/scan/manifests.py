"""The versions a YAML or JSON file names, read as YAML nodes, which keep their positions: every
image reference of a product (``cr.yandex/crptqonuodf51kdj7a7d/ydb:24.4.4.12``), Helm's
``repository`` and ``tag`` pairs, and the products' operator objects, read by the inventory's
Kubernetes walker for the versions no image reference shows (a YDB ``Storage``'s
``spec.version``, or its operator's default tag). Reading YAML needs ``dbcompat[yaml]``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ..inventory.kubernetes import BadObject, cluster_of, pins
from ..inventory.trees import YAML_NODES
from ..overrides import OVERRIDE_ANNOTATION
from ..products import images, operator_kinds, product_of_repository, version_keys
from .findings import Collector, Problem, image_pattern
from .positions import Lines

__all__ = ["read_yaml"]


def read_yaml(text: str, found: Collector) -> bool:
    """Read *text* as YAML into *found*; False where PyYAML is not installed (and *found* says
    which extra it needs)."""
    try:
        import yaml
    except ImportError:
        message = "reading YAML needs PyYAML: pip install 'dbcompat[yaml]'"
        found.problems.append(Problem(found.path, None, message))
        return False
    try:
        # libyaml's loader where PyYAML has it: the same nodes and marks, twice as fast.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        documents = list(yaml.compose_all(text, Loader=loader))
        walker = _YamlWalker(found, text)
        for number, document in enumerate(documents, start=1):
            if document is not None:
                found.cluster = _cluster_of(document, found.path, number)
                annotations = _mapping(
                    _mapping(_mapping(document).get("metadata")).get("annotations")
                )
                found.override = _scalar(annotations.get(OVERRIDE_ANNOTATION))
                walker.walk(document, _document_name(document, number), ())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        reason = getattr(error, "problem", None) or str(error)
        found.problems.append(Problem(found.path, line, f"not valid YAML ({reason})"))
    except RecursionError:  # both PyYAML and the walk recurse: a hostile file, not a manifest
        found.problems.append(Problem(found.path, None, "nested too deeply to be a manifest"))
    return True


def _cluster_of(document: Any, path: str, number: int) -> Hashable | None:
    """The cluster a document's versions run in: an operator's object's (``cluster_of``), in
    the folder of its file (a Kustomize base and its overlays are different deployments of one
    object); the object itself where no other kind names its kind (a second copy of it in
    another file is another deployment); for a compose file's services, the project, the file."""
    try:
        cluster = cluster_of(document, YAML_NODES)
    except BadObject:
        return None
    if cluster is None:
        return ("compose", path, number) if _mapping(_mapping(document).get("services")) else None
    roots = {kind.cluster_kind for _, kind in operator_kinds().values()}
    return (*cluster, path.rpartition("/")[0] if cluster[0] in roots else path)


def _document_name(document: Any, number: int) -> str:
    return _object_name(document) or f"document {number}"


def _object_name(node: Any) -> str | None:
    """``Kind/name`` of a Kubernetes object, None for any other node."""
    fields = _mapping(node)
    kind = _scalar(fields.get("kind"))
    name = _scalar(_mapping(fields.get("metadata")).get("name"))
    return f"{kind}/{name}" if kind and name else None


def _mapping(node: Any) -> dict[str, Any]:
    """The string-keyed entries of a YAML mapping node; empty for any other node."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}


def _scalar(node: Any) -> str | None:
    import yaml

    return node.value if isinstance(node, yaml.ScalarNode) else None


class _YamlWalker:
    """Walks composed YAML nodes, which keep their positions, once each (an anchor used twice
    is one place to edit; a recursive one would never end)."""

    def __init__(self, found: Collector, text: str) -> None:
        self.found = found
        self.lines = Lines(text)
        self.seen: set[int] = set()

    def _start(self, node: Any) -> tuple[int, int]:
        """Where a scalar's text starts, inside its quotes if any."""
        line, column = self.lines.at(node.start_mark)
        return line, column + (1 if node.style in ("'", '"') else 0)

    def walk(self, node: Any, document: str, trail: tuple[str, ...]) -> None:
        import yaml

        if id(node) in self.seen:
            return
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            self._scalar(node, _place(document, trail), _pins_an_image(trail))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                # Named items keep their place when the list is reordered.
                name = _scalar(_mapping(item).get("name")) or _object_name(item)
                self.walk(item, document, (*trail, f"[{name}]" if name else f"[{index}]"))
        elif isinstance(node, yaml.MappingNode):
            fields = _mapping(node)
            self._helm_image(fields, document, trail)
            self._operator_object(node, document, trail)
            self._kustomize_images(fields, document, trail)
            self._chart(fields, document, trail)
            keys = version_keys()
            for key, value in fields.items():
                if key in keys:
                    self._version_key(keys[key], value, document, (*trail, key))
                self.walk(value, document, (*trail, key))

    def _scalar(self, node: Any, place: str, pinned: bool) -> None:
        if node.tag != "tag:yaml.org,2002:str" or "\n" in node.value:
            return
        line, column = self._start(node)
        if pinned and self.found.pinned_image(node.value.strip(), line, column, place):
            return
        for number, match in enumerate(image_pattern().finditer(node.value), start=1):
            self.found.image(match, line, column, place if number == 1 else f"{place} #{number}")

    def _helm_image(self, fields: dict[str, Any], document: str, trail: tuple[str, ...]) -> None:
        # Helm charts split the reference: image: {repository: cr.yandex/.../ydb, tag: 24.4.4.12}
        repository, tag = _scalar(fields.get("repository")), fields.get("tag")
        text = _scalar(tag)
        if repository is None or text is None:
            return
        product = product_of_repository(repository.rsplit("/", 1)[-1])
        if product is not None:
            self.seen.add(id(tag))
            place = _place(document, (*trail, "tag"))
            self.found.tag(product, text, *self._start(tag), place, pinned=True)

    def _version_key(self, product: str, value: Any, document: str, trail: tuple[str, ...]) -> None:
        # Ansible's variables and CI matrices pin a version by its key: ydb_version: 24.4.4.12,
        # ydb-version: [24.4, latest]. A template ({{ ... }}, ${{ ... }}) is pinned elsewhere.
        items = value.value if type(value).__name__ == "SequenceNode" else [value]
        for index, item in enumerate(items):
            text = _scalar(item)
            if text is None or not text.strip():
                continue
            self.seen.add(id(item))
            at = trail if item is value else (*trail, f"[{index}]")
            place = _place(document, at)
            self.found.tag(product, text.strip(), *self._start(item), place, pinned=True)

    def _chart(self, fields: dict[str, Any], document: str, trail: tuple[str, ...]) -> None:
        # A Helm chart whose app is the product says the version it runs: appVersion.
        if trail or not self.found.path.endswith("Chart.yaml"):
            return
        name, version = _scalar(fields.get("name")), fields.get("appVersion")
        text = _scalar(version)
        product = next((p for p, held in images().items() if name in held.charts), None)
        if product is not None and text is not None:
            self.seen.add(id(version))
            place = _place(document, ("appVersion",))
            self.found.tag(product, text.strip(), *self._start(version), place, pinned=True)

    def _kustomize_images(
        self, fields: dict[str, Any], document: str, trail: tuple[str, ...]
    ) -> None:
        # Kustomize sets an image's tag apart: images: [{name: ravendb/ravendb, newTag: 6.0.105}]
        listed: Any = fields.get("images")
        for entry in listed.value if type(listed).__name__ == "SequenceNode" else ():
            image = _mapping(entry)
            name = _scalar(image.get("newName")) or _scalar(image.get("name")) or ""
            product = product_of_repository(name.rsplit("/", 1)[-1])
            tag, digest = image.get("newTag"), _scalar(image.get("digest"))
            if product is None or (tag is None and digest is None):
                continue
            place = _place(document, (*trail, "images", f"[{_scalar(image.get('name'))}]"))
            if tag is None:
                reference = f"{name}@{digest}"
                self.found.pinned_image(reference, *self.lines.at(entry.start_mark), place)
                continue
            self.seen.add(id(tag))
            self.found.tag(product, _scalar(tag) or "", *self._start(tag), place, pinned=True)

    def _operator_object(self, node: Any, document: str, trail: tuple[str, ...]) -> None:
        # The versions no image reference shows: an operator's object that names a bare
        # version, or neither (the operator's default tag). Its images the scalars show.
        kind = YAML_NODES.get(node, "kind")
        if kind is None or YAML_NODES.text(kind) not in operator_kinds():
            return
        try:
            versions = [pin for pin in pins(node, YAML_NODES) if not pin.image]
        except BadObject:
            return  # not the shape its kind holds: its image references are still read
        for pin in versions:
            place = _place(document, (*trail, *pin.fields))
            if pin.node is node:  # the operator's default: at the object
                where = self.lines.at(node.start_mark)
            else:
                self.seen.add(id(pin.node))
                where = self._start(pin.node)
            self.found.tag(pin.product, pin.text, *where, place, pin.note, pinned=True)


def _pins_an_image(trail: tuple[str, ...]) -> bool:
    """Whether a scalar at *trail* pins the image a container runs: an ``image`` field, or the
    ``name`` of one (the YDB operator's ``spec.image.name``), not a version in free text."""
    return trail[-1:] == ("image",) or trail[-2:] == ("image", "name")


def _place(document: str, trail: tuple[str, ...]) -> str:
    path = ".".join(trail).replace(".[", "[")  # containers[ydb].image
    return f"{document} {path}" if path else document
