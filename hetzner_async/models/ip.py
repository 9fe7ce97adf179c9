"""Primary IPs (a server's own public addresses) and Floating IPs (addresses that move)."""

import enum
from datetime import datetime

import attrs

from .action import Action
from .catalog import Datacenter, Location
from .common import DeleteProtection
from .server import DnsPtr

__all__ = [
    "CreateFloatingIPResult",
    "CreatePrimaryIPResult",
    "FloatingIP",
    "IPType",
    "PrimaryIP",
]


class IPType(enum.StrEnum):
    """The IP version of a Primary or Floating IP: one address (v4) or a /64 network (v6)."""

    IPV4 = "ipv4"
    IPV6 = "ipv6"


@attrs.frozen(kw_only=True)
class PrimaryIP:
    """A Primary IP: a public address a server owns, kept or deleted with it (``auto_delete``)."""

    id: int
    name: str
    labels: dict[str, str]
    created: datetime
    blocked: bool
    # Deprecated in favour of ``location`` and announced to go after 1 July 2026, so it is
    # optional here: the day the API stops sending it, reading a Primary IP must not fail.
    datacenter: Datacenter | None = None
    location: Location
    #: The address (IPv4) or network in CIDR notation (IPv6, a /64).
    ip: str
    dns_ptr: list[DnsPtr]
    protection: DeleteProtection
    type: IPType
    #: Whether the IP is deleted together with the resource it is assigned to.
    auto_delete: bool
    #: The kind of resource it is assigned to: ``server``, or ``load_balancer`` since 2026-10-05;
    #: ``unassigned`` while ``assignee_id`` is None (since 1 August 2026; ``server`` before). An
    #: open string: kinds the API adds later read as they come. Test ``assignee_id``, not this.
    assignee_type: str
    #: The resource it is assigned to, or None.
    assignee_id: int | None


@attrs.frozen(kw_only=True)
class FloatingIP:
    """A Floating IP: a public address that can be moved between servers in any location."""

    id: int
    name: str
    description: str | None
    #: The address (IPv4) or network in CIDR notation (IPv6, a /64).
    ip: str
    type: IPType
    #: The server it is assigned to, or None.
    server: int | None
    dns_ptr: list[DnsPtr]
    #: Where routing to it is optimal.
    home_location: Location
    blocked: bool
    protection: DeleteProtection
    labels: dict[str, str]
    created: datetime


# The spec marks the create action optional; its examples show the action assigning an IP that
# was created for a server (``assign_primary_ip``, ``assign_floating_ip``).


@attrs.frozen(kw_only=True)
class CreatePrimaryIPResult:
    """A new Primary IP, and the action assigning it if it was created for a resource."""

    primary_ip: PrimaryIP
    action: Action | None = None


@attrs.frozen(kw_only=True)
class CreateFloatingIPResult:
    """A new Floating IP, and the action assigning it if it was created for a server."""

    floating_ip: FloatingIP
    action: Action | None = None
