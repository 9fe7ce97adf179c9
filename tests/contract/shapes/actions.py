"""Response shapes of ``/actions``."""

from __future__ import annotations

from ._core import ACTION, ACTIONS, Shape

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/actions"): ACTIONS,
    ("get", "/actions/{id}"): ACTION,
}
