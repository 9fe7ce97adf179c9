"""Load balancers in private networks: attach, detach, ``network`` at create, ``private_net``.

The attachments live in ``NetworkAddresses`` (``network_addresses``), with the same rules as
servers' (an IP of a cloud subnet in the load balancer's network zone, ``ip_not_available``,
``no_subnet_available``); a load balancer joins one network at most
(``load_balancer_already_attached``). Its ``private_net`` is derived from its attachment. An
attachment takes effect when requested and is undone if its action ends in error.
https://docs.hetzner.cloud/reference/cloud#load-balancer-actions-attach-a-load-balancer-to-a-network
"""

from __future__ import annotations

from dataclasses import replace

from aiohttp import web

from ..core import (
    Commit,
    Json,
    Project,
    Registry,
    json_response,
    path_resource,
    project_of,
    read_body,
)
from ..errors import ApiError, invalid_input
from .load_balancer_base import LOAD_BALANCER
from .network_addresses import Attachment, NetworkAddresses, network_of

__all__ = [
    "attach_to_network",
    "detach_from_network",
    "network_for_create",
    "networks_of",
    "plan_on_create",
    "register",
    "shares_network",
    "store_on_create",
]

LB = LOAD_BALANCER.name
NETWORK = "network"


def networks_of(project: Project, lb_id: int) -> set[int]:
    """Return the ids of the networks a load balancer is attached to."""
    return {a.network for a in project.part(NetworkAddresses).attachments_of(LB, lb_id)}


def shares_network(project: Project, networks: set[int], server_id: int) -> bool:
    """Tell whether a server is attached to one of these networks (a load balancer's)."""
    attached = project.part(NetworkAddresses).attachments_of("server", server_id)
    return any(a.network in networks for a in attached)


def _plan(
    project: Project, lb: Json, member_id: int, network: Json, ip: object, ip_range: object
) -> Attachment:
    addresses = project.part(NetworkAddresses)
    for attached in addresses.attachments_of(LB, member_id):
        raise ApiError(
            422,
            "load_balancer_already_attached",
            f"the Load Balancer is already attached to network {attached.network}",
        )
    zone = lb["location"]["network_zone"]
    return addresses.plan(network, LB, member_id, zone, ip=ip, ip_range=ip_range)


def network_for_create(project: Project, body: Json) -> Json | None:
    """Return the network a create body's ``network`` names (``invalid_input`` if none)."""
    ref = body.get("network")
    if ref is None:
        return None
    network = None
    if isinstance(ref, int) and not isinstance(ref, bool):
        network = project.tables[NETWORK].get(ref)
    if network is None:
        raise invalid_input({"network": [f"network {ref!r} not found"]})
    return network


def plan_on_create(project: Project, lb: Json, network: Json) -> Attachment:
    """Check a new load balancer's network and pick its IP; show it in the draft."""
    planned = _plan(project, lb, 0, network, None, None)
    lb["private_net"] = [{"network": planned.network, "ip": str(planned.ip)}]
    return planned


def store_on_create(project: Project, planned: Attachment, lb_id: int) -> None:
    """Keep a new load balancer's attachment, once it has its id."""
    project.part(NetworkAddresses).store(replace(planned, member=lb_id))


def _start(project: Project, command: str, lb: Json, network_id: int, undo: Commit) -> Json:
    ref = (LB, lb["id"])

    def rollback() -> None:
        if network_id in project.tables[NETWORK] and lb["id"] in project.tables[LB]:
            undo()

    return project.start_action(
        command, [ref, (NETWORK, network_id)], locks=[ref], on_error=rollback
    )


async def attach_to_network(request: web.Request) -> web.Response:
    """POST /load_balancers/{id}/actions/attach_to_network."""
    project = project_of(request)
    lb = path_resource(request, LB)
    body = await read_body(request)
    network = network_of(project, body)
    planned = _plan(project, lb, lb["id"], network, body.get("ip"), body.get("ip_range"))
    project.ensure_unlocked(LB, lb["id"])
    addresses = project.part(NetworkAddresses)
    addresses.store(planned)

    def undo() -> None:
        addresses.release(planned.network, LB, lb["id"])

    action = _start(project, "attach_to_network", lb, network["id"], undo)
    return json_response({"action": action}, status=201)


async def detach_from_network(request: web.Request) -> web.Response:
    """POST /load_balancers/{id}/actions/detach_from_network."""
    project = project_of(request)
    lb = path_resource(request, LB)
    body = await read_body(request)
    network = network_of(project, body)
    addresses = project.part(NetworkAddresses)
    attachment = addresses.attachment(network["id"], LB, lb["id"])
    if attachment is None:
        raise ApiError(
            422,
            "load_balancer_not_attached_to_network",
            f"the Load Balancer is not attached to network {network['id']}",
        )
    if not lb["public_net"]["enabled"] and networks_of(project, lb["id"]) == {network["id"]}:
        # Without its public interface, its network is all a load balancer has.
        raise ApiError(
            422,
            "load_balancer_public_interface_disabled",
            "enable the public interface before detaching the last network",
        )
    project.ensure_unlocked(LB, lb["id"])
    addresses.release(network["id"], LB, lb["id"])

    def undo() -> None:
        # Back where it was, unless its IP was handed out meanwhile.
        if addresses.holder(attachment.network, attachment.ip) is None:
            addresses.store(attachment)

    action = _start(project, "detach_from_network", lb, network["id"], undo)
    return json_response({"action": action}, status=201)


def _derive_private_net(project: Project, lb_id: int, lb: Json) -> None:
    lb["private_net"] = [
        {"network": a.network, "ip": str(a.ip)}
        for a in project.part(NetworkAddresses).attachments_of(LB, lb_id)
    ]


def register(registry: Registry) -> None:
    """Derive load balancers' ``private_net`` (``networks`` releases a deleted one's IPs)."""
    registry.derive(LB, _derive_private_net)
