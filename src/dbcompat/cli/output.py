"""Rendering what a command found, in one place: a command returns one of the results below, and
``main`` renders it as text for people, one JSON document (``--json``), or a report for CI
(SARIF, JUnit XML, Markdown), every verdict in a person's words; the exit status comes with it.

>>> printable("a\\x1b[31mred.txt")
'a\\\\x1b[31mred.txt'
>>> NamesShown("grammars", ["ydb_version"]).render("text")
ydb_version
0
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, Protocol

from ..answers import Plan, Verdict
from ..hints import for_people, verdict_for_people
from ..words import counted
from .contract import EXIT_NO, EXIT_YES

__all__ = [
    "FleetShown",
    "FoundShown",
    "NamesShown",
    "NoPlanShown",
    "PlanShown",
    "Printed",
    "ScanShown",
    "Shown",
    "VerdictShown",
    "VersionShown",
    "complain",
    "print_json",
    "print_report",
    "printable",
    "rule_help",
    "say",
    "say_reason",
    "verdict_fields",
]


class Shown(Protocol):
    """What a command returns: it prints itself in the format asked for, and gives the status."""

    def render(self, output: str) -> int: ...


def printable(text: str) -> str:
    """*text* with every character a terminal would act on escaped as Python writes it: a
    control character (``\\x1b``, ``\\n``), a format character (``\\u202e``), a separator."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def say(text: str) -> None:
    """Print one line of a result on stdout, whatever came from the input escaped."""
    print(printable(text))


def say_reason(reason: str, notes: Iterable[str]) -> None:
    """Print a verdict's *reason* and each of its *notes*, indented under its heading."""
    say(f"  {reason}")
    for note in notes:
        say(f"  note: {note}")


def complain(text: str) -> None:
    """Print one line of an error on stderr, whatever came from the input escaped."""
    print(printable(text), file=sys.stderr)


def print_json(data: Any) -> None:
    """Print *data* as one indented JSON document on stdout."""
    import json  # here: a command without --json starts without it

    print(json.dumps(data, indent=2))  # ensure_ascii: JSON escapes every control character


def print_report(
    output: str, items: Sequence[Any], problems: Sequence[Any] = (), name: str = "dbcompat"
) -> None:
    """Print *items* (``dbcompat.scan.reports.Item``) as SARIF, JUnit XML or Markdown."""
    from ..scan import reports  # only for these formats: it loads both products' rules

    if output == "sarif":
        import json

        print(json.dumps(reports.sarif(items, problems), indent=2, ensure_ascii=False))
    elif output == "junit":
        sys.stdout.write(reports.junit(items, problems, name))
    else:
        sys.stdout.write(reports.markdown(items, problems))


def rule_help(rule_id: str) -> str:
    """What the rule *rule_id* means, and where to read more: the help every verdict carries."""
    from ..products import rules

    known = rules().get(rule_id)
    meaning = "" if known is None else f"{known[1].meaning} "
    return f"{meaning}More: dbcompat explain {rule_id}"


def verdict_fields(verdict: Verdict) -> dict[str, Any]:
    """A verdict as its JSON document shows it: its fields and its rule's help."""
    return {**verdict.as_dict(), "help": rule_help(verdict.rule)}


def _status(verdict: Verdict) -> int:
    return EXIT_YES if verdict else EXIT_NO


class Printed(NamedTuple):
    """A report printed as it is written (a grammar file, a picture, a table): *text* and the
    *status*; for JSON, *document* where given; and in text, a *warning* on stderr."""

    text: str
    status: int = EXIT_YES
    document: dict[str, Any] | None = None
    warning: str | None = None

    def render(self, output: str) -> int:
        if output == "json" and self.document is not None:
            print_json(self.document)
            return self.status
        print(self.text, end="" if self.text.endswith("\n") or not self.text else "\n")
        if self.warning is not None:
            complain(self.warning)
        return self.status


class NamesShown(NamedTuple):
    """The names of what a command lists (the grammars, the schemas)."""

    of: str
    names: Sequence[str]

    def render(self, output: str) -> int:
        if output == "json":
            print_json({"kind": "names", "of": self.of, "names": list(self.names)})
        else:
            for name in self.names:
                say(name)
        return EXIT_YES


class VersionShown(NamedTuple):
    """A version read from *given*: its canonical string and every field."""

    product: str
    given: str
    version: Any

    def render(self, output: str) -> int:
        fields = self.version.as_dict()
        if output == "json":
            print_json({"kind": "version", "product": self.product, "input": self.given, **fields})
        else:
            for name, value in fields.items():
                say(f"{name}: {'-' if value is None else value}")
        return EXIT_YES


class VerdictShown(NamedTuple):
    """A *verdict* about *subject*. *document* holds what JSON shows beside it (the product, the
    command, the inputs); *checks* are the verdicts a combined one stands for, by label; and
    *command*, where given, is the one to run next."""

    verdict: Verdict
    subject: str
    document: dict[str, Any]
    checks: Sequence[tuple[str, Verdict]] = ()
    command: str | None = None

    def render(self, output: str) -> int:
        verdict = verdict_for_people(self.verdict, self.command)
        checks = [(label, verdict_for_people(each)) for label, each in self.checks]
        if output not in ("text", "json"):
            from ..scan.reports import verdict_items

            print_report(output, verdict_items(self.subject, verdict, checks))
        elif output == "json":
            body = {"kind": "verdict", **self.document, **verdict_fields(verdict)}
            if checks:
                body["checks"] = [{"label": label, **each.as_dict()} for label, each in checks]
            print_json(body)
        else:
            say(f"{self.subject}: {'allowed' if verdict else 'refused'} ({verdict.rule})")
            say_reason(verdict.reason, verdict.notes)
            for label, each in checks:
                say(f"  {label}: {'allowed' if each else 'refused'} ({each.rule}): {each.reason}")
        return _status(verdict)


class PlanShown(NamedTuple):
    """A *plan*, named by *subject*; *document* as for a verdict."""

    plan: Plan
    subject: str
    document: dict[str, Any]

    def render(self, output: str) -> int:
        plan = self.plan
        if output == "json":
            body = {"kind": "plan", **self.document, "allowed": True, "reason": None}
            print_json({**body, **plan.as_dict()})
            return EXIT_YES
        moves = [step for step in plan if step.from_version != step.to_version]
        say(f"{self.subject}: nothing to do." if not moves else f"{self.subject}, in order:")
        if plan.lockstep:
            say("  Lockstep: the server and all clients move to the new major together.")
        for number, step in enumerate(plan, start=1):
            if step.from_version == step.to_version:
                say(f"  {number}. {step.component}: {step.from_version} ({step.reason})")
                continue
            kind = ("required" if step.required else "recommended") + (
                " downgrade" if step.rollback else ""
            )
            move = f"{step.from_version} -> {step.to_version}"
            say(f"  {number}. {step.component}: {move} ({kind}; {step.reason})")
        for note in plan.notes:
            say(f"  note: {note}")
        return EXIT_YES


class NoPlanShown(NamedTuple):
    """Why no plan exists (a NoUpgradePath); *document* as for a verdict."""

    refusal: Exception
    document: dict[str, Any]

    def render(self, output: str) -> int:
        reason = for_people(str(self.refusal))
        if output == "json":
            body = {"kind": "plan", **self.document, "allowed": False, "reason": reason}
            print_json({**body, "lockstep": False, "steps": [], "notes": []})
        else:
            say(f"No plan: {reason.rstrip('.')}.")
        return EXIT_NO


class FoundShown(NamedTuple):
    """The versions of *product* that *find* finds in *lines* (``(file, number, line)``), printed
    as they are found; yes when it found something."""

    product: str
    lines: Iterator[tuple[str, int, str]]
    find: Callable[[str], Iterable[Any]]

    def render(self, output: str) -> int:
        found: list[dict[str, Any]] = []
        count = 0
        for label, number, line in self.lines:
            for each in self.find(line):
                count += 1
                text = line[each.start : each.end]
                if output != "json":
                    say(f"{label}:{number}:{each.start + 1}: {each.version} ({text})")
                    continue
                found.append(
                    {
                        "file": label,
                        "line": number,
                        "column": each.start + 1,
                        "text": text,
                        "version": str(each.version),
                    }
                )
        if output == "json":
            print_json({"kind": "found", "product": self.product, "count": count, "found": found})
        return EXIT_YES if count else EXIT_NO


class FleetShown(NamedTuple):
    """A fleet's judgement (``ydb.Fleet``): the summary first, then why, the notes, the counts
    and what was skipped; or the verdict document with the counts."""

    fleet: Any
    document: dict[str, Any]

    def render(self, output: str) -> int:
        fleet = self.fleet._replace(verdict=verdict_for_people(self.fleet.verdict))
        if output not in ("text", "json"):
            from ..scan.reports import verdict_items

            offenders = [
                (f"{label} runs {v}", fleet.verdict) for label, v in fleet.offenders[:1000]
            ]
            print_report(output, verdict_items(fleet.summary, fleet.verdict, offenders))
        elif output == "json":
            help_text = rule_help(fleet.verdict.rule)
            print_json({"kind": "verdict", **self.document, **fleet.as_dict(), "help": help_text})
        else:
            say(fleet.summary)
            say_reason(fleet.verdict.reason, fleet.verdict.notes)
            shown = list(fleet.versions)
            counts = ", ".join(f"{version} x{count:,}" for version, count in shown[:10])
            more = f" and {len(shown) - 10:,} more versions" if len(shown) > 10 else ""
            say(f"  versions: {counts}{more}")
            if fleet.development:
                builds = ", ".join(f"{b} x{len(n):,}" for b, n in fleet.development.items())
                say(f"  development builds: {builds}")
            if fleet.skipped:
                first = "; ".join(f"{s.where} ({s.label}): {s.reason}" for s in fleet.skipped[:3])
                skipped = counted(len(fleet.skipped), "invalid entry", "invalid entries")
                say(f"  skipped {skipped}: {first}")
        return _status(fleet.verdict)


class ScanShown(NamedTuple):
    """What ``dbcompat scan`` found (a ``dbcompat.scan.Scan``), and the moves it judged, if it
    judged any: findings or moves with their places, then what could not be read."""

    found: Any
    moves: Sequence[Any] | None
    clusters: Sequence[Any] = ()

    def render(self, output: str) -> int:
        from ..scan import reports  # here: the scan's reports load both products' rules

        found, moves, clusters = self.found, self.moves, self.clusters
        if output == "json":
            print_json(reports.as_document(found, moves, clusters))
        elif output != "text":
            items = reports.scan_items(found, moves, clusters)
            print_report(output, items, found.problems, "dbcompat scan")
        else:
            for finding in found.findings if moves is None else ():
                note = f" ({finding.note})" if finding.note else ""
                at = f"{finding.path}:{finding.line}:{finding.column}"
                name = reports.product_name(finding)
                say(f"{at}: {name} {finding.version} at {finding.place}{note}")
            for move in moves or ():
                finding, verdict = move.finding, move.verdict
                at = f"{finding.path}:{finding.line}:{finding.column}"
                say(
                    f"{at}: {reports.product_name(finding)} {reports.moved(move)} at "
                    f"{finding.place}: {'allowed' if verdict else 'refused'} ({verdict.rule})"
                )
                say_reason(verdict.reason, verdict.notes)
            for together in clusters:
                finding, verdict = together.findings[0], together.verdict
                at = f"{finding.path}:{finding.line}:{finding.column}"
                judged = f"{'allowed' if verdict else 'refused'} ({verdict.rule})"
                say(f"{at}: {reports.cluster_words(together)}: {judged}")
                say_reason(verdict.reason, verdict.notes)
            for problem in found.problems:
                line = "" if problem.line is None else f"{problem.line}:"
                say(f"{problem.path}:{line} not read: {problem.message}")
            say(reports.summary(found, moves, clusters))
        return reports.status(found, moves or (), clusters)
