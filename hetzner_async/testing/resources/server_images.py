"""``POST /servers/{id}/actions/create_image``, ``enable_backup`` and ``disable_backup``.

A snapshot outlives its server and can boot new servers of the same architecture; a backup is
bound to its server, needs the server's backups enabled, and goes when they are disabled or
the server is deleted (https://docs.hetzner.cloud/reference/cloud#server-actions-create-image-from-a-server).
"""

from __future__ import annotations

import zlib

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
    valid_labels,
)
from ..errors import invalid_input
from .images import IMAGE, OWN_TYPES, Backups
from .server_actions import run
from .servers import SERVER

__all__ = ["BACKUP_SLOTS", "BACKUP_WINDOWS", "register"]

#: Backups kept per server: "seven slots where Images of type backup can be stored"; a new
#: backup beyond them replaces the oldest.
#: https://docs.hetzner.cloud/reference/cloud#server-actions-enable-and-configure-backups-for-a-server
BACKUP_SLOTS = 7
#: The UTC windows the API assigns for the daily backup (one per server, by its id).
BACKUP_WINDOWS = ("22-02", "02-06", "06-10", "10-14", "14-18", "18-22")


def _image_size(server: Json) -> float:
    """Return a plausible, stable size in GB of a server's disk contents (what is billed)."""
    used = 0.8 + (zlib.crc32(str(server["id"]).encode()) % 400) / 100
    return float(min(round(used, 2), server["primary_disk_size"]))


def _new_image(project: Project, server: Json, kind: str, description: str | None) -> Json:
    """Return the image of a server's disk as the API shows it while it is being created."""
    origin = server.get("image") or {}
    return {
        "id": 0,
        "type": kind,
        "status": "creating",
        "name": None,
        "description": description or f"{kind.capitalize()} of {server['name']}",
        "image_size": None,
        "disk_size": server["primary_disk_size"],
        "created": project.now_iso(),
        "created_from": {"id": server["id"], "name": server["name"]},
        "bound_to": server["id"] if kind == "backup" else None,
        "os_flavor": origin.get("os_flavor") or "unknown",
        "os_version": origin.get("os_version"),
        "rapid_deploy": False,
        "protection": {"delete": False},
        "deprecated": None,
        "deleted": None,
        "labels": {},
        "architecture": server["server_type"]["architecture"],
    }


def _rotate(project: Project, server_id: int) -> None:
    """Delete a server's oldest backups beyond its slots."""
    backups = project.part(Backups).ids(server_id)
    for image_id in backups[: max(0, len(backups) - BACKUP_SLOTS)]:
        project.remove(IMAGE.name, image_id)


async def create_image(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/create_image: an image ``creating`` until the action ends."""
    project = project_of(request)
    server = path_resource(request, SERVER.name)
    body = await read_body(request)
    description: str | None = optional(body, "description", str)
    kind: str = optional(body, "type", str, "snapshot")
    if kind not in OWN_TYPES:
        raise invalid_input({"type": ["must be 'snapshot' or 'backup'"]})
    labels = valid_labels(body) or {}
    sid = server["id"]
    if kind == "backup" and server["backup_window"] is None:
        raise invalid_input({"type": [f"backups are not enabled for server {sid}"]})
    project.ensure_unlocked(SERVER.name, sid)
    image = _new_image(project, server, kind, description)
    image["labels"] = labels
    images = project.tables[IMAGE.name]
    image_id = image["id"] = project.next_id(IMAGE.name)
    images[image_id] = image

    def ready() -> None:
        current = images.get(image_id)
        if current is None:
            return
        current["status"] = "available"
        current["image_size"] = _image_size(server)
        project.touch(IMAGE.name, image_id, "status", "image_size")
        if current["type"] == "backup" and current["bound_to"] is not None:
            _rotate(project, current["bound_to"])

    def failed() -> None:
        project.remove(IMAGE.name, image_id)

    refs = [(SERVER.name, sid), (IMAGE.name, image_id)]
    action = project.start_action(
        "create_image", refs, on_success=ready, on_error=failed, locks=refs
    )
    return json_response({"image": image, "action": action}, status=201)


async def enable_backup(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/enable_backup: the server gets its backup window."""
    server = path_resource(request, SERVER.name)
    await read_body(request)
    window = BACKUP_WINDOWS[server["id"] % len(BACKUP_WINDOWS)]

    def enable(current: Json) -> None:
        current["backup_window"] = window

    action = run(project_of(request), server, "enable_backup", effect=enable)
    return json_response({"action": action}, status=201)


async def disable_backup(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/disable_backup: every backup of the server goes at once."""
    project = project_of(request)
    server = path_resource(request, SERVER.name)
    await read_body(request)
    sid = server["id"]
    project.ensure_unlocked(SERVER.name, sid)
    # "Caution: This immediately removes all existing backups for the Server!"
    for image_id in project.part(Backups).ids(sid):
        project.remove(IMAGE.name, image_id)

    def disable(current: Json) -> None:
        current["backup_window"] = None

    action = run(project, server, "disable_backup", effect=disable)
    return json_response({"action": action}, status=201)


def register(registry: Registry) -> None:
    """Add the server actions that make images and switch backups."""
    base = f"{SERVER.item_path}/actions"
    registry.routes(
        [
            web.post(f"{base}/create_image", create_image),
            web.post(f"{base}/enable_backup", enable_backup),
            web.post(f"{base}/disable_backup", disable_backup),
        ]
    )
