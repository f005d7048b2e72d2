"""The YDB release catalog: which releases exist, and so which majors follow which.

The order of majors comes from the release history, not from arithmetic: ``24.4`` is followed by
``25.1``, and 2022 had no public ``22.1``. The default catalog is the open-source release history
embedded in the package (``releases.csv``).
"""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple, TypeAlias

from ..errors import InvalidCatalog, InvalidVersion, check_many
from .parser import as_version
from .version import PRODUCT, Version

__all__ = ["Catalog", "MajorLine", "Releases", "Survey", "as_catalog", "line_name"]

MajorLine = tuple[int, int]
"""(year, major): the name of a major release, ``(24, 3)`` for ``24.3``."""

Releases: TypeAlias = "Catalog | Iterable[Version | str] | os.PathLike[str] | None"
"""What the rules accept as ``releases=``: None for the embedded catalog, a Catalog, versions or
strings, or the path of a catalog file."""

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?")


MAX_CATALOG = 16 * 2**20
"""The largest release list read, in bytes: YDB's own history is a few kilobytes."""


def _csv_fields(line: str, where: str) -> list[str]:
    import csv

    try:
        return [field.strip() for field in next(csv.reader([line]), [])]
    except csv.Error as error:  # a field past the csv module's limit: bad input, not a traceback
        reason = f"not a CSV row: {error}"
        raise InvalidVersion(line.strip(), reason, product=PRODUCT, source=where) from None


def line_name(line: MajorLine) -> str:
    """A major line as people write it.

    >>> line_name((24, 3))
    '24.3'
    """
    return f"{line[0]:02d}.{line[1]}"


MAX_GAP = 16
"""The most missing majors filled in between two listed majors of a year: YDB has had at most
five majors a year, and a catalog that lists 24.1 and 24.999999 must not make a million."""


def _gaps(lines: Iterable[MajorLine]) -> Iterator[MajorLine]:
    """The majors missing between two listed majors of a year, at most ``MAX_GAP`` of them
    between any two (those keep the two far apart: a larger gap only counts no further).

    >>> sorted(_gaps([(22, 2), (22, 5), (23, 1)]))
    [(22, 3), (22, 4)]
    >>> len(list(_gaps([(24, 1), (24, 10**9)])))
    16
    """
    by_year: dict[int, list[int]] = {}
    for year, major in lines:
        by_year.setdefault(year, []).append(major)
    for year, majors in by_year.items():
        ordered = sorted(set(majors))
        for low, high in itertools.pairwise(ordered):
            for major in range(low + 1, min(high, low + 1 + MAX_GAP)):
                yield (year, major)


class Survey(NamedTuple):
    """What ``Catalog.survey`` finds in many versions: the majors (year, major) they run, each
    with one version of it, those that name a minor the catalog does not list, and the release
    candidates."""

    lines: dict[MajorLine, Version]
    unlisted: list[Version]
    candidates: list[Version]


class Catalog:
    """A set of known releases, with their dates where known.

    A version is listed when its numbers are: the release type never matters, so
    ``25.1.4.18-stable`` is the listed ``25.1.4.18``.

    >>> catalog = Catalog(["24.4.4.12", "25.1.4.7", "25.1.2.7-rc", "25.2.1.26"])
    >>> [line_name(line) for line in catalog.majors]
    ['24.4', '25.1', '25.2']
    >>> [line_name(line) for line in Catalog(["22.2.47", "22.4.44"]).majors]
    ['22.2', '22.3', '22.4']
    >>> catalog.last_minor((25, 1)), catalog.newest((25, 1))
    (4, <Version('25.1.4.7')>)
    >>> "25.1.4.7-stable" in catalog
    True
    """

    def __init__(
        self,
        releases: Iterable[Version | str],
        dates: Mapping[Version, str] | None = None,
        sources: Mapping[Version, str] | None = None,
    ) -> None:
        expected = "versions, a Catalog or a path (a pathlib.Path, or Catalog.from_file(name))"
        versions = sorted(set(map(as_version, check_many(releases, "releases", expected))))
        self._versions = tuple(versions)
        self._dates = dict(dates or {})
        self._sources = dict(sources or {})
        self._origins: dict[Version, str] = {}
        # A release is its four numbers: year, major, minor and patch.
        self._numbers = {version.release for version in versions}
        by_line: dict[MajorLine, list[Version]] = {}
        for version in versions:
            by_line.setdefault(version.line, []).append(version)
        self._by_line = {line: tuple(members) for line, members in by_line.items()}
        self.unpublished: frozenset[MajorLine] = frozenset(_gaps(by_line))
        """The majors that a year's numbering says existed between two listed ones, but that no
        listed release offers: ``22.3``, between ``22.2`` and ``22.4``."""
        self.majors: tuple[MajorLine, ...] = tuple(sorted({*by_line, *self.unpublished}))
        """Every major in the sequence, oldest first: those with a release in the catalog, and
        the unpublished ones within a year, since within a year majors go by their numbers
        (``22.2`` to ``22.4`` is two majors). Where a year ends is the catalog's to say."""
        self._position = {line: index for index, line in enumerate(self.majors)}

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Catalog:
        """A catalog read from a text file, in either of two formats:

        - one version a line, optionally followed by its date (``YYYY-MM-DD`` or ``YYYY-MM``);
          blank lines and ``#`` comments are ignored;
        - the CSV of dbcompat's own catalog, with its header ``version,date,source``.

        A UTF-8 byte order mark is fine. A bad line fails the whole load with InvalidVersion
        naming the file and line; one version given two different dates fails with
        InvalidCatalog naming both lines, and a file past ``MAX_CATALOG`` bytes (a device that
        never ends, such as ``/dev/zero``) with InvalidCatalog naming it.
        """
        name = os.path.basename(os.fspath(path))
        with open(path, "rb") as source:  # a pipe too: --releases <(curl ...)
            data = source.read(MAX_CATALOG + 1)
        if len(data) > MAX_CATALOG:
            raise InvalidCatalog(f"{name} is longer than {MAX_CATALOG:,} bytes: not a release list")
        return cls._from_lines(data.splitlines(), name)

    @classmethod
    @functools.cache
    def default(cls) -> Catalog:
        """The open-source release history embedded in dbcompat, read once."""
        import pkgutil  # not importlib.resources, which brings zipfile and tempfile: 10 ms

        data = pkgutil.get_data(__package__, "releases.csv")
        if data is None:  # a loader that cannot read data files
            raise FileNotFoundError(f"{__package__}: the embedded releases.csv is not readable")
        return cls._from_lines(data.splitlines(), "the embedded releases.csv")

    @classmethod
    def combine(cls, *catalogs: Catalog) -> Catalog:
        """One catalog of every release of *catalogs*; a version that two of them date
        differently fails with InvalidCatalog naming both.

        >>> mine = Catalog(["26.2.1.15"], {Version(26, 2, 1, 15): "2026-10-01"})
        >>> combined = Catalog.combine(Catalog(["26.2.1.14"]), mine)
        >>> [str(v) for v in combined], combined.date(Version(26, 2, 1, 15))
        (['26.2.1.14', '26.2.1.15'], '2026-10-01')
        """
        rows: list[tuple[Version, str | None, str | None, str]] = []
        for catalog in catalogs:
            rows += [
                (v, catalog.date(v), catalog.source(v), catalog._origins.get(v, repr(catalog)))
                for v in catalog
            ]
        return cls._from_rows(rows)

    @classmethod
    def _from_lines(cls, lines: list[bytes], name: str) -> Catalog:
        rows: list[tuple[Version, str | None, str | None, str]] = []
        is_csv = False
        for number, raw in enumerate(lines, start=1):
            where = f"{name}, line {number}"
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                text = raw.decode("utf-8", "replace")
                reason = f"not UTF-8 text (byte {error.start + 1})"
                raise InvalidVersion(text, reason, product=PRODUCT, source=where) from None
            if number == 1 and line.replace(" ", "").lower().startswith("version,date"):
                is_csv = True
                continue
            fields = _csv_fields(line, where) if is_csv else line.split("#", 1)[0].split()
            if not fields:
                continue
            try:
                version = as_version(fields[0])
            except InvalidVersion as error:
                raise error.located(where) from None
            date = fields[1] if len(fields) > 1 and fields[1] else None
            source = fields[2] if is_csv and len(fields) > 2 else None
            if (not is_csv and len(fields) > 2) or (date and not _DATE.fullmatch(date)):
                raise InvalidVersion(
                    line.strip(),
                    "expected a version, optionally followed by a date YYYY-MM-DD or YYYY-MM",
                    product=PRODUCT,
                    source=where,
                )
            rows.append((version, date, source, where))
        return cls._from_rows(rows)

    @classmethod
    def _from_rows(cls, rows: list[tuple[Version, str | None, str | None, str]]) -> Catalog:
        dates: dict[Version, str] = {}
        sources: dict[Version, str] = {}
        origins: dict[Version, str] = {}
        for version, date, source, where in rows:
            if date is not None:
                known = dates.setdefault(version, date)
                if known != date:
                    raise InvalidCatalog(
                        f"{version} is dated {known} in {origins[version]} but {date} in {where}"
                    )
                origins[version] = where
            origins.setdefault(version, where)
            if source is not None:
                sources.setdefault(version, source)
        catalog = cls([version for version, *_ in rows], dates, sources)
        catalog._origins = origins
        return catalog

    def __iter__(self) -> Iterator[Version]:
        return iter(self._versions)

    def __len__(self) -> int:
        return len(self._versions)

    def __contains__(self, version: object) -> bool:
        if isinstance(version, (str, Version)):
            return as_version(version).release in self._numbers
        return False

    def survey(self, versions: Iterable[Version]) -> Survey:
        """What judging *versions* together asks of each, in one pass over them: the majors
        they run, those that name a minor and that the catalog does not list (what
        ``version not in catalog`` says of each), and the release candidates, in their order.

        >>> catalog = Catalog(["24.3.15.5"])
        >>> survey = catalog.survey([Version(24, 3, 15, 5), Version(24, 3, 99), Version(25, 1)])
        >>> sorted(survey.lines), survey.unlisted
        ([(24, 3), (25, 1)], [<Version('24.3.99')>])
        """
        lines: dict[MajorLine, Version] = {}
        unlisted: list[Version] = []
        candidates: list[Version] = []
        for version in versions:  # a million versions visited once, not once a question
            release = version.release
            lines[release[:2]] = version
            if release[2] is not None and release not in self._numbers:
                unlisted.append(version)
            if version.release_candidate:
                candidates.append(version)
        return Survey(lines, unlisted, candidates)

    def unlisted(self, versions: Iterable[Version]) -> list[Version]:
        """Those of *versions* that name a minor and that the catalog does not list, in their
        order: what ``version not in catalog`` says of each, for many at once.

        >>> catalog = Catalog(["24.3.15.5"])
        >>> catalog.unlisted([Version(24, 3, 15, 5), Version(24, 3, 99), Version(24, 3)])
        [<Version('24.3.99')>]
        """
        return self.survey(versions).unlisted

    def __repr__(self) -> str:
        return f"<Catalog of {len(self)} YDB releases, {len(self.majors)} majors>"

    def date(self, version: Version) -> str | None:
        """The release date the catalog gives for *version*, if any."""
        return self._dates.get(version)

    def source(self, version: Version) -> str | None:
        """Where the catalog's row for *version* says the release was found, if it says."""
        return self._sources.get(version)

    def latest(self, *, candidates: bool = False) -> Version | None:
        """The newest final release of all (or release candidate, if asked for).

        >>> Catalog(["25.4.1.15", "26.1.1.22", "26.2.1.10-rc"]).latest()
        <Version('26.1.1.22')>
        """
        members = [v for v in self._versions if candidates or v.is_final]
        return members[-1] if members else None

    def newest_line(self, year: int, *, candidates: bool = False) -> MajorLine | None:
        """The newest major of the year *year* (two digits) with a final release (or a release
        candidate, if asked for).

        >>> Catalog(["25.3.1.27", "25.4.1.15", "25.5.1.1-rc"]).newest_line(25)
        (25, 4)
        """
        lines = [
            line
            for line in self.majors
            if line[0] == year and self.releases_of(line, candidates=candidates)
        ]
        return lines[-1] if lines else None

    def position(self, line: MajorLine) -> int | None:
        """Where *line* stands in the sequence of majors; None when the catalog does not list it."""
        return self._position.get(line)

    def distance(self, lower: MajorLine, upper: MajorLine) -> int:
        """How many majors *upper* stands above *lower* in the sequence; both must be listed.

        >>> Catalog(["24.3.15.5", "24.4.4.12", "25.1.4.18"]).distance((24, 3), (25, 1))
        2
        """
        low, high = self._position.get(lower), self._position.get(upper)
        if low is None or high is None:
            unknown = line_name(lower if low is None else upper)
            raise LookupError(f"the catalog lists no {unknown} release")
        return high - low

    def releases_of(self, line: MajorLine, *, candidates: bool = False) -> tuple[Version, ...]:
        """The releases of a major, oldest first; release candidates only if asked for."""
        members = self._by_line.get(line, ())
        return members if candidates else tuple(v for v in members if v.is_final)

    def last_minor(self, line: MajorLine, *, candidates: bool = False) -> int | None:
        """The highest minor among the final releases of *line* (and release candidates, if
        asked for): where the upgrades to the next major start."""
        members = self.releases_of(line, candidates=candidates)
        minors = [v.minor for v in members if v.minor is not None]
        return max(minors, default=None)

    def newest(self, line: MajorLine, *, candidates: bool = False) -> Version | None:
        """The newest final release of *line* (or release candidate, if asked for)."""
        members = self.releases_of(line, candidates=candidates)
        return members[-1] if members else None

    def newest_matching(self, version: Version, *, candidates: bool = False) -> Version | None:
        """The newest release that a partial *version* (``25.2``, ``25.2.1``) stands for.

        >>> Catalog(["25.2.1.23", "25.2.1.26", "25.3.1.27"]).newest_matching(Version(25, 2))
        <Version('25.2.1.26')>
        """
        matching = [
            release
            for release in self.releases_of(version.line, candidates=candidates)
            if version.minor in (None, release.minor)
        ]
        return matching[-1] if matching else None

    def is_last_minor(self, version: Version, *, candidates: bool = False) -> bool | None:
        """Whether *version* is on (or past) the last minor of its major; None where that is
        unknown: a partial version, or a major with no final release.

        >>> catalog = Catalog(["24.3.11.13", "24.3.15.5"])
        >>> catalog.is_last_minor(Version(24, 3, 15, 1)), catalog.is_last_minor(Version(24, 3))
        (True, None)
        """
        last = self.last_minor(version.line, candidates=candidates)
        if last is None or version.minor is None:
            return None
        return version.minor >= last


def as_catalog(releases: Releases) -> Catalog:
    """The catalog that a rule's ``releases=`` argument names."""
    if releases is None:
        return Catalog.default()
    if isinstance(releases, Catalog):
        return releases
    if isinstance(releases, os.PathLike):
        return Catalog.from_file(releases)
    return Catalog(releases)
