"""A webhook server of its own for the tests: certificates made now, a process that dies with
the test process, its JSON log lines read as they come, and clients that trust it."""

from __future__ import annotations

import ctypes
import http.client
import json
import queue
import signal
import ssl
import subprocess
import sys
import threading

import pytest


def _die_with_parent():
    # Linux: the server gets SIGTERM when the test process goes, even killed.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


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
            try:
                lines.put(json.loads(line))
            except ValueError:  # the log is JSON lines only: the fixture's teardown checks
                lines.put({"event": "not-json", "line": line})

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


def client(webhook, ca=None):
    context = ssl.create_default_context(cafile=ca or webhook["ca"])
    return http.client.HTTPSConnection("127.0.0.1", webhook["port"], context=context, timeout=10)


def post(connection, body, path="/validate"):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    connection.request("POST", path, raw, {"Content-Type": "application/json"})
    reply = connection.getresponse()
    return reply.status, reply.read()
