"""Pure checks of private-network input: IP ranges, subnets, routes and addresses.

Each rule is one the API documents for networks
(https://docs.hetzner.cloud/reference/cloud#networks); where a rule needs the network's current
state (say, that a new range only grows the old one), the API's own error still reaches the caller.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .errors import ValidationError

if TYPE_CHECKING:
    from .models import NetworkRoute, NewSubnet

__all__ = [
    "check_alias_ips",
    "check_ip",
    "check_network_ip_range",
    "check_route",
    "check_routes",
    "check_subnet",
    "check_subnet_ip_range",
    "check_subnets",
]

#: The private IPv4 ranges of RFC 1918, the only ones a network or a route may use.
PRIVATE_RANGES = tuple(
    ipaddress.IPv4Network(cidr) for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
#: "Minimum network size is /24" (network) and "/30" (subnet).
LONGEST_NETWORK_PREFIX = 24
LONGEST_SUBNET_PREFIX = 30
#: The gateway of every server's public interface: no route may cover it or point to it.
PUBLIC_GATEWAY = ipaddress.IPv4Address("172.31.1.1")
#: The default route, which the API allows although it covers everything.
DEFAULT_ROUTE = ipaddress.IPv4Network("0.0.0.0/0")
SUBNET_TYPES = frozenset({"cloud", "server", "vswitch"})


def _ipv4_network(field: str, cidr: str) -> ipaddress.IPv4Network:
    if not isinstance(cidr, str):
        raise ValidationError(field, f"must be an IPv4 range in CIDR notation, got {cidr!r}")
    try:
        network = ipaddress.ip_network(cidr)
    except ValueError:
        raise ValidationError(
            field, f"{cidr!r} is not an IPv4 range in CIDR notation with its host bits zero"
        ) from None
    if not isinstance(network, ipaddress.IPv4Network) or "/" not in cidr:
        raise ValidationError(field, f"{cidr!r} is not an IPv4 range in CIDR notation")
    return network


def _is_private(network: ipaddress.IPv4Network) -> bool:
    return any(network.subnet_of(private) for private in PRIVATE_RANGES)


def check_ip(field: str, ip: str) -> str:
    """Require one IPv4 or IPv6 address."""
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        raise ValidationError(field, f"{ip!r} is not an IP address") from None
    return ip


def check_network_ip_range(ip_range: str, field: str = "ip_range") -> ipaddress.IPv4Network:
    """Require a network range: private (RFC 1918) IPv4 in CIDR notation, /24 or larger."""
    network = _ipv4_network(field, ip_range)
    if not _is_private(network):
        raise ValidationError(
            field, f"{ip_range} is not within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"
        )
    if network.prefixlen > LONGEST_NETWORK_PREFIX:
        raise ValidationError(field, f"{ip_range} is smaller than /{LONGEST_NETWORK_PREFIX}")
    return network


def check_subnet_ip_range(ip_range: str, field: str = "ip_range") -> ipaddress.IPv4Network:
    """Require a subnet range: IPv4 in CIDR notation, /30 or larger."""
    network = _ipv4_network(field, ip_range)
    if network.prefixlen > LONGEST_SUBNET_PREFIX:
        raise ValidationError(field, f"{ip_range} is smaller than /{LONGEST_SUBNET_PREFIX}")
    return network


def check_subnet(subnet: NewSubnet, field: str = "subnet") -> ipaddress.IPv4Network | None:
    """Require a subnet whose type, zone, vSwitch and range fit together; return its range."""
    if subnet.type not in SUBNET_TYPES:
        raise ValidationError(
            f"{field}.type", f"must be one of {sorted(SUBNET_TYPES)}, not {subnet.type!r}"
        )
    if not isinstance(subnet.network_zone, str) or not subnet.network_zone.strip():
        raise ValidationError(f"{field}.network_zone", "must name a network zone (eu-central, ...)")
    if subnet.type == "vswitch" and subnet.vswitch_id is None:
        raise ValidationError(f"{field}.vswitch_id", "a 'vswitch' subnet needs the vSwitch's ID")
    if subnet.type != "vswitch" and subnet.vswitch_id is not None:
        raise ValidationError(f"{field}.vswitch_id", "only a 'vswitch' subnet takes a vswitch_id")
    if subnet.vswitch_id is not None and (
        isinstance(subnet.vswitch_id, bool)
        or not isinstance(subnet.vswitch_id, int)
        or subnet.vswitch_id <= 0
    ):
        raise ValidationError(f"{field}.vswitch_id", "must be a positive integer ID")
    if subnet.ip_range is None:
        return None
    return check_subnet_ip_range(subnet.ip_range, f"{field}.ip_range")


def check_subnets(
    subnets: Sequence[NewSubnet], within: ipaddress.IPv4Network
) -> list[ipaddress.IPv4Network]:
    """Require subnets inside the network's range that do not overlap; return their ranges."""
    ranges: list[ipaddress.IPv4Network] = []
    for index, subnet in enumerate(subnets):
        field = f"subnets[{index}]"
        network = check_subnet(subnet, field)
        if network is None:
            continue
        if not network.subnet_of(within):
            raise ValidationError(f"{field}.ip_range", f"{network} is not within {within}")
        clash = next((other for other in ranges if network.overlaps(other)), None)
        if clash is not None:
            raise ValidationError(f"{field}.ip_range", f"{network} overlaps subnet {clash}")
        ranges.append(network)
    return ranges


def check_route(
    destination: str, gateway: str, field: str = "route"
) -> tuple[ipaddress.IPv4Network, ipaddress.IPv4Address]:
    """Require a route to a private range (or 0.0.0.0/0) via an IPv4 gateway.

    Neither may be 172.31.1.1, the gateway of the servers' public interface.
    """
    target = _ipv4_network(f"{field}.destination", destination)
    if target != DEFAULT_ROUTE:
        if not _is_private(target):
            raise ValidationError(
                f"{field}.destination",
                f"{destination} is neither 0.0.0.0/0 nor within a private range of RFC 1918",
            )
        if PUBLIC_GATEWAY in target:
            raise ValidationError(
                f"{field}.destination", f"{destination} covers {PUBLIC_GATEWAY}, the public gateway"
            )
    try:
        via = ipaddress.IPv4Address(gateway)
    except ValueError:
        raise ValidationError(f"{field}.gateway", f"{gateway!r} is not an IPv4 address") from None
    if via == PUBLIC_GATEWAY:
        raise ValidationError(f"{field}.gateway", f"{PUBLIC_GATEWAY} is the public gateway")
    return target, via


def check_routes(
    routes: Sequence[NetworkRoute],
    within: ipaddress.IPv4Network,
    subnets: Sequence[ipaddress.IPv4Network] = (),
) -> None:
    """Require routes that overlap no subnet and no other route, with a usable gateway.

    The gateway may not be the first IP of the network's range (the network's own router).
    """
    destinations: list[ipaddress.IPv4Network] = []
    for index, route in enumerate(routes):
        field = f"routes[{index}]"
        target, via = check_route(route.destination, route.gateway, field)
        if via == within.network_address + 1:
            raise ValidationError(
                f"{field}.gateway", f"{via} is the first IP of {within}, the network's router"
            )
        if target == DEFAULT_ROUTE:
            if DEFAULT_ROUTE in destinations:
                raise ValidationError(f"{field}.destination", "0.0.0.0/0 is routed twice")
            destinations.append(target)
            continue
        clash = next((s for s in subnets if target.overlaps(s)), None)
        if clash is not None:
            raise ValidationError(f"{field}.destination", f"{target} overlaps subnet {clash}")
        clash = next((d for d in destinations if d != DEFAULT_ROUTE and target.overlaps(d)), None)
        if clash is not None:
            raise ValidationError(f"{field}.destination", f"{target} overlaps route to {clash}")
        destinations.append(target)


def check_alias_ips(alias_ips: Sequence[str], field: str = "alias_ips") -> list[str]:
    """Require a list (not a bare string) of IPv4 addresses, none twice."""
    if isinstance(alias_ips, str):
        raise ValidationError(field, "must be a list of IP addresses, not one string")
    seen: set[ipaddress.IPv4Address] = set()
    for ip in alias_ips:
        try:
            address = ipaddress.IPv4Address(ip)
        except ValueError:
            raise ValidationError(field, f"{ip!r} is not an IPv4 address") from None
        if address in seen:
            raise ValidationError(field, f"{ip} is listed twice")
        seen.add(address)
    return list(alias_ips)
