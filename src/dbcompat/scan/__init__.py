"""Finding the YDB and RavenDB versions that a repository's files name, each with its file, line
and column, and judging the moves a change makes to them: the pull-request gate.

- :mod:`.findings`: the versions one file's text names;
- :mod:`.files`: the files a scan reads, now and at a git revision;
- :mod:`.moves`: the moves between two scans, or to a planned target, judged;
- :mod:`.clusters`: objects that run as one cluster, judged together;
- :mod:`.reports`: SARIF, JUnit XML, Markdown and the scan's JSON.

>>> found, problems = scan_text("FROM ydb:24.4.4.12", "Dockerfile")
>>> [(f.product, str(f.version), f.line, f.column) for f in found]
[('ydb', '24.4.4.12', 1, 10)]
"""

from __future__ import annotations

from .clusters import Together, judge_clusters
from .files import MAX_FILE_SIZE, scan, scan_revision
from .findings import Finding, Problem, Scan
from .moves import Move, judge_changes, judge_floating_places, judge_target
from .texts import scan_text

__all__ = [
    "MAX_FILE_SIZE",
    "Finding",
    "Move",
    "Problem",
    "Scan",
    "Together",
    "judge_changes",
    "judge_clusters",
    "judge_floating_places",
    "judge_target",
    "scan",
    "scan_revision",
    "scan_text",
]
