"""The answers every product's rules give: a :class:`Verdict` to "may I?", a :class:`Plan` of
:class:`Step` s to "how?", and the :class:`Rule` table each verdict comes from.

All are immutable values, equal when their fields are, and convert to plain JSON-ready values with
``as_dict()``: the shape the command line prints lives here, once.

>>> rule = Rule("same-major", True, "Minor versions within one major are interchangeable.")
>>> verdict = rule.verdict("Both are 24.3.")
>>> bool(verdict), verdict.rule
(True, 'same-major')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple, NoReturn, overload

from .errors import check_many
from .words import go_on

__all__ = [
    "BinaryAnswer",
    "Example",
    "Guide",
    "Plan",
    "Rule",
    "Step",
    "Verdict",
    "combine",
    "least_sure",
    "rule_table",
]


class _Record:
    """An immutable value of named fields: equal, hashed and pickled by them."""

    # Plain classes rather than dataclasses: importing dataclasses costs more than reading a
    # version, and `from dbcompat import ydb` should start fast.
    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _assign(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={value!r}" for name, value in zip(self._fields, self._values(), strict=True)
        )
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self._values())

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")


class BinaryAnswer(NamedTuple):
    """What the product's own binaries decide of two builds, beside what its documentation
    says: compatible or not (None: unknown to dbcompat), why, the declaration that decided where
    one did, and whether the verdict that carries it followed it (it decided whether the
    verdict allows).

    >>> BinaryAnswer(True, "Same year, adjacent majors.").as_dict()["compatible"]
    True
    """

    compatible: bool | None
    reason: str
    source: str | None = None
    followed: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The answer as JSON-ready values."""
        return self._asdict()


class Verdict(_Record):
    """The answer to "may I?": true when allowed, with a reason a person can act on.

    ``rule`` is a stable machine-readable id of the rule that decided (``"next-major"``,
    ``"skips-major"``, ...); ``notes`` carries what else is worth knowing, such as a documented
    risk or a version the release catalog does not list. ``binaries`` is what the product's own
    binaries decide of the versions that would run together, where dbcompat knows how they
    decide (YDB), else None.

    >>> verdict = Verdict(False, "Update to 25.2 first.", "skips-major")
    >>> bool(verdict), verdict.rule
    (False, 'skips-major')
    """

    __slots__ = ("allowed", "binaries", "notes", "reason", "rule")
    _fields = ("allowed", "reason", "rule", "notes", "binaries")

    allowed: bool
    reason: str
    rule: str
    notes: tuple[str, ...]
    binaries: BinaryAnswer | None

    def __init__(
        self,
        allowed: bool,
        reason: str,
        rule: str,
        notes: Iterable[str] = (),
        binaries: BinaryAnswer | None = None,
    ) -> None:
        if not reason or not rule:
            raise ValueError("a verdict needs a reason and a rule")
        notes = tuple(check_many(notes, "notes", "an iterable of sentences"))
        self._assign(
            allowed=bool(allowed), reason=reason, rule=rule, notes=notes, binaries=binaries
        )

    def __bool__(self) -> bool:
        return self.allowed

    def replace(self, **changes: Any) -> Verdict:
        """This verdict with some fields changed, as ``dataclasses.replace`` makes one.

        >>> Verdict(True, "Same major.", "same-major").replace(notes=["Back up."]).notes
        ('Back up.',)
        """
        values = dict(zip(self._fields, self._values(), strict=True))
        return Verdict(**{**values, **changes})

    def as_dict(self) -> dict[str, Any]:
        """The verdict as JSON-ready values.

        >>> Verdict(True, "Same major.", "same-major").as_dict()["binaries"] is None
        True
        """
        return {
            "allowed": self.allowed,
            "rule": self.rule,
            "reason": self.reason,
            "notes": list(self.notes),
            "binaries": None if self.binaries is None else self.binaries.as_dict(),
        }


def combine(
    checks: list[tuple[str, Verdict]], allowed: str, refused: Callable[[int, int, str], str]
) -> Verdict:
    """One verdict for several labelled ones: allowed, saying *allowed*, when every one is;
    else decided by the first refusal, saying what *refused* says of the count refused, the
    total and the labels refused, then that refusal's reason, in lower case (the sentence goes
    on after a colon).

    >>> yes = Verdict(True, "Fine.", "same-major")
    >>> no = Verdict(False, "Skips 25.1.", "skips-major")
    >>> verdict = combine([("a", yes), ("b", no)], "All move.", lambda n, of, _: f"{n} of {of}")
    >>> verdict.reason
    '1 of 2: skips 25.1.'
    """
    if not checks:
        raise ValueError("nothing to combine")
    refusals = [(label, verdict) for label, verdict in checks if not verdict]
    if not refusals:
        notes = dict.fromkeys(note for _, verdict in checks for note in verdict.notes)
        answers = [verdict.binaries for _, verdict in checks if verdict.binaries is not None]
        return Verdict(
            True, allowed, checks[0][1].rule, notes, least_sure(answers) if answers else None
        )
    labels = ", ".join(label for label, _ in refusals[:5])
    if len(refusals) > 5:
        labels += f" and {len(refusals) - 5:,} more"
    first = refusals[0][1]
    summary = refused(len(refusals), len(checks), labels)
    reason = f"{summary}: {go_on(first.reason)}"
    return Verdict(False, reason, first.rule, first.notes, first.binaries)


def least_sure(answers: Iterable[BinaryAnswer]) -> BinaryAnswer:
    """The first refusal among *answers*, else the first unknown one, else the first.

    >>> least_sure([BinaryAnswer(True, "Yes."), BinaryAnswer(None, "Unknown.")]).reason
    'Unknown.'
    """
    ranked = {False: 0, None: 1, True: 2}
    return min(answers, key=lambda answer: ranked[answer.compatible])


class Rule(_Record):
    """One entry of a product's rule table: a stable id, whether it allows, and what it means."""

    __slots__ = ("allowed", "id", "meaning")
    _fields = ("id", "allowed", "meaning")

    id: str
    allowed: bool
    meaning: str

    def __init__(self, id: str, allowed: bool, meaning: str) -> None:
        self._assign(id=id, allowed=bool(allowed), meaning=meaning)

    def verdict(
        self, reason: str, notes: Iterable[str] = (), binaries: BinaryAnswer | None = None
    ) -> Verdict:
        """The verdict this rule gives, for *reason*."""
        return Verdict(self.allowed, reason, self.id, notes, binaries)


def rule_table(*rules: Rule) -> dict[str, Rule]:
    """A product's rules by id; an id given twice is a mistake.

    >>> sorted(rule_table(Rule("a", True, "A."), Rule("b", False, "B.")))
    ['a', 'b']
    """
    table = {rule.id: rule for rule in rules}
    if len(table) != len(rules):
        raise ValueError("rule ids must be unique")
    return table


class Step(_Record):
    """One move in a plan: *component* (the YDB cluster, a RavenDB server or a client's label)
    from one version to another, and why the step is there.

    ``required`` is false where the move is recommended but the old version keeps working;
    ``rollback`` is true where the move goes to a lower version; ``binaries`` is what the
    product's own binaries decide of the two versions, as a verdict carries it.
    """

    __slots__ = (
        "binaries",
        "component",
        "from_version",
        "reason",
        "required",
        "rollback",
        "to_version",
    )
    _fields = (
        "component",
        "from_version",
        "to_version",
        "required",
        "rollback",
        "reason",
        "binaries",
    )

    component: str
    from_version: Any
    to_version: Any
    required: bool
    rollback: bool
    reason: str
    binaries: BinaryAnswer | None

    def __init__(
        self,
        component: str,
        from_version: Any,
        to_version: Any,
        required: bool = True,
        rollback: bool = False,
        reason: str = "",
        binaries: BinaryAnswer | None = None,
    ) -> None:
        self._assign(
            component=component,
            from_version=from_version,
            to_version=to_version,
            required=bool(required),
            rollback=bool(rollback),
            reason=reason,
            binaries=binaries,
        )

    def as_dict(self) -> dict[str, Any]:
        """The step as JSON-ready values."""
        return {
            "component": self.component,
            "from_version": str(self.from_version),
            "to_version": str(self.to_version),
            "required": self.required,
            "rollback": self.rollback,
            "reason": self.reason,
            "binaries": None if self.binaries is None else self.binaries.as_dict(),
        }


class Plan(_Record):
    """The ordered steps of an upgrade; iterating a plan gives its steps.

    ``lockstep`` is true when every component must move together (a RavenDB server older than
    4.2 moving to a higher major); ``notes`` carries what else is worth knowing.

    >>> plan = Plan([Step("cluster", "24.3.11.13", "24.3.15.5", reason="last minor of 24.3")])
    >>> len(plan), plan.versions, plan[0].reason
    (1, ('24.3.15.5',), 'last minor of 24.3')
    """

    __slots__ = ("lockstep", "notes", "steps")
    _fields = ("steps", "lockstep", "notes")

    steps: tuple[Step, ...]
    lockstep: bool
    notes: tuple[str, ...]

    def __init__(
        self, steps: Iterable[Step], lockstep: bool = False, notes: Iterable[str] = ()
    ) -> None:
        self._assign(steps=tuple(steps), lockstep=bool(lockstep), notes=tuple(notes))

    @property
    def versions(self) -> tuple[Any, ...]:
        """The version each step moves to, in order: for YDB, the versions to install."""
        return tuple(step.to_version for step in self.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    @overload
    def __getitem__(self, index: int) -> Step: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Step, ...]: ...

    def __getitem__(self, index: int | slice) -> Step | tuple[Step, ...]:
        return self.steps[index]

    def as_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready values."""
        return {
            "lockstep": self.lockstep,
            "steps": [step.as_dict() for step in self.steps],
            "notes": list(self.notes),
        }


class Example(NamedTuple):
    """A call of a rules function that gives a verdict, shown as the Python that makes it.

    >>> def check(a, b):
    ...     return Verdict(a == b, "Same." if a == b else "Not the same.", "same")
    >>> example = Example("demo", check, ("1", "2"))
    >>> str(example), bool(example.verdict())
    ("demo.check('1', '2')", False)
    """

    module: str
    function: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: Mapping[str, Any] = {}

    def verdict(self) -> Verdict:
        """The verdict this example gives, computed now."""
        verdict = self.function(*self.args, **self.kwargs)
        if not isinstance(verdict, Verdict):
            raise TypeError(f"the example {self} gives no verdict")
        return verdict

    def __str__(self) -> str:
        words = [repr(arg) for arg in self.args]
        words += [f"{name}={value!r}" for name, value in self.kwargs.items()]
        return f"{self.module}.{self.function.__name__}({', '.join(words)})"


class Guide(NamedTuple):
    """What ``dbcompat explain`` says of a rule beyond its meaning: the documentation it
    enforces, quoted briefly (or what dbcompat decided where the documentation is silent), an
    allowed and a refused example (one of them decided by the rule itself), and what to do."""

    source: str
    allowed: Example
    refused: Example
    fix: str
