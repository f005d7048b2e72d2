"""What a scan finds: a version a file names (a :class:`Finding`, with its line, column and place
in the file), what could not be read (a :class:`Problem`), and the :class:`Collector` that
gathers them as a file's readers (:mod:`.texts`, :mod:`.manifests`) come upon image references
and tags.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Hashable
from importlib import import_module
from typing import Any, NamedTuple

from ..errors import DevelopmentBuild, InvalidVersion
from ..floating import Floating
from ..images import image_parts
from ..products import images, package, product_of_repository, repository_names
from ..reading.grammars import grammar_regex

__all__ = [
    "FROM_LINE",
    "YAML_SUFFIXES",
    "Collector",
    "Finding",
    "Problem",
    "Scan",
    "image_pattern",
    "is_dockerfile",
    "text_of",
]

YAML_SUFFIXES = (".yaml", ".yml")


class Finding(NamedTuple):
    """A version a file names: the product (``"ydb"``, ``"ravendb"``), the file, the 1-based line
    and column of the version's text, the text as written, the version read, the place in the
    file (the same across revisions of it: ``Storage/storage spec.image.name``, ``ydb #2``),
    what was assumed, if anything, the cluster it runs in, where the objects say (a YDB
    ``Database`` with the ``Storage`` it names, the services of a compose file), and the
    override its object records (``dbcompat.overrides``), if any."""

    product: str
    path: str
    line: int
    column: int
    text: str
    version: Any
    place: str
    note: str | None = None
    cluster: Hashable | None = None
    override: str | None = None


class Problem(NamedTuple):
    """A file, or a part of one, that could not be read: the file, the line if known, why."""

    path: str
    line: int | None
    message: str


class Scan(NamedTuple):
    """What a scan found in its files, what it could not read, and the files it read."""

    findings: tuple[Finding, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...]


def image_pattern() -> re.Pattern[str]:
    """An image reference whose last path segment names a product's repository (or a mirror
    named in this process): optional registry and path, the repository, a colon and the tag.
    Nothing of a longer word may come before it."""
    return _pattern_of(repository_names())


@functools.cache
def _pattern_of(repositories: frozenset[str]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w.:/@-])(?:[A-Za-z0-9][\w.-]*(?::[0-9]+)?/)*"
        rf"(?P<repository>{'|'.join(sorted(map(re.escape, repositories), key=len)[::-1])})"
        r":(?P<tag>[A-Za-z0-9_][\w.-]{0,127})",
        re.ASCII,
    )


FROM_LINE = re.compile(r"\s*FROM\s+(?:--\S+\s+)*(?P<reference>\S+)", re.IGNORECASE)


def is_dockerfile(path: str) -> bool:
    """Whether *path* names a Dockerfile, whose ``FROM`` lines pin images."""
    name = path.rsplit("/", 1)[-1].lower()
    return name.startswith(("dockerfile", "containerfile")) or name.endswith(".dockerfile")


class Collector:
    """The findings and problems of one file, as its readers come upon them."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.problems: list[Problem] = []
        self.cluster: Hashable | None = None  # of the document being read, and its override
        self.override: str | None = None

    def _finding(
        self,
        product: str,
        line: int,
        column: int,
        text: str,
        version: Any,
        place: str,
        note: str | None,
    ) -> Finding:
        return Finding(
            product,
            self.path,
            line,
            column,
            text,
            version,
            place,
            note,
            self.cluster,
            self.override,
        )

    def image(self, match: re.Match[str], line: int, column: int, place: str) -> None:
        """The image reference *match* found in text that starts at *column* of *line*."""
        product = product_of_repository(match["repository"]) or ""
        self.tag(product, match["tag"].rstrip(".-"), line, column + match.start("tag"), place)

    def pinned_image(self, reference: str, line: int, column: int, place: str) -> bool:
        """The image *reference* that a place pins (an image field, a ``FROM``), starting at
        *column* of *line*: its version, or what floats there; False where it is no product's."""
        parts = image_parts(reference)
        product = product_of_repository(parts.repository)
        if product is None:
            return False
        if parts.tag is None:
            how = "is named by its digest only" if parts.digest else "has no tag"
            floating = Floating(parts.digest or "", f"the image {reference!r} {how}")
            self.findings.append(
                self._finding(product, line, column, floating.text, floating, place, None)
            )
            return True
        offset = len(reference.partition("@")[0]) - len(parts.tag)
        self.tag(product, parts.tag, line, column + offset, place, pinned=True)
        return True

    def tag(
        self,
        product: str,
        tag: str,
        line: int,
        column: int,
        place: str,
        note: str | None = None,
        *,
        pinned: bool = False,
    ) -> None:
        """The version the image tag *tag* of *product* names, if it names one; where a place
        *pinned* it, a tag that names none (``latest``, ``nightly``, ``trunk``) floats there."""
        if "{{" in tag or "${" in tag:
            return  # a template (${{ matrix.ydb-version }}): the version is pinned where it is set
        named = images()[product].pinned(tag)
        if isinstance(named, Floating):
            if pinned:  # latest, nightly, 6.0-ubuntu-latest: what runs can change under the tag
                self.findings.append(self._finding(product, line, column, tag, named, place, note))
                return
            if named.line is None:
                return  # a word in free text: nothing to read
            text = named.line  # a line, in free text
        else:
            text = named
        module = package(product)
        if not _may_spell_a_version(product, text):
            # Said without asking the grammar why: a hostile file may hold a million such tags.
            message = f"{module.PRODUCT} tag {tag!r} names no {module.PRODUCT} version"
            self.problems.append(Problem(self.path, line, message))
            return
        try:
            version = module.parse(text, strict=False)
        except DevelopmentBuild:
            if pinned:
                floating = Floating.development_build(tag)
                self.findings.append(
                    self._finding(product, line, column, tag, floating, place, note)
                )
            return
        except InvalidVersion as error:
            self.problems.append(
                Problem(self.path, line, f"{module.PRODUCT} tag {tag!r}: {error.reason}")
            )
            return
        self.findings.append(self._finding(product, line, column, text, version, place, note))


@functools.cache
def _most_lenient(product: str) -> re.Pattern[str]:
    grammar = import_module(f"dbcompat.{product}.parser").GRAMMARS[-1].grammar
    return re.compile(grammar_regex(grammar).pattern)


def _may_spell_a_version(product: str, text: str) -> bool:
    """Whether the tag's *text* is in the product's most lenient grammar, read as lenient
    reading reads it (in lower case, for YDB): a regex's answer, which costs nothing."""
    pattern = _most_lenient(product)
    return bool(pattern.fullmatch(text) or pattern.fullmatch(text.lower()))


def text_of(raw: bytes) -> str | None:
    if b"\0" in raw[:8192]:
        return None
    return raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
