"""``/actions``, and the action lists of servers and firewalls."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from ..errors import invalid_input, not_found
from .common import Json, backend, int_id, json_response, list_response, status_filter

__all__ = ["routes"]

_SORTABLE = ("id", "command", "status", "started", "finished")
_STATUSES = ("running", "success", "error")
Handler = Callable[[web.Request], Awaitable[web.Response]]


def _ids(request: web.Request) -> list[int]:
    try:
        return [int(v) for v in request.query.getall("id", [])]
    except ValueError:
        raise invalid_input({"id": ["must be an integer"]}) from None


def _filtered(request: web.Request, items: list[Json], *, by_id: bool) -> list[Json]:
    if by_id:
        wanted = set(_ids(request))
        if wanted:
            items = [a for a in items if a["id"] in wanted]
    return status_filter(items, request, _STATUSES)


async def get_actions(request: web.Request) -> web.Response:
    """GET /actions?id=..: the actions with these ids (``id`` is required; no pagination)."""
    state = backend(request).state
    ids = _ids(request)
    if not ids:
        raise invalid_input({"id": ["is required"]})
    return json_response(
        {"actions": [state.current(state.actions[i]) for i in ids if i in state.actions]}
    )


async def get_action(request: web.Request) -> web.Response:
    """GET /actions/{id}."""
    state = backend(request).state
    aid = int_id(request, "action")
    if aid not in state.actions:
        raise not_found("action", aid)
    return json_response({"action": state.current(state.actions[aid])})


def _kind_list(kind: str) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        state = backend(request).state
        items = _filtered(request, state.actions_of(kind), by_id=True)
        return list_response(request, "actions", items, _SORTABLE, transform=state.current)

    handler.__doc__ = f"GET /{kind}s/actions."
    return handler


def _kind_get(kind: str) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        state = backend(request).state
        aid = int_id(request, "action")
        action = state.actions.get(aid)
        if action is None or not any(r["type"] == kind for r in action["resources"]):
            raise not_found("action", aid)
        return json_response({"action": state.current(action)})

    handler.__doc__ = f"GET /{kind}s/actions/{{id}}."
    return handler


def _resource_list(kind: str, table: str, *, by_id: bool) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        state = backend(request).state
        rid = int_id(request, kind)
        if rid not in getattr(state, table):
            raise not_found(kind, rid)
        items = _filtered(request, state.actions_of(kind, rid), by_id=by_id)
        return list_response(request, "actions", items, _SORTABLE, transform=state.current)

    handler.__doc__ = f"GET /{table}/{{id}}/actions."
    return handler


def _resource_get(kind: str, table: str) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        state = backend(request).state
        rid = int_id(request, kind)
        aid = int_id(request, "action", "action_id")
        if rid not in getattr(state, table):
            raise not_found(kind, rid)
        found = [a for a in state.actions_of(kind, rid) if a["id"] == aid]
        if not found:
            raise not_found("action", aid)
        return json_response({"action": state.current(found[0])})

    handler.__doc__ = f"GET /{table}/{{id}}/actions/{{action_id}} (deprecated upstream)."
    return handler


def routes() -> list[web.RouteDef]:
    """Return the routes of this module (under ``/v1``)."""
    table: list[web.RouteDef] = [
        web.get("/v1/actions", get_actions),
        web.get("/v1/actions/{id:\\d+}", get_action),
    ]
    for kind, plural in (("server", "servers"), ("firewall", "firewalls")):
        table += [
            web.get(f"/v1/{plural}/actions", _kind_list(kind)),
            web.get(f"/v1/{plural}/actions/{{id:\\d+}}", _kind_get(kind)),
            web.get(
                f"/v1/{plural}/{{id:\\d+}}/actions",
                _resource_list(kind, plural, by_id=kind == "server"),
            ),
            web.get(
                f"/v1/{plural}/{{id:\\d+}}/actions/{{action_id:\\d+}}", _resource_get(kind, plural)
            ),
        ]
    return table
