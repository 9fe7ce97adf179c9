"""The address rules of private networks: ranges, subnets, routes and the IPs in them.

Pure functions on ``ipaddress`` values; each raises the API's ``invalid_input`` naming the
request field. The rules are those of the API reference
(https://docs.hetzner.cloud/reference/cloud#networks-create-a-network and the network actions):

- a network's ``ip_range`` is private (RFC 1918) and /24 or larger, and may only grow;
- a subnet is /30 or larger, inside the network's range, and overlaps no other subnet and no
  route's destination; without a range it gets the first free /24;
- a route's destination is private (or ``0.0.0.0/0``), does not cover ``172.31.1.1`` (the
  gateway of the servers' public interface) and overlaps no subnet or other route; its gateway
  is neither the network's first IP, nor ``172.31.1.1``, nor behind a vSwitch.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from ..core import Json
from ..errors import ApiError, invalid_input

__all__ = [
    "CLOUD_TYPES",
    "DEFAULT_ROUTE",
    "PUBLIC_GATEWAY",
    "SUBNET_TYPES",
    "VSWITCH_ZONE",
    "Layout",
    "changed_range",
    "first_free_24",
    "gateway_of",
    "network_range",
    "parse_address",
    "parse_range",
    "route_entry",
    "route_parts",
    "subnet_entry",
]

PRIVATE = tuple(IPv4Network(c) for c in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
PUBLIC_GATEWAY = IPv4Address("172.31.1.1")
DEFAULT_ROUTE = IPv4Network("0.0.0.0/0")
#: "Minimum network size is /24" (network) and "/30" (subnet).
LONGEST_NETWORK_PREFIX = 24
LONGEST_SUBNET_PREFIX = 30
#: ``server`` is the deprecated spelling of ``cloud``; the API still takes it.
SUBNET_TYPES = ("cloud", "server", "vswitch")
CLOUD_TYPES = ("cloud", "server")
#: "vSwitch coupling is only possible with subnets in the eu-central network zone"
#: (https://docs.hetzner.com/cloud/networks/faq).
VSWITCH_ZONE = "eu-central"


def parse_range(field: str, value: object) -> IPv4Network:
    """Return an IPv4 range in CIDR notation (host bits zero), or refuse the field."""
    if not isinstance(value, str) or "/" not in value:
        raise invalid_input({field: [f"{value!r} is not an IPv4 range in CIDR notation"]})
    try:
        network = ipaddress.ip_network(value)
    except ValueError:
        raise invalid_input({field: [f"{value!r} is not a valid IPv4 CIDR range"]}) from None
    if not isinstance(network, IPv4Network):
        raise invalid_input({field: [f"{value!r} is not an IPv4 range (networks are IPv4)"]})
    return network


def parse_address(field: str, value: object) -> IPv4Address:
    """Return an IPv4 address, or refuse the field."""
    try:
        return IPv4Address(value) if isinstance(value, str) else IPv4Address("x")
    except ValueError:
        raise invalid_input({field: [f"{value!r} is not an IPv4 address"]}) from None


def _private(network: IPv4Network) -> bool:
    return any(network.subnet_of(p) for p in PRIVATE)


def network_range(field: str, value: object) -> IPv4Network:
    """Return a network's range: private (RFC 1918), /24 or larger."""
    network = parse_range(field, value)
    if not _private(network):
        raise invalid_input(
            {field: [f"{network} is not within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"]}
        )
    if network.prefixlen > LONGEST_NETWORK_PREFIX:
        raise invalid_input({field: [f"{network} is smaller than /{LONGEST_NETWORK_PREFIX}"]})
    return network


def changed_range(field: str, value: object, current: IPv4Network) -> IPv4Network:
    """Return a network's new range: the same first IP with a shorter prefix (it only grows)."""
    network = network_range(field, value)
    if network.network_address != current.network_address:
        raise invalid_input({field: [f"must start at {current.network_address}, like {current}"]})
    if network.prefixlen > current.prefixlen:
        raise invalid_input({field: [f"{network} is smaller than {current}: ranges only grow"]})
    return network


def gateway_of(subnet_type: str, subnet: IPv4Network, network: IPv4Network) -> IPv4Address:
    """Return a subnet's gateway: the network's first IP, or the vSwitch subnet's own."""
    if subnet_type == "vswitch":
        return subnet.network_address + 1
    return network.network_address + 1


@dataclass
class Layout:
    """A network's range and what is placed in it: subnets by type, route destinations."""

    ip_range: IPv4Network
    subnets: list[tuple[IPv4Network, str]] = dataclasses.field(default_factory=list)
    routes: list[tuple[IPv4Network, IPv4Address]] = dataclasses.field(default_factory=list)

    @classmethod
    def of(cls, network: Json) -> Layout:
        """Read a stored network's layout."""
        return cls(
            IPv4Network(network["ip_range"]),
            [(IPv4Network(s["ip_range"]), s["type"]) for s in network["subnets"]],
            [(IPv4Network(r["destination"]), IPv4Address(r["gateway"])) for r in network["routes"]],
        )

    def taken(self) -> Iterable[IPv4Network]:
        """Return the subnets and route destinations (but ``0.0.0.0/0``) a new one may not hit."""
        yield from (s for s, _ in self.subnets)
        yield from (d for d, _ in self.routes if d != DEFAULT_ROUTE)

    def clash(self, candidate: IPv4Network) -> IPv4Network | None:
        """Return a subnet or route destination the candidate overlaps, if any."""
        return next((t for t in self.taken() if candidate.overlaps(t)), None)


def first_free_24(layout: Layout) -> IPv4Network | None:
    """Return the first /24 of the network's range that overlaps nothing placed in it."""
    size = 1 << (32 - LONGEST_NETWORK_PREFIX)
    position = int(layout.ip_range.network_address)  # aligned: a network is /24 or larger
    for taken in sorted(layout.taken()):
        first, last = int(taken.network_address), int(taken.broadcast_address)
        if last < position:
            continue
        if first >= position + size:
            break
        position = (last // size + 1) * size  # the first /24 after what is in the way
    if position + size - 1 > int(layout.ip_range.broadcast_address):
        return None
    return IPv4Network((position, LONGEST_NETWORK_PREFIX))


def subnet_entry(
    raw: object, layout: Layout, zones: Sequence[str], field: str | None = None
) -> Json:
    """Check one subnet of a request against the network's layout; return it as stored.

    ``field`` names the request field errors point at (``subnets``); ``None``: the subnet is
    the body (``add_subnet``), so each error names its own key. The layout gains the subnet,
    so the next subnet of the same request is checked against it.
    """

    def bad(key: str, message: str) -> ApiError:
        return invalid_input({field or key: [message]})

    if not isinstance(raw, dict):
        raise bad("subnet", "each subnet must be an object")
    kind = raw.get("type")
    if kind not in SUBNET_TYPES:
        raise bad("type", f"type must be one of {', '.join(SUBNET_TYPES)}")
    zone = raw.get("network_zone")
    if not isinstance(zone, str) or zone not in zones:
        raise bad("network_zone", f"network_zone must be one of {', '.join(zones)}")
    vswitch_id = raw.get("vswitch_id")
    if kind == "vswitch":
        if isinstance(vswitch_id, bool) or not isinstance(vswitch_id, int) or vswitch_id < 1:
            raise bad("vswitch_id", "a vswitch subnet needs a vswitch_id (an integer ID)")
        if zone != VSWITCH_ZONE:
            raise bad("network_zone", f"vSwitch subnets exist only in {VSWITCH_ZONE}")
    elif vswitch_id is not None:
        raise bad("vswitch_id", "only a vswitch subnet takes a vswitch_id")
    if raw.get("ip_range") is None:
        subnet = first_free_24(layout)
        if subnet is None:
            raise bad("ip_range", f"no free /24 left in {layout.ip_range}")
    else:
        subnet = parse_range(field or "ip_range", raw["ip_range"])
        if subnet.prefixlen > LONGEST_SUBNET_PREFIX:
            raise bad("ip_range", f"{subnet} is smaller than /{LONGEST_SUBNET_PREFIX}")
        if not subnet.subnet_of(layout.ip_range):
            raise bad("ip_range", f"{subnet} is not within {layout.ip_range}")
        clash = layout.clash(subnet)
        if clash is not None:
            raise bad("ip_range", f"{subnet} overlaps {clash}")
    layout.subnets.append((subnet, kind))
    entry: Json = {
        "type": kind,
        "ip_range": str(subnet),
        "network_zone": zone,
        "gateway": str(gateway_of(kind, subnet, layout.ip_range)),
    }
    if kind == "vswitch":
        entry["vswitch_id"] = vswitch_id
    return entry


def route_parts(raw: object, field: str | None = None) -> tuple[IPv4Network, IPv4Address]:
    """Return a route's destination and gateway as given (their form only)."""
    if not isinstance(raw, dict):
        raise invalid_input({field or "route": ["each route must be an object"]})
    for key in ("destination", "gateway"):
        if raw.get(key) is None:
            raise invalid_input({field or key: [f"a route needs a {key}"]})
    destination = parse_range(field or "destination", raw["destination"])
    return destination, parse_address(field or "gateway", raw["gateway"])


def route_entry(raw: object, layout: Layout, field: str | None = None) -> Json:
    """Check one route of a request against the network's layout; return it as stored.

    ``field`` as for ``subnet_entry``; the layout gains the route.
    """
    destination, gateway = route_parts(raw, field)

    def bad(key: str, message: str) -> ApiError:
        return invalid_input({field or key: [message]})

    if destination != DEFAULT_ROUTE:
        if not _private(destination):
            raise bad("destination", f"{destination} is neither 0.0.0.0/0 nor private (RFC 1918)")
        if PUBLIC_GATEWAY in destination:
            raise bad("destination", f"{destination} covers {PUBLIC_GATEWAY}")
        clash = layout.clash(destination)
        if clash is not None:
            raise bad("destination", f"{destination} overlaps {clash}")
    elif any(d == DEFAULT_ROUTE for d, _ in layout.routes):
        raise bad("destination", "0.0.0.0/0 is already routed")
    if gateway == PUBLIC_GATEWAY:
        raise bad("gateway", f"the gateway may not be {PUBLIC_GATEWAY}")
    if gateway not in layout.ip_range:
        raise bad("gateway", f"{gateway} is not within {layout.ip_range}")
    if gateway == layout.ip_range.network_address + 1:
        raise bad("gateway", f"{gateway} is the network's own gateway")
    if any(gateway in s for s, kind in layout.subnets if kind == "vswitch"):
        raise bad("gateway", f"{gateway} is behind a vSwitch")
    layout.routes.append((destination, gateway))
    return {"destination": str(destination), "gateway": str(gateway)}
