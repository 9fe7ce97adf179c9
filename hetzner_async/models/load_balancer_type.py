"""Load Balancer types: the plans a load balancer is created with, and their prices."""

from datetime import datetime

import attrs

from .catalog import Price

__all__ = ["LoadBalancerType", "LoadBalancerTypePrice"]


@attrs.frozen(kw_only=True)
class LoadBalancerTypePrice:
    """What a Load Balancer type costs in one location."""

    location: str
    price_hourly: Price
    price_monthly: Price
    included_traffic: int
    price_per_tb_traffic: Price


@attrs.frozen(kw_only=True)
class LoadBalancerType:
    """A Load Balancer plan: how many connections, services, targets and certificates it takes."""

    id: int
    name: str
    description: str
    max_connections: int
    max_services: int
    max_targets: int
    max_assigned_certificates: int
    #: When the type was deprecated, or None while it is not.
    deprecated: datetime | None
    prices: list[LoadBalancerTypePrice]
