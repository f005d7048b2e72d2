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
import http.client
import json
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    authority = trustme.CA()
    issued = authority.issue_cert("127.0.0.1")
    authority.cert_pem.write_to_path(str(folder / "ca.pem"))
    issued.cert_chain_pems[0].write_to_path(str(folder / "cert.pem"))
    issued.private_key_pem.write_to_path(str(folder / "key.pem"))
    server = subprocess.Popen(
        [sys.executable, "-m", "dbcompat", "webhook", "--cert", str(folder / "cert.pem"),
         "--key", str(folder / "key.pem"), "--host", "127.0.0.1", "--port", "0"],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stderr is not None
    port = json.loads(server.stderr.readline())["port"]
    subprocess.Popen(["cat"], stdin=server.stderr, stdout=subprocess.DEVNULL)  # keep draining
    context = ssl.create_default_context(cafile=str(folder / "ca.pem"))
    reviews = [body(n) for n in range(options.reviews)]
    try:
        for keep_alive in (True, False):
            latencies: list[float] = []
            wrong = 0

            def one_client(start: int, keep_alive: bool = keep_alive) -> tuple[list[float], int]:
                mine, bad = [], 0
                connection = http.client.HTTPSConnection("127.0.0.1", port, context=context)
                for raw, allowed in reviews[start :: options.clients]:
                    if not keep_alive:
                        connection.close()
                        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context)
                    began = time.perf_counter()
                    try:
                        connection.request("POST", "/validate", raw)
                        reply = connection.getresponse()
                        answer = json.loads(reply.read())["response"]
                        bad += answer["allowed"] is not allowed
                    except (OSError, http.client.HTTPException, ValueError, KeyError):
                        bad += 1
                    mine.append(time.perf_counter() - began)
                connection.close()
                return mine, bad

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=options.clients) as pool:
                for mine, bad in pool.map(one_client, range(options.clients)):
                    latencies += mine
                    wrong += bad
            elapsed = time.perf_counter() - started
            latencies.sort()
            p99 = latencies[int(len(latencies) * 0.99) - 1]
            print(
                f"{'kept' if keep_alive else 'new':>4} connections: {len(latencies)} reviews, "
                f"{options.clients} clients: median {statistics.median(latencies) * 1000:.1f} ms, "
                f"p99 {p99 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms, "
                f"{len(latencies) / elapsed:,.0f} reviews/s, {wrong} wrong or failed"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
