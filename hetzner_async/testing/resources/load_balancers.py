"""``/load_balancers``: create (with services, targets, a network), list, get, update, delete.

The other operations live beside: services (``load_balancer_services``), targets
(``load_balancer_targets``), networks (``load_balancer_networks``), the load balancer's own
actions (``load_balancer_actions``) and metrics (``load_balancer_metrics``); the index of
targets, their health and servers' ``load_balancers`` in ``load_balancer_links``; Primary IPs
given on create (``public_net``, since 2026-10-05) in ``load_balancer_primary_ips``.
https://docs.hetzner.cloud/reference/cloud#load-balancers
"""

from __future__ import annotations

import copy
import ipaddress

from aiohttp import web

from ..core import (
    Json,
    Project,
    Registry,
    action_routes,
    check_name,
    delete_handler,
    get_handler,
    json_response,
    list_handler,
    optional,
    project_of,
    protection_handler,
    read_body,
    ref_field,
    require,
    update_handler,
    valid_labels,
)
from ..errors import ApiError, invalid_input
from . import load_balancer_links, load_balancer_networks, load_balancer_primary_ips
from .certificates import CertificateUsers
from .load_balancer_actions import (
    change_algorithm,
    change_dns_ptr,
    change_type,
    default_dns_ptr,
    disable_public_interface,
    enable_public_interface,
    parse_algorithm,
)
from .load_balancer_base import LOAD_BALANCER
from .load_balancer_metrics import get_metrics
from .load_balancer_networks import (
    attach_to_network,
    detach_from_network,
    network_for_create,
    plan_on_create,
    store_on_create,
)
from .load_balancer_primary_ips import assign_on_create, plan_public_net
from .load_balancer_services import (
    add_service,
    check_new_service,
    delete_service,
    parse_service,
    sync_certificates,
    update_service,
)
from .load_balancer_targets import add_target, check_new_targets, parse_target, remove_target

__all__ = ["LOAD_BALANCER", "register"]

#: Where load balancers' public addresses come from, apart from servers' (100.64.0.0 up, and
#: /64 networks in 2001:db8::/44); all of them count as the cloud's for IP targets.
_IPV4_BASE = ipaddress.IPv4Address("100.112.0.0")
_IPV6_BASE = ipaddress.IPv6Address("2001:db8:ffff::")


def _location(project: Project, body: Json, network: Json | None) -> Json:
    """Return the location a create body names: itself, by its network zone, or its network's."""
    ref = ref_field(body, "location")
    zone: str | None = optional(body, "network_zone", str)
    if ref is not None:
        location = project.resolve("location", ref, "location")
        if zone is not None and location["network_zone"] != zone:
            raise invalid_input({"network_zone": [f"{location['name']} is not in {zone}"]})
        return location
    if zone is None and network is not None and network["subnets"]:
        zone = network["subnets"][0]["network_zone"]
    if zone is None:
        raise invalid_input({"location": ["location or network_zone is required"]})
    in_zone = [
        loc for _, loc in sorted(project.tables["location"].items()) if loc["network_zone"] == zone
    ]
    if not in_zone:
        raise invalid_input({"network_zone": [f"unknown network zone {zone!r}"]})
    return in_zone[0]


def _public_net(lb_id: int, enabled: bool) -> Json:
    n = lb_id % 1_000_000
    ipv4 = str(_IPV4_BASE + n)
    ipv6 = str(_IPV6_BASE + n)
    return {
        "enabled": enabled,
        "ipv4": {"ip": ipv4, "dns_ptr": default_dns_ptr(ipv4)},
        "ipv6": {"ip": ipv6, "dns_ptr": default_dns_ptr(ipv6)},
    }


def _draft(project: Project, name: str, lb_type: Json, location: Json) -> Json:
    """Return a new load balancer as the API shows it, without its id and addresses yet."""
    price = next(p for p in lb_type["prices"] if p["location"] == location["name"])
    return {
        "id": 0,
        "name": name,
        "public_net": _public_net(0, True),
        "private_net": [],
        "location": copy.deepcopy(location),
        "load_balancer_type": copy.deepcopy(lb_type),
        "protection": {"delete": False},
        "labels": {},
        "created": project.now_iso(),
        "services": [],
        "targets": [],
        "algorithm": {"type": "round_robin"},
        "outgoing_traffic": 0,
        "ingoing_traffic": 0,
        "included_traffic": price["included_traffic"],
    }


async def create_load_balancer(request: web.Request) -> web.Response:
    """POST /load_balancers."""
    project = project_of(request)
    body = await read_body(request)
    name: str = require(body, "name", str)
    type_ref = ref_field(body, "load_balancer_type", required=True)
    lb_type = project.resolve("load_balancer_type", type_ref, "load_balancer_type")
    network = network_for_create(project, body)
    location = _location(project, body, network)
    primary_ips = plan_public_net(project, body, location)
    algorithm: Json = optional(body, "algorithm", dict, {"type": "round_robin"})
    labels = valid_labels(body) or {}
    public_interface: bool = optional(body, "public_interface", bool, True)
    lb = _draft(project, name, lb_type, location)
    lb["algorithm"] = {"type": parse_algorithm(algorithm.get("type"), "algorithm.type")}
    lb["labels"] = labels
    lb["public_net"]["enabled"] = public_interface
    planned = None if network is None else plan_on_create(project, lb, network)
    if not public_interface and planned is None:
        raise ApiError(
            422,
            "load_balancer_not_attached_to_network",
            "a Load Balancer without public interface needs a network",
        )
    for index, raw in enumerate(optional(body, "services", list, [])):
        service = parse_service(project, raw, f"services[{index}].")
        check_new_service(lb_type, lb["services"], service, 412)
        lb["services"].append(service)
    targets = [
        parse_target(raw, f"targets[{index}].")
        for index, raw in enumerate(optional(body, "targets", list, []))
    ]
    check_new_targets(project, lb, targets, set() if planned is None else {planned.network})
    check_name(project, LOAD_BALANCER, name)

    lb_id = lb["id"] = project.next_id(LOAD_BALANCER.name)
    lb["public_net"] = _public_net(lb_id, public_interface)
    lb["targets"] = targets
    project.tables[LOAD_BALANCER.name][lb_id] = lb
    assign_on_create(project, primary_ips, lb_id)
    sync_certificates(project, lb)
    ref = (LOAD_BALANCER.name, lb_id)
    resources = [ref]
    if planned is not None:
        store_on_create(project, planned, lb_id)
        resources.append(("network", planned.network))
    action = project.start_action("create_load_balancer", resources, locks=[ref])
    project.refresh()
    return json_response({"load_balancer": lb, "action": action}, status=201)


def register(registry: Registry) -> None:
    """Add load balancers: their kind, routes, and the links to the servers they target."""
    registry.kind(LOAD_BALANCER)
    registry.on_delete(
        LOAD_BALANCER.name,
        lambda p, lb_id, lb: p.part(CertificateUsers).release_all(LOAD_BALANCER.name, lb_id),
    )
    load_balancer_networks.register(registry)
    load_balancer_links.register(registry)
    load_balancer_primary_ips.register(registry)
    item = LOAD_BALANCER.item_path
    actions = f"{item}/actions"
    registry.routes(
        [
            web.get("/v1/load_balancers", list_handler(LOAD_BALANCER)),
            web.post("/v1/load_balancers", create_load_balancer),
            web.get(item, get_handler(LOAD_BALANCER)),
            web.put(item, update_handler(LOAD_BALANCER)),
            # The API tracks the delete with an action since 2026-10-05 (our spec predates it):
            # https://docs.hetzner.cloud/changelog#2026-10-05-load-balancers-can-use-existing-primary-ips
            web.delete(item, delete_handler(LOAD_BALANCER, command="delete_load_balancer")),
            web.get(f"{item}/metrics", get_metrics),
            web.post(f"{actions}/add_service", add_service),
            web.post(f"{actions}/update_service", update_service),
            web.post(f"{actions}/delete_service", delete_service),
            web.post(f"{actions}/add_target", add_target),
            web.post(f"{actions}/remove_target", remove_target),
            web.post(f"{actions}/attach_to_network", attach_to_network),
            web.post(f"{actions}/detach_from_network", detach_from_network),
            web.post(f"{actions}/change_algorithm", change_algorithm),
            web.post(f"{actions}/change_type", change_type),
            web.post(f"{actions}/change_dns_ptr", change_dns_ptr),
            web.post(f"{actions}/change_protection", protection_handler(LOAD_BALANCER)),
            web.post(f"{actions}/enable_public_interface", enable_public_interface),
            web.post(f"{actions}/disable_public_interface", disable_public_interface),
            *action_routes(LOAD_BALANCER),
        ]
    )
