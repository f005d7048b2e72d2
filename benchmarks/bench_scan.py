"""How long ``dbcompat scan`` takes on a repository of Kubernetes manifests, against a process that
only loads their YAML, in the same run.

    pip install '.[bench,yaml]' && python benchmarks/bench_scan.py [--manifests N] [--runs R]

Writes *N* manifests into a temporary folder: Deployments and StatefulSets running YDB or
RavenDB (with sidecars, environment, probes and resources, as real ones have), the YDB operator's
Storage and Database objects, and a few unrelated objects (nginx, a ConfigMap, Services), some
files holding several documents. Then times, as whole processes, ``dbcompat scan FOLDER --json``
and its peer: ``python -c`` walking the folder and loading every document of every YAML file
with PyYAML's safe loader, libyaml's ``CSafeLoader`` where PyYAML has it (the loader class
dbcompat reads with), and nothing more. Interleaved runs after one that is not timed, with the
bytecode written (``bench_parse.process_times``); the median of the runs' ratios.

Only dbcompat's public command is used, so that the same script measures any version of it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import bench_parse

YDB_VERSIONS = [
    "23.3.17.4",
    "23.4.11.1",
    "24.1.18.1",
    "24.2.7.2",
    "24.3.11.13",
    "24.3.15.5",
    "24.4.4.2",
    "24.4.4.12",
    "25.1.1.18",
    "25.1.2.7",
    "25.1.4.18",
    "25.2.1.26",
    "25.3.1.21",
]
RAVENDB_TAGS = [
    "5.4.110-ubuntu.22.04-x64",
    "5.4-ubuntu-latest",
    "6.0.105-ubuntu.22.04-x64",
    "6.0-ubuntu-latest",
    "6.0.110-ubuntu.22.04-arm64v8",
    "6.2.3-ubuntu.22.04-x64",
    "7.0.2-ubuntu.22.04-x64",
]

WORKLOAD = """\
apiVersion: apps/v1
kind: {kind}
metadata:
  name: {name}
  namespace: {namespace}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: {namespace}
    app.kubernetes.io/managed-by: kustomize
  annotations:
    deployment.kubernetes.io/revision: "{revision}"
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "{metrics}"
    spec:
      serviceAccountName: {name}
      securityContext:
        runAsNonRoot: true
        fsGroup: 2000
      containers:
        - name: {container}
          image: {image}
          imagePullPolicy: IfNotPresent
          args: ["--config-path", "/opt/{container}/cfg/config.yaml", "--log-level", "info"]
          ports:
            - name: grpc
              containerPort: {port}
            - name: metrics
              containerPort: {metrics}
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: CLUSTER
              value: {namespace}
            - name: TZ
              value: Europe/Amsterdam
          resources:
            requests:
              cpu: "{cpu}"
              memory: {memory}Gi
            limits:
              memory: {memory}Gi
          readinessProbe:
            tcpSocket:
              port: {port}
            initialDelaySeconds: 10
            periodSeconds: 5
          volumeMounts:
            - name: data
              mountPath: /opt/{container}/data
        - name: log-shipper
          image: docker.io/fluent/fluent-bit:3.0.{patch}
          resources:
            limits:
              cpu: 100m
              memory: 128Mi
      volumes:
        - name: data
          emptyDir: {{}}
"""

OPERATOR = """\
apiVersion: ydb.tech/v1alpha1
kind: {kind}
metadata:
  name: {name}
  namespace: {namespace}
spec:
{image}  nodes: {replicas}
  erasure: block-4-2
  domain: Root
  resources:
    containerResources:
      limits:
        cpu: "{cpu}"
        memory: {memory}Gi
  storageClusterRef:
    name: {namespace}-storage
  configuration: |-
    static_erasure: block-4-2
    host_configs:
      - drive:
          - path: /dev/kikimr_ssd_00
            type: SSD
        host_config_id: 1
"""

UNRELATED = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {namespace}
data:
  LOG_LEVEL: info
  RETRIES: "{replicas}"
  endpoint: grpcs://{namespace}.example.internal:2135
"""

SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {namespace}
spec:
  selector:
    app.kubernetes.io/name: {name}
  ports:
    - name: grpc
      port: {port}
      targetPort: grpc
"""


def manifest(rng: random.Random, number: int) -> str:
    """One file: a workload or an operator object, sometimes with a Service beside it."""
    fields = {
        "name": f"svc-{number}",
        "namespace": f"team-{number % 37}",
        "revision": rng.randrange(1, 90),
        "replicas": rng.choice((1, 3, 3, 8, 9)),
        "cpu": rng.choice(("500m", "2", "4")),
        "memory": rng.choice((2, 8, 16, 32)),
        "port": rng.choice((2135, 2136, 8080, 38888)),
        "metrics": 8765,
        "patch": rng.randrange(10),
    }
    kind = rng.random()
    if kind < 0.40:
        documents = [
            WORKLOAD.format(
                kind=rng.choice(("Deployment", "StatefulSet")),
                container="ydb",
                image=f"cr.yandex/crptqonuodf51kdj7a7d/ydb:{rng.choice(YDB_VERSIONS)}",
                **fields,
            )
        ]
    elif kind < 0.65:
        documents = [
            WORKLOAD.format(
                kind=rng.choice(("Deployment", "StatefulSet")),
                container="ravendb",
                image=f"ravendb/ravendb:{rng.choice(RAVENDB_TAGS)}",
                **fields,
            )
        ]
    elif kind < 0.90:
        version = rng.choice(YDB_VERSIONS)
        image = rng.choice(
            (
                f"  version: {version}\n",
                f"  image:\n    name: cr.yandex/crptqonuodf51kdj7a7d/ydb:{version}\n",
                "",  # the operator's default tag
            )
        )
        documents = [
            OPERATOR.format(kind=rng.choice(("Storage", "Database")), image=image, **fields)
        ]
    else:
        documents = [
            WORKLOAD.format(
                kind="Deployment", container="nginx", image="nginx:1.27.2-alpine", **fields
            ),
            UNRELATED.format(**fields),
        ]
    if rng.random() < 0.3:
        documents.append(SERVICE.format(**fields))
    return "---\n".join(documents)


def write_manifests(folder: Path, count: int) -> None:
    """*count* manifests under *folder*, in a folder per team, as a repository keeps them."""
    rng = random.Random(2000)
    for number in range(count):
        team = folder / f"team-{number % 37}"
        team.mkdir(exist_ok=True)
        suffix = ".yml" if number % 10 == 0 else ".yaml"
        (team / f"svc-{number}{suffix}").write_text(manifest(rng, number), encoding="utf-8")


# The peer: every document of every YAML file loaded as a program that only reads them would.
LOAD_ONLY = """\
import os, sys, yaml
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
for root, folders, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(root, name), encoding="utf-8") as stream:
                for document in yaml.load_all(stream.read(), Loader=loader):
                    pass
"""


def dbcompat_command() -> list[str]:
    """``dbcompat`` as users run it: the console script beside this interpreter (it honours
    PYTHONPATH, which may choose the dbcompat measured), else ``python -m dbcompat``."""
    script = shutil.which("dbcompat", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "dbcompat"]


def scan_times(count: int, runs: int) -> dict[str, list[float]]:
    """Seconds of ``dbcompat scan FOLDER --json`` (``dbcompat``) and of loading the YAML alone
    (``yaml``) as processes, on *count* manifests written now, in each of *runs* rounds."""
    folder = Path(tempfile.mkdtemp(prefix="dbcompat-scan-"))
    try:
        write_manifests(folder, count)
        commands = {
            "dbcompat": [*dbcompat_command(), "scan", str(folder), "--json"],
            "yaml": [sys.executable, "-c", LOAD_ONLY, str(folder)],
        }
        # The manifests pin RavenDB's floating -latest tags and pair Databases with Storages:
        # a dbcompat that judges them refuses some (exit 1), one before it found nothing to judge.
        first = subprocess.run(commands["dbcompat"], capture_output=True, check=False)
        if first.returncode not in (0, 1):
            raise RuntimeError(f"dbcompat scan exited {first.returncode}: {first.stderr.decode()}")
        return bench_parse.process_times(commands, runs, status={"dbcompat": first.returncode})
    finally:
        shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--manifests", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=11)
    options = parser.parse_args()
    times = scan_times(options.manifests, options.runs)
    print(f"{options.manifests:,} manifests, {options.runs} runs of each, interleaved")
    for name, label in (("dbcompat", "dbcompat scan --json"), ("yaml", "loading the YAML")):
        print(f"  {label:<22} median {statistics.median(times[name]):6.3f} s")
    ratio = bench_parse.median_ratio(times, "dbcompat", "yaml")
    print(f"  ratio                  {ratio:.2f}x (median of the runs' ratios)")


if __name__ == "__main__":
    main()
