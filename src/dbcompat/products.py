"""Each product of ``dbcompat.PRODUCTS`` found by its name: its package, and the rules of all
of them, for what speaks of every rule at once (reports, ``dbcompat explain``, a verdict's help).

>>> package("ydb").PRODUCT, rules()["skips-major"][0]
('YDB', 'YDB')
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from . import PRODUCTS
from .answers import Rule

__all__ = ["package", "rules"]


def package(name: str) -> ModuleType:
    """The subpackage of the product *name* (``"ydb"``, ``"ravendb"``)."""
    return import_module(f"dbcompat.{name}")


def rules() -> dict[str, tuple[str, Rule]]:
    """Every rule of every product, by id, with the product's name as messages spell it."""
    table: dict[str, tuple[str, Rule]] = {}
    for name in PRODUCTS:
        module = package(name)
        table.update((rule_id, (module.PRODUCT, rule)) for rule_id, rule in module.RULES.items())
    return table
