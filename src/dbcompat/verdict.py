"""The answer every rule gives: allowed or not, why, and which rule decided. Shared by products."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Verdict"]


@dataclass(frozen=True)
class Verdict:
    """The answer to "may I?": true when allowed, with a reason a person can act on.

    ``rule`` is a stable machine-readable id of the rule that decided (``"next-major"``,
    ``"skips-major"``, ...); ``notes`` carries what else is worth knowing, such as a documented
    risk or a version the release catalog does not list.

    >>> verdict = Verdict(False, "Update to 25.2 first.", "skips-major")
    >>> bool(verdict), verdict.rule
    (False, 'skips-major')
    """

    allowed: bool
    reason: str
    rule: str
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.reason or not self.rule:
            raise ValueError("a verdict needs a reason and a rule")

    def __bool__(self) -> bool:
        return self.allowed

    def as_dict(self) -> dict[str, Any]:
        """The verdict as JSON-ready values.

        >>> Verdict(True, "Same major.", "same-major").as_dict()
        {'allowed': True, 'rule': 'same-major', 'reason': 'Same major.', 'notes': []}
        """
        return {
            "allowed": self.allowed,
            "rule": self.rule,
            "reason": self.reason,
            "notes": list(self.notes),
        }
