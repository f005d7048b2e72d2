"""Fleets and inventories: versions read from where operators keep them (issue 12)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dbcompat import InvalidVersion, ydb
from dbcompat.cli import inputs
from dbcompat.cli.inputs import first_bad_utf8
from dbcompat.inventory import IMAGES, InvalidEntry, as_entries, read_stream, read_text
from tests.helpers import DATA, run

FLEET = DATA / "fleet"


def entries_of(name, product="ydb"):
    text = (FLEET / name).read_text(encoding="utf-8")
    return [(e.label, e.text) for e in read_text(text, name=name, images=IMAGES[product])]


@pytest.mark.parametrize(
    ("name", "product", "expected"),
    [
        (
            "kubectl_pods.json",
            "ydb",
            [
                ("Pod/storage-0/ydb-storage", "24.4.4.12"),
                ("Pod/storage-1/ydb-storage", "25.1.4.18"),
                ("Pod/db-0/ydb-dynamic", "25.1.4.18"),
            ],
        ),
        ("kubectl_pods.json", "ravendb", [("Pod/raven-0/ravendb", "6.0")]),
        (
            "ydb_operator.yaml",
            "ydb",
            [
                ("Storage/storage", "24.4.4.12"),
                ("Database/database", "25.1.4.18"),
                ("Database/legacy", "22.2.22"),
            ],
        ),
        (
            "ydb_operator.json",
            "ydb",
            [("Storage/storage", "25.1.4.18"), ("Database/database", "25.2.1.26")],
        ),
        ("ravendb_cluster.yaml", "ravendb", [("RavenDBCluster/orders", "5.4.110")]),
        ("ravendb_cluster.json", "ravendb", [("RavenDBCluster/orders", "6.0")]),
        (
            "inventory.csv",
            "ydb",
            [
                ("ydb-1.example", "24.4.4.12"),
                ("ydb-2.example", "25.1.4.18"),
                ("ydb-3.example", "v.25.1.4.18"),
            ],
        ),
        (
            "nodes.txt",
            "ydb",
            [
                ("storage-1", "24.4.4.12"),
                ("storage-2", "25.1.4.18"),
                ("line 4", "25.1.4.18"),
                ("db-1", "25.1.4.18"),
            ],
        ),
        (
            "clients.txt",
            "ravendb",
            [("orders", "5.4.110"), ("billing", "6.0.105"), ("line 3", "5.4.110")],
        ),
    ],
)
def test_every_input_form_is_recognised_by_content(name, product, expected):
    assert entries_of(name, product) == expected


def test_the_operators_default_tag_is_said_in_the_verdict(capsys):
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(FLEET / "ydb_operator.yaml"))
    assert status == 1 and "default tag 22.2.22" in out
    assert out.splitlines()[0].startswith("cluster of 3 nodes: refused (too-many-majors): 1 node")
    assert "Database/legacy on 22.2.22" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("cr.yandex/crptqonuodf51kdj7a7d/ydb@sha256:4f1a2b3c", "digest only"),
        ("ydbplatform/local-ydb:latest", "names no version"),
        ("registry:5000/ydb", "no tag"),
        ("a b c", "expected VERSION"),
    ],
)
def test_entries_that_name_no_version_are_refused_with_where_and_why(line, reason):
    with pytest.raises(InvalidEntry, match=reason) as caught:
        list(read_text(f"# nodes\n{line}\n", name="nodes.txt", images=IMAGES["ydb"]))
    assert "nodes.txt, line 2" in str(caught.value)


def test_a_bad_entry_fails_the_run_naming_source_line_and_label(capsys, tmp_path):
    nodes = tmp_path / "nodes.txt"
    nodes.write_text("storage-1 24.4.4.12\nstorage-2 24.4.x\nstorage-3 24.4.4.12\n")
    status, out, err = run(capsys, "ydb", "cluster", "--from", str(nodes))
    assert status == 2 and out == ""
    assert "nodes.txt, line 2 (storage-2)" in err and err.count("\n") == 1
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(nodes), "--skip-invalid", "--json")
    document = json.loads(out)
    assert status == 0 and document["nodes"] == 2
    assert document["skipped"] == [
        {
            "where": "nodes.txt, line 2",
            "label": "storage-2",
            "reason": document["skipped"][0]["reason"],
        }
    ]
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(nodes), "--skip-invalid")
    assert "skipped 1 invalid entries: nodes.txt, line 2 (storage-2)" in out


def test_a_huge_label_beside_a_bad_version_is_cut_short_in_the_error(capsys, tmp_path):
    # A line of a hostile inventory may hold a label of a megabyte: the error stays one line
    # a log can hold, as a huge version's does.
    nodes = tmp_path / "nodes.txt"
    nodes.write_text("A" * 300_000 + " bogus\n")
    status, out, err = run(capsys, "ydb", "cluster", "--from", str(nodes))
    assert status == 2 and out == "" and len(err) < 400
    where = f"nodes.txt, line 1 ({'A' * 300_000})"
    assert f"'bogus' ({where[:128]}... ({len(where):,} characters)): at column 1" in err
    with pytest.raises(InvalidVersion) as caught:
        ydb.check_fleet([("A" * 300_000, "bogus")])
    assert caught.value.source == "A" * 300_000  # the whole label stays on the error


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


def test_one_stray_node_of_ten_thousand_is_named(capsys, tmp_path):
    lines = [f"storage-{n} 25.1.4.18" for n in range(9_999)] + ["storage-17x 24.3.15.5"]
    nodes = tmp_path / "fleet.txt"
    nodes.write_text("\n".join(lines) + "\n")
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(nodes))
    first = out.splitlines()[0]
    assert status == 1
    assert first == (
        "cluster of 10,000 nodes: refused (non-adjacent-majors): 1 node (storage-17x on "
        "24.3.15.5) runs a major outside the major the rest run (25.1)"
    )


def test_many_offenders_are_short_in_text_and_whole_in_json(capsys, tmp_path):
    lines = [f"s-{n} 24.3.11.13" for n in range(10_000)] + ["t-1 24.4.4.12"]
    nodes = tmp_path / "fleet.txt"
    nodes.write_text("\n".join(lines))
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(nodes))
    assert status == 1 and "and 9,995 more" in out.splitlines()[0]
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(nodes), "--json")
    document = json.loads(out)
    assert len(document["offenders"]) == 10_000 and document["rule"] == "lower-major-not-last-minor"
    assert document["majors"] == [{"major": "24.3", "count": 10_000}, {"major": "24.4", "count": 1}]


def test_check_fleet_in_the_library():
    fleet = ydb.check_fleet([("a", "24.4.4.12"), ("b", "25.1.4.18"), ("c", "v.25.1.4.18")])
    assert fleet.verdict.rule == "adjacent-majors" and fleet.nodes == 3
    assert fleet.versions == ((ydb.parse("24.4.4.12"), 1), (ydb.parse("25.1.4.18"), 2))
    assert fleet.labels[ydb.parse("25.1.4.18")] == ["b", "c"]
    with pytest.raises(InvalidVersion, match="bad"):
        ydb.check_fleet([("a", "24.4.4.12"), ("bad", "x")])
    skipped = ydb.check_fleet([("a", "24.4.4.12"), ("bad", "x")], skip_invalid=True)
    assert [s.label for s in skipped.skipped] == ["bad"] and skipped.nodes == 1
    with pytest.raises(ValueError):
        ydb.check_fleet([])


@pytest.mark.parametrize("text", [None, 24.4, ["24.4.4.12"]])
def test_a_version_that_is_not_a_string_is_a_type_error_naming_its_type(text):
    # A list cannot be looked up as a dict's key: it still gets the sentence any non-string gets.
    with pytest.raises(TypeError, match=f"must be a str, not {type(text).__name__}"):
        ydb.check_fleet([("a", "24.4.4.12"), ("b", text)])
    # A Version is read as itself, wherever it stands: the error names the value that is not one.
    with pytest.raises(TypeError, match=f"must be a str, not {type(text).__name__}"):
        ydb.check_fleet([("a", ydb.Version(24, 4, 4, 12)), ("b", text)])
    for versions in ([ydb.Version(24, 4), text], iter(["24.4.4.12", text])):
        with pytest.raises(TypeError, match=f"must be a str, not {type(text).__name__}"):
            ydb.check_cluster(versions)


def test_plain_lines_stream_past_the_first_chunk():
    lines = "".join(f"node-{n} 25.1.4.{n % 50}\n" for n in range(20_000))
    entries = list(read_stream(io.StringIO(lines), name="big.txt", images=IMAGES["ydb"]))
    assert len(entries) == 20_000 and entries[-1] == (
        "node-19999",
        "25.1.4.49",
        "big.txt, line 20000",
        None,
    )
    assert all(entry.label == f"node-{n}" for n, entry in enumerate(entries))


def test_ravendb_clients_from_files(capsys):
    argv = ["ravendb", "check", "--server", "5.4.110", "--from", str(FLEET / "clients.txt")]
    status, out, _ = run(capsys, *argv, "--json")
    document = json.loads(out)
    assert status == 1 and [c["label"] for c in document["checks"]] == [
        "orders",
        "billing",
        "line 3",
    ]
    status, out, _ = run(
        capsys,
        "ravendb",
        "plan",
        "5.4.110",
        "6.0.105",
        "--from",
        str(FLEET / "clients.txt"),
        "--json",
    )
    plan = json.loads(out)
    assert status == 0 and {step["component"] for step in plan["steps"]} == {
        "server",
        "orders",
        "billing",
        "line 3",
    }


def test_yaml_without_its_extra_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)
    with pytest.raises(InvalidEntry, match=r"dbcompat\[yaml\]"):
        entries_of("ydb_operator.yaml")


def test_invalid_json_and_yaml_are_named_as_such():
    with pytest.raises(InvalidEntry, match="not valid JSON"):
        list(read_text('{"items": [', name="pods.json", images=IMAGES["ydb"]))
    with pytest.raises(InvalidEntry, match="not valid YAML"):
        list(read_text("kind: Storage\nspec: [unclosed\n", name="m.yaml", images=IMAGES["ydb"]))


def test_a_value_its_format_cannot_hold_is_bad_input_naming_the_file():
    # A number past the digits int() reads: not a bare ValueError.
    text = '{"kind": "Storage", "spec": {"version": ' + "1" * 5000 + "}}"
    with pytest.raises(InvalidEntry) as caught:
        list(read_text(text, name="m", images=IMAGES["ydb"]))
    said = str(caught.value)
    assert said.startswith("m: not valid JSON (Exceeds") and "set_int_max_str_digits" not in said


def test_yaml_versions_are_read_as_written_and_values_never_built():
    # YAML is read as nodes: 24.10 is not the float 24.1, and a number or a date that no
    # Python value holds is text, judged as a version where it stands in one.
    text = "kind: Storage\nmetadata: {name: s, created: 2024-13-45}\nspec: {version: 24.10}\n"
    (entry,) = read_text(text, name="m", images=IMAGES["ydb"])
    assert (entry.label, entry.text) == ("Storage/s", "24.10")
    huge = "kind: Storage\nspec: {version: " + "1" * 5000 + "}\n"
    (entry,) = read_text(huge, name="m", images=IMAGES["ydb"])
    with pytest.raises(InvalidVersion, match="character limit"):
        ydb.check_fleet([entry])


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


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"image": 123}]}},
            "pods.json: Pod/p: a container's image must be a string, not int",
        ),
        ({"kind": "Pod", "metadata": "x"}, "pods.json: metadata must be a mapping, not str"),
        (
            {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": "ydb"}},
            "pods.json: Pod/p: spec.containers must be a list, not str",
        ),
        (
            {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [5]}},
            "pods.json: Pod/p: a container must be a mapping, not int",
        ),
        (
            {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": "t"}},
            "pods.json: Deployment/d: spec.template must be a mapping, not str",
        ),
        (
            {"kind": "StatefulSet", "spec": {"template": {"spec": ["x"]}}},
            "pods.json: StatefulSet/?: spec.template.spec must be a mapping, not list",
        ),
        (
            {"kind": "Storage", "metadata": {"name": "s"}, "spec": {"image": {"name": ["a"]}}},
            "pods.json: Storage/s: spec.image.name must be a string, not list",
        ),
        (
            {"kind": "Storage", "metadata": {"name": "s"}, "spec": {"version": {"v": 1}}},
            "pods.json: Storage/s: spec.version must be a version, not dict",
        ),
        (
            {"kind": "Database", "spec": "s"},
            "pods.json: Database/?: spec must be a mapping, not str",
        ),
    ],
)
def test_a_manifest_field_of_the_wrong_shape_is_bad_input_naming_its_path(document, message):
    with pytest.raises(InvalidEntry) as caught:
        list(read_text(json.dumps({"items": [document]}), name="pods.json", images=IMAGES["ydb"]))
    assert str(caught.value) == message


POD = "{kind: Pod, metadata: {name: %s}, spec: {containers: [{name: ydb, image: 'ydb:%s'}]}}"


def test_yaml_aliases_name_the_same_object_once_so_an_alias_bomb_is_read_at_once():
    # Four levels of nine aliases name 9**4 pods twice over; they are nine pods, each read once.
    # (Nine levels would name billions: the alias bomb this keeps from hanging a run.)
    levels = [f"a0: &a0 [{', '.join(POD % (f'p{n}', f'24.4.4.{n}') for n in range(9))}]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 4)]
    text = "\n".join([*levels, "kind: List", "items: [*a3, *a3]", ""])
    entries = list(read_text(text, name="bomb.yaml", images=IMAGES["ydb"]))
    assert [entry.label for entry in entries] == [f"Pod/p{n}/ydb" for n in range(9)]
    looped = read_text("a: &a [*a]\nkind: List\nitems: *a\n", name="l.yaml", images=IMAGES["ydb"])
    assert list(looped) == []


MIXED_LOG = DATA / "mixed.log"


def test_ydb_find_prints_file_line_and_column(capsys):
    status, out, _ = run(capsys, "ydb", "find", str(MIXED_LOG), "--lenient")
    lines = out.splitlines()
    assert status == 0 and len(lines) == 9
    assert lines[0] == f"{MIXED_LOG}:12:56: 25.1.4.18 (25.1.4.18)"
    assert lines[4].endswith(": 25.1.4.18 (v.25.1.4.18)")
    status, out, _ = run(capsys, "ydb", "find", str(MIXED_LOG), "--json")
    document = json.loads(out)
    assert document["count"] == 4 and document["found"][3]["version"] == "24.4.4.12"
    text = MIXED_LOG.read_text().splitlines()[document["found"][3]["line"] - 1]
    column = document["found"][3]["column"]
    assert text[column - 1 : column - 1 + len("24.4.4.12")] == "24.4.4.12"


def test_ravendb_find_skips_addresses_dates_and_other_builds(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(MIXED_LOG.read_text()))
    status, out, _ = run(capsys, "ravendb", "find", "--json")
    document = json.loads(out)
    assert status == 0 and [f["version"] for f in document["found"]] == ["6.0.105", "6.0.105.60071"]
    assert document["found"][0]["file"] == "standard input"


def test_find_refuses_a_line_past_max_line_so_a_stream_without_line_ends_stops(
    capsys, tmp_path, monkeypatch
):
    monkeypatch.setattr(inputs, "MAX_LINE", 50)
    log = tmp_path / "app.log"
    log.write_text("node 24.4.4.12\n" + "x" * 49 + "\n" + "x" * 80 + " 25.1.4.18\n")
    status, out, err = run(capsys, "ydb", "find", str(log))
    assert status == 2 and out.startswith(f"{log}:1:6: 24.4.4.12")
    assert err == f"dbcompat: error: {log}, line 3: longer than 50 characters: not a line of text\n"


def test_find_with_nothing_found_exits_1(capsys, tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_text("no versions here, only 10.2.3.4 and 31.12.2025\n")
    assert run(capsys, "ydb", "find", str(empty))[0] == 1
    assert run(capsys, "ravendb", "find", str(empty))[0] == 1


def manifest(tmp_path, name, **versions):
    documents = [
        f"apiVersion: ydb.tech/v1alpha1\nkind: {kind}\nmetadata:\n  name: {label}\nspec:\n"
        f"  image:\n    name: cr.yandex/crptqonuodf51kdj7a7d/ydb:{version}\n"
        for (kind, label), version in (
            (tuple(key.split("_", 1)), value) for key, value in versions.items()
        )
    ]
    path = tmp_path / name
    path.write_text("---\n".join(documents))
    return str(path)


def test_a_manifest_diff_is_an_upgrade_check_of_every_node(capsys, tmp_path):
    old = manifest(tmp_path, "old.yaml", Storage_storage="24.4.4.12", Database_db="24.4.4.12")
    bad = manifest(tmp_path, "bad.yaml", Storage_storage="25.2.1.26", Database_db="25.1.4.18")
    good = manifest(tmp_path, "good.yaml", Storage_storage="25.1.4.18", Database_db="24.4.4.12")
    status, out, _ = run(capsys, "ydb", "check", "--from", old, "--to", bad, "--json")
    document = json.loads(out)
    assert status == 1 and document["rule"] == "skips-major"
    assert {c["label"]: c["rule"] for c in document["checks"]} == {
        "Storage/storage": "skips-major",
        "Database/db": "next-major",
    }
    assert "1 of 2 moves are refused (Storage/storage)" in document["reason"]
    status, out, _ = run(capsys, "ydb", "check", "--from", old, "--to", good)
    assert status == 0 and "Database/db: allowed (already-installed)" in out


def test_nodes_added_or_removed_by_a_change_are_noted(capsys, tmp_path):
    old = manifest(tmp_path, "old.yaml", Storage_storage="24.4.4.12", Database_old="24.4.4.12")
    new = manifest(tmp_path, "new.yaml", Storage_storage="25.1.4.18", Database_new="25.1.4.18")
    changes = ydb.check_changes(
        [e for e in read_text(Path(old).read_text(), name="old", images=IMAGES["ydb"])],
        [e for e in read_text(Path(new).read_text(), name="new", images=IMAGES["ydb"])],
    )
    assert changes.verdict.allowed and changes.added == ["Database/new"]
    assert changes.removed == ["Database/old"]
    assert any("Database/new is new" in note for note in changes.verdict.notes)


def test_a_bad_version_in_a_manifest_diff_is_named_by_file_line_and_label(capsys, tmp_path):
    (tmp_path / "old.txt").write_text("a 24.4.4.12\nb 24.4.4.12\n")
    (tmp_path / "new.txt").write_text("a 25.1.4.18\nb bogus\n")
    argv = ["ydb", "check", "--from", str(tmp_path / "old.txt"), "--to", str(tmp_path / "new.txt")]
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and "'bogus' (new.txt, line 2 (b))" in err


def test_a_change_reads_its_sides_as_a_fleet_reads_its_entries():
    changes = ydb.check_changes({"s": "24.4.4.12"}, {"s": "25.1.4.18"})
    assert changes.verdict.rule == "next-major" and [label for label, _ in changes.moves] == ["s"]
    with pytest.raises(
        TypeError, match="^entry 1 must be a .label, version. pair, not one str"
    ):  # not label "2", version "4"
        ydb.check_changes(["24.4.4.12"], ["25.1.4.18"])
    with pytest.raises(InvalidVersion, match=r"'x' \(s\)"):
        ydb.check_changes([("s", "24.4.4.12")], [("s", "x")])


@pytest.mark.parametrize(
    "argv",
    [
        ["ydb", "check", "--from", "old.yaml"],
        ["ydb", "check", "24.4.4.12", "25.1.4.18", "--from", "a", "--to", "b"],
        ["ydb", "check", "24.4.4.12"],
    ],
)
def test_a_diff_needs_both_sides_and_no_positionals(capsys, argv):
    status, _, err = run(capsys, *argv)
    assert (status == 2 and "--to NEW" in err) or "CURRENT and TARGET" in err


def test_progress_shows_on_a_terminal_only_for_long_inputs(monkeypatch):
    from dbcompat.cli import inputs

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


def test_a_bare_name_with_a_colon_is_an_image():
    entries = list(read_text("db local-ydb:25.1.4.18\n", name="n.txt", images=IMAGES["ydb"]))
    assert entries[0].text == "25.1.4.18"


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, "items:\n" + "- " * 3000 + "x\n"])
def test_an_inventory_nested_too_deeply_is_bad_input(tmp_path, capsys, text):
    from dbcompat.cli import main

    path = tmp_path / "deep.json"
    path.write_text(text if text.startswith("[") else "kind: List\n" + text)
    status = main(["ydb", "cluster", "--from", str(path)])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err
    assert "nested too deeply" in err or "nesting depth" in err


def test_spellings_of_one_version_count_as_one_and_every_bad_entry_is_listed():
    from dbcompat import ydb

    fleet = ydb.check_fleet(
        [("a", "24.4.4.12"), ("b", "v24.4.4.12"), ("bad-1", "x"), ("c", "24.4.4.12"),
         ("bad-2", "x")],
        skip_invalid=True,
    )  # fmt: skip
    assert [(str(v), n) for v, n in fleet.versions] == [("24.4.4.12", 3)]
    assert sorted(fleet.labels[ydb.parse("24.4.4.12")]) == ["a", "b", "c"]
    assert [s.label for s in fleet.skipped] == ["bad-1", "bad-2"]
    from dbcompat import InvalidVersion

    with pytest.raises(InvalidVersion, match="bad"):
        ydb.check_fleet([("a", "24.4.4.12"), ("bad", "x")])


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "v", "v."]),  # spellings of one version: counted as one
            st.sampled_from(["24.3", "24.4", "24.04", "24.10", "25.1", "26.1"]),
            st.sampled_from(["", ".1", ".4.12", ".04.12", ".10.3", "-lts", ".2.7-rc"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_a_fleet_counts_and_names_each_version_and_each_major_as_its_nodes_say(spellings):
    texts = ["".join(parts) for parts in spellings]
    fleet = ydb.check_fleet([(f"n{n}", text) for n, text in enumerate(texts)])
    read = [ydb.parse(text, strict=False) for text in texts]
    assert [version for version, _ in fleet.versions] == sorted(set(read))
    assert dict(fleet.versions) == {v: read.count(v) for v in read}
    assert list(fleet.labels) == sorted(set(read))
    for version in set(read):
        assert fleet.labels[version] == [f"n{n}" for n, v in enumerate(read) if v == version]
    majors = {line: sum(v.line == line for v in read) for line in sorted({v.line for v in read})}
    assert fleet.majors == majors and list(fleet.majors) == list(majors)
    assert fleet.nodes == len(texts)
    assert fleet.labels.get(ydb.Version(23, 1)) is None
