"""The version an inventory's entry names: itself, or the tag of an image reference.

>>> from dbcompat.ydb.images import IMAGES
>>> version_text("cr.yandex/crptqonuodf51kdj7a7d/ydb:24.4.4.12", IMAGES, "nodes.txt, line 1")
'24.4.4.12'
"""

from __future__ import annotations

from ..entries import InvalidEntry
from ..floating import Floating
from ..images import Images

__all__ = ["FloatingReference", "version_text"]


class FloatingReference(InvalidEntry):
    """An image reference that names no version (a tag that names none, a digest only, no
    tag); ``floating`` says what floats there, for a reader that judges it by the policy."""

    def __init__(self, message: str, where: str, floating: Floating) -> None:
        super().__init__(message, where)
        self.floating = floating


def version_text(value: str, images: Images, where: str) -> str:
    """The version *value* names, an image reference of the product of *images* or a version;
    InvalidEntry, saying *where*, for a reference that names none."""
    if "/" not in value and "@" not in value and ":" not in value:
        return value  # a version as it is: most entries, so the first question
    reference = value.split("@", 1)
    if len(reference) == 2 and ":" not in reference[0].rsplit("/", 1)[-1]:
        why = f"the image {value!r} is named by its digest only"
        message = f"{why}, which says no version; name it by its tag"
        raise FloatingReference(message, where, Floating(reference[1], why))
    name, _, tag = reference[0].rpartition(":")
    if "/" in tag:  # a registry port, not a tag: registry:5000/ydb
        why = f"the image {value!r} has no tag"
        raise FloatingReference(f"{why} to read a version from", where, Floating("", why))
    version = images.version_of_tag(tag)
    if version is None:
        why = f"the tag {tag!r} of the image {name!r} names no version"
        raise FloatingReference(why, where, Floating(tag, why))
    return version
