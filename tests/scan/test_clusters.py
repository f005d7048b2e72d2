"""Objects that run as one cluster, judged together by the scan: a YDB ``Database`` with the
``Storage`` it names, the services of one product in a compose file."""

from __future__ import annotations

import json

from dbcompat import scan
from tests.helpers import run, scanned

STORAGE = """\
apiVersion: ydb.tech/v1alpha1
kind: Storage
metadata: {{name: storage-sample, namespace: {namespace}}}
spec:
  image: {{name: cr.yandex/crptqonuodf51kdj7a7d/ydb:{version}}}
"""

DATABASE = """\
apiVersion: ydb.tech/v1alpha1
kind: Database
metadata: {{name: database-sample, namespace: {namespace}}}
spec:
  image: {{name: cr.yandex/crptqonuodf51kdj7a7d/ydb:{version}}}
  storageClusterRef: {{name: storage-sample}}
"""


def test_a_database_is_judged_with_the_storage_it_names(capsys, tmp_path):
    # As the YDB operator's quickstart once paired them: a Database on 23.3, a Storage on 24.2.
    # Before issue 28 the scan judged each object alone, and passed.
    (tmp_path / "storage.yaml").write_text(STORAGE.format(namespace="ydb", version="24.2.7"))
    (tmp_path / "database.yaml").write_text(DATABASE.format(namespace="ydb", version="23.3.17"))
    status, out, _ = run(capsys, "scan", str(tmp_path), "--json")
    document = json.loads(out)
    (cluster,) = document["clusters"]
    assert status == 1 and cluster["rule"] == "non-adjacent-majors" and not document["allowed"]
    assert cluster["what"] == "Database/database-sample with Storage/storage-sample"
    # In another namespace the Database names another Storage: nothing to judge together.
    (tmp_path / "database.yaml").write_text(DATABASE.format(namespace="other", version="23.3.17"))
    status, out, _ = run(capsys, "scan", str(tmp_path), "--json")
    assert status == 0 and json.loads(out)["clusters"] == []
    # Adjacent majors run together.
    (tmp_path / "database.yaml").write_text(DATABASE.format(namespace="ydb", version="24.3.15.5"))
    status, out, _ = run(capsys, "scan", str(tmp_path))
    assert status == 0 and "allowed (adjacent-majors)" in out


def test_the_services_of_a_compose_file_are_one_cluster():
    compose = """\
services:
  a: {image: ravendb/ravendb:6.0.105-ubuntu.22.04-x64}
  b: {image: ravendb/ravendb:5.4.110-ubuntu.22.04-x64}
  web: {image: nginx:1.27}
"""
    (together,) = scan.judge_clusters(scanned(compose, "compose.yaml"))
    assert (
        together.what == "service a with service b" and together.verdict.rule == "mixed-line-nodes"
    )


def test_a_base_and_its_overlay_are_not_one_cluster(tmp_path):
    base, overlay = tmp_path / "base", tmp_path / "overlays" / "prod"
    overlay.mkdir(parents=True)
    base.mkdir()
    (base / "storage.yaml").write_text(STORAGE.format(namespace="ydb", version="24.2.7"))
    (overlay / "storage.yaml").write_text(STORAGE.format(namespace="ydb", version="25.1.4.18"))
    assert scan.judge_clusters(scan.scan([tmp_path])) == ()
