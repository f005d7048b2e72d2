"""How fast dbcompat judges a fleet of a million nodes, as a library call and as a command.

    pip install '.[bench]' && python benchmarks/bench_fleet.py [--nodes N]

Two fleets of labelled nodes, one a line in a file: 300 distinct versions, and every version
distinct. For each: ``ydb.check_fleet`` on the entries in one process (best of a few rounds), then
``dbcompat ydb cluster --from FILE`` as a whole process, with its peak memory against the file's
size. Printed: seconds, microseconds a node, and ratios; then the floors this design cannot go
below (``floors``).
"""

from __future__ import annotations

import argparse
import gc
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from packaging.version import Version as PackagingVersion

import bench_parse
from dbcompat import inventory, ydb
from dbcompat.inventory import IMAGES, read_stream
from dbcompat.ydb.parser import as_versions
from dbcompat.ydb.parser import distinct as distinct_values


def fleets(nodes: int) -> dict[str, list[str]]:
    rng = random.Random(12)
    repeated = [f"24.4.4.{n}" for n in range(150)] + [f"25.1.4.{n}" for n in range(150)]
    return {
        "300 distinct": [rng.choice(repeated) for _ in range(nodes)],
        "all distinct": [f"25.1.{n // 1000}.{n % 1000}" for n in range(nodes)],
    }


def write_fleet(path: Path, versions: list[str]) -> list[tuple[str, str]]:
    """Write one node a line (``node-3 24.4.4.12``) to *path*: the (label, version) pairs."""
    pairs = [(f"node-{n}", version) for n, version in enumerate(versions)]
    path.write_text("".join(f"{label} {version}\n" for label, version in pairs))
    return pairs


def packaging_versions(texts: list[str]) -> list[PackagingVersion]:
    """The peer of a fleet's judgement: packaging reading every text, the versions kept, as a
    cluster's are."""
    return [PackagingVersion(text) for text in texts]


def timed(run: object, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        run()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def command(path: Path, rounds: int = 3) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of the command on *path*, as a process of its own,
    the best of *rounds* as for the call, after a first run that is not timed, with the bytecode
    an installed dbcompat has (``bench_parse.with_bytecode``).

    The peak is the kernel's VmHWM for the child's own memory: its ``ru_maxrss`` would be at
    least the size of this process, which forked it and holds the fleets."""
    code = (
        "import sys; from dbcompat.cli import main; status = main(sys.argv[1:]); "
        "print(next(line.split()[1] for line in open('/proc/self/status') "
        "if line.startswith('VmHWM:')), file=sys.stderr)"
    )
    argv = [sys.executable, "-c", code, "ydb", "cluster", "--from", str(path)]
    env = bench_parse.with_bytecode()
    subprocess.run(argv, env=env, capture_output=True, check=False)  # writes the bytecode
    best, peak = float("inf"), float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - start)
        peak = min(peak, int(done.stderr.strip().splitlines()[-1]) / 1024)
    return best, peak


def floors(nodes: int, folder: Path) -> None:
    """What this design cannot go below, measured: for a million distinct versions, reading each
    once into a version and keeping them all, with no rule at all (a cluster's judgement names
    its versions, so it holds them); for a file of 300 distinct versions, reading it in chunks and
    splitting each, with nothing kept, against the call; and a process that judges a one-line
    file, its time against the call and its memory against the million-line file."""
    distinct = fleets(nodes)["all distinct"]

    def versions_only() -> None:
        as_versions(distinct_values(distinct))

    floor, peer = timed(versions_only, 3), timed(lambda: packaging_versions(distinct), 3)
    print(f"\nfloors, {nodes:,} nodes")
    print(f"  all distinct: read once, keep them, no rule      {floor / peer:.2f}x packaging")
    path = folder / "floor.txt"
    pairs = write_fleet(path, fleets(nodes)["300 distinct"])

    def split() -> None:
        with path.open(encoding="utf-8") as stream:
            while chunk := stream.read(inventory._CHUNK):  # as the reader reads it
                chunk.split()

    call = timed(lambda: ydb.check_fleet(pairs), 3)
    print(
        f"  300 distinct: read and split the file, no more   {timed(split, 3) / call:.2f}x the call"
    )
    one = folder / "one.txt"
    one.write_text("node-0 25.1.4.18\n")
    wall, peak = command(one, rounds=5)
    size = path.stat().st_size / 2**20
    print(f"  a process judging one line                       {wall / call:.2f}x the call")
    print(f"    its memory, against the fleet's file          {peak / size:.2f}x the file")
    path.unlink()
    one.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    for name, versions in fleets(options.nodes).items():
        path = folder / f"{name.replace(' ', '-')}.txt"
        pairs = write_fleet(path, versions)
        size = path.stat().st_size / 2**20

        # The pairs above share each version's string, hashed once; pairs a caller read from
        # a file or a payload hold a string of their own for every node, as the file reader does.
        fresh = [(label, version.encode().decode()) for label, version in pairs]

        def library(pairs: list[tuple[str, str]] = pairs) -> None:
            ydb.check_fleet(pairs)

        def from_file(path: Path = path) -> None:
            with path.open(encoding="utf-8") as stream:
                ydb.check_fleet(read_stream(stream, name=path.name, images=IMAGES["ydb"]))

        lib = timed(library, options.rounds)
        own = timed(lambda fresh=fresh: ydb.check_fleet(fresh), options.rounds)
        read = timed(from_file, options.rounds)
        peer = timed(lambda versions=versions: packaging_versions(versions), options.rounds)
        wall, peak = command(path)
        print(f"\n{options.nodes:,} nodes, {name} ({size:.1f} MiB file)")
        each = lib / options.nodes * 1e6
        print(f"  check_fleet on (label, version) pairs  {lib:6.2f} s  {each:5.2f} us a node")
        print(f"  ... on pairs of strings of their own   {own:6.2f} s  {own / lib:.2f}x the call")
        print(f"  check_fleet reading the file           {read:6.2f} s  {read / lib:.2f}x the call")
        print(
            f"  packaging.Version on the strings       {peer:6.2f} s  (the call {lib / peer:.2f}x)"
        )
        print(f"  dbcompat ydb cluster --from FILE       {wall:6.2f} s  {wall / lib:.2f}x the call")
        print(f"    peak memory {peak:.0f} MiB, {peak / size:.1f}x the file")
    floors(options.nodes, folder)
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
