"""Finding versions in free text, and the hypothesis strategy for users' tests (issue 5)."""

from __future__ import annotations

import pytest
from hypothesis import given

from dbcompat import ydb
from dbcompat.ydb.search import find_all
from dbcompat.ydb.strategies import version_strings, versions


def found(text, **options):
    return [(str(f.version), text[f.start : f.end]) for f in find_all(text, **options)]


def test_versions_in_a_log_line_with_positions():
    line = "2026-05-12 node-3 upgraded 24.3.11.13 -> 25.1.4.18-lts (see 24.3)."
    assert found(line) == [
        ("24.3.11.13", "24.3.11.13"),
        ("25.1.4.18-lts", "25.1.4.18-lts"),
        ("24.3", "24.3"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "1.24.3.1",  # glued to a dot before
        "x24.3",  # glued to a letter before
        "324.3",  # glued to a digit
        "24.3x",  # glued to a letter after
        "24.3.x",  # a dot that goes on
        "24.3-LTS",  # a dash that goes on with an invalid suffix
        "24.3_1",
        "٣24.3",
        "24.3٣",
    ],
)
def test_versions_glued_to_their_surroundings_are_not_found(text):
    assert found(text) == []


def test_a_sentence_may_end_after_a_version():
    assert found("We run 24.3.14.") == [("24.3.14", "24.3.14")]
    assert found("(24.3.14-lts), [25.1]") == [("24.3.14-lts", "24.3.14-lts"), ("25.1", "25.1")]


def test_lenient_search_finds_real_world_spellings_but_not_trunk():
    text = "node a: v.25.1.3.2, node b: stable-24-3, node c: trunk, d: 25.1.2.7-rc"
    assert found(text, strict=False) == [
        ("25.1.3.2", "v.25.1.3.2"),
        ("24.3", "stable-24-3"),
        ("25.1.2.7-rc", "25.1.2.7-rc"),
    ]
    assert found(text) == []


def test_overlong_numbers_are_skipped_not_raised():
    assert found("24." + "9" * 400) == []


def test_find_all_needs_text():
    with pytest.raises(TypeError):
        list(find_all(b"24.3"))


def test_found_is_exported_lazily_from_the_product():
    assert ydb.find_all is find_all
    assert "find_all" in dir(ydb)
    with pytest.raises(AttributeError):
        _ = ydb.no_such_thing


@given(versions())
def test_strategy_versions_round_trip(version):
    assert ydb.parse(str(version)) == version


@given(versions(strict=False))
def test_lenient_strategy_versions_round_trip(version):
    assert ydb.parse(str(version), strict=False) == version


@given(version_strings())
def test_strategy_strings_are_valid(text):
    ydb.parse(text)
