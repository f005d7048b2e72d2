"""Development tools: what regenerates dbcompat's derived files; nothing at run time imports
them."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["write_generated"]


def write_generated(module: str, source: str) -> None:
    """Write *source* as the generated module ``dbcompat/<module>.py``, and say so on stderr."""
    target = Path(__file__).parent.parent / f"{module}.py"
    target.write_text(source, encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
