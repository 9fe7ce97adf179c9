"""The server actions about where a server sits: networks, alias IPs, reverse DNS, groups."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from .._validate import check_id
from .._validate_net import check_alias_ips, check_ip, check_subnet_ip_range
from ..errors import ValidationError
from ..models import Action, Server
from ._collection import ActionListings

__all__ = ["ServerNetworkActions"]


def _ipv4(field: str, ip: str) -> ipaddress.IPv4Address:
    # Private networks are IPv4 only.
    try:
        return ipaddress.IPv4Address(ip)
    except ValueError:
        raise ValidationError(field, f"{ip!r} is not an IPv4 address") from None


class ServerNetworkActions(ActionListings[Server]):
    """``POST /servers/{id}/actions/...`` for private networks, DNS PTRs and placement groups."""

    async def attach_to_network(
        self,
        server_id: int,
        *,
        network: int,
        ip: str | None = None,
        alias_ips: Sequence[str] | None = None,
        ip_range: str | None = None,
    ) -> Action:
        """Attach a server to a private network, on ``ip`` or the next free IP of a subnet.

        The network needs a subnet in the server's network zone; ``ip_range`` picks the subnet
        to draw the IP from. Alias IPs must be configured on the server by hand.
        """
        body: dict[str, object] = {"network": check_id("network", network)}
        address = None if ip is None else _ipv4("ip", ip)
        if ip_range is not None:
            subnet = check_subnet_ip_range(ip_range)
            if address is not None and address not in subnet:
                raise ValidationError("ip", f"{ip} is not within ip_range {ip_range}")
        if alias_ips is not None:
            alias_ips = check_alias_ips(alias_ips)
        body.update(self._body(ip=ip, alias_ips=alias_ips, ip_range=ip_range))
        return await self._run(server_id, "attach_to_network", body)

    async def detach_from_network(self, server_id: int, *, network: int) -> Action:
        """Detach a server from a private network; its interface there goes away."""
        body = {"network": check_id("network", network)}
        return await self._run(server_id, "detach_from_network", body)

    async def change_alias_ips(
        self, server_id: int, *, network: int, alias_ips: Sequence[str]
    ) -> Action:
        """Replace a server's alias IPs in a network it is attached to (send all to keep)."""
        body = {"network": check_id("network", network), "alias_ips": check_alias_ips(alias_ips)}
        return await self._run(server_id, "change_alias_ips", body)

    async def change_dns_ptr(self, server_id: int, *, ip: str, dns_ptr: str | None) -> Action:
        """Set the reverse DNS name of one of a server's public IPs.

        ``dns_ptr=None`` resets an IPv4 entry to the default, or removes an IPv6 entry.
        """
        check_ip("ip", ip)
        if dns_ptr is not None and not dns_ptr.strip():
            raise ValidationError("dns_ptr", "must be a host name, or None to reset it")
        # dns_ptr is sent even when None: null is how the API is told to reset the entry.
        return await self._run(server_id, "change_dns_ptr", {"ip": ip, "dns_ptr": dns_ptr})

    async def add_to_placement_group(self, server_id: int, *, placement_group: int) -> Action:
        """Put a server that is off into a placement group (it may be in at most one)."""
        body = {"placement_group": check_id("placement_group", placement_group)}
        return await self._run(server_id, "add_to_placement_group", body)

    async def remove_from_placement_group(self, server_id: int) -> Action:
        """Take a server out of its placement group."""
        return await self._run(server_id, "remove_from_placement_group")
