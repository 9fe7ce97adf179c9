"""``POST /servers/{id}/actions/...``: power, rebuild, change type, rescue, ISO, console, password.

``change_protection`` is the core's generic handler (registered by ``servers``).
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from ..core import (
    Json,
    Project,
    Registry,
    json_response,
    optional,
    path_resource,
    project_of,
    read_body,
    ref_field,
    require,
)
from ..errors import ApiError, invalid_input
from .catalog import type_locations
from .images import find_image
from .server_create import check_user_data, resolve_ssh_keys
from .servers import SERVER, Secrets, password

__all__ = ["register", "run"]

Handler = Callable[[web.Request], Awaitable[web.Response]]


def run(
    project: Project,
    server: Json,
    command: str,
    *,
    during: str | None = None,
    after: str | None = None,
    effect: Callable[[Json], None] | None = None,
) -> Json:
    """Start an action on a server: status ``during`` it, ``after`` it, plus an effect."""
    sid = server["id"]
    project.ensure_unlocked(SERVER.name, sid)
    previous = server["status"]
    if during is not None:
        server["status"] = during
        project.touch(SERVER.name, sid, "status")

    def succeed() -> None:
        current = project.tables[SERVER.name].get(sid)
        if current is None:
            return
        if after is not None:
            current["status"] = after
        if effect is not None:
            effect(current)
        project.touch(SERVER.name, sid)

    def fail() -> None:
        current = project.tables[SERVER.name].get(sid)
        if current is not None and during is not None:
            current["status"] = previous
            project.touch(SERVER.name, sid, "status")

    ref = (SERVER.name, sid)
    return project.start_action(command, [ref], on_success=succeed, on_error=fail, locks=[ref])


def _simple(command: str, *, during: str | None = None, after: str | None = None) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        server = path_resource(request, SERVER.name)
        await read_body(request)
        action = run(project_of(request), server, command, during=during, after=after)
        return json_response({"action": action}, status=201)

    handler.__doc__ = f"POST /servers/{{id}}/actions/... ({command})."
    return handler


async def rebuild(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/rebuild."""
    project = project_of(request)
    server = path_resource(request, SERVER.name)
    body = await read_body(request)
    architecture = server["server_type"]["architecture"]
    ref = ref_field(body, "image", required=True)
    image = find_image(project, ref, "image", architecture, disk=server["primary_disk_size"])
    check_user_data(body)
    if server["protection"]["rebuild"]:
        raise ApiError(423, "protected", f"server {server['id']} is protected against rebuild")

    def set_image(current: Json) -> None:
        current["image"] = copy.deepcopy(image)

    # The spec says only that the server is powered off before the rebuild; the fake keeps the
    # power state it had: a running server runs again afterwards, a stopped one stays off.
    # https://docs.hetzner.cloud/reference/cloud#server-actions-rebuild-a-server-from-an-image
    after = "off" if server["status"] == "off" else "running"
    action = run(
        project, server, "rebuild_server", during="rebuilding", after=after, effect=set_image
    )
    has_keys = bool(project.part(Secrets).of(server["id"]).ssh_keys)
    return json_response(
        {"action": action, "root_password": None if has_keys else password()}, status=201
    )


async def change_type(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/change_type."""
    project = project_of(request)
    server = path_resource(request, SERVER.name)
    body = await read_body(request)
    type_ref = ref_field(body, "server_type", required=True)
    upgrade_disk: bool = require(body, "upgrade_disk", bool)
    new_type = project.find("server_type", type_ref)
    if new_type is None or new_type["architecture"] != server["server_type"]["architecture"]:
        raise ApiError(422, "invalid_server_type", f"server type '{type_ref}' is not valid")
    if server["location"]["name"] not in type_locations(new_type):
        raise ApiError(422, "invalid_server_type", "server type is not available here")
    if new_type["disk"] < server["primary_disk_size"]:
        raise ApiError(422, "invalid_server_type", "the server's disk is larger than the type's")
    if server["status"] != "off":
        raise ApiError(422, "server_not_stopped", "server must be stopped to change its type")

    def apply(current: Json) -> None:
        current["server_type"] = copy.deepcopy(new_type)
        if upgrade_disk:
            current["primary_disk_size"] = new_type["disk"]

    action = run(project, server, "change_server_type", effect=apply)
    return json_response({"action": action}, status=201)


async def enable_rescue(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/enable_rescue."""
    project = project_of(request)
    server = path_resource(request, SERVER.name)
    body = await read_body(request)
    if optional(body, "type", str, "linux64") != "linux64":
        raise invalid_input({"type": ["must be 'linux64'"]})
    resolve_ssh_keys(project, optional(body, "ssh_keys", list, []))

    def enable(current: Json) -> None:
        current["rescue_enabled"] = True

    action = run(project, server, "enable_rescue", effect=enable)
    return json_response({"action": action, "root_password": password()}, status=201)


async def disable_rescue(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/disable_rescue."""
    server = path_resource(request, SERVER.name)
    await read_body(request)

    def disable(current: Json) -> None:
        current["rescue_enabled"] = False

    action = run(project_of(request), server, "disable_rescue", effect=disable)
    return json_response({"action": action}, status=201)


async def attach_iso(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/attach_iso."""
    project = project_of(request)
    server = path_resource(request, SERVER.name)
    body = await read_body(request)
    iso = project.resolve("iso", ref_field(body, "iso", required=True), "iso")

    def attach(current: Json) -> None:
        current["iso"] = copy.deepcopy(iso)

    action = run(project, server, "attach_iso", effect=attach)
    return json_response({"action": action}, status=201)


async def detach_iso(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/detach_iso."""
    server = path_resource(request, SERVER.name)
    await read_body(request)

    def detach(current: Json) -> None:
        current["iso"] = None

    action = run(project_of(request), server, "detach_iso", effect=detach)
    return json_response({"action": action}, status=201)


async def request_console(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/request_console."""
    server = path_resource(request, SERVER.name)
    await read_body(request)
    action = run(project_of(request), server, "request_console")
    token = secrets.token_hex(16)
    return json_response(
        {
            "wss_url": f"wss://console.hetzner.cloud/?server_id={server['id']}&token={token}",
            "password": secrets.token_urlsafe(24),
            "action": action,
        },
        status=201,
    )


async def reset_password(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/reset_password."""
    server = path_resource(request, SERVER.name)
    await read_body(request)
    action = run(project_of(request), server, "reset_password")
    return json_response({"action": action, "root_password": password()}, status=201)


def register(registry: Registry) -> None:
    """Add the server actions."""
    base = f"{SERVER.item_path}/actions"
    handlers: dict[str, Handler] = {
        "poweron": _simple("start_server", during="starting", after="running"),
        "poweroff": _simple("stop_server", during="stopping", after="off"),
        "shutdown": _simple("shutdown_server", after="off"),
        "reboot": _simple("reboot_server", after="running"),
        "reset": _simple("reset_server", after="running"),
        "rebuild": rebuild,
        "change_type": change_type,
        "enable_rescue": enable_rescue,
        "disable_rescue": disable_rescue,
        "attach_iso": attach_iso,
        "detach_iso": detach_iso,
        "request_console": request_console,
        "reset_password": reset_password,
    }
    registry.routes([web.post(f"{base}/{name}", handler) for name, handler in handlers.items()])
