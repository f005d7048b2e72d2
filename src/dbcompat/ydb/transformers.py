"""Lark's reading of the YDB grammars: transformers in the style of Lark's own examples, a method
per rule returning its value. A rule of one number or word gives ``(name, text)``, a rule of
several parts gives them all by name, and the start rule hands them to the grammar's builder
in :mod:`dbcompat.ydb.parser` (``from_version_parts``, ``from_parts``), the function the
generated regular expression's parts go to, so that both readings build alike. Only a text the
regular expression refuses brings this module, and Lark, in.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from ..reading.trees import group, parts, token
from .parser import from_parts, from_version_parts
from .version import Version

__all__ = ["TreeToRelease", "TreeToVersion"]


class TreeToVersion(Transformer[Token, Version]):
    """Transforms a tree of ``ydb_version.lark`` (the documented BNF) into a Version.

    >>> from dbcompat.reading.explain import load_lark
    >>> tree = load_lark("ydb_version", "valid_version").parse("24.3.14.2-lts")
    >>> TreeToVersion().transform(tree)
    <Version('24.3.14.2-lts')>
    """

    year = major = minor = patch = version_type = token
    version_core = group

    def valid_version(self, children: list[Any]) -> Version:
        return from_version_parts(**parts(children))


class TreeToRelease(Transformer[Token, Version | None]):
    """Transforms a tree of ``ydb_release.lark`` (every known spelling) into a Version, or None
    for a development build. The documented grammar's rules, which it imports, read as there,
    and its start rule is one part among others here.

    >>> from dbcompat.reading.explain import load_lark
    >>> tree = load_lark("ydb_release", "release").parse("stable-23-1-1-hotfix-7")
    >>> TreeToRelease().transform(tree)
    <Version('stable-23-1-1-hotfix-7')>
    """

    year = major = minor = patch = version_type = token
    version_core = valid_version = group
    candidate = enterprise = build_core = node_build = built = hotfix = branch = group
    development = group

    def release(self, children: list[Any]) -> Version | None:
        return from_parts(**parts(children))
