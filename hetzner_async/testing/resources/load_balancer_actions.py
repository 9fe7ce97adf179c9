"""Load balancer actions on the load balancer itself: algorithm, type, reverse DNS, interface.

``add/update/delete_service`` live in ``load_balancer_services``, ``add/remove_target`` in
``load_balancer_targets``, the networks in ``load_balancer_networks`` and ``change_protection``
is the core's generic handler.
https://docs.hetzner.cloud/reference/cloud#load-balancer-actions
"""

from __future__ import annotations

import copy
import ipaddress

from aiohttp import web

from ..core import (
    Json,
    json_response,
    optional,
    path_resource,
    project_of,
    read_body,
    ref_field,
    require,
)
from ..errors import ApiError, invalid_input
from .ip_addresses import default_dns_ptr as ipv4_dns_ptr
from .load_balancer_base import LOAD_BALANCER, private_ip, run
from .load_balancer_networks import networks_of
from .load_balancer_primary_ips import set_dns_ptr
from .load_balancer_services import certificate_ids

__all__ = [
    "ALGORITHMS",
    "change_algorithm",
    "change_dns_ptr",
    "change_type",
    "default_dns_ptr",
    "disable_public_interface",
    "enable_public_interface",
    "parse_algorithm",
]

ALGORITHMS = ("round_robin", "least_connections")
_MAX_DNS_PTR = 255


def parse_algorithm(raw: object, field: str = "type") -> str:
    """Return the algorithm type a request names."""
    if raw not in ALGORITHMS:
        raise invalid_input({field: [f"must be one of {', '.join(ALGORITHMS)}"]})
    assert isinstance(raw, str)
    return raw


def default_dns_ptr(ip: str) -> str | None:
    """Return the reverse DNS entry an address has by default (IPv6 has none)."""
    return None if ":" in ip else ipv4_dns_ptr(ip)


async def change_algorithm(request: web.Request) -> web.Response:
    """POST /load_balancers/{id}/actions/change_algorithm."""
    project = project_of(request)
    lb = path_resource(request, LOAD_BALANCER.name)
    body = await read_body(request)
    algorithm = parse_algorithm(require(body, "type", str))
    project.ensure_unlocked(LOAD_BALANCER.name, lb["id"])
    lb["algorithm"] = {"type": algorithm}
    project.touch(LOAD_BALANCER.name, lb["id"], "algorithm")
    return json_response({"action": run(project, lb, "change_algorithm")}, status=201)


def _target_count(lb: Json) -> int:
    return sum(len(t["targets"]) if t["type"] == "label_selector" else 1 for t in lb["targets"])


async def change_type(request: web.Request) -> web.Response:
    """POST /load_balancers/{id}/actions/change_type: a type too small is refused."""
    project = project_of(request)
    lb = path_resource(request, LOAD_BALANCER.name)
    body = await read_body(request)
    ref = ref_field(body, "load_balancer_type", required=True)
    new_type = project.find("load_balancer_type", ref)
    if new_type is None:
        raise ApiError(422, "invalid_load_balancer_type", f"Load Balancer type {ref!r} not found")
    project.refresh()  # label selectors' matches count as targets
    for what, used, limit in (
        ("services", len(lb["services"]), new_type["max_services"]),
        ("targets", _target_count(lb), new_type["max_targets"]),
        (
            "certificates",
            len(certificate_ids(lb["services"])),
            new_type["max_assigned_certificates"],
        ),
    ):
        if used > limit:
            raise ApiError(
                422,
                "invalid_load_balancer_type",
                f"the Load Balancer has {used} {what}; {new_type['name']} allows {limit}",
            )
    project.ensure_unlocked(LOAD_BALANCER.name, lb["id"])

    def apply() -> None:
        current = project.tables[LOAD_BALANCER.name].get(lb["id"])
        if current is not None:
            current["load_balancer_type"] = copy.deepcopy(new_type)
            project.touch(LOAD_BALANCER.name, lb["id"], "load_balancer_type")

    # Unlike the configuration, the type changes when the action ends (the LB is resized).
    ref_ = (LOAD_BALANCER.name, lb["id"])
    action = project.start_action(
        "change_load_balancer_type", [ref_], locks=[ref_], on_success=apply
    )
    return json_response({"action": action}, status=201)


async def change_dns_ptr(request: web.Request) -> web.Response:
    """POST /load_balancers/{id}/actions/change_dns_ptr: null resets the entry."""
    project = project_of(request)
    lb = path_resource(request, LOAD_BALANCER.name)
    body = await read_body(request)
    ip_text: str = require(body, "ip", str)
    if "dns_ptr" not in body:
        raise invalid_input({"dns_ptr": ["is required (null resets it)"]})
    dns_ptr: str | None = optional(body, "dns_ptr", str)
    if dns_ptr is not None and not 1 <= len(dns_ptr) <= _MAX_DNS_PTR:
        raise invalid_input({"dns_ptr": [f"must be 1 to {_MAX_DNS_PTR} characters"]})
    try:
        wanted = ipaddress.ip_address(ip_text)
    except ValueError:
        raise invalid_input({"ip": ["must be an IPv4 or IPv6 address"]}) from None
    public = lb["public_net"]
    found = next(
        (
            address
            for address in (public["ipv4"], public["ipv6"])
            if address["ip"] is not None and ipaddress.ip_address(address["ip"]) == wanted
        ),
        None,
    )
    if found is None:
        raise invalid_input({"ip": [f"{ip_text} is not an IP of the Load Balancer"]})
    project.ensure_unlocked(LOAD_BALANCER.name, lb["id"])
    if found.get("id") is not None:
        # The address is a Primary IP's: its record lives there, and the load balancer shows it.
        set_dns_ptr(project, found["id"], str(wanted), dns_ptr)
    else:
        found["dns_ptr"] = dns_ptr if dns_ptr is not None else default_dns_ptr(found["ip"])
    project.touch(LOAD_BALANCER.name, lb["id"], "public_net")
    return json_response({"action": run(project, lb, "change_dns_ptr")}, status=201)


async def enable_public_interface(request: web.Request) -> web.Response:
    """POST /load_balancers/{id}/actions/enable_public_interface."""
    project = project_of(request)
    lb = path_resource(request, LOAD_BALANCER.name)
    await read_body(request)
    project.ensure_unlocked(LOAD_BALANCER.name, lb["id"])
    lb["public_net"]["enabled"] = True
    project.touch(LOAD_BALANCER.name, lb["id"], "public_net")
    return json_response({"action": run(project, lb, "enable_public_interface")}, status=201)


def public_targets(lb: Json) -> list[Json]:
    """Return the targets reached over the public interface (public IPs, no private IP)."""
    found = []
    for target in lb["targets"]:
        if target["type"] == "ip":
            if not private_ip(target["ip"]["ip"]):
                found.append(target)
        elif not target["use_private_ip"]:
            found.append(target)
    return found


async def disable_public_interface(request: web.Request) -> web.Response:
    """POST /load_balancers/{id}/actions/disable_public_interface."""
    project = project_of(request)
    lb = path_resource(request, LOAD_BALANCER.name)
    await read_body(request)
    if not networks_of(project, lb["id"]):
        raise ApiError(
            422,
            "load_balancer_not_attached_to_network",
            "without its public interface the Load Balancer needs a network",
        )
    if public_targets(lb):
        raise ApiError(
            422,
            "targets_without_use_private_ip",
            "the Load Balancer has targets that use their public IP",
        )
    project.ensure_unlocked(LOAD_BALANCER.name, lb["id"])
    lb["public_net"]["enabled"] = False
    project.touch(LOAD_BALANCER.name, lb["id"], "public_net")
    return json_response({"action": run(project, lb, "disable_public_interface")}, status=201)
