"""The loopback servers the probe tests of both products read: each listens on 127.0.0.1 only, on
an ephemeral port, and stops with its test. Replay answers each path with what a test recorded
for it; the payloads of a real RavenDB 4.1.0 server are recorded here too."""

from __future__ import annotations

import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

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


def ravendb_41(serve):
    serve("/build/version", BUILD_41, headers={"Raven-Server-Version": "4.1.0.41001"})
    serve("/cluster/topology", TOPOLOGY_41)
