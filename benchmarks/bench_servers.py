"""The webhook's server under attack, side by side with its peers: what each refuses, how it
holds up under slowloris, how fast it answers 50 clients, and what it costs to install.

    pip install '.[bench,webhook]'
    python benchmarks/bench_servers.py [--servers aiohttp,uvicorn,threading] [--seconds 30]
        [--attackers 1000] [--before SRC]

Servers, each its own process on 127.0.0.1 over TLS, each answering with the same
``dbcompat.webhook.review.review``:

- ``aiohttp``: ``dbcompat webhook`` as shipped (aiohttp's low-level server);
- ``uvicorn``: uvicorn over h11 (its pure-Python parser) with a minimal ASGI app, the peer not
  chosen, configured as its documentation suggests (keep-alive 30 s, HTTP/1.1 only);
- ``threading``: ``dbcompat webhook`` from the source tree *SRC* (``--before``), the standard
  library's threading server it replaced.

Rows: malformed framings refused (of 10: refused is a 4xx status or a closed connection, and
no review answered, the smuggled second one included);
slowloris (half the attackers trickle a request a byte a second over TLS, half never start their
handshake, each reconnecting when cut), during which one client sends a review every 50 ms on a
new TLS connection and one on a kept connection, with the API server's 5 s budget: answered,
p50, p99, max; 1,000 reviews from 50 TLS clients on kept connections: reviews/s and wrong
answers; for aiohttp, 20,000 reviews with the server's resident memory after 2,000 and after
20,000; the import time of the server library and the size of its wheels.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
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

from bench_webhook import body, certificates

HERE = Path(__file__).resolve()
HEAD = b"POST /validate HTTP/1.1\r\nHost: webhook\r\nContent-Type: application/json\r\n"
FRAMINGS = [
    b"Content-Length: \xc2\xb2\r\n",
    b"Content-Length: " + b"9" * 5000 + b"\r\n",
    b"Content-Length: -1\r\n",
    b"Content-Length: +%d\r\n",
    b"Content-Length: %d\r\nContent-Length: %d\r\n",
    b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n",
    b"Transfer-Encoding: chunked, identity\r\n",
    b"Transfer-Encoding: xchunked\r\n",
    b"Content-Length : %d\r\n",
    b" Content-Length: %d\r\n",
]


class Server:
    """One server process, its port, and the CA its clients trust."""

    def __init__(
        self,
        kind: str,
        folder: Path,
        before: str | None,
        extra: list[str],
        server_environment: list[str],
    ) -> None:
        files = [str(folder / "cert.pem"), str(folder / "key.pem")]
        environment = {**os.environ, **dict(each.split("=", 1) for each in server_environment)}
        if kind == "uvicorn":
            command = [sys.executable, str(HERE), "--serve-uvicorn", *files]
        else:
            command = [sys.executable, "-m", "dbcompat", "webhook", "--cert", files[0],
                       "--key", files[1], "--host", "127.0.0.1", "--port", "0", *extra]  # fmt: skip
            if kind == "threading":
                assert before, "--before SRC: the source tree of the threading server"
                environment["PYTHONPATH"] = before
        self.process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=environment)
        assert self.process.stderr is not None
        self.port = json.loads(self.process.stderr.readline())["port"]
        threading.Thread(target=self.process.stderr.read, daemon=True).start()  # drain the log
        self.context = ssl.create_default_context(cafile=str(folder / "ca.pem"))
        for _ in range(200):  # uvicorn says its port before it listens on it
            try:
                self.connect().close()
                break
            except OSError:
                time.sleep(0.1)

    def connect(self, timeout: float = 5.0) -> ssl.SSLSocket:
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        return self.context.wrap_socket(raw, server_hostname="127.0.0.1")

    def rss_mib(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024  # type: ignore[index]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def review_request(n: int) -> tuple[bytes, bool]:
    raw, allowed = body(n)
    return HEAD + b"Content-Length: %d\r\n\r\n" % len(raw) + raw, allowed


def exchange(connection: ssl.SSLSocket, reader: Any, request: bytes) -> bytes:
    connection.sendall(request)
    length = 0
    while (line := reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if not line:
        raise ConnectionError("closed")
    return bytes(reader.read(length))


def framings_refused(server: Server) -> list[bytes]:
    """The framings of :data:`FRAMINGS` the server refused, where it did not answer a review."""
    first, _ = body(1)
    smuggled, _ = body(2)
    refused = []
    for framing in FRAMINGS:
        count = framing.count(b"%d")
        header = framing % ((len(first),) * count) if count else framing
        tail = HEAD + b"Content-Length: %d\r\n\r\n" % len(smuggled) + smuggled
        connection = server.connect()
        received = b""
        try:
            connection.sendall(HEAD + header + b"\r\n" + first + tail)
            while chunk := connection.recv(65536):
                received += chunk
        except (OSError, ssl.SSLError):
            pass
        connection.close()
        answered = received.count(b'"response"')
        status = received.split(b"\r\n", 1)[0].split(b" ")[1:2]
        if answered == 0 and (not received or (status[:1] and status[0].startswith(b"4"))):
            refused.append(framing)
    return refused


def load(server: Server, reviews: int, clients: int, marks: tuple[int, ...] = ()) -> dict[str, Any]:
    requests = [review_request(n) for n in range(reviews)]
    done = 0
    lock = threading.Lock()
    rss: dict[int, float] = {}

    def one_client(start: int) -> int:
        nonlocal done
        wrong = 0
        connection = server.connect(timeout=30)
        reader = connection.makefile("rb")
        for request, allowed in requests[start::clients]:
            try:
                wrong += (
                    json.loads(exchange(connection, reader, request))["response"]["allowed"]
                    is not allowed
                )
            except (OSError, ValueError, KeyError):
                wrong += 1
                connection = server.connect(timeout=30)
                reader = connection.makefile("rb")
            with lock:
                done += 1
                if done in marks:
                    rss[done] = server.rss_mib()
        connection.close()
        return wrong

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        wrong = sum(pool.map(one_client, range(clients)))
    return {"per_second": reviews / (time.perf_counter() - started), "wrong": wrong, "rss": rss}


async def attack(port: int, ca: str, attackers: int, seconds: float) -> dict[str, int]:
    """Slowloris for *seconds*: half trickle over TLS, half never handshake; each reconnects
    when the server cuts it. Counts the connections made and the cuts."""
    context = ssl.create_default_context(cafile=ca)
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    counts = {"connections": 0, "cut": 0, "refused": 0}

    async def trickler(tls: bool) -> None:
        while loop.time() < end:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(
                        "127.0.0.1", port, ssl=context if tls else None,
                        server_hostname="127.0.0.1" if tls else None,
                    ),
                    timeout=max(0.1, end - loop.time()),
                )  # fmt: skip
            except (OSError, asyncio.TimeoutError, ssl.SSLError):
                counts["refused"] += 1
                await asyncio.sleep(0.5)
                continue
            counts["connections"] += 1
            payload = (HEAD + b"X-Pad: " + b"a" * 10_000) if tls else b""
            for byte in payload or iter(int, 1):
                if loop.time() >= end:
                    break
                if tls:
                    writer.write(bytes([byte]))
                try:
                    if await asyncio.wait_for(reader.read(1), timeout=1.0) == b"":
                        counts["cut"] += 1
                        break
                except asyncio.TimeoutError:
                    continue
                except (OSError, ssl.SSLError):
                    counts["cut"] += 1
                    break
            writer.transport.abort()

    await asyncio.gather(*(trickler(n % 2 == 0) for n in range(attackers)))
    return counts


def under_attack(server: Server, folder: Path, attackers: int, seconds: float) -> dict[str, Any]:
    attacker = subprocess.Popen(
        [sys.executable, str(HERE), "--attack", str(server.port), str(folder / "ca.pem"),
         str(attackers), str(seconds)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(min(5.0, seconds / 4))  # the attackers connect first
    latencies: list[float] = []
    failed = 0
    lock = threading.Lock()
    end = time.monotonic() + seconds - min(5.0, seconds / 4) - 1
    requests = [review_request(n) for n in range(2)]

    def reviewer(kept: bool) -> None:
        nonlocal failed
        connection: ssl.SSLSocket | None = None
        n = 0
        while time.monotonic() < end:
            request, allowed = requests[n % 2]
            n += 1
            began = time.perf_counter()
            try:
                if connection is None or not kept:
                    connection = server.connect(timeout=5.0)  # the API server's budget
                    reader = connection.makefile("rb")
                ok = json.loads(exchange(connection, reader, request))["response"]["allowed"]
                assert ok is allowed
                with lock:
                    latencies.append(time.perf_counter() - began)
            except (OSError, ValueError, KeyError, AssertionError, ssl.SSLError):
                with lock:
                    failed += 1
                connection = None
            if not kept and connection is not None:
                connection.close()
            time.sleep(max(0.0, 0.05 - (time.perf_counter() - began)))

    threads = [threading.Thread(target=reviewer, args=(kept,)) for kept in (False, True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = json.loads(attacker.communicate(timeout=seconds + 60)[0])
    latencies.sort()

    def quantile(q: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000, 1)

    return {
        "answered": len(latencies), "failed": failed,
        "p50": quantile(0.5) if latencies else None, "p99": quantile(0.99) if latencies else None,
        "max": round(latencies[-1] * 1000, 1) if latencies else None, **counts,
    }  # fmt: skip


def import_ms(statement: str) -> float:
    runs = []
    for _ in range(7):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        runs.append(time.perf_counter() - began)
    return statistics.median(runs) * 1000


def wheels_kib(packages: list[str]) -> float | None:
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--only-binary", ":all:", "-d",
             folder, *packages], capture_output=True,
        )  # fmt: skip
        if done.returncode != 0:
            return None
        return sum(path.stat().st_size for path in Path(folder).iterdir()) / 1024


def serve_uvicorn(cert: str, key: str) -> None:
    import uvicorn

    from dbcompat.webhook.review import NotAReview, Policy, review

    policy = Policy()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        status, answer = 404, b"not found\n"
        if scope["path"] == "/healthz":
            status, answer = 200, b"ok\n"
        elif scope["path"] == "/validate":
            raw = b""
            more = True
            while more and len(raw) <= 3 * 2**20:
                message = await receive()
                raw += message.get("body", b"")
                more = message.get("more_body", False)
            try:
                status, answer = 200, json.dumps(review(json.loads(raw), policy)).encode()
            except (ValueError, NotAReview) as error:
                status, answer = 400, str(error).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(answer))]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": answer})

    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        app, http="h11", ssl_certfile=cert, ssl_keyfile=key, log_level="warning",
        access_log=False, timeout_keep_alive=30, lifespan="off",
    )  # fmt: skip
    print(json.dumps({"event": "listening", "port": listening.getsockname()[1]}), file=sys.stderr,
          flush=True)  # fmt: skip
    uvicorn.Server(config).run(sockets=[listening])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--servers", default="aiohttp,uvicorn,threading")
    parser.add_argument("--before", help="the source tree (its src/) of the threading server")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--attackers", type=int, default=1000)
    parser.add_argument("--webhook-options", default="", help="more options of dbcompat webhook")
    parser.add_argument(
        "--server-env", action="append", default=[], metavar="NAME=VALUE",
        help="an environment variable of the servers only (repeatable)",
    )  # fmt: skip
    parser.add_argument("--serve-uvicorn", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--attack", nargs=4, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve_uvicorn:
        serve_uvicorn(*options.serve_uvicorn)
        return
    if options.attack:
        port, ca, attackers, seconds = options.attack
        print(json.dumps(asyncio.run(attack(int(port), ca, int(attackers), float(seconds)))))
        return
    folder = certificates()
    for kind in options.servers.split(","):
        server = Server(
            kind, folder, options.before, options.webhook_options.split(), options.server_env
        )
        try:
            print(f"## {kind}")
            refused = framings_refused(server)
            print(f"framings refused: {len(refused)} of {len(FRAMINGS)}")
            for framing in FRAMINGS:
                if framing not in refused:
                    print(f"    answered: {framing[:60]!r}")
            before = server.rss_mib()
            attacked = under_attack(server, folder, options.attackers, options.seconds)
            print(f"slowloris, {options.attackers} attackers, {options.seconds:g} s: {attacked}")
            print(f"    server RSS MiB: {before:.0f} before, {server.rss_mib():.0f} after")
            fast = load(server, 1000, 50)
            print(f"1,000 reviews, 50 clients: {fast['per_second']:,.0f}/s, {fast['wrong']} wrong")
            if kind == "aiohttp":
                many = load(server, 20_000, 50, marks=(2_000, 20_000))
                rss = ", ".join(f"{mib:.1f} after {n:,}" for n, mib in sorted(many["rss"].items()))
                print(f"20,000 reviews: {many['wrong']} wrong, server RSS MiB {rss}")
        finally:
            server.stop()
    baseline = import_ms("pass")
    aiohttp_ms = import_ms("import aiohttp.web") - baseline
    uvicorn_ms = import_ms("import uvicorn, uvicorn.protocols.http.h11_impl") - baseline
    print(f"import aiohttp.web: {aiohttp_ms:.0f} ms; import uvicorn + h11: {uvicorn_ms:.0f} ms")
    print(f"wheels, aiohttp and its dependencies: {wheels_kib(['aiohttp'])} KiB; uvicorn, h11 "
          f"and theirs: {wheels_kib(['uvicorn'])} KiB")  # fmt: skip


if __name__ == "__main__":
    main()
