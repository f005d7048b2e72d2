"""The speed table of the README, every row measured in this one run against its peer.

    pip install '.[bench]' && python benchmarks/table.py [--quick]

Prints one Markdown table: each row's work, its target and the ratio measured here. With the
compiled accelerator installed (``pip install ./fast``), a second column measures the same rows
in a second process with it turned off (``DBCOMPAT_NO_EXTENSIONS=1``). The details
of each row, with absolute times, come from the scripts beside this one (bench_parse.py,
bench_fleet.py, bench_search.py), whose measurements this reuses.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import semver
from packaging.version import Version as PackagingVersion

import bench_fleet
import bench_parse
import bench_search
from dbcompat import _reader, ydb


def parsing_rows(count: int, rounds: int) -> list[tuple[str, str, str]]:
    unique = bench_parse.unique_versions(count)
    peers: dict[str, Callable[[str], object]] = {
        "dbcompat": ydb.parse,
        "packaging": PackagingVersion,
        "regex": bench_parse.bare_regex,
    }

    def against(
        strings: list[str], **contenders: Callable[[str], object]
    ) -> dict[str, list[float]]:
        return bench_parse.timings({**peers, **contenders}, strings, rounds, fresh=True)

    semantic = against(bench_parse.unique_three_part_versions(count), semver=semver.Version.parse)
    plain = against(unique)
    large = against(bench_parse.large_versions(count))
    typed = against(
        [f"{text}-lts" for text in unique], packaging=bench_parse.packaging_local_version
    )
    spellings = [
        ("v.{0}", "{0}-rc", "{0}", "stable-{1}")[n % 4].format(text, text.replace(".", "-"))
        for n, text in enumerate(unique)
    ]
    # Lenient reading of the spellings and strict reading of as many plain strings, side by side.
    lenient: dict[str, list[float]] = {"dbcompat": [], "strict": []}
    for _ in range(rounds):
        for name, strings, leniently in (("dbcompat", spellings, True), ("strict", unique, False)):
            lenient[name] += bench_parse.timings(
                {name: ydb.parse}, strings, 1, fresh=True, lenient=leniently
            )[name]
    rng = random.Random(3)
    fleet = [rng.choice(unique[:300]) for _ in range(count)]
    repeated = bench_parse.timings(
        {"dbcompat": ydb.parse, "packaging": PackagingVersion}, fleet, rounds, fresh=False
    )

    def ratios(times: dict[str, list[float]], *names: str) -> str:
        # The median of the ratios of rounds run side by side: the machine's drift between
        # rounds cancels, as a best of each taken apart does not.
        return ", ".join(
            f"{statistics.median(map(operator.truediv, times['dbcompat'], times[name])):.2f}x "
            f"{name}"
            for name in names
        )

    return [
        (
            "`ydb.parse`, fresh x.y.z strings (`24.3.14`)",
            "(against semver too)",
            ratios(semantic, "packaging", "semver", "regex"),
        ),
        (
            "`ydb.parse`, fresh four-part strings (`24.3.14.2`)",
            "≤ 0.9x packaging, ≤ 1.0x regex",
            ratios(plain, "packaging", "regex"),
        ),
        (
            "the same with a large minor (`20.0.4321.5`)",
            "(the issue's strings)",
            ratios(large, "packaging", "regex"),
        ),
        (
            "fresh strings with a release type (`-lts`)",
            "≤ 0.4x packaging, ≤ 1.1x regex",
            ratios(typed, "packaging", "regex"),
        ),
        (
            "lenient reading of real-world spellings",
            "≤ 1.5x strict",
            ratios(lenient, "strict"),
        ),
        ("a fleet of repeated strings", "keep (0.13x)", ratios(repeated, "packaging")),
    ]


def cluster_rows(nodes: int) -> list[tuple[str, str, str]]:
    rows = []
    for name, versions in bench_fleet.fleets(nodes).items():
        # Rounds side by side, as for parsing: each round's ratio, then their median. The
        # collector's work depends on the heap its last full pass saw, which the two share.
        calls, peers = [], []
        for _ in range(5):
            calls.append(bench_fleet.timed(lambda v=versions: ydb.check_cluster(v), 1))
            peers.append(bench_fleet.timed(lambda v=versions: bench_fleet.packaging_versions(v), 1))
        ratio = statistics.median(map(operator.truediv, calls, peers))
        target = "≤ 0.05x packaging" if name == "300 distinct" else "≤ 0.8x packaging"
        rows.append(
            (
                f"`check_cluster`, {nodes:,} strings, {name}",
                f"{target} parsing them",
                f"{ratio:.2f}x ({min(calls) / nodes * 1e6:.2f} us a node)",
            )
        )
    return rows


def search_row(megabytes: int) -> tuple[str, str, str]:
    text = bench_search.log(megabytes)
    pattern = bench_search.searcher("ydb_version")
    # Throughput against finditer's: the median of the ratios of rounds run side by side.
    ratios = [
        bench_search.best(lambda: sum(1 for _ in pattern.finditer(text)), 1)
        / bench_search.best(lambda: sum(1 for _ in ydb.find_all(text)), 1)
        for _ in range(5)
    ]
    median = statistics.median(ratios)
    return (f"`find_all` on a {megabytes} MB log", "≥ 0.85x `finditer`", f"{median:.2f}x")


def process_rows(runs: int) -> list[tuple[str, str, str]]:
    folder = Path(sys.executable).parent
    # What the console script runs, with the interpreter's own path: PYTHONPATH may choose which
    # dbcompat is measured, as when comparing with an earlier checkout.
    dbcompat = [sys.executable, "-c", "import sys; from dbcompat.cli import main; sys.exit(main())"]
    commands = {
        "parse": [*dbcompat, "ydb", "parse", "24.3.1"],
        "bogus": [*dbcompat, "ydb", "parse", "bogus"],  # exits 2, as it should
        "pysemver": [shutil.which("pysemver", path=str(folder)) or "pysemver", "check", "1.2.3"],
    }
    median = bench_parse.process_medians(commands, runs, check=False)
    return [
        (
            "`dbcompat ydb parse 24.3.1` as a process",
            "≤ 1.0x `pysemver check 1.2.3`",
            f"{median['parse'] / median['pysemver']:.2f}x ({median['parse'] * 1e3:.0f} ms)",
        ),
        (
            "`dbcompat ydb parse bogus` (explaining an error)",
            "≤ 1.5x the happy path",
            f"{median['bogus'] / median['parse']:.2f}x ({median['bogus'] * 1e3:.0f} ms)",
        ),
    ]


def file_rows(nodes: int) -> list[tuple[str, str, str]]:
    rows = []
    folder = Path(tempfile.mkdtemp())
    try:
        for name, versions in bench_fleet.fleets(nodes).items():
            path = folder / "fleet.txt"
            pairs = bench_fleet.write_fleet(path, versions)
            call = bench_fleet.timed(lambda p=pairs: ydb.check_fleet(p), 3)
            wall, peak = bench_fleet.command(path)
            size = path.stat().st_size / 2**20
            target = "≤ 1.5x" if name == "300 distinct" else "≤ 2.0x"
            rows.append(
                (
                    f"`ydb cluster --from FILE`, {nodes:,} lines, {name}",
                    f"{target} the call, memory ≤ 2x the file",
                    f"{wall / call:.2f}x the call, memory {peak / size:.1f}x the file",
                )
            )
    finally:
        shutil.rmtree(folder)
    return rows


def memory_row() -> tuple[str, str, str]:
    texts = bench_parse.unique_versions(20_000)

    def held(make: Callable[[str], object]) -> float:
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = [make(text) for text in texts]
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        return (after - before - sys.getsizeof(kept)) / len(kept)

    # Built by the constructor: the parsers' cache would count as the versions' memory.
    ours = held(lambda text: ydb.Version(*map(int, text.split("."))))
    theirs = held(PackagingVersion)
    return ("memory per `Version`", "≤ packaging", f"{ours:.0f} B, packaging {theirs:.0f} B")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer strings, nodes and runs")
    parser.add_argument("--json", action="store_true", help="print the measured column as JSON")
    options = parser.parse_args()
    count, rounds, nodes, megabytes, runs = (
        (5_000, 5, 100_000, 5, 5) if options.quick else (50_000, 15, 1_000_000, 50, 21)
    )
    rows = [
        *parsing_rows(count, rounds),
        *cluster_rows(nodes),
        search_row(megabytes),
        *process_rows(runs),
        *file_rows(nodes),
        memory_row(),
    ]
    if options.json:
        print(json.dumps([measured for _, _, measured in rows]))
        return
    if not getattr(getattr(_reader, "FAST", None), "COMPILED", False):  # an older dbcompat has none
        print("Python reading (the accelerator, ./fast, is not installed)\n")
        print("| work | target | measured |\n|---|---|---|")
        for row in rows:
            print(f"| {' | '.join(row)} |")
        return
    # The same rows again with the accelerator turned off, in a process of its own.
    again = [sys.executable, __file__, "--json", *(["--quick"] if options.quick else [])]
    python = json.loads(
        subprocess.run(
            again,
            env={**os.environ, "DBCOMPAT_NO_EXTENSIONS": "1"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    print("| work | target | compiled (`./fast`) | Python |\n|---|---|---|---|")
    for row, measured in zip(rows, python, strict=True):
        print(f"| {' | '.join(row)} | {measured} |")


if __name__ == "__main__":
    main()
