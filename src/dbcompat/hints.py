"""What faces a person or a CI job adds to the library's words: a verdict or an error names the
library's own parameter where one would change the answer (``(candidates=True)``); the command
line, the scan's reports and the webhook name the flag instead, and after a refusal that a plan
gets around, the command that prints the plan, with the person's own flags.

>>> for_people("allow release candidates (candidates=True) to stop on one")
'allow release candidates (--candidates) to stop on one'
>>> plan_command("ydb", "24.3.11.13", "25.2.1.26", ["--releases", "mine.txt"])
'dbcompat ydb plan 24.3.11.13 25.2.1.26 --releases mine.txt'
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from importlib import import_module

from .answers import Verdict
from .floating import FLOATING_WARNED
from .overrides import OVERRIDDEN
from .products import package

__all__ = [
    "FLAGS",
    "WARNED",
    "for_people",
    "move_for_people",
    "plan_command",
    "verdict_for_people",
]

WARNED = frozenset({FLOATING_WARNED.id, OVERRIDDEN.id})
"""The rules that allow with a warning: a face that shows an allowed move says why (a kubectl
warning, a report's text)."""

FLAGS = {
    "(candidates=True)": "(--candidates)",
    "(releases=...)": "(--releases FILE: one version a line, optionally with its date)",
    "(history=...)": "(--history)",
    "(strict=False)": "(--lenient)",
    "(allow_downgrade=True)": "(--allow-downgrade)",
    "(floating='warn')": "(--floating warn)",
}
"""Each parameter as the library's words name it, and the flag that sets it."""


def for_people(text: str) -> str:
    """*text* with each parameter the library names replaced by its flag."""
    for parameter, flag in FLAGS.items():
        text = text.replace(parameter, flag)
    return text


def plan_command(product: str, current: object, target: object, flags: Iterable[str] = ()) -> str:
    """The command that prints the plan from *current* to *target*, with *flags* as given."""
    words = ["dbcompat", product, "plan", str(current), str(target), *flags]
    return shlex.join(words)


def verdict_for_people(verdict: Verdict, command: str | None = None) -> Verdict:
    """*verdict* in a person's words: each parameter its flag, and *command*, where given, the
    one to run next."""
    reason = for_people(verdict.reason)
    if command is not None:
        reason = f"{reason.rstrip('.')} ({command})."
    notes = [for_people(note) for note in verdict.notes]
    return verdict.replace(reason=reason, notes=notes)


def move_for_people(
    product: str, verdict: Verdict, before: object, after: object, flags: Iterable[str] = ()
) -> Verdict:
    """The *product*'s verdict on a move from *before* to *after*, in a person's words: after a
    verdict that a plan answers (``PLANNABLE`` of the product's rules), the command that prints
    the plan, with *flags*.

    >>> from dbcompat import ydb
    >>> verdict = ydb.check_upgrade("24.4.4.12", "25.2")
    >>> print(move_for_people("ydb", verdict, "24.4.4.12", "25.2").reason)
    Majors go one ... The plan: 25.1.4.18 -> 25.2.1.26 (dbcompat ydb plan 24.4.4.12 25.2).
    """
    planned = verdict.rule in import_module(f"{package(product).__name__}.rules").PLANNABLE
    command = plan_command(product, before, after, flags) if planned else None
    return verdict_for_people(verdict, command)
