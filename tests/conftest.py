"""Shared fixtures: the real YDB release list, read independently of dbcompat's catalog code."""

from __future__ import annotations

import csv
from importlib import resources

import pytest


def real_ydb_release_strings() -> list[str]:
    """Every version string of the embedded open-source release list, as written there."""
    text = resources.files("dbcompat.ydb").joinpath("releases.csv").read_text(encoding="utf-8")
    return [row["version"] for row in csv.DictReader(text.splitlines())]


@pytest.fixture(scope="session")
def ydb_release_strings() -> list[str]:
    return real_ydb_release_strings()
