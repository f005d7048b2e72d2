"""Finding versions in free text, and the hypothesis strategy for users' tests."""

from __future__ import annotations

import pytest
from hypothesis import given

from dbcompat import ydb
from dbcompat.ydb.search import find_all
from dbcompat.ydb.strategies import version_strings, versions
from tests.helpers import DATA


def found(text, **options):
    return [(str(f.version), text[f.start : f.end]) for f in find_all(text, **options)]


def test_versions_in_a_log_line_with_positions():
    line = "2026-05-12 node-3 upgraded 24.3.11.13 -> 25.1.4.18-lts (see 24.3)."
    assert found(line) == [
        ("24.3.11.13", "24.3.11.13"),
        ("25.1.4.18-lts", "25.1.4.18-lts"),
        ("24.3", "24.3"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "1.24.3.1",  # glued to a dot before
        "x24.3",  # glued to a letter before
        "324.3",  # glued to a digit
        "24.3x",  # glued to a letter after
        "24.3.x",  # a dot that goes on
        "24.3-LTS",  # a dash that goes on with an invalid suffix
        "24.3_1",
        "٣24.3",
        "24.3٣",
    ],
)
def test_versions_glued_to_their_surroundings_are_not_found(text):
    assert found(text) == []


def test_a_sentence_may_end_after_a_version():
    assert found("We run 24.3.14.") == [("24.3.14", "24.3.14")]
    assert found("(24.3.14-lts), [25.1]") == [("24.3.14-lts", "24.3.14-lts"), ("25.1", "25.1")]


def test_lenient_search_finds_real_world_spellings_but_not_trunk():
    text = "node a: v.25.1.3.2, node b: stable-24-3, node c: trunk, d: 25.1.2.7-rc"
    assert found(text, strict=False) == [
        ("25.1.3.2", "v.25.1.3.2"),
        ("24.3", "stable-24-3"),
        ("25.1.2.7-rc", "25.1.2.7-rc"),
    ]
    assert found(text) == []


def test_overlong_numbers_are_skipped_not_raised():
    assert found("24." + "9" * 400) == []


def test_find_all_needs_text():
    with pytest.raises(TypeError):
        list(find_all(b"24.3"))


def test_found_is_exported_lazily_from_the_product():
    assert ydb.find_all is find_all
    assert "find_all" in dir(ydb)
    with pytest.raises(AttributeError):
        _ = ydb.no_such_thing


@given(versions())
def test_strategy_versions_round_trip(version):
    assert ydb.parse(str(version)) == version


@given(versions(strict=False))
def test_lenient_strategy_versions_round_trip(version):
    assert ydb.parse(str(version), strict=False) == version


@given(version_strings())
def test_strategy_strings_are_valid(text):
    ydb.parse(text)


MIXED_LOG = (DATA / "mixed.log").read_text(encoding="utf-8")


def test_a_realistic_mixed_log():
    strict = found(MIXED_LOG, latest_year=27)
    assert [version for version, _ in strict] == [
        "25.1.4.18",
        "25.1.4.18",
        "25.1.4.18",
        "24.4.4.12",
    ]
    lenient = found(MIXED_LOG, strict=False, latest_year=27)
    assert [text for _, text in lenient] == [
        "25.1.4.18",
        "25.1.4.18",
        "25.1.4.18",
        "stable-25-1-4",
        "v.25.1.4.18",
        "24.4.4.12",
        "v.26.1.1.22",
        "v.25.4.1.15",
        "stable-25-1",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "| 27.07.26 |",
        "built 05.06.26",
        "Build at 25.12.2025",
        "on 1.2.2026",
        "worker-3/10.2.3.4",
        "ip 10.244.1.17",
        "peer 25.1.3.2:2135",
        "pool 25.1.3.0/24",
        "http://25.1.3.2/",
        "load 99.9%",
        "at 09:20:11.0042,",
        "on 2026-05-12 at",
        "year 28.1.1.1 is to come",
    ],
)
def test_dates_addresses_and_numbers_are_not_versions(text):
    assert found(text, latest_year=27) == []
    assert found(text, strict=False, latest_year=27) == []


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("runs 24.3.11.13, fine", "24.3.11.13"),
        ("22.4.44 (old)", "22.4.44"),
        ("image ydb:25.1.4.18", "25.1.4.18"),
        ("next year: 27.1.1.1", "27.1.1.1"),
        ("3-part 24.10.3 is odd but a version", "24.10.3"),
    ],
)
def test_versions_beside_those_rules_are_still_found(text, version):
    assert [v for v, _ in found(text, latest_year=27)] == [version]


def test_the_default_latest_year_is_next_year():
    import datetime

    next_year = (datetime.date.today().year + 1) % 100
    assert found(f"{next_year:02d}.1") and not found(f"{(next_year + 1) % 100:02d}.1")


def test_a_search_decides_once_per_text_and_still_reads_each_place(monkeypatch):
    from dbcompat.reading import search

    monkeypatch.setattr(search, "MEMO_SIZE", 3)  # the memo fills and empties on the way
    line = "25.1.4.18 at 10.2.3.4:2135, 25.1.4.18:2135, //25.1.4.18 and 25.1.4.18. "
    text = "".join(f"{line}24.{n % 9}.1 " for n in range(40))
    found = [(str(f.version), text[f.start : f.end]) for f in ydb.find_all(text)]
    per_line = [
        (str(f.version), f"{line}24.{n % 9}.1 "[f.start : f.end])
        for n in range(40)
        for f in ydb.find_all(f"{line}24.{n % 9}.1 ")
    ]
    assert found == per_line and len(found) == 3 * 40  # no port, no URL, no address


# Lines written in the formats the products' logs and tools use (ydbd's log, its test harness,
# kubectl, a shell's `uptime`, RavenDB's server log): two bare numbers are a version only where
# they can be one, and never before a unit.
LOG_LINES = [
    ("2026-02-04T21:16:34.226645Z :KQP_PROXY NOTICE: kqp_proxy.cpp:512: request took 12.345 ms",
     [], []),
    ("2026-02-04T21:16:35.001002Z :BS_CONTROLLER INFO: self_heal.cpp:88: group 7 healed in "
     "23.41 sec", [], []),
    ("2026-02-04T21:16:35.1Z :TABLET_EXECUTOR NOTICE: cache 24.1 GiB of 25.2 GiB used", [], []),
    ("2025-04-19 07:52:42,567 - INFO - kikimr_runner - start: node 5 runs 24.3.11.13, CPU 22.5%",
     ["24.3.11.13"], []),
    ("Normal  Pulled  2m  kubelet  Container image \"cr.yandex/crptqonuodf51kdj7a7d/ydb:24.3\" "
     "already present on machine", ["24.3"], []),
    (" 10:01:02 up 3 days,  2 users,  load average: 0.75, 0.80, 12.50", [], []),
    ("YDB 25.1 is the next major (see 24.4).", ["25.1", "24.4"], []),
    ("Raven.Server 2026-06-01T10:00:00.0000000Z Server: RavenDB 6.0 took 5.4 ms to start",
     [], ["6.0"]),
]  # fmt: skip


@pytest.mark.parametrize(("line", "ydb_found", "ravendb_found"), LOG_LINES)
def test_two_bare_numbers_count_only_where_they_can_be_a_version(line, ydb_found, ravendb_found):
    from dbcompat import ravendb

    assert [str(each.version) for each in ydb.find_all(line)] == ydb_found
    assert [str(each.version) for each in ravendb.find_all(line)] == ravendb_found
