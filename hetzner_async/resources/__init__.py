"""The resource groups of a client: ``servers``, ``ssh_keys``, ``firewalls``, ``actions``, ..."""

from .actions import Actions
from .certificates import Certificates
from .firewalls import Firewalls
from .floating_ips import FloatingIPs
from .load_balancers import LoadBalancers
from .placement_groups import PlacementGroups
from .primary_ips import PrimaryIPs
from .servers import DeprovisionReport, Servers
from .ssh_keys import SSHKeys
from .volumes import Volumes

__all__ = [
    "Actions",
    "Certificates",
    "DeprovisionReport",
    "Firewalls",
    "FloatingIPs",
    "LoadBalancers",
    "PlacementGroups",
    "PrimaryIPs",
    "SSHKeys",
    "Servers",
    "Volumes",
]
