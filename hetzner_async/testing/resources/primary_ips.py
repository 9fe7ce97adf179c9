"""``/primary_ips``: create (in a location, or for a server), assign, unassign, PTR, protection.

The rules of https://docs.hetzner.cloud/reference/cloud#tag/primary-ips: an IP is assigned only
to a powered-off server in its location that has no IP of its type (``server_not_stopped``,
``server_has_ipv4``/``ipv6``, ``primary_ip_already_assigned``); it is unassigned only while
its server is off; it must be unassigned before it is deleted (``must_be_unassigned``); delete
protection needs ``auto_delete`` off. ``datacenter`` (deprecated) is still taken on create;
``assignee_type`` may be left out on create (optional since 2026-04-27:
https://docs.hetzner.cloud/changelog#2026-04-27-primary-ips-make-assignee_type-optional); an IP
assigned to nothing shows ``assignee_type: "unassigned"``. The links to servers (their
``public_net``, their create body, their deletion) live in ``primary_ip_links``.

Since 2026-10-05 a load balancer can be created on Primary IPs (``load_balancer_primary_ips``);
they stay its own for its lifetime, so ``assign`` and ``unassign`` refuse them (inferred: the
changelog says they cannot be changed after creation, not with which error; the fake answers
``422 unsupported_error``, the API's code for an action a resource does not support).
"""

from __future__ import annotations

import copy

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
from ..core.listing import equals
from ..core.registry import Commit
from ..errors import ApiError, invalid_input
from . import primary_ip_links
from .catalog import datacenter_in
from .ip_addresses import IP_TYPES, apply_dns_ptr, check_dns_ptr_body
from .primary_ip_links import PRIMARY_IP_KIND, Assignments, holder_of, new_primary_ip, set_holder
from .servers import SERVER

__all__ = ["PRIMARY_IP", "register"]

PRIMARY_IP = Kind(
    PRIMARY_IP_KIND,
    "primary_ips",
    first_id=5_000_001,
    title="primary IP",
    sortable=("id", "created"),
    protection=("delete",),
)


def _ip_type(body: Json) -> str:
    ip_type: str = require(body, "type", str)
    if ip_type not in IP_TYPES:
        raise invalid_input({"type": ["must be ipv4 or ipv6"]})
    return ip_type


def _assignee_type(body: Json, *, required: bool) -> None:
    assignee_type = (require if required else optional)(body, "assignee_type", str)
    if assignee_type == "load_balancer":
        raise invalid_input(
            {"assignee_type": ["a Load Balancer gets its Primary IPs only when it is created"]}
        )
    if assignee_type not in (None, "server"):
        raise invalid_input({"assignee_type": ["must be 'server'"]})


def _assignee(project: Project, body: Json, ip_type: str) -> Json:
    """Return the server an ``assignee_id`` names, if an IP of this type may be assigned to it."""
    sid = require(body, "assignee_id", int)
    server = project.tables[SERVER.name].get(sid)
    if server is None:
        raise invalid_input({"assignee_id": [f"server {sid} not found"]})
    project.refresh()
    if server["status"] != "off":
        raise ApiError(422, "server_not_stopped", f"server {sid} must be powered off")
    if ip_type in project.part(Assignments).of_server(sid):
        raise ApiError(422, f"server_has_{ip_type}", f"server {sid} already has an {ip_type}")
    project.ensure_unlocked(SERVER.name, sid)
    return server


def _place(project: Project, body: Json) -> tuple[Json, Json] | None:
    """Return the location and datacenter a create body names, if it names one."""
    location_ref = ref_field(body, "location")
    datacenter_ref = ref_field(body, "datacenter")
    if location_ref is not None and datacenter_ref is not None:
        raise invalid_input({"location": ["location and datacenter are mutually exclusive"]})
    if datacenter_ref is not None:
        datacenter = project.resolve("datacenter", datacenter_ref, "datacenter")
        location = project.resolve("location", datacenter["location"]["name"], "datacenter")
        return location, datacenter
    if location_ref is not None:
        location = project.resolve("location", location_ref, "location")
        return location, datacenter_in(project, location["name"])
    return None


def _assign_action(project: Project, ip: Json, sid: int) -> Json:
    """Start ``assign_primary_ip`` for an IP just assigned; a failure takes it back."""
    refs = [(SERVER.name, sid), (PRIMARY_IP.name, ip["id"])]

    def undo() -> None:
        if project.tables[PRIMARY_IP.name].get(ip["id"]) is ip and holder_of(ip) == (
            SERVER.name,
            sid,
        ):
            set_holder(project, ip, None)

    return project.start_action("assign_primary_ip", refs, on_error=undo, locks=refs)


async def create_primary_ip(request: web.Request) -> web.Response:
    """POST /primary_ips."""
    project = project_of(request)
    body = await read_body(request)
    name: str = require(body, "name", str)
    ip_type = _ip_type(body)
    _assignee_type(body, required=False)
    auto_delete: bool = optional(body, "auto_delete", bool, False)
    labels = valid_labels(body) or {}
    place = _place(project, body)
    server = None
    if body.get("assignee_id") is not None:
        server = _assignee(project, body, ip_type)
        if place is not None and place[0]["name"] != server["location"]["name"]:
            raise invalid_input({"location": ["must be the location of the assignee"]})
        place = (server["location"], server["datacenter"])
    elif place is None:
        raise invalid_input({"location": ["is required unless assignee_id is given"]})
    check_name(project, PRIMARY_IP, name)
    location, datacenter = (copy.deepcopy(part) for part in place)
    sid = None if server is None else server["id"]
    ip = new_primary_ip(
        project,
        name,
        ip_type,
        location,
        datacenter,
        assignee_id=sid,
        auto_delete=auto_delete,
        labels=labels,
    )
    reply: Json = {"primary_ip": ip}
    if sid is not None:
        # The spec's create response has an action only when the IP was assigned.
        reply["action"] = _assign_action(project, ip, sid)
    project.refresh()
    return json_response(reply, status=201)


def _update_auto_delete(project: Project, ip: Json, body: Json) -> Commit | None:
    auto_delete: bool | None = optional(body, "auto_delete", bool)
    if auto_delete is None:
        return None
    if auto_delete and ip["protection"]["delete"]:
        raise invalid_input({"auto_delete": ["a Primary IP protected against deletion"]})

    def commit() -> None:
        ip["auto_delete"] = auto_delete

    return commit


def _must_be_unassigned(project: Project, ip_id: int, ip: Json) -> None:
    # https://docs.hetzner.cloud/reference/cloud#tag/primary-ips/delete_primary_ip
    holder = holder_of(ip)
    if holder is not None:
        raise ApiError(
            422,
            "must_be_unassigned",
            f"primary IP {ip_id} is assigned to a {holder[0]}: unassign it",
        )


async def assign(request: web.Request) -> web.Response:
    """POST /primary_ips/{id}/actions/assign."""
    project = project_of(request)
    ip = path_resource(request, PRIMARY_IP.name)
    body = await read_body(request)
    _assignee_type(body, required=True)
    holder = holder_of(ip)
    if holder is not None:
        raise ApiError(
            422,
            "primary_ip_already_assigned",
            f"primary IP {ip['id']} is already assigned to {holder[0]} {holder[1]}",
        )
    server = _assignee(project, body, ip["type"])
    if server["location"]["name"] != ip["location"]["name"]:
        raise ApiError(
            422,
            "primary_ip_datacenter_mismatch",
            f"primary IP {ip['id']} is in {ip['location']['name']}, "
            f"server {server['id']} in {server['location']['name']}",
        )
    project.ensure_unlocked(PRIMARY_IP.name, ip["id"])
    set_holder(project, ip, (SERVER.name, server["id"]))
    action = _assign_action(project, ip, server["id"])
    project.refresh()
    return json_response({"action": action}, status=201)


async def unassign(request: web.Request) -> web.Response:
    """POST /primary_ips/{id}/actions/unassign: only while its server is off."""
    project = project_of(request)
    ip = path_resource(request, PRIMARY_IP.name)
    await read_body(request)
    ip_ref = (PRIMARY_IP.name, ip["id"])
    holder = holder_of(ip)
    refs = [ip_ref]
    if holder is not None and holder[0] != SERVER.name:
        raise ApiError(
            422,
            "unsupported_error",
            f"primary IP {ip['id']} stays assigned to {holder[0]} {holder[1]} until it is deleted",
        )
    sid = None if holder is None else holder[1]
    if sid is not None:
        server = project.tables[SERVER.name][sid]
        if server["status"] != "off":
            raise ApiError(422, "server_not_stopped", f"server {sid} must be powered off")
        refs.insert(0, (SERVER.name, sid))
    for ref in refs:
        project.ensure_unlocked(*ref)
    set_holder(project, ip, None)

    def undo() -> None:
        if sid is None or project.tables[PRIMARY_IP.name].get(ip["id"]) is not ip:
            return
        if ip["assignee_id"] is not None or sid not in project.tables[SERVER.name]:
            return
        if ip["type"] not in project.part(Assignments).of_server(sid):
            set_holder(project, ip, (SERVER.name, sid))

    action = project.start_action("unassign_primary_ip", refs, on_error=undo, locks=refs)
    project.refresh()
    return json_response({"action": action}, status=201)


async def change_dns_ptr(request: web.Request) -> web.Response:
    """POST /primary_ips/{id}/actions/change_dns_ptr: applied when the action ends."""
    project = project_of(request)
    ip = path_resource(request, PRIMARY_IP.name)
    body = await read_body(request)
    _, address, dns_ptr = check_dns_ptr_body(body, [ip])
    ref = (PRIMARY_IP.name, ip["id"])
    project.ensure_unlocked(*ref)

    def change() -> None:
        if project.tables[PRIMARY_IP.name].get(ip["id"]) is ip:
            apply_dns_ptr(ip["dns_ptr"], ip["type"], address, dns_ptr)
            project.touch(*ref, "dns_ptr")

    action = project.start_action("change_dns_ptr", [ref], on_success=change, locks=[ref])
    return json_response({"action": action}, status=201)


_generic_protection = protection_handler(PRIMARY_IP)


async def change_protection(request: web.Request) -> web.Response:
    """POST /primary_ips/{id}/actions/change_protection: delete protection needs no auto_delete."""
    ip = path_resource(request, PRIMARY_IP.name)
    body = await read_body(request)
    if body.get("delete") is True and ip["auto_delete"]:
        raise invalid_input(
            {"delete": ["a Primary IP with auto_delete can not be protected against deletion"]}
        )
    return await _generic_protection(request)


def register(registry: Registry) -> None:
    """Add Primary IPs, their routes, and their links to servers."""
    registry.kind(PRIMARY_IP)
    registry.before_delete(PRIMARY_IP.name, _must_be_unassigned)
    primary_ip_links.register(registry)
    item = PRIMARY_IP.item_path
    registry.routes(
        [
            web.get("/v1/primary_ips", list_handler(PRIMARY_IP, equals("ip"))),
            web.post("/v1/primary_ips", create_primary_ip),
            web.get(item, get_handler(PRIMARY_IP)),
            web.put(item, update_handler(PRIMARY_IP, _update_auto_delete)),
            web.delete(item, delete_handler(PRIMARY_IP)),
            web.post(f"{item}/actions/assign", assign),
            web.post(f"{item}/actions/unassign", unassign),
            web.post(f"{item}/actions/change_dns_ptr", change_dns_ptr),
            web.post(f"{item}/actions/change_protection", change_protection),
            *action_routes(PRIMARY_IP),
        ]
    )
