"""Lark's reading of the RavenDB grammar: a transformer in the style of Lark's own examples, a
method per rule returning its value. Each rule of a number gives ``(name, text)``; a suffix
gives its parts by name; ``version`` hands them all to
:func:`~dbcompat.ravendb.parser.from_parts`, the function the generated regular expression's
parts go to, so that both readings build alike. Only a text the regular expression refuses
brings this module, and Lark, in.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from ..reading.explain import Part, parts
from .parser import from_parts
from .version import Version

__all__ = ["TreeToVersion"]


class TreeToVersion(Transformer[Token, Version]):
    """Transforms a tree of ``ravendb_version.lark`` into a Version.

    >>> from dbcompat.reading.explain import load_lark
    >>> TreeToVersion().transform(load_lark("ravendb_version", "version").parse("4.1.0-rc-41000"))
    <Version('4.1.0-rc-41000')>
    """

    def major(self, children: list[Token]) -> Part:
        return ("major", str(children[0]))

    def minor(self, children: list[Token]) -> Part:
        return ("minor", str(children[0]))

    def patch(self, children: list[Token]) -> Part:
        return ("patch", str(children[0]))

    def build(self, children: list[Token]) -> Part:
        return ("build", str(children[0]))

    def stage_number(self, children: list[Token]) -> Part:
        return ("stage_number", str(children[0]))

    def stage_build(self, children: list[Token]) -> Part:
        return ("stage_build", str(children[0]))

    def prerelease(self, children: list[Any]) -> dict[str, str]:
        return parts(children)

    def patch_build(self, children: list[Any]) -> dict[str, str]:
        return parts(children)

    def hotfix(self, children: list[Any]) -> dict[str, str]:
        return parts(children)

    def nightly(self, children: list[Any]) -> dict[str, str]:
        return parts(children)

    def version(self, children: list[Any]) -> Version:
        return from_parts(**parts(children))
