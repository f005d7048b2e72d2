"""The grammar files as other tools use them: plain Lark, found where dbcompat is installed."""

from __future__ import annotations

import pytest
from lark import Lark

import dbcompat


@pytest.mark.parametrize("name", dbcompat.grammar_names())
def test_grammar_files_are_documented_plain_lark(name):
    text = dbcompat.grammar_path(name).read_text(encoding="utf-8")
    assert text.startswith("//"), "a grammar opens with a comment saying what it is"
    assert "import lark" not in text and "def " not in text
    Lark(
        text,
        parser="lalr",
        start=_first_rule(text),
        import_paths=[str(dbcompat.grammar_path(name).parent)],
    )


def _first_rule(text):
    for line in text.splitlines():
        if line and line[0].isalpha() and line[0].islower():
            return line.split(":")[0].lstrip("!?")
    raise AssertionError("no rule")


def test_rule_names_are_the_bnf_names():
    text = dbcompat.grammar_path("ydb_version").read_text(encoding="utf-8")
    for rule in (
        "valid_version",
        "version_core",
        "year",
        "major",
        "minor",
        "patch",
        "version_type",
    ):
        assert f"\n{rule}:" in text or f"\n!{rule}:" in text


def test_another_grammar_can_import_the_version_rule(tmp_path):
    user_grammar = 'start: "upgrade " valid_version\n%import ydb_version.valid_version\n'
    parser = Lark(
        user_grammar,
        parser="lalr",
        import_paths=[str(dbcompat.grammar_path("ydb_version").parent)],
    )
    tree = parser.parse("upgrade 24.3.14.2-lts")
    assert tree.children[0].data == "valid_version"


def test_unknown_grammar_names_are_refused():
    with pytest.raises(LookupError, match="ydb_version"):
        dbcompat.grammar_path("../pyproject")
    with pytest.raises(LookupError):
        dbcompat.grammar_path("nope")
