"""What everything costs: the answer of ``GET /pricing``.

Amounts are decimal strings (``Price``), as the API sends them, so no precision is lost; the
currency and VAT rate apply to all of them.
"""

import attrs

from .catalog import LoadBalancerTypePrice, Price, ServerTypePrice

__all__ = [
    "FloatingIPPrice",
    "FloatingIPTypePricing",
    "LegacyFloatingIPPricing",
    "LoadBalancerTypePricing",
    "PerGBMonthPricing",
    "PrimaryIPPrice",
    "PrimaryIPTypePricing",
    "Pricing",
    "ServerBackupPricing",
    "ServerTypePricing",
]


@attrs.frozen(kw_only=True)
class PrimaryIPPrice:
    """What one primary IP costs in one location, per hour and per month."""

    location: str
    price_hourly: Price
    price_monthly: Price


@attrs.frozen(kw_only=True)
class PrimaryIPTypePricing:
    """The prices of primary IPs of one version (``ipv4`` or ``ipv6``), by location."""

    type: str
    prices: list[PrimaryIPPrice]


@attrs.frozen(kw_only=True)
class FloatingIPPrice:
    """What one floating IP costs per month in one location."""

    location: str
    price_monthly: Price


@attrs.frozen(kw_only=True)
class FloatingIPTypePricing:
    """The prices of floating IPs of one version (``ipv4`` or ``ipv6``), by location."""

    type: str
    prices: list[FloatingIPPrice]


@attrs.frozen(kw_only=True)
class LegacyFloatingIPPricing:
    """The one floating IP price of old (deprecated: see ``Pricing.floating_ips``)."""

    price_monthly: Price


@attrs.frozen(kw_only=True)
class PerGBMonthPricing:
    """A price per GB and month (images, volumes)."""

    price_per_gb_month: Price


@attrs.frozen(kw_only=True)
class ServerBackupPricing:
    """Backups cost this percentage of the server's price."""

    percentage: str


@attrs.frozen(kw_only=True)
class ServerTypePricing:
    """The prices of one server type, by location."""

    id: int
    name: str
    prices: list[ServerTypePrice]


@attrs.frozen(kw_only=True)
class LoadBalancerTypePricing:
    """The prices of one load balancer type, by location."""

    id: int
    name: str
    prices: list[LoadBalancerTypePrice]


@attrs.frozen(kw_only=True)
class Pricing:
    """The project's prices for every kind of resource, in one currency."""

    currency: str
    vat_rate: str
    primary_ips: list[PrimaryIPTypePricing]
    floating_ips: list[FloatingIPTypePricing]
    image: PerGBMonthPricing
    volume: PerGBMonthPricing
    server_backup: ServerBackupPricing
    server_types: list[ServerTypePricing]
    load_balancer_types: list[LoadBalancerTypePricing]
    # Deprecated by the API in favour of ``floating_ips``: read it while it is sent, but do not
    # fail when it goes away.
    floating_ip: LegacyFloatingIPPricing | None = None
