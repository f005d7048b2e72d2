"""How a product ships, as the readers of manifests and inventories need to know it: the
container images that run it, and the Kubernetes objects of its operator that name its version.
Each product declares its own (``dbcompat.ydb.images``, ``dbcompat.ravendb.images``); the
readers get them through :mod:`dbcompat.products`.

>>> image_parts("cr.yandex/crptqonuodf51kdj7a7d/ydb:24.4.4.12@sha256:0f")
ImageParts(repository='ydb', tag='24.4.4.12', digest='sha256:0f')
>>> image_parts("registry:5000/ydb")
ImageParts(repository='ydb', tag=None, digest=None)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .floating import Floating

__all__ = ["ImageParts", "Images", "OperatorKind", "image_parts"]


def _pinned_to_one(tag: str) -> bool:
    return False


class Images(NamedTuple):
    """A product's container images: the product (its module name), the last path segments of
    its repositories, how a tag names a version (None for a tag that names none, such as
    ``latest``), the keys that pin its version where no image does, the Helm charts whose app
    it is, and which tags follow a line rather than name one release of it."""

    product: str
    repositories: frozenset[str]
    version_of_tag: Callable[[str], str | None]
    version_keys: frozenset[str] = frozenset()
    """The keys that pin the product's version outside an image, in Ansible variables and CI
    matrices (``ydb_version``, ``ydb-version``)."""
    charts: frozenset[str] = frozenset()
    """The Helm charts whose app is the product: their ``appVersion`` is its version."""
    follows_line: Callable[[str], bool] = _pinned_to_one
    """Whether a tag that names a version follows its line (RavenDB's ``6.0-ubuntu-latest``:
    whatever 6.0 release is newest) rather than naming one release."""

    def pinned(self, tag: str, image: str = "") -> str | Floating:
        """What the tag *tag* (of the image *image*, where known) names where a place pins it:
        the version's text, or what floats there (``dbcompat.floating``)."""
        text = self.version_of_tag(tag)
        if text is None:
            of = f" of the image {image!r}" if image else ""
            return Floating(tag, f"the tag {tag!r}{of} names no version")
        if self.follows_line(tag):
            why = f"the tag {tag!r} follows the newest {text} release, which it does not name"
            return Floating(tag, why, line=text)
        return text


class OperatorKind(NamedTuple):
    """A kind of object of a product's Kubernetes operator, and where it names the version run:
    the API group of its ``apiVersion``, the fields that hold the image reference, the fields
    that hold a bare version where no image is named (empty: none), the tag the operator runs
    where the object names neither (None: the object must name an image), and where it names
    the object whose cluster it runs in, and that object's kind (a YDB ``Database``'s
    ``spec.storageClusterRef.name``, a ``Storage``; empty: its own cluster)."""

    kind: str
    api_group: str
    image: tuple[str, ...]
    version: tuple[str, ...] = ()
    default_tag: str | None = None
    cluster: tuple[str, ...] = ()
    cluster_kind: str | None = None


class ImageParts(NamedTuple):
    """An image reference's repository (its last path segment), tag and digest, where given."""

    repository: str
    tag: str | None
    digest: str | None


def image_parts(reference: str) -> ImageParts:
    """The parts of the image *reference*: ``[registry[:port]/]path/repository[:tag][@digest]``."""
    named, _, digest = reference.partition("@")
    path, colon, tag = named.rpartition(":")
    if not colon or "/" in tag:  # no tag, or the port of a registry
        path, tag = named, ""
    return ImageParts(path.rsplit("/", 1)[-1], tag or None, digest or None)
