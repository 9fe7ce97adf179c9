"""Load Balancer targets: servers, label selectors and IPs, and their health per service port.

``LoadBalancerTarget`` serves both directions: build one with ``for_server``,
``for_label_selector`` or ``for_ip`` to add or remove it; one read from the API also carries
its health and, for a label selector, the servers it currently matches.
"""

from typing import Self

import attrs

from .common import OpenStrEnum
from .firewall import LabelSelectorRef, ResourceRef

__all__ = [
    "LoadBalancerSelectedTarget",
    "LoadBalancerTarget",
    "LoadBalancerTargetHealth",
    "LoadBalancerTargetIP",
    "TargetHealthStatus",
]


class TargetHealthStatus(OpenStrEnum):
    """Whether a target passes the health check of one service."""

    HEALTHY = "healthy"
    UNHEALTHY = "unhealthy"
    UNKNOWN = "unknown"


@attrs.frozen(kw_only=True)
class LoadBalancerTargetHealth:
    """The health of a target as seen by the service on ``listen_port``."""

    listen_port: int
    status: TargetHealthStatus


@attrs.frozen(kw_only=True)
class LoadBalancerTargetIP:
    """An IP target: a public or vSwitch IP of a Hetzner Online root server of the owner."""

    ip: str


@attrs.frozen(kw_only=True)
class LoadBalancerSelectedTarget:
    """A server that a label-selector target currently matches, with its health."""

    type: str
    server: ResourceRef
    health_status: list[LoadBalancerTargetHealth]
    use_private_ip: bool


@attrs.frozen(kw_only=True)
class LoadBalancerTarget:
    """Where a load balancer sends traffic: one server, every server matching a selector, an IP.

    ``use_private_ip`` (servers and label selectors only) reaches the servers through the
    private network the load balancer shares with them.
    """

    type: str
    server: ResourceRef | None = None
    label_selector: LabelSelectorRef | None = None
    ip: LoadBalancerTargetIP | None = None
    use_private_ip: bool | None = None
    # Only in responses: the health per service, and the servers a label selector matches.
    health_status: list[LoadBalancerTargetHealth] | None = None
    targets: list[LoadBalancerSelectedTarget] | None = None

    @classmethod
    def for_server(cls, server_id: int, *, use_private_ip: bool | None = None) -> Self:
        """Refer to one server by its ID."""
        return cls(type="server", server=ResourceRef(server_id), use_private_ip=use_private_ip)

    @classmethod
    def for_label_selector(cls, selector: str, *, use_private_ip: bool | None = None) -> Self:
        """Refer to every server matching a label selector such as ``role=web``."""
        return cls(
            type="label_selector",
            label_selector=LabelSelectorRef(selector),
            use_private_ip=use_private_ip,
        )

    @classmethod
    def for_ip(cls, ip: str) -> Self:
        """Refer to a root server (outside Hetzner Cloud) by its IP."""
        return cls(type="ip", ip=LoadBalancerTargetIP(ip=ip))
