"""Lark's reading of the YDB grammars: transformers in the style of Lark's own examples, a method
per rule returning its value. Each rule of a number or a word gives ``(name, text)``; a rule of
several parts gives them all, by name; the start rule hands them to
:func:`~dbcompat.ydb.parser.from_parts`, the function the generated regular expression's parts
go to, so that both readings build alike. Only a text the regular expression refuses brings
this module, and Lark, in.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from ..reading.explain import Part, parts
from .parser import from_parts
from .version import Version

__all__ = ["TreeToRelease", "TreeToVersion"]


class TreeToVersion(Transformer[Token, Version]):
    """Transforms a tree of ``ydb_version.lark`` (the documented BNF) into a Version.

    >>> from dbcompat.reading.explain import load_lark
    >>> tree = load_lark("ydb_version", "valid_version").parse("24.3.14.2-lts")
    >>> TreeToVersion().transform(tree)
    <Version('24.3.14.2-lts')>
    """

    def year(self, children: list[Token]) -> Part:
        return ("year", str(children[0]))

    def major(self, children: list[Token]) -> Part:
        return ("major", str(children[0]))

    def minor(self, children: list[Token]) -> Part:
        return ("minor", str(children[0]))

    def patch(self, children: list[Token]) -> Part:
        return ("patch", str(children[0]))

    def version_type(self, children: list[Token]) -> Part:
        return ("version_type", str(children[0]))

    def version_core(self, children: list[Part]) -> dict[str, str]:
        return parts(children)

    def valid_version(self, children: list[Any]) -> Version | None:
        return from_parts(**parts(children))


class TreeToRelease(TreeToVersion):
    """Transforms a tree of ``ydb_release.lark`` (every known spelling) into a Version, or None
    for a development build. The documented grammar's rules, which it imports, read as there.

    >>> from dbcompat.reading.explain import load_lark
    >>> tree = load_lark("ydb_release", "release").parse("stable-23-1-1-hotfix-7")
    >>> TreeToRelease().transform(tree)
    <Version('stable-23-1-1-hotfix-7')>
    """

    def valid_version(self, children: list[Any]) -> dict[str, str]:  # type: ignore[override]
        return parts(children)

    def candidate(self, children: list[Any]) -> dict[str, str]:
        return parts(children)

    def enterprise(self, children: list[Any]) -> dict[str, str]:
        return parts(children)

    def build_core(self, children: list[Any]) -> dict[str, str]:
        return parts(children)

    def node_build(self, children: list[Any]) -> dict[str, str]:
        return parts(children)

    def built(self, children: list[Any]) -> dict[str, str]:
        return parts(children)

    def hotfix(self, children: list[Any]) -> dict[str, str]:
        return parts(children)

    def branch(self, children: list[Any]) -> dict[str, str]:
        return parts(children)

    def development(self, children: list[Any]) -> dict[str, str]:
        return parts(children)

    def release(self, children: list[Any]) -> Version | None:
        return from_parts(**parts(children))
