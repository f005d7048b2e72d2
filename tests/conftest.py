"""Shared fixtures: the YDB release history the tests run on, frozen in tests/data.

Every test sees that frozen copy as ``Catalog.default()``, so that refreshing the embedded
``releases.csv`` breaks no test; a test marked ``embedded_catalog`` sees the embedded one.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from dbcompat.ydb import Catalog

RELEASES = Path(__file__).parent / "data" / "ydb_releases.txt"
"""The release history as of the fixture's date: one version and its date a line."""


def fixture_release_strings() -> list[str]:
    """Every version string of the frozen release history, as written there."""
    lines = RELEASES.read_text(encoding="utf-8").splitlines()
    return [line.split()[0] for line in lines if line and not line.startswith("#")]


@pytest.fixture(scope="session")
def ydb_release_strings() -> list[str]:
    return fixture_release_strings()


@pytest.fixture(scope="session")
def embedded_release_rows() -> list[dict[str, str]]:
    """The rows of the catalog embedded in the package, read as plain CSV."""
    text = resources.files("dbcompat.ydb").joinpath("releases.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


_FROZEN = Catalog.from_file(RELEASES)


@pytest.fixture(autouse=True)
def _default_catalog_is_the_frozen_one(request, monkeypatch):
    if request.node.get_closest_marker("embedded_catalog") is None:
        monkeypatch.setattr(Catalog, "default", classmethod(lambda cls: _FROZEN))
