"""``python -m benchmarks``: run every scenario for every client and write the results."""

import sys

from .runner import main

sys.exit(main())
