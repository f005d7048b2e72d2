"""The admission webhook: its decisions on recorded object shapes, and the real server process
over TLS, with its faults and a load of concurrent reviews."""

from __future__ import annotations

import copy
import ctypes
import http.client
import json
import os
import queue
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from dbcompat.webhook import Policy, review

IMAGE = "cr.yandex/crptqonuodf51kdj7a7d/ydb"


def storage(tag=None, version=None, annotations=None):
    spec = {"nodes": 8, "erasure": "block-4-2", "domain": "Root"}
    if tag is not None:
        spec["image"] = {"name": f"{IMAGE}:{tag}"}
    if version is not None:
        spec["version"] = version
    metadata = {"name": "storage", "namespace": "ydb"}
    if annotations:
        metadata["annotations"] = annotations
    return {"apiVersion": "ydb.tech/v1alpha1", "kind": "Storage", "metadata": metadata,
            "spec": spec}  # fmt: skip


def database(tag=None):
    spec = {"nodes": 3, "storageClusterRef": {"name": "storage"}}
    if tag is not None:
        spec["image"] = {"name": f"{IMAGE}:{tag}"}
    return {"apiVersion": "ydb.tech/v1alpha1", "kind": "Database",
            "metadata": {"name": "database", "namespace": "ydb"}, "spec": spec}  # fmt: skip


def raven_cluster(tag, clients=None):
    metadata = {"name": "orders", "namespace": "raven"}
    if clients:
        metadata["annotations"] = {"dbcompat.io/ravendb-clients": clients}
    return {"apiVersion": "ravendb.ravendb.io/v1", "kind": "RavenDBCluster",
            "metadata": metadata,
            "spec": {"image": f"ravendb/ravendb:{tag}", "mode": "None", "nodes": []}}  # fmt: skip


def stateful_set(tag):
    container = {
        "name": "ydb-storage",
        "image": f"{IMAGE}:{tag}",
        "ports": [{"containerPort": 2135}],
    }
    return {"apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "storage", "namespace": "ydb"},
            "spec": {"replicas": 3, "template": {"spec": {"containers": [container]}}}}  # fmt: skip


def request(new, old=None, operation=None, uid="705ab4f5-6393-11e8-b7cc-42010a800002", **extra):
    operation = operation or ("UPDATE" if old is not None else "CREATE")
    group, _, version = new.get("apiVersion", "v1").rpartition("/")
    body = {
        "uid": uid,
        "kind": {"group": group, "version": version, "kind": new["kind"]},
        "resource": {"group": group, "version": version, "resource": new["kind"].lower() + "s"},
        "namespace": new["metadata"].get("namespace"),
        "name": new["metadata"]["name"],
        "operation": operation,
        "userInfo": {"username": "admin"},
        "object": new,
        "dryRun": False,
        **extra,
    }
    if old is not None:
        body["oldObject"] = old
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": body}


DEFAULT_POLICY = Policy()


def answer(body, policy=DEFAULT_POLICY):
    result = review(body, policy)
    assert result["apiVersion"] == "admission.k8s.io/v1" and result["kind"] == "AdmissionReview"
    assert result["response"]["uid"] == body["request"]["uid"]
    return result["response"]


@pytest.mark.parametrize(
    ("new", "old", "allowed", "reason"),
    [
        (storage("25.2.1.26"), storage("24.4.4.12"), False, "skips-major"),
        (storage("25.1.4.18"), storage("24.4.4.12"), True, None),
        (database("24.4.4.12"), database("24.3.11.13"), False, "not-last-minor"),
        (storage(version="23.1.26"), storage(), False, "skips-major"),  # from the default 22.2.22
        (stateful_set("25.2.1.26"), stateful_set("24.4.4.12"), False, "skips-major"),
        (raven_cluster("6.0.105-ubuntu.22.04-x64"), raven_cluster("5.4.110"), True, None),
        (raven_cluster("5.4.110"), raven_cluster("6.0.105"), False, "server-downgrade"),
        (raven_cluster("5.4.110", "api=6.0"), raven_cluster("5.4.110"), False,
         "from-4.2-server-older"),
    ],
)  # fmt: skip
def test_each_object_kind_is_judged_by_the_rules(new, old, allowed, reason):
    response = answer(request(new, old))
    assert response["allowed"] is allowed
    assert response["status"]["message"].startswith("dbcompat: ")
    assert response["status"]["code"] == (200 if allowed else 403)
    if not allowed:
        assert response["status"]["reason"] == reason


def test_the_operators_default_is_a_warning_on_create():
    response = answer(request(storage()))
    assert response["allowed"] is True
    assert any("default tag 22.2.22" in warning for warning in response["warnings"])


def test_the_rollback_limit_reads_the_installed_versions_annotation():
    history = {"dbcompat.io/installed-versions": "24.4.4.12,25.1.4.18,25.2.1.26"}
    old = storage("24.4.4.12", annotations=history)
    response = answer(request(storage("24.3.15.5"), old))
    assert response["allowed"] is False and response["status"]["reason"] == "rollback-limit"
    assert answer(request(storage("24.3.15.5"), storage("24.4.4.12")))["allowed"] is True


@pytest.mark.parametrize(
    ("body", "policy", "allowed", "rule_or_warning"),
    [
        # an UPDATE without its oldObject cannot be judged: closed by default, open if asked
        ({"operation": "UPDATE"}, Policy(), False, "unreadable"),
        ({"operation": "UPDATE"}, Policy(fail_open=True), True, "fail open"),
        # a review of another kind, or a DELETE, is allowed untouched
        ({"kind": {"kind": "ConfigMap"}}, Policy(), True, None),
        ({"operation": "DELETE"}, Policy(), True, None),
        # a namespace skipped, a dry run
        ({"namespace": "dev"}, Policy(skip_namespaces=frozenset({"dev"})), True, None),
    ],
)
def test_policy_and_faults_always_answer_with_the_uid(body, policy, allowed, rule_or_warning):
    base = request(storage("25.2.1.26"), storage("24.4.4.12"))
    base["request"].update(body)
    if body.get("operation") == "UPDATE":
        del base["request"]["oldObject"]
    response = answer(base, policy)
    assert response["allowed"] is allowed
    if rule_or_warning == "unreadable":
        assert response["status"]["reason"] == "unreadable"
    elif rule_or_warning:
        assert rule_or_warning in " ".join(response["warnings"])


def test_a_dry_run_allows_and_says_what_it_would_refuse():
    response = answer(request(storage("25.2.1.26"), storage("24.4.4.12")), Policy(dry_run=True))
    assert response["allowed"] is True and "would refuse (skips-major)" in response["warnings"][0]


def test_a_tag_that_names_no_version_is_unreadable():
    response = answer(request(storage("latest-and-greatest"), storage("24.4.4.12")))
    assert response["allowed"] is False and response["status"]["reason"] == "unreadable"


@pytest.mark.parametrize("spec", ["bad", {"image": {"name": ["ydb:25.1.4.18"]}}])
def test_an_object_whose_spec_has_the_wrong_shape_is_unreadable_not_a_crash(spec):
    body = request({"kind": "Storage", "metadata": {"name": "storage"}, "spec": spec})
    response = answer(body)
    assert response["allowed"] is False and response["status"]["reason"] == "unreadable"
    assert "Storage/storage: spec" in response["status"]["message"]


def test_release_candidates_need_the_policy():
    body = request(storage("25.2.1.10-rc"), storage("25.1.4.18"))
    assert answer(body)["status"]["reason"] == "release-candidate"
    assert answer(body, Policy(candidates=True))["allowed"] is True


def test_a_review_without_a_uid_is_refused_as_input():
    with pytest.raises(ValueError, match="no request with a uid"):
        review({"request": {"operation": "CREATE"}}, Policy())


def test_warnings_are_short_enough_for_kubectl():
    body = request(raven_cluster("7.2.0", "old=4.2"), raven_cluster("7.1.0", "old=4.2"))
    for warning in answer(body).get("warnings", []):
        assert len(warning) <= 256


# The real server, a process of its own, over TLS with certificates made now.


def _die_with_parent():
    # Linux: the server gets SIGTERM when the test process goes, even killed.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    trustme = pytest.importorskip("trustme")
    folder = tmp_path_factory.mktemp("webhook-tls")
    authority = trustme.CA()
    issued = authority.issue_cert("127.0.0.1", "dbcompat-webhook.dbcompat.svc")
    files = {name: folder / f"{name}.pem" for name in ("ca", "cert", "key")}
    authority.cert_pem.write_to_path(str(files["ca"]))
    issued.cert_chain_pems[0].write_to_path(str(files["cert"]))
    issued.private_key_pem.write_to_path(str(files["key"]))
    return {name: str(path) for name, path in files.items()}


def start_server(tls_files, *options):
    process = subprocess.Popen(
        [sys.executable, "-m", "dbcompat", "webhook", "--cert", tls_files["cert"],
         "--key", tls_files["key"], "--host", "127.0.0.1", "--port", "0", *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )  # fmt: skip
    lines: queue.Queue[dict] = queue.Queue()

    def drain():
        for line in process.stderr:
            lines.put(json.loads(line))

    threading.Thread(target=drain, daemon=True).start()
    try:
        first = lines.get(timeout=20)
    except queue.Empty:
        process.kill()
        pytest.fail("the webhook did not start within 20 s")
    assert first["event"] == "listening", first
    return process, first["port"], lines


def stop_server(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def webhook(tls_files):
    process, port, lines = start_server(tls_files, "--read-timeout", "1")
    try:
        yield {"port": port, "ca": tls_files["ca"], "process": process, "lines": lines}
    finally:
        stop_server(process)
    assert process.returncode == 0


def client(webhook, ca=None):
    context = ssl.create_default_context(cafile=ca or webhook["ca"])
    return http.client.HTTPSConnection("127.0.0.1", webhook["port"], context=context, timeout=10)


def post(connection, body, path="/validate"):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    connection.request("POST", path, raw, {"Content-Type": "application/json"})
    reply = connection.getresponse()
    return reply.status, reply.read()


def test_the_server_answers_reviews_over_tls(webhook):
    connection = client(webhook)
    status, raw = post(connection, request(storage("25.2.1.26"), storage("24.4.4.12"), uid="u-1"))
    refused = json.loads(raw)["response"]
    assert status == 200 and refused["uid"] == "u-1" and refused["allowed"] is False
    status, raw = post(connection, request(storage("25.1.4.18"), storage("24.4.4.12"), uid="u-2"))
    assert status == 200 and json.loads(raw)["response"]["allowed"] is True  # the same connection
    for path, expected in (("/healthz", 200), ("/readyz", 200), ("/nowhere", 404)):
        connection.request("GET", path)
        reply = connection.getresponse()
        reply.read()
        assert reply.status == expected


def test_one_json_log_line_per_review(webhook):
    while not webhook["lines"].empty():
        webhook["lines"].get()
    post(client(webhook), request(storage("25.2.1.26"), storage("24.4.4.12"), uid="u-log"))
    record = webhook["lines"].get(timeout=5)
    assert record["uid"] == "u-log" and record["verdict"] == "refused"
    assert record["rule"] == "skips-major" and record["kind"] == "Storage"
    assert record["moves"] == ["Storage/storage: 24.4.4.12 -> 25.2.1.26"]
    assert record["namespace"] == "ydb" and record["latency_ms"] >= 0


def test_metrics_count_the_reviews(webhook):
    pytest.importorskip("prometheus_client")
    connection = client(webhook)
    post(connection, request(storage("25.2.1.26"), storage("24.4.4.12")))
    connection.request("GET", "/metrics")
    text = connection.getresponse().read().decode()
    assert 'dbcompat_webhook_reviews_total{verdict="refused"}' in text
    assert "dbcompat_webhook_review_seconds_bucket" in text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b'{"kind": "AdmissionReview"}', 400),
        (b"[]", 400),
    ],
)
def test_bad_bodies_get_an_http_error_and_the_server_lives_on(webhook, body, status):
    got, raw = post(client(webhook), body)
    assert got == status and raw
    assert post(client(webhook), request(storage("25.1.4.18")))[0] == 200


def test_a_ten_megabyte_body_is_refused_unread(webhook):
    connection = client(webhook)
    connection.putrequest("POST", "/validate")
    connection.putheader("Content-Length", str(10 * 2**20))
    connection.endheaders()
    reply = connection.getresponse()
    assert reply.status == 413 and b"over the 3 MiB limit" in reply.read()


def test_a_slow_client_is_dropped_and_others_are_served(webhook):
    slow = socket.create_connection(("127.0.0.1", webhook["port"]), timeout=10)
    wrapped = ssl.create_default_context(cafile=webhook["ca"]).wrap_socket(
        slow, server_hostname="127.0.0.1"
    )
    wrapped.sendall(b"POST /validate HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
    assert post(client(webhook), request(storage("25.1.4.18")))[0] == 200
    start = time.monotonic()
    assert wrapped.recv(1024) == b""  # closed after the read timeout (1 s here)
    assert time.monotonic() - start < 5
    wrapped.close()


def test_a_thousand_reviews_from_fifty_clients_are_all_answered(webhook):
    bodies = [
        (request(storage("25.2.1.26"), storage("24.4.4.12"), uid=f"load-{n}"), False)
        if n % 2
        else (request(storage("25.1.4.18"), storage("24.4.4.12"), uid=f"load-{n}"), True)
        for n in range(1000)
    ]

    def one_client(start):
        connection = client(webhook)
        results = []
        for body, allowed in bodies[start::50]:
            status, raw = post(connection, body)
            response = json.loads(raw)["response"]
            results.append(
                status == 200
                and response["uid"] == body["request"]["uid"]
                and response["allowed"] is allowed
            )
        connection.close()
        return results

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = [ok for each in pool.map(one_client, range(50)) for ok in each]
    assert len(results) == 1000 and all(results)


def test_rotated_certificates_serve_the_next_connection(tmp_path):
    trustme = pytest.importorskip("trustme")

    def write(authority, folder):
        issued = authority.issue_cert("127.0.0.1")
        folder.mkdir(exist_ok=True)
        authority.cert_pem.write_to_path(str(folder / "ca.pem"))
        # written beside, then moved in: what cert-manager's secret volume does
        issued.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.new"))
        issued.private_key_pem.write_to_path(str(tmp_path / "key.new"))
        os.replace(tmp_path / "cert.new", tmp_path / "cert.pem")
        os.replace(tmp_path / "key.new", tmp_path / "key.pem")
        return str(folder / "ca.pem")

    first = write(trustme.CA(), tmp_path / "first")
    files = {"cert": str(tmp_path / "cert.pem"), "key": str(tmp_path / "key.pem")}
    process, port, _ = start_server(files)
    try:
        server = {"port": port}
        assert post(client(server, first), request(storage("25.1.4.18")))[0] == 200
        time.sleep(0.05)  # a new modification time
        second = write(trustme.CA(), tmp_path / "second")
        assert post(client(server, second), request(storage("25.1.4.18")))[0] == 200
        with pytest.raises(ssl.SSLError):
            post(client(server, first), request(storage("25.1.4.18")))
    finally:
        stop_server(process)


def test_certificates_that_cannot_be_loaded_are_bad_input(tmp_path, capsys):
    from dbcompat.cli import main

    (tmp_path / "cert.pem").write_text("not a certificate")
    (tmp_path / "key.pem").write_text("not a key")
    status = main(["webhook", "--cert", str(tmp_path / "cert.pem"), "--key",
                   str(tmp_path / "key.pem"), "--port", "0"])  # fmt: skip
    assert status == 2 and "dbcompat: error:" in capsys.readouterr().err


def test_deep_copies_of_reviews_are_not_changed():
    body = request(storage("25.2.1.26"), storage("24.4.4.12"))
    kept = copy.deepcopy(body)
    answer(body)
    assert body == kept


def test_an_object_nested_too_deeply_is_unreadable_not_a_crash():
    nested = []
    body = request({"kind": "List", "metadata": {"name": "x"}, "items": [nested]})
    body["request"]["kind"] = {"kind": "Pod"}
    for _ in range(3000):
        nested.append([])
        nested = nested[0]
    response = answer(body)
    assert response["allowed"] is False and response["status"]["reason"] == "unreadable"


def test_a_body_nested_too_deeply_gets_a_400(webhook):
    status, raw = post(client(webhook), b"[" * 100_000 + b"]" * 100_000)
    assert status == 400 and b"nested too deeply" in raw


def test_a_body_with_a_number_past_the_digits_int_reads_gets_a_400(webhook):
    status, raw = post(client(webhook), b'{"request": {"uid": ' + b"1" * 5000 + b"}}")
    assert status == 400 and b"the body is not JSON" in raw
