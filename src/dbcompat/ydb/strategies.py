"""Hypothesis strategies for YDB versions, generated from the grammar files, for your own tests.

Needs hypothesis (``pip install hypothesis``); dbcompat itself does not.

>>> from hypothesis import given
>>> @given(versions())
... def test_round_trip(version):
...     assert parse(str(version)) == version
>>> test_round_trip()
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from ..reading.explain import build_lark
from ..reading.reader import MAX_VERSION_LENGTH
from .parser import parse
from .version import Version

__all__ = ["version_strings", "versions"]


@functools.cache
def version_strings(*, strict: bool = True) -> st.SearchStrategy[str]:
    """Strings of the documented grammar (or, with ``strict=False``, of every known spelling)."""
    grammar, start = ("ydb_version", "valid_version") if strict else ("ydb_release", "release")
    strings = from_lark(build_lark(grammar, start), start=start)
    # A development build (trunk, main.b7cfb36) has no version to generate.
    return strings.filter(
        lambda s: len(s) <= MAX_VERSION_LENGTH and not s.startswith(("trunk", "main"))
    )


def versions(*, strict: bool = True) -> st.SearchStrategy[Version]:
    """Versions read from ``version_strings(strict=strict)``."""
    return version_strings(strict=strict).map(lambda text: parse(text, strict=strict))
