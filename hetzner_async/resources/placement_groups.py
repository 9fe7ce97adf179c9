"""``hz.placement_groups``: groups that place their servers on different hosts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence

from .._validate import check_labels, check_not_empty
from ..models import CreatePlacementGroupResult, PlacementGroup
from ._base import LabelSelector, Sort, query
from ._collection import Collection

__all__ = ["PlacementGroups"]


class PlacementGroups(Collection[PlacementGroup]):
    """Placement groups of the project (https://docs.hetzner.cloud/reference/cloud#placement-groups).

    A ``spread`` group puts each of its servers on a different host (at most 10 servers per
    group). Servers join at creation (``servers.create(placement_group=...)``).
    """

    path = "/placement_groups"
    item_key = "placement_group"
    page_key = "placement_groups"
    model = PlacementGroup

    def iter(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        type: str | Sequence[str] | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[PlacementGroup]:
        """Iterate over every matching placement group, fetching pages of 50 as needed."""
        return self._iter(query(name=name, label_selector=label_selector, type=type, sort=sort))

    async def list(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        type: str | Sequence[str] | None = None,
        sort: Sort | None = None,
    ) -> list[PlacementGroup]:
        """Return every matching placement group (all pages)."""
        groups = self.iter(name=name, label_selector=label_selector, type=type, sort=sort)
        return [group async for group in groups]

    async def create(
        self, *, name: str, type: str, labels: Mapping[str, str] | None = None
    ) -> CreatePlacementGroupResult:
        """Create a placement group of a ``type`` (``"spread"``), named uniquely in the project."""
        check_not_empty("name", name)
        check_not_empty("type", type)
        if labels is not None:
            check_labels(labels)
        marked, _ = self._marked(labels)
        body = self._body(name=name, type=type, labels=marked)
        return await self._create_named(
            body,
            read=lambda data: self._structure(data, CreatePlacementGroupResult),
            adopted=lambda group, _: CreatePlacementGroupResult(placement_group=group),
        )

    async def update(
        self,
        placement_group_id: int,
        *,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> PlacementGroup:
        """Rename a placement group or replace its labels."""
        if name is not None:
            check_not_empty("name", name)
        if labels is not None:
            check_labels(labels)
        return await self._update(placement_group_id, name=name, labels=labels)

    async def delete(self, placement_group_id: int) -> None:
        """Delete a placement group; safe to repeat after a failure."""
        await self._delete(placement_group_id)
