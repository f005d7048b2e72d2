"""The files a scan reads: a folder walked as git lists it, each file read within a size cap,
and the same files at another git revision (``git show``, no checkout).

The repository is the boundary: a symbolic link is never followed (git stores it as a link, and
a target inside the repository is read at its own path), and the cap holds for the bytes read,
not for the size the file system claims (a ``/proc`` file claims none).
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import check_many
from .findings import Finding, Problem, Scan, text_of
from .texts import scan_text

__all__ = ["MAX_FILE_SIZE", "scan", "scan_revision"]

MAX_FILE_SIZE = 4 * 2**20
"""Larger files are not read: manifests are a few KB, and a huge file is a build artefact."""


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
            raw = _read(file)
        except _NotRead as refusal:
            problems.append(Problem(name, None, str(refusal)))
            continue
        except OSError as error:
            problems.append(_unreadable(file, error))
            continue
        text = text_of(raw)
        if text is None:
            continue  # a binary file names no version anyone edits
        files.append(name)
        found, trouble = scan_text(text, name)
        findings += found
        problems += trouble
    return Scan(tuple(findings), tuple(problems), tuple(files))


class _NotRead(Exception):
    """Why a file is not read, in a few words."""


def _read(file: Path) -> bytes:
    """The bytes of *file*, a regular file that is not a symbolic link, read up to the cap."""
    if stat.S_ISLNK(file.lstat().st_mode):
        raise _NotRead("a symbolic link: not followed")
    # O_NOFOLLOW closes the race with a link put in its place; O_NONBLOCK keeps a pipe from
    # blocking the open, and fstat then refuses it, as it refuses a device.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(file, flags | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise _NotRead("not a regular file: not read")
        raw = stream.read(MAX_FILE_SIZE + 1)
    if len(raw) > MAX_FILE_SIZE:
        raise _NotRead(f"over {MAX_FILE_SIZE // 2**20} MiB: not read")
    return raw


def _files(paths: Iterable[str | os.PathLike[str]], problems: list[Problem]) -> Iterator[Path]:
    """The files under *paths*, in order; what cannot be looked at is added to *problems*."""
    for given in paths:
        path = Path(given)
        try:
            is_folder = stat.S_ISDIR(path.lstat().st_mode)
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
    """Whether a scan takes *path* up: a regular file (never a symbolic link, whose target, if
    inside the repository, is taken at its own path), or one it cannot even look at, which the
    scan then names as a problem (a CI gate must not pass over what it could not read)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
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
        shallow = _git(["rev-parse", "--is-shallow-repository"], root) or b""
        if shallow.strip() == b"true":
            raise ValueError(
                f"git knows no revision {revision!r}: this clone is shallow, so it holds only "
                "the newest commits; fetch the history (in GitHub Actions, actions/checkout "
                "with fetch-depth: 0; elsewhere, git fetch --unshallow)"
            )
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
        text = None if old is None else text_of(old)
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
        if tab:  # "<mode> <type> <object> <size>"
            mode, kind, _, size = meta.split()
            if kind == b"blob" and mode in (b"100644", b"100755"):  # not a link, nor a submodule
                sizes[path.decode("utf-8", "surrogateescape")] = int(size)
    return sizes


def _git(arguments: list[str], folder: Path) -> bytes | None:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *arguments], capture_output=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
