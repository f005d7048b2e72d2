"""How fast dbcompat reads versions, against packaging in the same run; and how long its commands
take as whole processes.

    pip install '.[bench]' && python benchmarks/bench_parse.py [--quick]

Every round reads strings never read before in this process, as a program reads versions it has
just been given, so that no cache of dbcompat's can help it: its caches are not emptied (they are
its own business), the strings are new. Both contenders read the same strings in a round, in turn,
the first of them alternating from round to round. Printed: microseconds per version, each round's
ratio against packaging and their median, and a bare regular expression that builds a tuple, for
reference. Then the time to a first parse of a new process (median of interleaved processes).

Only dbcompat's public API is used, so that the same script measures any version of it.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import operator
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence

from packaging.version import Version as PackagingVersion

from dbcompat import ydb

# The strict YDB grammar written by hand, the baseline a user would otherwise write: it reads what
# dbcompat reads (optional minor, patch and type) and builds a tuple.
YDB_BY_HAND = re.compile(
    r"([0-9]{2})\.([0-9]+)(?:\.([0-9]+)(?:\.([0-9]+))?)?(?:-(testing|stable|lts))?"
)


def bare_regex(text: str) -> tuple[object, ...]:
    match = YDB_BY_HAND.fullmatch(text)
    assert match is not None
    year, major, minor, patch, release_type = match.groups()
    return (
        int(year),
        int(major),
        None if minor is None else int(minor),
        None if patch is None else int(patch),
        release_type,
    )


# Versions as YDB numbers them (24.3.15.5, 25.1.4.18): years 20 to 29, majors 1 to 4, minors up to
# 30 and patches up to 200, 240,000 of them. Beyond that, for the fleets that need more distinct
# versions than a real one has, the same with patches from 201 up.
YEARS, MAJORS, MINORS = range(20, 30), range(1, 5), range(1, 31)
REALISTIC_PATCHES = range(1, 201)


def _realistic() -> Iterator[str]:
    texts = [
        f"{year}.{major}.{minor}.{patch}"
        for year, major, minor, patch in itertools.product(YEARS, MAJORS, MINORS, REALISTIC_PATCHES)
    ]
    random.Random(24).shuffle(texts)
    yield from texts


def _beyond() -> Iterator[str]:
    rng = random.Random(25)
    for patch in itertools.count(REALISTIC_PATCHES.stop, 10):
        texts = [
            f"{year}.{major}.{minor}.{patch + step}"
            for year, major, minor, step in itertools.product(YEARS, MAJORS, MINORS, range(10))
        ]
        rng.shuffle(texts)
        yield from texts


_REALISTIC, _BEYOND = _realistic(), _beyond()


def fresh_versions(count: int, *, realistic: bool = True) -> list[str]:
    """*count* distinct four-part versions that no earlier call returned: strings this process has
    never read, so that no cache helps whoever reads them. *realistic*: numbered as YDB's releases
    are (see ``YEARS`` and the rest; there are 240,000 of them in a run); else with patches over
    200, as many as asked for. Each string is an object of its own, never hashed."""
    texts = list(itertools.islice(_REALISTIC if realistic else _BEYOND, count))
    if len(texts) < count:
        raise RuntimeError("the realistic versions ran out: ask for fewer strings or rounds")
    return texts


def touch(strings: Sequence[str]) -> None:
    """Bring *strings* into the processor's caches without hashing them (a short string's length
    and characters share its first cache line): whoever reads them first in a round would pay
    for the memory that the second then finds at hand."""
    sum(map(len, strings))


def side_by_side(
    rounds: int, contenders: Callable[[], dict[str, Callable[[], object]]]
) -> dict[str, list[float]]:
    """Each contender's wall seconds in each of *rounds* rounds. Before each round,
    ``contenders()`` gives that round's calls, which close over the round's own data (strings
    never read before, say). In a round each call runs once, in turn, the first of them
    alternating from round to round, each after a full collection (outside the time), so that
    neither is charged for the other's garbage. What a call returns is let go after its time is
    taken. Nothing pauses the collector while a call runs: a program's call does not run so."""
    times: dict[str, list[float]] = {}
    for number in range(rounds):
        calls = list(contenders().items())
        for name, call in calls if number % 2 == 0 else reversed(calls):
            gc.collect()
            start = time.perf_counter()
            kept = call()
            times.setdefault(name, []).append(time.perf_counter() - start)
            del (
                kept
            )  # what a call gives back is kept, as a program keeps it: its freeing is not timed
        del calls
    return times


def median_ratio(times: dict[str, list[float]], name: str, peer: str) -> float:
    """The median of the ratios of rounds run side by side: the machine's drift between rounds
    cancels, as the best of each taken apart does not."""
    return statistics.median(map(operator.truediv, times[name], times[peer]))


def reading(parse: Callable[[str], object], strings: Sequence[str]) -> Callable[[], None]:
    """A call that reads every one of *strings*, as a program calls *parse*: no wrapper, nor a
    ``functools.partial``; each version is let go at once, as after a check."""

    def run() -> None:
        for text in strings:
            parse(text)

    return run


def parse_times(
    count: int, rounds: int, **peers: Callable[[str], object]
) -> dict[str, list[float]]:
    """Microseconds per string of ``ydb.parse`` (named ``dbcompat``) and of each of *peers*, in
    each of *rounds* rounds, each round on *count* realistic strings never read before."""

    def contenders() -> dict[str, Callable[[], object]]:
        strings = fresh_versions(count)
        touch(strings)
        return {
            name: reading(parse, strings)
            for name, parse in {"dbcompat": ydb.parse, **peers}.items()
        }

    seconds = side_by_side(rounds, contenders)
    return {name: [each / count * 1e6 for each in values] for name, values in seconds.items()}


def with_bytecode() -> dict[str, str]:
    """The environment for timing a process as users run it: this machine may set
    PYTHONDONTWRITEBYTECODE, which makes every start of an editable install compile each module
    again (about 30 ms), where users' installs have their bytecode. Without it, a first run
    writes the bytecode the runs that are timed then read."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def process_times(
    commands: dict[str, list[str]], runs: int, *, status: dict[str, int] | None = None
) -> dict[str, list[float]]:
    """Each command's wall seconds as a whole process in each of *runs* rounds, the commands run
    in turn (the first alternating), each run once first and not timed, for every side alike
    (``with_bytecode``). Each must exit 0, or as *status* says for it."""
    env = with_bytecode()
    expected = status or {}

    def run(name: str) -> float:
        start = time.perf_counter()
        done = subprocess.run(commands[name], env=env, capture_output=True, check=False)
        seconds = time.perf_counter() - start
        if done.returncode != expected.get(name, 0):
            raise RuntimeError(
                f"{' '.join(commands[name])} exited {done.returncode}: {done.stderr.decode()}"
            )
        return seconds

    for name in commands:
        run(name)
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for number in range(runs):
        for name in names if number % 2 == 0 else reversed(names):
            times[name].append(run(name))
    return times


def process_medians(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Each command's median wall seconds over *runs* interleaved runs (``process_times``)."""
    times = process_times(commands, runs)
    return {name: statistics.median(values) for name, values in times.items()}


def cold_start(runs: int) -> None:
    programs = {
        "python alone": "pass",
        "packaging": "import packaging.version; packaging.version.Version('24.3.14')",
        "dbcompat": "from dbcompat import ydb; ydb.parse('24.3.14.2-lts')",
    }
    seconds = process_medians(
        {name: [sys.executable, "-c", code] for name, code in programs.items()}, runs
    )
    median = {name: value * 1e3 for name, value in seconds.items()}
    print(f"\nCold start to a first parse (median of {runs} processes)")
    for name, millis in median.items():
        print(f"  {name:<22} {millis:7.1f} ms")
    print(f"  dbcompat / packaging   {median['dbcompat'] / median['packaging']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer strings, rounds and runs")
    options = parser.parse_args()
    count, rounds, runs = (2_000, 5, 5) if options.quick else (10_000, 21, 21)
    times = parse_times(count, rounds, packaging=PackagingVersion, regex=bare_regex)
    print(f"Fresh realistic four-part strings (24.3.15.5), {count:,} a round, {rounds} rounds")
    for name, values in times.items():
        ratios = [
            f"{median_ratio(times, name, peer):.2f}x {peer}"
            for peer in ("packaging", "regex")
            if peer != name
        ]
        print(
            f"  {name:<10} median {statistics.median(values):6.3f} us, best {min(values):6.3f} us"
            f"   {', '.join(ratios)} (median of the rounds' ratios)"
        )
    cold_start(runs)


if __name__ == "__main__":
    main()
