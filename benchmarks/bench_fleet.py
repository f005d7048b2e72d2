"""How fast dbcompat judges a large fleet with ``ydb.check_cluster``, against packaging reading
the same versions and keeping them, in the same run.

    pip install '.[bench]' && python benchmarks/bench_fleet.py [--nodes N] [--rounds R]

Two fleets: a million nodes on 300 distinct versions, and 300,000 nodes whose versions are all
distinct. Every round builds its fleet anew from versions never read before in this process
(``bench_parse.fresh_versions``), each node's version a string of its own, as a fleet read from
an API or a file holds them: no cache of dbcompat's helps it, and no string comes hashed. The
library call and packaging's ``[Version(s) for s in strings]`` are timed in rounds side by side
(``bench_parse.side_by_side``), the collector running as it runs in a program. Printed: seconds,
microseconds a node, the median of the rounds' ratios, and whether the call left the garbage
collector as it found it (the library never touches it).

Only dbcompat's public API is used, so that the same script measures any version of it.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
from collections.abc import Callable
from typing import NamedTuple

from packaging.version import Version as PackagingVersion

import bench_parse
from dbcompat import ydb


def few_distinct(nodes: int, distinct: int = 300) -> list[str]:
    """*nodes* versions, each a string of its own, of *distinct* realistic versions never read
    before."""
    pool = bench_parse.fresh_versions(distinct)
    rng = random.Random(nodes)
    return [rng.choice(pool).encode().decode() for _ in range(nodes)]


def all_distinct(nodes: int) -> list[str]:
    """*nodes* distinct versions never read before (their patches over 200: more distinct
    versions than YDB has released)."""
    return bench_parse.fresh_versions(nodes, realistic=False)


FLEETS: dict[str, Callable[[int], list[str]]] = {
    "300 distinct": few_distinct,
    "all distinct": all_distinct,
}


def packaging_versions(texts: list[str]) -> list[PackagingVersion]:
    """The peer of a fleet's judgement: packaging reading every text, the versions kept, as a
    cluster's are."""
    return [PackagingVersion(text) for text in texts]


def collector() -> tuple[bool, tuple[int, ...], int]:
    """What a library must leave as it found it: whether the cyclic collector runs, its
    thresholds and how many objects are frozen out of its reach."""
    return gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()


def collections() -> int:
    """How many times the cyclic collector has run in this process, every generation counted."""
    return sum(generation["collections"] for generation in gc.get_stats())


class Collector(NamedTuple):
    """What the library calls did to the collector: whether each left it as it found it, and how
    many times it ran during each (none, while a call builds 300,000 versions, says the call
    paused it)."""

    untouched: bool
    runs: list[int]


def cluster_times(
    fleet: Callable[[int], list[str]], nodes: int, rounds: int
) -> tuple[dict[str, list[float]], Collector]:
    """Seconds of ``ydb.check_cluster`` (``dbcompat``) and of ``packaging_versions`` in each of
    *rounds* rounds on a new fleet of *nodes*; and what the library's calls did to the
    collector."""
    seen = Collector(True, [])

    def judge(versions: list[str]) -> object:
        nonlocal seen
        before, ran = collector(), collections()
        verdict = ydb.check_cluster(versions)
        seen = Collector(
            seen.untouched and collector() == before, [*seen.runs, collections() - ran]
        )
        return verdict

    def contenders() -> dict[str, Callable[[], object]]:
        versions = fleet(nodes)
        bench_parse.touch(versions)
        return {
            "dbcompat": lambda: judge(versions),
            "packaging": lambda: packaging_versions(versions),
        }

    return bench_parse.side_by_side(rounds, contenders), seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=1_000_000, help="nodes of the first fleet")
    parser.add_argument(
        "--distinct", type=int, default=300_000, help="nodes of the all-distinct fleet"
    )
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    for (name, fleet), nodes in zip(FLEETS.items(), (options.nodes, options.distinct), strict=True):
        times, seen = cluster_times(fleet, nodes, options.rounds)
        ours, theirs = times["dbcompat"], times["packaging"]
        ratio = bench_parse.median_ratio(times, "dbcompat", "packaging")
        print(f"\n{nodes:,} nodes, {name}, {options.rounds} rounds side by side")
        print(
            f"  check_cluster         median {statistics.median(ours):6.3f} s"
            f"  {statistics.median(ours) / nodes * 1e6:5.2f} us a node"
        )
        print(
            f"  packaging, kept       median {statistics.median(theirs):6.3f} s"
            f"  {statistics.median(theirs) / nodes * 1e6:5.2f} us a node"
        )
        print(f"  ratio                 {ratio:.3f}x (median of the rounds' ratios)")
        print(f"  collector left as found: {'yes' if seen.untouched else 'NO'}")
        print(f"  collections during each call: {', '.join(map(str, seen.runs))}")


if __name__ == "__main__":
    main()
