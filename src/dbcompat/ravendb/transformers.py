"""Lark's reading of the RavenDB grammar: a transformer in the style of Lark's own examples, a
method per rule returning its value. A rule of one number gives ``(name, text)``, a suffix gives
its parts by name, and ``version`` hands them all to :func:`~dbcompat.ravendb.parser.from_parts`,
the function the generated regular expression's parts go to, so that both readings build alike.
Only a text the regular expression refuses brings this module, and Lark, in.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from ..reading.trees import group, parts, token
from .parser import from_parts
from .version import Version

__all__ = ["TreeToVersion"]


class TreeToVersion(Transformer[Token, Version]):
    """Transforms a tree of ``ravendb_version.lark`` into a Version.

    >>> from dbcompat.reading.explain import load_lark
    >>> TreeToVersion().transform(load_lark("ravendb_version", "version").parse("4.1.0-rc-41000"))
    <Version('4.1.0-rc-41000')>
    """

    major = minor = patch = build = stage_number = stage_build = token
    prerelease = patch_build = hotfix = nightly = group

    def version(self, children: list[Any]) -> Version:
        return from_parts(**parts(children))
