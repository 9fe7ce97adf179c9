"""The API's own example payloads (tests/spec/examples), loaded fresh for each use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).parent / "spec" / "examples"


def example(name: str) -> Any:
    """Return the decoded JSON of ``tests/spec/examples/<name>.json``."""
    return json.loads((EXAMPLES / f"{name}.json").read_text())
