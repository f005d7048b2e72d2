"""Where a YAML node starts, as git and code scanning count lines and columns.

>>> import yaml
>>> node = yaml.compose("a: 1\\rb: 2\\n")
>>> Lines("a: 1\\rb: 2\\n").at(node.value[1][0].start_mark)
(1, 6)
"""

from __future__ import annotations

import bisect
import re
from typing import Any

__all__ = ["Lines"]


class Lines:
    """1-based lines and columns of a text, counted at "\n" as git and code scanning count them.

    PyYAML's marks count a lone "\r", "\x85", U+2028 and U+2029 as line breaks too: in a text
    that has one, the place is worked out from the mark's offset instead.
    """

    _OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")

    def __init__(self, text: str) -> None:
        self.newlines: list[int] | None = None
        if self._OTHER_BREAKS.search(text):
            self.newlines = [match.start() for match in re.finditer("\n", text)]

    def at(self, mark: Any) -> tuple[int, int]:
        if self.newlines is None:
            return mark.line + 1, mark.column + 1
        line = bisect.bisect_left(self.newlines, mark.index)
        start = self.newlines[line - 1] + 1 if line else 0
        return line + 1, mark.index - start + 1
