"""The contract every command keeps: its exit statuses, and on bad input one line on stderr, or
with ``--json`` one JSON document on stdout; never a traceback. The documents' shapes are the
JSON Schemas shipped in ``dbcompat/schemas`` (``dbcompat schema NAME``).

>>> error_document(UsageError("give CURRENT and TARGET"))["error"]["kind"]
'usage'
"""

from __future__ import annotations

import os
from typing import Any

from ..entries import InvalidEntry
from ..errors import InvalidCatalog, InvalidVersion, ServerError
from ..hints import for_people

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INCOMPLETE",
    "EXIT_NO",
    "EXIT_STATUS",
    "EXIT_UNREACHABLE",
    "EXIT_YES",
    "UsageError",
    "describe_os_error",
    "error_document",
]


EXIT_YES = 0


EXIT_NO = 1


EXIT_BAD_INPUT = 2


EXIT_UNREACHABLE = 3


EXIT_INCOMPLETE = 4


EXIT_STATUS = """exit status:
  0  allowed (or a plan exists, or a report)
  1  refused (or no plan exists)
  2  bad input: a version, a file or an option (one line on stderr; with --json or
     --format json, a JSON error instead; with --format sarif, junit or markdown, a report of
     the error on stdout too)
  3  a server could not be reached or read (probes only; reported as bad input is)
  4  incomplete: nodes a server named were not probed, and those probed are allowed
     (ravendb probe without --follow-topology)"""


class UsageError(Exception):
    """The command line itself is wrong: an unknown option, a missing argument."""


def error_document(error: BaseException) -> dict[str, Any]:
    """The JSON document of a bad input: what kind, which input, where, and the message."""
    kind, given, column = "invalid-input", None, None
    message = for_people(str(error))
    if isinstance(error, InvalidVersion):
        kind, given, column = "invalid-version", error.text, error.column
    elif isinstance(error, InvalidCatalog):
        kind = "invalid-catalog"
    elif isinstance(error, UsageError):
        kind = "usage"
    elif isinstance(error, InvalidEntry):
        kind = "invalid-entry"
    elif isinstance(error, ServerError):
        kind, given = "unreachable-server", error.url
    elif isinstance(error, OSError):
        kind, given, message = "unreadable-file", str(error.filename), describe_os_error(error)
    return {"error": {"kind": kind, "input": given, "column": column, "message": message}}


def describe_os_error(error: OSError) -> str:
    """A file that cannot be read, in one plain sentence."""
    name = os.path.basename(str(error.filename)) if error.filename else "a file"
    reason = (error.strerror or "it cannot be read").lower()
    return f"cannot read {name}: {reason}"
