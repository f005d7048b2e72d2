"""Versions pinned outside a container image's usual names: the images the products publish
under other names, Ansible variables, CI matrices, Helm's ``appVersion``, Kustomize."""

from __future__ import annotations

from dbcompat import scan
from dbcompat.scan import scan_text
from tests.helpers import scanned


def test_images_the_products_publish_under_other_names_are_read():
    found, _ = scan_text(
        "FROM cr.yandex/yc/yandex-docker-local-ydb:22.5\n"
        "FROM ravendb/ravendb-nightly:7.1-ubuntu-latest\n",
        "Dockerfile",
    )
    assert [(f.product, str(f.version)) for f in found] == [
        ("ydb", "22.5"),
        ("ravendb", "7.1-ubuntu-latest"),  # it follows the newest 7.1 nightly: it floats
    ]
    assert found[1].version.line == "7.1"


def test_versions_pinned_outside_images_are_found_and_judged():
    variables = "ydb_version: 24.4.4.12\nravendb_version: 7.1.1\nother: '{{ ydb_version }}'\n"
    ansible = scanned(variables, "group_vars/all.yml")
    assert [(f.product, str(f.version), f.line) for f in ansible.findings] == [
        ("ydb", "24.4.4.12", 1),
        ("ravendb", "7.1.1", 2),
    ]
    workflow = """\
jobs:
  test:
    strategy:
      matrix:
        ydb-version: [24.4, "{version}"]
    services:
      ydb:
        image: ydbplatform/local-ydb:${{{{ matrix.ydb-version }}}}
"""
    before = scanned(workflow.format(version="25.1"), ".github/workflows/ci.yml")
    assert [str(f.version) for f in before.findings] == ["24.4", "25.1"]  # the template: none
    (move,) = scan.judge_changes(
        before, scanned(workflow.format(version="latest"), ".github/workflows/ci.yml")
    )
    assert move.verdict.rule == "floating-version" and move.finding.place.endswith("[1]")
    kustomize = """\
images:
  - name: ravendb/ravendb
    newTag: {tag}
"""
    (bump,) = scan.judge_changes(
        scanned(kustomize.format(tag="5.4.110-ubuntu.22.04-x64"), "kustomization.yaml"),
        scanned(kustomize.format(tag="6.0.105-ubuntu.22.04-x64"), "kustomization.yaml"),
    )
    assert bump.verdict.rule == "server-upgrade"
