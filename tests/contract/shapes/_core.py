"""Response shapes shared by every group: a body is one model, or an envelope of keys."""

from __future__ import annotations

from typing import Any

from hetzner_async.models import Action, Meta

# A response body is either one model (the whole body) or an envelope: key -> type of its value.
Shape = type | dict[str, Any]

ACTION = {"action": Action}
ACTIONS = {"actions": list[Action]}
ACTIONS_PAGE = {"actions": list[Action], "meta": Meta}


def page(key: str, model: type) -> dict[str, Any]:
    """Return the shape of one page of a listing."""
    return {key: list[model], "meta": Meta}  # type: ignore[valid-type]


def action_listings(path: str) -> dict[tuple[str, str], Shape]:
    """Return the shapes of a collection's three action listings."""
    return {
        ("get", f"{path}/actions"): ACTIONS_PAGE,
        ("get", f"{path}/actions/{{id}}"): ACTION,
        ("get", f"{path}/{{id}}/actions"): ACTIONS_PAGE,
    }
