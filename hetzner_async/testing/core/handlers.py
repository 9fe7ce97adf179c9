"""Generic handlers a resource module reuses: get, update, delete, protection, action lists."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from ..errors import ApiError, invalid_input, not_found, uniqueness_error
from .http import (
    json_response,
    optional,
    path_id,
    path_resource,
    project_of,
    read_body,
    valid_labels,
)
from .listing import list_response, one_of
from .project import Project
from .registry import Commit, Kind
from .table import Json

__all__ = [
    "ACTION_SORTABLE",
    "ACTION_STATUSES",
    "Handler",
    "UpdateHook",
    "action_list",
    "action_routes",
    "check_name",
    "delete_handler",
    "get_handler",
    "protection_handler",
    "update_handler",
]

Handler = Callable[[web.Request], Awaitable[web.Response]]
#: Validate the fields of an update body beyond name and labels; return what applies them.
UpdateHook = Callable[[Project, Json, Json], Commit | None]
#: Validate a ``change_protection`` body (the fields given, by name) before it applies.
ProtectionCheck = Callable[[dict[str, bool]], None]

ACTION_SORTABLE = ("id", "command", "status", "started", "finished")
ACTION_STATUSES = ("running", "success", "error")


def check_name(project: Project, kind: Kind, name: str, own_id: int | None = None) -> None:
    """Refuse an invalid name (``invalid_input``) or a taken one (``uniqueness_error``)."""
    problem = kind.check_name(name) if kind.check_name else (None if name.strip() else "")
    if problem is not None:
        raise invalid_input({"name": [problem or "must not be empty"]})
    if kind.unique_names and project.tables[kind.name].has_name(name, exclude=own_id):
        message = kind.name_taken.format(title=kind.label, name=name)
        raise uniqueness_error("name", message)


def get_handler(kind: Kind) -> Handler:
    """Return ``GET /<collection>/{id}``."""

    async def handler(request: web.Request) -> web.Response:
        resource = path_resource(request, kind.name)
        project_of(request).refresh()
        return json_response({kind.name: resource})

    handler.__doc__ = f"GET /{kind.collection}/{{{kind.path_key}}}."
    return handler


def update_handler(kind: Kind, extra: UpdateHook | None = None) -> Handler:
    """Return ``PUT /<collection>/{id}``: ``name`` (checked), ``labels``, and ``extra`` fields."""

    async def handler(request: web.Request) -> web.Response:
        project = project_of(request)
        resource = path_resource(request, kind.name)
        body = await read_body(request)
        name: str | None = optional(body, "name", str)
        labels = valid_labels(body)
        if name is not None:
            check_name(project, kind, name, own_id=resource["id"])
        commit = extra(project, resource, body) if extra is not None else None
        if name is not None:
            resource["name"] = name
        if labels is not None:
            resource["labels"] = labels
        if commit is not None:
            commit()
        if body:
            project.touch(kind.name, resource["id"], *body)
        project.refresh()
        return json_response({kind.name: resource})

    handler.__doc__ = f"PUT /{kind.collection}/{{{kind.path_key}}}."
    return handler


def _check_protection(kind: Kind, resource: Json) -> None:
    if "delete" in kind.protection and resource["protection"]["delete"]:
        raise ApiError(
            423, "protected", f"{kind.label} {resource['id']} is protected against deletion"
        )


def delete_handler(kind: Kind, *, command: str | None = None) -> Handler:
    """Return ``DELETE /<collection>/{id}``: protection, lock and modules' checks, then remove.

    The answer is ``204`` without a body, or with ``command`` the ``200 {"action": ...}`` of a
    delete the API tracks with an action (load balancers since 2026-10-05).
    """

    async def handler(request: web.Request) -> web.Response:
        project = project_of(request)
        resource = path_resource(request, kind.name)
        _check_protection(kind, resource)
        project.ensure_unlocked(kind.name, resource["id"])
        project.check_delete(kind.name, resource["id"])
        project.remove(kind.name, resource["id"])
        if command is None:
            return web.Response(status=204)
        action = project.start_action(command, [(kind.name, resource["id"])])
        return json_response({"action": action})

    handler.__doc__ = f"DELETE /{kind.collection}/{{{kind.path_key}}}."
    return handler


def protection_handler(kind: Kind, check: ProtectionCheck | None = None) -> Handler:
    """Return ``POST /<collection>/{id}/actions/change_protection`` (takes effect at once)."""

    async def handler(request: web.Request) -> web.Response:
        project = project_of(request)
        resource = path_resource(request, kind.name)
        body = await read_body(request)
        given: dict[str, bool] = {}
        for field in kind.protection:
            value: bool | None = optional(body, field, bool)
            if value is not None:
                given[field] = value
        if check is not None:
            check(given)
        ref = (kind.name, resource["id"])
        project.ensure_unlocked(*ref)
        resource["protection"].update(given)
        project.touch(*ref, "protection")
        action = project.start_action("change_protection", [ref], locks=[ref])
        return json_response({"action": action}, status=201)

    handler.__doc__ = f"POST /{kind.collection}/{{id}}/actions/change_protection."
    return handler


# --- action lists ------------------------------------------------------------------------------


def _ids(request: web.Request) -> list[int]:
    try:
        return [int(v) for v in request.query.getall("id", [])]
    except ValueError:
        raise invalid_input({"id": ["must be an integer"]}) from None


_by_status = one_of("status", ACTION_STATUSES)


def action_list(request: web.Request, items: list[Json]) -> web.Response:
    """Answer a list of actions: ``id`` and ``status`` filters, sort, pages, current progress."""
    wanted = set(_ids(request))
    if wanted:
        items = [a for a in items if a["id"] in wanted]
    items = _by_status(request.query, items)
    project = project_of(request)
    return list_response(request, "actions", items, ACTION_SORTABLE, transform=project.current)


def action_routes(kind: Kind, *, deprecated: bool = True) -> list[web.RouteDef]:
    """Return a kind's action lists: ``/<c>/actions``, ``/<c>/actions/{id}``, ``/<c>/{id}/actions``.

    With ``deprecated``, also ``GET /<c>/{id}/actions/{action_id}``, which the spec still lists
    (deprecated on 2026-04-30, not yet removed).
    """

    async def list_all(request: web.Request) -> web.Response:
        return action_list(request, project_of(request).engine.of(kind.name))

    async def get_one(request: web.Request) -> web.Response:
        project = project_of(request)
        aid = path_id(request, "action")
        action = project.actions.get(aid)
        if action is None or not any(r["type"] == kind.name for r in action["resources"]):
            raise not_found("action", aid)
        return json_response({"action": project.current(action)})

    async def list_own(request: web.Request) -> web.Response:
        resource = path_resource(request, kind.name)
        return action_list(request, project_of(request).engine.of(kind.name, resource["id"]))

    async def get_own(request: web.Request) -> web.Response:
        project = project_of(request)
        resource = path_resource(request, kind.name)
        aid = path_id(request, "action", "action_id")
        found = [a for a in project.engine.of(kind.name, resource["id"]) if a["id"] == aid]
        if not found:
            raise not_found("action", aid)
        return json_response({"action": project.current(found[0])})

    base = f"/v1/{kind.collection}"
    list_all.__doc__ = f"GET {base}/actions."
    get_one.__doc__ = f"GET {base}/actions/{{id}}."
    list_own.__doc__ = f"GET {kind.item_path}/actions."
    get_own.__doc__ = f"GET {kind.item_path}/actions/{{action_id}} (deprecated upstream)."
    routes = [
        web.get(f"{base}/actions", list_all),
        web.get(f"{base}/actions/{{id:\\d+}}", get_one),
        web.get(f"{kind.item_path}/actions", list_own),
    ]
    if deprecated:
        routes.append(web.get(f"{kind.item_path}/actions/{{action_id:\\d+}}", get_own))
    return routes
