"""How fast the admission webhook answers: reviews from concurrent clients over TLS on 127.0.0.1.

    pip install '.[bench,webhook]'
    python benchmarks/bench_webhook.py [--reviews N] [--clients C]

Starts ``dbcompat webhook`` as its own process with certificates made now (trustme), then each
client keeps one TLS connection, as the API server does, and sends its share of the reviews (half
refused, half allowed). Printed: the latency of a review as the client sees it (median, p99,
max), the throughput, and how many answers were wrong or failed. Then the same with a new TLS
connection for every review, the worst case.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import trustme

IMAGE = "cr.yandex/crptqonuodf51kdj7a7d/ydb"


def body(n: int) -> tuple[bytes, bool]:
    old = {"apiVersion": "ydb.tech/v1alpha1", "kind": "Storage",
           "metadata": {"name": f"storage-{n}", "namespace": "ydb"},
           "spec": {"nodes": 8, "image": {"name": f"{IMAGE}:24.4.4.12"}}}  # fmt: skip
    target = "25.2.1.26" if n % 2 else "25.1.4.18"
    new = {**old, "spec": {"nodes": 8, "image": {"name": f"{IMAGE}:{target}"}}}
    review = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
              "request": {"uid": f"bench-{n}", "kind": {"kind": "Storage"}, "operation": "UPDATE",
                          "namespace": "ydb", "name": f"storage-{n}", "object": new,
                          "oldObject": old}}  # fmt: skip
    return json.dumps(review).encode(), n % 2 == 0


def certificates() -> Path:
    """A folder with a CA made now (``ca.pem``) and the server's ``cert.pem`` and ``key.pem``."""
    folder = Path(tempfile.mkdtemp())
    authority = trustme.CA()
    issued = authority.issue_cert("127.0.0.1")
    authority.cert_pem.write_to_path(str(folder / "ca.pem"))
    issued.cert_chain_pems[0].write_to_path(str(folder / "cert.pem"))
    issued.private_key_pem.write_to_path(str(folder / "key.pem"))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rate", type=int, default=500, help="reviews a second, paced mode")
    options = parser.parse_args()
    folder = certificates()
    server = subprocess.Popen(
        [sys.executable, "-m", "dbcompat", "webhook", "--cert", str(folder / "cert.pem"),
         "--key", str(folder / "key.pem"), "--host", "127.0.0.1", "--port", "0"],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stderr is not None
    port = json.loads(server.stderr.readline())["port"]
    handled: list[float] = []  # what the server logs: its own time for each review

    def drain() -> None:
        assert server.stderr is not None
        for line in server.stderr:
            record = json.loads(line)
            if record.get("event") == "review":
                handled.append(record["latency_ms"])

    threading.Thread(target=drain, daemon=True).start()
    context = ssl.create_default_context(cafile=str(folder / "ca.pem"))
    requests = [
        (
            b"POST /validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(raw)}\r\n\r\n".encode()
            + raw,
            allowed,
        )
        for raw, allowed in (body(n) for n in range(options.reviews))
    ]

    def connect() -> tuple[ssl.SSLSocket, Any]:
        raw_socket = socket.create_connection(("127.0.0.1", port), timeout=30)
        wrapped = context.wrap_socket(raw_socket, server_hostname="127.0.0.1")
        return wrapped, wrapped.makefile("rb")

    def exchange(reader: Any, connection: ssl.SSLSocket, request: bytes) -> bytes:
        connection.sendall(request)
        length = 0
        while (line := reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        return bytes(reader.read(length))

    modes = [
        ("kept connections", True, None),
        ("a new connection each", False, None),
        (f"paced, {options.rate:,} reviews/s in all", True, options.rate),
    ]
    try:
        for name, keep_alive, rate in modes:
            latencies: list[float] = []
            wrong = 0
            ready = threading.Barrier(options.clients)

            def one_client(
                start: int,
                keep_alive: bool = keep_alive,
                rate: int | None = rate,
                ready: threading.Barrier = ready,
            ) -> tuple[list[float], int]:
                mine, bad = [], 0
                connection, reader = connect()
                ready.wait()  # every client connected first: the handshakes are not timed
                interval = None if rate is None else options.clients / rate
                offset = 0.0 if interval is None else interval * start / options.clients
                due = time.perf_counter() + offset
                for request, allowed in requests[start :: options.clients]:
                    if interval is not None:
                        time.sleep(max(0.0, due - time.perf_counter()))
                        due += interval
                    if not keep_alive:
                        connection.close()
                        connection, reader = connect()
                    began = time.perf_counter()
                    try:
                        answer = json.loads(exchange(reader, connection, request))["response"]
                        bad += answer["allowed"] is not allowed
                    except (OSError, ValueError, KeyError):
                        bad += 1
                    mine.append(time.perf_counter() - began)
                connection.close()
                return mine, bad

            handled.clear()
            server_cpu = _cpu_seconds(server.pid)
            client_cpu = sum(os.times()[:2])
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=options.clients) as pool:
                for mine, bad in pool.map(one_client, range(options.clients)):
                    latencies += mine
                    wrong += bad
            elapsed = time.perf_counter() - started
            server_cpu = _cpu_seconds(server.pid) - server_cpu
            client_cpu = sum(os.times()[:2]) - client_cpu
            time.sleep(0.2)  # the last log lines
            latencies.sort()
            inside = sorted(handled)
            p99 = latencies[int(len(latencies) * 0.99) - 1]
            print(
                f"{name}: {len(latencies)} reviews, {options.clients} clients: median "
                f"{statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, max "
                f"{latencies[-1] * 1000:.1f} ms, {len(latencies) / elapsed:,.0f} reviews/s, "
                f"{wrong} wrong or failed"
            )
            if inside:
                print(
                    f"    inside the server: median {statistics.median(inside):.2f} ms, p99 "
                    f"{inside[int(len(inside) * 0.99) - 1]:.2f} ms; CPU a review: server "
                    f"{server_cpu / len(latencies) * 1000:.2f} ms, load generator "
                    f"{client_cpu / len(latencies) * 1000:.2f} ms"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of the process *pid* (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()
