"""What every product's commands share: exit statuses, JSON output, and how a verdict is shown."""

from __future__ import annotations

import json
from typing import Any

from ..verdict import Verdict

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_NO",
    "EXIT_YES",
    "print_fields",
    "print_json",
    "report_verdict",
]

EXIT_YES = 0
EXIT_NO = 1
EXIT_BAD_INPUT = 2


def print_json(data: Any) -> None:
    """Print *data* as indented JSON on stdout."""
    print(json.dumps(data, indent=2))


def print_fields(fields: dict[str, Any], as_json: bool) -> int:
    """Print a version's components, one ``name: value`` a line or as JSON; exit status yes."""
    if as_json:
        print_json(fields)
    else:
        for name, value in fields.items():
            print(f"{name}: {'-' if value is None else value}")
    return EXIT_YES


def report_verdict(verdict: Verdict, as_json: bool, subject: str, context: dict[str, Any]) -> int:
    """Print *verdict* about *subject* (with *context* in JSON) and return the exit status."""
    if as_json:
        print_json({**context, **verdict.as_dict()})
    else:
        print(f"{subject}: {'allowed' if verdict else 'refused'} ({verdict.rule})")
        print(f"  {verdict.reason}")
        for note in verdict.notes:
            print(f"  note: {note}")
    return EXIT_YES if verdict else EXIT_NO
