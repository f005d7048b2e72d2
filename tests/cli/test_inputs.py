"""How the commands read their inputs: standard input beside arguments, files a reader cannot
read (named at their line), the first bytes that are not UTF-8, progress on a terminal, and
inventories nested too deeply."""

from __future__ import annotations

import io
import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dbcompat.cli import inputs
from dbcompat.cli.inputs import first_bad_utf8
from dbcompat.inventory import as_entries
from tests.helpers import run


def test_standard_input_and_arguments_together(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("a 25.1.4.18\nb 25.1.4.18\n"))
    status, out, _ = run(capsys, "ydb", "cluster", "x=24.4.4.12", "-", "--json")
    document = json.loads(out)
    assert status == 0 and document["nodes"] == 3
    assert document["inputs"]["from"] == ["arguments", "standard input"]
    assert [v["labels"] for v in document["versions"]] == [["x"], ["a", "b"]]


def test_no_nodes_at_all_is_a_usage_error(capsys):
    status, _, err = run(capsys, "ydb", "cluster")
    assert status == 2 and "--from" in err


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "big.csv",
            b"label,version\nn1,24.4.4.12\nn2," + b"x" * 200_000 + b"\n",
            "big.csv, line 3: not a CSV row: field larger than field limit (131072)",
        ),
        (  # past the first read, where a text stream's own error counts from the piece it read
            "nodes.txt",
            b"n1 24.4.4.12\n" * 10_000 + b"n2 25.1.4.18\xff\n",
            "nodes.txt, line 10001: not UTF-8 text (byte 130013: invalid start byte)",
        ),
    ],
)
def test_a_file_the_reader_cannot_read_is_bad_input_naming_its_line(
    capsys, tmp_path, name, content, expected
):
    path = tmp_path / name
    path.write_bytes(content)
    status, out, err = run(capsys, "ydb", "cluster", "--from", str(path))
    assert status == 2 and out == "" and err == f"dbcompat: error: {expected}\n"
    status, out, _ = run(capsys, "--json", "ydb", "cluster", "--from", str(path))
    assert status == 2 and json.loads(out)["error"]["kind"] == "invalid-entry"


@settings(max_examples=300, deadline=None)
@given(
    data=st.lists(
        st.sampled_from(
            [
                b"a",
                b"\n",
                "é".encode(),
                "€".encode(),
                "𝄞".encode(),
                b"\xff",
                b"\xc3",
                b"\xe2\x82",
                b"\x80",
            ]
        ),
        max_size=40,
    ).map(b"".join),
    block_size=st.integers(1, 9),
)
def test_the_first_bytes_not_utf8_are_found_wherever_the_blocks_cut(data, block_size):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        expected = (data.count(b"\n", 0, error.start) + 1, error.start + 1, error.reason)
    else:
        expected = None
    assert first_bad_utf8(io.BytesIO(data), block_size) == expected


def test_progress_shows_on_a_terminal_only_for_long_inputs(monkeypatch):

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    clock = iter(range(0, 10**7, 1))
    monkeypatch.setattr(inputs.time, "monotonic", lambda: next(clock))
    pairs = [(f"node-{n}", "25.1.4.18") for n in range(120_000)]
    shown = inputs.progress(as_entries(pairs), quiet=False)
    assert [(entry.label, entry.text) for entry in shown] == pairs
    assert "read 120,000 entries" in terminal.getvalue() and terminal.getvalue().endswith("\n")
    quiet = Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    list(inputs.progress(as_entries(pairs), quiet=True))
    assert quiet.getvalue() == ""


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, "items:\n" + "- " * 3000 + "x\n"])
def test_an_inventory_nested_too_deeply_is_bad_input(tmp_path, capsys, text):
    from dbcompat.cli import main

    path = tmp_path / "deep.json"
    path.write_text(text if text.startswith("[") else "kind: List\n" + text)
    status = main(["ydb", "cluster", "--from", str(path)])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    assert "nested too deeply" in err or "nesting depth" in err
