"""The parsers of every grammar, and the strings the reading tests try on them: what each
grammar generates, and those strings edited a little (most of them no longer valid)."""

from __future__ import annotations

import functools

from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from dbcompat.ravendb.parser import _READER as RAVENDB
from dbcompat.reading.explain import build_lark
from dbcompat.ydb.parser import _LENIENT, _STRICT

PARSERS = {"ydb_version": _STRICT, "ydb_release": _LENIENT, "ravendb_version": RAVENDB}


@functools.cache
def grammar_strings(name):
    parser = PARSERS[name]
    return from_lark(
        build_lark(parser.grammar.grammar, parser.grammar.start), start=parser.grammar.start
    )


@functools.cache
def mutated(strings):
    edits = st.tuples(
        st.sampled_from(["insert", "delete", "replace"]),
        st.integers(0, 40),
        st.sampled_from(list("0123456789.-vrcstlaeiphn_ \n٣")),
    )

    def apply(text, edit_list):
        for kind, where, char in edit_list:
            where = where % (len(text) + 1)
            if kind == "insert":
                text = text[:where] + char + text[where:]
            elif kind == "delete":
                text = text[:where] + text[where + 1 :]
            else:
                text = text[:where] + char + text[where + 1 :]
        return text

    return st.builds(apply, strings, st.lists(edits, min_size=1, max_size=3))
