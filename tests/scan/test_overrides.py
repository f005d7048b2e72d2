"""A recorded per-object override (``dbcompat.io/override``), honoured by the scan as the
webhook honours it."""

from __future__ import annotations

from dbcompat import scan
from tests.helpers import run, scanned
from tests.scan.test_gate import commit, git, repository  # noqa: F401 (a fixture)


def test_the_scan_honours_the_same_recorded_override_as_the_webhook():
    storage = """\
apiVersion: ydb.tech/v1alpha1
kind: Storage
metadata:
  name: storage
  annotations:
    dbcompat.io/override: "skips-major 24.4.4.12 -> 25.2.1.26: restored from backup, INC-42"
spec:
  image: {{name: cr.yandex/crptqonuodf51kdj7a7d/ydb:{}}}
"""
    before = scanned(storage.format("24.4.4.12"), "s.yaml")
    (move,) = scan.judge_changes(before, scanned(storage.format("25.2.1.26"), "s.yaml"))
    assert move.verdict.rule == "overridden" and move.verdict.allowed
    assert "skips-major" in move.verdict.reason and "INC-42" in move.verdict.reason
    (other,) = scan.judge_changes(before, scanned(storage.format("25.3.1.27"), "s.yaml"))
    assert other.verdict.rule == "skips-major"
    bare = storage.replace(": restored from backup, INC-42", "")
    (unreasoned,) = scan.judge_changes(before, scanned(bare.format("25.2.1.26"), "s.yaml"))
    assert unreasoned.verdict.rule == "skips-major"
    assert any("overrides nothing" in note for note in unreasoned.verdict.notes)


def test_an_overridden_move_reads_in_every_report_format(repository, capsys):  # noqa: F811
    text = repository.read_text().replace(
        "metadata:\n",
        'metadata:\n  annotations:\n    dbcompat.io/override: "skips-major '
        '24.4.4.12 -> 25.2.1.26: INC-42"\n',
        1,
    )
    repository.write_text(text.replace("ydb:24.4.4.12", "ydb:25.2.1.26"))
    for output in ("json", "sarif", "junit", "markdown", "text"):
        status, out, _ = run(capsys, "scan", "--against", "HEAD", "--format", output)
        assert status == 0 and "overridden" in out.lower(), output
