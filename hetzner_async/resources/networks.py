"""``hz.networks``: private networks, their subnets and routes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence

from .._validate import check_labels, check_not_empty
from .._validate_net import (
    check_network_ip_range,
    check_route,
    check_routes,
    check_subnet,
    check_subnet_ip_range,
    check_subnets,
)
from ..models import Action, Network, NetworkRoute, NewSubnet
from ._base import LabelSelector, Sort, query
from ._collection import ActionListings

__all__ = ["Networks"]


class Networks(ActionListings[Network]):
    """Private networks of the project (https://docs.hetzner.cloud/reference/cloud#networks).

    Servers join a network with ``hz.servers.attach_to_network`` once it has a subnet in their
    network zone; deleting a network detaches what is attached to it.
    """

    path = "/networks"
    item_key = "network"
    page_key = "networks"
    model = Network

    def iter(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[Network]:
        """Iterate over every matching network, fetching pages of 50 as needed."""
        return self._iter(query(name=name, label_selector=label_selector, sort=sort))

    async def list(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> list[Network]:
        """Return every matching network (all pages)."""
        networks = self.iter(name=name, label_selector=label_selector, sort=sort)
        return [network async for network in networks]

    async def create(
        self,
        *,
        name: str,
        ip_range: str,
        subnets: Sequence[NewSubnet] | None = None,
        routes: Sequence[NetworkRoute] | None = None,
        expose_routes_to_vswitch: bool | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> Network:
        """Create a network over a private range (/24 or larger; /16 recommended).

        The range can later grow (``change_ip_range``) but never shrink. A subnet without an
        ``ip_range`` gets the first free /24.
        """
        check_not_empty("name", name)
        within = check_network_ip_range(ip_range)
        ranges = check_subnets(subnets or [], within)
        check_routes(routes or [], within, ranges)
        if labels is not None:
            check_labels(labels)
        marked, _ = self._marked(labels)
        body = self._body(
            name=name,
            ip_range=ip_range,
            subnets=None if subnets is None else list(subnets),
            routes=None if routes is None else list(routes),
            expose_routes_to_vswitch=expose_routes_to_vswitch,
            labels=marked,
        )
        return await self._create_named(body, read=self._item, adopted=lambda network, _: network)

    async def update(
        self,
        network_id: int,
        *,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
        expose_routes_to_vswitch: bool | None = None,
    ) -> Network:
        """Rename a network, replace its labels, or expose its routes to its vSwitch."""
        if name is not None:
            check_not_empty("name", name)
        if labels is not None:
            check_labels(labels)
        return await self._update(
            network_id, name=name, labels=labels, expose_routes_to_vswitch=expose_routes_to_vswitch
        )

    async def delete(self, network_id: int) -> None:
        """Delete a network, detaching what is attached; safe to repeat after a failure."""
        await self._delete(network_id)

    async def add_subnet(
        self,
        network_id: int,
        *,
        type: str,
        network_zone: str,
        ip_range: str | None = None,
        vswitch_id: int | None = None,
    ) -> Action:
        """Add a ``cloud`` or ``vswitch`` subnet; without ``ip_range``, the first free /24."""
        subnet = NewSubnet(
            type=type, network_zone=network_zone, ip_range=ip_range, vswitch_id=vswitch_id
        )
        check_subnet(subnet, "subnet")
        # Unstructuring leaves out what is None: the API picks the range when none is given.
        body: dict[str, object] = self._converter.unstructure(subnet)
        return await self._run(network_id, "add_subnet", body)

    async def delete_subnet(self, network_id: int, *, ip_range: str) -> Action:
        """Remove the subnet with this range; nothing may be attached in it."""
        check_subnet_ip_range(ip_range)
        return await self._run(network_id, "delete_subnet", {"ip_range": ip_range})

    async def add_route(self, network_id: int, *, destination: str, gateway: str) -> Action:
        """Route packets for ``destination`` to ``gateway``."""
        check_route(destination, gateway)
        body = {"destination": destination, "gateway": gateway}
        return await self._run(network_id, "add_route", body)

    async def delete_route(self, network_id: int, *, destination: str, gateway: str) -> Action:
        """Remove the route to ``destination`` via ``gateway``."""
        check_route(destination, gateway)
        body = {"destination": destination, "gateway": gateway}
        return await self._run(network_id, "delete_route", body)

    async def change_ip_range(self, network_id: int, *, ip_range: str) -> Action:
        """Grow a network's range: same first address, shorter prefix (10.0.0.0/16 -> /15)."""
        check_network_ip_range(ip_range)
        return await self._run(network_id, "change_ip_range", {"ip_range": ip_range})

    async def change_protection(self, network_id: int, *, delete: bool) -> Action:
        """Protect a network against deletion, or lift the protection."""
        return await self._run(network_id, "change_protection", {"delete": delete})
