"""``python -m dbcompat``: the same as the ``dbcompat`` command."""

import sys

from .cli import main

sys.exit(main())
