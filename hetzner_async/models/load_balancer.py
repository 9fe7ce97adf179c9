"""Load Balancers, their addresses, networks and protection, and the result of creating one."""

from datetime import datetime

import attrs

from .action import Action
from .catalog import LoadBalancerType, Location
from .common import DeleteProtection
from .load_balancer_service import LoadBalancerService
from .load_balancer_target import LoadBalancerTarget

__all__ = [
    "CreateLoadBalancerResult",
    "LoadBalancer",
    "LoadBalancerAddress",
    "LoadBalancerAlgorithm",
    "LoadBalancerPrivateNet",
    "LoadBalancerPublicNet",
]


@attrs.frozen(kw_only=True)
class LoadBalancerAddress:
    """A public address of a load balancer and its reverse DNS entry (None while disabled)."""

    #: The Primary IP the address belongs to; newer than the spec (2026-10-05: load balancers
    #: can be created on existing Primary IPs), so None when the API does not send it.
    id: int | None = None
    ip: str | None
    dns_ptr: str | None


@attrs.frozen(kw_only=True)
class LoadBalancerPublicNet:
    """The public interface: whether it is enabled, and its IPv4 and IPv6 addresses."""

    enabled: bool
    ipv4: LoadBalancerAddress
    ipv6: LoadBalancerAddress


@attrs.frozen(kw_only=True)
class LoadBalancerPrivateNet:
    """The load balancer's address in one private network."""

    network: int
    ip: str


@attrs.frozen(kw_only=True)
class LoadBalancerAlgorithm:
    """How new connections are spread: ``round_robin`` or ``least_connections``."""

    type: str


@attrs.frozen(kw_only=True)
class LoadBalancer:
    """A load balancer: its services, targets, addresses and type, as the response had it."""

    id: int
    name: str
    public_net: LoadBalancerPublicNet
    private_net: list[LoadBalancerPrivateNet]
    location: Location
    load_balancer_type: LoadBalancerType
    protection: DeleteProtection
    labels: dict[str, str]
    created: datetime
    services: list[LoadBalancerService]
    targets: list[LoadBalancerTarget]
    algorithm: LoadBalancerAlgorithm
    #: Traffic of the current billing period in bytes (None when unknown).
    outgoing_traffic: int | None
    ingoing_traffic: int | None
    included_traffic: int


@attrs.frozen(kw_only=True)
class CreateLoadBalancerResult:
    """A new load balancer and the action creating it."""

    load_balancer: LoadBalancer
    action: Action
