"""How YDB ships: its container images and the objects of the YDB Kubernetes operator.

>>> IMAGES.version_of_tag("24.4.4.12"), IMAGES.version_of_tag("latest")
('24.4.4.12', None)
>>> IMAGES.version_of_tag("nightly"), IMAGES.version_of_tag("trunk")
(None, 'trunk')
>>> [kind.kind for kind in OPERATOR_KINDS]
['Storage', 'Database']
"""

from __future__ import annotations

from ..images import Images, OperatorKind

__all__ = ["IMAGES", "OPERATOR_DEFAULT_TAG", "OPERATOR_KINDS"]


def _version_of_tag(tag: str) -> str | None:
    # YDB's tags are its versions as written (24.4.4.12, stable-24-3, 25.1.2.7-rc) and its
    # development builds (trunk, main); a word without a digit (latest, nightly, edge) is none.
    if tag.lower() in ("trunk", "main") or any(character.isdigit() for character in tag):
        return tag
    return None


IMAGES = Images(
    "ydb",
    frozenset({"ydb", "local-ydb", "yandex-docker-local-ydb"}),
    _version_of_tag,
    frozenset({"ydb_version", "ydb-version", "ydb-versions", "ydbVersion"}),
    frozenset({"ydb"}),
)
"""YDB's images: ``cr.yandex/crptqonuodf51kdj7a7d/ydb``, ``ydbplatform/local-ydb``, and the older
``cr.yandex/yc/yandex-docker-local-ydb``."""

OPERATOR_DEFAULT_TAG = "22.2.22"
"""The tag the YDB Kubernetes operator fills in when a Storage or Database names neither an
image nor a version."""

OPERATOR_KINDS = tuple(
    OperatorKind(
        kind,
        "ydb.tech",
        image=("spec", "image", "name"),
        version=("spec", "version"),
        default_tag=OPERATOR_DEFAULT_TAG,
        cluster=cluster,
        cluster_kind="Storage" if cluster else None,
    )
    for kind, cluster in (("Storage", ()), ("Database", ("spec", "storageClusterRef", "name")))
)
"""The YDB operator's objects: they run ``spec.image.name``, else YDB's image at ``spec.version``,
else at the operator's default tag. A ``Database``'s dynamic nodes run beside the nodes of the
``Storage`` its ``spec.storageClusterRef`` names, in its namespace: one cluster."""
