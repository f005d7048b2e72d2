"""What YDB's own binaries decide, beside what its documentation says: whether two builds run
together as nodes of one cluster, and whether a build reads the data another wrote.

YDB checks both itself (``CheckCompatibility`` in ``ydb/core/driver_lib/version/version.cpp``):

1. a rule a branch declares (``ydb/apps/version/version_definition.cpp``) that matches the other
   build and forbids it refuses at once;
2. else a rule that matches and permits accepts, across a year too;
3. else the default rule: two releases of the same year whose majors are at most one apart, or
   two development builds; never a release beside a development build. Minor, patch and hotfix
   are never compared.

Between nodes, each binary's rules for the other count (``CanConnectTo``): either one's permit
suffices. For data, the reader's rules for the writer count (``CanLoadFrom``), and the rules the
writer stored with its data for the reader (``StoresReadableBy``). The declarations dbcompat has
read are in ``compatibility.csv``, each with its source. A branch whose declarations it has not
read may permit a move across a year: such a pair is unknown (``compatible`` is None), and the
documentation decides.

>>> from dbcompat import ydb
>>> check_nodes(ydb.parse("24.3.11.13"), ydb.parse("24.4.4.12")).compatible
True
>>> answer = check_nodes(ydb.parse("25.4.1.15"), ydb.parse("26.1.1.22"))
>>> answer.compatible, answer.source.split()[0]
(True, 'ydb-platform/ydb')
>>> check_nodes(ydb.parse("22.2.47"), ydb.parse("22.4.21")).compatible
False
>>> check_nodes(ydb.parse("23.4.11"), ydb.parse("24.1.18")).compatible is None
True
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from .._value import by_key
from ..answers import BinaryAnswer, least_sure
from .catalog import MajorLine, line_name
from .version import Version

__all__ = [
    "BinaryAnswer",
    "Declarations",
    "Declared",
    "check_data",
    "check_move",
    "check_nodes",
    "check_together",
]

OLD_FORMAT = (23, 2)
"""The last major whose nodes checked each other only by the old format: a tag and the tags it
accepts (``stable-23-2`` accepting ``stable-23-1`` and ``stable-23-2``, in the branch's
``ydb/core/driver_lib/version/version.cpp``); a major up to it may accept tags dbcompat has not
read."""

Bound = tuple[int, ...]
"""A limit of a declared rule: year, major and, where given, minor, patch and hotfix. A number
it leaves out matches any, as YDB compares versions."""


class Declared(NamedTuple):
    """One rule a branch declares: which check it applies to (``connect``: a node;
    ``load``: data the branch reads; ``readable``: the branch's data, for a reader), the versions
    it covers (None: no limit on that side), whether it forbids them, and where it was read."""

    branch: MajorLine
    check: str
    lower: Bound | None
    upper: Bound | None
    forbidden: bool
    source: str

    def covers(self, version: Version) -> bool:
        """Whether the rule's range holds *version*, both limits included."""
        numbers = _numbers(version)
        return (self.lower is None or _compare(numbers, self.lower) >= 0) and (
            self.upper is None or _compare(numbers, self.upper) <= 0
        )


class Declarations:
    """The rules each branch (its year and major) declares, and the sources of the branches
    whose declarations were read; a branch not among them is not known.

    >>> Declarations.default().known((24, 3)), Declarations.default().known((24, 4))
    (True, False)
    """

    def __init__(
        self, rules: Iterable[Declared], read: Mapping[MajorLine, str], *, complete: bool = False
    ) -> None:
        self._rules: dict[MajorLine, list[Declared]] = {}
        for rule in rules:
            self._rules.setdefault(rule.branch, []).append(rule)
        self._read = dict(read)
        self._complete = complete

    @classmethod
    def exactly(cls, rules: Iterable[Declared]) -> Declarations:
        """These rules, and none other on any branch: as in YDB's own unit tests.

        >>> Declarations.exactly([]).known((22, 3))
        True
        """
        return cls(rules, {}, complete=True)

    @classmethod
    @functools.cache
    def default(cls) -> Declarations:
        """The declarations embedded in the package (``compatibility.csv``)."""
        import csv
        import pkgutil

        data = pkgutil.get_data(__package__, "compatibility.csv")
        if data is None:
            raise FileNotFoundError(f"{__package__}: the embedded compatibility.csv is not read")
        rules, read = [], {}
        for row in csv.DictReader(data.decode("utf-8").splitlines()):
            branch = _line(row["branch"])
            read[branch] = row["source"]
            if row["check"]:
                limits = (_bound(row["lower"]), _bound(row["upper"]))
                forbidden = row["forbidden"] == "true"
                rules.append(Declared(branch, row["check"], *limits, forbidden, row["source"]))
        return cls(rules, read)

    def known(self, branch: MajorLine) -> bool:
        """Whether the declarations of *branch* were read (even where it declares nothing)."""
        return self._complete or branch in self._read or branch in self._rules

    def fine(self, branches: Iterable[MajorLine]) -> bool:
        """Whether any rule of *branches* names more than a year and a major, so that two
        builds of one major may be answered differently."""
        return any(
            len(limit) > 2
            for branch in branches
            for rule in self._rules.get(branch, [])
            for limit in (rule.lower, rule.upper)
            if limit is not None
        )

    def rules(self, version: Version | None, check: str) -> list[Declared]:
        """The rules the branch of *version* declares for *check*; none for a development
        build, whose rules dbcompat does not know."""
        if version is None:
            return []
        return [rule for rule in self._rules.get(version.line, []) if rule.check == check]


def check_nodes(
    a: Version | None, b: Version | None, *, declarations: Declarations | None = None
) -> BinaryAnswer:
    """Whether YDB nodes built as *a* and *b* (None: a development build) run together.

    >>> from dbcompat import ydb
    >>> check_nodes(None, ydb.parse("24.3.15.5")).reason
    'YDB never runs a release beside a development build.'
    """
    known = declarations or Declarations.default()
    rules = [(rule, b) for rule in known.rules(a, "connect")]
    rules += [(rule, a) for rule in known.rules(b, "connect")]
    return _decided(a, b, rules, known)


def check_data(
    reader: Version | None, writer: Version | None, *, declarations: Declarations | None = None
) -> BinaryAnswer:
    """Whether a YDB binary built as *reader* reads the data one built as *writer* wrote (None:
    a development build): what a rollback asks.

    >>> from dbcompat import ydb
    >>> check_data(ydb.parse("25.4.1.15"), ydb.parse("26.1.1.22")).compatible
    True
    """
    known = declarations or Declarations.default()
    rules = [(rule, writer) for rule in known.rules(reader, "load")]
    rules += [(rule, reader) for rule in known.rules(writer, "readable")]
    return _decided(reader, writer, rules, known)


def check_together(
    versions: Iterable[Version | None],
    *,
    majors: Mapping[MajorLine, Version] | None = None,
    declarations: Declarations | None = None,
) -> BinaryAnswer:
    """Whether YDB nodes built as *versions* (None: a development build) all run together: the
    least sure answer of any two of them, a refusal first. *majors*, where the caller has it
    (``Catalog.survey`` gives it), is one of the versions of each major they run.

    >>> from dbcompat import ydb
    >>> versions = [ydb.parse(text) for text in ("24.3.11.13", "24.4.4.12", "24.4.4.2")]
    >>> check_together(versions).compatible
    True
    >>> check_together([*versions, ydb.parse("25.1.4.18")]).reason
    "YDB's default rule does not cross a year (24.3 and 25.1), and neither declares the other."
    """
    known = declarations or Declarations.default()
    builds = list(versions)
    releases: list[Version] = [build for build in builds if build is not None]
    development = len(releases) < len(builds)
    if majors is None:
        majors = {version.line: version for version in releases}
    if not known.fine(majors):
        # Every rule these branches declare names majors only, and the default rule compares
        # majors only: one build of each major answers for all of it.
        releases = list(majors.values())
    members: list[Version | None] = [*sorted(set(releases), key=by_key)]
    if development:
        members.append(None)
    pairs = itertools.combinations(members, 2) if len(members) > 1 else [(members[0],) * 2]
    answers = (check_nodes(a, b, declarations=known) for a, b in pairs)
    return least_sure(answers)


def check_move(
    current: Version, target: Version, *, declarations: Declarations | None = None
) -> BinaryAnswer:
    """What YDB's binaries decide of a move from *current* to *target*: the two run side by
    side during the move, and a lower *target* reads the data *current* wrote. (Decided by
    dbcompat: the data carries the record of the binary that ran last, the current one; how far
    below a version installed earlier a rollback may go is the documentation's rule.)

    >>> from dbcompat import ydb
    >>> check_move(ydb.parse("25.2.1.26"), ydb.parse("25.1.4.18")).compatible
    True
    """
    known = declarations or Declarations.default()
    answers = [check_nodes(current, target, declarations=known)]
    if target < current:
        answers.append(check_data(target, current, declarations=known))
    return least_sure(answers)


def _decided(
    a: Version | None,
    b: Version | None,
    rules: Sequence[tuple[Declared, Version | None]],
    known: Declarations,
) -> BinaryAnswer:
    matching = [rule for rule, other in rules if other is not None and rule.covers(other)]
    for rule in matching:
        if rule.forbidden:
            return BinaryAnswer(False, f"YDB's {_named(rule)} forbids it.", rule.source)
    if matching:
        return BinaryAnswer(True, f"YDB's {_named(matching[0])} permits it.", matching[0].source)
    if a is None or b is None:
        if a is None and b is None:
            return BinaryAnswer(True, "YDB runs development builds together.")
        return BinaryAnswer(False, "YDB never runs a release beside a development build.")
    if a.line == b.line:
        return BinaryAnswer(True, f"YDB's default rule: both are {line_name(a.line)}.")
    names = " and ".join(map(line_name, sorted((a.line, b.line))))
    if a.year == b.year:
        if abs(a.major - b.major) <= 1:
            return BinaryAnswer(True, f"YDB's default rule: {names} are a year's majors at most "
                                "one apart.")  # fmt: skip
        return BinaryAnswer(False, f"YDB's default rule: {names} are majors more than one apart.")
    low, high = sorted((a.line, b.line))
    unread = [line for line in (low, high) if not known.known(line)]
    if unread:
        return BinaryAnswer(None, _unknown(low, high, unread))
    return BinaryAnswer(False, f"YDB's default rule does not cross a year ({names}), and "
                        "neither declares the other.")  # fmt: skip


def _unknown(a: MajorLine, b: MajorLine, unread: list[MajorLine]) -> str:
    """Why the binaries' answer for *a* beside *b* is unknown: what *unread* declare."""
    if len(unread) == 2:
        who = f"what {line_name(a)} and {line_name(b)} declare for each other"
    else:
        other = b if unread[0] == a else a
        who = f"what {line_name(unread[0])} declares for {line_name(other)}"
    reason = f"YDB's default rule does not cross a year, and {who} is unknown to dbcompat."
    old = [line for line in unread if line <= OLD_FORMAT]
    if len(old) == 2:
        reason += (
            f" Nodes of {line_name(a)} and {line_name(b)} checked each other by the old format "
            "(a tag, and the tags each accepts), and which tags they accepted is unknown to "
            "dbcompat too."
        )
    elif old:
        reason += (
            f" Nodes of {line_name(old[0])} checked other nodes by the old format (a tag, and the "
            f"tags it accepts), and which tags {line_name(old[0])} accepted is unknown to "
            "dbcompat too."
        )
    return reason


def _named(rule: Declared) -> str:
    limits = "-".join("*" if limit is None else ".".join(map(str, limit))
                      for limit in (rule.lower, rule.upper))  # fmt: skip
    return f"{line_name(rule.branch)} declaration [{limits}]"


def _numbers(version: Version) -> tuple[int, ...]:
    """The numbers YDB compares, year first, up to the first one *version* leaves out."""
    numbers = []
    for number in (version.year, version.major, version.minor, version.patch, version.hotfix):
        if number is None:
            break
        numbers.append(number)
    return tuple(numbers)


def _compare(numbers: tuple[int, ...], bound: Bound) -> int:
    """-1, 0 or 1 as *numbers* stand before, within or after *bound*, as YDB compares: a number
    either side leaves out matches any."""
    for mine, theirs in zip(numbers, bound, strict=False):
        if mine != theirs:
            return -1 if mine < theirs else 1
    return 0


def _line(text: str) -> MajorLine:
    year, major = (int(part) for part in text.split("."))
    return (year, major)


def _bound(text: str) -> Bound | None:
    return tuple(int(part) for part in text.split(".")) if text else None
