"""What a server is built from and where it runs: types, locations, images, ISOs, groups.

These objects arrive embedded in a server, and the catalog groups (``hz.server_types``,
``hz.locations``, ``hz.load_balancer_types``, ...) list them. Enumerated strings (architecture,
storage type, image type, ...) stay plain ``str`` so that a value the API adds later does not
break parsing.
"""

from datetime import datetime

import attrs

from .common import DeprecationInfo

__all__ = [
    "ISO",
    "Datacenter",
    "DatacenterServerTypes",
    "Image",
    "ImageCreatedFrom",
    "ImageProtection",
    "LoadBalancerType",
    "LoadBalancerTypePrice",
    "Location",
    "PlacementGroup",
    "Price",
    "ServerType",
    "ServerTypeLocation",
    "ServerTypePrice",
]


@attrs.frozen(kw_only=True)
class Price:
    """An amount of money as decimal strings, without (``net``) and with VAT (``gross``)."""

    net: str
    gross: str


@attrs.frozen(kw_only=True)
class ServerTypePrice:
    """What a server type costs in one location."""

    location: str
    price_hourly: Price
    price_monthly: Price
    included_traffic: int
    price_per_tb_traffic: Price


@attrs.frozen(kw_only=True)
class LoadBalancerTypePrice:
    """What a load balancer type costs in one location."""

    location: str
    price_hourly: Price
    price_monthly: Price
    included_traffic: int
    price_per_tb_traffic: Price


@attrs.frozen(kw_only=True)
class LoadBalancerType:
    """A load balancer plan: its limits and its prices by location."""

    id: int
    name: str
    description: str
    max_connections: int
    max_services: int
    max_targets: int
    max_assigned_certificates: int
    deprecated: datetime | None
    prices: list[LoadBalancerTypePrice]


@attrs.frozen(kw_only=True)
class ServerTypeLocation:
    """A location that offers a server type, and whether it is deprecated or available there."""

    id: int
    name: str
    deprecation: DeprecationInfo | None
    recommended: bool
    available: bool


@attrs.frozen(kw_only=True)
class ServerType:
    """A server plan: its hardware, its prices and the locations that offer it."""

    id: int
    name: str
    description: str
    cores: float
    memory: float
    disk: float
    deprecated: bool
    prices: list[ServerTypePrice]
    storage_type: str
    cpu_type: str
    category: str | None = None
    architecture: str
    # Deprecated by the API: use ``locations[].deprecation``.
    deprecation: DeprecationInfo | None = None
    locations: list[ServerTypeLocation]


@attrs.frozen(kw_only=True)
class Location:
    """A site where resources run."""

    id: int
    name: str
    description: str
    country: str
    city: str
    latitude: float
    longitude: float
    network_zone: str


@attrs.frozen(kw_only=True)
class DatacenterServerTypes:
    """IDs of the server types a datacenter supports, has in stock and can migrate to.

    Deprecated by the API, every field of it: use ``ServerType.locations``.
    """

    supported: list[int] = attrs.Factory(list)
    available: list[int] = attrs.Factory(list)
    available_for_migration: list[int] = attrs.Factory(list)


@attrs.frozen(kw_only=True)
class Datacenter:
    """A datacenter inside a location (deprecated by the API in favour of ``location``)."""

    id: int
    name: str
    description: str
    location: Location
    # Deprecated by the API ("all of its properties are deprecated"): read while sent.
    server_types: DatacenterServerTypes | None = None


@attrs.frozen(kw_only=True)
class ImageCreatedFrom:
    """The server an image was taken from, with its name at that time."""

    id: int
    name: str


@attrs.frozen(kw_only=True)
class ImageProtection:
    """Which destructive operations are blocked on an image."""

    delete: bool


@attrs.frozen(kw_only=True)
class Image:
    """A disk image a server can be created or rebuilt from."""

    id: int
    type: str
    status: str
    name: str | None
    description: str
    image_size: float | None
    disk_size: float
    created: datetime
    created_from: ImageCreatedFrom | None
    bound_to: int | None
    os_flavor: str
    os_version: str | None
    rapid_deploy: bool | None = None
    protection: ImageProtection
    deprecated: datetime | None
    # The spec gives this RFC 3339 point in time no date-time format, so it stays a string.
    deleted: str | None
    labels: dict[str, str]
    architecture: str


@attrs.frozen(kw_only=True)
class ISO:
    """An ISO image that can be attached to a server's virtual drive."""

    id: int
    name: str | None
    description: str
    type: str | None
    deprecation: DeprecationInfo | None
    architecture: str | None


@attrs.frozen(kw_only=True)
class PlacementGroup:
    """A group of servers the API places on different hosts."""

    id: int
    name: str
    labels: dict[str, str]
    type: str
    created: datetime
    servers: list[int]
