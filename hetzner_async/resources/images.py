"""``hz.images``: system and app images, and the project's snapshots and backups."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping, Sequence

from .._validate import check_id, check_labels
from ..errors import ValidationError
from ..models import Action, Image
from ._base import LabelSelector, Sort, query
from ._collection import ActionListings

__all__ = ["Images"]

ARCHITECTURES = ("x86", "arm")

#: One value or several for the ``type`` and ``status`` filters.
Filter = str | Sequence[str]


def _bound_to(server_ids: int | Sequence[int] | None) -> builtins.list[int] | None:
    if server_ids is None:
        return None
    ids = [server_ids] if isinstance(server_ids, int) else list(server_ids)
    return [check_id("bound_to", server_id) for server_id in ids]


def _check_architecture(architecture: str | None) -> None:
    if architecture is not None and architecture not in ARCHITECTURES:
        raise ValidationError("architecture", f"must be 'x86' or 'arm', not {architecture!r}")


class Images(ActionListings[Image]):
    """Images the project can use (https://docs.hetzner.cloud/reference/cloud#images).

    Snapshots come from ``hz.servers.create_image``; system images carry the same name for each
    CPU architecture, so look them up with ``get_by_name(name, architecture=...)``.
    """

    path = "/images"
    item_key = "image"
    page_key = "images"
    model = Image

    def iter(
        self,
        *,
        type: Filter | None = None,
        status: Filter | None = None,
        bound_to: int | Sequence[int] | None = None,
        include_deprecated: bool | None = None,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        architecture: str | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[Image]:
        """Iterate over every matching image, fetching pages of 50 as needed.

        ``type`` is ``system``, ``app``, ``snapshot`` or ``backup``; ``bound_to`` takes the
        servers whose backups to list; deprecated images are left out unless asked for.
        """
        _check_architecture(architecture)
        params = query(
            type=type,
            status=status,
            bound_to=_bound_to(bound_to),
            include_deprecated=include_deprecated,
            name=name,
            label_selector=label_selector,
            architecture=architecture,
            sort=sort,
        )
        return self._iter(params)

    async def list(
        self,
        *,
        type: Filter | None = None,
        status: Filter | None = None,
        bound_to: int | Sequence[int] | None = None,
        include_deprecated: bool | None = None,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        architecture: str | None = None,
        sort: Sort | None = None,
    ) -> builtins.list[Image]:
        """Return every matching image (all pages)."""
        images = self.iter(
            type=type,
            status=status,
            bound_to=bound_to,
            include_deprecated=include_deprecated,
            name=name,
            label_selector=label_selector,
            architecture=architecture,
            sort=sort,
        )
        return [image async for image in images]

    async def get_by_name(
        self,
        name: str,
        *,
        architecture: str | None = None,
        include_deprecated: bool | None = None,
    ) -> Image | None:
        """Return the image with this name for this architecture (``x86`` or ``arm``), or None.

        Without ``architecture``, a name that exists for both raises ``ValidationError``
        rather than picking one.
        """
        found = await self.list(
            name=name, architecture=architecture, include_deprecated=include_deprecated
        )
        architectures = sorted({image.architecture for image in found})
        if len(architectures) > 1:
            raise ValidationError(
                "architecture",
                f"image {name!r} exists for {' and '.join(architectures)}; pass architecture=",
            )
        return found[0] if found else None

    async def update(
        self,
        image_id: int,
        *,
        description: str | None = None,
        type: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> Image:
        """Change a snapshot's or backup's description or labels, or make a backup a snapshot.

        ``type="snapshot"`` converts a backup into a snapshot, which outlives its server.
        """
        if type is not None and type != "snapshot":
            raise ValidationError("type", f"an image can only be converted to 'snapshot': {type!r}")
        if labels is not None:
            check_labels(labels)
        return await self._update(image_id, description=description, type=type, labels=labels)

    async def delete(self, image_id: int) -> None:
        """Delete a snapshot or backup; safe to repeat after a failure."""
        await self._delete(image_id)

    async def change_protection(self, image_id: int, *, delete: bool) -> Action:
        """Protect a snapshot against deletion, or lift the protection."""
        return await self._run(image_id, "change_protection", {"delete": delete})
