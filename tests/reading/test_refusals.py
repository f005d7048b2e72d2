"""Why a grammar refuses a text: Lark, loaded from the serialized tables, says where and what it
expected there; only a refused text imports Lark."""

from __future__ import annotations

import ast
import functools
import itertools
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dbcompat import InvalidVersion
from dbcompat.reading import _lark_tables, explain
from tests.reading.helpers import PARSERS, grammar_strings, mutated


@functools.cache
def grammar_or_mutated(name):
    strings = grammar_strings(name)
    return st.one_of(strings, mutated(strings))


def assert_points_at_the_input(parser, text):
    try:
        parser.parse_with_lark(text)  # the text as it stands, not as a plain reading makes it
    except InvalidVersion as error:
        assert error.column is not None and 1 <= error.column <= len(text) + 1, text
        found = error.reason.rpartition(", found ")[2]
        # What stands there: a character, or the token the lexer read there, or the end.
        if found == "end of input":
            assert error.column == len(text) + 1, text
        else:
            assert text[error.column - 1 :].startswith(ast.literal_eval(found)), text
        assert error.reason.startswith("expected "), error.reason
        # What stands before the column is a start the grammar takes: the error is not earlier.
        refusal = explain.refusal(explain.load_lark(*parser.grammar[:2]), text[: error.column - 1])
        assert refusal is None or refusal.column == error.column, text


@pytest.mark.parametrize("name", PARSERS)
@given(data=st.data())
def test_grammar_and_mutated_strings_are_refused_where_they_go_wrong(name, data):
    assert_points_at_the_input(PARSERS[name], data.draw(grammar_or_mutated(name)))


@pytest.mark.parametrize("name", PARSERS)
@given(text=st.text(max_size=24))
def test_random_text_is_refused_where_it_goes_wrong(name, text):
    assert_points_at_the_input(PARSERS[name], text)


@pytest.mark.parametrize(
    ("name", "alphabet", "length"),
    [("ydb_version", "12.-s ", 4), ("ydb_release", "12.-vr", 4), ("ravendb_version", "1.-rp", 4)],
)
def test_every_short_string_on_a_small_alphabet_is_refused_where_it_goes_wrong(
    name, alphabet, length
):
    for size in range(length + 1):
        for letters in itertools.product(alphabet, repeat=size):
            assert_points_at_the_input(PARSERS[name], "".join(letters))


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("ydb_version", "24.3 ", "expected one of '-', '.', end of input, found ' '"),
        ("ydb_version", "24.3-LTS", "expected one of 'lts', 'stable', 'testing', found 'L'"),
        ("ydb_version", "24.", "expected digits, found end of input"),
        ("ydb_release", "vv24.3", "found 'v'"),
        ("ravendb_version", "5.2.0b1", "expected one of '-', '.', end of input, found 'b'"),
        ("ravendb_version", "5.4-", "'alpha', 'beta', 'hotfix', 'nightly', 'patch', 'rc'"),
    ],
)
def test_what_the_grammar_expected_reads_as_a_person_reads_it(name, text, reason):
    refusal = explain.refusal(explain.load_lark(*PARSERS[name].grammar[:2]), text)
    assert refusal is not None and reason in f"expected {refusal.expected}, found {refusal.found}"


def test_reading_imports_lark_only_to_explain_a_refusal():
    code = (
        "import sys\n"
        "from dbcompat import ydb, ravendb\n"
        "ydb.parse('24.3.14.2-lts'); ravendb.parse('6.0')\n"
        "ydb.parse(' V24.3 ', strict=False); ydb.parse('stable-24-3', strict=False)\n"
        "assert 'lark' not in sys.modules, 'lark was imported to read a valid version'\n"
        "for bad in ('24.3-LTS', 'bogus', '2024.3'):\n"
        "    try:\n"
        "        ydb.parse(bad)\n"
        "    except ValueError as error:\n"
        "        assert 'column' in str(error), error\n"
        "assert 'lark' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_under_another_lark_the_parser_is_built_from_the_grammar(monkeypatch):
    shipped = explain.refusal(explain.load_lark("ydb_version", "valid_version"), "24.3 ")
    monkeypatch.setattr(_lark_tables, "LARK_VERSION", "0.0.0")
    explain.load_lark.cache_clear()  # made once, and remembered: build it this time
    try:
        built = explain.load_lark("ydb_version", "valid_version")
        assert explain.refusal(built, "24.3 ") == shipped
    finally:
        explain.load_lark.cache_clear()
