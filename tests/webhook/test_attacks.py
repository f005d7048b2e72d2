"""The webhook under attack, on 127.0.0.1: framing that would smuggle a second review, requests
of every shape, slow clients of every kind, and reviews of another API version. Each attack
ends within the server's clocks (1 s here), and every other client is served meanwhile."""

from __future__ import annotations

import json
import re
import socket
import ssl
import threading
import time

import pytest

from tests.webhook.reviews import request, storage
from tests.webhook.serving import client, post, start_server, stop_server

# Generous: ten times the server's deadline of 1 s, for a loaded machine.
MARGIN = 10.0


def tls_socket(webhook, timeout=MARGIN):
    raw = socket.create_connection(("127.0.0.1", webhook["port"]), timeout=timeout)
    context = ssl.create_default_context(cafile=webhook["ca"])
    return context.wrap_socket(raw, server_hostname="127.0.0.1")


def exchange(webhook, raw):
    """Send *raw* on a new connection, and read all that comes back until the server closes."""
    connection = tls_socket(webhook)
    connection.sendall(raw)
    received = b""
    try:
        while chunk := connection.recv(65536):
            received += chunk
    except (ssl.SSLError, ConnectionError):
        pass
    connection.close()
    return received


def review_bytes(uid, new="25.1.4.18"):
    return json.dumps(request(storage(new), storage("24.4.4.12"), uid=uid)).encode()


SMUGGLED = review_bytes("smuggled")
FIRST = review_bytes("first")
HEAD = b"POST /validate HTTP/1.1\r\nHost: webhook\r\nContent-Type: application/json\r\n"


@pytest.mark.parametrize(
    "framing",
    [
        b"Content-Length: \xc2\xb2\r\n",  # a superscript two, which str.isdigit() takes
        b"Content-Length: " + b"9" * 5000 + b"\r\n",
        b"Content-Length: -1\r\n",
        b"Content-Length: +%d\r\n" % len(FIRST),
        b"Content-Length: %d\r\nContent-Length: %d\r\n" % (len(FIRST), len(FIRST) + 1),
        b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n" % len(FIRST),
        b"Transfer-Encoding: chunked, identity\r\n",
        b"Transfer-Encoding: xchunked\r\n",
        b"Content-Length : %d\r\n" % len(FIRST),
        b" Content-Length: %d\r\n" % len(FIRST),
    ],
    ids=["superscript", "5000-digits", "negative", "plus", "two-lengths", "length-and-chunked",
         "chunked-identity", "xchunked", "space-before-colon", "folded"],
)  # fmt: skip
def test_malformed_framing_is_refused_and_nothing_behind_it_is_answered(webhook, framing):
    answer = exchange(webhook, HEAD + framing + b"\r\n" + FIRST + HEAD + b"Content-Length: %d"
                      b"\r\n\r\n" % len(SMUGGLED) + SMUGGLED)  # fmt: skip
    # One answer, a 400 (whose text may quote the request), and no review answered.
    assert re.findall(rb"(?m)^HTTP/1\.[01] \d{3}", answer) in ([b"HTTP/1.1 400"], [b"HTTP/1.0 400"])
    assert b'"response"' not in answer
    assert post(client(webhook), request(storage("25.1.4.18")))[0] == 200


def test_pipelined_reviews_are_each_answered_once_in_order(webhook):
    raw = b"".join(
        HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body
        for body in (review_bytes("one"), review_bytes("two", "25.2.1.26"), review_bytes("three"))
    )
    connection = tls_socket(webhook)
    connection.sendall(raw)
    received = b""
    while received.count(b'"uid": "') < 3:
        chunk = connection.recv(65536)
        assert chunk, received
        received += chunk
    connection.close()
    uids = [part.split(b'"', 1)[0] for part in received.split(b'"uid": "')[1:]]
    assert uids == [b"one", b"two", b"three"] and received.count(b"HTTP/1.1 200") == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", {"kind": ["Storage"]}), ("namespace", {"ns": 1}), ("object", "text"),
     ("oldObject", [1, 2]), ("operation", None)],
)  # fmt: skip
def test_a_request_of_any_shape_gets_an_answer_and_the_connection_lives_on(webhook, field, value):
    body = request(storage("25.1.4.18"), storage("24.4.4.12"), uid="odd")
    body["request"][field] = value
    connection = client(webhook)
    status, raw = post(connection, body)
    assert status == 200 and json.loads(raw)["response"]["uid"] == "odd"
    assert post(connection, request(storage("25.1.4.18")))[0] == 200  # the same connection


@pytest.mark.parametrize("version", ["admission.k8s.io/v1beta1", "admission.k8s.io/v1"])
def test_a_review_is_answered_in_its_own_api_version(webhook, version):
    body = {**request(storage("25.2.1.26"), storage("24.4.4.12")), "apiVersion": version}
    status, raw = post(client(webhook), body)
    answer = json.loads(raw)
    assert status == 200 and answer["apiVersion"] == version
    assert answer["response"]["allowed"] is False


@pytest.mark.parametrize("version", ["admission.k8s.io/v2", None, "v1"])
def test_a_review_of_another_api_version_gets_a_400(webhook, version):
    body = {**request(storage("25.2.1.26")), "apiVersion": version}
    status, raw = post(client(webhook), body)
    assert status == 400 and b"not an AdmissionReview of admission.k8s.io/v1" in raw


def test_trickled_headers_are_cut_at_the_deadline_and_others_are_served(webhook):
    """Slowloris: each byte restarts no clock; the request's deadline counts from its start."""
    slow = [tls_socket(webhook) for _ in range(20)]
    started = time.monotonic()
    closed = []

    def trickle(connection):
        try:
            for byte in HEAD * 10:
                connection.sendall(bytes([byte]))
                time.sleep(0.1)
        except OSError:
            closed.append(time.monotonic() - started)

    threads = [threading.Thread(target=trickle, args=(each,)) for each in slow]
    for thread in threads:
        thread.start()
    assert post(client(webhook), request(storage("25.1.4.18")))[0] == 200
    for thread in threads:
        thread.join(timeout=MARGIN * 3)
    assert len(closed) == 20 and max(closed) < MARGIN
    for each in slow:
        each.close()


def test_connections_that_never_start_tls_hold_nothing(webhook):
    silent = [socket.create_connection(("127.0.0.1", webhook["port"])) for _ in range(300)]
    try:
        connection = client(webhook)
        connection.request("GET", "/healthz")
        reply = connection.getresponse()
        assert reply.status == 200 and reply.read() == b"ok\n"
        assert post(connection, request(storage("25.1.4.18")))[0] == 200
        silent[0].settimeout(MARGIN)
        started = time.monotonic()
        assert silent[0].recv(1) == b""  # closed by the handshake's deadline
        assert time.monotonic() - started < MARGIN
    finally:
        for each in silent:
            each.close()


def test_a_trickled_body_is_cut_at_the_deadline(webhook):
    connection = tls_socket(webhook)
    connection.sendall(HEAD + b"Content-Length: %d\r\n\r\n" % len(FIRST))
    started = time.monotonic()
    with pytest.raises(OSError):
        for byte in FIRST:
            connection.sendall(bytes([byte]))
            time.sleep(0.1)
        connection.recv(1)
    assert time.monotonic() - started < MARGIN
    connection.close()


def test_an_idle_kept_alive_connection_is_closed_after_the_idle_timeout(tls_files):
    process, port, _ = start_server(tls_files, "--idle-timeout", "1")
    try:
        server = {"port": port, "ca": tls_files["ca"]}
        connection = tls_socket(server)
        started = time.monotonic()
        assert connection.recv(1) == b""  # never asked anything: closed when idle
        connection = client(server)
        assert post(connection, request(storage("25.1.4.18")))[0] == 200
        assert connection.sock.recv(1) == b""  # answered, then idle: closed
        assert time.monotonic() - started < 2 * MARGIN
    finally:
        stop_server(process)


def test_past_the_cap_the_connection_longest_without_an_answer_is_dropped(tls_files):
    """Memory is bounded by the cap: a flood of silent or handshaken-but-mute connections
    drops its oldest, the handshake not yet done included, and a review is still answered."""
    process, port, _ = start_server(tls_files, "--max-connections", "8", "--deadline", "30")
    server = {"port": port, "ca": tls_files["ca"]}
    silent = [socket.create_connection(("127.0.0.1", port), timeout=MARGIN) for _ in range(8)]
    try:
        time.sleep(0.2)  # accepted, in this order
        mute = [tls_socket(server) for _ in range(8)]
        started = time.monotonic()
        for each in silent:
            assert each.recv(1) == b""  # dropped, long before the deadline of 30 s
        assert time.monotonic() - started < MARGIN
        connection = client(server)
        assert post(connection, request(storage("25.1.4.18")))[0] == 200
        assert post(connection, request(storage("25.1.4.18")))[0] == 200  # kept: answered last
        for each in mute:
            each.close()
    finally:
        for each in silent:
            each.close()
        stop_server(process)


def test_a_request_under_way_outlives_silent_connections_past_the_cap(tls_files):
    """Past the cap, the silent go first: a kept connection whose next request has begun is not
    dropped for a newcomer, however long ago its previous answer was."""
    process, port, _ = start_server(tls_files, "--max-connections", "8", "--deadline", "30")
    server = {"port": port, "ca": tls_files["ca"]}
    kept = tls_socket(server)
    reader = kept.makefile("rb")
    silent = []
    try:
        body = review_bytes("second")
        kept.sendall(HEAD + b"Content-Length: %d\r\n\r\n" % len(FIRST) + FIRST)
        assert reader.readline().startswith(b"HTTP/1.1 200")
        length = 0
        while (line := reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        reader.read(length)  # the first answer, whole: the connection is idle now
        silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(7)]
        time.sleep(0.2)
        kept.sendall(HEAD + b"Content-Length: %d\r\n\r\n" % len(body))  # the next request begins
        time.sleep(0.2)
        silent += [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]  # past the cap
        time.sleep(0.2)
        kept.sendall(body)
        received = b""
        while b'"uid": "second"' not in received:
            chunk = kept.recv(65536)
            assert chunk, received  # dropped: the request under way was taken for the oldest
            received += chunk
    finally:
        for each in silent:
            each.close()
        kept.close()
        stop_server(process)


def test_a_compressed_review_is_refused_unread(webhook):
    import gzip

    bomb = gzip.compress(b"a" * 10_000_000)
    raw = HEAD + b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(bomb) + bomb
    answer = exchange(webhook, raw)
    assert answer.startswith(b"HTTP/1.1 415") and b"uncompressed" in answer


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_a_body_with_nan_or_infinity_is_not_json(webhook, constant):
    body = b'{"apiVersion": "admission.k8s.io/v1", "request": {"uid": "u", "name": ' + constant
    status, raw = post(client(webhook), body + b"}}")
    assert status == 400 and b"is not JSON" in raw


def test_a_client_that_never_reads_its_answers_is_dropped_at_the_deadline(webhook):
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting: a small window
    raw.settimeout(4 * MARGIN)  # longer than the bound below: the server must be the one to end it
    raw.connect(("127.0.0.1", webhook["port"]))
    connection = ssl.create_default_context(cafile=webhook["ca"]).wrap_socket(
        raw, server_hostname="127.0.0.1"
    )
    ask = b"GET /healthz HTTP/1.1\r\nHost: webhook\r\n\r\n" * 1000
    started = time.monotonic()
    with pytest.raises(OSError):  # reset, or a send that stops: the server let go
        # Requests by the thousand, answers unread, until the server lets go: on a loaded
        # machine the first megabytes may all fit in the buffers before its deadline comes.
        while time.monotonic() - started < 3 * MARGIN:
            connection.sendall(ask)
    assert time.monotonic() - started < 2 * MARGIN
    connection.close()
