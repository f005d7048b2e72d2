"""Where a RavenDB probe goes: only to the servers it was given, unless asked to follow the
cluster's topology; a client certificate offered only to those servers; nodes left unprobed
listed, and the answer incomplete (exit status 4), never a silent "allowed"."""

from __future__ import annotations

import json
import ssl
import threading

import pytest

from dbcompat import ravendb
from tests.helpers import run
from tests.servers import BUILD_41, QuietServer, Replay

BUILD_54 = {"BuildVersion": 54109, "CommitHash": "25b927d", "FullVersion": "5.4.116"}


class Recording(Replay):
    """Replay, noting each request's path and whether the client offered a certificate."""

    def do_GET(self):  # noqa: N802 (http.server calls it by this name)
        offered = isinstance(self.connection, ssl.SSLSocket) and bool(self.connection.getpeercert())
        self.server.asked.append((self.path, offered))
        super().do_GET()


@pytest.fixture
def servers(tmp_path):
    """``make(tls)``: a loopback server that records what it is asked; over TLS, with a client
    certificate optional, so that the test sees whether one was offered."""
    trustme = pytest.importorskip("trustme")
    authority = trustme.CA()
    started = []

    def make(tls=False):
        handler = type("Handler", (Recording,), {"routes": {}})
        server = QuietServer(("127.0.0.1", 0), handler)
        server.asked = []
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            authority.issue_cert("127.0.0.1").configure_cert(context)
            authority.configure_trust(context)
            context.verify_mode = ssl.CERT_OPTIONAL
            server.socket = context.wrap_socket(server.socket, server_side=True)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        started.append((server, thread))
        scheme = "https" if tls else "http"
        server.url = f"{scheme}://127.0.0.1:{server.server_address[1]}"
        return server

    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    authority.issue_cert("dbcompat-tests").private_key_and_cert_chain_pem.write_to_path(
        str(tmp_path / "client.pem")
    )
    make.ca, make.cert = str(tmp_path / "ca.pem"), str(tmp_path / "client.pem")
    yield make
    for server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def cluster(first, second, build=BUILD_54, second_url=None):
    """*first* names itself and *second* in its topology, with no build for either."""
    topology = {"Topology": {"AllNodes": {"A": first.url, "B": second_url or second.url}},
                "NodeLicenseDetails": None}  # fmt: skip
    for server in (first, second):
        server.RequestHandlerClass.routes.update({
            "/build/version": (200, {}, json.dumps(build).encode(), 0.0),
            "/cluster/topology": (200, {}, json.dumps(topology).encode(), 0.0),
        })  # fmt: skip


def test_a_node_at_a_server_not_given_is_listed_and_not_asked(servers):
    first, second = servers(), servers()
    cluster(first, second)
    found = ravendb.probe(first.url, timeout=5)
    assert [node.tag for node in found.nodes] == ["A"] and second.asked == []
    assert [(node.tag, node.url) for node in found.unprobed] == [("B", second.url)]
    assert "--follow-topology" in found.unprobed[0].why


def test_the_cli_says_the_answer_is_incomplete_with_exit_status_4(servers, capsys):
    first, second = servers(), servers()
    cluster(first, second)
    status, out, _ = run(capsys, "ravendb", "probe", first.url)
    assert status == 4 and f"node B at {second.url}: not probed" in out
    assert "cluster: incomplete, 1 node not probed; the nodes probed: allowed" in out
    status, out, _ = run(capsys, "ravendb", "probe", first.url, "--json")
    document = json.loads(out)
    assert status == 4 and document["servers"][0]["unprobed"][0]["url"] == second.url
    assert any(second.url in note for note in document["notes"])


def test_a_refusal_among_the_nodes_probed_is_a_refusal_not_incomplete(servers, capsys):
    first, second = servers(), servers()
    cluster(first, second)
    topology = {"Topology": {"AllNodes": {"A": first.url, "B": second.url, "C": "SELF"}},
                "NodeLicenseDetails": {"C": {"BuildInfo": BUILD_41}}}  # fmt: skip
    first.RequestHandlerClass.routes["/cluster/topology"] = (
        200, {}, json.dumps(topology).encode(), 0.0
    )  # fmt: skip
    assert run(capsys, "ravendb", "probe", first.url)[0] == 1


def test_following_the_topology_asks_the_node_where_it_is(servers, capsys):
    first, second = servers(), servers()
    cluster(first, second)
    found = ravendb.probe(first.url, timeout=5, follow_topology=True)
    assert [node.tag for node in found.nodes] == ["A", "B"] and found.unprobed == ()
    assert second.asked == [("/build/version", False)]
    assert run(capsys, "ravendb", "probe", first.url, "--follow-topology")[0] == 0


def test_a_node_at_another_server_given_is_asked_there(servers, capsys):
    first, second = servers(), servers()
    cluster(first, second, second_url=second.url.replace("http://", "HTTP://"))
    (found, _) = ravendb.probe_all([first.url, second.url], timeout=5)
    assert [node.tag for node in found.nodes] == ["A", "B"] and found.unprobed == ()
    assert run(capsys, "ravendb", "probe", first.url, second.url)[0] == 0


def test_the_client_certificate_goes_only_to_the_servers_given(servers):
    first, second = servers(tls=True), servers(tls=True)
    cluster(first, second)
    found = ravendb.probe(
        first.url, ca=servers.ca, cert=servers.cert, timeout=5, follow_topology=True
    )
    assert [node.tag for node in found.nodes] == ["A", "B"]
    assert first.asked and all(offered for _, offered in first.asked)
    assert second.asked == [("/build/version", False)]


def test_a_followed_node_of_another_scheme_is_not_asked(servers):
    first, second = servers(tls=True), servers()
    cluster(first, second)
    found = ravendb.probe(first.url, ca=servers.ca, timeout=5, follow_topology=True)
    assert second.asked == [] and "its scheme is not https" in found.unprobed[0].why
