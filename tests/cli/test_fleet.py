"""Fleets on the command line: ydb cluster --from an inventory, ydb check --from OLD --to NEW of
manifests, ravendb clients --from a file; what the verdicts say, short in text and whole in
JSON, and the bad entries named by file, line and label."""

from __future__ import annotations

import json

import pytest

from dbcompat import InvalidVersion, ydb
from tests.helpers import FLEET, manifest, run


def test_the_operators_default_tag_is_said_in_the_verdict(capsys):
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(FLEET / "ydb_operator.yaml"))
    assert status == 1 and "default tag 22.2.22" in out
    assert out.splitlines()[0].startswith("cluster of 3 nodes: refused (too-many-majors): 1 node")
    assert "Database/legacy on 22.2.22" in out.splitlines()[0]


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
    assert "skipped 1 invalid entry: nodes.txt, line 2 (storage-2)" in out


def test_a_huge_label_beside_a_bad_version_is_cut_short_in_the_error(capsys, tmp_path):
    # A line of a hostile inventory may hold a label of a megabyte: the error stays one line
    # a log can hold, as a huge version's does.
    nodes = tmp_path / "nodes.txt"
    nodes.write_text("A" * 300_000 + " bogus\n")
    status, out, err = run(capsys, "ydb", "cluster", "--from", str(nodes))
    assert status == 2 and out == "" and len(err) < 600  # the label cut to 128 characters
    where = f"nodes.txt, line 1 ({'A' * 300_000})"
    assert f"'bogus' ({where[:128]}... ({len(where):,} characters)): at column 1" in err
    with pytest.raises(InvalidVersion) as caught:
        ydb.check_fleet([("A" * 300_000, "bogus")])
    assert caught.value.source == "A" * 300_000  # the whole label stays on the error


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
    lines = [f"s-{n} 24.2.7" for n in range(10_000)] + [f"t-{n} 24.4.4.12" for n in range(10_001)]
    nodes = tmp_path / "fleet.txt"
    nodes.write_text("\n".join(lines))
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(nodes))
    assert status == 1 and "and 9,995 more" in out.splitlines()[0]
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(nodes), "--json")
    document = json.loads(out)
    assert len(document["offenders"]) == 10_000 and document["rule"] == "non-adjacent-majors"
    majors = [{"major": "24.2", "count": 10_000}, {"major": "24.4", "count": 10_001}]
    assert document["majors"] == majors


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
    assert "1 of 2 moves is refused (Storage/storage)" in document["reason"]
    status, out, _ = run(capsys, "ydb", "check", "--from", old, "--to", good)
    assert status == 0 and "Database/db: allowed (already-installed)" in out


def test_a_bad_version_in_a_manifest_diff_is_named_by_file_line_and_label(capsys, tmp_path):
    (tmp_path / "old.txt").write_text("a 24.4.4.12\nb 24.4.4.12\n")
    (tmp_path / "new.txt").write_text("a 25.1.4.18\nb bogus\n")
    argv = ["ydb", "check", "--from", str(tmp_path / "old.txt"), "--to", str(tmp_path / "new.txt")]
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and "'bogus' (new.txt, line 2 (b))" in err


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


def _pod(namespace, name, tag):
    container = {"name": "ydb", "image": f"cr.yandex/yc/ydb:{tag}"}
    metadata = {"name": name, "namespace": namespace}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
            "spec": {"containers": [container]}}  # fmt: skip


def test_pods_of_all_namespaces_are_a_cluster_each(tmp_path, capsys):
    pods = {"apiVersion": "v1", "kind": "List", "items": [
        _pod("team-a", "storage-0", "24.4.4.12"), _pod("team-a", "storage-1", "24.4.4.12"),
        _pod("team-b", "storage-0", "25.2.1.26"), _pod("team-b", "storage-1", "25.2.1.26"),
    ]}  # fmt: skip
    listed = tmp_path / "pods.json"
    listed.write_text(json.dumps(pods))
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(listed))
    assert status == 0 and out.startswith("2 clusters by namespace: allowed")
    assert "namespace team-a: allowed" in out and "namespace team-b: allowed" in out
    pods["items"].append(_pod("team-b", "storage-2", "24.1.18"))
    listed.write_text(json.dumps(pods))
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(listed), "--json")
    document = json.loads(out)
    assert status == 1 and [check["label"] for check in document["checks"]] == [
        "namespace team-a",
        "namespace team-b",
    ]
    assert document["reason"].startswith("1 of 2 clusters is refused (namespace team-b)")
    # Nodes named without a namespace are a cluster of their own beside the namespaces.
    status, out, _ = run(capsys, "ydb", "cluster", "x=22.4.44", "--from", str(listed), "--json")
    document = json.loads(out)
    assert [check["label"] for check in document["checks"]] == [
        "namespace team-a",
        "namespace team-b",
        "no namespace",
    ]
    assert document["checks"][2]["allowed"] is True
    status, out, _ = run(capsys, "ydb", "cluster", "--from", str(listed), "--namespace", "team-a")
    assert status == 0 and out.startswith("cluster of 2 nodes: allowed")
    status, out, _ = run(
        capsys, "ydb", "cluster", "--from", str(listed), "--namespace", "team-b", "--json"
    )
    labels = [o["label"] for o in json.loads(out)["offenders"]]
    assert status == 1 and labels == ["team-b/Pod/storage-2/ydb"]  # the namespace in the label
