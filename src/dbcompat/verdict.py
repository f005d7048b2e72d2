"""The answer every rule gives: allowed or not, why, and which rule decided. Shared by products."""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["Verdict"]


class Verdict:
    """The answer to "may I?": true when allowed, with a reason a person can act on.

    ``rule`` is a stable machine-readable id of the rule that decided (``"next-major"``,
    ``"skips-major"``, ...); ``notes`` carries what else is worth knowing, such as a documented
    risk or a version the release catalog does not list. Immutable; equal when all four are.

    >>> verdict = Verdict(False, "Update to 25.2 first.", "skips-major")
    >>> bool(verdict), verdict.rule
    (False, 'skips-major')
    """

    # A plain class rather than a dataclass: importing dataclasses costs more than reading a
    # version, and `from dbcompat import ydb` should start fast.
    __slots__ = ("allowed", "notes", "reason", "rule")

    allowed: bool
    reason: str
    rule: str
    notes: tuple[str, ...]

    def __init__(self, allowed: bool, reason: str, rule: str, notes: tuple[str, ...] = ()) -> None:
        if not reason or not rule:
            raise ValueError("a verdict needs a reason and a rule")
        for name, value in (("allowed", bool(allowed)), ("reason", reason), ("rule", rule)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "notes", tuple(notes))

    def __bool__(self) -> bool:
        return self.allowed

    def _fields(self) -> tuple[bool, str, str, tuple[str, ...]]:
        return (self.allowed, self.reason, self.rule, self.notes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Verdict):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"Verdict(allowed={self.allowed!r}, reason={self.reason!r}, rule={self.rule!r}, "
            f"notes={self.notes!r})"
        )

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"Verdict is immutable: cannot set {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Verdict, self._fields())

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
