"""The regex generated from the grammars: fresh, equivalent to Lark, portable."""

from __future__ import annotations

import itertools
import json
import pickle
import shutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lark import Lark
from lark.exceptions import UnexpectedInput
from tools.regex_compiler import GrammarNotRegular, generated_source, grammar_to_regex

import dbcompat
from dbcompat import ravendb, ydb
from dbcompat.ravendb.parser import _READER as RAVENDB
from dbcompat.reading import _patterns
from dbcompat.reading.explain import build_lark, load_lark, transformer
from dbcompat.reading.reader import CACHE_SIZE, Reader
from tests.reading.helpers import PARSERS, grammar_strings, mutated


def test_the_checked_in_patterns_are_generated_from_the_grammars_as_they_are():
    checked_in = Path(_patterns.__file__).read_text(encoding="utf-8")
    assert checked_in == generated_source(), "run: python -m tools.regex_compiler"


def test_every_parser_reads_a_compiled_grammar():
    assert {(p.grammar.grammar, p.grammar.start) for p in PARSERS.values()} == set(
        _patterns.PATTERNS
    )


def lark_answer(parser: Reader, text: str):
    """What Lark alone says: the built object, or the string 'invalid' (without asking why,
    which test_refusals.py holds to account)."""
    if len(text) > dbcompat.MAX_VERSION_LENGTH:
        return "invalid"
    grammar = parser.grammar
    try:
        tree = load_lark(grammar.grammar, grammar.start).parse(text)
    except UnexpectedInput:
        return "invalid"
    return transformer(grammar.transformer).transform(tree)


def matcher_answer(parser: Reader, text: str):
    if len(text) > dbcompat.MAX_VERSION_LENGTH or parser.regex.fullmatch(text) is None:
        return "invalid"
    # A match: the built object, or None for a development build (trunk), as Lark builds it.
    return parser.match(text)


def assert_same_answer(parser: Reader, text: str):
    expected = lark_answer(parser, text)
    assert matcher_answer(parser, text) == expected, text


@pytest.mark.parametrize("name", PARSERS)
@given(data=st.data())
def test_grammar_strings_get_the_same_answer(name, data):
    text = data.draw(grammar_strings(name))
    assert_same_answer(PARSERS[name], text)
    assert lark_answer(PARSERS[name], text) != "invalid"


@pytest.mark.parametrize("name", PARSERS)
@given(data=st.data())
def test_mutated_strings_get_the_same_answer(name, data):
    assert_same_answer(PARSERS[name], data.draw(mutated(grammar_strings(name))))


@pytest.mark.parametrize("name", PARSERS)
@given(text=st.text(max_size=20))
def test_random_text_gets_the_same_answer(name, text):
    assert_same_answer(PARSERS[name], text)


@pytest.mark.parametrize(
    ("name", "alphabet", "length"),
    [
        ("ydb_version", "12.-s", 6),
        ("ydb_release", "12.-v", 6),
        ("ravendb_version", "1.-r", 7),
    ],
)
def test_every_short_string_on_a_small_alphabet_gets_the_same_answer(name, alphabet, length):
    parser = PARSERS[name]
    checked = accepted = 0
    for size in range(length + 1):
        for letters in itertools.product(alphabet, repeat=size):
            text = "".join(letters)
            expected = lark_answer(parser, text)
            assert matcher_answer(parser, text) == expected, text
            checked += 1
            accepted += expected != "invalid"
    assert accepted > 10, "the alphabet should spell some valid versions"
    assert checked == sum(len(alphabet) ** n for n in range(length + 1))


def test_recursive_grammars_are_refused():
    lark = Lark('start: item\nitem: "x" item | "y"', parser="lalr")
    with pytest.raises(GrammarNotRegular, match="item"):
        grammar_to_regex(lark, "start")
    nested = Lark('start: "(" start ")" | "x"', parser="lalr")
    with pytest.raises(GrammarNotRegular):
        grammar_to_regex(nested, "start")


def test_repetition_and_case_insensitive_literals_compile():
    lark = Lark('start: "ab"i ("," NUMBER)* "x"~2..3\nNUMBER: "0".."9"+', parser="lalr")
    import re

    pattern = re.compile(grammar_to_regex(lark, "start"))
    for text, ok in [("Ab,1,22xx", True), ("ABxxx", True), ("abx", False), ("ab,xx", False)]:
        assert bool(pattern.fullmatch(text)) is ok, text


def test_reading_a_valid_version_does_not_import_lark():
    code = (
        "import sys\n"
        "from dbcompat import ydb, ravendb\n"
        "ydb.parse('24.3.14.2-lts'); ydb.parse('stable-24-3', strict=False)\n"
        "ravendb.parse('4.1.0-rc-41000')\n"
        "assert 'lark' not in sys.modules, 'lark was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_repeated_strings_come_from_a_bounded_cache():
    first = ydb.parse("24.3.11.13")
    assert ydb.parse("24.3.11.13") is first
    RAVENDB._cache.clear()
    kept = ravendb.parse("9.8.7")
    for number in range(CACHE_SIZE + 10):
        ravendb.parse(f"9.9.{number}")
    # Full, it keeps what it holds and still reads the rest.
    assert len(RAVENDB._cache) == CACHE_SIZE
    assert ravendb.parse("9.8.7") is kept
    assert ravendb.parse("9.7.1") == ravendb.parse("9.7.1") and "9.7.1" not in RAVENDB._cache
    assert pickle.loads(pickle.dumps(first)) == first


def test_grammar_regex_exports():
    import re

    regex = dbcompat.grammar_regex("ydb_version")
    assert regex.anchored == f"^(?:{regex.pattern})$"
    assert "?P<" not in regex.pattern
    assert re.fullmatch(regex.pattern, "24.3.14.2-lts")
    assert not re.search(regex.anchored, "x24.3")
    with pytest.raises(LookupError):
        dbcompat.grammar_regex("nope")


FIXTURES = {
    "ydb_version": ["24.3", "24.3.14.2-lts", "00.0", "24.3-LTS", "24.3.", "v24.3", "245.3", ""],
    "ydb_release": ["v.25.1.3.2", "25.1.2.7-rc", "stable-24-3", "trunk", "stable-24", "vv24.3"],
    "ravendb_version": ["4.1.0-RC-41000", "3.0.30172-Hotfix", "5.2.0b1", "5.4-", "6.0"],
}


def expected_validity(name, text):
    return lark_answer(PARSERS[name], text) != "invalid"


@pytest.mark.parametrize("name", FIXTURES)
def test_patterns_work_as_json_schema_patterns(name):
    jsonschema = pytest.importorskip("jsonschema")
    schema = {"type": "string", "pattern": dbcompat.grammar_regex(name).anchored}
    validator = jsonschema.Draft202012Validator(schema)
    for text in FIXTURES[name]:
        assert validator.is_valid(text) is expected_validity(name, text), text


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not on this machine")
def test_patterns_work_as_javascript_regexps():
    cases = {
        name: {
            "pattern": dbcompat.grammar_regex(name).anchored,
            "texts": FIXTURES[name],
        }
        for name in FIXTURES
    }
    script = (
        "const cases = JSON.parse(process.argv[1]);\n"
        "const out = {};\n"
        "for (const [name, c] of Object.entries(cases)) {\n"
        "  const plain = new RegExp(c.pattern), unicode = new RegExp(c.pattern, 'u');\n"
        "  out[name] = c.texts.map(t => [plain.test(t), unicode.test(t)]);\n"
        "}\n"
        "console.log(JSON.stringify(out));\n"
    )
    result = subprocess.run(
        ["node", "-e", script, json.dumps(cases)], capture_output=True, text=True, check=True
    )
    answers = json.loads(result.stdout)
    for name, texts in FIXTURES.items():
        for text, (plain, unicode) in zip(texts, answers[name], strict=True):
            assert plain is unicode is expected_validity(name, text), (name, text)


def test_the_checked_in_lark_tables_are_made_from_the_grammars_as_they_are():
    import lark
    from tools.lark_tables import grammar_digest

    from dbcompat.reading import _lark_tables
    from dbcompat.reading.explain import load_lark

    assert grammar_digest() == _lark_tables.GRAMMAR_DIGEST, "stale: run python -m tools.lark_tables"
    expected = {
        (grammar.grammar, grammar.start)
        for name in dbcompat.PRODUCTS
        for grammar in import_module(f"dbcompat.{name}.parser").GRAMMARS
    }
    assert set(_lark_tables.TABLES) == expected
    for grammar, start in expected:
        built, loaded = build_lark(grammar, start), load_lark(grammar, start)
        assert [t.name for t in loaded.terminals] == [t.name for t in built.terminals]
        assert loaded.rules == built.rules
    if lark.__version__ != _lark_tables.LARK_VERSION:
        pytest.skip(f"tables from Lark {_lark_tables.LARK_VERSION}; this is {lark.__version__}")


DOTTED = st.text(alphabet="0123456789.-v", max_size=14) | st.from_regex(
    r"(v\.|v|stable-|prestable-|ydb-stable-|x)?"
    r"[0-9]{1,3}([.-][0-9]{1,4}){0,4}(-(lts|stable|testing|rc|rc1|x|)){0,2}(\.08bebbe)?",
    fullmatch=True,
)


@pytest.mark.parametrize("name", PARSERS)
@given(DOTTED)
def test_dotted_numbers_and_branch_names_read_as_the_grammar_does(name, text):
    # Most of what is read: dotted numbers with a suffix or a prefix, and their near misses.
    assert_same_answer(PARSERS[name], text)


@pytest.mark.parametrize("strict", [True, False])
def test_a_str_subclass_is_read_as_the_text_it_holds(strict):
    class Hostile(str):
        def __hash__(self):
            return hash("24.3")

        def __eq__(self, other):
            return True

        def split(self, *args, **kwargs):
            return ["99", "9"]

    ydb.parse("24.3", strict=strict)  # cached, which the hostile hash and equality aim at
    assert str(ydb.parse(Hostile("25.1.4.18"), strict=strict)) == "25.1.4.18"
    with pytest.raises(dbcompat.InvalidVersion) as caught:
        ydb.parse(Hostile("25.1.x"), strict=strict)
    assert caught.value.text == "25.1.x" and type(caught.value.text) is str
