"""Finding the YDB and RavenDB versions that a repository's files name, each with its file, line
and column, and judging the moves a change makes to them: the pull-request gate.

YAML files (``.yaml``, ``.yml``: Kubernetes manifests, Helm values, docker-compose files) are read
as YAML, which needs ``dbcompat[yaml]``: every image reference of a product
(``cr.yandex/crptqonuodf51kdj7a7d/ydb:24.4.4.12``, ``ravendb/ravendb:6.0-ubuntu-latest``), Helm's
``repository`` and ``tag`` pairs, and YDB ``Storage`` / ``Database`` objects, whose
``spec.version`` counts when they name no image (and the operator's default tag when they name
neither). Every other text file is read line by line for image references.

>>> found, problems = scan_text("image: cr.yandex/crptqonuodf51kdj7a7d/ydb:24.4.4.12\\n", "a.txt")
>>> [(f.product, str(f.version), f.line, f.column, f.place) for f in found], problems
([('ydb', '24.4.4.12', 1, 43, 'ydb #1')], [])
"""

from __future__ import annotations

import bisect
import errno
import functools
import os
import re
import stat
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from importlib import import_module
from pathlib import Path
from typing import Any, NamedTuple

from . import ravendb, ydb
from .answers import Verdict
from .errors import DevelopmentBuild, InvalidVersion, check_many
from .inventory import IMAGES, OPERATOR_DEFAULT_TAG, YDB_OPERATOR_KINDS
from .products import package
from .reading.grammars import grammar_regex
from .ydb.catalog import Releases

__all__ = [
    "MAX_FILE_SIZE",
    "Finding",
    "Move",
    "Problem",
    "Scan",
    "judge_changes",
    "judge_target",
    "scan",
    "scan_revision",
    "scan_text",
]

MAX_FILE_SIZE = 4 * 2**20
"""Larger files are not read: manifests are a few KB, and a huge file is a build artefact."""

YAML_SUFFIXES = (".yaml", ".yml")


class Finding(NamedTuple):
    """A version a file names: the product (``"ydb"``, ``"ravendb"``), the file, the 1-based line
    and column of the version's text, the text as written, the version read, the place in the
    file (the same across revisions of it: ``Storage/storage spec.image.name``, ``ydb #2``),
    and what was assumed, if anything."""

    product: str
    path: str
    line: int
    column: int
    text: str
    version: Any
    place: str
    note: str | None = None


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


class Move(NamedTuple):
    """A version that changes: the finding as it is now, the version it was (or the version
    planned, for a target), and the rules' verdict on that move."""

    finding: Finding
    before: Any
    after: Any
    verdict: Verdict


_PRODUCT_OF_REPOSITORY = {
    repository: product for product, images in IMAGES.items() for repository in images.repositories
}

# An image reference whose last path segment names a product's repository: optional registry
# and path, the repository, a colon and the tag. Nothing of a longer word may come before it.
_IMAGE = re.compile(
    r"(?<![\w.:/@-])(?:[A-Za-z0-9][\w.-]*(?::[0-9]+)?/)*"
    rf"(?P<repository>{'|'.join(sorted(map(re.escape, _PRODUCT_OF_REPOSITORY), key=len)[::-1])})"
    r":(?P<tag>[A-Za-z0-9_][\w.-]{0,127})",
    re.ASCII,
)


def scan(paths: Iterable[str | os.PathLike[str]] = (".",)) -> Scan:
    """Every version the files under *paths* name; a folder is walked, honouring
    ``.gitignore`` where it is in a git work tree. A file that cannot be read is a
    :class:`Problem`, and the scan goes on."""
    findings: list[Finding] = []
    problems: list[Problem] = []
    files = []
    for file in _files(check_many(paths, "paths", "an iterable of paths"), problems):
        name = file.as_posix()
        try:
            status = file.stat()
            if not stat.S_ISREG(status.st_mode):  # a pipe would block the scan, a device not end
                problems.append(Problem(name, None, "not a regular file: not read"))
                continue
            if status.st_size > MAX_FILE_SIZE:
                problems.append(Problem(name, None, f"over {MAX_FILE_SIZE // 2**20} MiB: not read"))
                continue
            raw = file.read_bytes()
        except OSError as error:
            problems.append(_unreadable(file, error))
            continue
        text = _text(raw)
        if text is None:
            continue  # a binary file names no version anyone edits
        files.append(name)
        found, trouble = scan_text(text, name)
        findings += found
        problems += trouble
    return Scan(tuple(findings), tuple(problems), tuple(files))


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
    # Lines end at "\n" only, as in git and on GitHub: splitlines would count \x0c or \u2028 too,
    # and a result's line would then not be the line a code-scanning upload points at.
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _IMAGE.finditer(line):
            repository = match["repository"]
            seen[repository] = seen.get(repository, 0) + 1
            found.image(match, number, 1, f"{repository} #{seen[repository]}")
    return found.findings, found.problems


class _Collector:
    """The findings and problems of one file, as its readers come upon them."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.problems: list[Problem] = []

    def image(self, match: re.Match[str], line: int, column: int, place: str) -> None:
        """The image reference *match* found in text that starts at *column* of *line*."""
        product = _PRODUCT_OF_REPOSITORY[match["repository"]]
        self.tag(product, match["tag"].rstrip(".-"), line, column + match.start("tag"), place)

    def tag(
        self, product: str, tag: str, line: int, column: int, place: str, note: str | None = None
    ) -> None:
        """The version the image tag *tag* of *product* names, if it names one."""
        text = IMAGES[product].version_of_tag(tag)
        if text is None:
            return  # latest: nothing to judge
        module = package(product)
        if not _may_spell_a_version(product, text):
            # Said without asking the grammar why: a hostile file may hold a million such tags.
            message = f"{module.PRODUCT} tag {tag!r} names no {module.PRODUCT} version"
            self.problems.append(Problem(self.path, line, message))
            return
        try:
            version = module.parse(text, strict=False)
        except DevelopmentBuild:
            return
        except InvalidVersion as error:
            self.problems.append(
                Problem(self.path, line, f"{module.PRODUCT} tag {tag!r}: {error.reason}")
            )
            return
        self.findings.append(Finding(product, self.path, line, column, text, version, place, note))


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
                walker.walk(document, _document_name(document, number), ())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        reason = getattr(error, "problem", None) or str(error)
        found.problems.append(Problem(found.path, line, f"not valid YAML ({reason})"))
    except RecursionError:  # both PyYAML and the walk recurse: a hostile file, not a manifest
        found.problems.append(Problem(found.path, None, "nested too deeply to be a manifest"))
    return True


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


class _Lines:
    """1-based lines and columns of a text, counted at "\n" as git and code scanning count them.

    PyYAML's marks count a lone "\r", "\x85", U+2028 and U+2029 as line breaks too: in a text
    that has one, the place is worked out from the mark's offset instead.
    """

    _OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")

    def __init__(self, text: str) -> None:
        self.newlines: list[int] | None = None
        if self._OTHER_BREAKS.search(text):
            self.newlines = [match.start() for match in re.finditer("\n", text)]

    def at(self, mark: Any) -> tuple[int, int]:
        if self.newlines is None:
            return mark.line + 1, mark.column + 1
        line = bisect.bisect_left(self.newlines, mark.index)
        start = self.newlines[line - 1] + 1 if line else 0
        return line + 1, mark.index - start + 1


class _YamlWalker:
    """Walks composed YAML nodes, which keep their positions, once each (an anchor used twice
    is one place to edit; a recursive one would never end)."""

    def __init__(self, found: _Collector, text: str) -> None:
        self.found = found
        self.lines = _Lines(text)
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
            self._scalar(node, _place(document, trail))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                # Named items keep their place when the list is reordered.
                name = _scalar(_mapping(item).get("name")) or _object_name(item)
                self.walk(item, document, (*trail, f"[{name}]" if name else f"[{index}]"))
        elif isinstance(node, yaml.MappingNode):
            fields = _mapping(node)
            self._helm_image(fields, document, trail)
            self._ydb_operator_object(fields, node, document, trail)
            for key, value in fields.items():
                self.walk(value, document, (*trail, key))

    def _scalar(self, node: Any, place: str) -> None:
        if node.tag != "tag:yaml.org,2002:str" or "\n" in node.value:
            return
        line, column = self._start(node)
        for number, match in enumerate(_IMAGE.finditer(node.value), start=1):
            self.found.image(match, line, column, place if number == 1 else f"{place} #{number}")

    def _helm_image(self, fields: dict[str, Any], document: str, trail: tuple[str, ...]) -> None:
        # Helm charts split the reference: image: {repository: cr.yandex/.../ydb, tag: 24.4.4.12}
        repository, tag = _scalar(fields.get("repository")), fields.get("tag")
        text = _scalar(tag)
        if repository is None or text is None:
            return
        product = _PRODUCT_OF_REPOSITORY.get(repository.rsplit("/", 1)[-1])
        if product is not None:
            self.seen.add(id(tag))
            self.found.tag(product, text, *self._start(tag), _place(document, (*trail, "tag")))

    def _ydb_operator_object(
        self, fields: dict[str, Any], node: Any, document: str, trail: tuple[str, ...]
    ) -> None:
        # The YDB operator runs spec.image.name, else its image at spec.version, else at its
        # default tag: the last two are versions that no image reference shows.
        api = _scalar(fields.get("apiVersion")) or ""
        kind = _scalar(fields.get("kind"))
        if kind not in YDB_OPERATOR_KINDS or not api.startswith("ydb.tech/"):
            return
        spec = _mapping(fields.get("spec"))
        if _scalar(_mapping(spec.get("image")).get("name")):
            return
        version = spec.get("version")
        place = _place(document, (*trail, "spec", "version"))
        text = _scalar(version)
        if text:
            self.seen.add(id(version))
            self.found.tag("ydb", text, *self._start(version), place)
            return
        note = (
            f"{document} names neither spec.image.name nor spec.version: the YDB operator runs "
            f"its default tag {OPERATOR_DEFAULT_TAG}"
        )
        self.found.tag("ydb", OPERATOR_DEFAULT_TAG, *self.lines.at(node.start_mark), place, note)


def _place(document: str, trail: tuple[str, ...]) -> str:
    path = ".".join(trail).replace(".[", "[")  # containers[ydb].image
    return f"{document} {path}" if path else document


def _text(raw: bytes) -> str | None:
    if b"\0" in raw[:8192]:
        return None
    return raw.decode("utf-8", errors="replace").removeprefix("\ufeff")


def _files(paths: Iterable[str | os.PathLike[str]], problems: list[Problem]) -> Iterator[Path]:
    """The files under *paths*, in order; what cannot be looked at is added to *problems*."""
    for given in paths:
        path = Path(given)
        try:
            is_folder = stat.S_ISDIR(path.stat().st_mode)
        except FileNotFoundError:
            raise FileNotFoundError(errno.ENOENT, "no such file or folder", str(path)) from None
        except OSError as error:
            problems.append(_unreadable(path, error))
            continue
        if is_folder:
            listed = _git_files(path)
            yield from sorted(listed if listed is not None else _walk(path, problems))
        else:
            yield path


def _git_files(folder: Path) -> list[Path] | None:
    """The files git would track under *folder* (tracked, or new and not ignored); None where
    *folder* is not in a git work tree, or git is not installed."""
    try:
        listed = subprocess.run(
            [
                "git",
                "-C",
                str(folder),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None  # fmt: skip
    names = [name for name in listed.decode("utf-8", "surrogateescape").split("\0") if name]
    return [folder / name for name in names if _taken(folder / name)]


def _walk(folder: Path, problems: list[Problem]) -> Iterator[Path]:
    """The regular files under *folder*, as git lists them: no pipe, socket or device; a folder
    that cannot be listed is added to *problems*, not silently left out."""

    def unlisted(error: OSError) -> None:
        problems.append(_unreadable(Path(error.filename or folder), error))

    for root, folders, files in os.walk(folder, onerror=unlisted):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            path = Path(root) / name
            if _taken(path):
                yield path


def _taken(path: Path) -> bool:
    """Whether a scan takes *path* up: a regular file, or one it cannot even look at, which the
    scan then names as a problem (a CI gate must not pass over what it could not read)."""
    try:
        return path.is_file()
    except OSError:
        return True


def _unreadable(path: Path, error: OSError) -> Problem:
    return Problem(path.as_posix(), None, f"cannot be read ({error.strerror or error})")


def scan_revision(current: Scan, revision: str) -> Scan:
    """The same files as *current* at the git *revision* (read with ``git show``, no checkout);
    a file that did not exist then has no findings. ValueError for an unknown revision."""
    if revision.startswith("-") or not revision.strip():
        raise ValueError(f"{revision!r} is not a git revision")  # never an option to git
    if not current.files:
        return Scan((), (), ())
    top = _git(["rev-parse", "--show-toplevel"], Path(current.files[0]).parent or Path("."))
    if top is None:
        raise ValueError(f"{current.files[0]} is not in a git work tree: --against needs git")
    root = Path(top.decode().strip())
    if _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root) is None:
        if revision == "HEAD":
            return Scan((), (), ())  # a repository before its first commit: nothing was there
        raise ValueError(f"git knows no revision {revision!r}")
    sizes = _blob_sizes(root, revision)
    findings: list[Finding] = []
    problems: list[Problem] = []
    files = []
    for name in current.files:
        relative = Path(os.path.relpath(Path(name).resolve(), root.resolve())).as_posix()
        if relative not in sizes:
            continue  # not there then
        if sizes[relative] > MAX_FILE_SIZE:
            message = f"at {revision}: over {MAX_FILE_SIZE // 2**20} MiB: not read"
            problems.append(Problem(name, None, message))
            continue
        old = _git(["show", f"{revision}:{relative}"], root)
        text = None if old is None else _text(old)
        if text is None:
            continue
        files.append(name)
        found, trouble = scan_text(text, name)
        findings += found
        problems += (problem._replace(message=f"at {revision}: {problem.message}")
                     for problem in trouble)  # fmt: skip
    return Scan(tuple(findings), tuple(problems), tuple(files))


def _blob_sizes(root: Path, revision: str) -> dict[str, int]:
    """The size of every file at *revision*, by its path from *root*, in one call to git: a
    file that was huge then is not read into memory, as it is not now."""
    listing = _git(["ls-tree", "-r", "-l", "-z", "--full-tree", revision], root) or b""
    sizes = {}
    for record in listing.split(b"\0"):
        meta, tab, path = record.partition(b"\t")
        if tab:  # "<mode> <type> <object> <size>", the size "-" for a submodule
            size = meta.split()[3]
            sizes[path.decode("utf-8", "surrogateescape")] = int(size) if size.isdigit() else 0
    return sizes


def _git(arguments: list[str], folder: Path) -> bytes | None:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *arguments], capture_output=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def judge_changes(before: Scan, after: Scan, *, releases: Releases = None) -> tuple[Move, ...]:
    """Each version of *after* that differs from the version at the same place of *before*,
    judged by its product's rules as a move from the old version to the new one.

    >>> def one(text):
    ...     return Scan(*scan_text(text, "Dockerfile"), ("Dockerfile",))
    >>> (move,) = judge_changes(one("FROM ydb:24.4.4.12"), one("FROM ydb:25.2.1.26"))
    >>> move.finding.line, move.verdict.rule
    (1, 'skips-major')
    """
    old = {(f.path, f.product, f.place): f.version for f in before.findings}
    moves = []
    for finding in after.findings:
        was = old.get((finding.path, finding.product, finding.place))
        if was is not None and was != finding.version:
            moves.append(_judged(finding, was, finding.version, releases))
    return tuple(moves)


def judge_target(
    after: Scan,
    targets: Mapping[str, Any],
    *,
    releases: Releases = None,
) -> tuple[Move, ...]:
    """Each version of *after* judged as a move to the planned target of its product
    (``{"ydb": "25.1.4.18"}``: a Version or its text); a product without a target is left out.

    >>> found = Scan(*scan_text("ravendb/ravendb:5.4.110 ydb:24.4.4.12", "a.txt"), ("a.txt",))
    >>> [(m.finding.product, m.verdict.rule) for m in judge_target(found, {"ydb": "25.1.4.18"})]
    [('ydb', 'next-major')]
    """
    goals = {product: package(product).as_version(target) for product, target in targets.items()}
    return tuple(
        _judged(finding, finding.version, goals[finding.product], releases)
        for finding in after.findings
        if finding.product in goals
    )


def _judged(finding: Finding, before: Any, after: Any, releases: Releases) -> Move:
    if finding.product == "ydb":
        verdict = ydb.check_upgrade(before, after, releases=releases)
    else:
        verdict = ravendb.check_upgrade(before, after)
    return Move(finding, before, after, verdict)
