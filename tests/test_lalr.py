"""The Lark-free explanation of a refused text (issue 14): the grammar's LALR tables run by
``dbcompat._lalr`` must say what Lark itself says, on every kind of text, without Lark."""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from dbcompat._lalr import Tables, tables
from dbcompat._lark import load_lark
from dbcompat._reader import GrammarReader
from test_generated_matcher import PARSERS, grammar_strings, mutated


def lark_refusal(parser: GrammarReader, text: str) -> tuple[int, str, str] | None:
    """Where and why Lark itself refuses *text*: the column, what stands there, the terminals
    the parser accepts there (or Lark's own set where it cannot say), described by Lark's
    terminal definitions."""
    lark = load_lark(parser.grammar.grammar, parser.grammar.start)
    try:
        lark.parse(text)
    except UnexpectedInput as error:
        position, found = len(text), "end of input"
        expected: Iterable[str] = getattr(error, "expected", ())
        if isinstance(error, UnexpectedCharacters):
            position, found, expected = (
                error.pos_in_stream,
                repr(text[error.pos_in_stream]),
                error.allowed,
            )
        elif isinstance(error, UnexpectedToken) and error.token.type != "$END":
            position, found = error.token.start_pos, repr(error.token.value)
        accepted = accepted_after(lark, text[:position]) or set(expected)
        return position + 1, found, describe_with_lark(lark, accepted)
    return None


def accepted_after(lark: Lark, prefix: str) -> set[str]:
    interactive = lark.parse_interactive(prefix)
    try:
        interactive.exhaust_lexer()
    except UnexpectedInput:
        return set()
    accepted = set()
    for name in interactive.choices().keys() & ({t.name for t in lark.terminals} | {"$END"}):
        trial = interactive.copy()
        try:
            trial.feed_token(Token(name, ""))
        except UnexpectedInput:
            continue
        accepted.add(name)
    return accepted


def describe_with_lark(lark: Lark, names: set[str]) -> str:
    # Lark's terminal definitions, in the shape dbcompat._lalr reads them from the tables.
    from dbcompat._lalr import _terminal, describe

    def definition(name: str):
        if name == "$END":
            return None
        pattern = lark.get_terminal(name).pattern
        kind = "PatternStr" if isinstance(pattern, PatternStr) else "PatternRE"
        entry = {"value": pattern.value, "flags": list(pattern.flags), "__type__": kind}
        entry["_width"] = [0, 0]
        return _terminal({"name": name, "pattern": entry, "priority": 0})

    descriptions = sorted({describe(name, definition(name)) for name in names})
    return descriptions[0] if len(descriptions) == 1 else "one of " + ", ".join(descriptions)


def table_refusal(parser: GrammarReader, text: str) -> tuple[int, str, str] | None:
    refusal = tables(parser.grammar.grammar, parser.grammar.start).refusal(text)
    return None if refusal is None else tuple(refusal)


def assert_explained_as_lark_does(parser: GrammarReader, text: str) -> None:
    assert table_refusal(parser, text) == lark_refusal(parser, text), text


@pytest.mark.parametrize("name", PARSERS)
@given(data=st.data())
def test_grammar_and_mutated_strings_are_explained_as_lark_does(name, data):
    strings = grammar_strings(name)
    assert_explained_as_lark_does(PARSERS[name], data.draw(st.one_of(strings, mutated(strings))))


@pytest.mark.parametrize("name", PARSERS)
@given(text=st.text(max_size=24))
def test_random_text_is_explained_as_lark_does(name, text):
    assert_explained_as_lark_does(PARSERS[name], text)


@pytest.mark.parametrize(
    ("name", "alphabet", "length"),
    [("ydb_version", "12.-s ", 5), ("ydb_release", "12.-vr", 4), ("ravendb_version", "1.-rp", 5)],
)
def test_every_short_string_on_a_small_alphabet_is_explained_as_lark_does(name, alphabet, length):
    for size in range(length + 1):
        for letters in itertools.product(alphabet, repeat=size):
            assert_explained_as_lark_does(PARSERS[name], "".join(letters))


def test_every_state_and_terminal_of_every_grammar_is_read():
    for parser in PARSERS.values():
        grammar = parser.grammar
        machine = tables(grammar.grammar, grammar.start)
        lark = load_lark(grammar.grammar, grammar.start)
        assert set(machine.terminals) == {terminal.name for terminal in lark.terminals}
        assert isinstance(machine, Tables) and machine.start in machine.states


def test_explaining_an_error_does_not_import_lark():
    code = (
        "import sys\n"
        "from dbcompat import ydb, ravendb\n"
        "for bad in ('24.3-LTS', 'bogus', '2024.3'):\n"
        "    try:\n"
        "        ydb.parse(bad)\n"
        "    except ValueError as error:\n"
        "        assert 'column' in str(error), error\n"
        "try:\n"
        "    ravendb.parse('5.2.0b1')\n"
        "except ValueError:\n"
        "    pass\n"
        "assert 'lark' not in sys.modules, 'lark was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_grammar_without_generated_tables_is_explained_from_tables_lark_makes():
    from dbcompat import _lark_tables
    from dbcompat._lark import grammar_tables

    shipped = tables("ydb_version", "valid_version").refusal("24.3 ")
    saved = _lark_tables.TABLES.pop(("ydb_version", "valid_version"))
    grammar_tables.cache_clear()  # made once, and remembered: make them from Lark this time
    try:
        made = grammar_tables("ydb_version", "valid_version")
        assert made is not tables("ydb_version", "valid_version")
        assert made.refusal("24.3 ") == shipped
    finally:
        _lark_tables.TABLES[("ydb_version", "valid_version")] = saved
        grammar_tables.cache_clear()
