"""``hz.load_balancer_types``: the load balancer plans, with their limits and prices."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ..models import LoadBalancerType
from ._base import query
from ._collection import Collection

__all__ = ["LoadBalancerTypes"]


class LoadBalancerTypes(Collection[LoadBalancerType]):
    """Load balancer types (https://docs.hetzner.cloud/reference/cloud#load-balancer-types)."""

    path = "/load_balancer_types"
    item_key = "load_balancer_type"
    page_key = "load_balancer_types"
    model = LoadBalancerType

    def iter(self, *, name: str | None = None) -> AsyncIterator[LoadBalancerType]:
        """Iterate over every load balancer type (or the one with this name), page by page."""
        return self._iter(query(name=name))

    async def list(self, *, name: str | None = None) -> list[LoadBalancerType]:
        """Return every load balancer type (or the one with this name)."""
        return [lb_type async for lb_type in self.iter(name=name)]
