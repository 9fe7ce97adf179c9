"""The server actions about its disk: automatic backups and images (snapshots) of it."""

from __future__ import annotations

from collections.abc import Mapping

from .._validate import check_labels
from ..errors import ValidationError
from ..models import Action, CreateImageResult, Image, Server
from ._base import CREATE_MARKER, query
from ._collection import ActionListings

__all__ = ["ServerImageActions"]

IMAGE_TYPES = ("snapshot", "backup")


class ServerImageActions(ActionListings[Server]):
    """``POST /servers/{id}/actions/...`` for backups and images."""

    async def enable_backup(self, server_id: int) -> Action:
        """Turn on daily backups (seven slots; the server costs 20 % more)."""
        return await self._run(server_id, "enable_backup")

    async def disable_backup(self, server_id: int) -> Action:
        """Turn off daily backups and delete every existing backup of the server at once."""
        return await self._run(server_id, "disable_backup")

    async def create_image(
        self,
        server_id: int,
        *,
        description: str | None = None,
        type: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> CreateImageResult:
        """Copy a server's disk into a new image; wait on ``result.action`` until it is ready.

        ``type`` is ``snapshot`` (the default: it outlives the server) or ``backup`` (bound to
        the server; needs backups enabled). Shut the server down first for a consistent disk.
        After a network failure that may have created the image, the image is looked up by its
        create marker label and adopted instead of being made twice.
        """
        if type is not None and type not in IMAGE_TYPES:
            raise ValidationError("type", f"must be 'snapshot' or 'backup', not {type!r}")
        if labels is not None:
            check_labels(labels)
        marked, marker = self._marked(labels)
        body = self._body(description=description, type=type, labels=marked)
        path = self._item_path(server_id, "actions", "create_image")

        async def adopt() -> CreateImageResult | None:
            selector = query(label_selector=f"{CREATE_MARKER}={marker}")
            async for image in self._pages("/images", "images", Image, selector):
                actions = await self.list_actions(server_id, sort="id")
                made = [
                    action
                    for action in actions
                    if action.command == "create_image"
                    and any(r.type == "image" and r.id == image.id for r in action.resources)
                ]
                if made:
                    return CreateImageResult(image=image, action=made[-1])
            return None

        return await self._create_exactly_once(
            path,
            body,
            read=lambda data: self._structure(data, CreateImageResult),
            adopt=adopt,
        )
