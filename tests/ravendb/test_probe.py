"""Probing RavenDB servers, against a loopback replay server of recorded payloads.

Every server here listens on 127.0.0.1 only, on an ephemeral port, and stops with its test.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest

from dbcompat import ServerError, ravendb
from tests.helpers import run
from tests.servers import BUILD_41, TOPOLOGY_41, QuietServer, Replay, ravendb_41

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


def test_nodes_without_build_info_are_probed_at_their_own_url_concurrently(replay, monkeypatch):
    from dbcompat.ravendb import live

    nodes = {f"N{n}": f"SELF/node/{n}" for n in range(100)}
    replay("/cluster/topology", {"Topology": {"AllNodes": nodes}, "NodeLicenseDetails": None})
    # Each answer trickles for some tens of milliseconds, and the requests under way are counted
    # as the probe makes them: asked one at a time, they would never be more than one. (A clock
    # would measure the machine: 100 nodes asked one at a time over loopback take a tenth of a
    # second when they answer at once.)
    replay("/build/version", BUILD_54, pause=0.0005)
    lock, asked = threading.Lock(), {"now": 0, "most": 0}
    get_json = live.get_json

    def counted(*args, **kwargs):
        with lock:
            asked["now"] += 1
            asked["most"] = max(asked["most"], asked["now"])
        try:
            return get_json(*args, **kwargs)
        finally:
            with lock:
                asked["now"] -= 1

    monkeypatch.setattr(live, "get_json", counted)
    found = ravendb.probe(replay.url, timeout=10)  # about 1 s, 8 at a time: 10x, for a loaded one
    assert len(found.nodes) == 100 and {n.version for n in found.nodes} == {found.version}
    assert 2 <= asked["most"] <= live.MAX_CONCURRENT


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
    # Ten times the timeout, for a loaded machine: without one, the probe would wait for ever.
    assert time.monotonic() - start < 5


def test_a_slow_trickle_meets_the_overall_deadline(replay):
    replay("/build/version", json.dumps(BUILD_41).encode() * 3, pause=0.05)
    start = time.monotonic()
    with pytest.raises(ServerError, match="too slow|did not answer"):
        ravendb.probe(replay.url, timeout=1)
    # The reply trickles for some 15 s (291 bytes, 0.05 s apart), every byte well within a read's
    # timeout: only one deadline for the whole reply stops it, at 1 s. Seven times that, for a
    # loaded machine, and still under half the trickle.
    assert time.monotonic() - start < 7


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


def test_one_deadline_covers_the_server_and_all_its_nodes(replay):
    nodes = {f"N{n}": f"SELF/node/{n}" for n in range(40)}
    replay("/cluster/topology", {"Topology": {"AllNodes": nodes}, "NodeLicenseDetails": None})
    replay("/build/version", json.dumps(BUILD_54).encode(), pause=0.001)
    start = time.monotonic()
    with pytest.raises(ServerError, match="within 0.5 s|too slow"):
        ravendb.probe(replay.url, timeout=0.5)
    # Each of the 41 answers trickles for a tenth of a second or more (a hundred bytes, a
    # millisecond or more apart): each fits in 0.5 s, so the error above comes from one deadline
    # over them all. The probe stops at that deadline: twelve times it, for a loaded machine.
    assert time.monotonic() - start < 6


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
    # Read letter by letter, the first fault would be "h is not an http:// or https:// URL".
    with pytest.raises(TypeError, match=r"^urls must be a sequence of server URLs, not one str"):
        ravendb.probe_all("http://127.0.0.1:9")


@pytest.mark.parametrize(
    ("topology", "status"),
    [
        ({"Topology": {"AllNodes": ["A", "SELF"]}}, 3),
        ({"Topology": {"AllNodes": {"A": 8080}}}, 3),
        # Details of another shape say nothing: the node is the server asked, and answered.
        ({"Topology": {"AllNodes": {"A": "SELF"}}, "NodeLicenseDetails": {"A": ["Build"]}}, 0),
    ],
)
def test_a_topology_of_another_shape_is_a_server_error_not_a_traceback(
    replay, capsys, topology, status
):
    replay("/build/version", BUILD_54)
    replay("/cluster/topology", topology)
    got, out, err = run(capsys, "ravendb", "probe", replay.url, "--timeout", "2")
    assert got == status and "Traceback" not in out + err


def test_ravendb_plan_takes_a_url_as_current_as_ydb_plan_does(replay, capsys):
    ravendb_41(replay)
    status, out, _ = run(capsys, "ravendb", "plan", replay.url, "5.4", "--client", "4.1.7")
    assert status == 0 and out.startswith("Server 4.1.0.41001 to 5.4")
    status, out, _ = run(capsys, "ravendb", "plan", replay.url, "5.4", "--json", "--timeout", "2")
    assert status == 0 and json.loads(out)["inputs"]["current"] == {
        "given": replay.url,
        "read": "4.1.0.41001",
    }
    status, _, err = run(capsys, "ravendb", "plan", "http://127.0.0.1:1", "5.4", "--timeout", "1")
    assert status == 3 and "refused the connection" in err
