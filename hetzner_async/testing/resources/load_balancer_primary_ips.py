"""Load balancers on Primary IPs: ``public_net`` on create, the addresses shown, the release.

Since 2026-10-05 ``POST /load_balancers`` takes ``public_net.ipv4``/``ipv6``, IDs of Primary IPs
to assign; a family left out gets an address allocated as before, and a Primary IP stays
assigned for the load balancer's whole lifetime
(https://docs.hetzner.cloud/changelog#2026-10-05-load-balancers-can-use-existing-primary-ips).
The addresses allocated are the fake's own, not Primary IPs (the "system managed" addresses of
hcloud-cloud-controller-manager's release notes), so they carry no ``id``; hcloud-python reads
the ``id`` only when it is there.

Inferred from the rules the API documents for servers (the changelog documents none): the
Primary IP must be of its family, unassigned and in the load balancer's location
(``primary_ip_version_mismatch``, ``primary_ip_assigned``, ``primary_ip_datacenter_mismatch``);
when the load balancer is deleted, an ``auto_delete`` Primary IP is deleted and any other is
unassigned. The load balancer's ``public_net.ipv4``/``ipv6`` follow its Primary IPs (the IP's
``id``, address and PTR record); of an IPv6 /64 the load balancer shows one address, the
network's first (``…::1``, inferred: the API shows a load balancer a single IPv6 address).
"""

from __future__ import annotations

import ipaddress

from ..core import Json, Project, Registry
from ..errors import invalid_input
from .ip_addresses import IP_TYPES, apply_dns_ptr
from .load_balancer_base import LOAD_BALANCER
from .primary_ip_links import (
    PRIMARY_IP_KIND,
    Assignments,
    check_free_primary_ip,
    release_held,
    set_holder,
)

__all__ = ["assign_on_create", "plan_public_net", "register", "set_dns_ptr"]


def plan_public_net(project: Project, body: Json, location: Json) -> dict[str, Json]:
    """Return the Primary IPs a create body names in ``public_net``, by family, checked."""
    public_net = body.get("public_net")
    if public_net is None:
        return {}
    if not isinstance(public_net, dict):
        raise invalid_input({"public_net": ["must be an object"]})
    return {
        family: check_free_primary_ip(project, public_net[family], family, location)
        for family in IP_TYPES
        if public_net.get(family) is not None
    }


def assign_on_create(project: Project, plan: dict[str, Json], lb_id: int) -> None:
    """Assign the planned Primary IPs to the load balancer just stored."""
    for ip in plan.values():
        set_holder(project, ip, (LOAD_BALANCER.name, lb_id))


def _shown_address(ip: Json) -> str:
    """Return the address a load balancer shows of its Primary IP (an IPv6 /64's first)."""
    if ip["type"] == "ipv4":
        return str(ip["ip"])
    return str(ipaddress.IPv6Network(ip["ip"]).network_address + 1)


def _derive(project: Project, lb_id: int, lb: Json) -> None:
    """Show the load balancer's Primary IPs in its ``public_net``, with their ids."""
    held = project.part(Assignments).of_holder((LOAD_BALANCER.name, lb_id))
    ips = project.tables[PRIMARY_IP_KIND]
    for family, ip_id in held.items():
        ip = ips[ip_id]
        address = _shown_address(ip)
        record = next((r["dns_ptr"] for r in ip["dns_ptr"] if r["ip"] == address), None)
        lb["public_net"][family] = {"id": ip_id, "ip": address, "dns_ptr": record}


def set_dns_ptr(project: Project, ip_id: int, address: str, dns_ptr: str | None) -> None:
    """Change a load balancer's PTR record on the Primary IP it belongs to (null resets)."""
    ip = project.tables[PRIMARY_IP_KIND][ip_id]
    apply_dns_ptr(ip["dns_ptr"], ip["type"], address, dns_ptr)
    project.touch(PRIMARY_IP_KIND, ip_id, "dns_ptr")


def register(registry: Registry) -> None:
    """Show load balancers' Primary IPs, and release them when a load balancer is deleted."""
    registry.derive(LOAD_BALANCER.name, _derive)
    registry.on_delete(
        LOAD_BALANCER.name, lambda p, lb_id, lb: release_held(p, (LOAD_BALANCER.name, lb_id))
    )
