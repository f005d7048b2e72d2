"""A scan's findings and judged moves in the formats CI already reads: a JSON document, SARIF
2.1.0 for code scanning, JUnit XML for test reports, and Markdown for a pull-request comment.

>>> from dbcompat import scan
>>> found = scan.Scan(*scan.scan_text("FROM ydbplatform/local-ydb:24.3.11.13", "Dockerfile"), ())
>>> moves = scan.judge_target(found, {"ydb": "25.1.4.18"})
>>> [(m.verdict.rule, str(m.after)) for m in moves]
[('skips-major', '25.1.4.18')]
>>> sarif(scan_items(found, moves))["runs"][0]["results"][0]["level"]
'error'
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from typing import Any, NamedTuple
from urllib.parse import quote

from .. import __version__
from ..answers import Rule, Verdict
from ..floating import FLOATING, FLOATING_WARNED
from ..hints import WARNED
from ..overrides import OVERRIDDEN
from ..products import package, rules
from ..words import counted
from .clusters import Together
from .findings import Finding, Problem, Scan
from .moves import Move

__all__ = [
    "FOUND",
    "UNREADABLE",
    "Item",
    "all_rules",
    "as_document",
    "cell",
    "cluster_words",
    "headline",
    "junit",
    "junit_text",
    "markdown",
    "moved",
    "product_name",
    "sarif",
    "sarif_log",
    "scan_items",
    "status",
    "summary",
    "verdict_items",
    "xml_text",
]

FOUND = Rule("version-found", True, "A version a file names, reported without a judgement.")
"""The rule of a finding reported without a move to judge (a scan without a target)."""

UNREADABLE = Rule("unreadable-file", False, "A file that could not be read, such as bad YAML.")
"""The rule of a file the scan could not read."""


def all_rules() -> dict[str, tuple[str | None, Rule]]:
    """Every rule a report can name, by id, with its product's name (None for the scan's own)."""
    table: dict[str, tuple[str | None, Rule]] = {**rules()}
    shared = (FOUND, UNREADABLE, FLOATING, FLOATING_WARNED, OVERRIDDEN)
    table.update((rule.id, (None, rule)) for rule in shared)
    return table


def status(result: Scan, moves: Sequence[Move], clusters: Sequence[Together] = ()) -> int:
    """The exit status of a scan: 1 when a move or a cluster is refused, else 2 when a file
    could not be read, else 0."""
    verdicts = [move.verdict for move in moves] + [each.verdict for each in clusters]
    if not all(verdicts):
        return 1
    return 2 if result.problems else 0


def summary(result: Scan, moves: Sequence[Move] | None, clusters: Sequence[Together] = ()) -> str:
    """One sentence on the scan: what it found and judged, and what it could not read."""
    text = f"{counted(len(result.findings), 'version')} in {counted(len(result.files), 'file')}"
    if moves is not None:
        refused = [move for move in moves if not move.verdict]
        text += f"; {len(refused)} of {counted(len(moves), 'move')} refused"
        if refused:
            first = refused[0].finding
            text += f", first at {first.path}:{first.line} ({refused[0].verdict.rule})"
    if clusters:
        apart = [together for together in clusters if not together.verdict]
        text += f"; {len(apart)} of {counted(len(clusters), 'cluster')} refused"
        if apart:
            text += f", first {apart[0].what} ({apart[0].verdict.rule})"
    if result.problems:
        text += f"; {len(result.problems)} not read"
    return text + "."


def as_document(
    result: Scan, moves: Sequence[Move] | None, clusters: Sequence[Together] = ()
) -> dict[str, Any]:
    """The scan as the JSON document ``dbcompat scan --json`` prints (schema ``scan``); *moves*
    is None when no move was judged, and *clusters* the objects judged as one cluster."""
    rules = all_rules()
    judged = [move.verdict for move in moves or ()] + [each.verdict for each in clusters]
    return {
        "kind": "scan",
        "allowed": None if moves is None and not clusters else all(judged),
        "reason": summary(result, moves, clusters),
        "files": len(result.files),
        "findings": [_finding(finding) for finding in result.findings],
        "moves": [
            {
                **_finding(move.finding),
                "from": None if move.before is None else str(move.before),
                "to": str(move.after),
                **move.verdict.as_dict(),
                "help": rules[move.verdict.rule][1].meaning,
            }
            for move in moves or ()
        ],
        "clusters": [
            {
                "product": product_name(together.findings[0]),
                "what": together.what,
                "members": [_finding(finding) for finding in together.findings],
                **together.verdict.as_dict(),
                "help": rules[together.verdict.rule][1].meaning,
            }
            for together in clusters
        ],
        "problems": [problem._asdict() for problem in result.problems],
    }


def cluster_words(together: Together) -> str:
    """A cluster, in words: ``YDB cluster of Storage/s with Database/db (24.2.7, 23.3.17)``."""
    versions = ", ".join(str(finding.version) for finding in together.findings)
    return f"{product_name(together.findings[0])} cluster of {together.what} ({versions})"


def moved(move: Move) -> str:
    """What a move moves, in words: ``24.4.4.12 -> 25.1.4.18``, or for a place with no history
    (a new one that floats) what it names now."""
    return str(move.after) if move.before is None else f"{move.before} -> {move.after}"


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "product": product_name(finding),
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "place": finding.place,
        "version": str(finding.version),
        "note": finding.note,
    }


class Item(NamedTuple):
    """One line of a report: what it is about, the verdict on it (None for a version reported
    without a judgement), and where in a file it is, if it came from one (path, line, column)."""

    title: str
    verdict: Verdict | None
    where: tuple[str, int | None, int | None] | None = None

    @property
    def rule(self) -> str:
        return FOUND.id if self.verdict is None else self.verdict.rule


def scan_items(
    result: Scan, moves: Sequence[Move] | None, clusters: Sequence[Together] = ()
) -> list[Item]:
    """The items of a scan: a judged move each, or each finding when nothing was judged; then
    each cluster judged."""
    together = [
        Item(f"{cluster_words(each)}", each.verdict, _at(each.findings[0])) for each in clusters
    ]
    if moves is None:
        return [
            Item(f"{product_name(f)} {f.version} at {f.place}", None, _at(f))
            for f in result.findings
        ] + together
    return together + [
        Item(
            f"{product_name(move.finding)} {moved(move)} at {move.finding.place}",
            move.verdict,
            _at(move.finding),
        )
        for move in moves
    ]


def verdict_items(
    subject: str, verdict: Verdict, checks: Sequence[tuple[str, Verdict]] = ()
) -> list[Item]:
    """The items of a verdict: one per check it combines, else the verdict itself."""
    if checks:
        return [Item(f"{subject}: {label}", each) for label, each in checks]
    return [Item(subject, verdict)]


def sarif(items: Sequence[Item], problems: Sequence[Problem] = ()) -> dict[str, Any]:
    """A SARIF 2.1.0 log: one rule per dbcompat rule, with its help; a result per item (an
    error when refused, a note otherwise), at its file, line and column where it has them, and
    one per file that could not be read."""
    rules = all_rules()
    ids = list(rules)
    results = []
    for item in items:
        text = item.title
        if item.verdict is not None:
            text += f": {'allowed' if item.verdict else 'refused'}. {item.verdict.reason}"
        level = "error" if item.verdict is not None and not item.verdict else "note"
        results.append(_result(item.rule, ids, level, text, item.where))
    for problem in problems:
        text = f"{problem.path}: {problem.message}"
        where = (problem.path, problem.line, None)
        results.append(_result(UNREADABLE.id, ids, "error", text, where))
    return sarif_log([_sarif_rule(rule, product) for product, rule in rules.values()], results)


def sarif_log(
    rules: list[dict[str, Any]], results: list[dict[str, Any]], **run: Any
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of one run of dbcompat: its *rules*, its *results*, and any other
    property of the run (``invocations``)."""
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "dbcompat", "version": __version__, "rules": rules}},
                **run,
                "results": results,
            }
        ],
    }


def product_name(finding: Finding) -> str:
    """The name of the product of *finding*, as messages spell it (``YDB``, ``RavenDB``)."""
    return str(package(finding.product).PRODUCT)


def _sarif_rule(rule: Rule, product: str | None) -> dict[str, Any]:
    words = rule.id.replace(".", "-").split("-")
    return {
        "id": rule.id,
        "name": "".join(word[:1].upper() + word[1:] for word in words),
        "shortDescription": {"text": rule.meaning},
        "help": {"text": f"{rule.meaning} See: dbcompat explain {rule.id}"},
        "defaultConfiguration": {"level": "note" if rule.allowed else "error"},
        "properties": {"product": product, "allowed": rule.allowed},
    }


def _at(finding: Finding) -> tuple[str, int | None, int | None]:
    return (finding.path, finding.line, finding.column)


def _result(
    rule_id: str,
    ids: list[str],
    level: str,
    text: str,
    where: tuple[str, int | None, int | None] | None,
) -> dict[str, Any]:
    result = {"ruleId": rule_id, "ruleIndex": ids.index(rule_id), "level": level,
              "message": {"text": xml_text(text)}}  # fmt: skip
    if where is None:
        return result
    path, line, column = where
    region: dict[str, int] = {}
    if line is not None:
        region["startLine"] = line
    if column is not None:
        region["startColumn"] = column
    location: dict[str, Any] = {"artifactLocation": {"uri": _uri(path)}}
    if region:
        location["region"] = region
    return {**result, "locations": [{"physicalLocation": location}]}


# XML 1.0 refuses these characters even as references, and a terminal or a browser acts on the
# others (escape sequences, DEL, C1 controls): a hostile file name must not make a report
# unreadable or act on its reader.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """*text* with the control characters XML cannot hold (escapes, DEL, C1) replaced."""
    return _CONTROL.sub("\ufffd", text)


def _uri(path: str) -> str:
    """*path* as a relative URI reference: every byte outside the unreserved set and ``/``
    percent-encoded, so that a newline, an escape or a colon (a scheme) cannot ride in it."""
    return quote(path, safe="/")


def junit(items: Sequence[Item], problems: Sequence[Problem] = (), name: str = "dbcompat") -> str:
    """JUnit XML: one test case per judged item (a failure when refused), and one per file
    that could not be read (an error)."""
    judged = [item for item in items if item.verdict is not None]
    suite = ElementTree.Element("testsuite", name=name)
    failures = 0
    for item in judged:
        assert item.verdict is not None
        attributes = {"classname": item.where[0] if item.where else name, "name": item.title}
        if item.where is not None:
            attributes.update(file=item.where[0], line=str(item.where[1]))
        case = ElementTree.SubElement(
            suite, "testcase", {key: xml_text(value) for key, value in attributes.items()}
        )
        if item.verdict and item.verdict.rule in WARNED:  # allowed, with what it overrides
            output = ElementTree.SubElement(case, "system-out")
            output.text = xml_text(item.verdict.reason)
        if not item.verdict:
            failures += 1
            failure = ElementTree.SubElement(
                case, "failure", message=xml_text(item.verdict.reason), type=item.verdict.rule
            )
            failure.text = xml_text("\n".join((item.verdict.reason, *item.verdict.notes)))
    for problem in problems:
        case = ElementTree.SubElement(
            suite, "testcase", classname=xml_text(problem.path), name=xml_text("read the file")
        )
        ElementTree.SubElement(case, "error", message=xml_text(problem.message), type="unreadable")
    counts = {
        "tests": str(len(judged) + len(problems)),
        "failures": str(failures),
        "errors": str(len(problems)),
    }
    return junit_text(suite, counts)


def junit_text(suite: ElementTree.Element, counts: dict[str, str]) -> str:
    """The JUnit XML document of one *suite* and its *counts* (``tests``, ``failures``,
    ``errors``), which the suite and the ``testsuites`` around it both carry."""
    for key, value in counts.items():
        suite.set(key, value)
    root = ElementTree.Element("testsuites", {"name": suite.get("name", "dbcompat"), **counts})
    root.append(suite)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


_MARKUP = re.compile(r"([\\`*_{}\[\]<#+!|~&$])")
"""The characters that start Markdown markup (HTML, entities, links, images, emphasis, code,
math, a table's pipe); CommonMark lets a backslash make each a plain character. (``>`` starts
nothing inside a cell once ``<`` cannot open a tag.)"""


def cell(text: str) -> str:
    """*text* safe in a Markdown table cell: one line, and every character that could start
    markup backslash-escaped: no HTML, link, emphasis or pipe can come of a file name or a
    version text."""
    flat = " ".join(xml_text(text).split())
    return _MARKUP.sub(r"\\\1", flat)


def headline(items: Sequence[Item]) -> str:
    """What a report says first: how many of its judged items are refused."""
    judged = [item for item in items if item.verdict is not None]
    if not judged:
        return f"{counted(len(items), 'version')} found" if items else "nothing to judge"
    refused = sum(1 for item in judged if not item.verdict)
    return f"{refused} of {len(judged)} refused" if refused else "every move allowed"


def markdown(items: Sequence[Item], problems: Sequence[Problem] = ()) -> str:
    """Markdown for a pull-request comment: a headline, a table of the items, then the files
    that could not be read."""
    lines = [f"### dbcompat: {headline(items)}"]
    if items:
        lines += ["", "| | where | what | rule | why |", "|---|---|---|---|---|"]
    for item in items:
        verdict = item.verdict
        mark = "" if verdict is None else "✅" if verdict else "❌"
        where = "" if item.where is None else cell(f"{item.where[0]}:{item.where[1]}")
        why = "" if verdict is None else cell(verdict.reason)
        lines.append(f"| {mark} | {where} | {cell(item.title)} | `{item.rule}` | {why} |")
    if problems:
        lines += ["", "Not read:", ""]
        lines += [
            f"- {cell(problem.path)}"
            + ("" if problem.line is None else f", line {problem.line}")
            + f": {cell(problem.message)}"
            for problem in problems
        ]
    return "\n".join(lines) + "\n"
