"""The response shape of every operation the SDK reads, one module per resource group.

Each module defines ``OPERATIONS`` ((method, path) -> shape) and ``NO_CONTENT`` (operations that
answer 204); every module is collected, so a new group only adds its file.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._core import ACTION, ACTIONS, ACTIONS_PAGE, Shape, action_listings, page

__all__ = [
    "ACTION",
    "ACTIONS",
    "ACTIONS_PAGE",
    "NO_CONTENT",
    "OPERATIONS",
    "Shape",
    "action_listings",
    "page",
]

OPERATIONS: dict[tuple[str, str], Shape] = {}
NO_CONTENT: list[tuple[str, str]] = []

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if not _module.name.startswith("_"):
        _loaded = importlib.import_module(f"{__name__}.{_module.name}")
        OPERATIONS.update(_loaded.OPERATIONS)
        NO_CONTENT.extend(getattr(_loaded, "NO_CONTENT", []))
