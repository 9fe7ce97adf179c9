"""``/networks``: private networks, their subnets, routes and range; generic list/get/delete.

A network's ``servers`` and ``load_balancers`` are derived from ``NetworkAddresses`` (the
attachments); deleting a network detaches them ("Attached resources will be detached
automatically"). The network actions take effect at once and lock the network while their
action runs: another change meanwhile answers ``409 conflict``, as the API documents for each
of them (https://docs.hetzner.cloud/reference/cloud#network-actions). An action that ends in
error (``fail_next_action``) puts the network back as it was, when nothing joined it since.
"""

from __future__ import annotations

import copy
from ipaddress import IPv4Network

from aiohttp import web

from ..core import (
    Commit,
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
    read_body,
    require,
    update_handler,
    valid_labels,
)
from ..errors import ApiError, invalid_input
from . import server_networks
from .network_addresses import NetworkAddresses
from .network_ranges import (
    Layout,
    changed_range,
    network_range,
    parse_range,
    route_entry,
    route_parts,
    subnet_entry,
)

__all__ = ["NETWORK", "register"]

NETWORK = Kind("network", "networks", first_id=7_000_001, protection=("delete",))


def _zones(project: Project) -> list[str]:
    """Return the network zones of the catalog's locations."""
    return sorted({loc["network_zone"] for loc in project.tables["location"].values()})


def _check_subnets(project: Project, network_id: int, subnets: list[Json], field: str) -> None:
    """All subnets share one zone; a vSwitch is coupled to one network only."""
    zones = {s["network_zone"] for s in subnets}
    if len(zones) > 1:
        # "All subnets within a Network also have to be from the same network zone"
        # (https://docs.hetzner.com/cloud/networks/faq).
        raise invalid_input({field: ["all subnets of a network must be in one network zone"]})
    seen: set[int] = set()
    for subnet in subnets:
        vswitch = subnet.get("vswitch_id")
        if vswitch is None:
            continue
        if vswitch in seen or _vswitch_used(project, vswitch, network_id):
            raise ApiError(422, "vswitch_id_already_used", f"vSwitch {vswitch} is already coupled")
        seen.add(vswitch)


def _vswitch_used(project: Project, vswitch: int, network_id: int) -> bool:
    # A vSwitch subnet is rare: a scan of the networks is fine here.
    return any(
        s.get("vswitch_id") == vswitch
        for nid, network in project.tables[NETWORK.name].items()
        if nid != network_id
        for s in network["subnets"]
    )


async def create_network(request: web.Request) -> web.Response:
    """POST /networks."""
    project = project_of(request)
    body = await read_body(request)
    name: str = require(body, "name", str)
    ip_range = network_range("ip_range", require(body, "ip_range", str))
    labels = valid_labels(body) or {}
    expose: bool = optional(body, "expose_routes_to_vswitch", bool, False)
    layout = Layout(ip_range)
    zones = _zones(project)
    subnets = [
        subnet_entry(raw, layout, zones, "subnets") for raw in optional(body, "subnets", list, [])
    ]
    _check_subnets(project, 0, subnets, "subnets")
    routes = [route_entry(raw, layout, "routes") for raw in optional(body, "routes", list, [])]
    check_name(project, NETWORK, name)
    nid = project.next_id(NETWORK.name)
    project.tables[NETWORK.name][nid] = {
        "id": nid,
        "name": name,
        "ip_range": str(ip_range),
        "subnets": subnets,
        "routes": routes,
        "servers": [],
        "load_balancers": [],
        "protection": {"delete": False},
        "labels": labels,
        "created": project.now_iso(),
        "expose_routes_to_vswitch": expose,
    }
    project.refresh()
    return json_response({"network": project.tables[NETWORK.name][nid]}, status=201)


def _refuse_while_changing(project: Project, network: Json) -> None:
    if project.locked(NETWORK.name, network["id"]):
        raise ApiError(409, "conflict", f"network {network['id']} is being changed, retry later")


def _update_extra(project: Project, network: Json, body: Json) -> Commit | None:
    _refuse_while_changing(project, network)
    expose: bool | None = optional(body, "expose_routes_to_vswitch", bool)
    if expose is None:
        return None

    def commit() -> None:
        network["expose_routes_to_vswitch"] = expose

    return commit


# --- actions ------------------------------------------------------------------------------------

_SHAPE = ("ip_range", "subnets", "routes")


def _start(project: Project, network: Json, command: str, before: Json) -> Json:
    """Start a network action that locks it; a failed one restores ``before`` if it still fits."""
    nid = network["id"]
    ref = (NETWORK.name, nid)
    project.touch(*ref, *_SHAPE)

    def restore() -> None:
        current = project.tables[NETWORK.name].get(nid)
        if current is None:
            return
        addresses = project.part(NetworkAddresses)
        old = [IPv4Network(s["ip_range"]) for s in before["subnets"]]
        for subnet in current["subnets"]:
            held = addresses.holders_in(nid, IPv4Network(subnet["ip_range"]))
            if held and IPv4Network(subnet["ip_range"]) not in old:
                return  # something joined the new subnet meanwhile: keep it
        current.update(copy.deepcopy(before))
        project.touch(*ref, *_SHAPE)

    return project.start_action(command, [ref], locks=[ref], on_error=restore)


async def _network_action(request: web.Request) -> tuple[Project, Json, Json, Json]:
    """Return the project, the network, the body and the network's shape before the change."""
    project = project_of(request)
    network = path_resource(request, NETWORK.name)
    body = await read_body(request)
    _refuse_while_changing(project, network)
    before = {key: copy.deepcopy(network[key]) for key in _SHAPE}
    return project, network, body, before


async def add_subnet(request: web.Request) -> web.Response:
    """POST /networks/{id}/actions/add_subnet."""
    project, network, body, before = await _network_action(request)
    layout = Layout.of(network)
    subnet = subnet_entry(body, layout, _zones(project))
    subnets = [*network["subnets"], subnet]
    _check_subnets(project, network["id"], subnets, "network_zone")
    network["subnets"] = subnets
    action = _start(project, network, "add_subnet", before)
    return json_response({"action": action}, status=201)


async def delete_subnet(request: web.Request) -> web.Response:
    """POST /networks/{id}/actions/delete_subnet: only while nothing is attached in it."""
    project, network, body, before = await _network_action(request)
    wanted = parse_range("ip_range", require(body, "ip_range", str))
    nid = network["id"]
    found = [s for s in network["subnets"] if IPv4Network(s["ip_range"]) == wanted]
    if not found:
        raise ApiError(404, "not_found", f"network {nid} has no subnet {wanted}")
    addresses = project.part(NetworkAddresses)
    if addresses.holders_in(nid, wanted):
        # The API's own words (terraform-provider-hcloud retries on this message).
        raise ApiError(
            422, "service_error", "cannot remove subnet because servers are attached to it"
        )
    network["subnets"] = [s for s in network["subnets"] if s is not found[0]]
    addresses.forget_subnet(nid, wanted)
    action = _start(project, network, "delete_subnet", before)
    return json_response({"action": action}, status=201)


async def add_route(request: web.Request) -> web.Response:
    """POST /networks/{id}/actions/add_route."""
    project, network, body, before = await _network_action(request)
    route = route_entry(body, Layout.of(network))
    network["routes"] = [*network["routes"], route]
    action = _start(project, network, "add_route", before)
    return json_response({"action": action}, status=201)


async def delete_route(request: web.Request) -> web.Response:
    """POST /networks/{id}/actions/delete_route."""
    project, network, body, before = await _network_action(request)
    destination, gateway = route_parts(body)
    wanted = {"destination": str(destination), "gateway": str(gateway)}
    if wanted not in network["routes"]:
        raise ApiError(
            404, "not_found", f"network {network['id']} has no route to {destination} via {gateway}"
        )
    network["routes"] = [r for r in network["routes"] if r != wanted]
    action = _start(project, network, "delete_route", before)
    return json_response({"action": action}, status=201)


async def change_ip_range(request: web.Request) -> web.Response:
    """POST /networks/{id}/actions/change_ip_range: the range only grows."""
    project, network, body, before = await _network_action(request)
    current = IPv4Network(network["ip_range"])
    grown = changed_range("ip_range", require(body, "ip_range", str), current)
    server_networks.check_no_overlap(project, network["id"], grown)
    network["ip_range"] = str(grown)
    action = _start(project, network, "change_ip_range", before)
    return json_response({"action": action}, status=201)


async def change_protection(request: web.Request) -> web.Response:
    """POST /networks/{id}/actions/change_protection."""
    project = project_of(request)
    network = path_resource(request, NETWORK.name)
    body = await read_body(request)
    delete: bool | None = optional(body, "delete", bool)
    _refuse_while_changing(project, network)
    if delete is not None:
        network["protection"]["delete"] = delete
    ref = (NETWORK.name, network["id"])
    project.touch(*ref, "protection")
    action = project.start_action("change_protection", [ref], locks=[ref])
    return json_response({"action": action}, status=201)


def register(registry: Registry) -> None:
    """Add networks, their routes, the attachments part and the server network actions."""
    registry.kind(NETWORK)
    registry.part(NetworkAddresses)
    registry.derive(NETWORK.name, lambda p, nid, n: p.part(NetworkAddresses).derive_network(nid, n))
    registry.on_delete(
        NETWORK.name, lambda p, nid, _: p.part(NetworkAddresses).release_network(nid)
    )
    registry.on_refresh(lambda p, everything: p.part(NetworkAddresses).refresh(everything))
    server_networks.register(registry)
    item = NETWORK.item_path
    actions = {
        "add_subnet": add_subnet,
        "delete_subnet": delete_subnet,
        "add_route": add_route,
        "delete_route": delete_route,
        "change_ip_range": change_ip_range,
        "change_protection": change_protection,
    }
    registry.routes(
        [
            web.get("/v1/networks", list_handler(NETWORK)),
            web.post("/v1/networks", create_network),
            web.get(item, get_handler(NETWORK)),
            web.put(item, update_handler(NETWORK, _update_extra)),
            web.delete(item, delete_handler(NETWORK)),
            *(web.post(f"{item}/actions/{name}", h) for name, h in actions.items()),
            *action_routes(NETWORK),
        ]
    )
