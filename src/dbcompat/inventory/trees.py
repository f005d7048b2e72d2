"""The two ways a Kubernetes document is looked into: plain documents (loaded JSON or YAML) and
composed YAML nodes, which keep their place in the file. The walker of :mod:`.kubernetes` reads
both through a :class:`Tree`, so that every kind is read alike.

>>> PLAIN.get({"kind": "Pod"}, "kind"), PLAIN.kind([1]), PLAIN.empty("")
('Pod', 'list', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

__all__ = ["PLAIN", "YAML_NODES", "Tree"]


class Tree(Protocol):
    """How to look into one kind of document: the value of a mapping's key (None where the node
    is not a mapping or has no such key), a list's items, a scalar's text as written, the name
    of a node's type as Python would load it (``dict``, ``list``, ``str``, ``int``), and
    whether a node is empty (missing, null, ``""``, ``{}``, ``[]``, false or zero)."""

    def get(self, node: Any, key: str) -> Any: ...

    def items(self, node: Any) -> Sequence[Any]: ...

    def text(self, node: Any) -> str: ...

    def kind(self, node: Any) -> str: ...

    def empty(self, node: Any) -> bool: ...


class _Plain:
    """Documents as ``json.loads`` and ``yaml.safe_load`` give them: dicts, lists, scalars."""

    def get(self, node: Any, key: str) -> Any:
        return node.get(key) if isinstance(node, dict) else None

    def items(self, node: Any) -> Sequence[Any]:
        return node if isinstance(node, list) else ()

    def text(self, node: Any) -> str:
        return str(node)

    def kind(self, node: Any) -> str:
        return type(node).__name__

    def empty(self, node: Any) -> bool:
        return not node


class _YamlNodes:
    """Documents as PyYAML composes them: nodes that keep their place in the file, scalars
    their text as written (``24.10`` stays ``24.10``, where loading reads the float 24.1)."""

    _KINDS: ClassVar[dict[str, str]] = {"MappingNode": "dict", "SequenceNode": "list"}

    def get(self, node: Any, key: str) -> Any:
        if type(node).__name__ != "MappingNode":
            return None
        for name, value in node.value:
            if type(name).__name__ == "ScalarNode" and name.value == key:
                return value
        return None

    def items(self, node: Any) -> Sequence[Any]:
        return node.value if type(node).__name__ == "SequenceNode" else ()

    def text(self, node: Any) -> str:
        return str(node.value) if type(node).__name__ == "ScalarNode" else ""

    def kind(self, node: Any) -> str:
        if node is None:
            return "NoneType"
        name = self._KINDS.get(type(node).__name__)
        if name is not None:
            return name
        tag: str = node.tag.rpartition(":")[2]
        return {"null": "NoneType", "timestamp": "datetime"}.get(tag, tag)

    def empty(self, node: Any) -> bool:
        # What loading would make falsy: null, "", false, a zero, an empty mapping or list.
        if type(node).__name__ != "ScalarNode":
            return node is None or not node.value
        tag: str = node.tag.rpartition(":")[2]
        value: str = node.value
        if tag == "bool":
            return value.lower() in ("false", "no", "off", "n")
        if tag in ("int", "float"):
            return value.strip("+-0._") == ""
        return tag == "null" or value == ""


PLAIN: Tree = _Plain()
"""The tree of plain documents."""

YAML_NODES: Tree = _YamlNodes()
"""The tree of composed YAML nodes."""
