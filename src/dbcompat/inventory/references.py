"""The version an inventory's entry names: itself, or the tag of an image reference.

>>> from dbcompat.ydb.images import IMAGES
>>> version_text("cr.yandex/crptqonuodf51kdj7a7d/ydb:24.4.4.12", IMAGES)
'24.4.4.12'
>>> version_text("cr.yandex/crptqonuodf51kdj7a7d/ydb:latest", IMAGES).why
"the tag 'latest' of the image 'cr.yandex/crptqonuodf51kdj7a7d/ydb' names no version"
"""

from __future__ import annotations

from ..floating import Floating
from ..images import Images

__all__ = ["version_text"]


def version_text(value: str, images: Images) -> str | Floating:
    """The version *value* names, an image reference of the product of *images* or a version;
    for a reference that names none (a tag such as ``latest``, a digest only, no tag), what
    floats there (``dbcompat.floating``), which every reader judges by the policy."""
    if "/" not in value and "@" not in value and ":" not in value:
        return value  # a version as it is: most entries, so the first question
    reference = value.split("@", 1)
    if len(reference) == 2 and ":" not in reference[0].rsplit("/", 1)[-1]:
        return Floating(reference[1], f"the image {value!r} is named by its digest only")
    name, _, tag = reference[0].rpartition(":")
    if "/" in tag:  # a registry port, not a tag: registry:5000/ydb
        return Floating("", f"the image {value!r} has no tag")
    return images.pinned(tag, name)
