"""The resource groups of a client: ``servers``, ``networks``, ``volumes``, the catalog, ..."""

from .actions import Actions
from .certificates import Certificates
from .datacenters import Datacenters
from .firewalls import Firewalls
from .floating_ips import FloatingIPs
from .images import Images
from .isos import ISOs
from .load_balancer_types import LoadBalancerTypes
from .load_balancers import LoadBalancers
from .locations import Locations
from .networks import Networks
from .placement_groups import PlacementGroups
from .pricing import Pricing
from .primary_ips import PrimaryIPs
from .server_types import ServerTypes
from .servers import DeprovisionReport, Servers
from .ssh_keys import SSHKeys
from .volumes import Volumes
from .zone_rrsets import ZoneRRSets
from .zones import Zones

__all__ = [
    "Actions",
    "Certificates",
    "Datacenters",
    "DeprovisionReport",
    "Firewalls",
    "FloatingIPs",
    "ISOs",
    "Images",
    "LoadBalancerTypes",
    "LoadBalancers",
    "Locations",
    "Networks",
    "PlacementGroups",
    "Pricing",
    "PrimaryIPs",
    "SSHKeys",
    "ServerTypes",
    "Servers",
    "Volumes",
    "ZoneRRSets",
    "Zones",
]
