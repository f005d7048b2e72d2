"""The admission webhook's server: a process of its own over TLS, with certificates made now;
its answers, logs and metrics, its faults, certificates rotated under it, and a load of
concurrent reviews."""

from __future__ import annotations

import json
import os
import socket
import ssl
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.webhook.reviews import request, storage
from tests.webhook.serving import client, post, start_server, stop_server


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
    assert record["moves"] == ["ydb/Storage/storage: 24.4.4.12 -> 25.2.1.26"]
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
    wrapped.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    assert post(client(webhook), request(storage("25.1.4.18")))[0] == 200
    start = time.monotonic()
    assert wrapped.recv(1024) == b""  # closed after the read timeout (1 s here)
    # Five times the read timeout, for a loaded machine; a server that kept the connection would
    # fail the recv itself, at this client's own 10 s timeout.
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
    process, port, lines = start_server(files)
    try:
        server = {"port": port}
        assert post(client(server, first), request(storage("25.1.4.18")))[0] == 200
        written = os.stat(tmp_path / "cert.pem").st_mtime_ns
        second = write(trustme.CA(), tmp_path / "second")
        # The server loads the files again when their modification times change: the new pair is
        # dated ten seconds after the first, whatever the file system's timestamp granularity.
        for name in ("cert.pem", "key.pem"):
            os.utime(tmp_path / name, ns=(written + 10 * 10**9, written + 10 * 10**9))
        assert post(client(server, second), request(storage("25.1.4.18")))[0] == 200
        with pytest.raises(ssl.SSLError):
            post(client(server, first), request(storage("25.1.4.18")))
    finally:
        stop_server(process)
    records = [lines.get(timeout=5) for _ in range(lines.qsize())]
    assert [each["event"] for each in records].count("certificates-reloaded") == 1
    assert str(tmp_path) not in json.dumps(records)  # the key's path is a secret's address


def test_certificates_that_cannot_be_loaded_are_bad_input(tmp_path, capsys):
    from dbcompat.cli import main

    (tmp_path / "cert.pem").write_text("not a certificate")
    (tmp_path / "key.pem").write_text("not a key")
    status = main(["webhook", "--cert", str(tmp_path / "cert.pem"), "--key",
                   str(tmp_path / "key.pem"), "--port", "0"])  # fmt: skip
    assert status == 2 and "dbcompat: error:" in capsys.readouterr().err


def test_a_body_nested_too_deeply_gets_a_400(webhook):
    status, raw = post(client(webhook), b"[" * 100_000 + b"]" * 100_000)
    assert status == 400 and b"nested too deeply" in raw


def test_a_body_with_a_number_past_the_digits_int_reads_gets_a_400(webhook):
    status, raw = post(client(webhook), b'{"request": {"uid": ' + b"1" * 5000 + b"}}")
    assert status == 400 and b"the body is not JSON" in raw


def test_without_aiohttp_the_webhook_names_its_extra(monkeypatch, capsys, tls_files):
    from dbcompat.cli import main

    monkeypatch.setitem(sys.modules, "aiohttp", None)
    status = main(["webhook", "--cert", tls_files["cert"], "--key", tls_files["key"]])
    assert status == 2 and "pip install 'dbcompat[webhook]'" in capsys.readouterr().err
