"""``hz.locations``: the sites where resources run, and their network zones."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ..models import Location
from ._base import Sort, query
from ._collection import Collection

__all__ = ["Locations"]


class Locations(Collection[Location]):
    """Locations (https://docs.hetzner.cloud/reference/cloud#locations)."""

    path = "/locations"
    item_key = "location"
    page_key = "locations"
    model = Location

    def iter(self, *, name: str | None = None, sort: Sort | None = None) -> AsyncIterator[Location]:
        """Iterate over every location (or the one with this name), page by page."""
        return self._iter(query(name=name, sort=sort))

    async def list(self, *, name: str | None = None, sort: Sort | None = None) -> list[Location]:
        """Return every location (or the one with this name)."""
        return [location async for location in self.iter(name=name, sort=sort)]
