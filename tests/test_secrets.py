"""No secret in any output: every fault a probe can meet, in every output format, searched for
the token, the password in the URL, the PFX password and the key's path. The servers are
hostile loopback ones that echo what they were sent (the Authorization header included) into
their bodies, headers and redirects."""

from __future__ import annotations

import json
import re
import threading
import time

import pytest

from tests.helpers import run
from tests.servers import QuietServer, Replay

MARK = "SECRET"  # in every secret below, and in nothing else the tests send
TOKEN = "tok-SECRET-1"
PASSWORD = "pw-SECRET-2"
PFX_PASSWORD = "pfx-SECRET-3"


class Echo(Replay):
    """Answers every request as its mode says, echoing the request's headers."""

    mode = "401"

    def do_GET(self):  # noqa: N802 (http.server calls it by this name)
        echo = f"{self.requestline} {dict(self.headers)}"
        if self.mode == "reset":
            self.connection.close()
            return
        if self.mode == "trickle":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(100):
                self.wfile.write(b"X")
                self.wfile.flush()
                time.sleep(0.05)
            return
        status, headers, body = {
            "401": (401, {}, echo),
            "403": (403, {}, echo),
            "500": (500, {"X-Echo": echo[:200]}, echo),
            "html": (200, {}, f"<html>{echo}</html>"),
            "redirect": (302, {"Location": f"http://admin:{PASSWORD}@elsewhere/{echo[:50]}"}, ""),
            "version": (200, {}, json.dumps({"FullVersion": echo, "NodeGroups": [echo]})),
            "shape": (200, {}, json.dumps({"Topology": echo, "Nodes": {"x": echo}})),
        }[self.mode]
        data = body.encode()
        self.send_response(status)
        for name, value in {"Content-Length": str(len(data)), **headers}.items():
            self.send_header(name, value.replace("\r", " ").replace("\n", " "))
        self.end_headers()
        self.wfile.write(data)


MODES = ["401", "403", "500", "html", "redirect", "version", "shape", "reset", "trickle"]


@pytest.fixture(scope="module")
def echo():
    handler = type("Handler", (Echo,), {"routes": {}})
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield handler, server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def secrets_on_disk(tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"keypath-{MARK}-4")
    files = {name: folder / f"{name}-{MARK}.pem" for name in ("token", "cert", "key", "pfx")}
    files["token"].write_text(f"  {TOKEN}\r\n")
    files["cert"].write_text("not a certificate")
    files["key"].write_text("not a key")
    files["pfx"].write_bytes(b"not a bundle")
    files["pfx-password"] = folder / "pfx-password"
    files["pfx-password"].write_text(PFX_PASSWORD)
    return {name: str(path) for name, path in files.items()}


FORMATS = [[], ["--json"], ["--format", "sarif"], ["--format", "junit"], ["--format", "markdown"]]


def commands(port, files, timeout):
    url = f"http://admin:{PASSWORD}@127.0.0.1:{port}"
    token = ["--token-file", files["token"], "--timeout", timeout]
    yield ["ydb", "probe", url, *token]
    yield ["ydb", "check", url, "25.1.4.18", *token]
    yield ["ydb", "plan", url, "25.1.4.18", *token]
    yield ["ravendb", "probe", url, "--timeout", timeout]
    yield ["ravendb", "check", "--client", "5.4", "--server", url, "--timeout", timeout]


def assert_no_secret(status, out, err, argv):
    assert status in (0, 1, 2, 3, 4), argv
    assert MARK.lower() not in (out + err).lower(), (argv, out, err)
    assert "Traceback" not in out + err


@pytest.mark.parametrize("mode", MODES)
def test_no_secret_in_any_output_of_any_fault(echo, secrets_on_disk, capsys, monkeypatch, mode):
    handler, port = echo
    handler.mode = mode
    monkeypatch.setenv("YDB_TOKEN", TOKEN)
    # The trickle runs into the deadline: a short one keeps the test short.
    for argv in commands(port, secrets_on_disk, "0.2" if mode == "trickle" else "2"):
        for output in FORMATS:
            if argv[1] == "plan" and output[:1] == ["--format"]:
                continue  # plan speaks text and JSON
            status, out, err = run(capsys, *argv, *output)
            assert_no_secret(status, out, err, argv + output)
            assert status in (2, 3)  # a fault: never a verdict


@pytest.mark.parametrize(
    "options",
    [
        ["--cert", "cert", "--key", "key"],
        ["--cert", "key", "--key", "cert"],
        ["--pfx", "pfx", "--pfx-password-file", "pfx-password"],
        ["--pfx", "missing", "--pfx-password-file", "pfx-password"],
        ["--cert", "missing", "--key", "key"],
        ["--ca", "missing"],
        ["--ca", "cert"],
    ],
)
def test_no_key_path_nor_password_in_a_tls_file_error(echo, secrets_on_disk, capsys, options):
    _, port = echo
    given = [secrets_on_disk.get(each, each + f"-{MARK}") if n % 2 else each
             for n, each in enumerate(options)]  # fmt: skip
    url = f"https://admin:{PASSWORD}@127.0.0.1:{port}"
    for argv in (["ravendb", "probe", url], ["ravendb", "check", "--client", "5.4", "--server",
                 url]):  # fmt: skip
        for output in FORMATS[:2]:
            status, out, err = run(capsys, *argv, *given, "--timeout", "1", *output)
            assert_no_secret(status, out, err, argv + given)
            assert status == 2 and re.search("do(es)? not (load|open)", out + err)


@pytest.mark.parametrize("token", ["tok\u0416SECRET", "tokSECRET\x00", "tok SECRET\n\nx", " \r\n"])
def test_a_token_no_header_can_carry_is_refused_unseen(echo, capsys, tmp_path, token):
    _, port = echo
    (tmp_path / "token").write_text(token)
    url = f"http://127.0.0.1:{port}"
    for output in FORMATS[:2]:
        status, out, err = run(capsys, "ydb", "probe", url, "--token-file", str(tmp_path / "token"),
                               *output)  # fmt: skip
        assert status == 2 and "the token is empty" in out + err
        assert_no_secret(status, out, err, token)
        assert "\u0416" not in out + err and "0416" not in out + err


def test_a_port_that_is_no_number_shows_no_password(capsys):
    for url in (f"http://admin:{PASSWORD}/x@127.0.0.1:1", f"http://admin:a/{PASSWORD}@host"):
        status, out, err = run(capsys, "ravendb", "probe", url, "--timeout", "1")
        assert status in (2, 3)
        assert_no_secret(status, out, err, url)
