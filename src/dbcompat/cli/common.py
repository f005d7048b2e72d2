"""What every product's commands share: exit statuses and JSON output."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["EXIT_BAD_INPUT", "EXIT_NO", "EXIT_YES", "print_json"]

EXIT_YES = 0
EXIT_NO = 1
EXIT_BAD_INPUT = 2


def print_json(data: Any) -> None:
    """Print *data* as indented JSON on stdout."""
    print(json.dumps(data, indent=2))
