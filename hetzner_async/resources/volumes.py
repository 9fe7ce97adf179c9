"""``hz.volumes``: block storage volumes, attached to servers in their location."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping, Sequence

from .._validate import check_id, check_labels
from .._validate_storage import check_volume_format, check_volume_name, check_volume_size
from ..errors import HetznerError, ValidationError
from ..models import Action, CreateVolumeResult, Volume, VolumeStatus
from ._base import LabelSelector, Sort, query
from ._collection import ActionListings

__all__ = ["Volumes"]


def _adopted(volume: Volume, actions: builtins.list[Action]) -> CreateVolumeResult:
    """Rebuild the create result of a volume found after an ambiguous create, from its actions."""
    create = next((a for a in actions if a.command == "create_volume"), None)
    if create is None:
        raise HetznerError(f"volume {volume.id} was created, but its create action is gone")
    attaches = [a for a in actions if a.command == "attach_volume" and a.id > create.id]
    return CreateVolumeResult(volume=volume, action=create, next_actions=attaches[:1])


class Volumes(ActionListings[Volume]):
    """Volumes of the project (https://docs.hetzner.cloud/reference/cloud#volumes).

    A volume attaches to one server at a time, in its own location, and must be detached
    before it can be deleted.
    """

    path = "/volumes"
    item_key = "volume"
    page_key = "volumes"
    model = Volume

    def iter(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        status: VolumeStatus | str | Sequence[VolumeStatus | str] | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[Volume]:
        """Iterate over every matching volume, fetching pages of 50 as needed."""
        return self._iter(query(name=name, label_selector=label_selector, status=status, sort=sort))

    async def list(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        status: VolumeStatus | str | Sequence[VolumeStatus | str] | None = None,
        sort: Sort | None = None,
    ) -> list[Volume]:
        """Return every matching volume (all pages)."""
        volumes = self.iter(name=name, label_selector=label_selector, status=status, sort=sort)
        return [volume async for volume in volumes]

    async def create(
        self,
        *,
        name: str,
        size: int,
        location: str | int | None = None,
        server: int | None = None,
        automount: bool | None = None,
        format: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> CreateVolumeResult:
        """Create a volume of ``size`` GB in a location, or for a server (attached once ready).

        Give ``location`` (ID or name) or ``server`` (the volume is made in the server's
        location); with ``server``, ``result.next_actions`` holds the attach action and
        ``automount`` mounts it. ``format`` is ``"xfs"`` or ``"ext4"``.
        """
        check_volume_name(name)
        check_volume_size("size", size)
        if location is None and server is None:
            raise ValidationError("location", "give a location, or a server to attach to")
        if server is not None:
            check_id("server", server)
        if automount is not None and server is None:
            raise ValidationError("automount", "mounts after attaching: it needs a server")
        if format is not None:
            check_volume_format(format)
        if labels is not None:
            check_labels(labels)
        marked, _ = self._marked(labels)
        body = self._body(
            size=int(size),
            name=name,
            labels=marked,
            automount=automount,
            format=format,
            # The API documents ``location`` as a string holding the location's ID or name.
            location=None if location is None else str(location),
            server=server,
        )
        return await self._create_named(
            body, read=lambda data: self._structure(data, CreateVolumeResult), adopted=_adopted
        )

    async def update(
        self, volume_id: int, *, name: str | None = None, labels: Mapping[str, str] | None = None
    ) -> Volume:
        """Rename a volume or replace its labels."""
        if name is not None:
            check_volume_name(name)
        if labels is not None:
            check_labels(labels)
        return await self._update(volume_id, name=name, labels=labels)

    async def delete(self, volume_id: int) -> None:
        """Delete a detached, unprotected volume with its data; safe to repeat after a failure."""
        await self._delete(volume_id)

    async def attach(self, volume_id: int, *, server: int, automount: bool | None = None) -> Action:
        """Attach a volume to a server in the same location, optionally mounting it."""
        body = self._body(server=check_id("server", server), automount=automount)
        return await self._run(volume_id, "attach", body)

    async def detach(self, volume_id: int) -> Action:
        """Detach a volume from its server; it can be attached again later."""
        return await self._run(volume_id, "detach")

    async def resize(self, volume_id: int, *, size: float) -> Action:
        """Grow a volume to ``size`` GB (more than its current size: volumes never shrink)."""
        check_volume_size("size", size)
        return await self._run(volume_id, "resize", self._body(size=int(size)))

    async def change_protection(self, volume_id: int, *, delete: bool | None = None) -> Action:
        """Protect a volume against deletion, or lift the protection."""
        return await self._run(volume_id, "change_protection", self._body(delete=delete))
