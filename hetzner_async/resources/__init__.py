"""The resource groups of a client: ``servers``, ``ssh_keys``, ``firewalls`` and ``actions``."""

from .actions import Actions
from .firewalls import Firewalls
from .servers import DeprovisionReport, Servers
from .ssh_keys import SSHKeys

__all__ = ["Actions", "DeprovisionReport", "Firewalls", "SSHKeys", "Servers"]
