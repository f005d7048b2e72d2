"""Shared fixtures: the YDB release history the tests run on, frozen in tests/data, and the replay
server the probes of both products read.

Every test sees that frozen copy as ``Catalog.default()``, so that refreshing the embedded
``releases.csv`` breaks no test; a test marked ``embedded_catalog`` sees the embedded one.
"""

from __future__ import annotations

import csv
import json
import threading
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import settings

from dbcompat.ydb import Catalog
from tests.servers import QuietServer, Replay

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

# Hypothesis fails an example that runs past 200 ms by default, even once, as a stall of a loaded
# machine makes one: a measure of the machine, not of the code. No test here is about the speed
# of an example; those of time measure it themselves, with a margin they state.
settings.register_profile("dbcompat", deadline=None)
settings.load_profile("dbcompat")


@pytest.fixture(autouse=True)
def _default_catalog_is_the_frozen_one(request, monkeypatch):
    if request.node.get_closest_marker("embedded_catalog") is None:
        monkeypatch.setattr(Catalog, "default", classmethod(lambda cls: _FROZEN))


@pytest.fixture
def replay():
    """A replay server on 127.0.0.1: ``serve(path, body, status=200, headers=None, pause=0)``."""
    handler = type("Handler", (Replay,), {"routes": {}})
    server = QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    def serve(path, body, status=200, headers=None, pause=0.0):
        data = body if isinstance(body, bytes) else json.dumps(body).replace("SELF", url).encode()
        handler.routes[path] = (status, headers or {}, data, pause)

    serve.url = url
    yield serve
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
