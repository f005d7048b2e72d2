"""The YDB version grammar, the parser and the Version type."""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

import dbcompat
from dbcompat import InvalidVersion, ydb
from dbcompat.ydb import ReleaseType, Version
from dbcompat.ydb.strategies import version_strings

BNF_GRAMMAR = Lark.open(str(dbcompat.grammar_path("ydb_version")), start="valid_version")


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        # The seed's own examples, one for each alternative of <version-core> and <valid-version>.
        ("24.3", (24, 3, None, None, None)),
        ("24.3.14", (24, 3, 14, None, None)),
        ("24.3.14.2", (24, 3, 14, 2, None)),
        ("24.3.13.6-testing", (24, 3, 13, 6, ReleaseType.TESTING)),
        ("24.3.14.2-stable", (24, 3, 14, 2, ReleaseType.STABLE)),
        ("24.3.14.2-lts", (24, 3, 14, 2, ReleaseType.LTS)),
        ("24.3-lts", (24, 3, None, None, ReleaseType.LTS)),
        ("24.3.14-testing", (24, 3, 14, None, ReleaseType.TESTING)),
        ("00.0", (0, 0, None, None, None)),
        ("99.123456789.0.0", (99, 123456789, 0, 0, None)),
        ("24.03.014.0002", (24, 3, 14, 2, None)),
    ],
)
def test_every_alternative_of_the_bnf_reads_its_components(text, fields):
    version = ydb.parse(text)
    assert (
        version.year,
        version.major,
        version.minor,
        version.patch,
        version.release_type,
    ) == fields
    assert ydb.as_version(text) == version


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ("24.3-LTS", 6, "one of 'lts', 'stable', 'testing'"),
        ("24.3-", 6, "one of 'lts', 'stable', 'testing'"),
        ("24.3-rc", 6, "one of 'lts', 'stable', 'testing'"),
        ("", 1, "year"),
        ("2.3", 1, "year"),
        ("245.3", 3, "'.'"),
        ("24", 3, "'.'"),
        ("24.", 4, "digits"),
        ("24.3.", 6, "digits"),
        ("24.3.14.2.1", 10, "one of '-', end of input"),
        ("24.3.14.2-lts-lts", 14, "end of input"),
        ("v24.3", 1, "year"),
        ("24.x", 4, "digits"),
        ("24..3", 4, "digits"),
        (" 24.3", 1, "year"),
        ("24.3 ", 5, "one of '-', '.', end of input"),
        ("24.3\n", 5, "one of '-', '.', end of input"),
        ("24.3\t", 5, "one of '-', '.', end of input"),
        ("٢٤.٣", 1, "year"),
        ("２４.３", 1, "year"),
        ("24.٣", 4, "digits"),
        ("24.3_0", 5, "one of '-', '.', end of input"),
        ("+24.3", 1, "year"),
        ("-24.3", 1, "year"),
        ("24,3", 3, "'.'"),
        ("24.3\x00", 5, "one of '-', '.', end of input"),
    ],
)
def test_invalid_strings_name_the_column_and_what_was_expected(text, column, expected):
    with pytest.raises(InvalidVersion) as caught:
        ydb.parse(text)
    error = caught.value
    assert error.column == column
    assert error.reason.startswith(f"expected {expected}, found ")
    assert error.text == text
    assert repr(text) in str(error)
    assert f"column {column}" in str(error)
    assert isinstance(error, ValueError)


def test_a_long_input_is_refused_before_parsing_and_quoted_short():
    hostile = "24." + "9" * 10_000
    with pytest.raises(InvalidVersion) as caught:
        ydb.parse(hostile)
    assert "256-character limit" in str(caught.value)
    assert len(str(caught.value)) < 300


def test_the_longest_accepted_number_converts_without_int_limits():
    digits = "9" * (dbcompat.MAX_VERSION_LENGTH - 3)
    assert ydb.parse("24." + digits).major == int(digits)
    with pytest.raises(InvalidVersion):
        ydb.parse("24." + digits + "9")


@pytest.mark.parametrize(
    "text",
    ["24.3", "24.3.14", "24.3.14.2", "24.3.14.2-lts", "00.0.0.0-testing", "05.10-stable"],
)
def test_canonical_text_round_trips(text):
    assert str(ydb.parse(text)) == text


def test_leading_zeros_compare_as_numbers_and_print_canonically():
    assert ydb.parse("24.03") == ydb.parse("24.3")
    assert hash(ydb.parse("24.03.007")) == hash(ydb.parse("24.3.7"))
    assert str(ydb.parse("24.03.007.0010-lts")) == "24.3.7.10-lts"
    assert str(ydb.parse("05.1")) == "05.1"


def test_real_releases_sort_by_their_numbers(ydb_release_strings):
    finals = [ydb.parse(text) for text in ydb_release_strings if not text.endswith("-rc")]
    assert len(finals) > 25

    def numbers(version):
        return tuple(int(part) for part in str(version).split("."))

    assert sorted(finals) == sorted(finals, key=numbers)
    assert max(finals) == ydb.parse("26.2.1.14")
    assert min(finals) == ydb.parse("22.2.5")


def test_constructor_checks_what_the_grammar_would():
    assert Version(24, 3, 14, 2, "lts") == ydb.parse("24.3.14.2-lts")
    with pytest.raises(ValueError):
        Version(124, 3)
    with pytest.raises(ValueError):
        Version(24, -3)
    with pytest.raises(ValueError):
        Version(24, 3, None, 1)
    with pytest.raises(ValueError):
        Version(24, 3, release_type="beta")
    with pytest.raises(TypeError):
        Version(24, "3")
    with pytest.raises(TypeError):
        Version(24, True)


def test_invalid_version_pickles_with_its_details():
    with pytest.raises(InvalidVersion) as caught:
        ydb.parse("24.3-LTS")
    copy_ = pickle.loads(pickle.dumps(caught.value))
    assert (copy_.text, copy_.column, str(copy_)) == ("24.3-LTS", 6, str(caught.value))


@given(from_lark(BNF_GRAMMAR, start="valid_version"))
def test_every_string_of_the_grammar_parses_and_round_trips(text):
    version = ydb.parse(text)
    assert ydb.parse(str(version)) == version
    assert str(ydb.parse(str(version))) == str(version)
    numbers = [int(part) for part in re.split(r"[.-]", text) if part.isdigit()]
    assert [n for n in version.release if n is not None] == numbers


@given(st.text(alphabet="0123456789.-ltsabegin", max_size=24))
def test_near_miss_text_raises_nothing_but_invalid_version(text):
    try:
        ydb.parse(text)
    except InvalidVersion as error:
        assert 1 <= error.column <= len(text) + 1


def _versions():
    optional_number = st.none() | st.integers(0, 10**6)

    @st.composite
    def build(draw):
        minor = draw(optional_number)
        patch = draw(optional_number) if minor is not None else None
        release_type = draw(st.none() | st.sampled_from(ReleaseType))
        return Version(
            draw(st.integers(0, 99)), draw(st.integers(0, 10**6)), minor, patch, release_type
        )

    return build()


@given(_versions(), _versions())
def test_order_is_total_and_agrees_with_equality_and_hash(a, b):
    assert (a == b) == (str(a) == str(b))
    assert (a == b) == (not (a < b) and not (a > b))
    if a == b:
        assert hash(a) == hash(b)
    assert (a < b) == (ydb.parse(str(a)) < ydb.parse(str(b)))


def test_versions_without_a_suffix_share_the_rest_of_their_key():
    # What keeps a Version at or below packaging's size: the rarely set fields live in one
    # tuple, the same object for every version that leaves them unset, however it was made.
    made = [
        ydb.parse("24.3.14.2"),
        ydb.parse("v.25.1.3.2", strict=False),
        ydb.parse("stable-24-1-1", strict=False),
        ydb.Version(25, 1, 4, 18),
        pickle.loads(pickle.dumps(ydb.Version(24, 4))),
    ]
    assert len({id(version._key[-1]) for version in made}) == 1
    typed = [ydb.parse("24.3.14.2-lts"), ydb.parse("25.1-LTS", strict=False)]
    assert typed[0]._key[-1] is typed[1]._key[-1]
    node = ydb.parse("24.3.1.10a.08bebbe", strict=False)
    assert node._key[-1] is not made[0]._key[-1] and node.rebuild == "a"
    made += [*typed, ydb.parse("stable-24-1-1-hotfix-2", strict=False)]
    assert sorted([node, *made], key=lambda v: v._key) == sorted([node, *made])


@given(version_strings(strict=False))
def test_every_spelling_prints_a_canonical_form_that_reads_back(text):
    """str() is the canonical spelling, not the input: the prefixes YDB strips (ydb-, releases/,
    tags/releases/) and the letter v are dropped, numbers lose their leading zeros, and a
    hotfix keeps YDB's own tag form, which no dotted spelling carries."""
    version = ydb.parse(text, strict=False)
    canonical = str(version)
    assert ydb.parse(canonical, strict=False) == version
    assert str(ydb.parse(canonical, strict=False)) == canonical  # a fixed point
    assert not canonical.startswith(("ydb-", "releases/", "tags/", "v", "prestable-"))
    plain = (version.hotfix, version.commit, version.rebuild, version.candidate_number)
    if plain == (None, None, None, None) and not (version.enterprise or version.release_candidate):
        assert ydb.parse(canonical) == version  # the BNF's own spelling: read strictly


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("ydb-stable-24-1-14-hotfix-9", "stable-24-1-14-hotfix-9"),
        ("releases/ydb/stable-24-1-14-hotfix-9", "stable-24-1-14-hotfix-9"),
        ("stable-23-1-1-hotfix", "stable-23-1-1-hotfix"),
        ("ydb-stable-25-3-1-25-hotfixblobstorage-1", "25.3.1.25-hotfixblobstorage-1"),
        ("releases/ydb/stable-24-1-5", "24.1.5"),
        ("v.25.1.3.2", "25.1.3.2"),
        ("stable-24-3", "24.3"),
    ],
)
def test_the_canonical_form_of_real_spellings(text, canonical):
    assert str(ydb.parse(text, strict=False)) == canonical
