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
from .common import DeleteProtection, DeprecationInfo, Meta, Pagination
from .firewall import (
    CreateFirewallResult,
    Firewall,
    FirewallAppliedResource,
    FirewallResource,
    FirewallRule,
    LabelSelectorRef,
    ResourceRef,
)
from .ip import CreateFloatingIPResult, CreatePrimaryIPResult, FloatingIP, IPType, PrimaryIP
from .placement_group import CreatePlacementGroupResult
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
from .volume import CreateVolumeResult, Volume, VolumeStatus

__all__ = [
    "ISO",
    "Action",
    "ActionError",
    "ActionResource",
    "ActionStatus",
    "ConsoleResult",
    "CreateFirewallResult",
    "CreateFloatingIPResult",
    "CreatePlacementGroupResult",
    "CreatePrimaryIPResult",
    "CreateServerResult",
    "CreateVolumeResult",
    "Datacenter",
    "DatacenterServerTypes",
    "DeleteProtection",
    "DeprecationInfo",
    "DnsPtr",
    "EnableRescueResult",
    "Firewall",
    "FirewallAppliedResource",
    "FirewallResource",
    "FirewallRule",
    "FloatingIP",
    "IPType",
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
    "PrimaryIP",
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
    "Volume",
    "VolumeStatus",
]
