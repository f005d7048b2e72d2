"""How long a probe takes against a server that trickles its headers: the promise is its
``--timeout``, plus 10%.

    python benchmarks/bench_probe.py [--timeout 2] [--before SRC]

A loopback server answers every request with a status line, then one header byte every 50 ms,
for a minute. ``dbcompat ydb probe`` and ``dbcompat ravendb probe`` run against it as whole
processes, with ``--timeout``; printed: the wall time of each, its exit status, and the ratio
to the timeout. With ``--before SRC``, the same with dbcompat from the source tree *SRC*.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time


def trickler() -> tuple[socket.socket, int]:
    listening = socket.create_server(("127.0.0.1", 0))

    def serve(connection: socket.socket) -> None:
        try:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            for _ in range(1200):
                connection.sendall(b"X")
                time.sleep(0.05)
        except OSError:
            pass
        finally:
            connection.close()

    def accept() -> None:
        while True:
            try:
                connection, _ = listening.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listening, listening.getsockname()[1]


def timed(source: str | None, product: str, url: str, timeout: float) -> tuple[float, int]:
    environment = dict(os.environ)
    if source:
        environment["PYTHONPATH"] = source
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dbcompat", product, "probe", url, "--timeout", f"{timeout:g}"],
        capture_output=True, env=environment, timeout=120,
    )  # fmt: skip
    return time.perf_counter() - began, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--before", help="the src/ of another dbcompat to compare")
    options = parser.parse_args()
    listening, port = trickler()
    url = f"http://127.0.0.1:{port}"
    for label, source in (("after", None), ("before", options.before)):
        if label == "before" and not source:
            continue
        for product in ("ydb", "ravendb"):
            seconds, status = timed(source, product, url, options.timeout)
            print(f"{label}: {product} probe --timeout {options.timeout:g}: {seconds:.2f} s "
                  f"({seconds / options.timeout:.2f}x the timeout), exit {status}")  # fmt: skip
    listening.close()


if __name__ == "__main__":
    main()
