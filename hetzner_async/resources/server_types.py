"""``hz.server_types``: the server plans, with their hardware and prices."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ..models import ServerType
from ._base import query
from ._collection import Collection

__all__ = ["ServerTypes"]


class ServerTypes(Collection[ServerType]):
    """Server types (https://docs.hetzner.cloud/reference/cloud#server-types)."""

    path = "/server_types"
    item_key = "server_type"
    page_key = "server_types"
    model = ServerType

    def iter(self, *, name: str | None = None) -> AsyncIterator[ServerType]:
        """Iterate over every server type (or the one with this name), page by page."""
        return self._iter(query(name=name))

    async def list(self, *, name: str | None = None) -> list[ServerType]:
        """Return every server type (or the one with this name)."""
        return [server_type async for server_type in self.iter(name=name)]
