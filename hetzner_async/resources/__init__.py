"""The resource groups of a client: ``servers``, ``ssh_keys``, ``firewalls``, ``actions``, ..."""

from .actions import Actions
from .firewalls import Firewalls
from .floating_ips import FloatingIPs
from .placement_groups import PlacementGroups
from .primary_ips import PrimaryIPs
from .servers import DeprovisionReport, Servers
from .ssh_keys import SSHKeys
from .volumes import Volumes
from .zone_rrsets import ZoneRRSets
from .zones import Zones

__all__ = [
    "Actions",
    "DeprovisionReport",
    "Firewalls",
    "FloatingIPs",
    "PlacementGroups",
    "PrimaryIPs",
    "SSHKeys",
    "Servers",
    "Volumes",
    "ZoneRRSets",
    "Zones",
]
