"""How fast find_all reads a large log, against a plain re.finditer with the same pattern.

    pip install '.[bench]' && python benchmarks/bench_search.py [--megabytes N]

The log is generated from realistic lines (kubectl describe, ydbd startup, a RavenDB server log)
with fresh versions, addresses and dates in each; best of a few rounds.
"""

from __future__ import annotations

import argparse
import random
import time

from dbcompat._search import searcher

from dbcompat import ydb

LINES = [
    "2026-05-12T09:14:05.{n:06d}Z :BS_NODE NOTICE: ydbd version 25.{m}.4.{p} started, pid {n}",
    "2026-05-12T09:14:05.{n:06d}Z :INTERCONNECT INFO: peer 10.2.{m}.{p}:19001 (v.24.4.4.{p})",
    "    Image:          cr.yandex/crptqonuodf51kdj7a7d/ydb:25.{m}.4.{p}",
    "| v.26.1.1.{p} | 27.07.26 | released on {m}.12.2025 |",
    "2026-05-12 09:20:11.{n:04d}, 1, Information, Server, RavenDB 6.0.{p} (60071) on 10.2.3.{p}",
    "Normal  Started  3m  kubelet  Started container ydb-storage on worker-{n}",
]


def log(megabytes: int) -> str:
    rng = random.Random(5)
    lines, size = [], 0
    while size < megabytes * 2**20:
        line = rng.choice(LINES).format(
            n=rng.randrange(10**6), m=rng.randrange(1, 5), p=rng.randrange(200)
        )
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def best(run: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    text = log(options.megabytes)
    size = len(text) / 2**20
    for strict in (True, False):
        pattern = searcher("ydb_version" if strict else "ydb_release")
        plain = best(lambda p=pattern: sum(1 for _ in p.finditer(text)), options.rounds)
        ours = best(lambda s=strict: sum(1 for _ in ydb.find_all(text, strict=s)), options.rounds)
        name = "strict" if strict else "lenient"
        print(
            f"find_all ({name}) on {size:.0f} MB: {size / ours:6.1f} MB/s, plain finditer "
            f"{size / plain:6.1f} MB/s: {plain / ours:.2f}x its throughput"
        )


if __name__ == "__main__":
    main()
