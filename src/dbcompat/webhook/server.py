"""The webhook's HTTPS server: ``POST /validate`` answers ``AdmissionReview`` s, ``GET /healthz``
and ``/readyz`` say it lives and serves, ``GET /metrics`` speaks Prometheus.

The standard library's threading HTTP server, for three reasons: the core install stays Lark
alone; the TLS context is the server's own, so a certificate that cert-manager rotates is loaded
for the next connection without a restart (uvicorn fixes its context at start); and it holds the
load the tests ask of it (``benchmarks/bench_webhook.py``). Each connection gets its own thread,
a deadline for every read (a slow client cannot hold a thread for long), and a cap on the body.
Metrics use ``prometheus-client`` when it is installed (``dbcompat[webhook]``).
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .review import Policy, judge, response

__all__ = ["MAX_BODY", "MAX_CONNECTIONS", "READ_TIMEOUT", "Certificates", "WebhookServer", "serve"]

MAX_BODY = 3 * 2**20
"""The largest review read: Kubernetes itself sends at most 3 MiB."""

READ_TIMEOUT = 10.0
"""Seconds a client has for every read, the TLS handshake included: the API server's own
webhook timeout is at most 30 s, and a healthy one sends its review at once."""

MAX_CONNECTIONS = 512
"""Connections served at once; more wait in the listen queue."""


class Certificates:
    """The server's certificate and key, loaded again when either file changes."""

    def __init__(self, cert: str, key: str) -> None:
        self.cert, self.key = cert, key
        self._lock = threading.Lock()
        self._stamp: tuple[float, float] | None = None
        self._context: ssl.SSLContext | None = None
        self.context()

    def _mtimes(self) -> tuple[float, float]:
        return (os.stat(self.cert).st_mtime, os.stat(self.key).st_mtime)

    def context(self) -> ssl.SSLContext:
        """The TLS context of the files as they are now: checked on every new connection."""
        with self._lock:
            stamp: tuple[float, float] | None
            try:
                stamp = self._mtimes()
            except OSError:
                stamp = self._stamp  # a rotation in progress: keep what works
            if self._context is None or stamp != self._stamp:
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.minimum_version = ssl.TLSVersion.TLSv1_2
                try:
                    context.load_cert_chain(self.cert, self.key)
                except (OSError, ssl.SSLError):
                    if self._context is None:
                        raise
                    return self._context  # half-written files: the old pair still serves
                self._context, self._stamp = context, stamp
            return self._context


class _Metrics:
    """Reviews by verdict and their latency, in Prometheus' text format when
    ``prometheus-client`` is installed."""

    def __init__(self) -> None:
        try:
            import prometheus_client
        except ImportError:
            self.registry = None
            return
        self.registry = prometheus_client.CollectorRegistry()
        self.reviews = prometheus_client.Counter(
            "dbcompat_webhook_reviews", "Admission reviews answered", ["verdict"],
            registry=self.registry,
        )  # fmt: skip
        self.latency = prometheus_client.Histogram(
            "dbcompat_webhook_review_seconds",
            "Time to answer an admission review",
            buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1.0),
            registry=self.registry,
        )
        self._generate: Callable[[Any], bytes] = prometheus_client.generate_latest

    def observe(self, verdict: str, seconds: float) -> None:
        if self.registry is not None:
            self.reviews.labels(verdict).inc()
            self.latency.observe(seconds)

    def text(self) -> bytes | None:
        return None if self.registry is None else self._generate(self.registry)


class WebhookServer(ThreadingHTTPServer):
    """The webhook on (*host*, *port*) with the TLS files *cert* and *key*, judging by *policy*."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(
        self,
        address: tuple[str, int],
        policy: Policy,
        certificates: Certificates,
        log: Callable[[dict[str, Any]], None],
        read_timeout: float = READ_TIMEOUT,
    ) -> None:
        super().__init__(address, _Handler)
        self.read_timeout = read_timeout
        self.policy = policy
        self.certificates = certificates
        self.log = log
        self.metrics = _Metrics()
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.ready = threading.Event()

    def get_request(self) -> tuple[socket.socket, Any]:
        raw, address = self.socket.accept()
        raw.settimeout(self.read_timeout)
        # An answer goes out as its headers, then its body: without this, Nagle's algorithm
        # holds the body until the client's delayed acknowledgement, 40 ms later.
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # The handshake happens in the connection's thread, on its first read: a client that
        # never finishes it holds only its own thread, and only for READ_TIMEOUT.
        wrapped = self.certificates.context().wrap_socket(
            raw, server_side=True, do_handshake_on_connect=False
        )
        return wrapped, address

    def process_request(self, request: Any, client_address: Any) -> None:
        self.slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (OSError, ssl.SSLError, TimeoutError)):
            return  # a client that went away, or never spoke TLS: nothing to answer
        self.log({"event": "error", "error": f"{type(error).__name__}: {error}"})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the API server reuses its connections
    server: WebhookServer
    server_version = "dbcompat-webhook"

    def setup(self) -> None:
        self.request.do_handshake()  # within READ_TIMEOUT; a failure closes just this one
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one structured line per review instead

    def do_GET(self) -> None:
        if self.path == "/healthz":
            self._send(HTTPStatus.OK, b"ok\n", "text/plain")
        elif self.path == "/readyz":
            ready = self.server.ready.is_set()
            status = HTTPStatus.OK if ready else HTTPStatus.SERVICE_UNAVAILABLE
            self._send(status, b"ok\n" if ready else b"starting\n", "text/plain")
        elif self.path == "/metrics":
            text = self.server.metrics.text()
            if text is None:
                message = b"metrics need prometheus-client: pip install 'dbcompat[webhook]'\n"
                self._send(HTTPStatus.NOT_IMPLEMENTED, message, "text/plain")
            else:
                self._send(HTTPStatus.OK, text, "text/plain; version=0.0.4")
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found: POST /validate\n", "text/plain")

    def do_POST(self) -> None:
        started = time.perf_counter()
        if self.path.split("?", 1)[0] != "/validate":
            self._drain_and_refuse(HTTPStatus.NOT_FOUND, "not found: POST /validate")
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._drain_and_refuse(HTTPStatus.LENGTH_REQUIRED, "a review needs a Content-Length")
            return
        if int(length) > MAX_BODY:
            self._drain_and_refuse(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"a review of {int(length):,} bytes is over the {MAX_BODY // 2**20} MiB limit",
            )
            return
        body = self.rfile.read(int(length))
        try:
            review = json.loads(body)
        except RecursionError:
            self._refuse(HTTPStatus.BAD_REQUEST, "the body is nested too deeply to read")
            return
        except ValueError as error:  # not UTF-8, not JSON, or a number too long for int()
            self._refuse(HTTPStatus.BAD_REQUEST, f"the body is not JSON ({error})")
            return
        request = review.get("request") if isinstance(review, dict) else None
        uid = request.get("uid") if isinstance(request, dict) else None
        if not isinstance(uid, str) or not uid:
            self._refuse(HTTPStatus.BAD_REQUEST, "not an AdmissionReview: no request with a uid")
            return
        assert isinstance(request, dict)
        judgement = judge(request, self.server.policy)
        answer = json.dumps(response(uid, judgement)).encode()
        self._send(HTTPStatus.OK, answer, "application/json")
        seconds = time.perf_counter() - started
        verdict = "allowed" if judgement.allowed else "refused"
        self.server.metrics.observe(verdict, seconds)
        kind = request.get("kind")
        kind = kind if isinstance(kind, dict) else {}
        self.server.log(
            {
                "event": "review",
                "uid": uid,
                "kind": kind.get("kind"),
                "namespace": request.get("namespace"),
                "name": request.get("name"),
                "operation": request.get("operation"),
                "moves": list(judgement.moves),
                "verdict": verdict,
                "rule": judgement.rule,
                "latency_ms": round(seconds * 1000, 3),
            }
        )

    def _drain_and_refuse(self, status: HTTPStatus, message: str) -> None:
        # A body not read would be taken for the next request: close instead.
        self.close_connection = True
        self._refuse(status, message, close=True)

    def _refuse(self, status: HTTPStatus, message: str, close: bool = False) -> None:
        self.server.log({"event": "bad-request", "status": int(status), "message": message})
        self._send(status, (message + "\n").encode(), "text/plain", close=close)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, close: bool = False) -> None:
        # One write for the whole answer: one TLS record and one segment, where send_response
        # and end_headers would write the headers and the body apart.
        head = (
            f"HTTP/1.1 {status.value} {status.phrase}\r\n"
            f"Server: {self.server_version}\r\nDate: {self.date_time_string()}\r\n"
            f"Content-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
            + ("Connection: close\r\n" if close else "")
            + "\r\n"
        )
        self.wfile.write(head.encode("latin-1") + body)
        if close:
            self.close_connection = True


_LOG_LOCK = threading.Lock()


def _json_log(record: dict[str, Any]) -> None:
    line = json.dumps({"time": round(time.time(), 3), **record}, ensure_ascii=False) + "\n"
    with _LOG_LOCK:  # one whole line at a time, whichever thread writes
        sys.stderr.write(line)
        sys.stderr.flush()


def _warm_up(policy: Policy) -> None:
    """Judge one review before saying ready: the first would otherwise pay for reading the
    release catalog and building the readers."""
    image = "cr.yandex/crptqonuodf51kdj7a7d/ydb"
    old = {"kind": "Storage", "apiVersion": "ydb.tech/v1alpha1", "metadata": {"name": "warm-up"},
           "spec": {"image": {"name": f"{image}:24.4.4.12"}}}  # fmt: skip
    new = {**old, "spec": {"image": {"name": f"{image}:25.1.4.18"}}}
    judge({"kind": {"kind": "Storage"}, "operation": "UPDATE", "object": new, "oldObject": old},
          policy)  # fmt: skip


def serve(
    host: str,
    port: int,
    cert: str,
    key: str,
    policy: Policy,
    log: Callable[[dict[str, Any]], None] = _json_log,
    read_timeout: float = READ_TIMEOUT,
) -> None:
    """Serve until interrupted (SIGINT or SIGTERM), logging one JSON line per review."""
    certificates = Certificates(cert, key)
    server = WebhookServer((host, port), policy, certificates, log, read_timeout)
    bound_host, bound_port = server.server_address[:2]
    _warm_up(policy)
    server.ready.set()
    log({"event": "listening", "host": bound_host, "port": bound_port})
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        log({"event": "stopped"})
