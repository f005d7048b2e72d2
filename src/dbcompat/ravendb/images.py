"""How RavenDB ships: its container images and the RavenDB Kubernetes operator's cluster object.

A RavenDB tag is a version, then the platform: ``6.0-ubuntu-latest``,
``5.4.110-ubuntu.22.04-x64``; the version is read with the grammar's own regular expression.

>>> IMAGES.version_of_tag("5.4.110-ubuntu.22.04-x64"), IMAGES.version_of_tag("latest")
('5.4.110', None)
"""

from __future__ import annotations

import functools
import re

from ..images import Images, OperatorKind
from ..reading.grammars import grammar_regex

__all__ = ["IMAGES", "OPERATOR_KINDS"]


@functools.cache
def _tag() -> re.Pattern[str]:
    version = grammar_regex("ravendb_version").pattern
    return re.compile(rf"(?P<version>{version})(?:-[A-Za-z].*)?", re.ASCII)


def _version_of_tag(tag: str) -> str | None:
    match = _tag().fullmatch(tag)
    return match["version"] if match else None


IMAGES = Images("ravendb", frozenset({"ravendb"}), _version_of_tag)
"""RavenDB's images: ``ravendb/ravendb``."""

OPERATOR_KINDS = (OperatorKind("RavenDBCluster", "ravendb.ravendb.io", image=("spec", "image")),)
"""The RavenDB operator's cluster: it runs ``spec.image``, which it must name."""
