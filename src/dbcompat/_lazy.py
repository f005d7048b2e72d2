"""One laziness policy for every product package: reading a version loads the version type and
its parser only; the rules, the catalog and the search load on first use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, namespace: dict[str, Any], lazy: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of *package*: each name of *lazy* is imported
    from the submodule it maps to on first use, then kept in *namespace*."""

    def __getattr__(name: str) -> object:  # noqa: N807 (the module hook's name)
        module = lazy.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:  # noqa: N807
        return sorted(set(namespace) | set(lazy))

    return __getattr__, __dir__
