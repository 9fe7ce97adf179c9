"""Volumes: block storage attached to one server in the same location."""

from datetime import datetime

import attrs

from .action import Action
from .catalog import Location
from .common import DeleteProtection, OpenStrEnum

__all__ = ["CreateVolumeResult", "Volume", "VolumeStatus"]


class VolumeStatus(OpenStrEnum):
    """Whether a volume is still being created or ready to use."""

    CREATING = "creating"
    AVAILABLE = "available"


@attrs.frozen(kw_only=True)
class Volume:
    """A block storage volume, as it was when the response was sent."""

    id: int
    created: datetime
    name: str
    #: The server it is attached to, or None.
    server: int | None
    location: Location
    #: Size in GB.
    size: float
    #: Where the volume appears on its server, e.g. ``/dev/disk/by-id/scsi-0HC_Volume_4711``.
    linux_device: str
    protection: DeleteProtection
    labels: dict[str, str]
    status: VolumeStatus
    #: The filesystem it was formatted with at creation (``xfs``, ``ext4``), or None.
    format: str | None


@attrs.frozen(kw_only=True)
class CreateVolumeResult:
    """A new volume, the action creating it, and the attach action queued after it.

    ``next_actions`` holds one ``attach_volume`` action when the volume was created for a server.
    """

    volume: Volume
    action: Action
    next_actions: list[Action]
