"""One verdict from two authorities: YDB's documentation and YDB's own binaries.

The documentation says how to upgrade; the binaries' compatibility check (``version.cpp``) decides
what really runs together, and on a few questions the two part ways. A verdict carries both
(``Verdict.binaries``), and which one decided depends on the question:

- a move (``check_upgrade``, a plan's steps, a change of manifests) follows the documented path,
  and is refused if either refuses;
- a cluster's state (``check_cluster``, ``check_fleet``) is judged by what runs: the binaries
  decide, and a documented path not followed is a note.

Where dbcompat does not know the binaries' rule (a year boundary no declaration it has read
covers), the documentation decides, and a note says so.

>>> from dbcompat import ydb
>>> verdict = ydb.check_cluster(["24.3.11.13", "24.4.4.12"])
>>> verdict.rule, verdict.binaries.followed
('binaries-allow', True)
"""

from __future__ import annotations

from ..answers import BinaryAnswer, Rule, Verdict

__all__ = ["AGREEMENT_RULES", "judge_move", "judge_state"]

AGREEMENT_RULES = (
    Rule("binaries-allow", True, "YDB's own compatibility check runs these nodes together."),
    Rule("binaries-refuse", False, "YDB's own compatibility check refuses these builds together."),
)
_ALLOW, _REFUSE = AGREEMENT_RULES


def judge_move(documented: Verdict, answer: BinaryAnswer) -> Verdict:
    """A move: the documentation's verdict, refused too where the binaries refuse it."""
    if documented.allowed and answer.compatible is False:
        return _REFUSE.verdict(
            f"YDB's own compatibility check refuses it: {answer.reason}",
            (f"The documentation alone allows it: {documented.reason}", *documented.notes),
            answer._replace(followed=True),
        )
    notes = documented.notes
    if documented.allowed and answer.compatible is None:
        notes += (f"{answer.reason} The documentation decided.",)
    if not documented.allowed and answer.compatible:
        notes += (
            f"YDB's own binaries would run the two side by side ({answer.reason.rstrip('.')}); "
            "a move follows the documented path.",
        )
    return documented.replace(notes=notes, binaries=answer)


def judge_state(documented: Verdict, answer: BinaryAnswer) -> Verdict:
    """A cluster's state: the binaries' answer where known, else the documentation's verdict."""
    if answer.compatible is None:
        notes = (*documented.notes, f"{answer.reason} The documentation decided.")
        return documented.replace(notes=notes, binaries=answer)
    followed = answer._replace(followed=True)
    if answer.compatible == documented.allowed:
        return documented.replace(binaries=followed)
    if answer.compatible:
        reason = f"YDB's own compatibility check runs these nodes together: {answer.reason}"
        return _ALLOW.verdict(
            reason,
            (f"The documented path was not followed: {documented.reason}", *documented.notes),
            followed,
        )
    return _REFUSE.verdict(
        f"YDB's own compatibility check refuses these nodes together: {answer.reason}",
        (f"The documentation alone allows it: {documented.reason}", *documented.notes),
        followed,
    )
