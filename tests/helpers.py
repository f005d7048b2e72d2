"""What tests of several subjects share: where the repository and the test data are, the
command line run in this process, its JSON checked against the schema of its kind, and YDB
operator manifests written for a test."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import jsonschema

from dbcompat.cli import main
from dbcompat.cli.schema import schema_text

ROOT = Path(__file__).resolve().parents[1]
"""The repository."""

DATA = ROOT / "tests" / "data"
"""The test data: the frozen YDB release history, logs, inventories of fleets."""

FLEET = DATA / "fleet"
"""Inventories of fleets in every form a reader takes: pods, operator objects, CSV, lines."""


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    if "--json" in argv:
        assert_valid_json(out)
        assert err == ""
    return status, out, err


@functools.cache
def validator(name):
    schema = json.loads(schema_text(name))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def assert_valid_json(out):
    """*out* is exactly one JSON document, valid against the schema of its kind."""
    document = json.loads(out)
    name = "error" if "error" in document else document["kind"]
    validator(name).validate(document)
    VALIDATED.add(name)
    return document


VALIDATED: set[str] = set()
"""The schemas a document was validated against so far in this session."""


def manifest(tmp_path, name, **versions):
    """A YAML file *name* in *tmp_path* of the YDB operator's objects, one a keyword argument
    (``Storage_storage="24.4.4.12"``: kind, name, image tag); its path."""
    documents = [
        f"apiVersion: ydb.tech/v1alpha1\nkind: {kind}\nmetadata:\n  name: {label}\nspec:\n"
        f"  image:\n    name: cr.yandex/crptqonuodf51kdj7a7d/ydb:{version}\n"
        for (kind, label), version in (
            (tuple(key.split("_", 1)), value) for key, value in versions.items()
        )
    ]
    path = tmp_path / name
    path.write_text("---\n".join(documents))
    return str(path)


def scanned(text, path="Dockerfile"):
    """The scan of one file's *text*, as ``dbcompat.scan.scan`` gives it for the file *path*."""
    from dbcompat.scan import Scan, scan_text

    return Scan(*scan_text(text, path), (path,))
