"""The objects of the Hetzner Cloud API as frozen attrs classes: data only, no I/O.

Conversion to and from JSON lives in ``hetzner_async._convert``. Attributes the API may leave
out of a response default to ``None`` (or an empty list or dict); attributes it sends as
``null`` are typed ``X | None`` without a default.
"""

from .action import Action, ActionError, ActionResource, ActionStatus
from .catalog import (
    ISO,
    Datacenter,
    DatacenterServerTypes,
    Image,
    ImageCreatedFrom,
    ImageProtection,
    Location,
    PlacementGroup,
    Price,
    ServerType,
    ServerTypeLocation,
    ServerTypePrice,
)
from .common import DeprecationInfo, Meta, Pagination
from .firewall import (
    CreateFirewallResult,
    Firewall,
    FirewallAppliedResource,
    FirewallResource,
    FirewallRule,
    LabelSelectorRef,
    ResourceRef,
)
from .server import (
    ConsoleResult,
    CreateServerResult,
    DnsPtr,
    EnableRescueResult,
    IPv4,
    IPv6,
    PrivateNet,
    PublicNet,
    RebuildServerResult,
    ResetPasswordResult,
    Server,
    ServerFirewall,
    ServerProtection,
    ServerStatus,
)
from .ssh_key import SSHKey

__all__ = [
    "ISO",
    "Action",
    "ActionError",
    "ActionResource",
    "ActionStatus",
    "ConsoleResult",
    "CreateFirewallResult",
    "CreateServerResult",
    "Datacenter",
    "DatacenterServerTypes",
    "DeprecationInfo",
    "DnsPtr",
    "EnableRescueResult",
    "Firewall",
    "FirewallAppliedResource",
    "FirewallResource",
    "FirewallRule",
    "IPv4",
    "IPv6",
    "Image",
    "ImageCreatedFrom",
    "ImageProtection",
    "LabelSelectorRef",
    "Location",
    "Meta",
    "Pagination",
    "PlacementGroup",
    "Price",
    "PrivateNet",
    "PublicNet",
    "RebuildServerResult",
    "ResetPasswordResult",
    "ResourceRef",
    "SSHKey",
    "Server",
    "ServerFirewall",
    "ServerProtection",
    "ServerStatus",
    "ServerType",
    "ServerTypeLocation",
    "ServerTypePrice",
]
