"""``/actions``: actions by id (``GET /actions?id=..`` and ``GET /actions/{id}``).

Each resource's own action lists (``/servers/actions``, …) come from ``core.action_routes``.
Listing every action (``GET /actions`` without ``id``) was removed from the API on 2025-01-30,
so ``id`` is required here:
https://docs.hetzner.cloud/changelog#2025-01-30-listing-arbitrary-actions-in-the-actions-list-endpoint-is-removed
"""

from __future__ import annotations

from aiohttp import web

from ..core import Registry, json_response, path_id, project_of
from ..errors import invalid_input, not_found

__all__ = ["register"]


async def get_actions(request: web.Request) -> web.Response:
    """GET /actions?id=..: the actions with these ids (``id`` is required; no pagination)."""
    project = project_of(request)
    try:
        ids = [int(v) for v in request.query.getall("id", [])]
    except ValueError:
        raise invalid_input({"id": ["must be an integer"]}) from None
    if not ids:
        raise invalid_input({"id": ["is required"]})
    actions = project.actions
    return json_response({"actions": [project.current(actions[i]) for i in ids if i in actions]})


async def get_action(request: web.Request) -> web.Response:
    """GET /actions/{id}."""
    project = project_of(request)
    aid = path_id(request, "action")
    if aid not in project.actions:
        raise not_found("action", aid)
    return json_response({"action": project.current(project.actions[aid])})


def register(registry: Registry) -> None:
    """Add the routes of ``/actions``."""
    registry.routes(
        [web.get("/v1/actions", get_actions), web.get("/v1/actions/{id:\\d+}", get_action)]
    )
