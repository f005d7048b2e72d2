"""Inventories: versions read from where operators keep them (pods, operator objects, CSV,
plain lines), recognised by content, and what a reader refuses, named where it stands."""

from __future__ import annotations

import io
import json
import sys

import pytest

from dbcompat import InvalidVersion, ydb
from dbcompat.floating import Floating
from dbcompat.inventory import IMAGES, InvalidEntry, read_stream, read_text
from tests.helpers import FLEET


def entries_of(name, product="ydb"):
    """Each entry's label and text; a tag that follows a line (``6.0-ubuntu-latest``) as
    ``~LINE``, for it floats (before issue 28 it was read as the line itself)."""
    text = (FLEET / name).read_text(encoding="utf-8")
    entries = read_text(text, name=name, images=IMAGES[product])
    return [
        (e.label, f"~{e.text.line}" if isinstance(e.text, Floating) else e.text) for e in entries
    ]


@pytest.mark.parametrize(
    ("name", "product", "expected"),
    [
        (
            "kubectl_pods.json",
            "ydb",
            [
                ("ydb/Pod/storage-0/ydb-storage", "24.4.4.12"),
                ("ydb/Pod/storage-1/ydb-storage", "25.1.4.18"),
                ("ydb/Pod/db-0/ydb-dynamic", "25.1.4.18"),
            ],
        ),
        ("kubectl_pods.json", "ravendb", [("raven/Pod/raven-0/ravendb", "~6.0")]),
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
        ("ravendb_cluster.json", "ravendb", [("RavenDBCluster/orders", "~6.0")]),
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


def test_a_line_that_is_no_entry_is_refused_with_where_and_why():
    with pytest.raises(InvalidEntry, match="expected VERSION") as caught:
        list(read_text("# nodes\na b c\n", name="nodes.txt", images=IMAGES["ydb"]))
    assert "nodes.txt, line 2" in str(caught.value)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("cr.yandex/crptqonuodf51kdj7a7d/ydb@sha256:4f1a2b3c", "digest only"),
        ("ydbplatform/local-ydb:latest", "names no version"),
        ("registry:5000/ydb", "no tag"),
    ],
)
def test_an_image_that_names_no_version_is_read_as_what_floats_there(line, reason):
    # Before issue 28 the reader refused these as bad input; the fleet now judges them by the
    # floating policy, as the scan and the webhook do.
    (entry,) = read_text(f"# nodes\n{line}\n", name="nodes.txt", images=IMAGES["ydb"])
    assert isinstance(entry.text, Floating) and reason in entry.text.why
    assert entry.where == "nodes.txt, line 2"


def test_plain_lines_stream_past_the_first_chunk():
    lines = "".join(f"node-{n} 25.1.4.{n % 50}\n" for n in range(20_000))
    entries = list(read_stream(io.StringIO(lines), name="big.txt", images=IMAGES["ydb"]))
    assert len(entries) == 20_000 and entries[-1] == (
        "node-19999",
        "25.1.4.49",
        "big.txt, line 20000",
        None,
        None,
    )
    assert all(entry.label == f"node-{n}" for n, entry in enumerate(entries))


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


def test_a_bare_name_with_a_colon_is_an_image():
    entries = list(read_text("db local-ydb:25.1.4.18\n", name="n.txt", images=IMAGES["ydb"]))
    assert entries[0].text == "25.1.4.18"
