"""RavenDB's version grammar: the versions seen in the wild, their parts, the column where a
text goes wrong, and the constructor that checks what the grammar would."""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given
from hypothesis.extra.lark import from_lark
from lark import Lark

import dbcompat
from dbcompat import InvalidVersion, ravendb
from dbcompat.ravendb import Stage, Version
from tests.helpers import DATA

SEEN = list(csv.DictReader((DATA / "ravendb_versions_seen.csv").open()))
PEP_440 = re.compile(r".*[0-9](a|b|rc|\.post|\.dev)[0-9]+$")
GRAMMAR = Lark.open(str(dbcompat.grammar_path("ravendb_version")), start="version")


@pytest.mark.parametrize("row", SEEN, ids=lambda row: f"{row['kind']}-{row['version']}")
def test_every_version_seen_in_the_wild_parses_and_prints_back(row):
    text = row["version"]
    if PEP_440.fullmatch(text):
        with pytest.raises(InvalidVersion):
            ravendb.parse(text)
        return
    version = ravendb.parse(text)
    assert str(version) == text
    assert (version.major, version.minor) == tuple(int(n) for n in text.split(".")[:2])


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("6.0", (6, 0, None, None, None, None, None, None)),
        ("5.4.110", (5, 4, 110, None, None, None, None, None)),
        ("4.1.9.41023", (4, 1, 9, 41023, None, None, None, None)),
        ("4.2.5.42", (4, 2, 5, 42, None, None, None, None)),
        ("4.1.0-rc-41000", (4, 1, 0, None, Stage.RC, None, 41000, None)),
        ("4.0.0-rc2", (4, 0, 0, None, Stage.RC, 2, None, None)),
        ("4.1.3-patch-41005", (4, 1, 3, None, Stage.PATCH, None, 41005, None)),
        ("4.0.0-alpha-40005", (4, 0, 0, None, Stage.ALPHA, None, 40005, None)),
        ("4.0.0-beta-40016", (4, 0, 0, None, Stage.BETA, None, 40016, None)),
        ("3.0.30172-Hotfix", (3, 0, 30172, None, Stage.HOTFIX, None, None, None)),
        (
            "5.0.0-nightly-20200507-0548",
            (5, 0, 0, None, Stage.NIGHTLY, None, None, "20200507-0548"),
        ),
    ],
)
def test_components(text, fields):
    v = ravendb.parse(text)
    assert (
        v.major,
        v.minor,
        v.patch,
        v.build,
        v.stage,
        v.stage_number,
        v.stage_build,
        v.nightly,
    ) == fields


def test_stage_words_are_case_insensitive_and_print_canonically():
    assert str(ravendb.parse("4.0.0-RC2")) == "4.0.0-rc2"
    assert ravendb.parse("3.0.30172-hotfix") == ravendb.parse("3.0.30172-Hotfix")
    assert str(ravendb.parse("5.04.0110")) == "5.4.110"


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("", 1),
        ("5", 2),
        ("5.", 3),
        ("5.4-", 5),
        ("5.4.1.2.3", 8),
        ("5.4-nightly-2020", 13),
        ("5.4-patch", 10),
        ("5.4-gamma", 5),
        ("v5.4", 1),
        (" 5.4", 1),
        ("5.4\n", 4),
        ("٥.٤", 1),
        ("5.2.0b1", 6),
        ("5.2.5.post1", 7),
    ],
)
def test_bad_input_names_the_column(text, column):
    with pytest.raises(InvalidVersion) as caught:
        ravendb.parse(text)
    assert caught.value.column == column
    assert "RavenDB" in str(caught.value) and repr(text) in str(caught.value)


def test_constructor_checks_what_the_grammar_would():
    assert Version(4, 1, 0, stage="rc", stage_build=41000) == ravendb.parse("4.1.0-rc-41000")
    with pytest.raises(ValueError):
        Version(4, 1, None, 5)
    with pytest.raises(ValueError):
        Version(4, 1, 0, stage="Hotfix", stage_number=1)


@given(from_lark(GRAMMAR, start="version"))
def test_every_string_of_the_grammar_parses_and_round_trips(text):
    version = ravendb.parse(text)
    assert ravendb.parse(str(version)) == version


@pytest.mark.parametrize(
    "text",
    [
        "3.0.30172-Hotf\u0131x",  # dotless i
        "3.0.30172-HOTF\u0130X",  # dotted capital I
        "5.0.0-n\u0131ghtly-20200507-0548",
        "4.1.3-PATCH-41005\u200b",
        "4.0.0-\u0280c2",  # small capital R
        "4.0.0-rc\uff12",  # fullwidth digit
        "5.0.0-nightly-2020050\u0667-0548",  # Arabic-Indic digit
    ],
)
def test_stage_words_and_numbers_are_ascii_only(text):
    with pytest.raises(InvalidVersion):
        ravendb.parse(text)
    from dbcompat.ravendb.parser import _READER

    with pytest.raises(InvalidVersion):
        _READER.parse_with_lark(text)


def test_ascii_case_still_folds():
    assert ravendb.parse("3.0.30172-HOTFIX") == ravendb.parse("3.0.30172-Hotfix")
    assert ravendb.parse("5.0.0-NiGhTlY-20200507-0548").stage is Stage.NIGHTLY
    with pytest.raises(ValueError):
        Version(5, 0, 0, stage="nightly", nightly="2020050\u0667-0548")


# RavenDB's published image tags (ravendb/ravendb, docker/common.ps1), as operators copy them
PUBLISHED = [
    ("7.1.3-ubuntu.22.04-x64", "7.1.3"),
    ("6.2.1-ubuntu.22.04-arm64v8", "6.2.1"),
    ("5.4.110-ubuntu.20.04-arm32v7", "5.4.110"),
    ("7.1.3-windows-ltsc2022", "7.1.3"),
    ("6.0-ubuntu-latest", "6.0"),
    ("6.0-ubuntu-arm64v8-latest", "6.0"),
    ("v5.4.110", "5.4.110"),
    ("V6.0", "6.0"),
    ("4.1.0-rc-41000-ubuntu.18.04-x64", "4.1.0-rc-41000"),
]


@pytest.mark.parametrize(("tag", "version"), PUBLISHED)
def test_published_spellings_read_leniently_and_in_the_rules(tag, version):
    from dbcompat import ravendb

    assert ravendb.parse(tag, strict=False) == ravendb.parse(version)
    assert ravendb.as_version(tag) == ravendb.parse(version)
    with pytest.raises(InvalidVersion):
        ravendb.parse(tag)


@pytest.mark.parametrize("tag", ["latest", "ubuntu-latest", "latest-lts", "5.4-"])
def test_a_tag_that_names_no_version_is_still_refused(tag):
    from dbcompat import ravendb

    with pytest.raises(InvalidVersion):
        ravendb.parse(tag, strict=False)
