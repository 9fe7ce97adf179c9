"""``hz.datacenters``: the datacenters inside the locations."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ..models import Datacenter
from ._base import Sort, query
from ._collection import Collection

__all__ = ["Datacenters"]


class Datacenters(Collection[Datacenter]):
    """Datacenters (https://docs.hetzner.cloud/reference/cloud#data-centers).

    The API is moving from datacenters to locations: prefer ``hz.locations`` and the
    ``location`` argument of creates where both are offered.
    """

    path = "/datacenters"
    item_key = "datacenter"
    page_key = "datacenters"
    model = Datacenter

    def iter(
        self, *, name: str | None = None, sort: Sort | None = None
    ) -> AsyncIterator[Datacenter]:
        """Iterate over every datacenter (or the one with this name), page by page."""
        return self._iter(query(name=name, sort=sort))

    async def list(self, *, name: str | None = None, sort: Sort | None = None) -> list[Datacenter]:
        """Return every datacenter (or the one with this name)."""
        return [datacenter async for datacenter in self.iter(name=name, sort=sort)]
