"""Servers, their networks and protection, and the results of server operations."""

from datetime import datetime

import attrs

from .action import Action
from .catalog import ISO, Datacenter, Image, Location, PlacementGroup, ServerType
from .common import OpenStrEnum, redacted

__all__ = [
    "IPv4",
    "IPv6",
    "ConsoleResult",
    "CreateImageResult",
    "CreateServerResult",
    "DnsPtr",
    "EnableRescueResult",
    "PrivateNet",
    "PublicNet",
    "RebuildServerResult",
    "ResetPasswordResult",
    "Server",
    "ServerFirewall",
    "ServerProtection",
    "ServerStatus",
]


class ServerStatus(OpenStrEnum):
    """Power and lifecycle state of a server.

    ``UNKNOWN`` is the API's own ``unknown`` status. A status the API added since this SDK was
    released keeps its string and is none of these members (``.known`` is False).
    """

    RUNNING = "running"
    INITIALIZING = "initializing"
    STARTING = "starting"
    STOPPING = "stopping"
    OFF = "off"
    DELETING = "deleting"
    MIGRATING = "migrating"
    REBUILDING = "rebuilding"
    UNKNOWN = "unknown"


@attrs.frozen(kw_only=True)
class IPv4:
    """The server's public IPv4 address and its reverse DNS entry."""

    id: int | None = None
    ip: str
    blocked: bool
    dns_ptr: str


@attrs.frozen(kw_only=True)
class DnsPtr:
    """A reverse DNS entry for one address."""

    ip: str
    dns_ptr: str


@attrs.frozen(kw_only=True)
class IPv6:
    """The server's public IPv6 network and the reverse DNS entries set within it."""

    id: int | None = None
    ip: str
    blocked: bool
    dns_ptr: list[DnsPtr] | None


@attrs.frozen(kw_only=True)
class ServerFirewall:
    """A firewall on the server's public interface and whether it is applied yet."""

    id: int | None = None
    status: str | None = None


@attrs.frozen(kw_only=True)
class PublicNet:
    """The server's public addresses and the firewalls in front of them."""

    ipv4: IPv4 | None
    ipv6: IPv6 | None
    floating_ips: list[int]
    firewalls: list[ServerFirewall] = attrs.Factory(list)


@attrs.frozen(kw_only=True)
class PrivateNet:
    """The server's attachment to one private network."""

    network: int | None = None
    ip: str | None = None
    alias_ips: list[str] = attrs.Factory(list)
    mac_address: str | None = None


@attrs.frozen(kw_only=True)
class ServerProtection:
    """Which destructive operations are blocked on a server."""

    delete: bool
    rebuild: bool


@attrs.frozen(kw_only=True)
class Server:
    """A cloud server, as it was when the response was sent."""

    id: int
    name: str
    status: ServerStatus
    created: datetime
    public_net: PublicNet
    private_net: list[PrivateNet]
    server_type: ServerType
    # Deprecated; "will be removed after the 1 July 2026": use ``location``.
    # https://docs.hetzner.cloud/reference/cloud#servers-get-a-server
    datacenter: Datacenter | None = None
    location: Location
    image: Image | None
    iso: ISO | None
    rescue_enabled: bool
    locked: bool
    backup_window: str | None
    outgoing_traffic: int | None
    ingoing_traffic: int | None
    included_traffic: int | None
    protection: ServerProtection
    labels: dict[str, str]
    volumes: list[int] = attrs.Factory(list)
    load_balancers: list[int] = attrs.Factory(list)
    primary_disk_size: float
    placement_group: PlacementGroup | None = None


@attrs.frozen(kw_only=True)
class CreateServerResult:
    """A new server, the action creating it, the actions queued after it, and its root password.

    ``root_password`` is set only when the server was created without SSH keys.
    """

    server: Server
    action: Action
    next_actions: list[Action]
    root_password: str | None = attrs.field(repr=redacted)


# The spec marks both keys of the next three responses optional. Every documented response has
# the action, and callers wait on it, so it is required (a deliberate deviation the contract test
# lists); the password stays optional.


@attrs.frozen(kw_only=True)
class RebuildServerResult:
    """The rebuild action, and the new root password if the image sets one."""

    action: Action
    root_password: str | None = attrs.field(default=None, repr=redacted)


@attrs.frozen(kw_only=True)
class EnableRescueResult:
    """The action enabling rescue mode, and the rescue system's root password."""

    action: Action
    root_password: str | None = attrs.field(default=None, repr=redacted)


@attrs.frozen(kw_only=True)
class ResetPasswordResult:
    """The action resetting the root password, and the new password."""

    action: Action
    root_password: str | None = attrs.field(default=None, repr=redacted)


@attrs.frozen(kw_only=True)
class ConsoleResult:
    """Credentials for the server's VNC console over websocket, valid for one minute."""

    # The URL carries an access token in its query string, so it is as secret as the password.
    wss_url: str = attrs.field(repr=redacted)
    password: str = attrs.field(repr=redacted)
    action: Action


@attrs.frozen(kw_only=True)
class CreateImageResult:
    """The image a server's disk is being copied into, and the action doing it."""

    # The spec marks both keys optional; every documented response has them, and callers wait
    # on the action and keep the image's id: both are required (listed in the contract test).
    image: Image
    action: Action
