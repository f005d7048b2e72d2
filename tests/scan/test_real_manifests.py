"""The scan on real files from the products' own repositories (operator samples, compose files,
CI workflows, Helm charts, Ansible collections), kept under tests/data/manifests, each with its
source (repository, path, commit) on its first line."""

from __future__ import annotations

import pytest

from dbcompat import scan
from tests.helpers import DATA

MANIFESTS = DATA / "manifests"

# Each file, and what the scan finds in it: (product, version as written, line).
EXPECTED = {
    "ydb-platform_ydb-kubernetes-operator/samples/database.yaml": [("ydb", "23.3.17", 8)],
    "ydb-platform_ydb-kubernetes-operator/samples/storage-mirror-3dc.yaml": [("ydb", "24.2.7", 15)],
    "ydb-platform_ydb-kubernetes-operator/samples/kind/database.yaml": [("ydb", "24.2.7", 8)],
    "ydb-platform_ydb-kubernetes-operator/samples/kind/storage.yaml": [("ydb", "24.2.7", 9)],
    "ydb-platform_ydb-kubernetes-operator/deploy/ydb-operator/Chart.yaml": [],  # the operator's
    "ydb-platform_ydb-go-sdk/.github/workflows/tests.yml": [
        ("ydb", "24.4", 57), ("ydb", "latest", 57), ("ydb", "edge", 57), ("ydb", "nightly", 114)
    ],
    "ydb-platform_ydb-go-sdk/examples/opentelemetry/compose-e2e.yaml": [("ydb", "trunk", 23)],
    "ydb-platform_ydb-python-sdk/docker-compose.yml": [("ydb", "trunk", 5)],
    "ydb-platform_ydb-js-sdk/tests/slo/compose.dev.yaml": [("ydb", "no tag", 4)],
    "ydb-platform_ydb-js-sdk/.devcontainer/compose.yml": [("ydb", "trunk", 34)],
    "ydb-platform_ydb-php-sdk/.github/workflows/tests.yml": [
        ("ydb", "22.5", 35), ("ydb", "trunk", 35), ("ydb", "23.3", 35), ("ydb", "23.2", 35),
        ("ydb", "23.1", 35),
    ],
    "ydb-platform_ydb-ansible-examples/3-nodes-mirror-3-dc/inventory/50-inventory.yaml": [
        ("ydb", "24.4.4.12", 48)
    ],
    "ydb-platform_ydb-ansible-examples/3-nodes-mirror-3-dc-v2/inventory/group_vars/ydb/all.yaml":
        [("ydb", "25.1.4.7", 42)],
    "ravendb_ravendb/docker/compose/linux-cluster/docker-compose.yml": [
        ("ravendb", "8.0-ubuntu-latest", 5), ("ravendb", "8.0-ubuntu-latest", 20),
        ("ravendb", "8.0-ubuntu-latest", 34),
    ],
    "ravendb_ravendb/docker/3-nodes-cluster/docker-compose.yml": [
        ("ravendb", "ubuntu-latest", 5), ("ravendb", "ubuntu-latest", 16),
        ("ravendb", "ubuntu-latest", 27),
    ],
    "ravendb_helm-charts/charts/ravendb-cluster/Chart.yaml": [("ravendb", "7.2", 3)],
    "ravendb_helm-charts/charts/ravendb-cluster/values.yaml": [("ravendb", "latest", 4)],
    "ravendb_ansible-collection-ravendb/roles/ravendb_node/defaults/main.yml": [
        ("ravendb", "latest", 6)
    ],
    "ravendb_ansible-collection-ravendb/playbooks/setup_ravendb.yml": [
        ("ravendb", "latest", 38), ("ravendb", "latest", 56), ("ravendb", "latest", 66),
        ("ravendb", "7.1.1", 76), ("ravendb", "7.1.3-nightly-20250905-1218", 85),
    ],
    "ravendb_ravendb-operator/config/samples/ravendb_v1_ravendbcluster_selfsigned.yaml": [
        ("ravendb", "latest", 21)
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def found():
    return scan.scan([MANIFESTS])


def test_every_file_names_its_source():
    files = [path for path in MANIFESTS.rglob("*") if path.is_file()]
    assert sorted(str(p.relative_to(MANIFESTS)) for p in files) == sorted(EXPECTED)
    for path in files:
        header = path.read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith("# source: ") and " @" in header, path


def test_each_real_file_yields_what_it_pins(found):
    got: dict[str, list[tuple[str, str, int]]] = {name: [] for name in EXPECTED}
    for finding in found.findings:
        name = finding.path.split("manifests/", 1)[1]
        got[name].append((finding.product, str(finding.version), finding.line))
    assert got == EXPECTED
    assert found.problems == ()


def test_the_real_files_are_judged_as_the_gates_judge_them(found):
    # The operator's own samples pair a Database on 23.3 with the Storage on 24.2 it names.
    clusters = {together.what: together.verdict.rule for together in scan.judge_clusters(found)}
    assert clusters == {
        "Database/database-sample with Storage/storage-sample": "non-adjacent-majors",
        "Database/database-kind-sample with Storage/storage-kind-sample": "one-major",
    }
    floating = scan.judge_floating_places(found)
    assert {move.verdict.rule for move in floating} == {"floating-version"}
    assert len(floating) == 20  # every latest, edge, nightly, trunk, untagged image and -latest
