"""Probing YDB clusters through their viewer, against a loopback viewer that replays a cluster of
nodes: every node's version, the spread of versions from the cheapest endpoint, tokens, and the
verdicts of ydb probe, check and plan on what the cluster runs."""

from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler
from typing import ClassVar

import pytest

from dbcompat import ServerError
from tests.helpers import run
from tests.servers import QuietServer, ravendb_41


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
    viewer.nodes = [ydb_node(1, "24.2.7.1234567"), ydb_node(2, "24.4.4.12.0abcdef")]
    viewer.nodes += [ydb_node(4, "24.4.4.12.0abcdef")]
    status, out, _ = run(capsys, "ydb", "probe", viewer.url)
    assert status == 1
    assert out.splitlines()[0].startswith("cluster of 3 nodes: refused (non-adjacent-majors)")
    assert "node 1 (host-1.test) on 24.2.7.1234567" in out
    status, out, _ = run(capsys, "ydb", "probe", viewer.url, "--json")
    assert status == 1 and json.loads(out)["offenders"][0]["label"] == "node 1 (host-1.test)"
    # A development build is a node too (before issue 27 it was left out): YDB never runs it
    # beside releases.
    viewer.nodes.append(ydb_node(3, "main.b7cfb36"))
    status, out, _ = run(capsys, "ydb", "probe", viewer.url)
    assert status == 1 and out.splitlines()[0] == (
        "cluster of 4 nodes: refused (development-beside-release): 1 node (node 3 (host-3.test) "
        "on main.b7cfb36) runs a development build beside releases"
    )
    assert "development builds: main.b7cfb36 x1" in out
    status, out, _ = run(capsys, "ydb", "probe", viewer.url, "--json")
    document = json.loads(out)
    assert document["development"] == [
        {"build": "main.b7cfb36", "count": 1, "labels": ["node 3 (host-3.test)"]}
    ]


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
    development = viewer.nodes.pop()
    viewer.level, viewer.cluster_version = level, 2
    status, out, _ = run(capsys, "ydb", "check", viewer.url, "25.2.1.26", "--json")
    document = json.loads(out)
    assert status == 0 and document["rule"] == "next-major"
    assert document["inputs"]["current"]["read"] == "25.1.4.7.0abcdef"
    assert not any("offset" in request for request in viewer.requests)
    # Before issue 27 the development build was left out and the move judged from 25.1.4.7;
    # YDB never runs it beside releases, so the cluster has no state to move from.
    viewer.nodes.append(development)
    status, out, _ = run(capsys, "ydb", "check", viewer.url, "25.2.1.26", "--json")
    assert status == 1 and json.loads(out)["rule"] == "development-beside-release"


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


def test_probes_speak_the_ci_formats(viewer, replay, capsys):
    import xml.etree.ElementTree as ElementTree

    viewer.nodes = [ydb_node(1, "24.2.7.1234567"), ydb_node(2, "24.4.4.12.0abcdef")]
    status, out, _ = run(capsys, "ydb", "probe", viewer.url, "--format", "junit")
    case = ElementTree.fromstring(out.encode()).find("./testsuite/testcase/failure")
    assert status == 1 and case.get("type") == "non-adjacent-majors"
    ravendb_41(replay)
    status, out, _ = run(capsys, "ravendb", "probe", replay.url, "--format", "sarif")
    (result,) = json.loads(out)["runs"][0]["results"]
    assert status == 0 and result["ruleId"] == "same-line-nodes" and result["level"] == "note"


def test_a_token_is_trimmed_and_one_with_a_control_character_is_refused_unseen(
    viewer, capsys, tmp_path, monkeypatch
):
    viewer.nodes = [ydb_node(1, "25.1.4.18")]
    viewer.token = "s3cret-token"
    monkeypatch.setenv("YDB_TOKEN", "s3cret-token\r")  # what $(cat file) leaves of a CRLF file
    status, out, err = run(capsys, "ydb", "probe", viewer.url, "--json")
    assert status == 0 and "s3cret" not in out + err
    secret = tmp_path / "token"
    for bad in ("s3cret\ntoken", "s3cret\ttoken", "\r\n"):
        secret.write_text(bad)
        arguments = [viewer.url, "--token-file", str(secret)]
        for json_flag in ([], ["--json"]):
            status, out, err = run(capsys, "ydb", "probe", *arguments, *json_flag)
            assert status == 2 and "control character" in out + err
            assert "s3cret" not in out + err and "token'" not in out + err


def test_a_password_in_a_url_is_never_shown(viewer, capsys):
    viewer.nodes = [ydb_node(1, "25.1.4.18")]
    port = viewer.url.rsplit(":", 1)[1]
    with_password = f"http://admin:pa55word@127.0.0.1:{port}"
    status, out, err = run(capsys, "ydb", "probe", with_password, "--json")
    assert "pa55word" not in out + err and "admin:***@" in out
    closed = "http://admin:pa55word@127.0.0.1:1"
    status, out, err = run(capsys, "ydb", "probe", closed, "--timeout", "2")
    assert status == 3 and "pa55word" not in out + err and "admin:***@" in err


def test_the_scheme_has_no_case():
    import ssl

    from dbcompat.cli.inputs import is_url
    from dbcompat.ydb.live import _Viewer

    assert is_url("HTTPS://ydb.example:8765")
    viewer = _Viewer("HTTPS://127.0.0.1:1", None, None, True, 1.0)
    assert viewer.context is not None and viewer.context.verify_mode == ssl.CERT_NONE


@pytest.mark.parametrize(
    "body",
    [
        b'{"NodeGroups": [{"GroupName": "25.1.4.18", "NodeCount": Infinity}]}',
        b'{"NodeGroups": [{"GroupName": "25.1.4.18", "NodeCount": 1e999}]}',
        b'{"NodeGroups": [{"GroupName": "25.1.4.18", "NodeCount": true}]}',
        b'{"NodeGroups": [{"GroupName": "25.1.4.18", "NodeCount": NaN}]}',
    ],
)
def test_hostile_numbers_are_a_server_error_not_a_traceback(replay, body):
    from dbcompat import ydb

    replay("/viewer/capabilities", {"Capabilities": {"/viewer/nodes": 7}})
    replay("/viewer/json/nodes", body)
    with pytest.raises(ServerError):
        ydb.spread(replay.url, timeout=2)


def test_one_deadline_holds_while_a_server_trickles_its_headers(capsys):
    import socket
    import threading
    import time

    # A server that answers its status line, then one byte of a header every 0.2 s for a
    # minute: each read gets a byte long before a socket timeout, so only a deadline over the
    # whole request ends it. Before, a probe with --timeout 2 was held 25 s.
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            for _ in range(300):
                if stop.wait(0.2):
                    return
                try:
                    connection.sendall(b"X")
                except OSError:
                    return

    server = threading.Thread(target=trickle, daemon=True)
    server.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        started = time.monotonic()
        status, _, err = run(capsys, "ydb", "probe", url, "--timeout", "2")
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        listener.close()
        server.join(timeout=5)
    assert status == 3 and ("did not answer within" in err or "too slow" in err)
    assert elapsed < 12  # the deadline is 2 s; a generous margin for a loaded machine
