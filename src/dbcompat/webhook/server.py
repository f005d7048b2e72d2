"""The webhook's HTTPS server: ``POST /validate`` answers ``AdmissionReview`` s, ``GET /healthz``
and ``/readyz`` say it lives and serves, ``GET /metrics`` speaks Prometheus.

It runs on aiohttp's low-level server (``dbcompat[webhook]``), the one Kopf serves its admission
webhooks with: its HTTP parser, llhttp, refuses malformed framing (two lengths, a length beside
chunked encoding, a length that is not digits) before dbcompat sees a byte, and one event loop
holds thousands of idle or slow connections where a thread per connection held a few hundred.
Two clocks guard it: a request has :data:`DEADLINE` seconds from the connection's accept, or
from its own first byte, to its answer (the TLS handshake, headers and body together), and a
kept-alive connection idle for :data:`IDLE_TIMEOUT` seconds is closed. Every review gets an
answer: a 400 for a body that is not a review, the failure policy for a fault while judging.

>>> Deadlines().request
10.0
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from .._http import no_constant
from .certificates import Certificates
from .connections import BACKLOG, MAX_CONNECTIONS, Connections
from .metrics import Metrics
from .review import NotAReview, Policy, failed, judge, read_review, response

__all__ = ["DEADLINE", "DEADLINES", "IDLE_TIMEOUT", "MAX_BODY", "Deadlines", "serve"]

MAX_BODY = 3 * 2**20
"""The largest review read: Kubernetes itself sends at most 3 MiB."""

DEADLINE = 10.0
"""Seconds from a connection's accept, or a request's first byte, to its answer: the API
server gives a webhook 10 s by default (30 s at most), and a healthy one sends its review at
once."""

IDLE_TIMEOUT = 30.0
"""Seconds a kept-alive connection may wait for its next request."""

Log = Callable[[dict[str, Any]], None]


class Deadlines(NamedTuple):
    """The two clocks: *request* seconds to answer a request, *idle* seconds between them;
    and the cap on the connections held at once (:mod:`.connections`)."""

    request: float = DEADLINE
    idle: float = IDLE_TIMEOUT
    connections: int = MAX_CONNECTIONS


DEADLINES = Deadlines()
"""The clocks ``dbcompat webhook`` runs with unless told otherwise."""


def _aiohttp_web() -> Any:
    try:
        from aiohttp import web
    except ImportError:
        raise ValueError("the webhook needs aiohttp: pip install 'dbcompat[webhook]'") from None
    return web


class _Webhook:
    """The routes, and what they share: the policy, the log, the metrics, readiness."""

    def __init__(self, policy: Policy, log: Log) -> None:
        self.web = _aiohttp_web()
        self.policy, self.log = policy, log
        self.metrics = Metrics()
        self.ready = False
        self.connections: Connections | None = None

    async def answer(self, request: Any) -> Any:
        if self.connections is not None:
            self.connections.begun(request.protocol)  # a pipelined request has its clock too
        try:
            reply = await self._route(request)
            # Written here, under the request's clock: a client that never reads its answers
            # fills the buffers, the write waits, and the deadline drops the connection.
            await reply.prepare(request)
            await reply.write_eof()
            return reply
        finally:
            if self.connections is not None:
                self.connections.answered(request.protocol)

    async def _route(self, request: Any) -> Any:
        if request.path == "/validate":
            if request.method != "POST":
                return self._text(405, "POST a review to /validate", close=False)
            return await self._validate(request)
        if request.method not in ("GET", "HEAD"):
            return self._refuse(404, "not found: POST /validate")
        if request.path == "/healthz":
            return self._text(200, "ok")
        if request.path == "/readyz":
            return self._text(200, "ok") if self.ready else self._text(503, "starting")
        if request.path == "/metrics":
            text = self.metrics.text()
            if text is None:
                return self._text(
                    501, "metrics need prometheus-client: pip install 'dbcompat[webhook]'"
                )
            kind = "text/plain; version=0.0.4; charset=utf-8"
            return self.web.Response(body=text, headers={"Content-Type": kind})
        return self._text(404, "not found: POST /validate")

    async def _validate(self, request: Any) -> Any:
        started = time.perf_counter()
        if request.headers.get("Content-Encoding", "identity").lower() != "identity":
            # The API server sends a review as it is; a compressed body would cost the loop its
            # inflating (a gzip bomb) before a byte of it could be judged.
            return self._refuse(415, "a review is read uncompressed (no Content-Encoding)")
        length = request.content_length
        if length is not None and length > MAX_BODY:
            return self._refuse(413, f"a review of {length:,} bytes is over the 3 MiB limit")
        body = bytearray()
        async for chunk in request.content.iter_chunked(2**16):
            body += chunk
            if len(body) > MAX_BODY:
                return self._refuse(413, "a review of more than 3 MiB is over the limit")
        try:
            # NaN and Infinity are no JSON: read, they would reach the log as no JSON reads them.
            document = json.loads(body, parse_constant=no_constant)
        except RecursionError:
            return self._refuse(400, "the body is nested too deeply to read", close=False)
        except ValueError as error:  # not UTF-8, not JSON, or a number too long for int()
            return self._refuse(400, f"the body is not JSON ({error})", close=False)
        try:
            api_version, uid, review = read_review(document)
        except NotAReview as error:
            return self._refuse(400, str(error), close=False)
        try:
            judgement = judge(review, self.policy)
        except Exception as error:  # a fault of dbcompat's: the failure policy answers
            self.log({"event": "fault", "uid": uid, "error": type(error).__name__})
            judgement = failed(self.policy, error)
        answer = json.dumps(response(uid, judgement, api_version)).encode()
        seconds = time.perf_counter() - started
        verdict = "allowed" if judgement.allowed else "refused"
        self.metrics.observe(verdict, seconds)
        self.log(_review_record(review, uid, judgement.moves, verdict, judgement.rule, seconds))
        return self.web.Response(body=answer, content_type="application/json")

    def _refuse(self, status: int, message: str, close: bool = True) -> Any:
        # A body left unread would be taken for the next request: such a refusal closes.
        self.log({"event": "bad-request", "status": status, "message": message})
        return self._text(status, message, close)

    def _text(self, status: int, message: str, close: bool = False) -> Any:
        reply = self.web.Response(status=status, text=message + "\n")
        if close:
            reply.force_close()
        return reply


def _review_record(
    request: Any, uid: str, moves: tuple[str, ...], verdict: str, rule: str, seconds: float
) -> dict[str, Any]:
    kind = request.get("kind")
    kind = kind if isinstance(kind, dict) else {}

    def text(value: Any) -> str | None:  # the request's own words, never a structure it holds
        return value[:256] if isinstance(value, str) else None

    return {
        "event": "review",
        "uid": text(uid),
        "kind": text(kind.get("kind")),
        "namespace": text(request.get("namespace")),
        "name": text(request.get("name")),
        "operation": text(request.get("operation")),
        "moves": list(moves),
        "verdict": verdict,
        "rule": rule,
        "latency_ms": round(seconds * 1000, 3),
    }


class _LogLines(logging.Handler):
    """aiohttp's and asyncio's own complaints as JSON lines of the webhook's log: malformed
    HTTP as a bad request (named by its kind, never quoted), a client that went away not at
    all, anything else as a server error."""

    def __init__(self, log: Log) -> None:
        super().__init__(logging.WARNING)
        self._log = log

    def emit(self, record: logging.LogRecord) -> None:
        from aiohttp.http_exceptions import HttpProcessingError

        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, ConnectionError):
            return
        if isinstance(error, HttpProcessingError):
            kind = type(error).__name__
            self._log(
                {"event": "bad-request", "status": 400, "message": f"malformed HTTP ({kind})"}
            )
            return
        line = {"event": "server-error", "message": record.getMessage()}
        if error is not None:
            line["error"] = type(error).__name__
        self._log(line)


def _json_log(record: dict[str, Any]) -> None:
    line = json.dumps({"time": round(time.time(), 3), **record}, ensure_ascii=False) + "\n"
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


async def _serve(
    host: str, port: int, certificates: Certificates, webhook: _Webhook, deadlines: Deadlines
) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    lines = _LogLines(webhook.log)
    for name in ("aiohttp", "asyncio"):
        logging.getLogger(name).addHandler(lines)
        logging.getLogger(name).propagate = False
    server = webhook.web.Server(webhook.answer, access_log=None, keepalive_timeout=deadlines.idle)
    context = certificates.listening_context()
    connections = Connections(server, context, deadlines.request, deadlines.connections)
    webhook.connections = connections
    listening = await loop.create_server(connections, host, port, backlog=BACKLOG)
    bound_host, bound_port = listening.sockets[0].getsockname()[:2]
    _warm_up(webhook.policy)
    webhook.ready = True
    webhook.log({"event": "listening", "host": bound_host, "port": bound_port})
    try:
        await stop.wait()
    finally:
        webhook.ready = False
        listening.close()
        await server.shutdown(timeout=2)
        connections.drop_all()
        webhook.log({"event": "stopped"})


def serve(
    host: str,
    port: int,
    cert: str,
    key: str,
    policy: Policy,
    log: Log = _json_log,
    deadlines: Deadlines = DEADLINES,
) -> None:
    """Serve until SIGINT or SIGTERM, logging one JSON line per review to *log* (stderr). The
    certificate files are read now; an error in them raises here, before listening."""
    webhook = _Webhook(policy, log)
    certificates = Certificates(cert, key, lambda: log({"event": "certificates-reloaded"}))
    asyncio.run(_serve(host, port, certificates, webhook, deadlines))
