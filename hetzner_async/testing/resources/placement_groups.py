"""``/placement_groups``, and the servers' side: joining, leaving, and ``server.placement_group``.

A group's ``servers`` list is the single source of truth; each server's ``placement_group`` (the
group as an object, or ``null``) is derived from it. A ``spread`` group holds at most 10
servers (https://docs.hetzner.cloud/reference/cloud#tag/placement-groups): a server joins at
creation (``placement_group`` in ``POST /servers``; a full group answers ``placement_error``)
or, while it is off, through ``add_to_placement_group``; it is in at most one group. A deleted
server leaves its group; a deleted group lets its servers go.
"""

from __future__ import annotations

from aiohttp import web

from ..core import (
    Creation,
    Fields,
    Json,
    Kind,
    Project,
    Registry,
    check_name,
    delete_handler,
    get_handler,
    json_response,
    list_handler,
    path_resource,
    project_of,
    read_body,
    require,
    update_handler,
    valid_labels,
)
from ..core.listing import one_of
from ..core.registry import Commit
from ..errors import ApiError, invalid_input
from .servers import SERVER

__all__ = ["PLACEMENT_GROUP", "SPREAD_LIMIT", "Placements", "register"]

PLACEMENT_GROUP = Kind("placement_group", "placement_groups", first_id=6_000_001)
TYPES = ("spread",)
#: The most servers a ``spread`` group holds (one per host).
SPREAD_LIMIT = 10


class Placements:
    """Which group each server is in (a state part), kept current as groups change."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.groups = project.tables[PLACEMENT_GROUP.name]
        self._group_of: dict[int, int] = {}
        self._members: dict[int, tuple[int, ...]] = {}

    def group_of(self, server_id: int) -> Json | None:
        """Return the group a server is in, if any."""
        gid = self._group_of.get(server_id)
        return None if gid is None else self.groups.get(gid)

    def changed(self, group_id: int, fields: Fields) -> None:
        """Re-index a group stored, removed or changed; its servers show it, so mark them."""
        before = self._members.pop(group_id, ())
        for sid in before:
            if self._group_of.get(sid) == group_id:
                del self._group_of[sid]
        group = self.groups.get(group_id)
        after = tuple(group["servers"]) if group is not None else ()
        if group is not None:
            self._members[group_id] = after
            for sid in after:
                self._group_of[sid] = group_id
        for sid in {*before, *after}:
            self.project.mark_stale((SERVER.name, sid))

    def refresh(self, everything: bool) -> None:
        """After in-place edits (``dirty``), rebuild the index from the groups."""
        if everything:
            self._group_of.clear()
            self._members.clear()
            for gid in list(self.groups):
                self.changed(gid, None)

    def derive(self, server_id: int, server: Json) -> None:
        """Set a server's ``placement_group``."""
        group = self.group_of(server_id)
        server["placement_group"] = (
            None
            if group is None
            else {**group, "labels": dict(group["labels"]), "servers": list(group["servers"])}
        )


def _join(project: Project, group: Json, server_id: int) -> None:
    group["servers"].append(server_id)
    project.touch(PLACEMENT_GROUP.name, group["id"], "servers")


def _leave(project: Project, group: Json, server_id: int) -> None:
    group["servers"] = [sid for sid in group["servers"] if sid != server_id]
    project.touch(PLACEMENT_GROUP.name, group["id"], "servers")


def _check_room(group: Json) -> None:
    if group["type"] == "spread" and len(group["servers"]) >= SPREAD_LIMIT:
        raise ApiError(
            422,
            "placement_error",
            f"placement group {group['id']} already holds {SPREAD_LIMIT} servers",
        )


async def create_placement_group(request: web.Request) -> web.Response:
    """POST /placement_groups."""
    project = project_of(request)
    body = await read_body(request)
    name: str = require(body, "name", str)
    group_type: str = require(body, "type", str)
    if group_type not in TYPES:
        raise invalid_input({"type": [f"must be one of {', '.join(TYPES)}"]})
    labels = valid_labels(body) or {}
    check_name(project, PLACEMENT_GROUP, name)
    gid = project.next_id(PLACEMENT_GROUP.name)
    group = {
        "id": gid,
        "name": name,
        "labels": labels,
        "type": group_type,
        "created": project.now_iso(),
        "servers": [],
    }
    project.tables[PLACEMENT_GROUP.name][gid] = group
    return json_response({"placement_group": group, "action": None}, status=201)


async def add_to_placement_group(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/add_to_placement_group: only while the server is off."""
    project = project_of(request)
    server = path_resource(request, SERVER.name)
    body = await read_body(request)
    ref = require(body, "placement_group", (int, str))
    group = project.resolve(PLACEMENT_GROUP.name, ref, "placement_group")
    project.refresh()
    sid = server["id"]
    if server["status"] != "off":
        raise ApiError(422, "server_not_stopped", f"server {sid} must be powered off")
    current = project.part(Placements).group_of(sid)
    if current is not None:
        raise ApiError(
            422,
            "already_in_placement_group",
            f"server {sid} is already in placement group {current['id']}",
        )
    _check_room(group)
    server_ref = (SERVER.name, sid)
    project.ensure_unlocked(*server_ref)
    _join(project, group, sid)

    def undo() -> None:
        if project.tables[PLACEMENT_GROUP.name].get(group["id"]) is group:
            _leave(project, group, sid)

    action = project.start_action(
        "add_to_placement_group", [server_ref], on_error=undo, locks=[server_ref]
    )
    project.refresh()
    return json_response({"action": action}, status=201)


async def remove_from_placement_group(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/remove_from_placement_group (a server in none: nothing to do)."""
    project = project_of(request)
    server = path_resource(request, SERVER.name)
    await read_body(request)
    project.refresh()
    sid = server["id"]
    server_ref = (SERVER.name, sid)
    project.ensure_unlocked(*server_ref)
    group = project.part(Placements).group_of(sid)
    if group is not None:
        _leave(project, group, sid)

    def undo() -> None:
        # Back into the group, if it is still there and the server could join it.
        if group is None or project.tables[PLACEMENT_GROUP.name].get(group["id"]) is not group:
            return
        if sid not in project.tables[SERVER.name] or len(group["servers"]) >= SPREAD_LIMIT:
            return
        if project.part(Placements).group_of(sid) is None:
            _join(project, group, sid)

    action = project.start_action(
        "remove_from_placement_group", [server_ref], on_error=undo, locks=[server_ref]
    )
    project.refresh()
    return json_response({"action": action}, status=201)


# --- hooks ------------------------------------------------------------------------------------


def _join_on_create(project: Project, creation: Creation) -> Commit | None:
    """Check a new server's ``placement_group``; once the server is stored, it joins."""
    ref = creation.body.get("placement_group")
    if ref is None:
        return None
    if isinstance(ref, bool) or not isinstance(ref, (int, str)):
        raise invalid_input({"placement_group": ["must be the ID of a placement group"]})
    group = project.resolve(PLACEMENT_GROUP.name, ref, "placement_group")
    _check_room(group)

    def commit() -> None:
        _join(project, group, creation.resource["id"])

    return commit


def _leave_on_delete(project: Project, server_id: int, server: Json) -> None:
    placements = project.part(Placements)
    if project.dirty:  # edited in place: the index may be behind
        placements.refresh(everything=True)
    group = placements.group_of(server_id)
    if group is not None:
        _leave(project, group, server_id)


def register(registry: Registry) -> None:
    """Add placement groups, their routes, and their part in servers' lives."""
    registry.kind(PLACEMENT_GROUP)
    registry.part(Placements)
    registry.on_change(PLACEMENT_GROUP.name, lambda p, gid, f: p.part(Placements).changed(gid, f))
    registry.on_refresh(lambda p, everything: p.part(Placements).refresh(everything))
    registry.derive(SERVER.name, lambda p, sid, server: p.part(Placements).derive(sid, server))
    registry.on_create(SERVER.name, ("placement_group",), _join_on_create)
    registry.on_delete(SERVER.name, _leave_on_delete)
    item = PLACEMENT_GROUP.item_path
    server_actions = f"{SERVER.item_path}/actions"
    registry.routes(
        [
            web.get("/v1/placement_groups", list_handler(PLACEMENT_GROUP, one_of("type", TYPES))),
            web.post("/v1/placement_groups", create_placement_group),
            web.get(item, get_handler(PLACEMENT_GROUP)),
            web.put(item, update_handler(PLACEMENT_GROUP)),
            web.delete(item, delete_handler(PLACEMENT_GROUP)),
            web.post(f"{server_actions}/add_to_placement_group", add_to_placement_group),
            web.post(f"{server_actions}/remove_from_placement_group", remove_from_placement_group),
        ]
    )
