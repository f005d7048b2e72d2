"""A scan's findings and judged moves in the formats CI already reads: a JSON document, SARIF
2.1.0 for code scanning, JUnit XML for test reports, and Markdown for a pull-request comment.

>>> from dbcompat import scan
>>> found = scan.Scan(*scan.scan_text("FROM ydbplatform/local-ydb:24.3.11.13", "Dockerfile"), ())
>>> moves = scan.judge_target(found, {"ydb": "25.1.4.18"})
>>> [(m.verdict.rule, str(m.after)) for m in moves]
[('skips-major', '25.1.4.18')]
>>> sarif(found, moves)["runs"][0]["results"][0]["level"]
'error'
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from typing import Any

from . import __version__, ravendb, ydb
from .answers import Rule
from .scan import Finding, Move, Scan

__all__ = [
    "FOUND",
    "UNREADABLE",
    "all_rules",
    "as_document",
    "junit",
    "markdown",
    "product_name",
    "sarif",
    "status",
    "summary",
]

FOUND = Rule("version-found", True, "A version a file names, reported without a judgement.")
"""The rule of a finding reported without a move to judge (a scan without a target)."""

UNREADABLE = Rule("unreadable-file", False, "A file that could not be read, such as bad YAML.")
"""The rule of a file the scan could not read."""

_PRODUCTS = {"ydb": ydb, "ravendb": ravendb}


def all_rules() -> dict[str, tuple[str | None, Rule]]:
    """Every rule a report can name, by id, with its product's name (None for the scan's own)."""
    table: dict[str, tuple[str | None, Rule]] = {}
    for module in _PRODUCTS.values():
        table.update((rule.id, (module.PRODUCT, rule)) for rule in module.RULES.values())
    table.update((rule.id, (None, rule)) for rule in (FOUND, UNREADABLE))
    return table


def status(result: Scan, moves: Sequence[Move]) -> int:
    """The exit status of a scan: 1 when a move is refused, else 2 when a file could not be
    read, else 0."""
    if any(not move.verdict for move in moves):
        return 1
    return 2 if result.problems else 0


def summary(result: Scan, moves: Sequence[Move] | None) -> str:
    """One sentence on the scan: what it found and judged, and what it could not read."""
    text = f"{len(result.findings)} versions in {len(result.files)} files"
    if moves is not None:
        refused = [move for move in moves if not move.verdict]
        text += f"; {len(refused)} of {len(moves)} moves refused"
        if refused:
            first = refused[0].finding
            text += f", first at {first.path}:{first.line} ({refused[0].verdict.rule})"
    if result.problems:
        text += f"; {len(result.problems)} not read"
    return text + "."


def as_document(result: Scan, moves: Sequence[Move] | None) -> dict[str, Any]:
    """The scan as the JSON document ``dbcompat scan --json`` prints (schema ``scan``); *moves*
    is None when nothing was judged."""
    rules = all_rules()
    return {
        "kind": "scan",
        "allowed": None if moves is None else all(move.verdict for move in moves),
        "reason": summary(result, moves),
        "files": len(result.files),
        "findings": [_finding(finding) for finding in result.findings],
        "moves": [
            {
                **_finding(move.finding),
                "from": str(move.before),
                "to": str(move.after),
                **move.verdict.as_dict(),
                "help": rules[move.verdict.rule][1].meaning,
            }
            for move in moves or ()
        ],
        "problems": [problem._asdict() for problem in result.problems],
    }


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


def sarif(result: Scan, moves: Sequence[Move] | None) -> dict[str, Any]:
    """The scan as a SARIF 2.1.0 log: one rule per dbcompat rule, with its help; a result per
    judged move (an error when refused, a note when allowed), or per finding when nothing was
    judged, and per file that could not be read, each at its file, line and column."""
    rules = all_rules()
    ids = list(rules)
    results = []
    if moves is None:
        for finding in result.findings:
            text = f"{product_name(finding)} {finding.version} ({finding.place})"
            results.append(_result(FOUND.id, ids, "note", text, _at(finding)))
    for move in moves or ():
        finding, verdict = move.finding, move.verdict
        text = (
            f"{product_name(finding)} {move.before} -> {move.after} ({finding.place}): "
            f"{'allowed' if verdict else 'refused'}. {verdict.reason}"
        )
        level = "note" if verdict else "error"
        results.append(_result(verdict.rule, ids, level, text, _at(finding)))
    for problem in result.problems:
        text = f"{problem.path}: {problem.message}"
        results.append(
            _result(UNREADABLE.id, ids, "error", text, (problem.path, problem.line, None))
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dbcompat",
                        "version": __version__,
                        "rules": [_sarif_rule(rule, product) for product, rule in rules.values()],
                    }
                },
                "results": results,
            }
        ],
    }


def product_name(finding: Finding) -> str:
    """The name of the product of *finding*, as messages spell it (``YDB``, ``RavenDB``)."""
    return str(_PRODUCTS[finding.product].PRODUCT)


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
    where: tuple[str, int | None, int | None],
) -> dict[str, Any]:
    path, line, column = where
    region: dict[str, int] = {}
    if line is not None:
        region["startLine"] = line
    if column is not None:
        region["startColumn"] = column
    location: dict[str, Any] = {"artifactLocation": {"uri": path}}
    if region:
        location["region"] = region
    return {
        "ruleId": rule_id,
        "ruleIndex": ids.index(rule_id),
        "level": level,
        "message": {"text": text},
        "locations": [{"physicalLocation": location}],
    }


# XML 1.0 refuses these characters even as references: a hostile file name must not make the
# report unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit(result: Scan, moves: Sequence[Move] | None) -> str:
    """The scan as JUnit XML: one test case per judged move (a failure when refused), and one
    per file that could not be read (an error)."""
    suite = ElementTree.Element("testsuite", name="dbcompat scan")
    failures = errors = 0
    for move in moves or ():
        finding = move.finding
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=_xml_text(finding.path),
            name=_xml_text(
                f"{product_name(finding)} {move.before} -> {move.after} at {finding.place} "
                f"(line {finding.line})"
            ),
            file=_xml_text(finding.path),
            line=str(finding.line),
        )
        if not move.verdict:
            failures += 1
            failure = ElementTree.SubElement(
                case, "failure", message=_xml_text(move.verdict.reason), type=move.verdict.rule
            )
            failure.text = _xml_text("\n".join((move.verdict.reason, *move.verdict.notes)))
    for problem in result.problems:
        errors += 1
        case = ElementTree.SubElement(
            suite, "testcase", classname=_xml_text(problem.path), name=_xml_text("read the file")
        )
        ElementTree.SubElement(case, "error", message=_xml_text(problem.message), type="unreadable")
    tests = len(moves or ()) + len(result.problems)
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    root = ElementTree.Element(
        "testsuites", name="dbcompat", tests=str(tests), failures=str(failures), errors=str(errors)
    )
    root.append(suite)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _cell(text: str) -> str:
    """*text* safe in a Markdown table cell: one line, pipes and backticks escaped."""
    flat = " ".join(_xml_text(text).split())
    return flat.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")


def markdown(result: Scan, moves: Sequence[Move] | None) -> str:
    """The scan as Markdown for a pull-request comment: a headline, then a table of the judged
    moves (or of the versions found), then the files that could not be read."""
    lines = []
    if moves is None:
        lines.append(f"### dbcompat: {len(result.findings)} versions in {len(result.files)} files")
        lines += ["", "| file | product | version | where |", "|---|---|---|---|"]
        for finding in result.findings:
            lines.append(
                f"| {_cell(f'{finding.path}:{finding.line}')} | {product_name(finding)} | "
                f"{_cell(str(finding.version))} | {_cell(finding.place)} |"
            )
    else:
        refused = sum(1 for move in moves if not move.verdict)
        headline = f"{refused} of {len(moves)} moves refused" if refused else "every move allowed"
        lines.append(f"### dbcompat: {headline}" if moves else "### dbcompat: no version changes")
        if moves:
            lines += ["", "| | file | move | rule | why |", "|---|---|---|---|---|"]
        for move in moves:
            finding = move.finding
            mark = "✅" if move.verdict else "❌"
            lines.append(
                f"| {mark} | {_cell(f'{finding.path}:{finding.line}')} | "
                f"{product_name(finding)} {_cell(str(move.before))} → {_cell(str(move.after))} | "
                f"`{move.verdict.rule}` | {_cell(move.verdict.reason)} |"
            )
    if result.problems:
        lines += ["", "Not read:", ""]
        lines += [
            f"- {_cell(problem.path)}"
            + ("" if problem.line is None else f", line {problem.line}")
            + f": {_cell(problem.message)}"
            for problem in result.problems
        ]
    return "\n".join(lines) + "\n"
