"""The wire shape of every public resource method: one row per call, one module per group.

A module here defines ``CASES``; every module is collected, so a new group only adds its file.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._core import COVERED, PAGE, WireCase, action_listing_cases, covers, page_of

__all__ = ["CASES", "COVERED", "PAGE", "WireCase", "action_listing_cases", "covers", "page_of"]


def _collect() -> list[WireCase]:
    cases: list[WireCase] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            cases.extend(importlib.import_module(f"{__name__}.{module.name}").CASES)
    return cases


CASES = _collect()
