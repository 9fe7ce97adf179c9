"""``/servers``: the server kind, list, get, update and delete (create and actions live beside).

A server's ``locked`` is derived here from the action engine; other modules derive the fields
they own (``public_net.firewalls``) and clean up after a server through ``on_delete("server")``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from ..core import (
    Json,
    Kind,
    Project,
    Registry,
    action_routes,
    get_handler,
    json_response,
    list_handler,
    path_resource,
    project_of,
    protection_handler,
    update_handler,
)
from ..core.listing import one_of
from ..errors import ApiError, invalid_input

__all__ = [
    "SERVER",
    "STATUSES",
    "ServerSecrets",
    "Secrets",
    "hostname_problem",
    "password",
    "register",
    "set_status",
]

STATUSES = (
    "running",
    "initializing",
    "starting",
    "stopping",
    "off",
    "deleting",
    "migrating",
    "rebuilding",
    "unknown",
)
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def hostname_problem(name: str) -> str | None:
    """Say what is wrong with a server name: it must be a hostname (RFC 1123)."""
    valid = 0 < len(name) <= 253 and all(_HOST_LABEL.match(part) for part in name.split("."))
    return None if valid else "must be a valid hostname (RFC 1123)"


SERVER = Kind(
    "server",
    "servers",
    first_id=1_000_001,
    check_name=hostname_problem,
    protection=("delete", "rebuild"),
)


def password() -> str:
    """Return a fresh root password."""
    return secrets.token_urlsafe(15)


@dataclass
class ServerSecrets:
    """What the API keeps about a server but never shows in the server object."""

    ssh_keys: list[int] = field(default_factory=list)
    user_data: str | None = None


class Secrets:
    """The secrets of every server of a project (a state part)."""

    def __init__(self, project: Project) -> None:
        self.by_server: dict[int, ServerSecrets] = {}

    def of(self, server_id: int) -> ServerSecrets:
        """Return a server's secrets (none kept: empty ones)."""
        return self.by_server.get(server_id) or ServerSecrets()


def set_status(project: Project, server_id: int, status: str) -> Callable[[], None]:
    """Return an effect that sets a server's status, if the server still exists."""

    def effect() -> None:
        server = project.tables[SERVER.name].get(server_id)
        if server is not None:
            server["status"] = status
            project.touch(SERVER.name, server_id, "status")

    return effect


async def delete_server(request: web.Request) -> web.Response:
    """DELETE /servers/{id}: an action; the server is gone (and cleaned up) when it ends."""
    project = project_of(request)
    server = path_resource(request, SERVER.name)
    sid = server["id"]
    if server["protection"]["delete"]:
        raise ApiError(423, "protected", f"server {sid} is protected against deletion")
    project.ensure_unlocked(SERVER.name, sid)
    project.check_delete(SERVER.name, sid)
    previous = server["status"]
    server["status"] = "deleting"
    project.touch(SERVER.name, sid, "status")

    def remove() -> None:
        project.remove(SERVER.name, sid)

    ref = (SERVER.name, sid)
    action = project.start_action(
        "delete_server",
        [ref],
        on_success=remove,
        on_error=set_status(project, sid, previous),
        locks=[ref],
    )
    return json_response({"action": action})


def _equal_protection(given: dict[str, bool]) -> None:
    # A server's rebuild protection must equal its delete protection:
    # https://docs.hetzner.cloud/reference/cloud#server-actions-change-server-protection
    if "delete" in given and "rebuild" in given and given["delete"] != given["rebuild"]:
        raise invalid_input({"rebuild": ["delete and rebuild protection must be equal"]})


def _derive_locked(project: Project, server_id: int, server: Json) -> None:
    server["locked"] = project.locked(SERVER.name, server_id)


def _forget_secrets(project: Project, server_id: int, server: Json) -> None:
    project.part(Secrets).by_server.pop(server_id, None)


def register(registry: Registry) -> None:
    """Add servers, their derived ``locked`` and their routes (create: ``server_create``)."""
    registry.kind(SERVER)
    registry.counter("primary_ip", 5_000_001)
    registry.part(Secrets)
    registry.derive(SERVER.name, _derive_locked)
    registry.on_delete(SERVER.name, _forget_secrets)
    registry.routes(
        [
            web.get("/v1/servers", list_handler(SERVER, one_of("status", STATUSES))),
            web.get(SERVER.item_path, get_handler(SERVER)),
            web.put(SERVER.item_path, update_handler(SERVER)),
            web.delete(SERVER.item_path, delete_server),
            web.post(
                f"{SERVER.item_path}/actions/change_protection",
                protection_handler(SERVER, _equal_protection),
            ),
            *action_routes(SERVER),
        ]
    )
