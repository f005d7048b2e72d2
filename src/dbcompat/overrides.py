"""A recorded, per-object override: the one refused move an object's owner allows, and why.

As peers offer (ECK's allow-downgrade annotation, Vertica's ``ignoreUpgradePath``, YDB's own
``suppress_compatibility_check``), an object may carry the annotation ``dbcompat.io/override``
naming the refusal it overrides, the move, and why::

    metadata:
      annotations:
        dbcompat.io/override: "skips-major 24.4.4.12 -> 25.2.1.26: restored from backup, INC-42"

The webhook and the scan honour it alike: that move, refused by that rule, is allowed, with a
warning naming the overridden rule, and logged. Nothing else is overridden, and once the object
has moved on, a left-over annotation overrides nothing.

>>> override = read_override("skips-major 24.4.4.12 -> 25.2.1.26: restored from backup")
>>> override.rule, override.before, override.after, override.why
('skips-major', '24.4.4.12', '25.2.1.26', 'restored from backup')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

from .answers import Rule, Verdict

__all__ = ["OVERRIDDEN", "OVERRIDE_ANNOTATION", "Override", "apply_override", "read_override"]

OVERRIDE_ANNOTATION = "dbcompat.io/override"
"""The annotation that records an override on the object it allows a move of."""

OVERRIDDEN = Rule("overridden", True, "A refusal the object's recorded override allows.")

_FORMAT = re.compile(
    r"\s*(?P<rule>[a-z0-9.-]+)\s+(?P<before>\S+)\s*->\s*(?P<after>\S+)\s*:\s*(?P<why>\S.*)"
)


class Override(NamedTuple):
    """The refusal an object's owner overrides: the rule, the move (as written), and why."""

    rule: str
    before: str
    after: str
    why: str


def read_override(text: str) -> Override:
    """The override *text* records: ``RULE FROM -> TO: WHY``. ValueError naming the expected
    form where it is not one (an override without its reason is none)."""
    if not isinstance(text, str):
        raise TypeError(f"an override must be a str, not {type(text).__name__}")
    match = _FORMAT.fullmatch(text)
    if match is None:
        raise ValueError(
            f"{OVERRIDE_ANNOTATION} {text!r} is not 'RULE FROM -> TO: WHY' "
            "(skips-major 24.4.4.12 -> 25.2.1.26: why)"
        )
    return Override(match["rule"], match["before"], match["after"], match["why"].strip())


def apply_override(
    verdict: Verdict,
    before: Any,
    after: Any,
    override: Override | None,
    read: Callable[[str], Any],
) -> Verdict:
    """*verdict* on the move from *before* to *after*, allowed where *override* names exactly
    its rule and that move (its versions read with *read*, as the product reads them); else
    *verdict* itself.

    >>> refused = Rule("skips-major", False, "Majors go one at a time.").verdict("Skips 25.1.")
    >>> override = read_override("skips-major 24.4.4.12 -> 25.2.1.26: INC-42")
    >>> apply_override(refused, "24.4.4.12", "25.2.1.26", override, str).rule
    'overridden'
    >>> apply_override(refused, "24.4.4.12", "25.3.1.27", override, str).rule
    'skips-major'
    """
    if override is None or verdict.allowed or override.rule != verdict.rule:
        return verdict
    try:
        same = (read(override.before), read(override.after)) == (
            read(str(before)),
            read(str(after)),
        )
    except ValueError:  # a version in the override that does not read: it names no move
        return verdict
    if not same:
        return verdict
    return OVERRIDDEN.verdict(
        f"Overridden ({verdict.rule}) by the object's {OVERRIDE_ANNOTATION}: {override.why}. "
        f"Refused without it: {verdict.reason}",
        verdict.notes,
        verdict.binaries,
    )
