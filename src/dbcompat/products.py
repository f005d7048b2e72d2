"""Each product of ``dbcompat.PRODUCTS`` found by its name, and what every consumer needs of all
of them at once: their rules (reports, ``dbcompat explain``, a verdict's help), their images and
their operators' objects (the inventory, the scanner, the webhook). A product declares these in
its own package; a third product needs no edit here.

>>> package("ydb").PRODUCT, rules()["skips-major"][0]
('YDB', 'YDB')
>>> sorted(images()), product_of_repository("local-ydb"), sorted(operator_kinds())
(['ravendb', 'ydb'], 'ydb', ['Database', 'RavenDBCluster', 'Storage'])
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from importlib import import_module
from types import MappingProxyType, ModuleType
from typing import Any

from . import PRODUCTS
from .answers import Rule, Verdict
from .floating import Floating, FloatingPolicy, judge_floating
from .images import Images, OperatorKind

__all__ = [
    "forget_mirrors",
    "images",
    "judge_pinned",
    "name_mirror",
    "operator_kinds",
    "package",
    "product_of_repository",
    "read_target",
    "repositories",
    "repository_names",
    "rules",
    "version_keys",
    "version_reader",
]

_MIRRORS: dict[str, str] = {}
"""The repositories named as mirrors of a product's images in this process, by their last path
segment (``name_mirror``)."""


def package(name: str) -> ModuleType:
    """The subpackage of the product *name* (``"ydb"``, ``"ravendb"``)."""
    return import_module(f"dbcompat.{name}")


def rules() -> dict[str, tuple[str, Rule]]:
    """Every rule of every product, by id, with the product's name as messages spell it."""
    table: dict[str, tuple[str, Rule]] = {}
    for name in PRODUCTS:
        module = package(name)
        table.update((rule_id, (module.PRODUCT, rule)) for rule_id, rule in module.RULES.items())
    return table


@functools.cache
def images() -> dict[str, Images]:
    """Each product's container images, by the product's module name."""
    return {name: import_module(f"dbcompat.{name}.images").IMAGES for name in PRODUCTS}


@functools.cache
def operator_kinds() -> dict[str, tuple[str, OperatorKind]]:
    """Every kind of object of every product's Kubernetes operator, by kind, with its product."""
    return {
        kind.kind: (name, kind)
        for name in PRODUCTS
        for kind in import_module(f"dbcompat.{name}.images").OPERATOR_KINDS
    }


def product_of_repository(repository: str) -> str | None:
    """The product whose image lives in *repository* (its last path segment), if any: one of
    the product's own, or a mirror named in this process."""
    return repositories().get(repository)


@functools.cache
def version_keys() -> dict[str, str]:
    """Every key that pins a product's version outside an image (``ydb_version``), with the
    product."""
    return {key: product for product, held in images().items() for key in held.version_keys}


@functools.cache
def repositories() -> Mapping[str, str]:
    """Every repository (its last path segment) that holds a product's images, with the
    product: the products' own, then the mirrors named in this process. Read once, until a
    mirror is named or forgotten: the scanner asks for every text it reads."""
    own = {name: product for product, held in images().items() for name in held.repositories}
    return MappingProxyType({**own, **_MIRRORS})


@functools.cache
def repository_names() -> frozenset[str]:
    """The repositories of ``repositories()`` alone, read once as it is: what a pattern that
    finds image references is built of."""
    return frozenset(repositories())


def name_mirror(product: str, repository: str) -> None:
    """Name *repository* (``registry.example/db/ydb-server``) as a mirror of *product*'s images,
    for every reader in this process (the scanner, the inventory, the webhook), matched by its
    last path segment as the products' own repositories are. ValueError for a product dbcompat
    does not know, or a segment that names another product's images.

    >>> name_mirror("ydb", "registry.example/db/ydb-server")
    >>> product_of_repository("ydb-server")
    'ydb'
    >>> forget_mirrors()
    """
    if product not in PRODUCTS:
        raise ValueError(f"no product {product!r} (one of {', '.join(PRODUCTS)})")
    segment = repository.rstrip("/").rsplit("/", 1)[-1].partition("@")[0].partition(":")[0]
    if not segment:
        raise ValueError(f"{repository!r} names no repository")
    other = repositories().get(segment)
    if other is not None and other != product:
        raise ValueError(f"{repository!r}: {segment!r} already holds {other}'s images")
    _MIRRORS[segment] = product
    _forget_repositories()


def forget_mirrors() -> None:
    """Forget every mirror named in this process."""
    _MIRRORS.clear()
    _forget_repositories()


def _forget_repositories() -> None:
    repositories.cache_clear()
    repository_names.cache_clear()


def judge_pinned(
    product: str, before: object | None, after: object, policy: FloatingPolicy
) -> Verdict | None:
    """A place of *product* that named *before* (None: no history) and names *after*, where
    either floats (:mod:`dbcompat.floating`), judged as every door judges it: by the policy,
    after the product's own rule where a development build is involved (a product with them
    answers, ``check_pinned``); None where nothing is refused or warned of.

    >>> trunk = Floating.development_build("trunk")
    >>> judge_pinned("ydb", "24.4.4.12", trunk, "ignore").rule
    'development-beside-release'
    """
    if any(isinstance(v, Floating) and v.development for v in (before, after)):
        verdict: Verdict | None = package(product).check_pinned(before, after, policy)
        return verdict
    if not isinstance(after, Floating):
        return None
    if after.line is not None and before is not None and not isinstance(before, Floating):
        # A tag that follows a line (6.0-ubuntu-latest) moves at least to that line.
        moved: Verdict = package(product).check_upgrade(before, after.line)
        if not moved:
            return moved
    return judge_floating(before, after, policy)


def read_target(product: str, target: Any, releases: Any = None) -> Any:
    """The version *target* names for *product*, read as ``check`` and ``plan`` read a target:
    by the product's ``resolve_target`` where it has one (YDB: ``latest`` and a bare year, from
    the release catalog *releases*), else as a version.

    >>> read_target("ydb", "latest", ["25.4.1.15", "26.1.1.22"]), read_target("ravendb", "6.0")
    (<Version('26.1.1.22')>, <Version('6.0')>)
    """
    module = package(product)
    resolve = getattr(module, "resolve_target", None)
    return module.as_version(target) if resolve is None else resolve(target, releases=releases)


def version_reader(product: str) -> Callable[[str], Any]:
    """How a text a person wrote (an override's move) is read for *product*: as the product
    reads a version, else as the text itself (``latest``).

    >>> version_reader("ydb")("v24.4.4.12"), version_reader("ydb")(" latest ")
    (<Version('24.4.4.12')>, 'latest')
    """

    def read(text: str) -> Any:
        try:
            return package(product).as_version(text)
        except ValueError:
            return text.strip()

    return read
