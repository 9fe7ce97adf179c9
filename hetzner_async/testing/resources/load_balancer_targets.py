"""Load balancer targets: parsing, the API's rules, and ``add_target``/``remove_target``.

A target is a server, a label selector (every server it matches, followed as labels change by
``load_balancer_links``) or an IP of a root server outside the cloud. The rules are the
API's: one entry per server, selector or IP (``target_already_defined``); a private target
(``use_private_ip``) needs the load balancer in a network (``load_balancer_not_attached_to_
network``) that the server is in (``resolve_cloud_private_targets_error``); a public one needs
the public interface (``load_balancer_public_interface_disabled``) and, for a server, its
public IPv4 (``resolve_cloud_public_targets_error``). IPs of cloud resources are not root
servers of the owner (``ip_not_owned``; the fake's cloud addresses are ``100.64.0.0/10`` and
``2001:db8::/32``); a private IP must be in the vSwitch subnet of an attached network.
https://docs.hetzner.cloud/reference/cloud#load-balancer-actions-add-target
"""

from __future__ import annotations

import ipaddress

from aiohttp import web

from ..core import Json, Project, json_response, path_resource, project_of, read_body
from ..errors import ApiError, invalid_input
from ..labels import LabelSelectorError, parse_selector
from .load_balancer_base import (
    LOAD_BALANCER,
    limit_exceeded,
    private_ip,
    run,
    target_hold,
    target_key,
)
from .load_balancer_links import LoadBalancerLinks
from .load_balancer_networks import networks_of, shares_network

__all__ = [
    "CLOUD_NETWORKS",
    "add_target",
    "check_new_targets",
    "parse_target",
    "remove_target",
]

TYPES = ("server", "label_selector", "ip")
MAX_SELECTOR = 1000
#: Where the fake's cloud resources (servers, load balancers) get their public addresses.
CLOUD_NETWORKS = (ipaddress.ip_network("100.64.0.0/10"), ipaddress.ip_network("2001:db8::/32"))


def _unprocessable(code: str, message: str) -> ApiError:
    return ApiError(422, code, message)


def _field(raw: Json, name: str, inner: str, prefix: str) -> object:
    value = raw.get(name)
    if not isinstance(value, dict) or value.get(inner) is None:
        raise invalid_input({f"{prefix}{name}.{inner}": ["is required"]})
    return value[inner]


def parse_target(raw: object, prefix: str = "", *, adding: bool = True) -> Json:
    """Return a target as the API stores it, from a request's target object."""
    if not isinstance(raw, dict):
        raise invalid_input({prefix.rstrip(".") or "target": ["must be an object"]})
    kind = raw.get("type")
    if kind not in TYPES:
        raise invalid_input({f"{prefix}type": [f"must be one of {', '.join(TYPES)}"]})
    private = raw.get("use_private_ip", False) if adding else False
    if private is None:
        private = False
    if not isinstance(private, bool):
        raise invalid_input({f"{prefix}use_private_ip": ["must be a boolean"]})
    if kind == "server":
        sid = _field(raw, "server", "id", prefix)
        if isinstance(sid, bool) or not isinstance(sid, int):
            raise invalid_input({f"{prefix}server.id": ["must be an integer"]})
        return {"type": kind, "server": {"id": sid}, "use_private_ip": private, "health_status": []}
    if kind == "label_selector":
        selector = _field(raw, "label_selector", "selector", prefix)
        if not isinstance(selector, str) or not 1 <= len(selector) <= MAX_SELECTOR:
            raise invalid_input(
                {f"{prefix}label_selector.selector": [f"must be 1 to {MAX_SELECTOR} characters"]}
            )
        try:
            parse_selector(selector)
        except LabelSelectorError as exc:
            raise invalid_input({f"{prefix}label_selector.selector": [str(exc)]}) from None
        return {
            "type": kind,
            "label_selector": {"selector": selector},
            "use_private_ip": private,
            "targets": [],
        }
    ip = _field(raw, "ip", "ip", prefix)
    try:
        if not isinstance(ip, str):
            raise ValueError(ip)
        ipaddress.ip_address(ip)
    except ValueError:
        raise invalid_input({f"{prefix}ip.ip": ["must be an IPv4 or IPv6 address"]}) from None
    if private:
        raise invalid_input({f"{prefix}use_private_ip": ["does not apply to IP targets"]})
    return {"type": kind, "ip": {"ip": ip}, "health_status": []}


def _check_ip(project: Project, networks: set[int], ip_text: str) -> bool:
    """Check an IP target; return whether it is reached through a network (a vSwitch IP)."""
    ip = ipaddress.ip_address(ip_text)
    if any(ip in net for net in CLOUD_NETWORKS):
        raise _unprocessable("ip_not_owned", f"{ip} belongs to a Hetzner Cloud resource")
    if not private_ip(ip_text):
        if ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified:
            raise _unprocessable("ip_not_owned", f"{ip} is not an IP of a root server")
        if ip.is_reserved:
            raise _unprocessable("ip_not_owned", f"{ip} is not an IP of a root server")
        return False
    if not networks:
        raise _unprocessable(
            "load_balancer_not_attached_to_network", "a private IP needs an attached network"
        )
    vswitch = [
        subnet
        for nid in sorted(networks)
        for subnet in project.tables["network"][nid]["subnets"]
        if subnet["type"] == "vswitch"
    ]
    if not vswitch:
        raise _unprocessable(
            "network_has_no_vswitch_subnet", "the attached network has no vSwitch subnet"
        )
    if not any(ip in ipaddress.ip_network(s["ip_range"]) for s in vswitch):
        raise _unprocessable("ip_not_in_vswitch_subnet", f"{ip} is not in the vSwitch subnet")
    return True


def _check_reachable(project: Project, lb: Json, networks: set[int], target: Json) -> None:
    """Refuse a target the load balancer could not reach (see the module's docstring)."""
    private = target.get("use_private_ip", False)
    if target["type"] == "ip":
        private = _check_ip(project, networks, target["ip"]["ip"])
    elif private and not networks:
        raise _unprocessable(
            "load_balancer_not_attached_to_network",
            "use_private_ip needs the Load Balancer attached to a network",
        )
    if not private and not lb["public_net"]["enabled"]:
        raise _unprocessable(
            "load_balancer_public_interface_disabled",
            "a public target needs the Load Balancer's public interface",
        )
    if target["type"] != "server":
        return
    sid = target["server"]["id"]
    server = project.tables["server"].get(sid)
    if server is None:
        raise invalid_input({"server.id": [f"server {sid} not found"]})
    if private and not shares_network(project, networks, sid):
        raise _unprocessable(
            "resolve_cloud_private_targets_error",
            f"server {sid} is not attached to the Load Balancer's network",
        )
    if not private and not server["public_net"].get("ipv4"):
        raise _unprocessable(
            "resolve_cloud_public_targets_error", f"server {sid} has no public IPv4 address"
        )


def _size(project: Project, target: Json) -> int:
    """Return how many targets an entry counts for: the servers a label selector matches."""
    if target["type"] != "label_selector":
        return 1
    if target["targets"]:
        return len(target["targets"])
    selector = parse_selector(target["label_selector"]["selector"])
    return len(project.part(LoadBalancerLinks).matched(selector))


def check_new_targets(
    project: Project, lb: Json, new: list[Json], networks: set[int] | None = None
) -> None:
    """Refuse targets that are defined twice, unreachable, or beyond the type's maximum.

    ``networks``: those of a load balancer being created (else those it is attached to).
    """
    if networks is None:
        networks = networks_of(project, lb["id"])
    keys = {target_key(t) for t in lb["targets"]}
    for target in new:
        key = target_key(target)
        if key in keys:
            message = f"the {key[0]} target is already defined"
            raise _unprocessable("target_already_defined", message)
        keys.add(key)
        _check_reachable(project, lb, networks, target)
    project.refresh()  # selectors' matches, counted against the type's maximum
    limit = lb["load_balancer_type"]["max_targets"]
    if sum(_size(project, t) for t in [*lb["targets"], *new]) > limit:
        raise limit_exceeded("targets", limit, "targets")


async def add_target(request: web.Request) -> web.Response:
    """POST /load_balancers/{id}/actions/add_target."""
    project = project_of(request)
    lb = path_resource(request, LOAD_BALANCER.name)
    target = parse_target(await read_body(request))
    check_new_targets(project, lb, [target])
    project.ensure_unlocked(LOAD_BALANCER.name, lb["id"])
    lb["targets"].append(target)
    project.touch(LOAD_BALANCER.name, lb["id"], "targets")
    hold = target_hold(lb["id"], target_key(target))
    action = run(project, lb, "add_target", holds=[hold])
    return json_response({"action": action}, status=201)


async def remove_target(request: web.Request) -> web.Response:
    """POST /load_balancers/{id}/actions/remove_target."""
    project = project_of(request)
    lb = path_resource(request, LOAD_BALANCER.name)
    key = target_key(parse_target(await read_body(request), adding=False))
    kept = [t for t in lb["targets"] if target_key(t) != key]
    if len(kept) == len(lb["targets"]):
        field = {"server": "server.id", "label_selector": "label_selector.selector"}
        raise invalid_input({field.get(key[0], "ip.ip"): ["is not a target of the Load Balancer"]})
    project.ensure_unlocked(LOAD_BALANCER.name, lb["id"])
    lb["targets"] = kept
    project.touch(LOAD_BALANCER.name, lb["id"], "targets")
    action = run(project, lb, "remove_target")
    return json_response({"action": action}, status=201)
