"""Floating and vanished versions: one policy for every door that stops an upgrade.

A place that pins what runs (an image field, a Dockerfile's ``FROM``, an operator's version
field) either names a version or floats: a tag that names none (``latest``, ``nightly``,
``edge``), a digest only, no tag at all, or a development build (``trunk``, ``main``). What runs
there can change under the same text, so no rule can judge a move to it. The policy says what a
door does with such a place, new or one that named a version before:

- ``"refuse"`` (the default): refused, rule ``floating-version``;
- ``"warn"``: allowed, rule ``floating-version-warned``, the reason saying why;
- ``"ignore"``: not judged at all.

A development build is judged first by the product's own compatibility rule (YDB never runs one
beside a release); the policy may add a refusal, never lift one.

>>> verdict = judge_floating("24.4.4.12", Floating("latest", "the tag 'latest' names no version"))
>>> verdict.rule, verdict.allowed
('floating-version', False)
>>> print(verdict.reason)
It named 24.4.4.12, and now the tag 'latest' names no version: no rule can judge what will run \
there. Pin a version, or allow it with a warning (floating='warn').
"""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

from .answers import Rule, Verdict

__all__ = [
    "FLOATING",
    "FLOATING_WARNED",
    "POLICIES",
    "Floating",
    "FloatingPolicy",
    "check_policy",
    "judge_floating",
]

FloatingPolicy = Literal["refuse", "warn", "ignore"]
"""What a door does with a place that floats."""

POLICIES: tuple[str, ...] = get_args(FloatingPolicy)

FLOATING = Rule("floating-version", False, "A pinned place must name a version, not float.")
"""The refusal of a place that floats, under the default policy."""

FLOATING_WARNED = Rule("floating-version-warned", True, "A floating place, allowed by the policy.")
"""A place that floats, allowed with a warning (``floating="warn"``)."""


class Floating(NamedTuple):
    """What a pinned place holds where it names no version: the text as written (the tag, the
    digest, or empty for none), why it names no version, whether it is a development build, and
    the line it follows, where it follows one (``6.0-ubuntu-latest``: the newest 6.0 release).

    >>> str(Floating("", "the image 'ydb' has no tag"))
    'no tag'
    """

    text: str
    why: str
    development: bool = False
    line: str | None = None

    def __str__(self) -> str:
        return self.text or "no tag"

    @classmethod
    def development_build(cls, text: str) -> Floating:
        """A development build (``trunk``, ``main.b7cfb36``): what a place that pins it holds.

        >>> Floating.development_build("trunk").why
        "the tag 'trunk' is a development build, which has no version"
        """
        why = f"the tag {text!r} is a development build, which has no version"
        return cls(text, why, development=True)


def check_policy(policy: object) -> FloatingPolicy:
    """*policy* itself if it is one of ``POLICIES``; TypeError for a non-str, ValueError for
    another word.

    >>> check_policy("warn")
    'warn'
    """
    if not isinstance(policy, str):
        raise TypeError(f"floating must be a str, not {type(policy).__name__}")
    if policy not in POLICIES:
        raise ValueError(f"floating must be one of {', '.join(POLICIES)}, not {policy!r}")
    return policy  # type: ignore[return-value]


def judge_floating(
    before: object | None, after: Floating, policy: FloatingPolicy = "refuse"
) -> Verdict | None:
    """The verdict on a place that floats now, and named *before* (None: a new place, or one
    with no history); None where the policy ignores it."""
    if check_policy(policy) == "ignore":
        return None
    reason = f"{after.why}: no rule can judge what will run there."
    reason = (
        reason[0].upper() + reason[1:] if before is None else f"It named {before}, and now {reason}"
    )
    if policy == "warn":
        return FLOATING_WARNED.verdict(f"{reason} Allowed by the policy (floating='warn').")
    return FLOATING.verdict(
        f"{reason} Pin a version, or allow it with a warning (floating='warn')."
    )
