"""The speed table: every row measured in this one run against its peer.

    pip install '.[bench,yaml]' && python benchmarks/table.py [--quick] [--json]

Prints one Markdown table: each row's work, its peer, its target and what was measured here, the
ratio to the peer and, in parentheses, an absolute figure. Every ratio is taken against its peer in
the same run, in rounds run side by side (the first of the two alternating from round to round):
the median of the rounds' ratios, so that the machine's drift between rounds cancels. The details
of each row come from the scripts beside this one, whose measurements this reuses:
bench_parse.py (reading, and commands as processes), bench_fleet.py (``check_cluster``),
bench_search.py (``find_all``) and bench_scan.py (``dbcompat scan``).

Nothing is timed that a user would not feel, and nothing is left out that they would: strings are
ones this process never read (no cache is emptied, none can help), the garbage collector runs as
in any program (a full collection before each timed call, for both sides alike, and none paused),
and commands run as whole processes with their bytecode written, after one run that is not timed.

Only dbcompat's public API is used (``ydb.parse``, ``ydb.check_cluster``, ``ydb.find_all``,
``ydb.Version``, ``dbcompat.grammar_regex`` and the ``dbcompat`` command), so that the same script
measures any version of dbcompat, whatever its internals.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import statistics
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from packaging.version import Version as PackagingVersion

import bench_fleet
import bench_parse
import bench_scan
import bench_search
from dbcompat import ydb


class Row(NamedTuple):
    work: str
    peer: str
    target: str
    ratio: float
    measured: str


class Sizes(NamedTuple):
    strings: int  # a parsing round's fresh strings
    rounds: int  # parsing rounds
    nodes: int  # the fleet of 300 distinct versions
    distinct: int  # the fleet of distinct versions
    fleet_rounds: int
    megabytes: int  # the log
    many: int  # distinct versions in the second log
    search_rounds: int
    runs: int  # runs of each small command
    manifests: int
    scan_runs: int


FULL = Sizes(10_000, 21, 1_000_000, 300_000, 5, 20, 50_000, 5, 41, 2_000, 11)
QUICK = Sizes(2_000, 5, 100_000, 30_000, 3, 2, 5_000, 3, 7, 200, 3)


def parse_row(sizes: Sizes) -> Row:
    times = bench_parse.parse_times(sizes.strings, sizes.rounds, packaging=PackagingVersion)
    ratio = bench_parse.median_ratio(times, "dbcompat", "packaging")
    ours, theirs = (statistics.median(times[name]) for name in ("dbcompat", "packaging"))
    return Row(
        "`ydb.parse`, fresh distinct realistic strings (`2x.y.z.p`)",
        "`packaging.Version`",
        "≤ 1.5x (median of interleaved rounds)",
        ratio,
        f"{ratio:.2f}x ({ours:.2f} µs a string, packaging {theirs:.2f} µs)",
    )


def cluster_rows(sizes: Sizes) -> list[Row]:
    rows = []
    for name, nodes in (("300 distinct", sizes.nodes), ("all distinct", sizes.distinct)):
        times, seen = bench_fleet.cluster_times(bench_fleet.FLEETS[name], nodes, sizes.fleet_rounds)
        ratio = bench_parse.median_ratio(times, "dbcompat", "packaging")
        each = statistics.median(times["dbcompat"]) / nodes * 1e6
        collector = ""
        if not seen.untouched:
            collector = "; the call changed the garbage collector's state"
        elif name == "all distinct":
            # Building that many versions runs the collector, unless the call paused it.
            paused = min(seen.runs) == 0
            collector = "; the call paused the collector" if paused else "; collector untouched"
        if name == "300 distinct":
            work = f"`check_cluster`, {nodes:,} nodes of 300 distinct versions"
            peer, target = f"packaging parsing the same {nodes:,}", "≤ 0.05x"
        else:
            work = f"`check_cluster`, {nodes:,} all-distinct versions"
            peer, target = "packaging parsing and keeping them", "≤ 1.4x"
            target += (
                " (the library never touches the garbage collector; the CLI's bulk read may"
                " pause it, restoring the prior state in `finally`, never freezing it)"
            )
        rows.append(
            Row(work, peer, target, ratio, f"{ratio:.3f}x ({each:.2f} µs a node{collector})")
        )
    return rows


def search_rows(sizes: Sizes) -> list[Row]:
    rows = []
    logs = (
        ("about 700 distinct versions", 700, True, "≥ 0.75x"),
        (f"many more distinct versions ({sizes.many:,})", sizes.many, False, "report only"),
    )
    for name, distinct, realistic, target in logs:
        versions = bench_search.log_versions(distinct, realistic=realistic)
        text = bench_search.log(sizes.megabytes, versions)
        times = bench_search.search_times(text, sizes.search_rounds)
        # Throughput against finditer's: its time over find_all's.
        ratio = bench_parse.median_ratio(times, "finditer", "dbcompat")
        speed = len(text) / 2**20 / statistics.median(times["dbcompat"])
        found, durations, _ = bench_search.distinct_found(text)
        rows.append(
            Row(
                f"`find_all` on a {sizes.megabytes} MB log of {name}",
                "a plain `finditer`",
                target,
                ratio,
                f"{ratio:.2f}x ({speed:.0f} MB/s; {found:,} distinct found, {durations:,} of "
                "them durations)",
            )
        )
    return rows


def process_rows(sizes: Sizes) -> list[Row]:
    dbcompat = bench_scan.dbcompat_command()
    pysemver = shutil.which("pysemver", path=str(Path(sys.executable).parent)) or "pysemver"
    commands = {
        "check": [*dbcompat, "ydb", "check", "24.3.15.5", "24.4.4.12"],  # allowed: exits 0
        "pysemver": [pysemver, "check", "1.2.3"],
        "parse": [*dbcompat, "ydb", "parse", "24.3.1"],
        "bogus": [*dbcompat, "ydb", "parse", "bogus"],  # refused: exits 2
    }
    times = bench_parse.process_times(commands, sizes.runs, status={"bogus": 2})
    check = bench_parse.median_ratio(times, "check", "pysemver")
    bogus = bench_parse.median_ratio(times, "bogus", "parse")
    millis = {name: statistics.median(values) * 1e3 for name, values in times.items()}
    return [
        Row(
            "`dbcompat ydb check 24.3.15.5 24.4.4.12` process",
            "`pysemver check 1.2.3`",
            "≤ 1.25x",
            check,
            f"{check:.2f}x ({millis['check']:.0f} ms, pysemver {millis['pysemver']:.0f} ms)",
        ),
        Row(
            "error path (`dbcompat ydb parse bogus`)",
            "the happy path (`dbcompat ydb parse 24.3.1`)",
            "≤ 2.5x",
            bogus,
            f"{bogus:.2f}x ({millis['bogus']:.0f} ms, happy path {millis['parse']:.0f} ms)",
        ),
    ]


def scan_row(sizes: Sizes) -> Row:
    times = bench_scan.scan_times(sizes.manifests, sizes.scan_runs)
    ratio = bench_parse.median_ratio(times, "dbcompat", "yaml")
    ours, theirs = (statistics.median(times[name]) for name in ("dbcompat", "yaml"))
    return Row(
        f"`dbcompat scan` of {sizes.manifests:,} manifests (`--json`, a process)",
        "only loading their YAML (a process)",
        "≤ 2.0x",
        ratio,
        f"{ratio:.2f}x ({ours:.2f} s, loading {theirs:.2f} s)",
    )


def memory_row() -> Row:
    numbers = list(
        itertools.islice(
            itertools.product(
                bench_parse.YEARS,
                bench_parse.MAJORS,
                bench_parse.MINORS,
                bench_parse.REALISTIC_PATCHES,
            ),
            20_000,
        )
    )
    texts = [".".join(map(str, each)) for each in numbers]

    def held(make: Callable[[], list[object]]) -> float:
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = make()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        return (after - before - sys.getsizeof(kept)) / len(kept)

    # Built by the constructor: a parser's cache would count as the versions' memory.
    ours = held(lambda: [ydb.Version(*each) for each in numbers])
    theirs = held(lambda: [PackagingVersion(text) for text in texts])
    return Row(
        "memory per `Version`",
        "packaging",
        "≤ 1.0x",
        ours / theirs,
        f"{ours / theirs:.2f}x ({ours:.0f} B, packaging {theirs:.0f} B)",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer strings, nodes and runs")
    parser.add_argument(
        "--json", action="store_true", help="print the rows as JSON (the ratio as a number)"
    )
    options = parser.parse_args()
    sizes = QUICK if options.quick else FULL
    rows = [
        parse_row(sizes),
        *cluster_rows(sizes),
        *search_rows(sizes),
        *process_rows(sizes),
        scan_row(sizes),
        memory_row(),
    ]
    if options.json:
        print(json.dumps([row._asdict() for row in rows], ensure_ascii=False, indent=1))
        return
    print("| work | peer | target | measured |\n|---|---|---|---|")
    for row in rows:
        print(f"| {row.work} | {row.peer} | {row.target} | {row.measured} |")


if __name__ == "__main__":
    main()
