"""How RavenDB ships: its container images and the RavenDB Kubernetes operator's cluster object.

A RavenDB tag is a version, then the platform: ``6.0-ubuntu-latest``,
``5.4.110-ubuntu.22.04-x64`` (``dbcompat.ravendb.parser.version_of_tag``).

>>> IMAGES.version_of_tag("5.4.110-ubuntu.22.04-x64"), IMAGES.version_of_tag("latest")
('5.4.110', None)
"""

from __future__ import annotations

from ..images import Images, OperatorKind
from .parser import version_of_tag

__all__ = ["IMAGES", "OPERATOR_KINDS"]


def _follows_line(tag: str) -> bool:
    # 6.0-ubuntu-latest, 8.0-ubuntu-latest of the nightly image: the newest release of the line.
    return "latest" in tag.lower()


IMAGES = Images(
    "ravendb",
    frozenset({"ravendb", "ravendb-nightly"}),
    version_of_tag,
    # ravenImageTag: the tag RavenDB's own Helm chart puts on ravendb/ravendb.
    frozenset({"ravendb_version", "ravendb-version", "ravendbVersion", "ravenImageTag"}),
    frozenset({"ravendb", "ravendb-cluster"}),
    _follows_line,
)
"""RavenDB's images: ``ravendb/ravendb``, and its nightly builds ``ravendb/ravendb-nightly``."""

OPERATOR_KINDS = (OperatorKind("RavenDBCluster", "ravendb.ravendb.io", image=("spec", "image")),)
"""The RavenDB operator's cluster: it runs ``spec.image``, which it must name."""
