"""The versions a file's text names: YAML and JSON read as manifests (:mod:`.manifests`), any
other text line by line for image references, a Dockerfile's ``FROM`` lines as pinned places.

>>> found, problems = scan_text("image: cr.yandex/crptqonuodf51kdj7a7d/ydb:24.4.4.12\\n", "a.txt")
>>> [(f.product, str(f.version), f.line, f.column, f.place) for f in found], problems
([('ydb', '24.4.4.12', 1, 43, 'ydb #1')], [])
"""

from __future__ import annotations

from ..images import image_parts
from ..products import product_of_repository
from .findings import (
    FROM_LINE,
    YAML_SUFFIXES,
    Collector,
    Finding,
    Problem,
    image_pattern,
    is_dockerfile,
)
from .manifests import read_yaml

__all__ = ["scan_text"]


def scan_text(text: str, path: str) -> tuple[list[Finding], list[Problem]]:
    """The versions *text*, the content of the file *path*, names, and what could not be read;
    *path*'s suffix says whether it is YAML."""
    found = Collector(path)
    if path.endswith(YAML_SUFFIXES):
        read_yaml(text, found)
        return found.findings, found.problems
    if path.endswith(".json"):
        # JSON is YAML, whose reader keeps every value's position: kubectl's output reads so.
        # A JSON file that is not YAML (indented with tabs) is read as text instead.
        read = Collector(path)
        unreadable = ("not valid YAML", "nested too deeply")
        if read_yaml(text, read) and not any(
            problem.message.startswith(unreadable) for problem in read.problems
        ):
            return read.findings, read.problems
    seen: dict[str, int] = {}
    dockerfile = is_dockerfile(path)
    # Lines end at "\n" only, as in git and on GitHub: splitlines would count \x0c or \u2028 too,
    # and a result's line would then not be the line a code-scanning upload points at.
    for number, line in enumerate(text.split("\n"), start=1):
        base = FROM_LINE.match(line) if dockerfile else None
        if base is not None:  # FROM pins the image a container runs
            repository = image_parts(base["reference"]).repository
            if product_of_repository(repository) is not None:
                seen[repository] = seen.get(repository, 0) + 1
                place = f"{repository} #{seen[repository]}"
                found.pinned_image(base["reference"], number, base.start("reference") + 1, place)
                continue
        for match in image_pattern().finditer(line):
            repository = match["repository"]
            seen[repository] = seen.get(repository, 0) + 1
            found.image(match, number, 1, f"{repository} #{seen[repository]}")
    return found.findings, found.problems
