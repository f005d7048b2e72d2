"""How fast ``ydb.find_all`` reads a large log, against a plain ``finditer`` with the grammar's
regex, in the same run.

    pip install '.[bench]' && python benchmarks/bench_search.py [--megabytes N] [--rounds R]

The log is generated from realistic lines (ydbd's own log, kubelet pulling an image, gRPC requests
and queries with their durations, ``took 12.345 ms``, a RavenDB server) with timestamps, hosts and
the addresses of a cluster's 500 nodes and 2,000 clients, naming versions drawn from a pool of
distinct versions never read before in this process: about 700 of them, as a cluster's log over a
few upgrades names, then many more. The peer is ``finditer`` with the strict grammar's public
regex (``dbcompat.grammar_regex``), bounded as a search must be (no version glued to a word or a
longer number); rounds side by side (``bench_parse.side_by_side``), the median of their ratios.
Printed: MB/s of each, the ratio, and how many distinct texts each found.

Only dbcompat's public API is used, so that the same script measures any version of it.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
from collections.abc import Callable

import bench_parse
from dbcompat import grammar_regex, ydb

LINES = [
    "{ts} {host} ydbd[{pid}]: :BS_NODE NOTICE: ydbd version {version} started, node {node}",
    "{ts} {host} ydbd[{pid}]: :INTERCONNECT INFO: peer {ip}:19001 node {node} (version {version})",
    '{ts} {host} kubelet[{pid}]: Pulling image "cr.yandex/crptqonuodf51kdj7a7d/ydb:{version}"',
    "{ts} {host} ydbd[{pid}]: :KQP_PROXY DEBUG: query {pid}-{node} took {ms} ms, 12 rows",
    "{ts} {host} ydbd[{pid}]: :GRPC_SERVER DEBUG: request from ipv4:{client}:{port} took {ms} ms",
    "{ts} {host} ydbd[{pid}]: :TABLET_EXECUTOR INFO: tablet 7207{pid} compacted in {ms} ms",
    "{ts} {host} ydbd[{pid}]: :HIVE NOTICE: node {node} on {version} joined, {node} tablets",
    "{ts} {host} ravendb[{pid}]: Information, Server, RavenDB 6.0.{node} (60071) on {ip}",
    "{ts} {host} dbcompat-agent[{pid}]: rolling upgrade {version} -> {version} on node {node}",
]


def log(megabytes: float, versions: list[str], *, durations: bool = True) -> str:
    """About *megabytes* of log lines naming *versions* at random. With *durations* false, the
    lines with a duration (``took 12.345 ms``) spell it ``took 12.345ms``, which no search of
    versions takes for one."""
    rng = random.Random(5)
    lines, size = [], 0
    while size < megabytes * 2**20:
        template = rng.choice(LINES)
        # A cluster of 500 nodes, each at its own address, and 2,000 clients: a log names the
        # same hosts again and again, as it names the same versions.
        node, client = rng.randrange(1, 500), rng.randrange(2000)
        line = template.replace("{version}", rng.choice(versions), 1).format(
            ts=f"2026-05-12T{rng.randrange(24):02d}:{rng.randrange(60):02d}:"
            f"{rng.randrange(60):02d}.{rng.randrange(10**6):06d}Z",
            host=f"ydb-{rng.choice(('storage', 'database'))}-{rng.randrange(64)}",
            pid=rng.randrange(1000, 99999),
            node=node,
            ip=f"10.2.{node // 250}.{node % 250 + 1}",
            client=f"10.8.{client // 250}.{client % 250 + 1}",
            port=rng.randrange(30000, 60000),
            ms=f"{rng.lognormvariate(1.5, 1.3):.3f}",
            version=rng.choice(versions),
        )
        if not durations:
            line = line.replace(" ms", "ms")
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def log_versions(count: int, *, realistic: bool = True) -> list[str]:
    """*count* distinct versions never read before, of the years that name a YDB release with
    four numbers (24 to 26; ``find_all`` takes four numbers of an earlier year for an address)."""
    versions: list[str] = []
    while len(versions) < count:
        fresh = bench_parse.fresh_versions(count, realistic=realistic)
        versions += [text for text in fresh if "24" <= text[:2] <= "26"]
    return versions[:count]


def searcher(grammar: str) -> re.Pattern[str]:
    """The grammar's public regex, bounded as a search of versions must be: not glued to a
    letter, digit or dot before it, nor to a letter or digit after it, nor to a "." or "-" that
    goes on with one; nor the end of a longer number (``09:20:11.0042``, ``2026-05-12``)."""
    return re.compile(
        rf"(?<![\w.])(?<![0-9][-:/])(?:{grammar_regex(grammar).pattern})(?!\w|[.-]\w)"
    )


def search_times(text: str, rounds: int) -> dict[str, list[float]]:
    """Seconds of ``ydb.find_all`` (``dbcompat``) and of ``finditer`` (``finditer``) over all of
    *text*, in each of *rounds* rounds side by side."""
    pattern = searcher("ydb_version")

    def contenders() -> dict[str, Callable[[], object]]:
        return {
            "dbcompat": lambda: sum(1 for _ in ydb.find_all(text)),
            "finditer": lambda: sum(1 for _ in pattern.finditer(text)),
        }

    return bench_parse.side_by_side(rounds, contenders)


def distinct_found(text: str) -> tuple[int, int, int]:
    """How many distinct texts ``find_all`` reports, how many of them have two numbers only (the
    durations: the log's versions have four), and how many the peer's ``finditer`` matches."""
    found = {text[each.start : each.end] for each in ydb.find_all(text)}
    matched = {match.group() for match in searcher("ydb_version").finditer(text)}
    return len(found), sum(1 for each in found if each.count(".") == 1), len(matched)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--without-durations",
        action="store_true",
        help="spell durations 12.345ms, which no search takes for a version",
    )
    options = parser.parse_args()
    for distinct, realistic in ((700, True), (50_000, False)):
        versions = log_versions(distinct, realistic=realistic)
        text = log(options.megabytes, versions, durations=not options.without_durations)
        size = len(text) / 2**20
        times = search_times(text, options.rounds)
        ours, plain = (statistics.median(times[name]) for name in ("dbcompat", "finditer"))
        ratio = bench_parse.median_ratio(times, "finditer", "dbcompat")
        found, durations, matched = distinct_found(text)
        print(f"\n{size:.0f} MB log naming {distinct:,} distinct versions")
        print(f"  find_all  {size / ours:6.1f} MB/s   {ratio:.2f}x finditer's throughput")
        print(f"  finditer  {size / plain:6.1f} MB/s")
        print(
            f"  distinct texts found: find_all {found:,} ({durations:,} of two numbers), "
            f"finditer {matched:,}"
        )


if __name__ == "__main__":
    main()
