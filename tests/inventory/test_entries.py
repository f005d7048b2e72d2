"""Inventory entries as they come: a stream reads as its lines one at a time, anything a fleet
is given becomes the same entries, and what is not an entry is refused naming its number."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dbcompat import inventory, ydb
from dbcompat.errors import InvalidVersion
from dbcompat.inventory import IMAGES, Entry, InvalidEntry, as_entries, read_stream

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
@given(text=TEXTS, newline=st.booleans(), head=st.sampled_from([4, 8, 64]))
def test_a_stream_reads_as_its_lines_one_at_a_time(text, newline, head):
    text += "\n" if newline else ""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(inventory, "_HEAD", head)  # the head that tells the format cuts a line
        if len(text) >= head:
            assert outcome(streamed(text)) == outcome(one_at_a_time(text))


def test_a_line_longer_than_the_head_is_read_whole_in_its_place():
    long_label = "n" * (5 * inventory._HEAD + 17)
    text = "a 25.1.4.18\n" * 3 + f"{long_label} 24.4.4.12\n" + "b 25.1.4.7\n" + "c" * 70_000
    read = list(read_stream(io.StringIO(text), name="nodes.txt", images=YDB))
    assert [(entry.label, entry.where) for entry in read[3:5]] == [
        (long_label, "nodes.txt, line 4"),
        ("b", "nodes.txt, line 5"),
    ]
    assert read[5] == ("line 6", "c" * 70_000, "nodes.txt, line 6", None, None)


class _Endless:
    """A stream with no line end, ever: /dev/zero."""

    def read(self, size):
        return "\0" * size

    def readline(self, size):
        return "\0" * size


def test_a_line_past_max_line_is_bad_input_at_its_line_even_if_it_never_ends(monkeypatch):
    monkeypatch.setattr(inventory, "_HEAD", 4)
    monkeypatch.setattr(inventory.lines, "MAX_LINE", 100)
    fine = "a 25.1.4.18\n" * 3 + "n" * 89 + " 24.4.4.12\n"  # 99 characters and its end
    assert len(list(read_stream(io.StringIO(fine), name="n.txt", images=YDB))) == 4
    too_long = "a 25.1.4.18\n" * 3 + "n" * 200 + " 24.4.4.12\n"
    with pytest.raises(InvalidEntry, match=r"^n.txt, line 4: longer than 100 characters"):
        list(read_stream(io.StringIO(too_long), name="n.txt", images=YDB))
    with pytest.raises(InvalidEntry, match=r"^zero, line 1: longer than 100 characters"):
        list(read_stream(_Endless(), name="zero", images=YDB))


def test_pairs_entries_and_other_objects_become_the_same_entries():
    class Node:
        def __init__(self, label, text):
            self.pair, self.where, self.note = (label, text), f"at {label}", None

        def __getitem__(self, index):
            return self.pair[index]

    mixed = [("a", "25.1.4.18"), Entry("b", "24.4", "inv, line 2", "assumed"), Node("c", "x")]
    assert list(as_entries(mixed)) == [
        ("a", "25.1.4.18", "", None, None),
        ("b", "24.4", "inv, line 2", "assumed", None),
        ("c", "x", "at c", None, None),
    ]


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
def test_an_entry_that_is_not_a_pair_is_refused_naming_its_number(entry, error, message):
    entries = [("a", "24.4.4.12"), ("b", "24.4.4.12"), entry, ("d", "24.4.4.12")]
    with pytest.raises(error, match=message):
        ydb.check_fleet(entries)
    with pytest.raises(error, match=message):
        ydb.check_fleet(iter(entries), skip_invalid=True)  # not a version: not skipped


def test_a_source_that_fails_is_judged_as_far_as_it_read():
    def source():
        yield ("a", "25.1.4.18")
        yield ("bad", "x")
        raise InvalidEntry("expected VERSION", "inv, line 3")

    # A fleet reports the bad version before the bad line, as it comes one by one.
    with pytest.raises(InvalidVersion, match="bad"):
        ydb.check_fleet(source())
    with pytest.raises(InvalidEntry, match="inv, line 3"):
        ydb.check_fleet(source(), skip_invalid=True)


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
def test_a_fleet_keeps_each_versions_labels_in_order(pairs):
    good = [(label, text) for label, text in pairs if text != "x"]
    if not good:
        return
    fleet = ydb.check_fleet(pairs, skip_invalid=True)
    expected: dict = {}
    for label, text in good:
        expected.setdefault(ydb.parse(text, strict=False), []).append(label)
    assert dict(fleet.labels) == expected
    assert dict(fleet.versions) == {version: len(labels) for version, labels in expected.items()}
    assert [skipped.label for skipped in fleet.skipped] == [
        label for label, text in pairs if text == "x"
    ]
