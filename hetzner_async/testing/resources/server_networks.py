"""Servers in private networks: attach, detach, alias IPs, ``networks`` at creation, clean-up.

The attachments live in ``NetworkAddresses``; this module is the server's side of them: its
three actions (https://docs.hetzner.cloud/reference/cloud#server-actions-attach-a-server-to-a-network
and the two after it), the ``networks`` field of ``POST /servers``, the derived ``private_net``,
and the detachment of a deleted server. A change takes effect when it is requested (the IP is
the server's at once) and is undone if its action ends in error.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from ipaddress import IPv4Network

from aiohttp import web

from ..core import (
    Creation,
    Json,
    Project,
    Registry,
    json_response,
    path_resource,
    project_of,
    read_body,
)
from ..core.registry import Commit
from ..errors import ApiError, invalid_input
from .network_addresses import Attachment, NetworkAddresses, network_of

__all__ = ["check_no_overlap", "register"]

SERVER = "server"
NETWORK = "network"


def _attached(addresses: NetworkAddresses, server: Json, network: Json) -> Attachment:
    found = addresses.attachment(network["id"], SERVER, server["id"])
    if found is None:
        raise ApiError(
            404, "not_found", f"server {server['id']} is not attached to network {network['id']}"
        )
    return found


def _restore(addresses: NetworkAddresses, attachment: Attachment) -> None:
    """Put an attachment back after a failed action, unless its IPs were taken meanwhile."""
    tables = addresses.project.tables
    if attachment.network not in tables[NETWORK] or attachment.member not in tables[SERVER]:
        return
    member = (SERVER, attachment.member)
    holders = {addresses.holder(attachment.network, ip) for ip in attachment.addresses}
    if holders <= {None, member}:
        addresses.store(attachment)


def _start(project: Project, command: str, server: Json, network: Json, undo: Commit) -> Json:
    sref = (SERVER, server["id"])
    return project.start_action(
        command, [sref, (NETWORK, network["id"])], locks=[sref], on_error=undo
    )


async def attach_to_network(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/attach_to_network."""
    project = project_of(request)
    server = path_resource(request, SERVER)
    body = await read_body(request)
    network = network_of(project, body)
    project.ensure_unlocked(SERVER, server["id"])
    addresses = project.part(NetworkAddresses)
    planned = addresses.plan(
        network,
        SERVER,
        server["id"],
        server["location"]["network_zone"],
        ip=body.get("ip"),
        ip_range=body.get("ip_range"),
        alias_ips=body.get("alias_ips"),
    )
    stored = addresses.store(planned)

    def undo() -> None:
        addresses.release(stored.network, SERVER, stored.member)

    action = _start(project, "attach_to_network", server, network, undo)
    return json_response({"action": action}, status=201)


async def detach_from_network(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/detach_from_network."""
    project = project_of(request)
    server = path_resource(request, SERVER)
    body = await read_body(request)
    network = network_of(project, body)
    addresses = project.part(NetworkAddresses)
    attachment = _attached(addresses, server, network)
    project.ensure_unlocked(SERVER, server["id"])
    addresses.release(network["id"], SERVER, server["id"])
    action = _start(
        project,
        "detach_from_network",
        server,
        network,
        lambda: _restore(addresses, attachment),
    )
    return json_response({"action": action}, status=201)


async def change_alias_ips(request: web.Request) -> web.Response:
    """POST /servers/{id}/actions/change_alias_ips: replaces the alias IPs in one network."""
    project = project_of(request)
    server = path_resource(request, SERVER)
    body = await read_body(request)
    network = network_of(project, body)
    addresses = project.part(NetworkAddresses)
    attachment = _attached(addresses, server, network)
    changed = addresses.check_aliases(
        attachment, body.get("alias_ips"), server["location"]["network_zone"]
    )
    project.ensure_unlocked(SERVER, server["id"])
    addresses.store(changed)
    action = _start(
        project, "change_alias_ips", server, network, lambda: _restore(addresses, attachment)
    )
    return json_response({"action": action}, status=201)


def check_no_overlap(project: Project, network_id: int, grown: IPv4Network) -> None:
    """Refuse a network range that would overlap another network of one of its members."""
    addresses = project.part(NetworkAddresses)
    networks = project.tables[NETWORK]
    for kind in ("server", "load_balancer"):
        for member in addresses.members(network_id, kind):
            for other in addresses.attachments_of(kind, member):
                theirs = IPv4Network(networks[other.network]["ip_range"])
                if other.network != network_id and grown.overlaps(theirs):
                    raise ApiError(
                        422,
                        "networks_overlap",
                        f"{grown} overlaps network {other.network} of {kind} {member}",
                    )


def _attach_on_create(project: Project, creation: Creation) -> Commit | None:
    """Check a new server's ``networks`` (IDs); once it is stored, attach it to each."""
    entries = creation.body.get("networks")
    if entries is None or entries == []:
        return None
    if not isinstance(entries, list):
        raise invalid_input({"networks": ["must be an array of network IDs"]})
    networks: list[Json] = []
    for ref in entries:
        network = None
        if isinstance(ref, int) and not isinstance(ref, bool):
            network = project.tables[NETWORK].get(ref)
        if network is None:
            raise invalid_input({"networks": [f"network {ref!r} not found"]})
        if network in networks:
            raise invalid_input({"networks": [f"network {ref} is listed twice"]})
        networks.append(network)
    addresses = project.part(NetworkAddresses)
    zone = creation.resource["location"]["network_zone"]
    plans: list[Attachment] = []
    for index, network in enumerate(networks):
        beside = [IPv4Network(n["ip_range"]) for n in networks[:index]]
        plans.append(addresses.plan(network, SERVER, 0, zone, beside=beside))

    def commit() -> None:
        sid = creation.resource["id"]
        sref = (SERVER, sid)
        for plan in plans:
            addresses.store(replace(plan, member=sid))
            creation.actions.append(
                project.start_action(
                    "attach_to_network",
                    [sref, (NETWORK, plan.network)],
                    after=creation.action,
                    locks=[sref],
                )
            )

    return commit


def _release_deleted(kind: str, project: Project, member_id: int, member: Json) -> None:
    project.part(NetworkAddresses).release_member(kind, member_id)


def register(registry: Registry) -> None:
    """Add the server network actions, ``networks`` at creation, and ``private_net``."""
    part = NetworkAddresses
    registry.derive(SERVER, lambda p, sid, server: p.part(part).derive_server(sid, server))
    registry.on_create(SERVER, ("networks",), _attach_on_create)
    # Load balancers join networks through the same part; their module derives their side.
    for kind in (SERVER, "load_balancer"):
        registry.on_delete(kind, partial(_release_deleted, kind))
    base = "/v1/servers/{id:\\d+}/actions"
    registry.routes(
        [
            web.post(f"{base}/attach_to_network", attach_to_network),
            web.post(f"{base}/detach_from_network", detach_from_network),
            web.post(f"{base}/change_alias_ips", change_alias_ips),
        ]
    )
