"""The release catalog embedded in the package: its data must be sound whatever it lists."""

from __future__ import annotations

import itertools
import re

import pytest

from dbcompat import InvalidVersion, ydb

pytestmark = pytest.mark.embedded_catalog

DATE = re.compile(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?")


def test_the_columns_are_version_date_source(embedded_release_rows):
    assert embedded_release_rows
    assert all(list(row) == ["version", "date", "source"] for row in embedded_release_rows)
    assert all(row["source"].strip() for row in embedded_release_rows)
    assert all(DATE.fullmatch(row["date"]) for row in embedded_release_rows)


def test_every_row_parses_strictly_or_is_a_release_candidate(embedded_release_rows):
    for row in embedded_release_rows:
        text = row["version"]
        try:
            ydb.parse(text)
        except InvalidVersion:
            assert ydb.parse(text, strict=False).release_candidate, text


def test_no_release_is_listed_twice(embedded_release_rows):
    releases = [ydb.parse(row["version"], strict=False).release for row in embedded_release_rows]
    assert len(releases) == len(set(releases))


def test_dates_ascend_with_the_versions_of_each_major(embedded_release_rows):
    rows = sorted(
        (ydb.parse(row["version"], strict=False), row["date"]) for row in embedded_release_rows
    )
    for _, members in itertools.groupby(rows, key=lambda row: row[0].line):
        dates = [date for _, date in members]
        assert dates == sorted(dates), dates


def test_the_default_catalog_is_the_embedded_file(embedded_release_rows):
    catalog = ydb.Catalog.default()
    assert len(catalog) == len(embedded_release_rows)
    for row in embedded_release_rows:
        version = ydb.parse(row["version"], strict=False)
        assert version in catalog and catalog.date(version) == row["date"]


SOURCE = re.compile(
    r"ydb-platform/ydb (?P<page>ydb/docs/\S+\.md)"
    r"(?:; the (?P<other>[a-z ]+) \((?P<other_page>ydb/docs/\S+\.md)\) says? (?P<date>\S+?),?"
    r"(?P<line> for the whole [0-9]{2}\.[0-9]+ line)?)?"
)


def test_every_source_names_a_page_and_any_other_date_it_disagrees_with(embedded_release_rows):
    for row in embedded_release_rows:
        match = SOURCE.fullmatch(row["source"])
        assert match, row
        if match["date"]:
            assert DATE.fullmatch(match["date"]) and match["date"] != row["date"], row


def test_two_dates_are_chosen_by_one_rule(embedded_release_rows):
    # The changelog's date under the build's own heading wins; a changelog date for a whole
    # line does not date a build, so there the downloads tables' date wins.
    disagreeing = {}
    for row in embedded_release_rows:
        match = SOURCE.fullmatch(row["source"])
        assert match
        if match["date"]:
            disagreeing[row["version"]] = match
            from_changelog = "changelog" in match["page"]
            assert from_changelog != bool(match["line"]), row
    assert set(disagreeing) >= {"25.4.1.15", "22.5.10"}
