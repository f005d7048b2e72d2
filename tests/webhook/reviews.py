"""AdmissionReview bodies as the API server sends them, of the object shapes the webhook judges:
YDB Storage and Database, RavenDBCluster, a StatefulSet."""

from __future__ import annotations

IMAGE = "cr.yandex/crptqonuodf51kdj7a7d/ydb"


def storage(tag=None, version=None, annotations=None):
    spec = {"nodes": 8, "erasure": "block-4-2", "domain": "Root"}
    if tag is not None:
        spec["image"] = {"name": f"{IMAGE}:{tag}"}
    if version is not None:
        spec["version"] = version
    metadata = {"name": "storage", "namespace": "ydb"}
    if annotations:
        metadata["annotations"] = annotations
    return {"apiVersion": "ydb.tech/v1alpha1", "kind": "Storage", "metadata": metadata,
            "spec": spec}  # fmt: skip


def database(tag=None):
    spec = {"nodes": 3, "storageClusterRef": {"name": "storage"}}
    if tag is not None:
        spec["image"] = {"name": f"{IMAGE}:{tag}"}
    return {"apiVersion": "ydb.tech/v1alpha1", "kind": "Database",
            "metadata": {"name": "database", "namespace": "ydb"}, "spec": spec}  # fmt: skip


def raven_cluster(tag, clients=None):
    metadata = {"name": "orders", "namespace": "raven"}
    if clients:
        metadata["annotations"] = {"dbcompat.io/ravendb-clients": clients}
    return {"apiVersion": "ravendb.ravendb.io/v1", "kind": "RavenDBCluster",
            "metadata": metadata,
            "spec": {"image": f"ravendb/ravendb:{tag}", "mode": "None", "nodes": []}}  # fmt: skip


def stateful_set(tag):
    container = {
        "name": "ydb-storage",
        "image": f"{IMAGE}:{tag}",
        "ports": [{"containerPort": 2135}],
    }
    return {"apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "storage", "namespace": "ydb"},
            "spec": {"replicas": 3, "template": {"spec": {"containers": [container]}}}}  # fmt: skip


def request(new, old=None, operation=None, uid="705ab4f5-6393-11e8-b7cc-42010a800002", **extra):
    operation = operation or ("UPDATE" if old is not None else "CREATE")
    group, _, version = new.get("apiVersion", "v1").rpartition("/")
    body = {
        "uid": uid,
        "kind": {"group": group, "version": version, "kind": new["kind"]},
        "resource": {"group": group, "version": version, "resource": new["kind"].lower() + "s"},
        "namespace": new["metadata"].get("namespace"),
        "name": new["metadata"]["name"],
        "operation": operation,
        "userInfo": {"username": "admin"},
        "object": new,
        "dryRun": False,
        **extra,
    }
    if old is not None:
        body["oldObject"] = old
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": body}
