"""Probing RavenDB servers, against a loopback replay server of recorded payloads (issue 13).

Every server here listens on 127.0.0.1 only, on an ephemeral port, and stops with its test.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from dbcompat import ServerError, ravendb
from tests.helpers import run

# Recorded from a real RavenDB 4.1.0 server (shared/reference/live.md).
BUILD_41 = {
    "BuildVersion": 41001,
    "ProductVersion": "4.1",
    "CommitHash": "86e8830",
    "FullVersion": "4.1.0",
}
TOPOLOGY_41 = {
    "Topology": {
        "TopologyId": "dummy",
        "AllNodes": {"?": "SELF"},
        "Members": {"?": "SELF"},
        "Promotables": {},
        "Watchers": {},
        "LastNodeId": "?",
    },
    "Leader": None,
    "CurrentState": "Passive",
    "NodeTag": "?",
    "NodeLicenseDetails": None,
    "Status": {},
}
BUILD_54 = {
    "BuildVersion": 54109,
    "ProductVersion": "5.4",
    "CommitHash": "25b927d",
    "FullVersion": "5.4.116",
}
BUILD_60 = {
    "BuildVersion": 60071,
    "ProductVersion": "6.0",
    "CommitHash": "aaaaaaa",
    "FullVersion": "6.0.105",
}


class QuietServer(ThreadingHTTPServer):
    """A loopback server that does not print the clients that hang up on it: the tests of
    deadlines make them do so on purpose, and assert what the client sees."""

    daemon_threads = True
    request_queue_size = 128  # socketserver's 5 drops concurrent connects: a 1 s SYN retry

    def get_request(self):
        # As real servers do: http.server writes headers and body apart, and Nagle's algorithm
        # would hold the body 40 ms for the client's delayed acknowledgement.
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address

    def handle_error(self, request, client_address):
        pass


class Replay(BaseHTTPRequestHandler):
    """Answers each path with what the test recorded for it: (status, headers, body, pause)."""

    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes, float]]] = {}

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        recorded = [route for suffix, route in self.routes.items() if path.endswith(suffix)]
        status, headers, body, pause = (recorded or [(404, {}, b"not found", 0.0)])[0]
        self.send_response(status)
        for name, value in {"Content-Type": "application/json; charset=utf-8", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if pause:  # a slow trickle: a byte at a time
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(pause)
        else:
            self.wfile.write(body)

    def log_message(self, *_):
        pass


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


def ravendb_41(serve):
    serve("/build/version", BUILD_41, headers={"Raven-Server-Version": "4.1.0.41001"})
    serve("/cluster/topology", TOPOLOGY_41)


def test_a_recorded_41_server_is_read_exactly(replay):
    ravendb_41(replay)
    found = ravendb.probe(replay.url, timeout=2)
    assert found.version == ravendb.Version(4, 1, 0, 41001)
    assert found.header == ravendb.parse("4.1.0.41001") and found.commit == "86e8830"
    assert [(n.tag, n.version) for n in found.nodes] == [("?", found.version)]


def test_a_cluster_reports_every_nodes_build(replay):
    topology = {
        "Topology": {"AllNodes": {"A": "SELF", "B": "SELF/b"}},
        "NodeLicenseDetails": {"A": {"BuildInfo": BUILD_54}, "B": {"BuildInfo": BUILD_60}},
    }
    replay("/build/version", BUILD_54)
    replay("/cluster/topology", topology)
    found = ravendb.probe(replay.url, timeout=2)
    assert [(n.tag, str(n.version), n.commit) for n in found.nodes] == [
        ("A", "5.4.116.54109", "25b927d"),
        ("B", "6.0.105.60071", "aaaaaaa"),
    ]
    assert ravendb.check_nodes([n.version for n in found.nodes]).rule == "mixed-line-nodes"


def test_nodes_without_build_info_are_probed_at_their_own_url_concurrently(replay):
    nodes = {f"N{n}": f"SELF/node/{n}" for n in range(100)}
    replay("/cluster/topology", {"Topology": {"AllNodes": nodes}, "NodeLicenseDetails": None})
    replay("/build/version", BUILD_54)
    start = time.monotonic()
    found = ravendb.probe(replay.url, timeout=5)
    elapsed = time.monotonic() - start
    assert len(found.nodes) == 100 and {n.version for n in found.nodes} == {found.version}
    assert elapsed < 2, f"100 nodes took {elapsed:.2f} s"


def refused_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def silent():
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def test_connection_refused():
    with pytest.raises(ServerError, match="refused the connection"):
        ravendb.probe(refused_url(), timeout=1)


def test_a_server_that_never_answers_times_out(silent):
    start = time.monotonic()
    with pytest.raises(ServerError, match="did not answer within 0.5 s"):
        ravendb.probe(silent, timeout=0.5)
    assert time.monotonic() - start < 2


def test_a_slow_trickle_meets_the_overall_deadline(replay):
    replay("/build/version", json.dumps(BUILD_41).encode() * 3, pause=0.05)
    start = time.monotonic()
    with pytest.raises(ServerError, match="too slow|did not answer"):
        ravendb.probe(replay.url, timeout=1)
    assert time.monotonic() - start < 3


@pytest.mark.parametrize(
    ("status", "body", "headers", "message"),
    [
        (401, b"", {}, "needs a client certificate"),
        (403, b"", {}, "needs a client certificate"),
        (404, b"", {}, "has no /build/version"),
        (500, b"oops", {}, "HTTP 500"),
        (200, b"<html><body>Sign in</body></html>", {"Content-Type": "text/html"}, "with HTML"),
        (200, b"\xff\xfe garbage", {}, "not JSON"),
        (200, b'{"FullVersion": ' + b"1" * 5000 + b"}", {}, "not JSON"),  # past int()'s digits
        (200, b"[" * 100_000 + b"]" * 100_000, {}, "not JSON"),  # deeper than json recurses
        (200, json.dumps({"Version": "4.1"}).encode(), {}, "without a FullVersion"),
        (200, json.dumps([1, 2]).encode(), {}, "without a FullVersion"),
        (200, json.dumps({"FullVersion": "4.1.0-custom-41"}).encode(), {}, "does not parse"),
        (302, b"", {"Location": "http://elsewhere.example/build/version"}, "follows no redirect"),
        (200, b" " * (5 * 2**20), {}, "over the 4 MiB limit"),
        (200, gzip.compress(b" " * (64 * 2**20)), {"Content-Encoding": "gzip"}, "inflates past"),
        (200, b"not gzip", {"Content-Encoding": "gzip"}, "does not decompress"),
    ],
)
def test_every_fault_is_one_sentence(replay, status, body, headers, message):
    replay("/build/version", body, status=status, headers=headers)
    replay("/cluster/topology", TOPOLOGY_41)
    with pytest.raises(ServerError, match=message) as caught:
        ravendb.probe(replay.url, timeout=2)
    assert str(caught.value).startswith(replay.url)
    assert "\n" not in str(caught.value)


def test_a_gzip_reply_is_read(replay):
    replay(
        "/build/version",
        gzip.compress(json.dumps(BUILD_41).encode()),
        headers={"Content-Encoding": "gzip"},
    )
    replay("/cluster/topology", TOPOLOGY_41)
    assert ravendb.probe(replay.url, timeout=2).version == ravendb.Version(4, 1, 0, 41001)


def test_a_bad_header_is_named(replay):
    replay("/build/version", BUILD_41, headers={"Raven-Server-Version": "four"})
    replay("/cluster/topology", TOPOLOGY_41)
    with pytest.raises(ServerError, match="Raven-Server-Version"):
        ravendb.probe(replay.url, timeout=2)


def test_the_cli_probes_then_judges(capsys, replay):
    ravendb_41(replay)
    status, out, _ = run(capsys, "ravendb", "probe", replay.url)
    assert status == 0 and "RavenDB 4.1.0.41001 (commit 86e8830)" in out
    status, out, _ = run(capsys, "ravendb", "probe", replay.url, "--json")
    document = json.loads(out)
    assert (
        document["rule"] == "same-line-nodes" and document["servers"][0]["version"] == "4.1.0.41001"
    )
    for client, expected in (("4.1.7", 0), ("4.0.3", 0), ("5.4.110", 1)):
        argv = ["ravendb", "check", "--client", client, "--server", replay.url]
        assert run(capsys, *argv)[0] == expected, client


def test_an_unreachable_server_has_its_own_exit_status(capsys):
    url = refused_url()
    status, out, err = run(capsys, "ravendb", "probe", url, "--timeout", "1")
    assert status == 3 and out == "" and err.count("\n") == 1 and "refused the connection" in err
    status, out, _ = run(capsys, "ravendb", "check", "--client", "5.4", "--server", url, "--json")
    assert status == 3 and json.loads(out)["error"]["kind"] == "unreachable-server"


@pytest.fixture
def secured(tmp_path):
    """A replay server over HTTPS that requires a client certificate, with a CA made now."""
    trustme = pytest.importorskip("trustme")
    import ssl

    authority = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    authority.configure_trust(context)
    context.verify_mode = ssl.CERT_REQUIRED
    handler = type("Handler", (Replay,), {"routes": {}})
    server = QuietServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    url = f"https://127.0.0.1:{server.server_address[1]}"
    body = json.dumps(BUILD_41).encode()
    handler.routes["/build/version"] = (200, {"Raven-Server-Version": "4.1.0.41001"}, body, 0.0)
    topology = json.dumps(TOPOLOGY_41).replace("SELF", url).encode()
    handler.routes["/cluster/topology"] = (200, {}, topology, 0.0)
    ca = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca))
    client = tmp_path / "client.pem"
    issued = authority.issue_cert("dbcompat-tests")
    issued.private_key_and_cert_chain_pem.write_to_path(str(client))
    yield {"url": url, "ca": str(ca), "cert": str(client), "issued": issued}
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_a_secured_server_is_read_with_a_client_certificate(secured):
    found = ravendb.probe(secured["url"], ca=secured["ca"], cert=secured["cert"], timeout=3)
    assert found.version == ravendb.Version(4, 1, 0, 41001)


def test_a_secured_server_without_the_ca_or_the_certificate_is_a_clear_refusal(secured):
    with pytest.raises(ServerError, match="TLS|could not be read") as caught:
        ravendb.probe(secured["url"], timeout=3)
    assert str(caught.value).startswith(secured["url"])
    with pytest.raises(ServerError, match="TLS|could not be read"):
        ravendb.probe(secured["url"], ca=secured["ca"], timeout=3)


def test_insecure_skips_verification_only_when_asked(secured):
    found = ravendb.probe(secured["url"], cert=secured["cert"], insecure=True, timeout=3)
    assert found.commit == "86e8830"


def test_the_cli_takes_the_tls_files(secured, capsys):
    argv = ["ravendb", "probe", secured["url"], "--ca", secured["ca"], "--cert", secured["cert"]]
    status, out, _ = run(capsys, *argv)
    assert status == 0 and "RavenDB 4.1.0.41001" in out
    status, _, err = run(capsys, "ravendb", "probe", secured["url"], "--timeout", "3")
    assert status == 3 and secured["cert"] not in err


def _pfx(issued, path, password):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    key = serialization.load_pem_private_key(issued.private_key_pem.bytes(), None)
    certificate = x509.load_pem_x509_certificate(issued.cert_chain_pems[0].bytes())
    encryption = (
        serialization.NoEncryption()
        if password is None
        else serialization.BestAvailableEncryption(password.encode())
    )
    bundle = pkcs12.serialize_key_and_certificates(b"c", key, certificate, None, encryption)
    path.write_bytes(bundle)
    return str(path)


def test_a_pfx_bundle_is_a_client_certificate_too(secured, tmp_path):
    bundle = _pfx(secured["issued"], tmp_path / "client.pfx", "pässword")
    found = ravendb.probe(
        secured["url"], ca=secured["ca"], pfx=bundle, pfx_password="pässword", timeout=3
    )
    assert found.version == ravendb.Version(4, 1, 0, 41001)
    plain = _pfx(secured["issued"], tmp_path / "plain.pfx", None)
    assert ravendb.probe(secured["url"], ca=secured["ca"], pfx=plain, timeout=3).commit == "86e8830"
    with pytest.raises(ValueError, match="wrong password") as caught:
        ravendb.probe(secured["url"], ca=secured["ca"], pfx=bundle, pfx_password="no", timeout=3)
    assert "pässword" not in str(caught.value)


def test_the_cli_reads_the_pfx_password_from_a_file_or_the_environment(
    secured, tmp_path, capsys, monkeypatch
):
    bundle = _pfx(secured["issued"], tmp_path / "client.pfx", "s3cret")
    argv = ["ravendb", "probe", secured["url"], "--ca", secured["ca"], "--pfx", bundle]
    status, _, err = run(capsys, *argv)
    assert status == 2 and "wrong password" in err
    secret = tmp_path / "password"
    secret.write_text("s3cret\n")
    status, out, _ = run(capsys, *argv, "--pfx-password-file", str(secret))
    assert status == 0 and "RavenDB 4.1.0.41001" in out
    monkeypatch.setenv("DBCOMPAT_PFX_PASSWORD", "s3cret")
    status, out, _ = run(capsys, *argv, "--json")
    assert status == 0 and "s3cret" not in out


def test_a_missing_pfx_extra_is_named(secured, tmp_path, monkeypatch):
    import sys

    bundle = _pfx(secured["issued"], tmp_path / "client.pfx", None)
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.serialization", None)
    with pytest.raises(ValueError, match=r"pip install 'dbcompat\[pfx\]'"):
        ravendb.probe(secured["url"], pfx=bundle, timeout=3)


class Viewer(BaseHTTPRequestHandler):
    """A YDB viewer replaying a cluster of nodes as the real one answers: its node list paged,
    and, where its API level has them, its capabilities, version groups and MapVersions."""

    nodes: ClassVar[list[dict]] = []
    token: ClassVar[str | None] = None
    requests: ClassVar[list[str]] = []
    level: ClassVar[int | None] = None  # /viewer/nodes in /viewer/capabilities; None: 404
    cluster_version: ClassVar[int] = 1  # 2 and later add MapVersions to /viewer/json/cluster

    def do_GET(self):
        from urllib.parse import parse_qs, urlsplit

        self.requests.append(self.path)
        parts = urlsplit(self.path)
        if parts.path == "/viewer/capabilities":  # answered without a token, as the real one
            if self.level is None:
                return self.answer(404, b"Not Found")
            return self.answer(200, {"Capabilities": {"/viewer/nodes": self.level}})
        if self.token and self.headers.get("Authorization") != f"OAuth {self.token}":
            return self.answer(401, b"")
        versions = Counter(node["SystemState"]["Version"] for node in self.nodes)
        if parts.path == "/viewer/json/cluster":
            body = {"Version": self.cluster_version, "Versions": sorted(versions)}
            if self.cluster_version >= 2:
                body["MapVersions"] = dict(versions)
            return self.answer(200, body)
        query = parse_qs(parts.query)
        if query.get("group") == ["Version"] and (self.level or 0) >= 6:
            groups = [{"GroupName": name, "NodeCount": n} for name, n in versions.items()]
            return self.answer(200, {"NodeGroups": groups, "TotalNodes": str(len(self.nodes))})
        offset, limit = int(query.get("offset", ["0"])[0]), int(query.get("limit", ["100"])[0])
        page = self.nodes[offset : offset + limit]
        return self.answer(
            200,
            {"Overall": "Green", "Nodes": page, "TotalNodes": str(len(self.nodes)),
             "FoundNodes": str(len(self.nodes))},
        )  # fmt: skip

    def answer(self, status, body):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *_):
        pass


def ydb_node(node_id, version, roles=("Storage",)):
    return {
        "NodeId": node_id,
        "SystemState": {
            "NodeId": node_id,
            "Host": f"host-{node_id}.test",
            "Version": version,
            "Roles": list(roles),
            "SystemState": "Green",
        },
    }


@pytest.fixture
def viewer():
    handler = type(
        "Handler",
        (Viewer,),
        {"nodes": [], "token": None, "requests": [], "level": None, "cluster_version": 1},
    )
    server = QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    handler.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield handler
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_a_large_ydb_cluster_is_read_page_by_page(viewer):
    from dbcompat import ydb

    viewer.nodes = [ydb_node(n, "25.1.4.18.08bebbe") for n in range(1, 2401)] + [
        ydb_node(2401, "24.4.4.12.0abcdef", roles=("Tenant",))
    ]
    found = ydb.probe(viewer.url, timeout=5)
    assert len(found.nodes) == 2401 and len(viewer.requests) == 3
    assert found.nodes[-1].roles == ("Tenant",) and found.nodes[0].host == "host-1.test"
    assert found.nodes[0].version.commit == "08bebbe"
    assert {str(n.version.release) for n in found.nodes} == {"(25, 1, 4, 18)", "(24, 4, 4, 12)"}


def test_the_ydb_cli_counts_versions_and_judges_the_cluster(viewer, capsys):
    viewer.nodes = [ydb_node(1, "24.3.11.13.1234567"), ydb_node(2, "24.4.4.12.0abcdef")]
    viewer.nodes.append(ydb_node(3, "main.b7cfb36"))
    status, out, _ = run(capsys, "ydb", "probe", viewer.url)
    assert status == 1
    assert out.splitlines()[0].startswith(
        "cluster of 2 nodes: refused (lower-major-not-last-minor)"
    )
    assert "node 1 (host-1.test) on 24.3.11.13.1234567" in out
    assert "node 3 runs a development build (main.b7cfb36): left out" in out
    status, out, _ = run(capsys, "ydb", "probe", viewer.url, "--json")
    assert status == 1 and json.loads(out)["offenders"][0]["label"] == "node 1 (host-1.test)"


def test_a_token_comes_from_a_file_or_the_environment_and_never_shows(
    viewer, capsys, tmp_path, monkeypatch
):
    viewer.nodes = [ydb_node(1, "25.1.4.18")]
    viewer.token = "s3cret-token"
    status, _, err = run(capsys, "ydb", "probe", viewer.url)
    assert status == 3 and "needs a client certificate or a token" in err
    secret = tmp_path / "token"
    secret.write_text("s3cret-token\n")
    status, out, _ = run(capsys, "ydb", "probe", viewer.url, "--token-file", str(secret))
    assert status == 0 and "s3cret" not in out
    monkeypatch.setenv("YDB_TOKEN", "s3cret-token")
    status, out, _ = run(capsys, "ydb", "probe", viewer.url, "--json")
    assert status == 0 and "s3cret" not in out
    monkeypatch.setenv("YDB_TOKEN", "wrong")
    status, _, err = run(capsys, "ydb", "probe", viewer.url)
    assert status == 3 and "wrong" not in err and "s3cret" not in err


def test_a_node_whose_version_does_not_parse_is_named(viewer):
    from dbcompat import ydb

    viewer.nodes = [ydb_node(1, "25.1.4.18"), ydb_node(7, "twenty-five")]
    with pytest.raises(ServerError, match=r"node 7 \(host-7.test\) reports a version"):
        ydb.probe(viewer.url, timeout=2)


def test_a_viewer_of_another_shape_is_named(replay):
    from dbcompat import ydb

    replay("/viewer/json/nodes", {"Nodes": "none"})
    with pytest.raises(ServerError, match="another shape"):
        ydb.probe(replay.url, timeout=2)
    replay("/viewer/json/nodes", {"Nodes": [{"NodeId": 1}]})
    with pytest.raises(ServerError, match="SystemState"):
        ydb.probe(replay.url, timeout=2)


def test_ydb_check_and_plan_take_the_running_version_from_the_viewer(viewer, capsys):
    viewer.nodes = [ydb_node(1, "25.1.4.18.08bebbe"), ydb_node(2, "25.1.4.7.0abcdef")]
    status, out, _ = run(capsys, "ydb", "check", viewer.url, "25.2.1.26", "--json")
    document = json.loads(out)
    assert status == 0 and document["rule"] == "next-major"
    assert document["inputs"]["current"] == {"given": viewer.url, "read": "25.1.4.7.0abcdef"}
    status, out, _ = run(capsys, "ydb", "plan", viewer.url, "25.3.1.27")
    assert status == 0 and "25.2.1.26" in out


def test_nodes_on_two_majors_have_no_one_running_version(viewer, capsys):
    viewer.nodes = [ydb_node(1, "24.4.4.12"), ydb_node(2, "25.1.4.18")]
    status, out, _ = run(capsys, "ydb", "check", viewer.url, "25.2.1.26", "--json")
    assert status == 1 and json.loads(out)["rule"] == "nodes-disagree"
    status, out, _ = run(capsys, "ydb", "plan", viewer.url, "25.2.1.26")
    assert status == 1 and out.startswith("No plan: The nodes do not agree on a major")


def test_one_deadline_covers_the_server_and_all_its_nodes(replay):
    nodes = {f"N{n}": f"SELF/node/{n}" for n in range(40)}
    replay("/cluster/topology", {"Topology": {"AllNodes": nodes}, "NodeLicenseDetails": None})
    replay("/build/version", json.dumps(BUILD_54).encode(), pause=0.001)
    start = time.monotonic()
    with pytest.raises(ServerError, match="within 0.5 s|too slow"):
        ravendb.probe(replay.url, timeout=0.5)
    # Each of the 41 answers trickles for about 0.3 s: a deadline per request would take over
    # 12 s. A generous margin over the one deadline, for a loaded machine.
    assert time.monotonic() - start < 6


def _spread_cluster(viewer):
    viewer.nodes = [ydb_node(n, "25.1.4.18.08bebbe") for n in range(1, 1501)]
    viewer.nodes += [ydb_node(1501, "25.1.4.7.0abcdef"), ydb_node(1502, "main.b7cfb36")]
    return {"25.1.4.18.08bebbe": 1500, "25.1.4.7.0abcdef": 1, "main.b7cfb36": 1}


@pytest.mark.parametrize(
    ("level", "cluster_version", "source", "requests"),
    [
        (6, 1, "/viewer/json/nodes?group=Version", 2),  # capabilities, then one grouped reply
        (5, 2, "/viewer/json/cluster", 2),  # capabilities, then MapVersions
        (None, 2, "/viewer/json/cluster", 2),  # a viewer older than its capabilities
        (None, 1, "/viewer/json/nodes", 4),  # no summary anywhere: two pages of nodes
    ],
)
def test_the_spread_of_versions_takes_the_cheapest_endpoint_the_viewer_has(
    viewer, level, cluster_version, source, requests
):
    from dbcompat import ydb

    expected = _spread_cluster(viewer)
    viewer.level, viewer.cluster_version = level, cluster_version
    found = ydb.spread(viewer.url, timeout=5)
    assert found.source == source and len(viewer.requests) == requests
    assert {group.reported: group.nodes for group in found.groups} == expected
    versions = {group.reported: group.version for group in found.groups}
    assert versions["main.b7cfb36"] is None
    assert versions["25.1.4.7.0abcdef"] == ydb.parse("25.1.4.7.0abcdef", strict=False)


@pytest.mark.parametrize("level", [6, None])
def test_ydb_check_reads_the_spread_and_judges_the_lowest_node(viewer, capsys, level):
    _spread_cluster(viewer)
    viewer.level, viewer.cluster_version = level, 2
    status, out, _ = run(capsys, "ydb", "check", viewer.url, "25.2.1.26", "--json")
    document = json.loads(out)
    assert status == 0 and document["rule"] == "next-major"
    assert document["inputs"]["current"]["read"] == "25.1.4.7.0abcdef"
    assert not any("offset" in request for request in viewer.requests)


def test_the_spread_needs_the_token_past_the_capabilities(viewer):
    from dbcompat import ydb

    _spread_cluster(viewer)
    viewer.level, viewer.token = 6, "s3cret-token"
    with pytest.raises(ServerError, match="HTTP 401") as caught:
        ydb.spread(viewer.url, timeout=2)
    assert caught.value.status == 401 and "s3cret" not in str(caught.value)
    assert len(ydb.spread(viewer.url, token="s3cret-token", timeout=2).groups) == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"NodeGroups": "many"}, "another shape"),
        ({"NodeGroups": [{"GroupName": "25.1.4.18"}]}, "without its version or node count"),
        ({"NodeGroups": [{"GroupName": "twenty-five", "NodeCount": 3}]}, "does not parse"),
        ({"NodeGroups": []}, "reports no nodes"),
    ],
)
def test_a_version_group_of_the_wrong_shape_is_named(replay, body, message):
    from dbcompat import ydb

    replay("/viewer/capabilities", {"Capabilities": {"/viewer/nodes": 7}})
    replay("/viewer/json/nodes", body)
    with pytest.raises(ServerError, match=message):
        ydb.spread(replay.url, timeout=2)


def test_a_host_that_does_not_resolve_is_one_sentence(capsys):
    # .invalid never resolves (RFC 2606), so no query leaves the machine for an answer.
    status, _, err = run(capsys, "ydb", "probe", "http://no-such-host.invalid:8765")
    assert status == 3
    assert err.strip().endswith("names a host that does not resolve (no-such-host.invalid)")
    assert len(err.strip().splitlines()) == 1


class Crowd(BaseHTTPRequestHandler):
    """A RavenDB server that answers slowly and counts how many clients it serves at once."""

    lock = threading.Lock()
    active = 0
    most = 0

    def do_GET(self):
        cls = type(self)
        with cls.lock:
            cls.active += 1
            cls.most = max(cls.most, cls.active)
        time.sleep(0.1)
        with cls.lock:
            cls.active -= 1
        body = json.dumps(
            BUILD_54 if self.path.endswith("/build/version") else {"Topology": {"AllNodes": {}}}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_):
        pass


def test_many_servers_are_probed_a_bounded_few_at_a_time():
    from dbcompat.ravendb.live import MAX_CONCURRENT

    handler = type("Handler", (Crowd,), {"lock": threading.Lock(), "active": 0, "most": 0})
    server = QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        urls = [f"http://127.0.0.1:{server.server_address[1]}/s{n}" for n in range(30)]
        found = ravendb.probe_all(urls, timeout=10)
        assert [each.url for each in found] == urls
        assert 2 <= handler.most <= MAX_CONCURRENT
        with pytest.raises(ServerError) as caught:  # 30 servers of 0.2 s each, 8 at a time
            ravendb.probe_all(urls, timeout=0.3)
        assert caught.value.url in urls
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_one_url_given_as_text_is_a_type_error_not_a_probe_of_each_letter():
    # Read letter by letter, the first fault was "h is not an http:// or https:// URL".
    with pytest.raises(TypeError, match=r"^urls must be a sequence of server URLs, not one str"):
        ravendb.probe_all("http://127.0.0.1:9")


def test_probes_speak_the_ci_formats(viewer, replay, capsys):
    import xml.etree.ElementTree as ElementTree

    viewer.nodes = [ydb_node(1, "24.3.11.13.1234567"), ydb_node(2, "24.4.4.12.0abcdef")]
    status, out, _ = run(capsys, "ydb", "probe", viewer.url, "--format", "junit")
    case = ElementTree.fromstring(out.encode()).find("./testsuite/testcase/failure")
    assert status == 1 and case.get("type") == "lower-major-not-last-minor"
    ravendb_41(replay)
    status, out, _ = run(capsys, "ravendb", "probe", replay.url, "--format", "sarif")
    (result,) = json.loads(out)["runs"][0]["results"]
    assert status == 0 and result["ruleId"] == "same-line-nodes" and result["level"] == "note"
