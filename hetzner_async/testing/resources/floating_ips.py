"""``/floating_ips``: create (homed in a location, or for a server), assign, unassign, PTR.

The rules of https://docs.hetzner.cloud/reference/cloud#tag/floating-ips: an IP is assigned to
one server at a time, in any location and whatever the server's status; assigning it to
another server moves it there (failover tools do just that), assigning it to the server it is
on answers ``floating_ip_assigned``. It must be unassigned before it is deleted
(``must_be_unassigned``). A Floating IP's ``server`` is the single source of truth; servers'
``public_net.floating_ips`` are derived from it, and a deleted server's IPs are unassigned.
"""

from __future__ import annotations

import copy

from aiohttp import web

from ..core import (
    Fields,
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
from ..core.registry import Commit
from ..errors import ApiError, invalid_input
from .ip_addresses import IP_TYPES, apply_dns_ptr, check_dns_ptr_body, initial_dns_ptr, new_address
from .servers import SERVER

__all__ = ["FLOATING_IP", "FloatingIPLinks", "register"]

FLOATING_IP = Kind(
    "floating_ip",
    "floating_ips",
    first_id=9_000_001,
    title="floating IP",
    sortable=("id", "created"),
    protection=("delete",),
)


class FloatingIPLinks:
    """Which Floating IPs each server has (a state part), kept current as IPs change."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.ips = project.tables[FLOATING_IP.name]
        self._of_server: dict[int, set[int]] = {}
        self._server_of: dict[int, int] = {}

    def of_server(self, server_id: int) -> list[int]:
        """Return the ids of the Floating IPs assigned to a server, lowest first."""
        if self.project.dirty:  # edited in place: the index may be behind
            self.refresh(everything=True)
        return sorted(self._of_server.get(server_id, ()))

    def changed(self, ip_id: int, fields: Fields) -> None:
        """Re-index an IP stored, removed or moved; mark the servers it left and joined."""
        if fields is not None and "server" not in fields:
            return
        old = self._server_of.pop(ip_id, None)
        if old is not None:
            ids = self._of_server.get(old)
            if ids is not None:
                ids.discard(ip_id)
                if not ids:
                    del self._of_server[old]
            self.project.mark_stale((SERVER.name, old))
        ip = self.ips.get(ip_id)
        if ip is not None and ip["server"] is not None:
            self._of_server.setdefault(ip["server"], set()).add(ip_id)
            self._server_of[ip_id] = ip["server"]
            self.project.mark_stale((SERVER.name, ip["server"]))

    def refresh(self, everything: bool) -> None:
        """After in-place edits (``dirty``), rebuild the index from the IPs."""
        if everything:
            self._of_server.clear()
            self._server_of.clear()
            for ip_id in list(self.ips):
                self.changed(ip_id, None)

    def derive(self, server_id: int, server: Json) -> None:
        """Set a server's ``public_net.floating_ips``."""
        server["public_net"]["floating_ips"] = sorted(self._of_server.get(server_id, ()))


def _server(project: Project, body: Json, field: str = "server") -> Json:
    sid = require(body, field, int)
    server = project.tables[SERVER.name].get(sid)
    if server is None:
        raise invalid_input({field: [f"server {sid} not found"]})
    return server


def _move(project: Project, ip: Json, sid: int | None) -> None:
    ip["server"] = sid
    project.touch(FLOATING_IP.name, ip["id"], "server")


def _action(project: Project, command: str, ip: Json, sid: int | None, before: int | None) -> Json:
    """Start an (un)assign action on the IP (and its server); a failure puts the IP back."""
    ip_ref = (FLOATING_IP.name, ip["id"])
    resources = [ip_ref] if sid is None else [(SERVER.name, sid), ip_ref]

    def undo() -> None:
        if project.tables[FLOATING_IP.name].get(ip["id"]) is ip and ip["server"] == sid:
            _move(project, ip, before if before in project.tables[SERVER.name] else None)

    return project.start_action(command, resources, on_error=undo, locks=[ip_ref])


async def create_floating_ip(request: web.Request) -> web.Response:
    """POST /floating_ips."""
    project = project_of(request)
    body = await read_body(request)
    ip_type: str = require(body, "type", str)
    if ip_type not in IP_TYPES:
        raise invalid_input({"type": ["must be ipv4 or ipv6"]})
    name: str | None = optional(body, "name", str)
    description: str | None = optional(body, "description", str)
    labels = valid_labels(body) or {}
    server = _server(project, body) if body.get("server") is not None else None
    location_ref = ref_field(body, "home_location")
    if location_ref is not None:
        home = project.resolve("location", location_ref, "home_location")
    elif server is not None:
        home = server["location"]
    else:
        raise invalid_input({"home_location": ["is required unless server is given"]})
    if name is not None:
        check_name(project, FLOATING_IP, name)
    fid = project.next_id(FLOATING_IP.name)
    address = new_address(ip_type, fid, floating=True)
    ip = {
        "id": fid,
        # Without a name, the API names it after its id.
        "name": name if name is not None else str(fid),
        "description": description,
        "ip": address,
        "type": ip_type,
        "server": None if server is None else server["id"],
        "dns_ptr": initial_dns_ptr(ip_type, address),
        "home_location": copy.deepcopy(home),
        "blocked": False,
        "protection": {"delete": False},
        "labels": labels,
        "created": project.now_iso(),
    }
    project.tables[FLOATING_IP.name][fid] = ip
    reply: Json = {"floating_ip": ip}
    if server is not None:
        # The spec's create response has an action only when the IP was assigned.
        reply["action"] = _action(project, "assign_floating_ip", ip, server["id"], None)
    project.refresh()
    return json_response(reply, status=201)


def _update_description(project: Project, ip: Json, body: Json) -> Commit | None:
    if "description" not in body:
        return None
    description: str | None = optional(body, "description", str)

    def commit() -> None:
        ip["description"] = description

    return commit


def _must_be_unassigned(project: Project, ip_id: int, ip: Json) -> None:
    # https://docs.hetzner.cloud/reference/cloud#tag/floating-ips/delete_floating_ip
    if ip["server"] is not None:
        raise ApiError(
            422, "must_be_unassigned", f"floating IP {ip_id} is assigned to a server: unassign it"
        )


async def assign(request: web.Request) -> web.Response:
    """POST /floating_ips/{id}/actions/assign: to a server, or from one server to another."""
    project = project_of(request)
    ip = path_resource(request, FLOATING_IP.name)
    body = await read_body(request)
    server = _server(project, body)
    if ip["server"] == server["id"]:
        raise ApiError(
            422, "floating_ip_assigned", f"floating IP {ip['id']} is already on that server"
        )
    project.ensure_unlocked(FLOATING_IP.name, ip["id"])
    before = ip["server"]
    _move(project, ip, server["id"])
    action = _action(project, "assign_floating_ip", ip, server["id"], before)
    project.refresh()
    return json_response({"action": action}, status=201)


async def unassign(request: web.Request) -> web.Response:
    """POST /floating_ips/{id}/actions/unassign (an IP on no server: nothing to do)."""
    project = project_of(request)
    ip = path_resource(request, FLOATING_IP.name)
    await read_body(request)
    project.ensure_unlocked(FLOATING_IP.name, ip["id"])
    before = ip["server"]
    _move(project, ip, None)
    ip_ref = (FLOATING_IP.name, ip["id"])
    resources = [ip_ref] if before is None else [(SERVER.name, before), ip_ref]

    def undo() -> None:
        stored = project.tables[FLOATING_IP.name].get(ip["id"]) is ip
        if stored and ip["server"] is None and before in project.tables[SERVER.name]:
            _move(project, ip, before)

    action = project.start_action("unassign_floating_ip", resources, on_error=undo, locks=[ip_ref])
    project.refresh()
    return json_response({"action": action}, status=201)


async def change_dns_ptr(request: web.Request) -> web.Response:
    """POST /floating_ips/{id}/actions/change_dns_ptr: applied when the action ends."""
    project = project_of(request)
    ip = path_resource(request, FLOATING_IP.name)
    body = await read_body(request)
    _, address, dns_ptr = check_dns_ptr_body(body, [ip])
    ref = (FLOATING_IP.name, ip["id"])
    project.ensure_unlocked(*ref)

    def change() -> None:
        if project.tables[FLOATING_IP.name].get(ip["id"]) is ip:
            apply_dns_ptr(ip["dns_ptr"], ip["type"], address, dns_ptr)
            project.touch(*ref, "dns_ptr")

    action = project.start_action("change_dns_ptr", [ref], on_success=change, locks=[ref])
    return json_response({"action": action}, status=201)


def _unassign_on_delete(project: Project, server_id: int, server: Json) -> None:
    """Unassign a deleted server's Floating IPs (they stay in the project)."""
    for ip_id in project.part(FloatingIPLinks).of_server(server_id):
        _move(project, project.tables[FLOATING_IP.name][ip_id], None)


def register(registry: Registry) -> None:
    """Add Floating IPs, their routes, and their part in servers' ``public_net``."""
    registry.kind(FLOATING_IP)
    registry.part(FloatingIPLinks)
    registry.before_delete(FLOATING_IP.name, _must_be_unassigned)
    links = FloatingIPLinks
    registry.on_change(FLOATING_IP.name, lambda p, fid, f: p.part(links).changed(fid, f))
    registry.on_refresh(lambda p, everything: p.part(links).refresh(everything))
    registry.derive(SERVER.name, lambda p, sid, server: p.part(links).derive(sid, server))
    registry.on_delete(SERVER.name, _unassign_on_delete)
    item = FLOATING_IP.item_path
    registry.routes(
        [
            web.get("/v1/floating_ips", list_handler(FLOATING_IP)),
            web.post("/v1/floating_ips", create_floating_ip),
            web.get(item, get_handler(FLOATING_IP)),
            web.put(item, update_handler(FLOATING_IP, _update_description)),
            web.delete(item, delete_handler(FLOATING_IP)),
            web.post(f"{item}/actions/assign", assign),
            web.post(f"{item}/actions/unassign", unassign),
            web.post(f"{item}/actions/change_dns_ptr", change_dns_ptr),
            web.post(f"{item}/actions/change_protection", protection_handler(FLOATING_IP)),
            *action_routes(FLOATING_IP),
        ]
    )
