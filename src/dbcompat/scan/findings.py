"""The versions a file names, each with its line and column and its place in the file, and what
could not be read of it.

YAML files (``.yaml``, ``.yml``: Kubernetes manifests, Helm values, docker-compose files) are read
as YAML, which needs ``dbcompat[yaml]``: every image reference of a product
(``cr.yandex/crptqonuodf51kdj7a7d/ydb:24.4.4.12``, ``ravendb/ravendb:6.0-ubuntu-latest``), Helm's
``repository`` and ``tag`` pairs, and the products' operator objects, read by the inventory's
Kubernetes walker, for the versions no image reference shows (a YDB ``Storage``'s
``spec.version``, or its operator's default tag). Every other text file is read line by line for
image references.

>>> found, problems = scan_text("image: cr.yandex/crptqonuodf51kdj7a7d/ydb:24.4.4.12\\n", "a.txt")
>>> [(f.product, str(f.version), f.line, f.column, f.place) for f in found], problems
([('ydb', '24.4.4.12', 1, 43, 'ydb #1')], [])
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
from ..inventory.kubernetes import YAML_NODES, BadObject, cluster_of, pins
from ..products import images, operator_kinds, package, product_of_repository, repositories
from ..reading.grammars import grammar_regex
from .positions import Lines

__all__ = ["YAML_SUFFIXES", "Finding", "Problem", "Scan", "is_dockerfile", "scan_text", "text_of"]

YAML_SUFFIXES = (".yaml", ".yml")


class Finding(NamedTuple):
    """A version a file names: the product (``"ydb"``, ``"ravendb"``), the file, the 1-based line
    and column of the version's text, the text as written, the version read, the place in the
    file (the same across revisions of it: ``Storage/storage spec.image.name``, ``ydb #2``),
    what was assumed, if anything, and the cluster it runs in, where the objects say (a YDB
    ``Database`` with the ``Storage`` it names, the services of a compose file)."""

    product: str
    path: str
    line: int
    column: int
    text: str
    version: Any
    place: str
    note: str | None = None
    cluster: Hashable | None = None


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


def _image_pattern() -> re.Pattern[str]:
    """An image reference whose last path segment names a product's repository (or a mirror
    named in this process): optional registry and path, the repository, a colon and the tag.
    Nothing of a longer word may come before it."""
    return _pattern_of(frozenset(repositories()))


@functools.cache
def _pattern_of(repositories: frozenset[str]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w.:/@-])(?:[A-Za-z0-9][\w.-]*(?::[0-9]+)?/)*"
        rf"(?P<repository>{'|'.join(sorted(map(re.escape, repositories), key=len)[::-1])})"
        r":(?P<tag>[A-Za-z0-9_][\w.-]{0,127})",
        re.ASCII,
    )


def scan_text(text: str, path: str) -> tuple[list[Finding], list[Problem]]:
    """The versions *text*, the content of the file *path*, names, and what could not be read;
    *path*'s suffix says whether it is YAML."""
    found = _Collector(path)
    if path.endswith(YAML_SUFFIXES):
        _read_yaml(text, found)
        return found.findings, found.problems
    if path.endswith(".json"):
        # JSON is YAML, whose reader keeps every value's position: kubectl's output reads so.
        # A JSON file that is not YAML (indented with tabs) is read as text instead.
        read = _Collector(path)
        unreadable = ("not valid YAML", "nested too deeply")
        if _read_yaml(text, read) and not any(
            problem.message.startswith(unreadable) for problem in read.problems
        ):
            return read.findings, read.problems
    seen: dict[str, int] = {}
    dockerfile = is_dockerfile(path)
    # Lines end at "\n" only, as in git and on GitHub: splitlines would count \x0c or \u2028 too,
    # and a result's line would then not be the line a code-scanning upload points at.
    for number, line in enumerate(text.split("\n"), start=1):
        base = _FROM.match(line) if dockerfile else None
        if base is not None:  # FROM pins the image a container runs
            repository = image_parts(base["reference"]).repository
            if product_of_repository(repository) is not None:
                seen[repository] = seen.get(repository, 0) + 1
                place = f"{repository} #{seen[repository]}"
                found.pinned_image(base["reference"], number, base.start("reference") + 1, place)
                continue
        for match in _image_pattern().finditer(line):
            repository = match["repository"]
            seen[repository] = seen.get(repository, 0) + 1
            found.image(match, number, 1, f"{repository} #{seen[repository]}")
    return found.findings, found.problems


_FROM = re.compile(r"\s*FROM\s+(?:--\S+\s+)*(?P<reference>\S+)", re.IGNORECASE)


def is_dockerfile(path: str) -> bool:
    """Whether *path* names a Dockerfile, whose ``FROM`` lines pin images."""
    name = path.rsplit("/", 1)[-1].lower()
    return name.startswith(("dockerfile", "containerfile")) or name.endswith(".dockerfile")


class _Collector:
    """The findings and problems of one file, as its readers come upon them."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.problems: list[Problem] = []
        self.cluster: Hashable | None = None  # of the document being read

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
        return Finding(product, self.path, line, column, text, version, place, note, self.cluster)

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
            why = (
                f"the image {reference!r} is named by its digest only"
                if parts.digest
                else f"the image {reference!r} has no tag"
            )
            floating = Floating(parts.digest or "", why)
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
        text = images()[product].version_of_tag(tag)
        if text is None:
            if pinned:  # latest, nightly, edge: what runs there can change under the same tag
                floating = Floating(tag, f"the tag {tag!r} names no version")
                self.findings.append(
                    self._finding(product, line, column, tag, floating, place, note)
                )
            return  # a word in free text: nothing to read
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
                why = f"the tag {tag!r} is a development build, which has no version"
                floating = Floating(tag, why, development=True)
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


def _read_yaml(text: str, found: _Collector) -> bool:
    """Read *text* as YAML into *found*; False where PyYAML is not installed (and *found* says
    which extra it needs)."""
    try:
        import yaml
    except ImportError:
        message = "reading YAML needs PyYAML: pip install 'dbcompat[yaml]'"
        found.problems.append(Problem(found.path, None, message))
        return False
    try:
        # libyaml's loader where PyYAML has it: the same nodes and marks, twice as fast.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        documents = list(yaml.compose_all(text, Loader=loader))
        walker = _YamlWalker(found, text)
        for number, document in enumerate(documents, start=1):
            if document is not None:
                found.cluster = _cluster_of(document, found.path, number)
                walker.walk(document, _document_name(document, number), ())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        reason = getattr(error, "problem", None) or str(error)
        found.problems.append(Problem(found.path, line, f"not valid YAML ({reason})"))
    except RecursionError:  # both PyYAML and the walk recurse: a hostile file, not a manifest
        found.problems.append(Problem(found.path, None, "nested too deeply to be a manifest"))
    return True


def _cluster_of(document: Any, path: str, number: int) -> Hashable | None:
    """The cluster a document's versions run in: an operator's object's (``cluster_of``), in
    the folder of its file (a Kustomize base and its overlays are different deployments of one
    object); the object itself where no other kind names its kind (a second copy of it in
    another file is another deployment); for a compose file's services, the project, the file."""
    try:
        cluster = cluster_of(document, YAML_NODES)
    except BadObject:
        return None
    if cluster is None:
        return ("compose", path, number) if _mapping(_mapping(document).get("services")) else None
    roots = {kind.cluster_kind for _, kind in operator_kinds().values()}
    return (*cluster, path.rpartition("/")[0] if cluster[0] in roots else path)


def _document_name(document: Any, number: int) -> str:
    return _object_name(document) or f"document {number}"


def _object_name(node: Any) -> str | None:
    """``Kind/name`` of a Kubernetes object, None for any other node."""
    fields = _mapping(node)
    kind = _scalar(fields.get("kind"))
    name = _scalar(_mapping(fields.get("metadata")).get("name"))
    return f"{kind}/{name}" if kind and name else None


def _mapping(node: Any) -> dict[str, Any]:
    """The string-keyed entries of a YAML mapping node; empty for any other node."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}


def _scalar(node: Any) -> str | None:
    import yaml

    return node.value if isinstance(node, yaml.ScalarNode) else None


class _YamlWalker:
    """Walks composed YAML nodes, which keep their positions, once each (an anchor used twice
    is one place to edit; a recursive one would never end)."""

    def __init__(self, found: _Collector, text: str) -> None:
        self.found = found
        self.lines = Lines(text)
        self.seen: set[int] = set()

    def _start(self, node: Any) -> tuple[int, int]:
        """Where a scalar's text starts, inside its quotes if any."""
        line, column = self.lines.at(node.start_mark)
        return line, column + (1 if node.style in ("'", '"') else 0)

    def walk(self, node: Any, document: str, trail: tuple[str, ...]) -> None:
        import yaml

        if id(node) in self.seen:
            return
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            self._scalar(node, _place(document, trail), _pins_an_image(trail))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                # Named items keep their place when the list is reordered.
                name = _scalar(_mapping(item).get("name")) or _object_name(item)
                self.walk(item, document, (*trail, f"[{name}]" if name else f"[{index}]"))
        elif isinstance(node, yaml.MappingNode):
            fields = _mapping(node)
            self._helm_image(fields, document, trail)
            self._operator_object(node, document, trail)
            for key, value in fields.items():
                self.walk(value, document, (*trail, key))

    def _scalar(self, node: Any, place: str, pinned: bool) -> None:
        if node.tag != "tag:yaml.org,2002:str" or "\n" in node.value:
            return
        line, column = self._start(node)
        if pinned and self.found.pinned_image(node.value.strip(), line, column, place):
            return
        for number, match in enumerate(_image_pattern().finditer(node.value), start=1):
            self.found.image(match, line, column, place if number == 1 else f"{place} #{number}")

    def _helm_image(self, fields: dict[str, Any], document: str, trail: tuple[str, ...]) -> None:
        # Helm charts split the reference: image: {repository: cr.yandex/.../ydb, tag: 24.4.4.12}
        repository, tag = _scalar(fields.get("repository")), fields.get("tag")
        text = _scalar(tag)
        if repository is None or text is None:
            return
        product = product_of_repository(repository.rsplit("/", 1)[-1])
        if product is not None:
            self.seen.add(id(tag))
            place = _place(document, (*trail, "tag"))
            self.found.tag(product, text, *self._start(tag), place, pinned=True)

    def _operator_object(self, node: Any, document: str, trail: tuple[str, ...]) -> None:
        # The versions no image reference shows: an operator's object that names a bare
        # version, or neither (the operator's default tag). Its images the scalars show.
        kind = YAML_NODES.get(node, "kind")
        if kind is None or YAML_NODES.text(kind) not in operator_kinds():
            return
        try:
            versions = [pin for pin in pins(node, YAML_NODES) if not pin.image]
        except BadObject:
            return  # not the shape its kind holds: its image references are still read
        for pin in versions:
            place = _place(document, (*trail, *pin.fields))
            if pin.node is node:  # the operator's default: at the object
                where = self.lines.at(node.start_mark)
            else:
                self.seen.add(id(pin.node))
                where = self._start(pin.node)
            self.found.tag(pin.product, pin.text, *where, place, pin.note, pinned=True)


def _pins_an_image(trail: tuple[str, ...]) -> bool:
    """Whether a scalar at *trail* pins the image a container runs: an ``image`` field, or the
    ``name`` of one (the YDB operator's ``spec.image.name``), not a version in free text."""
    return trail[-1:] == ("image",) or trail[-2:] == ("image", "name")


def _place(document: str, trail: tuple[str, ...]) -> str:
    path = ".".join(trail).replace(".[", "[")  # containers[ydb].image
    return f"{document} {path}" if path else document


def text_of(raw: bytes) -> str | None:
    if b"\0" in raw[:8192]:
        return None
    return raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
