"""Public addresses of Primary and Floating IPs: which address an IP gets, and its PTR records.

An IP's address follows from its id (ids are never reused), so no pool is kept: IPv4 from
``100.64.0.0`` (Primary IPs) and ``100.96.0.0`` (Floating IPs), IPv6 /64 networks under the
documentation prefix ``2001:db8::/32``. Reverse DNS works as the API documents for
``change_dns_ptr`` (https://docs.hetzner.cloud/reference/cloud#tag/primary-ip-actions): an
IPv4 address always has one record, ``null`` resets it to the default; an IPv6 network has a
record per address that was given one, ``null`` removes it.
"""

from __future__ import annotations

import ipaddress

from ..core import Json, optional, require
from ..errors import invalid_input

__all__ = [
    "IP_TYPES",
    "apply_dns_ptr",
    "check_dns_ptr_body",
    "default_dns_ptr",
    "initial_dns_ptr",
    "new_address",
    "owned_address",
]

IP_TYPES = ("ipv4", "ipv6")


def new_address(ip_type: str, resource_id: int, *, floating: bool = False) -> str:
    """Return the address (IPv4) or /64 network (IPv6) of the IP with this id.

    Spelled out rather than through ``ipaddress``: every server create makes two.
    """
    n = resource_id % 1_000_000  # < 2**20: fits the 100.64.0.0/12 (and 100.96.0.0/12) below
    if ip_type == "ipv4":
        return f"100.{(96 if floating else 64) + (n >> 16)}.{(n >> 8) & 0xFF}.{n & 0xFF}"
    # The third group: 0x0-0xf for Primary IPs, 0x100-0x10f for Floating IPs. The text is
    # canonical (RFC 5952), as the API writes it: the longest run of zero groups is "::".
    third, fourth = (0x100 if floating else 0) | (n >> 16), n & 0xFFFF
    if fourth:
        return f"2001:db8:{third:x}:{fourth:x}::/64"
    return f"2001:db8:{third:x}::/64" if third else "2001:db8::/64"


def default_dns_ptr(ipv4: str) -> str:
    """Return the PTR record an IPv4 address has until it is changed (the reversed address)."""
    a, b, c, d = ipv4.split(".")
    return f"static.{d}.{c}.{b}.{a}.clients.your-server.de"


def initial_dns_ptr(ip_type: str, ip: str) -> list[Json]:
    """Return the ``dns_ptr`` list of a new IP: the default record (IPv4), or none (IPv6)."""
    if ip_type == "ipv4":
        return [{"ip": ip, "dns_ptr": default_dns_ptr(ip)}]
    return []


def owned_address(ip_type: str, ip: str, address: str) -> str | None:
    """Return ``address`` normalised if the IP (an address, or a /64 network) owns it."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if ip_type == "ipv4":
        return str(parsed) if str(parsed) == ip else None
    if parsed.version == 6 and parsed in ipaddress.IPv6Network(ip):
        return str(parsed)
    return None


def check_dns_ptr_body(body: Json, owns: list[Json]) -> tuple[Json, str, str | None]:
    """Validate a ``change_dns_ptr`` body against the IPs (``type``, ``ip``) it may name.

    Return the IP that owns the address, the address normalised, and the new record
    (``None``: reset or remove).
    """
    address: str = require(body, "ip", str)
    dns_ptr: str | None = optional(body, "dns_ptr", str)
    if dns_ptr is not None and not (0 < len(dns_ptr) <= 255 and dns_ptr.strip() == dns_ptr):
        raise invalid_input({"dns_ptr": ["must be a host name of 1 to 255 characters, or null"]})
    for owner in owns:
        found = owned_address(owner["type"], owner["ip"], address)
        if found is not None:
            return owner, found, dns_ptr
    raise invalid_input({"ip": [f"{address} is not an address of this resource"]})


def apply_dns_ptr(records: list[Json], ip_type: str, address: str, dns_ptr: str | None) -> None:
    """Set (or reset, or remove) the PTR record of one address in a ``dns_ptr`` list."""
    if ip_type == "ipv4":
        records[:] = [{"ip": address, "dns_ptr": dns_ptr or default_dns_ptr(address)}]
        return
    kept = [r for r in records if r["ip"] != address]
    if dns_ptr is not None:
        kept.append({"ip": address, "dns_ptr": dns_ptr})
    records[:] = kept
