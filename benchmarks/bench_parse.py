"""How fast dbcompat reads versions, against its peers in the same run.

    pip install '.[bench]' && python benchmarks/bench_parse.py [--quick]

Every contender reads the same strings. Rounds are interleaved and the fastest round of each is
kept, which is the least disturbed by the rest of the machine; as in timeit, the cyclic garbage
collector is paused while a round is timed. Printed: microseconds per version
and ratios against packaging and against a bare regular expression that builds a tuple.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

import semver
from packaging.version import Version as PackagingVersion

from dbcompat import ydb
from dbcompat.ydb.parser import _STRICT, _lenient

# The language of grammar/ydb_version.lark written by hand, the baseline a user would otherwise
# write: it reads what dbcompat reads (optional minor, patch and type) and builds a tuple.
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


def packaging_local_version(text: str) -> PackagingVersion:
    # packaging spells a suffix as a local version; the replace is a few percent of its time.
    return PackagingVersion(text.replace("-", "+"))


def per_item(run: Callable[[], object], count: int) -> float:
    # As timeit does: the cyclic collector would charge one contender for another's garbage.
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        run()
        return (time.perf_counter() - start) / count * 1e6
    finally:
        gc.enable()


def timings(
    contenders: dict[str, Callable[[str], object]],
    strings: Sequence[str],
    rounds: int,
    fresh: bool,
    lenient: bool = False,
) -> dict[str, list[float]]:
    """Each contender's microseconds per string in each of *rounds* interleaved rounds; *fresh*
    empties dbcompat's caches before each, so that no cache helps it. With *lenient*, each is
    called as ``parse(text, strict=False)``, as a program would call ``ydb.parse``: no wrapper
    of the benchmark's own, nor a ``functools.partial``, which builds a dict for every call."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, parse in contenders.items():
            if fresh:
                _STRICT._cache.clear()
                _lenient()._cache.clear()

            def run(parse: Callable[..., object] = parse) -> None:
                if lenient:
                    for text in strings:
                        parse(text, strict=False)
                else:
                    for text in strings:
                        parse(text)

            times[name].append(per_item(run, len(strings)))
    return times


def fastest(
    contenders: dict[str, Callable[[str], object]],
    strings: Sequence[str],
    rounds: int,
    fresh: bool,
    lenient: bool = False,
) -> dict[str, float]:
    """Each contender's best microseconds per string over interleaved rounds."""
    times = timings(contenders, strings, rounds, fresh, lenient)
    return {name: min(each) for name, each in times.items()}


def race(
    title: str,
    contenders: dict[str, Callable[[str], object]],
    strings: Sequence[str],
    rounds: int,
    fresh: bool,
    lenient: bool = False,
) -> dict[str, float]:
    best = fastest(contenders, strings, rounds, fresh, lenient)
    print(f"\n{title} ({len(strings):,} strings, best of {rounds} rounds)")
    for name, micros in best.items():
        ratios = []
        for peer in ("packaging", "bare regex + tuple"):
            if peer in best and peer != name:
                ratios.append(f"{micros / best[peer]:.2f}x {peer}")
        print(f"  {name:<22} {micros:7.3f} us   {', '.join(ratios)}")
    return best


def unique_versions(count: int) -> list[str]:
    """*count* distinct four-part versions with numbers as YDB's are (all small): year, major,
    minor and patch counted in mixed radix."""
    return [f"{20 + n % 7}.{1 + n // 7 % 4}.{n // 28 % 40}.{n // 1120}" for n in range(count)]


def unique_three_part_versions(count: int) -> list[str]:
    """*count* distinct x.y.z versions, their numbers small, as semver and packaging read them."""
    return [f"{20 + n % 7}.{n // 7 % 50}.{n // 350}" for n in range(count)]


def large_versions(count: int) -> list[str]:
    """*count* distinct four-part versions whose minor counts up to *count*: what packaging's
    and the bare regex's int() pays for as dbcompat does, but no real version looks like."""
    return [f"{20 + n % 7}.{n % 5}.{n}.{n % 13}" for n in range(count)]


def with_bytecode() -> dict[str, str]:
    """The environment for timing a process as users run it: this machine may set
    PYTHONDONTWRITEBYTECODE, which makes every start of an editable install compile each module
    again (about 30 ms), where users' installs have their bytecode. Without it, a first run
    writes the bytecode the runs that are timed then read."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def process_medians(
    commands: dict[str, list[str]], runs: int, *, check: bool = True
) -> dict[str, float]:
    """Each command's median wall seconds as a whole process over *runs* interleaved runs, each
    run once first, for every side alike (``with_bytecode``). *check*: a command must exit 0.
    """
    env = with_bytecode()
    times: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():
        subprocess.run(argv, env=env, capture_output=True, check=check)
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, env=env, capture_output=True, check=check)
            times[name].append(time.perf_counter() - start)
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


def fleet_cluster(nodes: int) -> None:
    releases = [str(v) for v in ydb.Catalog.default() if v.is_final]
    rng = random.Random(7)
    distinct = [f"25.1.4.{n}" for n in range(150)] + [f"24.4.4.{n}" for n in range(150)]
    fleet = [rng.choice(distinct) for _ in range(nodes)]
    _STRICT._cache.clear()
    start = time.perf_counter()
    versions = [ydb.parse(text) for text in fleet]
    parsed = time.perf_counter() - start
    verdict = ydb.check_cluster(versions)
    total = time.perf_counter() - start
    start = time.perf_counter()
    ydb.check_cluster(fleet)
    strings_only = time.perf_counter() - start
    print(f"\nA fleet of {nodes:,} nodes on {len(distinct)} distinct versions")
    print(f"  parse every node, then check_cluster: {total:.2f} s (parsing {parsed:.2f} s)")
    print(f"  check_cluster on the strings:        {strings_only:.2f} s  -> {verdict.rule}")
    print(f"  (catalog of {len(releases)} final releases)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer strings, rounds and runs")
    options = parser.parse_args()
    count, rounds, runs = (5_000, 5, 5) if options.quick else (50_000, 15, 21)

    three = unique_three_part_versions(count)
    four = unique_versions(count)
    race(
        "Fresh x.y.z strings",
        {
            "dbcompat": ydb.parse,
            "packaging": PackagingVersion,
            "semver": semver.Version.parse,
            "bare regex + tuple": bare_regex,
        },
        three,
        rounds,
        fresh=True,
    )
    plain = race(
        "Fresh four-part YDB strings",
        {
            "dbcompat": ydb.parse,
            "packaging": PackagingVersion,
            "bare regex + tuple": bare_regex,
        },
        four,
        rounds,
        fresh=True,
    )
    race(
        "Fresh four-part strings with a large minor (20.0.4321.5)",
        {
            "dbcompat": ydb.parse,
            "packaging": PackagingVersion,
            "bare regex + tuple": bare_regex,
        },
        large_versions(count),
        rounds,
        fresh=True,
    )
    typed = [f"{text}-lts" for text in four]
    race(
        "Fresh four-part strings with a release type (for packaging, 1.2.3.4+lts: its regex path)",
        {
            "dbcompat": ydb.parse,
            "packaging": packaging_local_version,
            "bare regex + tuple": bare_regex,
        },
        typed,
        rounds,
        fresh=True,
    )
    spellings = [
        ("v.{0}", "{0}-rc", "{0}", "stable-{1}")[n % 4].format(text, text.replace(".", "-"))
        for n, text in enumerate(four)
    ]
    lenient = race(
        "Lenient reading of real-world spellings (v.25.1.3.2, 25.1.2.7-rc, stable-25-1-3-2)",
        {"dbcompat lenient": ydb.parse},
        spellings,
        rounds,
        fresh=True,
        lenient=True,
    )
    ratio = lenient["dbcompat lenient"] / plain["dbcompat"]
    print(f"  {ratio:.2f}x the strict reading of as many plain four-part strings")
    fleet = [random.Random(n).choice(four[:300]) for n in range(count)]
    race(
        "A fleet: the same few hundred strings again and again",
        {"dbcompat": ydb.parse, "packaging": PackagingVersion, "bare regex + tuple": bare_regex},
        fleet,
        rounds,
        fresh=False,
    )
    sample = four[: max(200, count // 50)]
    race(
        "Lark alone, for reference",
        {"dbcompat through Lark": _STRICT.parse_with_lark, "dbcompat": ydb.parse},
        sample,
        max(3, rounds // 3),
        fresh=True,
    )
    cold_start(runs)
    fleet_cluster(200_000 if options.quick else 1_000_000)


if __name__ == "__main__":
    main()
