"""``/volumes``: create, attach, detach, resize; generic list, get, update, delete, protection.

A volume's ``server`` is the single source of truth; servers' ``volumes``, the ``volumes`` of a
server's create body and the clean-up after a server's deletion live in ``volume_links``.
https://docs.hetzner.cloud/reference/cloud#volumes
"""

from __future__ import annotations

import copy
import re

from aiohttp import web

from ..core import (
    Json,
    Kind,
    Project,
    Registry,
    action_routes,
    check_name,
    delete_handler,
    get_handler,
    json_response,
    list_handler,
    optional,
    path_resource,
    project_of,
    protection_handler,
    read_body,
    ref_field,
    require,
    update_handler,
    valid_labels,
)
from ..core.listing import one_of
from ..errors import ApiError, invalid_input
from . import volume_links
from .volume_links import VolumeLinks, attach_action, check_attachable

__all__ = ["FORMATS", "MAX_SIZE", "MIN_SIZE", "STATUSES", "VOLUME", "register"]

#: "The minimum Volume size is 10GB and the maximum size is 10TB (10240GB)."
MIN_SIZE = 10
MAX_SIZE = 10240
FORMATS = ("xfs", "ext4")
STATUSES = ("creating", "available")
# "alphanumeric characters, dashes, underscores, and dots, but has to start and end with an
# alphanumeric character. The total length is limited to 64 characters."
_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$")


def _name_problem(name: str) -> str | None:
    if _NAME.match(name):
        return None
    return (
        "must be 1 to 64 letters, digits, '-', '_' or '.', starting and ending with a letter "
        "or digit"
    )


VOLUME = Kind(
    "volume", "volumes", first_id=8_000_001, check_name=_name_problem, protection=("delete",)
)
SERVER = "server"


def _server(project: Project, server_id: int, field: str) -> Json:
    server = project.tables[SERVER].get(server_id)
    if server is None:
        raise invalid_input({field: [f"server {server_id} not found"]})
    return server


def _size(body: Json, floor: int) -> int:
    """Return the body's ``size`` in GB: whole, above ``floor`` (a volume never shrinks)."""
    size = require(body, "size", (int, float))
    if size != int(size):
        raise invalid_input({"size": ["must be a whole number of GB"]})
    if not floor < size <= MAX_SIZE:
        low = "greater than the current size" if floor >= MIN_SIZE else f"at least {MIN_SIZE}"
        raise invalid_input({"size": [f"must be {low} and at most {MAX_SIZE} GB"]})
    return int(size)


def _location(project: Project, body: Json, server: Json | None) -> Json:
    """Return the location a new volume is made in: the given one, else its server's."""
    ref = ref_field(body, "location")
    if ref is None:
        if server is None:
            raise invalid_input({"location": ["give a location, or a server to attach to"]})
        location: Json = server["location"]
        return location
    location = project.resolve("location", ref, "location")
    if server is not None and location["name"] != server["location"]["name"]:
        raise invalid_input({"location": ["the server is in another location"]})
    return location


async def create_volume(request: web.Request) -> web.Response:
    """POST /volumes: ``creating`` until its ``create_volume`` action ends, then attached."""
    project = project_of(request)
    body = await read_body(request)
    name: str = require(body, "name", str)
    size = _size(body, MIN_SIZE - 1)
    labels = valid_labels(body) or {}
    fmt: str | None = optional(body, "format", str)
    if fmt is not None and fmt not in FORMATS:
        raise invalid_input({"format": [f"must be one of {', '.join(FORMATS)}"]})
    automount: bool | None = optional(body, "automount", bool)
    server_id: int | None = optional(body, "server", int)
    server = None if server_id is None else _server(project, server_id, "server")
    if automount and server is None:
        raise invalid_input({"automount": ["mounts after attaching: server must be provided"]})
    location = _location(project, body, server)
    check_name(project, VOLUME, name)
    if server is not None:
        project.ensure_unlocked(SERVER, server["id"])
    project.part(VolumeLinks).check_space(location["name"], size)

    vid = project.next_id(VOLUME.name)
    volume = {
        "id": vid,
        "created": project.now_iso(),
        "name": name,
        "server": None,
        "location": copy.deepcopy(location),
        "size": size,
        "linux_device": f"/dev/disk/by-id/scsi-0HC_Volume_{vid}",
        "protection": {"delete": False},
        "labels": labels,
        "status": "creating",
        "format": fmt,
    }
    project.tables[VOLUME.name][vid] = volume

    def available() -> None:
        current = project.tables[VOLUME.name].get(vid)
        if current is not None:
            current["status"] = "available"
            project.touch(VOLUME.name, vid, "status")

    ref = (VOLUME.name, vid)
    refs = [ref] if server is None else [(SERVER, server["id"]), ref]
    action = project.start_action("create_volume", refs, on_success=available, locks=[ref])
    # "the `next_actions` key in the response is an array which contains a single
    # `attach_volume` action" (https://docs.hetzner.cloud/reference/cloud#volumes-create-a-volume)
    next_actions = []
    if server is not None:
        next_actions.append(attach_action(project, vid, server["id"], after=action))
    return json_response(
        {"volume": volume, "action": action, "next_actions": next_actions}, status=201
    )


async def attach(request: web.Request) -> web.Response:
    """POST /volumes/{id}/actions/attach: to one server, in the volume's location."""
    project = project_of(request)
    volume = path_resource(request, VOLUME.name)
    body = await read_body(request)
    server_id: int = require(body, "server", int)
    optional(body, "automount", bool)
    server = _server(project, server_id, "server")
    check_attachable(project, volume, server, "server")
    project.ensure_unlocked(SERVER, server_id)
    action = attach_action(project, volume["id"], server_id)
    return json_response({"action": action}, status=201)


def _not_attached(volume: Json) -> ApiError:
    return ApiError(
        422, "service_error", f"volume with ID '{volume['id']}' is not attached to a server"
    )


async def detach(request: web.Request) -> web.Response:
    """POST /volumes/{id}/actions/detach: the volume is free when the action ends."""
    project = project_of(request)
    volume = path_resource(request, VOLUME.name)
    await read_body(request)
    vid = volume["id"]
    project.ensure_unlocked(VOLUME.name, vid)
    server_id: int | None = volume["server"]
    if server_id is None:
        raise _not_attached(volume)
    project.ensure_unlocked(SERVER, server_id)

    def detached() -> None:
        current = project.tables[VOLUME.name].get(vid)
        if current is not None and current["server"] == server_id:
            current["server"] = None
            project.touch(VOLUME.name, vid, "server")

    refs = [(SERVER, server_id), (VOLUME.name, vid)]
    action = project.start_action("detach_volume", refs, on_success=detached, locks=refs)
    return json_response({"action": action}, status=201)


async def resize(request: web.Request) -> web.Response:
    """POST /volumes/{id}/actions/resize: only ever larger; the new size shows when it ends."""
    project = project_of(request)
    volume = path_resource(request, VOLUME.name)
    body = await read_body(request)
    vid = volume["id"]
    size = _size(body, int(volume["size"]))
    project.ensure_unlocked(VOLUME.name, vid)

    def grown() -> None:
        current = project.tables[VOLUME.name].get(vid)
        if current is not None:
            current["size"] = size
            project.touch(VOLUME.name, vid, "size")

    ref = (VOLUME.name, vid)
    action = project.start_action("resize_volume", [ref], on_success=grown, locks=[ref])
    return json_response({"action": action}, status=201)


def _refuse_while_attached(project: Project, volume_id: int, volume: Json) -> None:
    # The spec documents no error for this; the real API answers ``service_error`` with "volume
    # with ID '…' is still attached to a server" (hetznercloud/csi-driver#12 shows it).
    if volume["server"] is not None:
        raise ApiError(
            422, "service_error", f"volume with ID '{volume_id}' is still attached to a server"
        )


def register(registry: Registry) -> None:
    """Add volumes, their routes, and the links between volumes and servers."""
    registry.kind(VOLUME)
    registry.before_delete(VOLUME.name, _refuse_while_attached)
    volume_links.register(registry)
    item = VOLUME.item_path
    registry.routes(
        [
            web.get("/v1/volumes", list_handler(VOLUME, one_of("status", STATUSES))),
            web.post("/v1/volumes", create_volume),
            web.get(item, get_handler(VOLUME)),
            web.put(item, update_handler(VOLUME)),
            web.delete(item, delete_handler(VOLUME)),
            web.post(f"{item}/actions/attach", attach),
            web.post(f"{item}/actions/detach", detach),
            web.post(f"{item}/actions/resize", resize),
            web.post(f"{item}/actions/change_protection", protection_handler(VOLUME)),
            *action_routes(VOLUME),
        ]
    )
