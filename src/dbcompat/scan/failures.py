"""A run that failed, reported in the format asked for, so that a CI step that saves the report
(``--format sarif > dbcompat.sarif``) gets a document of its kind, never an empty file: SARIF
with the failed invocation and its message, JUnit XML with an ``<error>``, Markdown with a
sentence.

>>> print(failure("markdown", "invalid-version", "'24.x' is not a YDB version", 2), end="")
### dbcompat: error
<BLANKLINE>
'24.x' is not a YDB version (invalid-version; exit status 2)
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree

from .reports import cell, junit_text, sarif_log, xml_text

__all__ = ["failure"]


def failure(output: str, kind: str, message: str, status: int) -> str:
    """The report, in *output* (``sarif``, ``junit`` or ``markdown``), of a run that failed with
    the error *kind* (as the JSON error document names it), *message*, and exit *status*."""
    if output == "sarif":
        return json.dumps(_sarif(kind, message, status), indent=2, ensure_ascii=False) + "\n"
    if output == "junit":
        return _junit(kind, message)
    return f"### dbcompat: error\n\n{cell(message)} ({kind}; exit status {status})\n"


def _sarif(kind: str, message: str, status: int) -> dict[str, Any]:
    notification = {"level": "error", "message": {"text": message}, "descriptor": {"id": kind}}
    invocation = {
        "executionSuccessful": False,
        "exitCode": status,
        "toolExecutionNotifications": [notification],
    }
    return sarif_log([], [], invocations=[invocation])


def _junit(kind: str, message: str) -> str:
    suite = ElementTree.Element("testsuite", name="dbcompat")
    case = ElementTree.SubElement(suite, "testcase", classname="dbcompat", name="run dbcompat")
    error = ElementTree.SubElement(case, "error", message=xml_text(message), type=kind)
    error.text = xml_text(message)
    return junit_text(suite, {"tests": "1", "failures": "0", "errors": "1"})
