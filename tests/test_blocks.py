"""Entries read in blocks of columns: the same entries, errors and order as a line at a time."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dbcompat import inventory, ydb
from dbcompat.errors import InvalidVersion
from dbcompat.inventory import IMAGES, Block, Entries, Entry, InvalidEntry, blocks_of, read_stream

YDB = IMAGES["ydb"]


def outcome(read):
    """The entries a reading gives, or the error it stops with (after the entries before it)."""
    entries = []
    try:
        for entry in read():
            entries.append(tuple(entry))
    except InvalidEntry as error:
        return entries, str(error)
    return entries, None


def one_at_a_time(text):
    """The reference: every line read on its own, as a file is iterated."""
    lines = text.split("\n")
    return lambda: inventory.read_entries(lines, name="nodes.txt", images=YDB)


def streamed(text):
    return lambda: read_stream(io.StringIO(text), name="nodes.txt", images=YDB)


LINE_PIECES = st.sampled_from(
    [
        "node-1",
        "a",
        "25.1.4.18",
        "24.4",
        " ",
        " ",
        "  ",
        "\t",
        "\r",
        "#",
        "=",
        "ydb:24.4",
        "x/y",
        "\x1c",
        "\xa0",
        "\u2028",
        "é",
    ]
)
REGULAR_LINE = st.builds(
    "{} {}".format,
    st.from_regex(r"[a-z0-9-]{1,8}", fullmatch=True),
    st.sampled_from(["25.1.4.18", "24.4.4.12", "bogus", "24.4"]),
)
ODD_LINE = st.lists(LINE_PIECES, max_size=5).map("".join)
# Lines of three fields beside lines of one: as many spaces (and fields) as lines, yet not label
# and version.
UNEVEN_LINE = st.one_of(
    REGULAR_LINE.map("{} 2".format),
    REGULAR_LINE.map("{}\t2".format),
    st.sampled_from(["b", "25.1.4.18", "\t b"]),
)
TEXTS = st.lists(st.one_of(REGULAR_LINE, REGULAR_LINE, UNEVEN_LINE, ODD_LINE), max_size=40).map(
    "\n".join
)


@settings(max_examples=400, deadline=None)
@given(text=TEXTS, newline=st.booleans(), chunk=st.sampled_from([8, 16, 64]))
def test_a_stream_in_blocks_reads_as_its_lines_one_at_a_time(text, newline, chunk):
    text += "\n" if newline else ""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(inventory, "_HEAD", 4)
        patch.setattr(inventory, "_CHUNK", chunk)
        if len(text) >= 4:
            assert outcome(streamed(text)) == outcome(one_at_a_time(text))


@pytest.mark.parametrize(
    "chunk",
    [
        "a 1\nb\tc\n",  # a tab
        "a 1\nb  2\n",  # two spaces
        " a 1\n",  # a leading space
        "a 1 \n",  # a trailing space
        "a 1\n\nb 2\n",  # a blank line
        "a 1 # old\n",  # a comment
        "a=1\n",  # LABEL=VERSION
        "a ydb:24.4\n",  # an image
        "a 1 2\nb\n",  # three fields and one: as many spaces as lines
        "a \xa01\n",  # a space that is not ASCII
        "a 1\x1cb 2\n",  # a separator str.split() splits at
        "a\tb c\n\t d\n",  # three fields and one, by a tab: as many spaces and fields as lines
    ],
)
def test_a_chunk_that_is_not_label_space_version_is_read_line_by_line(chunk):
    assert inventory._regular_block(chunk, "nodes.txt, line ", 1) is None


def test_a_regular_chunk_is_one_split_numbered_from_its_first_line():
    block = inventory._regular_block("a 25.1.4.18\nb 24.4", "nodes.txt, line ", 7)
    assert block.labels == ["a", "b"] and block.texts == ["25.1.4.18", "24.4"]
    assert block.where(1) == "nodes.txt, line 8"


def test_a_big_regular_file_is_read_in_regular_blocks():
    text = "".join(f"node-{n} 25.1.4.{n % 7}\n" for n in range(30_000))
    blocks = list(blocks_of(read_stream(io.StringIO(text), name="n.txt", images=YDB)))
    assert len(blocks) > 3 and all(block.notes is None for block in blocks)
    assert sum(len(block.labels) for block in blocks) == 30_000
    assert blocks[-1].where(len(blocks[-1].labels) - 1) == "n.txt, line 30000"


def test_a_line_longer_than_many_reads_is_read_whole_in_its_place():
    long_label = "n" * (5 * inventory._CHUNK + 17)
    text = "a 25.1.4.18\n" * 3 + f"{long_label} 24.4.4.12\n" + "b 25.1.4.7\n" + "c" * 70_000
    read = list(read_stream(io.StringIO(text), name="nodes.txt", images=YDB))
    assert [(entry.label, entry.where) for entry in read[3:5]] == [
        (long_label, "nodes.txt, line 4"),
        ("b", "nodes.txt, line 5"),
    ]
    assert read[5] == ("line 6", "c" * 70_000, "nodes.txt, line 6", None)


class _Endless:
    """A stream with no line end, ever: /dev/zero."""

    def read(self, size):
        return "\0" * size


def test_a_line_past_max_line_is_bad_input_at_its_line_even_if_it_never_ends(monkeypatch):
    monkeypatch.setattr(inventory, "_HEAD", 4)
    monkeypatch.setattr(inventory, "_CHUNK", 8)
    monkeypatch.setattr(inventory, "MAX_LINE", 100)
    fine = "a 25.1.4.18\n" * 3 + "n" * 89 + " 24.4.4.12\n"  # 99 characters and its end
    assert len(list(read_stream(io.StringIO(fine), name="n.txt", images=YDB))) == 4
    too_long = "a 25.1.4.18\n" * 3 + "n" * 200 + " 24.4.4.12\n"
    with pytest.raises(InvalidEntry, match=r"^n.txt, line 4: longer than 100 characters"):
        list(read_stream(io.StringIO(too_long), name="n.txt", images=YDB))
    with pytest.raises(InvalidEntry, match=r"^zero, line 1: longer than 100 characters"):
        list(read_stream(_Endless(), name="zero", images=YDB))


def test_pairs_entries_and_other_objects_become_the_same_columns():
    class Node:
        def __init__(self, label, text):
            self.pair, self.where, self.note = (label, text), f"at {label}", None

        def __getitem__(self, index):
            return self.pair[index]

    mixed = [("a", "25.1.4.18"), Entry("b", "24.4", "inv, line 2", "assumed"), Node("c", "x")]
    (block,) = blocks_of(mixed)
    assert block.labels == ["a", "b", "c"] and block.texts == ["25.1.4.18", "24.4", "x"]
    assert [block.where(i) for i in range(3)] == ["", "inv, line 2", "at c"]
    assert block.notes == [None, "assumed", None]
    (pairs,) = blocks_of([("a", "1"), ("b", "2")])
    assert pairs.notes is None and pairs.where(1) == ""
    # A list of pairs is kept, not copied: its labels are read from it.
    assert list(pairs.labels) == ["a", "b"] and pairs.labels[1] == "b"
    assert pairs.labels[:1] == ["a"] and len(pairs.labels) == 2


def test_a_mapping_of_labels_to_versions_is_read_as_its_pairs():
    fleet = ydb.check_fleet({"a": "24.4.4.12", "b": "25.1.4.18", "c": "v.25.1.4.18"})
    assert fleet.labels[ydb.parse("25.1.4.18")] == ["b", "c"] and fleet.nodes == 3


@pytest.mark.parametrize("entries", ["24.4.4.12", b"24.4.4.12"])
def test_one_text_given_for_the_entries_is_a_type_error(entries):
    with pytest.raises(TypeError, match="must be .label, version. pairs, not one"):
        ydb.check_fleet(entries)


def test_readers_of_many_lines_or_documents_refuse_one_text_or_one_document():
    with pytest.raises(TypeError, match=r"^lines must be an iterable of lines .*, not one str"):
        inventory.read_entries("node-1 24.4.4.12", name="nodes.txt", images=YDB)
    pod = {"kind": "Pod", "spec": {"containers": [{"image": "ydb:24.4.4.12"}]}}
    with pytest.raises(
        TypeError, match=r"^documents must be an iterable of documents, not one dict"
    ):
        inventory.read_objects(pod, name="pod.json", images=YDB)
    with pytest.raises(
        TypeError, match=r"^documents must be an iterable of documents, not one str"
    ):
        inventory.read_objects("kind: Pod", name="pod.yaml", images=YDB)
    assert [e.text for e in inventory.read_objects([pod], name="pod.json", images=YDB)] == [
        "24.4.4.12"
    ]


BAD_ENTRIES = [
    # An entry that is a version alone would be read as its first two letters: label "2",
    # version "4".
    (
        "24.4.4.12",
        TypeError,
        r"^entry 3 must be a \(label, version\) pair, not one str \('24\.4\.4\.12'\)",
    ),
    (b"24.4.4.12", TypeError, r"^entry 3 must be a \(label, version\) pair, not one bytes \('24"),
    (("c",), InvalidEntry, r"^entry 3: \('c',\) is not a \(label, version\) pair"),
    ([], InvalidEntry, r"^entry 3: \[\] is not a \(label, version\) pair"),
    (5, TypeError, r"entry 3 \(int\) is not a \(label, version\) pair"),
    ({"label": "c"}, TypeError, r"entry 3 \(dict\) is not a \(label, version\) pair"),
]


@pytest.mark.parametrize(("entry", "error", "message"), BAD_ENTRIES)
@pytest.mark.parametrize("block", [2, 4096])
def test_an_entry_that_is_not_a_pair_is_refused_naming_its_number(entry, error, message, block):
    entries = [("a", "24.4.4.12"), ("b", "24.4.4.12"), entry, ("d", "24.4.4.12")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(inventory, "BLOCK", block)  # the bad entry first in a block, or within one
        with pytest.raises(error, match=message):
            ydb.check_fleet(entries)
        with pytest.raises(error, match=message):
            ydb.check_fleet(iter(entries), skip_invalid=True)  # not a version: not skipped


def test_a_source_that_fails_gives_what_it_read_before_failing():
    def source():
        yield ("a", "25.1.4.18")
        yield ("bad", "x")
        raise InvalidEntry("expected VERSION", "inv, line 3")

    blocks = blocks_of(source())
    assert list(next(blocks).labels) == ["a", "bad"]
    with pytest.raises(InvalidEntry):
        next(blocks)
    # So a fleet reports the bad version before the bad line, as it would one by one.
    with pytest.raises(InvalidVersion, match="bad"):
        ydb.check_fleet(source())


def test_entries_taken_one_by_one_then_in_blocks_lose_none():
    entries = Entries(blocks_of([(f"n{n}", "25.1.4.18") for n in range(10)]))
    assert next(entries).label == "n0"
    rest = [label for block in entries.blocks() for label in block.labels]
    assert rest == [f"n{n}" for n in range(1, 10)]


@pytest.mark.parametrize("sizes", [[0, 2], [2, 0, 1], [1], [1, 1]])
def test_blocks_of_any_size_judge_every_node_they_hold(sizes):
    # A block of one node or of none, which a tool author's own blocks may be.
    blocks, number = [], 0
    for size in sizes:
        labels = [f"n{number + index}" for index in range(size)]
        blocks.append(Block(labels, ["25.1.4.18"] * size, str))
        number += size
    fleet = ydb.check_fleet(Entries(iter(blocks)))
    assert fleet.nodes == number
    assert fleet.labels[ydb.parse("25.1.4.18")] == [f"n{index}" for index in range(number)]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b\nc", "", "d"]),
            st.sampled_from(["25.1.4.18", "v.25.1.4.18", "24.4.4.12", "x", "25.1.4.7"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_a_fleet_in_blocks_keeps_each_versions_labels_in_order(pairs):
    good = [(label, text) for label, text in pairs if text != "x"]
    if not good:
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(inventory, "BLOCK", 4)
        fleet = ydb.check_fleet(pairs, skip_invalid=True)
    expected: dict = {}
    for label, text in good:
        expected.setdefault(ydb.parse(text, strict=False), []).append(label)
    assert dict(fleet.labels) == expected
    assert dict(fleet.versions) == {version: len(labels) for version, labels in expected.items()}
    assert [skipped.label for skipped in fleet.skipped] == [
        label for label, text in pairs if text == "x"
    ]
