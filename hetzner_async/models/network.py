"""Private networks: their IP range, subnets and routes.

``NetworkRoute`` serves both directions: it is parsed from responses and sent in requests.
``NewSubnet`` is what a request sends to add a subnet; the API answers with a ``NetworkSubnet``,
which also carries its gateway.
"""

from datetime import datetime

import attrs

from .common import DeleteProtection

__all__ = ["Network", "NetworkRoute", "NetworkSubnet", "NewSubnet"]


@attrs.frozen
class NetworkRoute:
    """Send packets for ``destination`` (a CIDR, or ``0.0.0.0/0``) to the ``gateway`` IP."""

    destination: str
    gateway: str


@attrs.frozen(kw_only=True)
class NewSubnet:
    """A subnet to allocate: ``cloud`` (or the deprecated ``server``) or ``vswitch``.

    Without ``ip_range`` the API picks the first free /24 of the network; ``vswitch_id`` is
    the robot vSwitch to couple, for (and only for) ``vswitch`` subnets.
    """

    type: str
    network_zone: str
    ip_range: str | None = None
    vswitch_id: int | None = None


@attrs.frozen(kw_only=True)
class NetworkSubnet:
    """A subnet of a network, with the gateway its servers use."""

    type: str
    ip_range: str | None = None
    network_zone: str
    gateway: str
    vswitch_id: int | None = None


@attrs.frozen(kw_only=True)
class Network:
    """A private network: its range, subnets, routes and what is attached to it."""

    id: int
    name: str
    ip_range: str
    subnets: list[NetworkSubnet]
    routes: list[NetworkRoute]
    servers: list[int]
    load_balancers: list[int] = attrs.Factory(list)
    protection: DeleteProtection
    labels: dict[str, str]
    created: datetime
    expose_routes_to_vswitch: bool
