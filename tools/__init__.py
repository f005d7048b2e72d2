"""Development tools, outside the wheel: what regenerates dbcompat's derived files. Run each
from the repository's root, as ``python -m tools.NAME``; nothing at run time imports them."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["write_generated"]


def write_generated(module: str, source: str) -> None:
    """Write *source* as the generated module ``dbcompat/reading/<module>.py``, and say so on
    stderr."""
    target = Path(__file__).parent.parent / "src" / "dbcompat" / "reading" / f"{module}.py"
    target.write_text(source, encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
